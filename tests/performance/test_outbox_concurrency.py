"""Two e-mail senders at once on PostgreSQL: each pending e-mail goes out exactly once.

Each sender has its own thread, database connection and transaction; SKIP LOCKED lets the second
take the rows the first has not locked. Skipped on SQLite, which serialises writers anyway.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from portal.notifications import Notification, notify
from portal.outbox import send_pending_emails
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class SlowBackend(EmailBackend):
    """A mail server that takes a moment per message, so the two senders overlap."""

    def send_messages(self, messages):
        time.sleep(0.005)
        return super().send_messages(messages)


def test_two_senders_send_each_email_exactly_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    actor = UserFactory()
    people = [UserFactory() for _ in range(6)]
    total = 60
    for n in range(total):
        notify(recipient=people[n % len(people)], actor=actor, message=f"Pesan {n}", url=f"/k/{n}/")
    barrier = threading.Barrier(2)

    def sender() -> int:
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            sent = 0
            while (result := send_pending_emails(limit=5)).picked:
                sent += result.sent
            return sent
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(lambda _: sender(), range(2)))
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == total == sum(counts)
    assert len(set(subjects)) == total  # no e-mail twice
    assert all(counts)  # both senders worked: neither waited for the other's locks
    assert not Notification.objects.filter(email_pending=True).exists()
    assert Notification.objects.filter(email_attempts=1, emailed_at__isnull=False).count() == total
