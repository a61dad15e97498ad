"""SKP, training and recognition reads: the document's shape, rights, opt-out, flat queries."""

import pytest
from django.utils import timezone

from leaderboard.models import Badge
from leaderboard.services import award_points
from performance.models import AnnualRating, ExpectationKhusus, UnitEvaluation
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import current_period, make_cycle, make_report, make_skp
from training.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    opd = OrgUnitFactory(code="dinas-uji-api")
    bidang = OrgUnitFactory(code="bidang-uji-api", parent=opd, kind="bidang")
    head = UserFactory(org_unit=opd, jenis_jabatan="jpt", jabatan="Kepala Dinas")
    boss = UserFactory(org_unit=bidang, atasan=head, jabatan="Kepala Bidang")
    staff = UserFactory(org_unit=bidang, atasan=boss, pangkat_golongan="Penata Muda (III/a)")
    cycle = make_cycle()
    boss_skp = make_skp(boss, cycle)
    skp = make_skp(staff, cycle, parent=boss_skp.rhks.get(), indicators=2)
    skp.dukungan_sumber_daya = "Laptop\nAkses internet"
    skp.save()
    ExpectationKhusus.objects.create(
        skp=skp, value_code="akuntabel", text="Tepat waktu", written_by=boss
    )
    make_report(skp, current_period(cycle), status="dinilai")
    AnnualRating.objects.create(
        skp=skp,
        rating_hasil_kerja="sesuai",
        rating_perilaku_kerja="di_atas",
        predikat="baik",
        rated_by=boss,
    )
    UnitEvaluation.objects.create(cycle=cycle, org_unit=opd, capaian="baik")
    return {
        "opd": opd,
        "bidang": bidang,
        "head": head,
        "boss": boss,
        "staff": staff,
        "skp": skp,
        "cycle": cycle,
    }


def test_skp_document_has_the_ekinerja_sections(client, bearer, world):
    staff, boss = world["staff"], world["boss"]
    response = client.get(f"/api/v1/performance/employees/{staff.nip}/skp", **bearer)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["jumlah"] == 1
    doc = body["skp"][0]
    assert doc["pegawai"]["nip"] == staff.nip
    assert doc["pegawai"]["pangkat_golongan"] == "Penata Muda (III/a)"
    assert doc["pejabat_penilai"]["nip"] == boss.nip
    assert doc["atasan_pejabat_penilai"]["nip"] == world["head"].nip
    rhk = doc["hasil_kerja"]["utama"][0]
    assert rhk["rhk_atasan"]["rhk"] == f"RHK {boss.full_name}"
    assert [i["indikator"] for i in rhk["indikator"]] == ["Indikator 1", "Indikator 2"]
    assert rhk["indikator"][0] | {"id": 0} == {
        "id": 0,
        "aspek": "kuantitas",
        "indikator": "Indikator 1",
        "target": 10.0,
        "satuan": "dokumen",
    }
    assert doc["hasil_kerja"]["tambahan"] == []
    values = {v["kode"]: v["ekspektasi_khusus"] for v in doc["perilaku_kerja"]}
    assert len(values) == 7 and values["akuntabel"] == "Tepat waktu"
    assert doc["lampiran"]["dukungan_sumber_daya"] == ["Laptop", "Akses internet"]
    report = doc["laporan_periodik"][0]
    assert report["predikat"] == "baik" and report["rating_hasil_kerja"] == "sesuai"
    assert (
        report["realisasi"][0]["nilai"] == 3.0 and report["realisasi"][0]["capaian_persen"] == 30.0
    )
    assert doc["penilaian_tahunan"] == {
        "rating_hasil_kerja": "sesuai",
        "rating_perilaku_kerja": "di_atas",
        "predikat": "baik",
    }
    assert doc["capaian_kinerja_organisasi"] == "baik"


def test_unit_skp_covers_the_units_below_with_flat_queries(
    client, bearer, world, django_assert_max_num_queries
):
    path = f"/api/v1/performance/units/{world['opd'].code}/skp"

    def count():
        with django_assert_max_num_queries(60) as ctx:
            response = client.get(path, **bearer)
        assert response.status_code == 200
        return response.json()["jumlah"], len(ctx.captured_queries)

    jumlah, few = count()
    assert jumlah == 2
    for _ in range(3):
        person = UserFactory(org_unit=world["bidang"], atasan=world["boss"])
        skp = make_skp(person, world["cycle"], parent=world["skp"].rhks.get(), indicators=3)
        make_report(skp, current_period(world["cycle"]), status="dinilai")
    jumlah, many = count()
    assert jumlah == 5 and many == few


def test_session_reads_only_skps_it_may_see(client, world):
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.get(f"/api/v1/performance/employees/{world['staff'].nip}/skp")
    assert response.status_code == 404
    assert client.get(f"/api/v1/performance/units/{world['opd'].code}/skp").json()["jumlah"] == 0
    client.force_login(world["boss"])  # the pejabat penilai reads it
    response = client.get(f"/api/v1/performance/employees/{world['staff'].nip}/skp")
    assert response.status_code == 200 and response.json()["jumlah"] == 1


def test_unknown_year_404(client, bearer, world):
    response = client.get(
        f"/api/v1/performance/employees/{world['staff'].nip}/skp?tahun=2030", **bearer
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "Siklus kinerja tahun 2030 tidak ada."


def test_training_certificates_and_jp_per_year(client, bearer, world):
    staff = world["staff"]
    now = timezone.now()
    for jp, year in ((4, now.year), (6, now.year), (8, now.year - 1)):
        Certificate.objects.create(
            user=staff,
            holder_name=staff.full_name,
            holder_nip=staff.nip,
            module_title=f"Modul {jp}",
            jp=jp,
            issued_at=now.replace(year=year),
        )
    body = client.get(f"/api/v1/training/employees/{staff.nip}", **bearer).json()
    assert body["jumlah_jp"] == 10 and len(body["sertifikat"]) == 2
    last = client.get(
        f"/api/v1/training/employees/{staff.nip}?tahun={now.year - 1}", **bearer
    ).json()
    assert last["jumlah_jp"] == 8


def test_recognition_respects_opt_out(client, bearer, world):
    staff = world["staff"]
    badge = Badge.objects.create(
        name="Perintis", slug="perintis-uji", description="d", rule="total_points", threshold=1
    )
    award_points(user=staff, points=5, reason="recognition", key="uji-1")
    body = client.get(f"/api/v1/recognition/employees/{staff.nip}", **bearer).json()
    assert body["tampil"] is True and body["poin_total"] == 5 and body["poin_bulan_ini"] == 5
    assert badge.slug in [b["kode"] for b in body["lencana"]]
    staff.board_opt_out = True
    staff.save()
    hidden = client.get(f"/api/v1/recognition/employees/{staff.nip}", **bearer).json()
    assert hidden == {
        "nip": staff.nip,
        "tampil": False,
        "poin_bulan_ini": None,
        "poin_total": None,
        "level": None,
        "lencana": [],
    }
    client.force_login(staff)  # the person themselves still sees their own
    assert client.get(f"/api/v1/recognition/employees/{staff.nip}").json()["poin_total"] == 5
    client.force_login(world["boss"])
    assert client.get(f"/api/v1/recognition/employees/{staff.nip}").json()["tampil"] is False
