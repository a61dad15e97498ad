"""Keberatan: within the deadline, by the employee, decided by the atasan pejabat penilai."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from performance.models import AnnualRating, Keberatan, Notification, UnitEvaluation
from performance.services import evaluation, keberatan

from .conftest import set_capaian

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_unit(unit):
    cycle = unit.skps[0].cycle
    set_capaian(unit, "baik")
    for skp, hasil in zip(unit.skps, ["sesuai", "sesuai", "di_bawah"], strict=True):
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja=hasil, perilaku_kerja="sesuai"
        )
    evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd)
    return unit


def rating_of(unit, n=2):
    return AnnualRating.objects.get(skp=unit.skps[n])


def test_objection_before_finalisation_is_refused(unit):
    rating = evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    with pytest.raises(ValidationError, match="setelah predikat unit ditetapkan"):
        keberatan.lodge_keberatan(actor=unit.staff[0], rating=rating, reasons="Tidak adil")
    assert not Keberatan.objects.exists()


def test_objection_by_someone_else_is_refused(final_unit):
    for actor in (final_unit.staff[0], final_unit.penilai, final_unit.head):
        with pytest.raises(PermissionDenied):
            keberatan.lodge_keberatan(actor=actor, rating=rating_of(final_unit), reasons="x")
    assert not Keberatan.objects.exists()


@pytest.mark.parametrize(("days_after", "allowed"), [(14, True), (15, False)])
def test_deadline_is_configurable_and_inclusive(final_unit, settings, days_after, allowed):
    settings.PERFORMANCE_KEBERATAN_DAYS = 14
    finalised = timezone.now() - dt.timedelta(days=days_after)
    UnitEvaluation.objects.update(finalised_at=finalised)
    employee = final_unit.staff[2]
    if allowed:
        keberatan.lodge_keberatan(actor=employee, rating=rating_of(final_unit), reasons="Bukti")
        assert Keberatan.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="sudah lewat"):
            keberatan.lodge_keberatan(actor=employee, rating=rating_of(final_unit), reasons="Bukti")
        assert not Keberatan.objects.exists()
    settings.PERFORMANCE_KEBERATAN_DAYS = 30
    assert keberatan.keberatan_deadline(final_unit.skps[2]) == (
        timezone.localdate(finalised) + dt.timedelta(days=30)
    )


def test_change_decision_recomputes_the_predikat_and_is_visible(final_unit, client_for):
    unit = final_unit
    employee, skp = unit.staff[2], unit.skps[2]
    assert rating_of(unit).predikat == "butuh_perbaikan"
    client = client_for(employee)
    url = reverse("performance:annual_detail", args=[skp.pk])
    response = client.post(reverse("performance:keberatan_lodge", args=[skp.pk]), {"reasons": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tuliskan alasan keberatan Anda." in response.content.decode()
    response = client.post(
        reverse("performance:keberatan_lodge", args=[skp.pk]),
        {"reasons": "Target triwulan IV tercapai 120%."},
    )
    assert response.status_code == HTTPStatus.FOUND
    with pytest.raises(ValidationError, match="sudah mengajukan"):
        keberatan.lodge_keberatan(actor=employee, rating=rating_of(unit), reasons="lagi")

    objection = Keberatan.objects.get()
    with pytest.raises(PermissionDenied):  # the pejabat penilai is not the one who decides
        keberatan.decide_keberatan(
            actor=unit.penilai, keberatan=objection, decision="ditolak", note="x"
        )
    decide = reverse("performance:keberatan_decide", args=[skp.pk])
    head = client_for(unit.head)
    response = head.post(decide, {"decision": "diubah", "note": "Bukti cukup"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Pilih rating hasil kerja." in response.content.decode()
    assert rating_of(unit).predikat == "butuh_perbaikan"
    response = head.post(
        decide,
        {
            "decision": "diubah",
            "note": "Bukti capaian cukup.",
            "hasil_kerja": "sesuai",
            "perilaku_kerja": "sesuai",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    objection.refresh_from_db()
    assert (objection.status, objection.old_predikat, objection.new_predikat) == (
        "diubah",
        "butuh_perbaikan",
        "baik",
    )
    assert rating_of(unit).predikat == "baik"
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        keberatan.decide_keberatan(
            actor=unit.head, keberatan=objection, decision="ditolak", note="x"
        )
    html = client_for(employee).get(url).content.decode()
    assert "Bukti capaian cukup." in html and "Penilaian diubah" in html


def test_uphold_keeps_the_rating(final_unit):
    unit = final_unit
    objection = keberatan.lodge_keberatan(
        actor=unit.staff[2], rating=rating_of(unit), reasons="Tidak setuju"
    )
    keberatan.decide_keberatan(
        actor=unit.head, keberatan=objection, decision="ditolak", note="Sesuai bukti."
    )
    objection.refresh_from_db()
    assert objection.status == "ditolak" and objection.new_predikat == "butuh_perbaikan"
    assert rating_of(unit).predikat == "butuh_perbaikan"


def test_an_objection_to_the_atasans_own_rating_is_decided_by_admin_bkpsdm(
    final_unit, bkpsdm_admin, client_for
):
    """A Kepala Dinas who rated as delegate of a Kabid on leave is also the atasan pejabat
    penilai: he does not decide the objection against his own rating; Admin BKPSDM does."""
    unit = final_unit
    rating = rating_of(unit)
    AnnualRating.objects.filter(pk=rating.pk).update(rated_by=unit.head)  # rated as delegate
    rating.refresh_from_db()
    objection = keberatan.lodge_keberatan(actor=unit.staff[2], rating=rating, reasons="Tidak adil")
    told = set(
        Notification.objects.filter(message__contains="keberatan").values_list(
            "recipient", flat=True
        )
    )
    assert bkpsdm_admin.pk in told and unit.head.pk not in told

    with pytest.raises(PermissionDenied, match="penilaiannya sendiri"):
        keberatan.decide_keberatan(
            actor=unit.head, keberatan=objection, decision="ditolak", note="Sudah benar"
        )
    url = reverse("performance:annual_detail", args=[unit.skps[2].pk])
    assert client_for(unit.head).get(url).context["can_decide"] is False
    assert client_for(bkpsdm_admin).get(url).context["can_decide"] is True
    response = client_for(bkpsdm_admin).post(
        reverse("performance:keberatan_decide", args=[unit.skps[2].pk]),
        {"decision": "ditolak", "note": "Penilaian sesuai bukti."},
    )
    assert response.status_code == HTTPStatus.FOUND
    objection.refresh_from_db()
    assert (objection.status, objection.decided_by) == ("ditolak", bkpsdm_admin)
