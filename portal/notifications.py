"""Notifications: what the portal tells one person (a report to review, a recognition received,
a badge earned, a story that asks for their consent), listed at /notifikasi/ and counted in the
menu, with an e-mail left in the outbox (`portal.outbox`).

`notify()` is the one public writer: every app calls it (performance for reports, SKPs and
ratings, leaderboard for recognitions and badges, cms for consent requests), so
the dependency points down to portal and nothing here imports a domain app.

The table is still `performance_notification`: the model moved from performance to portal
in state only (migrations portal 0005 and performance 0005), no row was copied.

The menu's unread count is cached per person (`unread_count`): a page costs no query for it
when warm, and `notify()` / `mark_all_read()` drop the cached number after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNREAD_TTL = 300  # seconds; notify() and mark_all_read() drop it sooner


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def email_due(self, now=None) -> NotificationQuerySet:
        """The outbox: e-mails still to send whose retry time has come, oldest first."""
        now = now or timezone.now()
        return self.filter(
            Q(email_retry_at__isnull=True) | Q(email_retry_at__lte=now), email_pending=True
        ).order_by("created_at", "pk")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail outbox: the request only writes the row; `send_notification_emails` sends it.
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_retry_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        app_label = "portal"
        db_table = "performance_notification"
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # Only the few pending rows are in it, so the sender's scan stays cheap however
            # many notifications have been sent.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(email_pending=True),
                name="notification_email_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.message


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _forget_unread(*user_ids: int) -> None:
    keys = [_unread_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def notify(*, recipient, message: str, url: str, actor=None) -> Notification | None:
    """Tell `recipient` something: one INSERT, with its e-mail left in the outbox when they
    have an address (`portal.outbox` sends it; nobody waits for the mail server). Nothing for
    nobody, or for what one does to oneself. Runs inside the caller's transaction, so a
    rolled-back action notifies nobody."""
    if recipient is None:
        return None
    if actor is not None and recipient.pk == actor.pk:
        return None
    note = Notification.objects.create(
        recipient=recipient,
        actor=actor,
        message=str(message)[:300],
        url=url,
        email_pending=bool(recipient.email),
    )
    _forget_unread(recipient.pk)
    return note


def notify_users(*, urls: dict[int, str], message: str, actor=None) -> list[Notification]:
    """`notify()` for several people at once, each with their own link ({user id: url}): one
    query for their e-mail addresses, one INSERT. The actor is left out."""
    ids = [pk for pk in urls if actor is None or pk != actor.pk]
    if not ids:
        return []
    emails = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "email"))
    notes = Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            actor=actor,
            message=str(message)[:300],
            url=urls[pk],
            email_pending=bool(emails[pk]),
        )
        for pk in ids
        if pk in emails
    )
    _forget_unread(*ids)
    return notes


def mark_done(*, user, url: str) -> int:
    """The person has done what the notifications pointing at `url` asked (answered a consent
    request, say): they stop counting as unread."""
    count = (
        Notification.objects.for_user(user).unread().filter(url=url).update(read_at=timezone.now())
    )
    _forget_unread(user.pk)
    return count


def mark_all_read(*, user) -> int:
    count = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    _forget_unread(user.pk)
    return count


def unread_count(user) -> int:
    """The menu's number: from the cache, else one COUNT on the (recipient, read_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
        cache.set(key, count, UNREAD_TTL)
    return count
