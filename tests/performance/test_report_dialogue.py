"""The report page keeps what was typed across evidence uploads (issue 15.2); bukti dukung after
submission and the dialogue after rating (issue 15.5)."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance import services
from performance.models import (
    Evidence,
    FeedbackMessage,
    Indicator,
    Notification,
    Realisasi,
    ReportEvent,
)

from .files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def typed(report, *values, narrative="Narasi yang baru diketik"):
    """What the employee typed on the page: one realisasi per indicator and the narrative."""
    indicators = Indicator.objects.for_report(report)
    data = {f"realisasi_{i.pk}": v for i, v in zip(indicators, values, strict=True)}
    return {**data, "narrative": narrative}


def stored_values(report) -> list[Decimal]:
    return list(
        Realisasi.objects.filter(report=report)
        .order_by("indicator_id")
        .values_list("value", flat=True)
    )


# --- 15.2: nothing typed is lost --------------------------------------------------------------


def test_uploading_evidence_keeps_the_typed_realisasi_and_narrative(client_for, employee, report):
    client = client_for(employee)
    data = typed(report, "7", "8,5") | {"file": upload("berita-acara.pdf", pdf_bytes())}
    response = client.post(reverse("performance:evidence_upload", args=[report.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert Evidence.objects.filter(report=report, original_name="berita-acara.pdf").exists()
    assert stored_values(report) == [Decimal("7"), Decimal("8.5")]
    page = client.get(response.url).content.decode()
    assert 'value="7"' in page and 'value="8,5"' in page
    assert "Narasi yang baru diketik" in page
    assert "Isian Anda disimpan sebagai draf saat mengunggah bukti dukung" in page


def test_adding_a_link_keeps_the_typed_values(client_for, employee, report):
    client = client_for(employee)
    data = typed(report, "4", "5") | {"url": "https://drive.bandung.go.id/notulen"}
    response = client.post(reverse("performance:evidence_link", args=[report.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert stored_values(report) == [Decimal("4"), Decimal("5")]
    assert Evidence.objects.get(report=report).url == "https://drive.bandung.go.id/notulen"


def test_a_refused_file_leaves_the_draft_saved_and_on_the_page(client_for, employee, report):
    data = typed(report, "7", "9") | {"file": upload("bukti.pdf", b"<html>bukan pdf</html>")}
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[report.pk]), data
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "tidak diizinkan" in page
    assert "Draf laporan disimpan; bukti dukung belum ditambahkan" in page
    assert 'value="7"' in page and "Narasi yang baru diketik" in page
    assert stored_values(report) == [Decimal("7"), Decimal("9")]
    assert not Evidence.objects.exists()


def test_a_wrong_realisasi_with_an_upload_saves_nothing_and_keeps_the_input(
    client_for, employee, report
):
    data = typed(report, "tujuh", "9") | {"file": upload("bukti.pdf", pdf_bytes())}
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[report.pk]), data
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "harus berupa angka" in page
    assert 'value="tujuh"' in page and "Narasi yang baru diketik" in page
    assert stored_values(report) == [Decimal("3"), Decimal("3")]  # as before
    assert not Evidence.objects.exists()


def test_a_file_chosen_then_submit_attaches_and_submits(client_for, employee, report):
    data = typed(report, "10", "10") | {"file": upload("bukti.pdf", pdf_bytes()), "ajukan": ""}
    response = client_for(employee).post(reverse("performance:report_save", args=[report.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.status == "diajukan"
    assert report.evidence.count() == 1


def test_deleting_evidence_keeps_the_typed_values(client_for, employee, report):
    evidence = services.add_evidence_link(actor=employee, report=report, url="https://a.id/x")
    data = typed(report, "6", "6", narrative="Diketik sebelum menghapus")
    response = client_for(employee).post(
        reverse("performance:evidence_delete", args=[evidence.pk]), data
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Evidence.objects.exists()
    assert stored_values(report) == [Decimal("6"), Decimal("6")]
    report.refresh_from_db()
    assert report.narrative == "Diketik sebelum menghapus"


def test_an_upload_without_the_page_fields_leaves_the_draft_alone(client_for, employee, report):
    client_for(employee).post(
        reverse("performance:evidence_upload", args=[report.pk]),
        {"file": upload("bukti.pdf", pdf_bytes())},
    )
    assert stored_values(report) == [Decimal("3"), Decimal("3")]
    assert report.evidence.count() == 1


# --- 15.5: evidence after submission --------------------------------------------------------


def test_owner_adds_evidence_to_a_submitted_report_recorded_and_notified(
    client_for, employee, supervisor, submitted_report
):
    client = client_for(employee)
    page = client.get(submitted_report.get_absolute_url()).content.decode()
    assert "Unggah bukti dukung" in page and "sampai laporan dinilai" in page
    response = client.post(
        reverse("performance:evidence_upload", args=[submitted_report.pk]),
        {"file": upload("surat-tugas.pdf", pdf_bytes()), "description": "Diminta atasan"},
    )
    assert response.status_code == HTTPStatus.FOUND
    submitted_report.refresh_from_db()
    assert submitted_report.status == "diajukan"
    assert submitted_report.evidence.get().original_name == "surat-tugas.pdf"
    event = ReportEvent.objects.get(report=submitted_report)
    assert event.actor == employee and "surat-tugas.pdf" in event.note
    assert event.from_status == event.to_status == "diajukan"
    note = Notification.objects.get(recipient=supervisor)
    assert "surat-tugas.pdf" in note.message and note.url.endswith("#bukti")
    history = client.get(submitted_report.get_absolute_url()).content.decode()
    assert "Bukti dukung ditambahkan setelah pengajuan: surat-tugas.pdf" in history


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisor", HTTPStatus.FORBIDDEN),
        ("kepala", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
def test_only_the_owner_adds_evidence_after_submission(
    client_for, request, who, status, submitted_report
):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("performance:evidence_link", args=[submitted_report.pk]),
        {"url": "https://a.id/palsu"},
    )
    assert response.status_code == status
    assert not Evidence.objects.exists()
    assert not ReportEvent.objects.exists()


def test_a_rated_report_takes_no_evidence_on_any_path(
    client_for, employee, supervisor, submitted_report
):
    services.rate_report(
        actor=supervisor, report=submitted_report, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    submitted_report.refresh_from_db()
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[submitted_report.pk]),
        {"file": upload("telat.pdf", pdf_bytes())},
    )
    assert "terkunci" in response.content.decode()
    with pytest.raises(ValidationError, match="terkunci"):
        services.add_evidence_link(actor=employee, report=submitted_report, url="https://a.id")
    with pytest.raises(ValidationError, match="terkunci"):  # the model's own rule
        Evidence(report=submitted_report, url="https://a.id", uploaded_by=employee).full_clean()
    with pytest.raises(PermissionDenied):
        services.add_evidence_link(actor=supervisor, report=submitted_report, url="https://a.id")
    assert not Evidence.objects.exists()


def test_evidence_added_after_submission_cannot_be_deleted(employee, submitted_report):
    evidence = services.add_evidence_link(
        actor=employee, report=submitted_report, url="https://a.id/x"
    )
    with pytest.raises(ValidationError):
        services.delete_evidence(actor=employee, evidence=evidence)


# --- 15.5: the dialogue after rating --------------------------------------------------------


def _rated_with_thread(employee, supervisor, report):
    rhk = report.skp.rhks.get()
    services.add_feedback(actor=supervisor, report=report, body="Lampirkan notulen.", rhk=rhk)
    services.rate_report(
        actor=supervisor, report=report, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    return rhk


def test_threads_stay_answerable_after_rating_until_the_period_closes(
    client_for, employee, supervisor, submitted_report
):
    rhk = _rated_with_thread(employee, supervisor, submitted_report)
    client = client_for(employee)
    page = client.get(submitted_report.get_absolute_url()).content.decode()
    assert "Balas" in page and "sampai BKPSDM menutup periode ini" in page
    response = client.post(
        reverse("performance:report_feedback", args=[submitted_report.pk]),
        {"thread": f"rhk-{rhk.pk}", "body": "Notulen menyusul lewat e-mail."},
        **HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert FeedbackMessage.objects.filter(author=employee).count() == 1
    assert Notification.objects.filter(recipient=supervisor).exists()

    submitted_report.period.is_closed = True
    submitted_report.period.save()
    page = client.get(submitted_report.get_absolute_url()).content.decode()
    assert "Lampirkan notulen." in page and "Notulen menyusul" in page  # still readable
    assert "hanya bisa dibaca" in page and "Balas" not in page
    response = client.post(
        reverse("performance:report_feedback", args=[submitted_report.pk]),
        {"thread": f"rhk-{rhk.pk}", "body": "Satu lagi."},
    )
    assert "umpan balik ditutup" in response.content.decode()
    assert FeedbackMessage.objects.filter(author=employee).count() == 1


def test_a_stale_page_says_the_typed_values_were_not_saved(client_for, employee, submitted_report):
    """The report was submitted from another tab; the old page uploads with its fields."""
    data = typed(submitted_report, "1", "1") | {"url": "https://a.id/susulan"}
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[submitted_report.pk]), data, follow=True
    )
    page = response.content.decode()
    assert "yang diketik tidak disimpan" in page
    assert stored_values(submitted_report) == [Decimal("3"), Decimal("3")]
    assert submitted_report.evidence.count() == 1
