"""E-mail backends for the outbox tests (named in settings.EMAIL_BACKEND)."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    """The test outbox, counting the connections made and opened."""

    created = 0
    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).created += 1

    def open(self):
        type(self).opened += 1
        return super().open()


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise OSError("smtp down")


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise OSError("connection refused")

    def send_messages(self, email_messages):  # pragma: no cover - open() fails first
        raise AssertionError("sent without a connection")
