"""The e-Kinerja-shaped export (issue 18): the full SKP (RHK, indicators, aspects, targets),
realisasi per period, ratings and predikat, per OPD and per person, XLSX and JSON, with
Indonesian names, safe cells, the right people only, and queries flat in the number of SKPs."""

import io
import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from performance.models import ExpectationKhusus
from performance.services import evaluation
from tests.factories import UserFactory
from tests.performance.factories import make_report

from .conftest import make_unit

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rated_unit(cycle, n_staff: int = 2):
    unit = make_unit(cycle, n_staff=n_staff)
    period = cycle.periods.order_by("start").first()
    for skp in unit.skps:
        make_report(skp, period, status="dinilai")
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="di_atas", perilaku_kerja="sesuai"
        )
    return unit


def test_the_json_of_an_opd_has_the_full_skp_with_realisasi_and_ratings(
    unit, bkpsdm_admin, client_for
):
    cycle = unit.skps[0].cycle
    skp = unit.skps[0]
    ExpectationKhusus.objects.create(
        skp=skp, value_code="berorientasi_pelayanan", text="Ramah", written_by=unit.penilai
    )
    skp.dukungan_sumber_daya = "Kendaraan dinas\nAnggaran"
    skp.save()
    period = cycle.periods.order_by("start").first()
    make_report(skp, period, status="dinilai")
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="di_atas", perilaku_kerja="di_atas"
    )
    url = reverse("performance:ekinerja_opd_json", args=[cycle.year]) + f"?opd={unit.opd.pk}"
    response = client_for(bkpsdm_admin).get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == (
        f'attachment; filename="skp-ekinerja-{cycle.year}-{unit.opd.code}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(body(response))
    assert data["ekspor"] == {"tahun": cycle.year, "perangkat_daerah": [unit.opd.name]}
    assert len(data["skp"]) == len(unit.skps)
    doc = next(d for d in data["skp"] if d["pegawai_yang_dinilai"]["nip"] == skp.employee.nip)
    assert doc["pejabat_penilai_kinerja"]["nama"] == unit.penilai.full_name
    assert doc["atasan_pejabat_penilai_kinerja"]["nip"] == unit.head.nip
    (rhk,) = doc["hasil_kerja"]["utama"]
    assert rhk["rencana_hasil_kerja"] == f"RHK {skp.employee.full_name}"
    (indicator,) = rhk["indikator"]
    assert (indicator["aspek"], indicator["target"], indicator["satuan"]) == (
        "Kuantitas",
        "10",
        "dokumen",
    )
    assert indicator["realisasi"] == [{"periode": str(period), "nilai": "3", "uraian": ""}]
    assert doc["perilaku_kerja"] == [
        {"nilai": "Berorientasi Pelayanan", "ekspektasi_khusus_pimpinan": "Ramah"}
    ]
    assert doc["lampiran"]["dukungan_sumber_daya"] == ["Kendaraan dinas", "Anggaran"]
    (periodic,) = doc["penilaian_periodik"]
    assert (periodic["rating_hasil_kerja"], periodic["predikat"]) == ("Sesuai Ekspektasi", "Baik")
    assert doc["penilaian_tahunan"]["predikat"] == "Sangat Baik"


def test_the_workbook_has_the_sheets_of_the_skp_form_and_safe_cells(unit, client_for):
    cycle = unit.skps[0].cycle
    person = unit.staff[0]
    person.full_name = '=HYPERLINK("http://evil.example","klik")'
    person.save()
    period = cycle.periods.order_by("start").first()
    for skp in unit.skps:
        make_report(skp, period, status="dinilai")
    response = client_for(unit.head).get(
        reverse("performance:ekinerja_opd_xlsx", args=[cycle.year])
    )
    assert response.status_code == HTTPStatus.OK
    assert f"skp-ekinerja-{cycle.year}-{unit.opd.code}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames == ["Hasil kerja", "Perilaku kerja", "Lampiran", "Penilaian"]
    rows = list(book["Hasil kerja"].iter_rows(values_only=True))
    header = rows[0]
    for title in (
        "Rencana hasil kerja",
        "Aspek",
        "Indikator kinerja individu",
        "Target",
        "Realisasi",
    ):
        assert title in header
    line = next(r for r in rows[1:] if r[1] == person.nip)
    assert line[2].startswith("'=")  # written as text, never run
    assert line[header.index("Realisasi")] == "3"
    assert line[header.index("Periode pelaporan")] == str(period)
    ratings = list(book["Penilaian"].iter_rows(values_only=True))
    assert any(r[1] == person.nip and r[-1] == "Baik" for r in ratings[1:])


def test_who_may_export(unit, client_for):
    cycle = unit.skps[0].cycle
    opd_url = reverse("performance:ekinerja_opd_json", args=[cycle.year])
    other = make_unit(cycle, n_staff=1)
    # a head of OPD: their own OPD only
    assert client_for(unit.head).get(opd_url).status_code == HTTPStatus.OK
    assert (
        client_for(unit.head).get(opd_url + f"?opd={other.opd.pk}").status_code
        == HTTPStatus.NOT_FOUND
    )
    # a supervisor or an employee: no OPD export
    assert client_for(unit.penilai).get(opd_url).status_code == HTTPStatus.NOT_FOUND
    assert client_for(unit.staff[0]).get(opd_url).status_code == HTTPStatus.NOT_FOUND
    # one person's SKP: the employee and their raters, not a stranger
    skp_url = reverse("performance:ekinerja_skp_xlsx", args=[unit.skps[0].pk])
    assert client_for(unit.staff[0]).get(skp_url).status_code == HTTPStatus.OK
    assert client_for(unit.penilai).get(skp_url).status_code == HTTPStatus.OK
    assert client_for(UserFactory()).get(skp_url).status_code == HTTPStatus.NOT_FOUND
    assert client_for(other.staff[0]).get(skp_url).status_code == HTTPStatus.NOT_FOUND


def test_one_persons_json_is_named_after_the_nip(unit, client_for):
    skp = unit.skps[0]
    response = client_for(skp.employee).get(reverse("performance:ekinerja_skp_json", args=[skp.pk]))
    assert (
        f"skp-ekinerja-{skp.cycle.year}-{skp.employee.nip}.json" in response["Content-Disposition"]
    )
    data = json.loads(body(response))
    assert [d["pegawai_yang_dinilai"]["nip"] for d in data["skp"]] == [skp.employee.nip]


def test_the_city_export_queries_do_not_grow_with_the_skps(closed_cycle, bkpsdm_admin, client):
    client.force_login(bkpsdm_admin)
    url = reverse("performance:ekinerja_opd_json", args=[closed_cycle.year])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(client.get(url))
        return len(captured.captured_queries)

    rated_unit(closed_cycle)
    client.get(url)
    small = queries()
    for _ in range(4):
        rated_unit(closed_cycle, n_staff=3)
    assert queries() == small
    assert len(json.loads(body(client.get(url)))["skp"]) == 14
