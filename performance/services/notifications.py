"""Notification writes the performance pages offer."""

from __future__ import annotations

from django.db import transaction

from portal.models import User
from portal.notifications import mark_all_read


@transaction.atomic
def mark_notifications_read(*, user: User) -> int:
    return mark_all_read(user=user)
