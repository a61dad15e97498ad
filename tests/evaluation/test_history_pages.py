"""The history on the employee's pages, the correction page, the audit view and its export."""

import io
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from performance.models import AnnualRating, Cycle, RecordVersion, Skp
from performance.services import corrections, evaluation
from portal.models import User
from tests.factories import UserFactory

from .conftest import make_unit, set_capaian

pytestmark = pytest.mark.django_db

DOCUMENTED = {"reason": "Salah input nilai", "document_ref": "800/123/BKPSDM/2026"}
HISTORY = reverse("performance:admin_history")
EXPORT = reverse("performance:admin_history_xlsx")


@pytest.fixture
def corrected(unit, bkpsdm_admin):
    """The first employee rated Butuh Perbaikan, corrected by Admin BKPSDM to Baik."""
    skp = unit.skps[0]
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="di_bawah", perilaku_kerja="sesuai"
    )
    corrections.correct_annual_rating(
        actor=bkpsdm_admin, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai", **DOCUMENTED
    )
    return unit


def history_section(html: str) -> str:
    return html[html.index('id="riwayat-perubahan"') :]


def rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


# --- the employee's pages --------------------------------------------------------------------


def test_the_employee_reads_the_correction_on_their_annual_page(corrected, client_for):
    url = reverse("performance:annual_detail", args=[corrected.skps[0].pk])
    response = client_for(corrected.staff[0]).get(url)
    assert response.status_code == HTTPStatus.OK
    section = history_section(response.content.decode())
    assert "Riwayat perubahan" in section
    assert "Koreksi Admin BKPSDM" in section
    assert "predikat Butuh Perbaikan" in section and "predikat Baik" in section
    assert DOCUMENTED["reason"] in section and DOCUMENTED["document_ref"] in section
    assert section.index("Koreksi Admin BKPSDM") < section.index("Penilaian ·")  # newest first
    assert "Koreksi (Admin BKPSDM)" not in section  # no correction link for the employee


@pytest.mark.parametrize(("who", "status"), [("penilai", 200), ("head", 200), ("other", 404)])
def test_the_history_follows_the_page_access(corrected, client_for, who, status):
    user = {
        "penilai": corrected.penilai,
        "head": corrected.head,  # atasan pejabat penilai
        "other": corrected.staff[1],
    }[who]
    url = reverse("performance:annual_detail", args=[corrected.skps[0].pk])
    response = client_for(user).get(url)
    assert response.status_code == status
    if status == HTTPStatus.OK:
        assert DOCUMENTED["document_ref"] in history_section(response.content.decode())


def test_admin_sees_the_history_and_the_way_to_correct(corrected, client_for, bkpsdm_admin):
    skp = corrected.skps[0]
    html = client_for(bkpsdm_admin).get(reverse("performance:annual_detail", args=[skp.pk]))
    section = history_section(html.content.decode())
    assert reverse("performance:admin_correction", args=[skp.pk]) in section


def test_the_skp_page_shows_rater_and_perubahan_versions(unit, client_for, bkpsdm_admin):
    Cycle.objects.filter(pk=unit.skps[0].cycle_id).update(status=Cycle.Status.OPEN)
    skp = unit.skps[0]
    right = UserFactory(org_unit=unit.bidang, atasan=unit.head, full_name="Rina Penilai Benar")
    corrections.correct_penilai(actor=bkpsdm_admin, skp=skp, penilai=right, **DOCUMENTED)
    corrections.reopen_skp(
        actor=bkpsdm_admin, skp=skp, reason="Tugas baru dari Wali Kota", document_ref="SK 12/2026"
    )
    response = client_for(unit.staff[0]).get(skp.get_absolute_url())
    section = history_section(response.content.decode())
    assert "Perubahan SKP" in section and "Pejabat penilai" in section
    assert f"{unit.penilai.full_name} ({unit.penilai.nip})" in section  # the old rater stays
    assert "Rina Penilai Benar" in section and "Tugas baru dari Wali Kota" in section
    assert f"Disetujui · 1 RHK: RHK {unit.staff[0].full_name}" in section
    assert "SK 12/2026" in section
    # the annual page lists only the annual rating's versions
    annual = client_for(unit.staff[0]).get(reverse("performance:annual_detail", args=[skp.pk]))
    assert "Belum ada perubahan yang tercatat." in history_section(annual.content.decode())


def test_the_unit_page_shows_capaian_versions_and_the_recount(unit, client_for, bkpsdm_admin):
    cycle = unit.skps[0].cycle
    set_capaian(unit, "istimewa")  # by the leader above the head (issue 17)
    set_capaian(unit, "baik")
    for skp in unit.skps:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd, justification="Kecil")
    corrections.correct_annual_rating(
        actor=bkpsdm_admin,
        skp=unit.skps[0],
        hasil_kerja="di_bawah",
        perilaku_kerja="sesuai",
        **DOCUMENTED,
    )
    url = reverse("performance:unit_detail", args=[cycle.year, unit.opd.pk])
    section = history_section(client_for(unit.head).get(url).content.decode())
    assert "Istimewa" in section and "Rekap predikat unit" in section
    assert "Baik 3" in section and "Baik 2, Butuh Perbaikan 1" in section


