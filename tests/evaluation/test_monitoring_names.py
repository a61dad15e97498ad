"""Monitoring names who has not reported or not finished the mandatory training, per OPD, before
the deadline too, with XLSX; the OPD table sorts and hides empty OPDs (issue 15.6)."""

import datetime as dt
import io
from http import HTTPStatus

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from performance.models import PeriodicReport, ReportingPeriod
from tests.factories import OrgUnitFactory
from tests.performance.factories import make_cycle, make_report

from .conftest import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def open_period(cycle):
    """A period whose due date is still ahead: nobody is 'late' yet."""
    period = ReportingPeriod.objects.current(cycle)
    period.due_date = max(period.end, timezone.localdate()) + dt.timedelta(days=30)
    period.save()
    return period


def four_behind(cycle, period):
    """6 staff: 1 on time, 1 late, 4 not in (one with a draft)."""
    unit = make_unit(cycle, n_staff=6)
    make_report(unit.skps[0], period, status="diajukan")
    late = make_report(unit.skps[1], period, status="diajukan")
    PeriodicReport.objects.filter(pk=late.pk).update(on_time=False)
    make_report(unit.skps[2], period, status="draf")
    return unit


def test_names_of_who_has_not_reported_before_the_deadline(
    cycle, open_period, bkpsdm_admin, client_for
):
    unit = four_behind(cycle, open_period)
    assert not open_period.is_overdue
    response = client_for(bkpsdm_admin).get(
        reverse("performance:monitoring_late", args=[unit.opd.pk]), {"periode": open_period.pk}
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for person in unit.staff[1:]:
        assert person.full_name in html
    assert unit.staff[0].full_name not in html
    assert html.count("Belum diajukan") == 4


def test_names_xlsx_per_opd_and_city(cycle, open_period, bkpsdm_admin, client_for):
    unit = four_behind(cycle, open_period)
    other = four_behind(cycle, open_period)
    client = client_for(bkpsdm_admin)
    url = reverse("performance:monitoring_names_xlsx")
    response = client.get(url, {"periode": open_period.pk, "opd": unit.opd.pk})
    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "private, no-store"
    assert "belum-lapor-" in response["Content-Disposition"]
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][:3] == ("Perangkat daerah", "NIP", "Nama")
    assert sorted(r[2] for r in rows[1:]) == sorted(p.full_name for p in unit.staff[1:])
    assert {r[0] for r in rows[1:]} == {unit.opd.name}
    city = client.get(url, {"periode": open_period.pk})
    names = [
        r[2]
        for r in load_workbook(io.BytesIO(b"".join(city.streaming_content))).active.iter_rows(
            values_only=True
        )
    ][1:]
    assert len(names) == 10 and other.staff[3].full_name in names


def test_opd_head_gets_only_their_opd(cycle, open_period, client_for):
    unit = four_behind(cycle, open_period)
    other = four_behind(cycle, open_period)
    client = client_for(unit.head)
    url = reverse("performance:monitoring_names_xlsx")
    assert client.get(url, {"periode": open_period.pk, "opd": other.opd.pk}).status_code == 404
    assert (
        client.get(
            reverse("performance:monitoring_late", args=[other.opd.pk]), {"periode": open_period.pk}
        ).status_code
        == 404
    )
    response = client.get(url, {"periode": open_period.pk})
    names = [
        r[2]
        for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    ][1:]
    assert other.staff[3].full_name not in names and unit.staff[3].full_name in names


def test_names_of_who_has_not_finished_the_mandatory_module(
    cycle, open_period, bkpsdm_admin, client_for
):
    from tests.training.factories import make_module
    from training.editorial import ensure_training_index
    from training.models import Certificate

    module = make_module(ensure_training_index(django_apps), lessons=1, mandatory=True)
    unit = make_unit(cycle, n_staff=2)
    Certificate.objects.create(
        user=unit.staff[0],
        module=module,
        holder_name=unit.staff[0].full_name,
        holder_nip=unit.staff[0].nip,
        module_title=module.title,
        jp=3,
        issued_at=timezone.now() - dt.timedelta(days=1),
    )
    client = client_for(bkpsdm_admin)
    html = client.get(
        reverse("performance:monitoring_late", args=[unit.opd.pk]),
        {"periode": open_period.pk, "daftar": "pelatihan"},
    ).content.decode()
    assert unit.staff[1].full_name in html and unit.head.full_name in html
    assert unit.staff[0].full_name not in html
    response = client.get(
        reverse("performance:monitoring_names_xlsx"),
        {"periode": open_period.pk, "daftar": "pelatihan", "opd": unit.opd.pk},
    )
    names = [
        r[2]
        for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    ][1:]
    assert sorted(names) == sorted(
        [unit.staff[1].full_name, unit.head.full_name, unit.penilai.full_name]
    )


def test_opd_table_hides_empty_opds_and_puts_the_worst_first(
    cycle, open_period, bkpsdm_admin, client_for
):
    good = make_unit(cycle, n_staff=2)
    for skp in good.skps:
        make_report(skp, open_period, status="diajukan")
    bad = four_behind(cycle, open_period)
    empty = OrgUnitFactory(name="Dinas Tanpa Pegawai")
    client = client_for(bkpsdm_admin)
    url = reverse("performance:monitoring")
    html = client.get(url, {"periode": open_period.pk}).content.decode()
    assert empty.name not in html
    assert html.index(bad.opd.name) < html.index(good.opd.name)
    html = client.get(
        url, {"periode": open_period.pk, "kosong": "1", "urut": "nama"}
    ).content.decode()
    assert empty.name in html
    by_name = sorted([good.opd.name, bad.opd.name, empty.name], key=str.lower)
    positions = [html.index(f"<td>{name}</td>") for name in by_name]
    assert positions == sorted(positions)


def count_queries(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == HTTPStatus.OK
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(queries)


def test_name_lists_query_counts_do_not_grow(cycle, open_period, bkpsdm_admin, client):
    client.force_login(bkpsdm_admin)
    unit = four_behind(cycle, open_period)
    urls = [
        (reverse("performance:monitoring_late", args=[unit.opd.pk]), {"periode": open_period.pk}),
        (
            reverse("performance:monitoring_late", args=[unit.opd.pk]),
            {"periode": open_period.pk, "daftar": "pelatihan"},
        ),
        (reverse("performance:monitoring_names_xlsx"), {"periode": open_period.pk}),
        (
            reverse("performance:monitoring_names_xlsx"),
            {"periode": open_period.pk, "daftar": "pelatihan"},
        ),
    ]
    for url, data in urls:
        client.get(url, data)  # warm per-process caches
    small = [count_queries(client, url, data) for url, data in urls]
    from tests.factories import UserFactory

    for _ in range(3):
        four_behind(cycle, open_period)
    for n in range(8):
        UserFactory(org_unit=unit.bidang, atasan=unit.penilai, full_name=f"Tambahan {n}")
    large = [count_queries(client, url, data) for url, data in urls]
    assert small == large
