"""Reminders to report: before the due date and when overdue, once per person, period and kind.

The reminder is a portal notification whose e-mail waits in the outbox like every other one
(`portal.notifications.notify_users`, sent by `send_notification_emails`): the run that writes
reminders for the whole city never waits for the mail server. Each period is one transaction with
its row locked, so running every hour, or twice at once, reminds nobody twice (the unique
`Reminder` row is the proof). Deactivated accounts are not reminded.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.notifications import notify_users

from .models import Cycle, PeriodicReport, Reminder, ReportingPeriod, Skp, today

# Reminders written (and notifications inserted) per statement.
CHUNK = 2000


def _message(kind: str, period: ReportingPeriod) -> str:
    values = {"period": period, "date": period.due_date.strftime("%d-%m-%Y")}
    if kind == Reminder.Kind.BEFORE:
        return _("Pengingat: laporan %(period)s jatuh tempo %(date)s.") % values
    return _("Laporan %(period)s Anda terlambat (batas %(date)s). Segera ajukan.") % values


def _kind_on(period: ReportingPeriod, day: dt.date, days_before: int) -> str | None:
    if day > period.due_date:
        return Reminder.Kind.OVERDUE
    if (period.due_date - day).days <= days_before and day >= period.start:
        return Reminder.Kind.BEFORE
    return None


def send_reminders(*, on: dt.date | None = None, days_before: int | None = None) -> dict[str, int]:
    """Remind everyone who still owes the report of an open period; returns counts per kind."""
    day = on or today()
    days_before = settings.PERFORMANCE_REMINDER_DAYS_BEFORE if days_before is None else days_before
    periods = ReportingPeriod.objects.filter(is_closed=False, cycle__status=Cycle.Status.OPEN)
    sent = {Reminder.Kind.BEFORE: 0, Reminder.Kind.OVERDUE: 0}
    for period in periods.select_related("cycle"):
        kind = _kind_on(period, day, days_before)
        if kind is not None:
            sent[kind] += remind_period(period, kind)
    return {str(kind): n for kind, n in sent.items()}


def remind_period(period: ReportingPeriod, kind: str) -> int:
    """Remind, once, every active employee whose approved SKP takes `period` and who has not
    reported it (on that SKP, or on their SKP before a transfer). A constant number of queries
    per `CHUNK` people."""
    message = _message(kind, period)
    try:
        with transaction.atomic():
            # A second run waits here, then sees the first run's reminders.
            list(ReportingPeriod.objects.select_for_update().filter(pk=period.pk).values("pk"))
            submitted = PeriodicReport.objects.filter(period=period, submitted_at__isnull=False)
            already = Reminder.objects.filter(period=period, kind=kind).values("user_id")
            owed = list(
                Skp.objects.taking(period)
                .filter(status=Skp.Status.DISETUJUI, employee__is_active=True)
                .exclude(employee__in=submitted.values("skp__employee_id"))
                .exclude(employee__in=already)
                .values_list("pk", "employee_id")
            )
            for start in range(0, len(owed), CHUNK):
                chunk = owed[start : start + CHUNK]
                Reminder.objects.bulk_create(
                    Reminder(user_id=employee_id, period=period, kind=kind)
                    for _skp, employee_id in chunk
                )
                notify_users(
                    urls={
                        employee_id: reverse("performance:skp_detail", args=[skp_id])
                        for skp_id, employee_id in chunk
                    },
                    message=message,
                )
    except IntegrityError:  # a run without row locks (SQLite) got there first
        return 0
    return len(owed)
