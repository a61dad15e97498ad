import datetime as dt
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from performance import services
from performance.models import FeedbackMessage, Notification
from performance.outbox import send_pending_emails

pytestmark = pytest.mark.django_db


def test_atasan_writes_employee_replies_each_notified_in_portal_and_by_email(
    client_for,
    employee,
    supervisor,
    submitted_report,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    rhk = submitted_report.skp.rhks.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor).post(
            reverse("performance:report_feedback", args=[submitted_report.pk]),
            {"thread": f"rhk-{rhk.pk}", "body": "Lampirkan berita acara uji coba."},
        )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.endswith(f"#rhk-{rhk.pk}")
    note = Notification.objects.get(recipient=employee)
    assert "Umpan balik baru" in note.message and note.url.endswith(f"#rhk-{rhk.pk}")
    assert mailoutbox == []  # the request left the e-mail in the outbox
    assert send_pending_emails().sent == 1
    assert mailoutbox[-1].to == [employee.email]
    assert mailoutbox[-1].body == f"{note.message}\n\n{settings.PORTAL_BASE_URL}{note.url}\n"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(employee).post(
            reverse("performance:report_feedback", args=[submitted_report.pk]),
            {"thread": f"rhk-{rhk.pk}", "body": "Sudah saya lampirkan."},
        )
    assert Notification.objects.filter(recipient=supervisor).count() == 1
    assert send_pending_emails().sent == 1
    assert mailoutbox[-1].to == [supervisor.email]
    assert list(FeedbackMessage.objects.values_list("author", flat=True)) == [
        supervisor.pk,
        employee.pk,
    ]
    page = client_for(employee).get(submitted_report.get_absolute_url()).content.decode()
    assert "Lampirkan berita acara" in page and "Sudah saya lampirkan." in page


def test_feedback_per_berakhlak_value(employee, supervisor, submitted_report):
    message = services.add_feedback(
        actor=supervisor,
        report=submitted_report,
        body="Responsif",
        value_code="berorientasi_pelayanan",
    )
    assert message.thread_key == "nilai-berorientasi_pelayanan"
    reply = services.add_feedback(
        actor=employee,
        report=submitted_report,
        body="Terima kasih",
        value_code="berorientasi_pelayanan",
    )
    assert reply.pk


def test_employee_cannot_start_a_thread_and_others_cannot_write(
    employee, kepala, outsider, submitted_report
):
    with pytest.raises(ValidationError, match="memulai umpan balik"):
        services.add_feedback(
            actor=employee, report=submitted_report, body="Halo", value_code="akuntabel"
        )
    for actor in (kepala, outsider):
        with pytest.raises(PermissionDenied):
            services.add_feedback(
                actor=actor, report=submitted_report, body="Halo", value_code="akuntabel"
            )
    assert not FeedbackMessage.objects.exists()


def test_feedback_refuses_foreign_rhk_unknown_value_and_empty_body(
    client_for, supervisor, submitted_report, supervisor_rhk
):
    client = client_for(supervisor)
    url = reverse("performance:report_feedback", args=[submitted_report.pk])
    response = client.post(url, {"thread": f"rhk-{supervisor_rhk.pk}", "body": "x"})
    assert "bukan bagian dari SKP" in response.content.decode()
    response = client.post(url, {"thread": "nilai-jujur", "body": "x"})
    assert "tidak dikenal" in response.content.decode()
    response = client.post(url, {"thread": "nilai-akuntabel", "body": ""})
    assert "Tulis pesan" in response.content.decode()
    assert not FeedbackMessage.objects.exists()


def test_recognition_received_in_the_period_is_shown_per_value_to_the_penilai(
    client_for, employee, supervisor, submitted_report
):
    from leaderboard.models import Recognition
    from leaderboard.services import give_recognition

    period = submitted_report.period
    inside = dt.datetime.combine(period.start, dt.time(10), tzinfo=timezone.get_current_timezone())
    given = give_recognition(
        giver=supervisor,
        receiver=employee,
        value="kolaboratif",
        message="Membantu tim Dinkes integrasi data",
        points=0,
    )
    before = give_recognition(
        giver=supervisor, receiver=employee, value="kolaboratif", message="Dulu sekali", points=0
    )
    Recognition.objects.filter(pk=given.pk).update(created_at=inside)
    Recognition.objects.filter(pk=before.pk).update(created_at=inside - dt.timedelta(days=400))
    page = client_for(supervisor).get(submitted_report.get_absolute_url()).content.decode()
    section = page[page.index('id="nilai-kolaboratif"') :]
    assert "Membantu tim Dinkes" in section[: section.index("</form>")]
    assert supervisor.full_name in section[: section.index("</form>")]
    assert "Dulu sekali" not in page


def test_notifications_page_and_mark_read(client_for, employee, supervisor, submitted_report):
    services.add_feedback(
        actor=supervisor, report=submitted_report, body="Bagus", value_code="kompeten"
    )
    client = client_for(employee)
    page = client.get(reverse("performance:notifications"), follow=True).content.decode()
    assert "Umpan balik baru" in page
    client.post(reverse("performance:notifications"))
    assert not Notification.objects.filter(recipient=employee, read_at__isnull=True).exists()


def test_email_failure_does_not_break_the_write(employee, supervisor, submitted_report, settings):
    settings.EMAIL_BACKEND = "tests.performance.mail_backends.BrokenBackend"
    services.add_feedback(actor=supervisor, report=submitted_report, body="x", value_code="loyal")
    result = send_pending_emails()
    assert (result.sent, result.failed) == (0, 1)
    assert Notification.objects.filter(recipient=employee, email_pending=True).exists()


def test_period_dates_are_inclusive(submitted_report):
    assert submitted_report.period.end - submitted_report.period.start >= dt.timedelta(days=89)


def test_htmx_feedback_returns_only_the_thread(client_for, supervisor, submitted_report):
    client = client_for(supervisor)
    url = reverse("performance:report_feedback", args=[submitted_report.pk])
    response = client.post(
        url, {"thread": "nilai-harmonis", "body": "Suka menolong"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert body.lstrip().startswith('<div class="thread mb-3" id="nilai-harmonis"')
    assert "Suka menolong" in body and "<html" not in body
    response = client.post(
        url, {"thread": "nilai-harmonis", "body": ""}, headers={"HX-Request": "true"}
    )
    assert "Tulis pesan" in response.content.decode()
    assert FeedbackMessage.objects.count() == 1
