import hashlib
import io
import zipfile
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from performance import services
from performance.models import Evidence
from performance.uploads import MAX_EVIDENCE_BYTES, check_evidence_file

from .files import odf_bytes, ooxml_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("laporan.pdf", pdf_bytes(), "application/pdf"),
        ("foto.PNG", png_bytes(), "image/png"),
        (
            "notulen.docx",
            ooxml_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "data.xlsx",
            ooxml_bytes("xl", "spreadsheetml.sheet.main+xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("surat.odt", odf_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_files_are_typed_from_their_content(name, content, mime):
    checked = check_evidence_file(upload(name, content, "text/plain"))
    assert checked.content_type == mime
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def _zip_without_content_types() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("kosong.pdf", b"", "empty", "kosong"),
        (
            "halaman.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "forbidden_type",
            "tidak diizinkan",
        ),
        ("skrip.exe", b"MZ\x90\x00" + b"\x00" * 200, "forbidden_type", "tidak diizinkan"),
        ("arsip.zip", b"PK\x03\x04" + b"\x00" * 200, "forbidden_type", "tidak diizinkan"),
        ("foto.pdf", png_bytes(), "disguised", "tidak cocok"),
        ("palsu.docx", _zip_without_content_types(), "broken_office", "bukan dokumen"),
        (
            "salah.docx",
            ooxml_bytes("word", "spreadsheetml.sheet.main+xml"),
            "broken_office",
            "bukan dokumen",
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason(name, content, code, message):
    with pytest.raises(ValidationError) as exc:
        check_evidence_file(upload(name, content))
    assert exc.value.code == code
    assert message in exc.value.messages[0]


def test_files_over_ten_megabytes_are_refused():
    content = pdf_bytes() + b"0" * MAX_EVIDENCE_BYTES
    with pytest.raises(ValidationError, match="terlalu besar"):
        check_evidence_file(upload("besar.pdf", content))


def test_upload_stores_privately_with_sha256(client_for, employee, report, _private_storage):
    content = pdf_bytes()
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[report.pk]),
        {"file": upload("Bukti Q4.pdf", content), "description": "Berita acara"},
    )
    assert response.status_code == HTTPStatus.FOUND
    evidence = Evidence.objects.get(report=report)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert evidence.original_name == "Bukti Q4.pdf"
    assert _private_storage.exists(evidence.file.name)
    assert "media" not in _private_storage.path(evidence.file.name).split("/")[-5:]


def test_disguised_upload_through_http_saves_nothing(
    client_for, employee, report, _private_storage
):
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[report.pk]),
        {"file": upload("laporan.pdf", b"<html><body>bukan pdf</body></html>", "application/pdf")},
    )
    assert response.status_code == HTTPStatus.OK
    assert "tidak diizinkan" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not list(Path(_private_storage.location).rglob("*.*"))


def test_empty_upload_through_http_is_refused(client_for, employee, report):
    response = client_for(employee).post(
        reverse("performance:evidence_upload", args=[report.pk]),
        {"file": upload("kosong.pdf", b"")},
    )
    assert "kosong" in response.content.decode()
    assert not Evidence.objects.exists()


def test_link_evidence_and_invalid_link(client_for, employee, report):
    client = client_for(employee)
    response = client.post(
        reverse("performance:evidence_link", args=[report.pk]), {"url": "bukan tautan"}
    )
    assert "Tautan tidak valid" in response.content.decode()
    client.post(
        reverse("performance:evidence_link", args=[report.pk]),
        {"url": "https://drive.bandung.go.id/bukti"},
    )
    assert Evidence.objects.get(report=report).url == "https://drive.bandung.go.id/bukti"


@pytest.fixture
def stored(employee, report):
    return services.add_evidence_file(
        actor=employee, report=report, upload=upload("bukti.pdf", pdf_bytes())
    )


@pytest.mark.parametrize("who", ["employee", "supervisor", "kepala", "bkpsdm_admin"])
def test_download_for_people_allowed_to_see_the_report(client_for, request, who, stored):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("performance:evidence_download", args=[stored.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="bukti.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_refused_for_others(client_for, outsider, stored, client):
    response = client_for(outsider).get(reverse("performance:evidence_download", args=[stored.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    client.logout()
    anonymous = client.get(reverse("performance:evidence_download", args=[stored.pk]))
    assert anonymous.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in anonymous.url


def test_evidence_cannot_be_deleted_by_others_or_after_submission(
    client_for, employee, supervisor, stored
):
    response = client_for(supervisor).post(reverse("performance:evidence_delete", args=[stored.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    services.submit_report(actor=employee, report=stored.report)
    client_for(employee).post(reverse("performance:evidence_delete", args=[stored.pk]))
    assert Evidence.objects.filter(pk=stored.pk).exists()


def test_owner_deletes_draft_evidence_and_the_file_goes(
    client_for, employee, stored, _private_storage, django_capture_on_commit_callbacks
):
    name = stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client_for(employee).post(reverse("performance:evidence_delete", args=[stored.pk]))
    assert not Evidence.objects.filter(pk=stored.pk).exists()
    assert not _private_storage.exists(name)