# --- the correction page ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["employee", "penilai", "head"])
def test_only_admin_opens_the_correction_page(corrected, client_for, who):
    user = {"employee": corrected.staff[0], "penilai": corrected.penilai, "head": corrected.head}
    url = reverse("performance:admin_correction", args=[corrected.skps[0].pk])
    assert client_for(user[who]).get(url).status_code == HTTPStatus.FORBIDDEN


def test_admin_corrects_over_http_and_a_missing_document_is_said_in_indonesian(
    unit, client_for, bkpsdm_admin
):
    skp = unit.skps[0]
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    client = client_for(bkpsdm_admin)
    page = client.get(reverse("performance:admin_correction", args=[skp.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "Koreksi penilaian tahunan" in page.content.decode()
    url = reverse("performance:correct_rating", args=[skp.pk])
    data = {"nilai-hasil_kerja": "di_atas", "nilai-perilaku_kerja": "di_atas"}
    response = client.post(url, {**data, "nilai-reason": "Salah input"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tuliskan nomor atau rujukan dokumen dasar koreksi" in response.content.decode()
    assert AnnualRating.objects.get(skp=skp).predikat == "baik"
    response = client.post(
        url, {**data, "nilai-reason": "Salah input", "nilai-document_ref": "ND 1/2026"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert AnnualRating.objects.get(skp=skp).predikat == "sangat_baik"


def test_penilai_and_perubahan_forms_over_http(unit, client_for, bkpsdm_admin):
    Cycle.objects.filter(pk=unit.skps[0].cycle_id).update(status=Cycle.Status.OPEN)
    skp = unit.skps[0]
    client = client_for(bkpsdm_admin)
    url = reverse("performance:correct_penilai", args=[skp.pk])
    response = client.post(
        url, {"penilai-penilai_nip": "199999999999999999", "penilai-reason": "x"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tidak ada pegawai dengan NIP 199999999999999999" in response.content.decode()
    right = UserFactory(org_unit=unit.bidang, atasan=unit.head)
    response = client.post(
        url,
        {
            "penilai-penilai_nip": right.nip,
            "penilai-reason": "Salah atasan",
            "penilai-document_ref": "SK 7",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Skp.objects.get(pk=skp.pk).pejabat_penilai == right
    response = client.post(
        reverse("performance:reopen_skp", args=[skp.pk]),
        {"perubahan-reason": "Tugas baru", "perubahan-document_ref": "ND 9"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Skp.objects.get(pk=skp.pk).status == Skp.Status.DIKEMBALIKAN


# --- the audit view --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [HISTORY, EXPORT])
def test_the_audit_view_and_export_are_for_admin_bkpsdm_only(corrected, client, client_for, url):
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the login page
    for user in (corrected.staff[0], corrected.penilai, corrected.head):
        assert client_for(user).get(url).status_code == HTTPStatus.FORBIDDEN


def test_the_audit_view_lists_every_version_with_old_new_and_why(
    corrected, client_for, bkpsdm_admin
):
    response = client_for(bkpsdm_admin).get(HISTORY)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert corrected.staff[0].full_name in html and corrected.staff[0].nip in html
    assert "Butuh Perbaikan" in html and DOCUMENTED["document_ref"] in html
    assert corrected.opd.name in html and "2 perubahan." in html


def test_the_audit_view_filters(corrected, client_for, bkpsdm_admin):
    other = make_unit(corrected.skps[0].cycle, n_staff=1)
    evaluation.rate_annual(
        actor=other.penilai, skp=other.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    set_capaian(other, "baik")
    client = client_for(bkpsdm_admin)
    me, them = corrected.staff[0], other.staff[0]
    # names the search tells apart (generated names share titles such as "R." or "S.Kom.")
    User.objects.filter(pk=me.pk).update(full_name="Dimas Pratama")
    User.objects.filter(pk=them.pk).update(full_name="Wulan Sekarsari")
    me.refresh_from_db()
    them.refresh_from_db()

    def listed(**query) -> str:
        return client.get(HISTORY, query).content.decode()

    html = listed(q=me.nip)
    assert me.full_name in html and them.full_name not in html
    html = listed(q=them.full_name.split()[0].lower())
    assert them.full_name in html and me.nip not in html
    html = listed(opd=other.opd.pk)
    assert them.full_name in html and me.full_name not in html and "Capaian kinerja" in html
    html = listed(jenis="capaian_organisasi")
    assert "2 perubahan." not in html and them.full_name not in html and "1 perubahan." in html
    later = Cycle.objects.create(year=corrected.skps[0].cycle.year + 1)
    assert "Tidak ada perubahan yang cocok" in listed(tahun=later.year)
    html = listed(tahun=later.year + 1, q=them.nip)  # no such cycle: said, the rest applies
    assert 'role="alert"' in html and them.full_name in html and me.full_name not in html
    response = client.get(HISTORY, {"opd": "bukan-angka"})  # a bad filter lists, says why
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert me.full_name in html and them.full_name in html and 'role="alert"' in html


def test_the_audit_view_pages_with_the_filters_kept(unit, client_for, bkpsdm_admin):
    cycle = unit.skps[0].cycle
    RecordVersion.objects.bulk_create(
        RecordVersion(
            kind="penilaian_tahunan",
            object_id=n,
            skp=unit.skps[0],
            employee=unit.staff[0],
            org_unit=unit.opd,
            cycle=cycle,
            new={"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", "predikat": "baik"},
            actor=unit.penilai,
            via="penilaian",
        )
        for n in range(55)
    )
    client = client_for(bkpsdm_admin)
    html = client.get(HISTORY, {"opd": unit.opd.pk}).content.decode()
    assert "1 / 2" in html and f"opd={unit.opd.pk}&amp;halaman=2" in html
    html = client.get(HISTORY, {"opd": unit.opd.pk, "halaman": 2}).content.decode()
    assert html.count(f"<td>{unit.opd.name} · {cycle.year}</td>") == 5


def _versions_for(units, admin):
    for unit in units:
        for skp in unit.skps:
            evaluation.rate_annual(
                actor=unit.penilai, skp=skp, hasil_kerja="di_bawah", perilaku_kerja="sesuai"
            )
            corrections.correct_annual_rating(
                actor=admin, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai", **DOCUMENTED
            )


def test_the_audit_view_costs_the_same_queries_for_many_rows(
    closed_cycle, client_for, bkpsdm_admin
):
    client = client_for(bkpsdm_admin)
    _versions_for([make_unit(closed_cycle, n_staff=1)], bkpsdm_admin)
    client.get(HISTORY)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HISTORY).status_code == HTTPStatus.OK
    _versions_for([make_unit(closed_cycle, n_staff=3) for _ in range(3)], bkpsdm_admin)
    with CaptureQueriesContext(connection) as many:
        html = client.get(HISTORY).content.decode()
    assert "20 perubahan." in html
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- the export ------------------------------------------------------------------------------


def test_the_export_has_indonesian_headers_the_rows_and_no_store(
    corrected, client_for, bkpsdm_admin
):
    cycle = corrected.skps[0].cycle
    response = client_for(bkpsdm_admin).get(EXPORT, {"opd": corrected.opd.pk, "tahun": cycle.year})
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    scope = corrected.opd.code.lower() if corrected.opd.code else corrected.opd.pk
    assert (
        f'filename="riwayat-perubahan-{scope}-{cycle.year}.xlsx"'
        in (response["Content-Disposition"])
    )
    header, *data = rows(response)
    assert header == (
        "Waktu",
        "NIP",
        "Pegawai",
        "Perangkat daerah",
        "Tahun",
        "Jenis perubahan",
        "Melalui",
        "Sebelumnya",
        "Sesudahnya",
        "Diubah oleh",
        "Alasan",
        "Dokumen dasar",
    )
    correction, first = data
    assert correction[1:7] == (
        corrected.staff[0].nip,
        corrected.staff[0].full_name,
        corrected.opd.name,
        cycle.year,
        "Penilaian tahunan",
        "Koreksi Admin BKPSDM",
    )
    assert "Butuh Perbaikan" in correction[7] and "predikat Baik" in correction[8]
    assert correction[10:] == (DOCUMENTED["reason"], DOCUMENTED["document_ref"])
    assert first[6] == "Penilaian" and first[7] == "—"


def test_the_export_follows_the_filters_and_names_the_city(corrected, client_for, bkpsdm_admin):
    response = client_for(bkpsdm_admin).get(EXPORT, {"jenis": "capaian_organisasi"})
    assert 'filename="riwayat-perubahan-kota-semua.xlsx"' in response["Content-Disposition"]
    assert len(rows(response)) == 1  # the header only


def test_text_typed_by_people_cannot_run_as_a_formula(unit, client_for, bkpsdm_admin):
    skp = unit.skps[0]
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    corrections.correct_annual_rating(
        actor=bkpsdm_admin,
        skp=skp,
        hasil_kerja="di_atas",
        perilaku_kerja="sesuai",
        reason='=HYPERLINK("http://x","klik")',
        document_ref="+62 ND",
    )
    header, correction, _first = rows(client_for(bkpsdm_admin).get(EXPORT))
    assert correction[10] == '\'=HYPERLINK("http://x","klik")'
    assert correction[11] == "'+62 ND"
