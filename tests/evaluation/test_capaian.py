"""Capaian kinerja organisasi set by the level above (issue 17), the special rule for the unit
head's rating of hasil kerja, and the rating guidance beside the rating forms."""

import json
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from performance import rules
from performance.models import (
    AnnualRating,
    Keberatan,
    RecordVersion,
    UnitEvaluation,
    rating_guidance,
)
from performance.services import capaian, evaluation, keberatan, leaders
from portal.domain import domain_data
from portal.models import User
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import make_report, make_skp

from .conftest import give_leader, make_unit, set_capaian

pytestmark = pytest.mark.django_db

SHARED_DOMAIN = Path("/work/shared/domain/asn-performance.json")
SEKDA = "Sekretaris Daerah Kota Bandung"
NOTA = "Nota Dinas Sekda 800/17-Org"


def capaian_url(unit, name="unit_capaian"):
    return reverse(f"performance:{name}", args=[unit.skps[0].cycle.year, unit.opd.pk])


def state(unit) -> UnitEvaluation | None:
    return UnitEvaluation.objects.filter(org_unit=unit.opd).first()


# --- who leads whom ---------------------------------------------------------------------------


def test_head_of_opd_is_the_jpt_at_the_root_not_the_one_reporting_to_him(unit):
    asisten = UserFactory(org_unit=unit.opd, jenis_jabatan="jpt", atasan=unit.head)
    assert leaders.head_of_opd(unit.opd) == unit.head
    assert leaders.leads_own_opd(unit.head) == unit.opd
    assert leaders.leads_own_opd(asisten) is None
    assert leaders.leads_own_opd(unit.penilai) is None
    assert leaders.leader_above(unit.opd) is None  # the head has no atasan in the portal
    leader = give_leader(unit)
    assert leaders.leader_above(unit.opd) == leader
    assert list(leaders.opds_led_above(leader)) == [unit.opd]
    assert not leaders.opds_led_above(unit.head).exists()
    User.objects.filter(pk=leader.pk).update(is_active=False)
    assert leaders.leader_above(unit.opd) is None  # an inactive leader is not in the portal


# --- who sets the capaian ---------------------------------------------------------------------


def test_the_leader_above_sets_the_capaian_in_that_capacity(unit):
    leader = give_leader(unit)
    result = set_capaian(unit, "baik")
    assert result.capaian == "baik" and result.capaian_set_by == leader
    assert result.capaian_capacity == UnitEvaluation.CapaianCapacity.PIMPINAN
    assert result.capaian_penetap == f"{leader.full_name}, Sekretaris Daerah"
    assert result.capaian_document_ref == ""


def test_the_head_may_not_set_the_capaian_of_their_own_opd(unit, bkpsdm_admin):
    cycle = unit.skps[0].cycle
    leader = give_leader(unit)
    with pytest.raises(PermissionDenied) as info:
        evaluation.set_capaian(actor=unit.head, cycle=cycle, opd=unit.opd, capaian="istimewa")
    assert "tidak menetapkan capaian kinerja organisasinya sendiri" in str(info.value)
    assert leader.full_name in str(info.value)
    # ...not even as Admin BKPSDM, nor a JPT placed beside him
    unit.head.groups.add(bkpsdm_admin.groups.get())
    asisten = UserFactory(org_unit=unit.opd, jenis_jabatan="jpt", atasan=unit.head)
    for actor in (User.objects.get(pk=unit.head.pk), asisten):
        with pytest.raises(PermissionDenied, match="organisasinya sendiri"):
            evaluation.set_capaian(actor=actor, cycle=cycle, opd=unit.opd, capaian="istimewa")
    assert state(unit) is None


def test_others_may_not_set_it_and_are_told_who_does(unit):
    cycle = unit.skps[0].cycle
    leader = give_leader(unit)
    other = make_unit(cycle, n_staff=1)
    other_leader = give_leader(other)
    for actor in (unit.penilai, unit.staff[0], other.head, other_leader):
        with pytest.raises(PermissionDenied, match=leader.full_name):
            evaluation.set_capaian(actor=actor, cycle=cycle, opd=unit.opd, capaian="baik")
    assert state(unit) is None


