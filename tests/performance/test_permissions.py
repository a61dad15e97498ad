"""Every /kinerja/ URL with other people's ids: hidden (404) from outsiders, read-only for the
atasan pejabat penilai and Admin BKPSDM, login required for everybody."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from performance import services
from performance.models import Cycle, Evidence, PeriodicReport, Rhk, Skp

from .files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(employee, employee_skp, report, period):
    evidence = services.add_evidence_file(
        actor=employee, report=report, upload=upload("bukti.pdf", pdf_bytes())
    )
    rhk = employee_skp.rhks.get()
    return {
        "skp": employee_skp.pk,
        "report": report.pk,
        "period": period.pk,
        "rhk": rhk.pk,
        "indicator": rhk.indicators.first().pk,
        "evidence": evidence.pk,
        "employee": employee.pk,
    }


READS = [
    ("performance:skp_detail", ["skp"]),
    ("performance:report_detail", ["report"]),
    ("performance:evidence_download", ["evidence"]),
]
WRITES = [
    ("performance:rhk_add", ["skp"], {"jenis": "utama", "text": "x"}),
    ("performance:skp_details", ["skp"], {"pendekatan": "kualitatif"}),
    ("performance:skp_expectation", ["skp"], {"value_code": "akuntabel", "text": "x"}),
    ("performance:skp_submit", ["skp"], {}),
    ("performance:skp_approve", ["skp"], {}),
    ("performance:skp_return", ["skp"], {"note": "x"}),
    ("performance:report_start", ["skp", "period"], {}),
    ("performance:rhk_delete", ["rhk"], {}),
    (
        "performance:indicator_add",
        ["rhk"],
        {"aspek": "waktu", "text": "x", "target": "1", "unit": "hari"},
    ),
    ("performance:indicator_delete", ["indicator"], {}),
    ("performance:report_save", ["report"], {"narrative": "diubah"}),
    ("performance:report_submit", ["report"], {}),
    ("performance:evidence_upload", ["report"], {}),
    ("performance:evidence_link", ["report"], {"url": "https://a.id/x"}),
    ("performance:report_return", ["report"], {"note": "x"}),
    ("performance:report_rate", ["report"], {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai"}),
    ("performance:report_feedback", ["report"], {"thread": "nilai-akuntabel", "body": "x"}),
    ("performance:evidence_delete", ["evidence"], {}),
]


def _url(world, name, keys):
    return reverse(name, args=[world[key] for key in keys])


def _snapshot():
    return (
        list(Skp.objects.values_list("pk", "status", "pendekatan", "dukungan_sumber_daya")),
        list(Rhk.objects.values_list("pk", "text")),
        list(PeriodicReport.objects.values_list("pk", "status", "narrative", "predikat")),
        list(Evidence.objects.values_list("pk", flat=True)),
    )


@pytest.mark.parametrize(("name", "keys"), READS)
def test_outsider_gets_404_on_reads(client_for, outsider, world, name, keys):
    assert client_for(outsider).get(_url(world, name, keys)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("name", "keys", "data"), WRITES)
def test_outsider_gets_404_on_writes_and_nothing_changes(
    client_for, outsider, world, name, keys, data
):
    before = _snapshot()
    response = client_for(outsider).post(_url(world, name, keys), data)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "keys"), READS)
@pytest.mark.parametrize("who", ["employee", "supervisor", "kepala", "bkpsdm_admin"])
def test_chain_and_admin_can_read(client_for, request, world, who, name, keys):
    user = request.getfixturevalue(who)
    assert client_for(user).get(_url(world, name, keys)).status_code == HTTPStatus.OK


@pytest.mark.parametrize(("name", "keys", "data"), WRITES)
@pytest.mark.parametrize("who", ["kepala", "bkpsdm_admin"])
def test_read_only_people_change_nothing(client_for, request, world, who, name, keys, data):
    user = request.getfixturevalue(who)
    before = _snapshot()
    response = client_for(user).post(_url(world, name, keys), data)
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.OK, HTTPStatus.FOUND)
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "keys"), READS)
def test_anonymous_is_sent_to_login(client, world, name, keys):
    response = client.get(_url(world, name, keys))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response.url


def test_read_only_page_shows_no_edit_controls(client_for, kepala, world):
    page = client_for(kepala).get(reverse("performance:report_detail", args=[world["report"]]))
    body = page.content.decode()
    assert (
        "Simpan draf" not in body and "Unggah berkas" not in body and "Simpan penilaian" not in body
    )


def test_supervisor_cannot_edit_the_employees_draft(client_for, supervisor, world):
    before = _snapshot()
    response = client_for(supervisor).post(
        reverse("performance:report_save", args=[world["report"]]), {"narrative": "diubah"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _snapshot() == before


def test_matrix_of_someone_outside_my_chain_is_hidden(client_for, outsider, supervisor, employee):
    assert (
        client_for(outsider)
        .get(reverse("performance:matrix_for", args=[supervisor.pk]))
        .status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        client_for(employee)
        .get(reverse("performance:matrix_for", args=[supervisor.pk]))
        .status_code
        == HTTPStatus.OK
    )


@pytest.mark.parametrize("who", ["employee", "supervisor", "kepala"])
def test_admin_pages_are_for_admin_bkpsdm_only(client_for, request, who, cycle):
    """One rule for every Admin BKPSDM page (portal.decorators): 403 with the portal page."""
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("performance:admin_cycles")).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.post(
            reverse("performance:admin_cycles"), {"year": 2027, "kind": "monthly", "due_days": 5}
        ).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert (
        client.get(reverse("performance:admin_cycle", args=[cycle.pk])).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert not Cycle.objects.filter(year=2027).exists()


def test_admin_creates_a_cycle_with_monthly_periods_and_closes_one(client_for, bkpsdm_admin):
    client = client_for(bkpsdm_admin)
    response = client.post(
        reverse("performance:admin_cycles"), {"year": 2027, "kind": "monthly", "due_days": 5}
    )
    cycle = Cycle.objects.get(year=2027)
    assert response.url == reverse("performance:admin_cycle", args=[cycle.pk])
    periods = list(cycle.periods.order_by("number"))
    assert len(periods) == 12
    assert (
        periods[1].start.isoformat(),
        periods[1].end.isoformat(),
        periods[1].due_date.isoformat(),
    ) == (
        "2027-02-01",
        "2027-02-28",
        "2027-03-05",
    )
    first = periods[0]
    client.post(
        reverse("performance:admin_cycle", args=[cycle.pk]),
        {"period": first.pk, f"p{first.pk}-due_date": "2027-02-10", f"p{first.pk}-is_closed": "on"},
    )
    first.refresh_from_db()
    assert first.is_closed and first.due_date.isoformat() == "2027-02-10"
    response = client.post(
        reverse("performance:admin_cycle", args=[cycle.pk]),
        {"period": first.pk, f"p{first.pk}-due_date": "2027-01-01"},
    )
    assert response.status_code == HTTPStatus.OK  # due before the end: refused
    first.refresh_from_db()
    assert first.due_date.isoformat() == "2027-02-10"
    response = client.post(
        reverse("performance:admin_cycles"), {"year": 2027, "kind": "quarterly", "due_days": 5}
    )
    assert "sudah ada" in response.content.decode()
