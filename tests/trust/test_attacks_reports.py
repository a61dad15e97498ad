"""Attacks on the report side, performed over HTTP as the role would (issue 14.9).

An employee with one draft once stored 40 files of 9 MB: evidence had a per-file limit only.
The caps (per report: items and megabytes; per person per day: files and megabytes) live in
`performance.services`, so the upload, the link, the save-with-a-file and the service obey them.
"""

from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from performance import services
from performance.models import Evidence, Indicator
from performance.services import evidence as evidence_services
from tests.performance.factories import current_period, make_cycle, make_report, make_skp
from tests.performance.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _private_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def drafts(employee):
    """Two drafts of the employee: this period's and the one before."""
    cycle = make_cycle()
    skp = make_skp(employee, cycle)
    period = current_period(cycle)
    earlier = cycle.periods.exclude(pk=period.pk).order_by("start").first()
    return make_report(skp, period), make_report(skp, earlier)


def big_pdf(mb: float) -> bytes:
    content = pdf_bytes()
    return content + b"%" + b"0" * (int(mb * MB) - len(content) - 1)


def post_file(client, report, name: str, content: bytes, **extra):
    return client.post(
        reverse("performance:evidence_upload", args=[report.pk]),
        {"file": upload(name, content), **extra},
    )


def test_nine_megabyte_files_stop_at_the_megabytes_per_report(client_for, employee, drafts):
    """The reported attack with the default caps: 9 MB files into one draft."""
    report = drafts[0]
    client = client_for(employee)
    nine = big_pdf(9)
    for n in range(5):
        assert post_file(client, report, f"bukti-{n}.pdf", nine).status_code == HTTPStatus.FOUND
    response = post_file(client, report, "bukti-5.pdf", nine)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "paling banyak 50 MB per laporan" in page
    assert report.evidence.count() == 5


def test_files_per_report_are_capped_links_included(client_for, employee, drafts, settings):
    settings.PERFORMANCE_EVIDENCE_MAX_PER_REPORT = 3
    report = drafts[0]
    client = client_for(employee)
    small = pdf_bytes()
    assert post_file(client, report, "a.pdf", small).status_code == HTTPStatus.FOUND
    assert post_file(client, report, "b.pdf", small).status_code == HTTPStatus.FOUND
    link = reverse("performance:evidence_link", args=[report.pk])
    assert client.post(link, {"url": "https://a.id/1"}).status_code == HTTPStatus.FOUND
    response = client.post(link, {"url": "https://a.id/2", "description": "Notulen rapat"})
    page = response.content.decode()
    assert "paling banyak 3 per laporan" in page
    assert "Notulen rapat" in page  # what was typed stays
    assert (
        "paling banyak 3 per laporan" in post_file(client, report, "c.pdf", small).content.decode()
    )
    assert report.evidence.count() == 3


def test_files_and_megabytes_per_person_per_day_across_reports(
    client_for, employee, drafts, settings
):
    settings.PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY = 2
    client = client_for(employee)
    first, second = drafts
    assert post_file(client, first, "a.pdf", pdf_bytes()).status_code == HTTPStatus.FOUND
    assert post_file(client, second, "b.pdf", pdf_bytes()).status_code == HTTPStatus.FOUND
    response = post_file(client, second, "c.pdf", pdf_bytes())
    assert "paling banyak 2 berkas per hari" in response.content.decode()
    # links are still welcome
    link = reverse("performance:evidence_link", args=[second.pk])
    assert client.post(link, {"url": "https://a.id/1"}).status_code == HTTPStatus.FOUND

    settings.PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY = 30
    settings.PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY = 3
    assert post_file(client, first, "d.pdf", big_pdf(2)).status_code == HTTPStatus.FOUND
    response = post_file(client, second, "e.pdf", big_pdf(1.5))
    assert "MB per hari" in response.content.decode()
    assert Evidence.objects.exclude(file="").count() == 3


def test_the_cap_holds_when_a_file_rides_along_with_the_draft(
    client_for, employee, drafts, settings
):
    """The other path to the same state: "Simpan draf" with a file chosen on the page."""
    settings.PERFORMANCE_EVIDENCE_MAX_PER_REPORT = 1
    report = drafts[0]
    services.add_evidence_link(actor=employee, report=report, url="https://a.id/1")
    indicator = Indicator.objects.for_report(report)[0]
    response = client_for(employee).post(
        reverse("performance:report_save", args=[report.pk]),
        {
            f"realisasi_{indicator.pk}": "5",
            "narrative": "Narasi",
            "file": upload("a.pdf", pdf_bytes()),
        },
    )
    page = response.content.decode()
    assert "paling banyak 1 per laporan" in page
    assert "Draf laporan disimpan; bukti dukung belum ditambahkan" in page
    assert report.evidence.count() == 1
    report.refresh_from_db()
    assert report.narrative == "Narasi"  # the draft itself was saved


def test_a_refused_upload_leaves_no_file_behind(client_for, employee, drafts, settings):
    settings.PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT = 1
    storage = Evidence._meta.get_field("file").storage
    response = post_file(client_for(employee), drafts[0], "besar.pdf", big_pdf(1.5))
    assert response.status_code == HTTPStatus.OK
    assert not Evidence.objects.exists()
    assert not [p for p in Path(storage.location).rglob("*") if p.is_file()]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_to_two_reports_cannot_pass_the_daily_cap_together(settings, monkeypatch):
    """Two uploads of one person at once, each to its own report (two report locks): the
    person's row lock makes the daily count exact. Skipped on SQLite (one writer anyway)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from django.core.exceptions import ValidationError
    from django.db import connections

    from tests.factories import UserFactory

    settings.PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY = 1
    supervisor = UserFactory()
    employee = UserFactory(atasan=supervisor)
    cycle = make_cycle()
    skp = make_skp(employee, cycle)
    period = current_period(cycle)
    earlier = cycle.periods.exclude(pk=period.pk).order_by("start").first()
    reports = [make_report(skp, period), make_report(skp, earlier)]
    barrier = threading.Barrier(2)
    content = pdf_bytes()
    checked = evidence_services._check_evidence_caps

    def slow_check(**kwargs):  # both requests are past the check before either commits
        checked(**kwargs)
        time.sleep(0.5)

    monkeypatch.setattr(evidence_services, "_check_evidence_caps", slow_check)

    def add(report) -> bool:
        try:
            barrier.wait(timeout=10)
            services.add_evidence_file(
                actor=employee, report=report, upload=upload("bukti.pdf", content)
            )
            return True
        except ValidationError:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(add, reports))
    assert sorted(results) == [False, True]
    assert Evidence.objects.count() == 1
