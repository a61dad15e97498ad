"""Annual ratings, capaian kinerja organisasi, finalisation of a unit."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance.models import AnnualRating, Cycle, Notification, UnitEvaluation
from performance.services import evaluation

from .conftest import give_leader, make_unit, set_capaian

pytestmark = pytest.mark.django_db


def rate_all(unit, ratings):
    for skp, (hasil, perilaku) in zip(unit.skps, ratings, strict=True):
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja=hasil, perilaku_kerja=perilaku
        )


def test_penilai_rates_and_the_predikat_follows_the_matrix(unit):
    rating = evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[0], hasil_kerja="di_atas", perilaku_kerja="di_atas"
    )
    assert rating.predikat == "sangat_baik"
    rating = evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="di_bawah"
    )
    assert AnnualRating.objects.get(skp=unit.skps[0]).predikat == rating.predikat
    assert rating.predikat == "kurang_misconduct"


def test_annual_rating_for_an_open_cycle_is_refused(unit):
    Cycle.objects.filter(pk=unit.skps[0].cycle_id).update(status=Cycle.Status.OPEN)
    with pytest.raises(ValidationError, match="masih terbuka"):
        evaluation.rate_annual(
            actor=unit.penilai, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    assert not AnnualRating.objects.exists()


def test_only_the_penilai_rates(unit):
    for actor in (unit.staff[0], unit.head, unit.staff[1]):
        with pytest.raises(PermissionDenied):
            evaluation.rate_annual(
                actor=actor, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
            )
    assert not AnnualRating.objects.exists()


def test_set_capaian_by_the_leader_above_only_and_known_levels(unit, bkpsdm_admin):
    """Issue 17: the leader above the OPD head sets the capaian (the head no longer does; Admin
    BKPSDM only records a leader outside the portal: tests/evaluation/test_capaian.py)."""
    cycle = unit.skps[0].cycle
    leader = give_leader(unit)
    for actor in (unit.penilai, unit.head, bkpsdm_admin):
        with pytest.raises(PermissionDenied):
            evaluation.set_capaian(actor=actor, cycle=cycle, opd=unit.opd, capaian="baik")
    with pytest.raises(ValidationError, match="capaian"):
        evaluation.set_capaian(actor=leader, cycle=cycle, opd=unit.opd, capaian="luar_biasa")
    assert not UnitEvaluation.objects.exclude(capaian="").exists()
    evaluation.set_capaian(actor=leader, cycle=cycle, opd=unit.opd, capaian="baik")
    evaluation.set_capaian(actor=leader, cycle=cycle, opd=unit.opd, capaian="istimewa")
    assert UnitEvaluation.objects.get(org_unit=unit.opd).capaian == "istimewa"


def test_finalise_needs_justification_when_the_kurva_is_broken_then_locks(unit):
    cycle = unit.skps[0].cycle
    set_capaian(unit, "baik")
    rate_all(unit, [("sesuai", "sesuai")] * 3)  # 100% Baik, nobody Butuh Perbaikan
    assert evaluation.unit_counts(cycle, unit.opd) == {"baik": 3}
    with pytest.raises(ValidationError) as info:
        evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd, justification=" ")
    assert "justification" in info.value.error_dict
    assert not UnitEvaluation.objects.get(org_unit=unit.opd).is_final

    state = evaluation.finalise_unit(
        actor=unit.head, cycle=cycle, opd=unit.opd, justification="Unit kecil, semua sesuai."
    )
    assert state.is_final and len(state.violations) == 2
    assert state.counts == {"baik": 3}
    assert Notification.objects.filter(recipient__in=unit.staff).count() == 3
    with pytest.raises(ValidationError, match="terkunci"):
        evaluation.rate_annual(
            actor=unit.penilai, skp=unit.skps[0], hasil_kerja="di_atas", perilaku_kerja="di_atas"
        )
    with pytest.raises(ValidationError, match="tidak bisa ditetapkan lagi"):
        evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd, justification="x")
    with pytest.raises(ValidationError, match="capaian tidak bisa diubah"):
        evaluation.set_capaian(actor=unit.leader, cycle=cycle, opd=unit.opd, capaian="istimewa")
    assert AnnualRating.objects.get(skp=unit.skps[0]).predikat == "baik"


def test_finalise_without_warning_needs_no_justification(unit):
    cycle = unit.skps[0].cycle
    set_capaian(unit, "baik")
    rate_all(unit, [("sesuai", "sesuai"), ("sesuai", "sesuai"), ("di_bawah", "sesuai")])
    state = evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd)
    assert state.is_final and state.violations == []


def test_finalise_refused_with_unrated_staff_or_without_capaian(unit):
    cycle = unit.skps[0].cycle
    with pytest.raises(ValidationError, match="capaian"):
        evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd, justification="x")
    set_capaian(unit, "istimewa")
    with pytest.raises(ValidationError, match="3 pegawai"):
        evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd, justification="x")
    other = make_unit(cycle, n_staff=1)
    with pytest.raises(PermissionDenied):
        evaluation.finalise_unit(actor=other.head, cycle=cycle, opd=unit.opd, justification="x")
    assert not UnitEvaluation.objects.get(org_unit=unit.opd).is_final


def test_unit_page_shows_pattern_chart_and_broken_rules(unit, client_for):
    cycle = unit.skps[0].cycle
    set_capaian(unit, "baik")
    rate_all(unit, [("sesuai", "sesuai")] * 3)
    client = client_for(unit.head)
    url = reverse("performance:unit_detail", args=[cycle.year, unit.opd.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'id="kurva-data"' in html and "kurva-chart" in html
    assert "paling banyak 70% pegawai berpredikat Baik; sekarang 3 dari 3 (100%)" in html

    finalise = reverse("performance:unit_finalise", args=[cycle.year, unit.opd.pk])
    response = client.post(finalise, {"justification": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "tuliskan alasan" in response.content.decode()
    # Confirmation first (issue 15.4): the counts per predikat, nothing locked yet.
    response = client.post(finalise, {"justification": "Sudah dibahas dengan BKPSDM."})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "3 pegawai akan terkunci" in html and 'name="konfirmasi" value="ya"' in html
    assert 'value="Sudah dibahas dengan BKPSDM."' in html
    assert not UnitEvaluation.objects.get(org_unit=unit.opd).is_final
    back = client.post(
        finalise, {"justification": "Sudah dibahas.", "konfirmasi": "ya", "ubah": "1"}
    )
    assert "Sudah dibahas.</textarea>" in back.content.decode()
    assert not UnitEvaluation.objects.get(org_unit=unit.opd).is_final
    response = client.post(
        finalise, {"justification": "Sudah dibahas dengan BKPSDM.", "konfirmasi": "ya"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert UnitEvaluation.objects.get(org_unit=unit.opd).justification == (
        "Sudah dibahas dengan BKPSDM."
    )
    response = client.post(finalise, {"justification": "lagi"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "tidak bisa ditetapkan lagi" in response.content.decode()


def test_unit_page_hidden_from_others_and_bad_capaian_kept_on_form(unit, client_for):
    cycle = unit.skps[0].cycle
    url = reverse("performance:unit_detail", args=[cycle.year, unit.opd.pk])
    assert client_for(unit.penilai).get(url).status_code == HTTPStatus.NOT_FOUND
    assert client_for(unit.head).get(url).status_code == HTTPStatus.OK
    client = client_for(give_leader(unit))
    assert client.get(url).status_code == HTTPStatus.OK
    assert not UnitEvaluation.objects.exists()  # reading writes nothing
    response = client.post(
        reverse("performance:unit_capaian", args=[cycle.year, unit.opd.pk]), {"capaian": "hebat"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "tidak ada; pilih dari daftar" in response.content.decode()
    assert not UnitEvaluation.objects.exclude(capaian="").exists()


def test_penilai_sees_the_periods_history_and_rates_over_http(unit, client_for):
    from tests.performance.factories import make_report

    skp = unit.skps[0]
    make_report(skp, skp.cycle.periods.first(), status="dinilai")
    client = client_for(unit.penilai)
    url = reverse("performance:annual_detail", args=[skp.pk])
    html = client.get(url).content.decode()
    assert "Riwayat penilaian periodik" in html and "Triwulan I" in html
    response = client.post(
        reverse("performance:annual_rate", args=[skp.pk]),
        {"hasil_kerja": "di_atas", "perilaku_kerja": "sesuai", "note": "Konsisten"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert AnnualRating.objects.get(skp=skp).predikat == "baik"
    response = client.post(reverse("performance:annual_rate", args=[skp.pk]), {"note": "x"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Pilih rating hasil kerja." in response.content.decode()
    assert client_for(unit.staff[1]).get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_refused_annual_rating_says_why_when_the_form_is_not_offered(unit, client_for):
    """A rating posted while the cycle is still open (a stale page, a second tab) is refused
    with the reason on the page, though the page no longer offers the form."""
    skp = unit.skps[0]
    Cycle.objects.filter(pk=skp.cycle_id).update(status=Cycle.Status.OPEN)
    response = client_for(unit.penilai).post(
        reverse("performance:annual_rate", args=[skp.pk]),
        {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "masih terbuka" in html and 'role="alert"' in html
    assert not AnnualRating.objects.filter(skp=skp).exists()
