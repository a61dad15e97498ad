"""Reminders: before the due date and when overdue, once per person, period and kind."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.models import Notification, Reminder
from performance.reminders import send_reminders
from portal.outbox import send_pending_emails
from tests.performance.factories import make_cycle, make_report

from .conftest import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    cycle = make_cycle(2026)
    unit = make_unit(cycle, n_staff=3)
    period = cycle.periods.order_by("start").first()  # Triwulan I, due 10 April 2026
    make_report(unit.skps[0], period, status="diajukan")  # staff 0 has reported
    return unit, period


def test_before_the_due_date_once(setup):
    unit, period = setup
    day = period.due_date - dt.timedelta(days=3)
    assert send_reminders(on=day - dt.timedelta(days=1), days_before=3)["before"] == 0
    assert send_reminders(on=day, days_before=3) == {"before": 2, "overdue": 0}
    assert send_reminders(on=day, days_before=3) == {"before": 0, "overdue": 0}
    assert send_reminders(on=day + dt.timedelta(days=1), days_before=3)["before"] == 0
    assert set(Reminder.objects.values_list("user_id", flat=True)) == {
        unit.staff[1].pk,
        unit.staff[2].pk,
    }
    assert Notification.objects.filter(recipient=unit.staff[1]).count() == 1
    # the e-mails wait in the outbox like every other notification's
    assert len(mail.outbox) == 0
    assert Notification.objects.filter(email_pending=True).count() == 2
    assert send_pending_emails().sent == 2
    assert len(mail.outbox) == 2
    assert "jatuh tempo" in mail.outbox[0].subject
    assert {m.to[0] for m in mail.outbox} == {unit.staff[1].email, unit.staff[2].email}


def test_deactivated_staff_are_not_reminded(setup):
    unit, period = setup
    unit.staff[2].is_active = False
    unit.staff[2].save(update_fields=["is_active"])
    assert send_reminders(on=period.due_date + dt.timedelta(days=1))["overdue"] == 1
    assert not Notification.objects.filter(recipient=unit.staff[2]).exists()
    assert not Reminder.objects.filter(user=unit.staff[2]).exists()


def _remind(period) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        sent = send_reminders(on=period.due_date + dt.timedelta(days=1))["overdue"]
    return sent, len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_people_reminded(db):
    cycle = make_cycle(2026)
    make_unit(cycle, n_staff=3)
    period = cycle.periods.order_by("start").first()
    few, few_queries = _remind(period)
    make_unit(cycle, n_staff=30)
    many, many_queries = _remind(period)
    assert (few, many) == (3, 30)
    assert many_queries == few_queries


def test_overdue_once_and_not_for_those_who_reported(setup):
    unit, period = setup
    day = period.due_date + dt.timedelta(days=1)
    assert send_reminders(on=day)["overdue"] == 2
    make_report(unit.skps[1], period, status="diajukan")
    assert send_reminders(on=day + dt.timedelta(days=1))["overdue"] == 0
    assert Reminder.objects.filter(kind="overdue").count() == 2
    assert not Reminder.objects.filter(user=unit.staff[0]).exists()
    assert (
        Notification.objects.filter(recipient=unit.staff[2], message__contains="terlambat").count()
        == 1
    )


def test_the_command_is_idempotent(setup, capsys):
    call_command("send_reminders")
    first = Reminder.objects.count()
    call_command("send_reminders")
    assert Reminder.objects.count() == first
    assert Notification.objects.count() == first
    assert "Pengingat terkirim: 0 sebelum batas waktu, 0 terlambat." in capsys.readouterr().out


def test_a_duplicate_reminder_row_is_refused_by_the_database(setup):
    from django.db import IntegrityError, transaction

    unit, period = setup
    Reminder.objects.create(user=unit.staff[1], period=period, kind="overdue")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(user=unit.staff[1], period=period, kind="overdue")
