"""Reminders sent for a reporting period (the Notification model itself lives in portal)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import user_fk

from .planning import ReportingPeriod


class Reminder(models.Model):
    """One reminder sent for a person and period (the unique constraint makes it idempotent)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Sebelum batas waktu")
        OVERDUE = "overdue", _("Terlambat")

    user = user_fk(related_name="+", on_delete=models.CASCADE)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "kind"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period} {self.kind}"
