"""Monitoring figures against known data; query counts flat in the number of OPDs; XLSX; PDF."""

import datetime as dt
import io
import time
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from leaderboard.models import Recognition
from performance.exports import predikat_headers, xlsx_response
from performance.models import PeriodicReport
from performance.monitoring import late_people, monitoring_rows
from performance.services import evaluation
from tests.factories import UserFactory
from tests.performance.factories import make_cycle, make_report

from .conftest import make_unit, set_capaian

pytestmark = pytest.mark.django_db


def recognise(giver, receiver, n, period):
    day = period.start + dt.timedelta(days=1)
    return Recognition.objects.create(
        created_at=dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone()),
        giver=giver,
        receiver=receiver,
        value="berorientasi_pelayanan",
        message="Terima kasih",
        season=timezone.localdate().strftime("%Y-%m"),
        key=f"uji-{giver.pk}-{receiver.pk}-{n}",
    )


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def period(cycle):
    # The first quarter: its due date has passed whenever the tests run after April.
    return cycle.periods.order_by("start").first()


def fill(unit, period):
    """staff 0: on time and rated; staff 1: late; staff 2: nothing; staff 3: draft."""
    make_report(unit.skps[0], period, status="dinilai")
    late = make_report(unit.skps[1], period, status="diajukan")
    PeriodicReport.objects.filter(pk=late.pk).update(on_time=False)
    make_report(unit.skps[3], period, status="draf")
    recognise(unit.penilai, unit.staff[0], 1, period)
    recognise(unit.penilai, unit.staff[1], 2, period)
    recognise(unit.penilai, unit.staff[2], 3, period.cycle.periods.order_by("start").last())


def test_figures_per_opd_against_known_data(cycle, period):
    unit = make_unit(cycle, n_staff=4)
    fill(unit, period)
    other = make_unit(cycle, n_staff=1)
    [row, other_row] = monitoring_rows(period, [unit.opd, other.opd])
    assert row.employees == 6  # head, penilai, 4 staff
    assert (row.skp_approved, row.on_time, row.late, row.rated, row.missing) == (4, 1, 1, 1, 2)
    assert row.recognitions == 2
    assert row.training == (6, 6)  # no mandatory module live: nothing to complete
    assert (other_row.skp_approved, other_row.on_time, other_row.missing) == (1, 0, 1)


def test_training_completion_counts_holders_of_every_mandatory_module(cycle, period):
    from django.apps import apps as django_apps

    from tests.training.factories import certify, make_module
    from training.editorial import ensure_training_index

    index = ensure_training_index(django_apps)
    modules = [make_module(index, lessons=1, mandatory=True) for _ in range(2)]
    unit = make_unit(cycle, n_staff=3)
    issued = dt.datetime.combine(period.start, dt.time(9), tzinfo=timezone.get_current_timezone())

    certify(unit.staff[0], modules[0], issued)
    certify(unit.staff[0], modules[1], issued)
    certify(unit.staff[1], modules[0], issued)  # only one of two: not complete
    [row] = monitoring_rows(period, [unit.opd])
    assert row.training == (1, 5)


def test_late_people_drill_down(cycle, period, bkpsdm_admin, client_for):
    unit = make_unit(cycle, n_staff=4)
    fill(unit, period)
    names = [skp.employee.full_name for skp in late_people(period, unit.opd)]
    expected = [unit.staff[1].full_name, unit.staff[2].full_name, unit.staff[3].full_name]
    if period.is_overdue:
        assert sorted(names) == sorted(expected)
    response = client_for(bkpsdm_admin).get(
        reverse("performance:monitoring_late", args=[unit.opd.pk]), {"periode": period.pk}
    )
    assert response.status_code == HTTPStatus.OK
    assert unit.staff[1].full_name in response.content.decode()
    assert unit.staff[0].full_name not in response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_query_count_does_not_grow_with_opds_or_employees(cycle, period, bkpsdm_admin, client):
    client.force_login(bkpsdm_admin)
    url = reverse("performance:monitoring") + f"?periode={period.pk}"
    for _ in range(2):
        fill(make_unit(cycle, n_staff=4), period)
    client.get(url)  # warm the per-process caches (site, menus)
    small = count_queries(client, url)
    for _ in range(8):
        fill(make_unit(cycle, n_staff=6), period)
    large = count_queries(client, url)
    assert small == large
    xlsx = reverse("performance:monitoring_xlsx") + f"?periode={period.pk}"
    assert count_queries(client, xlsx) == count_queries(client, xlsx)


