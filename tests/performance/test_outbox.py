"""The notification e-mail outbox: requests only write the row; `send_notification_emails` sends."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from leaderboard.services import award_points
from performance import services
from performance.models import Indicator
from portal.notifications import Notification
from portal.notifications import notify as portal_notify
from portal.outbox import send_pending_emails
from tests.factories import UserFactory

from .factories import make_report, make_skp
from .mail_backends import CountingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_backend(settings):
    settings.EMAIL_BACKEND = "tests.performance.mail_backends.CountingBackend"
    CountingBackend.created = CountingBackend.opened = 0
    return CountingBackend


def notify(recipient, actor, n: int = 0) -> Notification:
    portal_notify(recipient=recipient, actor=actor, message=f"Pesan ke-{n}", url=f"/kinerja/{n}/")
    return Notification.objects.filter(recipient=recipient).order_by("-pk").first()


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_notification_emails", *args, stdout=out)
    return out.getvalue()


def test_submitting_leaves_the_email_pending_and_sends_nothing_in_the_request(
    client_for,
    employee,
    supervisor,
    cycle,
    period,
    supervisor_rhk,
    django_capture_on_commit_callbacks,
):
    award_points(user=employee, points=50, reason="module_completed", key=f"m:{employee.pk}")
    skp = make_skp(employee, cycle, parent=supervisor_rhk, indicators=2)
    report = make_report(skp, period, filled=False)
    services.add_evidence_link(actor=employee, report=report, url="https://contoh.go.id/bukti")
    ids = Indicator.objects.filter(rhk__skp=skp).values_list("pk", flat=True)
    data = {"narrative": "Selesai.", "ajukan": "", **{f"realisasi_{pk}": "8" for pk in ids}}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(employee).post(reverse("performance:report_save", args=[report.pk]), data)
    note = Notification.objects.get(recipient=supervisor)
    assert "mengajukan laporan" in note.message
    assert note.email_pending and note.emailed_at is None and note.email_attempts == 0
    assert mail.outbox == []


def test_a_recipient_without_an_address_has_nothing_pending(employee):
    no_mail = UserFactory(email="")
    note = notify(no_mail, employee)
    assert not note.email_pending
    assert send_pending_emails().picked == 0


def test_the_command_sends_each_pending_email_once_through_one_connection(
    employee, supervisor, counting_backend, settings
):
    other = UserFactory()
    notes = [
        notify(supervisor, employee, 1),
        notify(other, employee, 2),
        notify(supervisor, employee, 3),
    ]
    out = run()
    assert "3 terkirim, 0 gagal" in out
    assert counting_backend.created == 1 and counting_backend.opened == 1
    # Oldest first, with the text the request used to send itself.
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (
            [note.recipient.email],
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{note.message}",
            f"{note.message}\n\n{settings.PORTAL_BASE_URL}{note.url}\n",
        )
        for note in notes
    ]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    for note in notes:
        note.refresh_from_db()
        assert not note.email_pending and note.emailed_at and note.email_attempts == 1
    assert "0 terkirim, 0 gagal" in run()  # idempotent
    assert len(mail.outbox) == 3


def test_the_command_drains_the_outbox_in_batches_oldest_first(
    employee, counting_backend, django_assert_max_num_queries
):
    people = [UserFactory() for _ in range(5)]
    for n, person in enumerate(people):
        notify(person, employee, n)
    assert send_pending_emails(limit=2).sent == 2
    assert [m.to for m in mail.outbox] == [[people[0].email], [people[1].email]]
    # Each batch: the locked read (with the recipients) and one update of the sent rows,
    # inside its transaction (a savepoint here): not one query per e-mail.
    with django_assert_max_num_queries(4):
        assert send_pending_emails(limit=2).sent == 2
    assert "1 terkirim" in run("--limit", "2")
    assert [m.to for m in mail.outbox] == [[p.email] for p in people]
    assert not Notification.objects.filter(email_pending=True).exists()


def test_a_failing_mail_server_leaves_the_email_pending_until_the_last_attempt(
    employee, supervisor, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.performance.mail_backends.BrokenBackend"
    settings.PERFORMANCE_EMAIL_MAX_ATTEMPTS = 3
    note = notify(supervisor, employee)
    assert "0 terkirim, 1 gagal" in run()
    note.refresh_from_db()
    assert note.email_pending and note.email_attempts == 1 and note.email_retry_at
    assert "0 terkirim, 0 gagal" in run()  # it waits for its retry time
    for attempts in (2, 3):
        Notification.objects.update(email_retry_at=None)  # the retry time has come
        with caplog.at_level(logging.ERROR, logger="performance.outbox"):
            out = run()
        note.refresh_from_db()
        assert note.email_attempts == attempts
    assert not note.email_pending and note.emailed_at is None
    assert "1 e-mail dihentikan setelah 3 kali gagal" in out
    assert "given up after 3 attempts" in caplog.text
    assert Notification.objects.get(pk=note.pk).message == "Pesan ke-0"  # the record stays
    Notification.objects.update(email_retry_at=None)
    assert send_pending_emails().picked == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending_emails().picked == 0 and mail.outbox == []


def test_an_unreachable_mail_server_counts_an_attempt_for_each_email(
    employee, supervisor, settings
):
    settings.EMAIL_BACKEND = "tests.performance.mail_backends.UnreachableBackend"
    notify(supervisor, employee, 1)
    notify(UserFactory(), employee, 2)
    result = send_pending_emails()
    assert (result.sent, result.failed) == (0, 2)
    assert list(Notification.objects.values_list("email_pending", "email_attempts")) == [
        (True, 1),
        (True, 1),
    ]


def test_an_address_removed_before_sending_leaves_the_outbox(employee, supervisor):
    note = notify(supervisor, employee)
    supervisor.email = ""
    supervisor.save()
    result = send_pending_emails()
    assert (result.sent, result.no_address) == (0, 1)
    note.refresh_from_db()
    assert not note.email_pending and note.emailed_at is None
    assert mail.outbox == []


def test_the_limit_must_be_positive():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--limit"):
        run("--limit", "0")
