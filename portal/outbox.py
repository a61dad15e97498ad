"""The e-mail outbox of portal notifications (`portal.notifications`).

A request that notifies someone (`notify()`) only writes the `Notification` row with
`email_pending=True`; it never waits for the mail server. `send_pending_emails` (run every minute
by `manage.py send_notification_emails`) sends them in batches. The portal notification is the
record either way: a mail that keeps failing is given up after
`settings.PERFORMANCE_EMAIL_MAX_ATTEMPTS` attempts and logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .notifications import Notification

logger = logging.getLogger(__name__)

# After the n-th failed attempt the next one waits RETRY_AFTER * 2**(n-1): 5, 10, 20, 40 minutes,
# so a mail server that is down for an hour does not use up every attempt.
RETRY_AFTER = dt.timedelta(minutes=5)


@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0  # still pending, tried again later
    given_up: int = 0  # failed for the last allowed time
    no_address: int = 0  # the recipient's address was removed since: nothing to send

    @property
    def picked(self) -> int:
        return self.sent + self.failed + self.given_up + self.no_address


def email_for(note: Notification) -> EmailMessage:
    """The e-mail of a notification: the same text the request used to send itself."""
    message = note.message
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{message}"[:150],
        body=f"{message}\n\n{settings.PORTAL_BASE_URL}{note.url}\n",
        to=[note.recipient.email],
    )


def send_pending_emails(*, limit: int = 100) -> OutboxResult:
    """Send up to `limit` due e-mails, oldest first, through one mail connection.

    The rows are locked with SKIP LOCKED for the whole batch, so senders running at the same time
    take different rows and no mail goes out twice (on PostgreSQL; SQLite serialises writers).
    A sent row gets `emailed_at` and leaves the outbox; a failure counts an attempt and waits
    (`RETRY_AFTER`, doubling); the last allowed failure leaves the outbox with `emailed_at` empty.
    """
    result = OutboxResult()
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Notification.objects.email_due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")[:limit]
        )
        if not batch:
            return result
        connection = get_connection()
        try:
            connection.open()
        except Exception:
            logger.exception("mail server unreachable; %d notification e-mails wait", len(batch))
            for note in batch:
                _failed(note, result, now)
            return result
        sent, no_address = [], []
        try:
            for note in batch:
                if not note.recipient.email:  # removed since the notification: nothing to send
                    no_address.append(note.pk)
                    continue
                message = email_for(note)
                message.connection = connection
                try:
                    message.send()
                except Exception:
                    logger.exception("notification e-mail %s failed", note.pk)
                    _failed(note, result, now)
                else:
                    sent.append(note.pk)
        finally:
            try:
                connection.close()
            except Exception:  # the mails went out: do not roll their marks back
                logger.warning("closing the mail connection failed", exc_info=True)
        Notification.objects.filter(pk__in=sent).update(
            email_pending=False, emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1
        )
        Notification.objects.filter(pk__in=no_address).update(email_pending=False)
        result.sent, result.no_address = len(sent), len(no_address)
    return result


def _failed(note: Notification, result: OutboxResult, now: dt.datetime) -> None:
    note.email_attempts += 1
    if note.email_attempts >= settings.PERFORMANCE_EMAIL_MAX_ATTEMPTS:
        note.email_pending = False
        note.email_retry_at = None
        result.given_up += 1
        logger.error(
            "notification e-mail %s to user %s given up after %d attempts",
            note.pk,
            note.recipient_id,
            note.email_attempts,
        )
    else:
        note.email_retry_at = now + RETRY_AFTER * 2 ** (note.email_attempts - 1)
        result.failed += 1
    note.save(update_fields=["email_pending", "email_attempts", "email_retry_at"])