def test_monitoring_is_for_admin_and_opd_heads_only(cycle, period, client_for):
    unit = make_unit(cycle, n_staff=2)
    other = make_unit(cycle, n_staff=1)
    url = reverse("performance:monitoring") + f"?periode={period.pk}"
    assert client_for(unit.penilai).get(url).status_code == HTTPStatus.NOT_FOUND
    html = client_for(unit.head).get(url).content.decode()
    assert unit.opd.name in html and other.opd.name not in html


def test_monitoring_xlsx_opens_with_headers_and_rows(cycle, period, bkpsdm_admin, client_for):
    unit = make_unit(cycle, n_staff=4)
    fill(unit, period)
    response = client_for(bkpsdm_admin).get(
        reverse("performance:monitoring_xlsx"), {"periode": period.pk}
    )
    assert response.status_code == HTTPStatus.OK
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Perangkat daerah",
        "Pegawai",
        "SKP disetujui",
        "Laporan tepat waktu",
        "Laporan terlambat",
        "Belum lapor",
        "Laporan dinilai",
    )
    row = next(r for r in rows if r[0] == unit.opd.name)
    assert row[1:7] == (6, 4, 1, 1, 2, 1)


def test_predikat_xlsx_per_opd(unit, client_for):
    cycle = unit.skps[0].cycle
    for skp in unit.skps:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="di_atas", perilaku_kerja="sesuai"
        )
    other = make_unit(cycle, n_staff=1)
    evaluation.rate_annual(
        actor=other.penilai, skp=other.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    response = client_for(unit.head).get(reverse("performance:predikat_xlsx", args=[cycle.year]))
    assert response.status_code == HTTPStatus.OK
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert list(rows[0]) == [
        "NIP",
        "Nama",
        "Jabatan",
        "Unit",
        "Periode",
        "Rating hasil kerja",
        "Rating perilaku kerja",
        "Predikat",
    ]
    assert len(rows) == 4
    person = unit.staff[0]
    assert (person.nip, person.full_name, person.jabatan, unit.bidang.name) in [r[:4] for r in rows]
    assert {r[4:] for r in rows[1:]} == {
        (f"Tahunan {cycle.year}", "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Baik")
    }
    assert other.staff[0].nip not in [r[0] for r in rows]


def test_xlsx_for_16000_rows_is_built_quickly():
    rows = (
        [f"1990010120200110{n % 100:02d}", f"Pegawai {n}", "Analis", "Bidang", "Tahunan 2026"]
        + ["Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"]
        for n in range(16_000)
    )
    started = time.perf_counter()
    response = xlsx_response("uji.xlsx", "Predikat", predikat_headers(), rows)
    content = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - started
    print(f"16,000-row XLSX built in {elapsed:.2f}s, {len(content) // 1024} KiB")  # noqa: T201
    assert elapsed < 20
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 16_001


def test_evaluation_pdf_contains_name_nip_and_predikat(unit, client_for):
    skp = unit.skps[0]
    set_capaian(unit, "baik")
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="di_atas", perilaku_kerja="di_atas"
    )
    response = client_for(unit.staff[0]).get(reverse("performance:evaluation_pdf", args=[skp.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        unit.staff[0].full_name,
        unit.staff[0].nip,
        "Sangat Baik",
        unit.penilai.full_name,
        unit.head.full_name,
        "CAPAIAN KINERJA ORGANISASI",
        "PERILAKU KERJA",
        "Berorientasi Pelayanan",
    ):
        assert expected in text

    period = skp.cycle.periods.order_by("start").first()
    make_report(skp, period, status="dinilai")
    response = client_for(unit.penilai).get(
        reverse("performance:evaluation_pdf", args=[skp.pk]), {"periode": period.pk}
    )
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert unit.staff[0].nip in text and "Baik" in text and "Triwulan I" in text
    stranger = UserFactory()
    url = reverse("performance:evaluation_pdf", args=[skp.pk])
    assert client_for(stranger).get(url).status_code == HTTPStatus.NOT_FOUND


def test_city_wide_predikat_xlsx_queries_do_not_grow(closed_cycle, bkpsdm_admin, client):
    client.force_login(bkpsdm_admin)
    url = reverse("performance:predikat_xlsx", args=[closed_cycle.year])

    def add_units(n):
        for _ in range(n):
            unit = make_unit(closed_cycle, n_staff=2)
            for skp in unit.skps:
                evaluation.rate_annual(
                    actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
                )

    add_units(2)
    client.get(url)
    small = count_queries(client, url)
    add_units(8)
    assert count_queries(client, url) == small
    rows = list(
        load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1 + 20