def test_bkpsdm_records_a_leader_outside_the_portal_only_with_the_document(unit, bkpsdm_admin):
    cycle = unit.skps[0].cycle
    with pytest.raises(ValidationError) as info:
        evaluation.set_capaian(actor=bkpsdm_admin, cycle=cycle, opd=unit.opd, capaian="baik")
    assert set(info.value.error_dict) == {"penetap", "document_ref"}
    with pytest.raises(ValidationError, match="nomor dokumen"):
        evaluation.set_capaian(
            actor=bkpsdm_admin,
            cycle=cycle,
            opd=unit.opd,
            capaian="baik",
            penetap=SEKDA,
            document_ref="   ",
        )
    assert state(unit) is None
    result = evaluation.set_capaian(
        actor=bkpsdm_admin,
        cycle=cycle,
        opd=unit.opd,
        capaian="baik",
        penetap=f" {SEKDA} ",
        document_ref=NOTA,
    )
    assert result.capaian_capacity == UnitEvaluation.CapaianCapacity.BKPSDM
    assert (result.capaian_penetap, result.capaian_document_ref) == (SEKDA, NOTA)
    assert result.capaian_set_by == bkpsdm_admin


def test_bkpsdm_does_not_record_for_a_leader_who_is_in_the_portal(unit, bkpsdm_admin):
    leader = give_leader(unit)
    with pytest.raises(PermissionDenied, match=leader.full_name):
        evaluation.set_capaian(
            actor=bkpsdm_admin,
            cycle=unit.skps[0].cycle,
            opd=unit.opd,
            capaian="baik",
            penetap=SEKDA,
            document_ref=NOTA,
        )
    assert state(unit) is None


def test_a_recorded_capaian_without_its_document_is_refused_by_the_database(unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitEvaluation.objects.create(
            cycle=unit.skps[0].cycle,
            org_unit=unit.opd,
            capaian="baik",
            capaian_capacity="bkpsdm",
            capaian_penetap=SEKDA,
        )


# --- the special rule --------------------------------------------------------------------------


@pytest.fixture
def head_skp(unit):
    """The head's own SKP, rated by the leader above (their atasan in the portal)."""
    give_leader(unit)
    return make_skp(unit.head, unit.skps[0].cycle)


def rate_head(unit, skp, hasil="di_bawah", perilaku="di_atas"):
    return evaluation.rate_annual(
        actor=unit.leader, skp=skp, hasil_kerja=hasil, perilaku_kerja=perilaku
    )


def test_rating_the_head_waits_for_the_capaian_and_says_who_sets_it(unit, head_skp):
    with pytest.raises(ValidationError, match="belum ditetapkan") as info:
        rate_head(unit, head_skp)
    assert unit.leader.full_name in str(info.value) and unit.opd.name in str(info.value)
    assert not AnnualRating.objects.exists()


def test_the_heads_hasil_kerja_follows_the_capaian_whatever_is_posted(unit, head_skp):
    set_capaian(unit, "baik")
    rating = rate_head(unit, head_skp, hasil="di_bawah", perilaku="di_atas")
    assert rating.rating_hasil_kerja == "sesuai"  # Baik -> Sesuai Ekspektasi
    assert rating.predikat == "baik"
    rating = rate_head(unit, head_skp, hasil="", perilaku="sesuai")
    assert (rating.rating_hasil_kerja, rating.predikat) == ("sesuai", "baik")
    # the staff are rated as before
    staff = evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[0], hasil_kerja="di_bawah", perilaku_kerja="sesuai"
    )
    assert staff.rating_hasil_kerja == "di_bawah"


def test_a_new_capaian_carries_the_heads_rating_along(unit, head_skp):
    set_capaian(unit, "baik")
    rate_head(unit, head_skp, perilaku="di_atas")
    set_capaian(unit, "istimewa")
    rating = AnnualRating.objects.get(skp=head_skp)
    assert (rating.rating_hasil_kerja, rating.predikat) == ("di_atas", "sangat_baik")
    set_capaian(unit, "kurang")
    rating.refresh_from_db()
    assert (rating.rating_hasil_kerja, rating.predikat) == ("di_bawah", "butuh_perbaikan")
    # each carried change is a version of the head's annual rating, saying why
    carried = RecordVersion.objects.filter(kind="penilaian_tahunan", skp=head_skp).order_by("pk")
    assert [v.new["hasil_kerja"] for v in carried] == ["sesuai", "di_atas", "di_bawah"]
    assert "mengikuti capaian kinerja organisasi" in carried.last().reason


