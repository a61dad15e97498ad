"""Corrections on the record: every version of an annual rating, capaian and ekspektasi is kept
(who, when, old -> new), and Admin BKPSDM corrects a rating, a rater or an approved SKP with a
reason and a document reference (performance.services.corrections)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from performance import services
from performance.models import (
    AnnualRating,
    Cycle,
    Keberatan,
    Notification,
    RecordVersion,
    ReportEvent,
    Skp,
    SkpEvent,
    UnitEvaluation,
)
from performance.services import corrections, evaluation, keberatan, planning
from performance.services.penilai import reassign_penilai
from portal.models import User
from tests.factories import UserFactory
from tests.performance.factories import make_report

from .conftest import give_leader, set_capaian

pytestmark = pytest.mark.django_db

Kind, Via = RecordVersion.Kind, RecordVersion.Via
DOCUMENTED = {"reason": "Salah input nilai", "document_ref": "800/123/BKPSDM/2026"}


def rate(unit, n, hasil="sesuai", perilaku="sesuai"):
    return evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[n], hasil_kerja=hasil, perilaku_kerja=perilaku
    )


@pytest.fixture
def final_unit(unit):
    cycle = unit.skps[0].cycle
    set_capaian(unit, "baik")
    for n, hasil in enumerate(["sesuai", "sesuai", "di_bawah"]):
        rate(unit, n, hasil)
    evaluation.finalise_unit(actor=unit.head, cycle=cycle, opd=unit.opd)
    return unit


def open_cycle(unit) -> Cycle:
    Cycle.objects.filter(pk=unit.skps[0].cycle_id).update(status=Cycle.Status.OPEN)
    return Cycle.objects.get(pk=unit.skps[0].cycle_id)


def everything() -> tuple:
    """What a refused correction must leave as it was."""
    return (
        list(AnnualRating.objects.order_by("pk").values_list("predikat", "rated_by")),
        list(Skp.objects.order_by("pk").values_list("status", "pejabat_penilai", "return_note")),
        list(UnitEvaluation.objects.order_by("pk").values_list("counts", "violations")),
        RecordVersion.objects.count(),
        SkpEvent.objects.count(),
        ReportEvent.objects.count(),
        Notification.objects.count(),
    )


# --- every writer keeps a version ------------------------------------------------------------


def test_rating_twice_keeps_both_versions_with_who_and_what(unit):
    rate(unit, 0, "di_atas", "di_atas")
    rate(unit, 0, "sesuai", "di_bawah")
    first, second = RecordVersion.objects.order_by("pk")
    assert (first.kind, first.via, first.old) == (Kind.ANNUAL_RATING, Via.PENILAIAN, None)
    assert first.new["predikat"] == "sangat_baik"
    assert second.old == first.new and second.new["predikat"] == "kurang_misconduct"
    assert second.actor == unit.penilai and second.employee == unit.staff[0]
    assert second.skp == unit.skps[0] and second.org_unit == unit.opd
    assert second.object_id == AnnualRating.objects.get(skp=unit.skps[0]).pk
    assert "Di Atas Ekspektasi".lower() in second.old_text.lower()


def test_saving_the_same_rating_again_keeps_no_empty_version(unit):
    rate(unit, 0)
    rate(unit, 0)
    assert RecordVersion.objects.count() == 1


def test_capaian_versions_are_kept(unit, bkpsdm_admin):
    """Recorded by Admin BKPSDM for a leader outside the portal (the leader and the document
    kept with the version), then set by the leader above once in the portal (issue 17)."""
    cycle = unit.skps[0].cycle
    evaluation.set_capaian(
        actor=bkpsdm_admin,
        cycle=cycle,
        opd=unit.opd,
        capaian="baik",
        penetap="Sekretaris Daerah Kota Bandung",
        document_ref="Nota Dinas 800/17",
    )
    leader = give_leader(unit)
    evaluation.set_capaian(actor=leader, cycle=cycle, opd=unit.opd, capaian="istimewa")
    versions = list(RecordVersion.objects.filter(kind=Kind.CAPAIAN).order_by("pk"))
    assert [(v.old, v.new, v.actor) for v in versions] == [
        (None, {"capaian": "baik"}, bkpsdm_admin),
        ({"capaian": "baik"}, {"capaian": "istimewa"}, leader),
    ]
    assert versions[0].document_ref == "Nota Dinas 800/17"
    assert "atas penetapan Sekretaris Daerah Kota Bandung" in versions[0].reason
    assert versions[1].org_unit == unit.opd and versions[1].employee is None
    assert versions[1].old_text == "Baik" and versions[1].new_text == "Istimewa"


def test_expectation_versions_are_kept(unit):
    cycle = open_cycle(unit)
    skp = Skp.objects.get(pk=unit.skps[0].pk)
    Skp.objects.filter(pk=skp.pk).update(status=Skp.Status.DIAJUKAN)
    skp.refresh_from_db()
    assert skp.cycle == cycle
    planning.set_expectation(actor=unit.penilai, skp=skp, value_code="akuntabel", text="Tepat")
    planning.set_expectation(
        actor=unit.penilai, skp=skp, value_code="akuntabel", text="Tepat waktu"
    )
    old, new = RecordVersion.objects.filter(kind=Kind.EXPECTATION).order_by("pk")
    assert old.old is None and new.old == {"value_code": "akuntabel", "text": "Tepat"}
    assert new.new["text"] == "Tepat waktu" and new.new_text.endswith(": Tepat waktu")


def test_a_changed_keberatan_decision_is_a_version_with_its_reason(final_unit):
    rating = AnnualRating.objects.get(skp=final_unit.skps[2])
    objection = keberatan.lodge_keberatan(
        actor=final_unit.staff[2], rating=rating, reasons="Bukti kerja ada"
    )
    keberatan.decide_keberatan(
        actor=final_unit.head,
        keberatan=objection,
        decision=Keberatan.Status.DIUBAH,
        note="Buktinya cukup",
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
    )
    version = RecordVersion.objects.get(via=Via.KEBERATAN)
    assert version.old["predikat"] == "butuh_perbaikan" and version.new["predikat"] == "baik"
    assert version.reason == "Buktinya cukup" and version.actor == final_unit.head


def test_an_upheld_keberatan_keeps_no_version(final_unit):
    rating = AnnualRating.objects.get(skp=final_unit.skps[2])
    objection = keberatan.lodge_keberatan(actor=final_unit.staff[2], rating=rating, reasons="x")
    keberatan.decide_keberatan(
        actor=final_unit.head, keberatan=objection, decision="ditolak", note="Sudah sesuai"
    )
    assert not RecordVersion.objects.filter(via=Via.KEBERATAN).exists()


def test_reassigning_a_lapsed_penilai_is_a_version(unit, bkpsdm_admin):
    employee = unit.staff[0]
    successor = UserFactory(org_unit=unit.bidang, atasan=unit.head)
    User.objects.filter(pk=employee.pk).update(atasan=successor)
    reassign_penilai(actor=bkpsdm_admin, employee=employee)
    version = RecordVersion.objects.get(kind=Kind.PENILAI)
    assert version.via == Via.PENGALIHAN
    assert version.old["name"] == unit.penilai.full_name
    assert version.new == {
        "id": successor.pk,
        "name": successor.full_name,
        "nip": successor.nip,
        "atasan": unit.head.full_name,
    }


def test_a_failed_write_keeps_no_version(unit):
    with pytest.raises(ValidationError):
        rate(unit, 0, "luar_biasa")
    with pytest.raises(PermissionDenied):
        evaluation.rate_annual(
            actor=unit.head, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    assert not RecordVersion.objects.exists()


# --- correcting an annual rating -------------------------------------------------------------


def test_admin_corrects_a_rating_before_finalisation(unit, bkpsdm_admin):
    rate(unit, 0, "di_bawah", "sesuai")
    rating = corrections.correct_annual_rating(
        actor=bkpsdm_admin,
        skp=unit.skps[0],
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        **DOCUMENTED,
    )
    assert rating.predikat == "baik" and rating.rated_by == unit.penilai
    version = RecordVersion.objects.get(via=Via.KOREKSI)
    assert version.old["predikat"] == "butuh_perbaikan" and version.new["predikat"] == "baik"
    assert (version.reason, version.document_ref) == (
        DOCUMENTED["reason"],
        DOCUMENTED["document_ref"],
    )
    assert version.actor == bkpsdm_admin
    assert not RecordVersion.objects.filter(kind=Kind.UNIT_COUNTS).exists()
    note = Notification.objects.get(recipient=unit.staff[0])
    assert "dikoreksi" in note.message and "Baik" in note.message


def test_a_correction_after_finalisation_recounts_the_unit_and_notes_it(final_unit, bkpsdm_admin):
    state = UnitEvaluation.objects.get(org_unit=final_unit.opd)
    assert state.counts == {"baik": 2, "butuh_perbaikan": 1} and state.violations == []
    corrections.correct_annual_rating(
        actor=bkpsdm_admin,
        skp=final_unit.skps[2],
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        **DOCUMENTED,
    )
    state.refresh_from_db()
    assert state.is_final
    assert state.counts == {"baik": 3}
    assert state.violations  # 100% Baik breaks the kurva for capaian "baik"
    note = RecordVersion.objects.get(kind=Kind.UNIT_COUNTS)
    assert note.object_id == state.pk and note.org_unit == final_unit.opd
    assert note.old["counts"] == {"baik": 2, "butuh_perbaikan": 1}
    assert note.new["counts"] == {"baik": 3} and note.reason == DOCUMENTED["reason"]
    unit_page = list(RecordVersion.objects.on_unit_page(state.cycle, final_unit.opd))
    assert [v.kind for v in unit_page] == [Kind.UNIT_COUNTS, Kind.CAPAIAN]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"document_ref": ""}, "document_ref"),
        ({"hasil_kerja": "luar_biasa"}, "hasil_kerja"),
    ],
)
def test_a_rating_correction_without_reason_document_or_rating_saves_nothing(
    final_unit, bkpsdm_admin, changes, field
):
    before = everything()
    data = {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", **DOCUMENTED, **changes}
    with pytest.raises(ValidationError) as info:
        corrections.correct_annual_rating(actor=bkpsdm_admin, skp=final_unit.skps[2], **data)
    assert field in info.value.error_dict
    assert everything() == before


def test_the_missing_reason_and_document_are_named_in_indonesian(unit, bkpsdm_admin):
    rate(unit, 0)
    with pytest.raises(ValidationError) as info:
        corrections.correct_annual_rating(
            actor=bkpsdm_admin,
            skp=unit.skps[0],
            hasil_kerja="di_atas",
            perilaku_kerja="sesuai",
            reason="",
            document_ref=" ",
        )
    assert info.value.message_dict == {
        "reason": ["Tuliskan alasan koreksi."],
        "document_ref": [
            "Tuliskan nomor atau rujukan dokumen dasar koreksi (misalnya nomor surat atau SK)."
        ],
    }


def test_only_admin_bkpsdm_corrects_a_rating(final_unit):
    before = everything()
    for actor in (final_unit.penilai, final_unit.head, final_unit.staff[2]):
        with pytest.raises(PermissionDenied, match="Hanya Admin BKPSDM"):
            corrections.correct_annual_rating(
                actor=actor,
                skp=final_unit.skps[2],
                hasil_kerja="sesuai",
                perilaku_kerja="sesuai",
                **DOCUMENTED,
            )
    assert everything() == before


def test_a_correction_that_changes_nothing_or_has_nothing_to_correct_is_refused(unit, bkpsdm_admin):
    with pytest.raises(ValidationError, match="belum diberi penilaian tahunan"):
        corrections.correct_annual_rating(
            actor=bkpsdm_admin,
            skp=unit.skps[1],
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
            **DOCUMENTED,
        )
    rate(unit, 0)
    before = everything()
    with pytest.raises(ValidationError, match="tidak ada yang berubah"):
        corrections.correct_annual_rating(
            actor=bkpsdm_admin,
            skp=unit.skps[0],
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
            **DOCUMENTED,
        )
    assert everything() == before


def test_a_failure_after_the_rating_changed_rolls_everything_back(
    final_unit, bkpsdm_admin, monkeypatch
):
    before = everything()

    def broken(**kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr(corrections, "notify", broken)
    with pytest.raises(RuntimeError):
        corrections.correct_annual_rating(
            actor=bkpsdm_admin,
            skp=final_unit.skps[2],
            hasil_kerja="di_atas",
            perilaku_kerja="di_atas",
            **DOCUMENTED,
        )
    assert everything() == before


def test_the_database_refuses_an_undocumented_correction(unit, bkpsdm_admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordVersion.objects.create(
            kind=Kind.ANNUAL_RATING,
            object_id=1,
            cycle=unit.skps[0].cycle,
            actor=bkpsdm_admin,
            via=Via.KOREKSI,
            new={"predikat": "baik"},
        )


# --- correcting the pejabat penilai ----------------------------------------------------------


def test_admin_corrects_the_penilai_of_one_skp(unit, bkpsdm_admin):
    cycle = open_cycle(unit)
    skp = unit.skps[0]
    report = make_report(skp, cycle.periods.order_by("start").first(), status="diajukan")
    right = UserFactory(org_unit=unit.bidang, atasan=unit.head, jabatan="Kepala Subbagian")
    corrections.correct_penilai(actor=bkpsdm_admin, skp=skp, penilai=right, **DOCUMENTED)
    skp.refresh_from_db()
    assert skp.pejabat_penilai == right and skp.is_penilai(right)
    assert not skp.is_penilai(unit.penilai)
    assert skp.atasan_pejabat_penilai == unit.head
    assert Skp.objects.get(pk=unit.skps[1].pk).pejabat_penilai == unit.penilai  # only this one
    version = RecordVersion.objects.get(kind=Kind.PENILAI)
    assert version.via == Via.KOREKSI and version.document_ref == DOCUMENTED["document_ref"]
    assert version.old["name"] == unit.penilai.full_name and version.new["id"] == right.pk
    event = SkpEvent.objects.get(skp=skp)
    assert "Koreksi pejabat penilai" in event.note and DOCUMENTED["document_ref"] in event.note
    assert ReportEvent.objects.filter(report=report, note=event.note).exists()
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        unit.staff[0].pk,
        right.pk,
    }


@pytest.mark.parametrize("who", ["employee", "same", "inactive"])
def test_a_wrong_penilai_is_refused_with_nothing_saved(unit, bkpsdm_admin, who):
    penilai = {
        "employee": unit.staff[0],
        "same": unit.penilai,
        "inactive": UserFactory(org_unit=unit.bidang, is_active=False),
    }[who]
    before = everything()
    with pytest.raises(ValidationError) as info:
        corrections.correct_penilai(
            actor=bkpsdm_admin, skp=unit.skps[0], penilai=penilai, **DOCUMENTED
        )
    assert "penilai_nip" in info.value.error_dict
    assert everything() == before


def test_a_penilai_correction_needs_admin_reason_and_document(unit, bkpsdm_admin):
    right = UserFactory(org_unit=unit.bidang, atasan=unit.head)
    before = everything()
    with pytest.raises(PermissionDenied):
        corrections.correct_penilai(actor=unit.head, skp=unit.skps[0], penilai=right, **DOCUMENTED)
    with pytest.raises(ValidationError) as info:
        corrections.correct_penilai(
            actor=bkpsdm_admin, skp=unit.skps[0], penilai=right, reason="", document_ref=""
        )
    assert set(info.value.error_dict) == {"reason", "document_ref"}
    assert everything() == before


# --- perubahan SKP ---------------------------------------------------------------------------


def test_admin_reopens_an_approved_skp_and_the_approved_content_is_kept(unit, bkpsdm_admin):
    open_cycle(unit)
    skp = unit.skps[0]
    corrections.reopen_skp(actor=bkpsdm_admin, skp=skp, **DOCUMENTED)
    skp.refresh_from_db()
    assert skp.status == Skp.Status.DIKEMBALIKAN and skp.is_editable
    assert DOCUMENTED["reason"] in skp.return_note
    version = RecordVersion.objects.get(kind=Kind.SKP_CHANGE)
    assert version.old["status"] == "disetujui" and version.new == {"status": "dikembalikan"}
    [rhk] = version.old["rhks"]
    assert rhk["text"] == skp.rhks.get().text
    assert rhk["indicators"] == [
        {"aspek": "kuantitas", "text": "Indikator 1", "target": "10", "unit": "dokumen"}
    ]
    assert "RHK " in version.old_text and version.new_text == "Dikembalikan"
    event = SkpEvent.objects.get(skp=skp)
    assert (event.from_status, event.to_status) == ("disetujui", "dikembalikan")
    assert Notification.objects.filter(recipient=unit.staff[0]).exists()
    assert Notification.objects.filter(recipient=unit.penilai).exists()


def test_the_reopened_skp_is_changed_and_approved_again_by_the_usual_path(unit, bkpsdm_admin):
    open_cycle(unit)
    skp = unit.skps[0]
    corrections.reopen_skp(actor=bkpsdm_admin, skp=skp, **DOCUMENTED)
    indicator = skp.rhks.get().indicators.get()
    services.delete_indicator(actor=unit.staff[0], indicator=indicator)
    services.add_indicator(
        actor=unit.staff[0], rhk=skp.rhks.get(), aspek="kualitas", text="Mutu", target=5, unit="%"
    )
    services.submit_skp(actor=unit.staff[0], skp=skp)
    services.approve_skp(actor=unit.penilai, skp=skp)
    version = RecordVersion.objects.get(kind=Kind.SKP_CHANGE)
    assert version.old["rhks"][0]["indicators"][0]["text"] == "Indikator 1"  # as approved first


@pytest.mark.parametrize("state", ["closed_cycle", "draft", "rated"])
def test_perubahan_skp_only_for_an_approved_unrated_skp_of_an_open_cycle(unit, bkpsdm_admin, state):
    skp = unit.skps[0]
    if state == "rated":
        rate(unit, 0)
    if state != "closed_cycle":
        open_cycle(unit)
    if state == "draft":
        Skp.objects.filter(pk=skp.pk).update(status=Skp.Status.DRAF)
    before = everything()
    with pytest.raises(ValidationError):
        corrections.reopen_skp(actor=bkpsdm_admin, skp=skp, **DOCUMENTED)
    assert everything() == before


def test_perubahan_skp_needs_admin_reason_and_document(unit, bkpsdm_admin):
    open_cycle(unit)
    before = everything()
    with pytest.raises(PermissionDenied):
        corrections.reopen_skp(actor=unit.penilai, skp=unit.skps[0], **DOCUMENTED)
    with pytest.raises(ValidationError) as info:
        corrections.reopen_skp(
            actor=bkpsdm_admin, skp=unit.skps[0], reason="Perlu", document_ref=""
        )
    assert set(info.value.error_dict) == {"document_ref"}
    assert everything() == before


def test_a_document_reference_longer_than_the_column_is_refused_not_cut(unit, bkpsdm_admin):
    open_cycle(unit)
    before = everything()
    with pytest.raises(ValidationError, match="paling panjang 200 karakter"):
        corrections.reopen_skp(
            actor=bkpsdm_admin, skp=unit.skps[0], reason="Perlu", document_ref="ND " * 70
        )
    assert everything() == before
