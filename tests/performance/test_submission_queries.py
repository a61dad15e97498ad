"""The deadline-hour request: "Simpan dan ajukan" on the report page. Its query count is fixed
(benchmarks/bench_submission.py measures its throughput) and does not grow with the indicators."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaderboard.models import PointEntry
from leaderboard.services import award_points
from performance import services
from performance.models import Indicator, Notification, Realisasi, ReportEvent

from .factories import make_report, make_skp

pytestmark = pytest.mark.django_db

# The whole POST: session, the user with their groups (2); the SKP with the indicators, the
# report then read once, locked (1); the lock, one realisasi upsert, evidence + earlier
# reports + the training gate in one query, the report update, the event (5); the on-time
# points in leaderboard.award_points (the ledger entry, both scores in one upsert, the badge
# check: 3); the notification (1); the service's transaction (2: a savepoint inside the
# test's transaction). It was 44 with 2 indicators and 80 with 8 before save and submit
# shared one transaction and one upsert, 24 before award_points became three statements (it
# read the key, used savepoints, updated each score, read the level and counted per badge),
# 16 before the training gate joined the facts and the view stopped reading the report
# before the service's locked read.
SUBMISSION_QUERIES = 14


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    """The count above reads the session from the database; with REDIS_URL the portal reads
    it from the cache (one query fewer), so the engine is fixed here."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _draft(employee, cycle, period, parent, indicators: int):
    # Points from the training already (the scores exist: the award updates them).
    award_points(user=employee, points=50, reason="module_completed", key=f"m:{employee.pk}")
    skp = make_skp(employee, cycle, parent=parent, indicators=indicators)
    report = make_report(skp, period, filled=False)
    services.add_evidence_link(actor=employee, report=report, url="https://contoh.go.id/bukti")
    ids = list(Indicator.objects.filter(rhk__skp=skp).values_list("pk", flat=True))
    return report, ids


def _post(client, report, ids, *, submit=True, value="8,5"):
    data = {"narrative": "Semua kegiatan selesai.", **{f"realisasi_{pk}": value for pk in ids}}
    if submit:
        data["ajukan"] = ""
    return client.post(reverse("performance:report_save", args=[report.pk]), data)


def test_save_and_submit_writes_everything_once(
    client_for, employee, cycle, period, supervisor_rhk
):
    indicators = 3
    report, ids = _draft(employee, cycle, period, supervisor_rhk, indicators)
    response = _post(client_for(employee), report, ids)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == "diajukan" and report.on_time is True
    assert report.narrative == "Semua kegiatan selesai."
    assert set(report.realisasi.values_list("value", flat=True)) == {Decimal("8.5")}
    assert report.realisasi.count() == indicators
    assert ReportEvent.objects.filter(report=report, to_status="diajukan").count() == 1
    assert PointEntry.objects.filter(key=f"report:{report.pk}:on_time").count() == 1
    assert Notification.objects.filter(recipient=report.skp.pejabat_penilai).count() == 1


@pytest.mark.parametrize("indicators", [2, 8])
def test_submission_query_count_does_not_grow_with_indicators(
    client_for, employee, cycle, period, supervisor_rhk, indicators, django_assert_num_queries
):
    report, ids = _draft(employee, cycle, period, supervisor_rhk, indicators)
    client = client_for(employee)
    with django_assert_num_queries(SUBMISSION_QUERIES):
        response = _post(client, report, ids)
    assert response.status_code == HTTPStatus.FOUND
    assert Realisasi.objects.filter(report=report, value=Decimal("8.5")).count() == indicators


def test_saving_updates_every_realisasi_in_one_statement(employee, report):
    """The stored realisasi are replaced (upsert on report + indicator), none added."""
    realisasi = dict.fromkeys(Indicator.objects.for_report(report), Decimal("4.25"))
    with CaptureQueriesContext(connection) as queries:
        services.save_report(actor=employee, report=report, narrative="x", realisasi=realisasi)
    writes = [q["sql"] for q in queries.captured_queries if "performance_realisasi" in q["sql"]]
    assert len(writes) == 1
    assert list(report.realisasi.values_list("value", flat=True)) == [Decimal("4.25")] * len(
        realisasi
    )


def test_refused_submission_keeps_the_saved_draft(client_for, employee, employee_skp, period):
    report = make_report(employee_skp, period, filled=False)  # no evidence
    ids = list(Indicator.objects.filter(rhk__skp=employee_skp).values_list("pk", flat=True))
    response = _post(client_for(employee), report, ids, value="6")
    assert response.status_code == HTTPStatus.OK
    assert "bukti dukung" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draf" and report.submitted_at is None
    assert report.narrative == "Semua kegiatan selesai."  # saved although not submitted
    assert set(report.realisasi.values_list("value", flat=True)) == {Decimal("6")}
    assert not PointEntry.objects.exists()
    assert not ReportEvent.objects.filter(report=report).exists()


def test_invalid_realisasi_saves_nothing_and_submits_nothing(client_for, employee, report):
    services.add_evidence_link(actor=employee, report=report, url="https://contoh.go.id/bukti")
    ids = list(report.realisasi.values_list("indicator_id", flat=True))
    response = _post(client_for(employee), report, ids, value="delapan")
    assert response.status_code == HTTPStatus.OK
    assert "harus berupa angka" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draf" and report.narrative == ""
    assert set(report.realisasi.values_list("value", flat=True)) == {Decimal("3")}