def test_the_mapping_is_a_setting(unit, head_skp, settings):
    settings.PERFORMANCE_HEAD_CAPAIAN_RATING = {
        **settings.PERFORMANCE_HEAD_CAPAIAN_RATING,
        "baik": "di_atas",
    }
    set_capaian(unit, "baik")
    assert rate_head(unit, head_skp, perilaku="di_atas").predikat == "sangat_baik"
    settings.PERFORMANCE_HEAD_CAPAIAN_RATING = {"baik": "luar_biasa"}
    with pytest.raises(ImproperlyConfigured, match="PERFORMANCE_HEAD_CAPAIAN_RATING"):
        capaian.head_rating_for("baik")


def test_the_default_mapping_covers_every_capaian_level(settings):
    mapping = settings.PERFORMANCE_HEAD_CAPAIAN_RATING
    assert set(mapping) == set(rules.CAPAIAN_CODES)
    assert [capaian.head_rating_for(code) for code in rules.CAPAIAN_CODES] == [
        "di_atas",
        "sesuai",
        "di_bawah",
        "di_bawah",
        "di_bawah",
    ]


def test_a_changed_decision_on_the_heads_objection_keeps_the_capaian_rating(unit, head_skp):
    wali_kota = UserFactory(org_unit=OrgUnitFactory(), jabatan="Wali Kota")
    User.objects.filter(pk=unit.leader.pk).update(atasan=wali_kota)
    head_skp.atasan_pejabat_penilai = wali_kota
    head_skp.save()
    set_capaian(unit, "baik")
    rate_head(unit, head_skp, perilaku="sesuai")
    for skp in unit.skps:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    evaluation.finalise_unit(
        actor=unit.head, cycle=head_skp.cycle, opd=unit.opd, justification="Unit kecil."
    )
    objection = keberatan.lodge_keberatan(
        actor=unit.head, rating=AnnualRating.objects.get(skp=head_skp), reasons="Perilaku baik."
    )
    keberatan.decide_keberatan(
        actor=wali_kota,
        keberatan=objection,
        decision=Keberatan.Status.DIUBAH,
        note="Perilaku di atas ekspektasi.",
        hasil_kerja="di_bawah",
        perilaku_kerja="di_atas",
    )
    rating = AnnualRating.objects.get(skp=head_skp)
    assert (rating.rating_hasil_kerja, rating.predikat) == ("sesuai", "baik")


# --- pages -------------------------------------------------------------------------------------


def test_unit_page_per_role(unit, client_for, bkpsdm_admin):
    url = capaian_url(unit, "unit_detail")
    # no leader in the portal: Admin BKPSDM records, naming the leader and the document
    html = client_for(bkpsdm_admin).get(url).content.decode()
    assert 'name="penetap"' in html and 'name="document_ref"' in html
    head_page = client_for(unit.head).get(url)
    assert head_page.status_code == HTTPStatus.OK
    html = head_page.content.decode()
    assert 'name="capaian"' not in html and "Admin BKPSDM mencatat penetapannya" in html
    assert "Tetapkan predikat" in html  # finalisation stays with the head

    leader = give_leader(unit)
    page = client_for(leader).get(url)
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert 'name="capaian"' in html and 'name="penetap"' not in html
    assert "Tetapkan predikat" not in html
    html = client_for(unit.head).get(url).content.decode()
    assert f"Capaian ditetapkan oleh {leader.full_name} (Sekretaris Daerah)" in html
    assert 'name="capaian"' not in client_for(bkpsdm_admin).get(url).content.decode()
    other = make_unit(unit.skps[0].cycle, n_staff=1)
    for outsider in (unit.penilai, unit.staff[0], other.head, give_leader(other)):
        assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND


