"""Reminders to report: before the due date and when overdue, once per person, period
and kind. The Reminder row (unique per user, period and kind) is written first; only the run that
created it sends the notification and the e-mail, so running every hour (or twice at once) is safe.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Cycle, Notification, PeriodicReport, Reminder, ReportingPeriod, Skp, today

logger = logging.getLogger(__name__)


def _message(kind: str, period: ReportingPeriod) -> str:
    values = {"period": period, "date": period.due_date.strftime("%d-%m-%Y")}
    if kind == Reminder.Kind.BEFORE:
        return _("Pengingat: laporan %(period)s jatuh tempo %(date)s.") % values
    return _("Laporan %(period)s Anda terlambat (batas %(date)s). Segera ajukan.") % values


def send_reminders(*, on: dt.date | None = None, days_before: int | None = None) -> dict[str, int]:
    day = on or today()
    days_before = settings.PERFORMANCE_REMINDER_DAYS_BEFORE if days_before is None else days_before
    periods = ReportingPeriod.objects.filter(
        is_closed=False, cycle__status=Cycle.Status.OPEN
    ).select_related("cycle")
    sent = {Reminder.Kind.BEFORE: 0, Reminder.Kind.OVERDUE: 0}
    for period in periods:
        if day > period.due_date:
            kind = Reminder.Kind.OVERDUE
        elif (period.due_date - day).days <= days_before and day >= period.start:
            kind = Reminder.Kind.BEFORE
        else:
            continue
        # The SKP that takes the period, unless its employee reported the period already (on
        # it, or on their SKP before a transfer).
        submitted = PeriodicReport.objects.filter(period=period, submitted_at__isnull=False)
        already = Reminder.objects.filter(period=period, kind=kind).values("user_id")
        skps = (
            Skp.objects.taking(period)
            .filter(status=Skp.Status.DISETUJUI)
            .exclude(employee__in=submitted.values("skp__employee_id"))
            .exclude(employee__in=already)
            .select_related("employee")
        )
        for skp in skps.iterator(chunk_size=500):
            if _send_once(skp, period, kind):
                sent[kind] += 1
    return {str(kind): n for kind, n in sent.items()}


def _send_once(skp: Skp, period: ReportingPeriod, kind: str) -> bool:
    employee = skp.employee
    message = _message(kind, period)
    url = reverse("performance:skp_detail", args=[skp.pk])
    try:
        with transaction.atomic():
            Reminder.objects.create(user=employee, period=period, kind=kind)
            Notification.objects.create(recipient=employee, message=message[:300], url=url)
    except IntegrityError:  # another run got there first
        return False
    if employee.email:
        try:
            send_mail(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{message}"[:150],
                message=f"{message}\n\n{settings.PORTAL_BASE_URL}{url}\n",
                from_email=None,
                recipient_list=[employee.email],
            )
        except Exception:  # the notification in the portal is the record
            logger.exception("reminder e-mail to %s failed", employee.pk)
    return True