def test_capaian_posts_per_role(unit, client_for, bkpsdm_admin):
    url = capaian_url(unit)
    response = client_for(unit.head).post(url, {"capaian": "istimewa"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "organisasinya sendiri" in response.content.decode()
    assert client_for(unit.penilai).post(url, {"capaian": "baik"}).status_code == 404

    response = client_for(bkpsdm_admin).post(url, {"capaian": "baik", "penetap": SEKDA})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Isi nomor dokumen penetapan" in response.content.decode()
    assert state(unit) is None
    response = client_for(bkpsdm_admin).post(
        url, {"capaian": "baik", "penetap": SEKDA, "document_ref": NOTA}
    )
    assert response.status_code == HTTPStatus.FOUND
    html = client_for(unit.head).get(capaian_url(unit, "unit_detail")).content.decode()
    assert f"Dicatat oleh BKPSDM ({bkpsdm_admin.full_name}) atas penetapan {SEKDA}" in html
    assert NOTA in html

    leader = give_leader(unit)
    response = client_for(bkpsdm_admin).post(
        url, {"capaian": "istimewa", "penetap": SEKDA, "document_ref": NOTA}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    response = client_for(leader).post(url, {"capaian": "istimewa"})
    assert response.status_code == HTTPStatus.FOUND
    assert state(unit).capaian_capacity == "pimpinan"
    html = client_for(unit.head).get(capaian_url(unit, "unit_detail")).content.decode()
    assert f"Ditetapkan oleh {leader.full_name}, Sekretaris Daerah sebagai pimpinan" in html
    finalise = client_for(leader).post(capaian_url(unit, "unit_finalise"), {"justification": "x"})
    assert finalise.status_code == HTTPStatus.NOT_FOUND


def test_annual_home_lists_the_opds_whose_capaian_i_set(unit, client_for):
    leader = give_leader(unit)
    html = client_for(leader).get(reverse("performance:annual_home")).content.decode()
    assert capaian_url(unit, "unit_detail") in html


def test_annual_form_shows_the_derived_rating_and_applies_it(unit, head_skp, client_for):
    client = client_for(unit.leader)
    url = reverse("performance:annual_detail", args=[head_skp.pk])
    html = client.get(url).content.decode()
    assert "rating hasil kerjanya mengikuti capaian kinerja organisasi, yang belum" in html
    assert 'action="' + reverse("performance:annual_rate", args=[head_skp.pk]) not in html
    response = client.post(
        reverse("performance:annual_rate", args=[head_skp.pk]),
        {"hasil_kerja": "di_atas", "perilaku_kerja": "sesuai"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "belum ditetapkan" in response.content.decode()

    set_capaian(unit, "baik")
    html = client.get(url).content.decode()
    assert "Mengikuti capaian kinerja organisasi: Baik." in html
    assert re.search(r'name="hasil_kerja" value="sesuai"[^>]* disabled checked>', html)
    assert not re.search(r'name="perilaku_kerja"[^>]* disabled', html)
    response = client.post(
        reverse("performance:annual_rate", args=[head_skp.pk]),
        {"hasil_kerja": "di_atas", "perilaku_kerja": "di_atas"},
    )
    assert response.status_code == HTTPStatus.FOUND
    rating = AnnualRating.objects.get(skp=head_skp)
    assert (rating.rating_hasil_kerja, rating.predikat) == ("sesuai", "baik")


# --- rating guidance ---------------------------------------------------------------------------


def test_rating_guidance_comes_from_the_domain_data_and_marks_the_cut_text():
    guidance = rating_guidance()
    by_code = {level["code"]: level for level in guidance["levels"]}
    assert list(by_code) == ["di_atas", "sesuai", "di_bawah"]
    source = domain_data()["rating_levels"]["rating_hasil_kerja_guidance"]
    assert by_code["di_atas"] == {
        "code": "di_atas",
        "label": "Di Atas Ekspektasi",
        "text": source["di_atas"],
        "truncated": False,
    }
    sesuai = by_code["sesuai"]
    assert sesuai["truncated"] and source["sesuai"].startswith(sesuai["text"])
    assert sesuai["text"].endswith("hanya sebagian kecil hasil kerja utama yang")
    assert guidance["confidence"] == source["confidence"]


@pytest.mark.skipif(not SHARED_DOMAIN.exists(), reason="the shared domain folder is not here")
def test_the_repos_copy_of_the_rating_data_is_the_shared_one():
    shared = json.loads(SHARED_DOMAIN.read_text(encoding="utf-8"))
    for section in ("rating_levels", "predikat_matrix", "kurva_distribusi"):
        assert domain_data()[section] == shared[section], section


def test_guidance_beside_the_annual_rating_form(unit, client_for):
    html = (
        client_for(unit.penilai)
        .get(reverse("performance:annual_detail", args=[unit.skps[0].pk]))
        .content.decode()
    )
    assert 'id="panduan-rating"' in html
    assert "tidak ada hasil kerja utama yang di bawah ekspektasi" in html
    assert 'data-testid="panduan-terpotong"' in html and "(rest not retrieved)" not in html


def test_guidance_beside_the_periodic_rating_form(unit, client_for):
    skp = unit.skps[0]
    report = make_report(skp, skp.cycle.periods.first(), status="diajukan")
    html = client_for(unit.penilai).get(report.get_absolute_url()).content.decode()
    form = html[html.index('id="penilaian"') :]
    assert 'id="panduan-rating"' in form and 'data-testid="panduan-terpotong"' in form
    assert (
        'id="panduan-rating"'
        not in client_for(unit.staff[0]).get(report.get_absolute_url()).content.decode()
    )
