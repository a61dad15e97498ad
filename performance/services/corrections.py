"""Corrections by Admin BKPSDM: an annual rating, the pejabat penilai of an SKP, and the
perubahan SKP (an approved SKP opened again for change).

Each correction needs a reason and a document reference (the letter or SK it rests on), runs
in one transaction, keeps the value before it as a `RecordVersion` the employee reads on their
own pages, and tells the employee. Anyone but Admin BKPSDM gets PermissionDenied; a missing
reason or document, or a correction that changes nothing, a ValidationError; nothing is saved.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from performance import rules
from performance.models import AnnualRating, DistributionRule, Skp, UnitEvaluation, today
from portal.models import User
from portal.notifications import notify
from portal.staffing.checks import check_not_below, check_not_self

from .capaian import head_rule
from .common import require_ratings, skp_event, skp_for_update
from .evaluation import opd_of, unit_counts
from .history import (
    ChangedBy,
    Kind,
    rating_state,
    record_rating_version,
    record_skp_version,
    record_version,
    skp_content,
)
from .penilai import repoint_skp, require_eligible_penilai


def _require_admin(actor: User, skp: Skp) -> None:
    """Admin BKPSDM, on someone else's SKP (their own is corrected by another admin)."""
    if not (actor.is_authenticated and actor.is_bkpsdm_admin):
        raise PermissionDenied(_("Hanya Admin BKPSDM yang dapat melakukan koreksi."))
    if skp.employee_id == actor.pk:
        raise PermissionDenied(
            _(
                "Anda tidak dapat mengoreksi SKP atau penilaian Anda sendiri; mintalah Admin "
                "BKPSDM lain."
            )
        )


def _recount_final_unit(skp: Skp, by: ChangedBy) -> UnitEvaluation | None:
    """After a rating of a finalised OPD changed: its counts and kurva violations again, the
    change kept as a version of the unit evaluation (so the unit's history names it)."""
    opd = opd_of(skp.employee)
    state = (
        UnitEvaluation.objects.select_for_update()
        .filter(cycle=skp.cycle, org_unit=opd, finalised_at__isnull=False)
        .first()
        if opd
        else None
    )
    if state is None:
        return None
    old = {"counts": state.counts, "violations": state.violations}
    state.counts = unit_counts(skp.cycle, opd)
    quotas = DistributionRule.objects.quotas_for(state.capaian)
    violations = rules.check_distribution(state.capaian, state.counts, quotas)
    state.violations = [v.message for v in violations]
    state.save(update_fields=["counts", "violations"])
    new = {"counts": state.counts, "violations": state.violations}
    record_version(
        Kind.UNIT_COUNTS, state.pk, skp.cycle, by, old=old, new=new, skp=skp, org_unit=opd
    )
    return state


def _tell_about_skp(skp: Skp, actor: User, *messages: tuple[User | None, str]) -> None:
    """Each `(recipient, message)` as a notification from `actor` that opens the SKP."""
    for recipient, message in messages:
        notify(recipient=recipient, actor=actor, message=message, url=skp.get_absolute_url())


def _keep_head_rule(skp: Skp, hasil_kerja: str) -> None:
    """A correction does not override the special rule (a local choice; the reference gives the
    rule and is silent on corrections): the head of an OPD keeps the rating of hasil kerja the
    OPD's capaian gives. A ValidationError on `hasil_kerja` when the correction differs."""
    rule = head_rule(skp)
    if rule is None or not rule.capaian or hasil_kerja == rule.rating:
        return
    raise ValidationError(
        {
            "hasil_kerja": _(
                "%(name)s memimpin %(opd)s: rating hasil kerjanya mengikuti capaian kinerja "
                "organisasi (%(capaian)s: %(rating)s) dan tidak diubah oleh koreksi. Koreksi "
                "hanya rating perilaku kerja; rating hasil kerja berubah bersama capaian "
                "organisasinya."
            )
            % {
                "name": skp.employee.full_name,
                "opd": rule.opd.name,
                "capaian": rule.capaian_label,
                "rating": rule.rating_label,
            }
        }
    )


@transaction.atomic
def correct_annual_rating(
    *,
    actor: User,
    skp: Skp,
    hasil_kerja: str,
    perilaku_kerja: str,
    reason: str,
    document_ref: str,
) -> AnnualRating:
    """Change the annual ratings of `skp` (the predikat follows), also after the OPD was
    finalised: then the OPD's counts are recomputed and the correction is on its record. The
    head of an OPD keeps the hasil kerja the capaian gives (`_keep_head_rule`)."""
    _require_admin(actor, skp)
    by = ChangedBy.correction(actor, reason, document_ref)
    require_ratings(hasil_kerja, perilaku_kerja)
    rating = (
        AnnualRating.objects.select_for_update(of=("self",))
        .select_related("skp__employee__org_unit", "skp__cycle")
        .filter(skp=skp)
        .first()
    )
    if rating is None:
        raise ValidationError(
            _("SKP ini belum diberi penilaian tahunan; belum ada yang bisa dikoreksi.")
        )
    skp = rating.skp
    _keep_head_rule(skp, hasil_kerja)
    old = rating_state(rating)
    rating.rating_hasil_kerja = hasil_kerja
    rating.rating_perilaku_kerja = perilaku_kerja
    rating.predikat = rules.predikat(hasil_kerja, perilaku_kerja)
    if rating_state(rating) == old:
        raise ValidationError(
            _("Koreksi ini sama dengan penilaian yang berlaku; tidak ada yang berubah.")
        )
    rating.save(update_fields=["rating_hasil_kerja", "rating_perilaku_kerja", "predikat"])
    record_rating_version(rating, by, skp=skp, old=old)
    _recount_final_unit(skp, by)
    notify(
        recipient=skp.employee,
        actor=actor,
        message=_(
            "Penilaian tahunan %(year)s Anda dikoreksi Admin BKPSDM: predikat kini %(predikat)s."
        )
        % {"year": skp.cycle.year, "predikat": rating.get_predikat_display()},
        url=reverse("performance:annual_detail", args=[skp.pk]),
    )
    return rating


@transaction.atomic
def correct_penilai(
    *, actor: User, skp: Skp, penilai: User | None, reason: str, document_ref: str
) -> Skp:
    """Make `penilai` the pejabat penilai of this one SKP (rated or not); the SKP's and its open
    reports' histories say so, and the employee and the new pejabat penilai are told."""
    _require_admin(actor, skp)
    by = ChangedBy.correction(actor, reason, document_ref)
    skp = (
        Skp.objects.select_for_update(of=("self",))
        .select_related("employee", "cycle", "pejabat_penilai", "assignment")
        .get(pk=skp.pk)
    )
    if penilai is None:
        raise ValidationError({"penilai_nip": _("Tulis NIP pejabat penilai yang benar.")})
    require_eligible_penilai(penilai, skp.employee_id)
    check_not_self(actor, penilai)
    check_not_below(person=skp.employee, rater=penilai, day=today(), field="penilai_nip")
    if skp.pejabat_penilai_id == penilai.pk and skp.penilai_is_current:
        raise ValidationError(
            {
                "penilai_nip": _("%(name)s sudah menjadi pejabat penilai SKP ini.")
                % {"name": penilai.full_name}
            }
        )
    note = _(
        "Koreksi pejabat penilai: %(old)s -> %(new)s oleh %(actor)s. Alasan: %(reason)s "
        "(dokumen: %(document)s)"
    ) % {
        "old": skp.pejabat_penilai_name or "-",
        "new": penilai.full_name,
        "actor": actor.full_name,
        "reason": by.reason,
        "document": by.document_ref,
    }
    repoint_skp(skp=skp, target=penilai, note=note, by=by)
    _tell_about_skp(
        skp,
        actor,
        (
            skp.employee,
            _("Pejabat penilai SKP %(year)s Anda dikoreksi Admin BKPSDM menjadi %(name)s.")
            % {"year": skp.cycle.year, "name": penilai.full_name},
        ),
        (
            penilai,
            _("Anda kini pejabat penilai SKP %(year)s %(name)s (koreksi Admin BKPSDM).")
            % {"year": skp.cycle.year, "name": skp.employee.full_name},
        ),
    )
    return skp


@transaction.atomic
def reopen_skp(*, actor: User, skp: Skp, reason: str, document_ref: str) -> Skp:
    """Perubahan SKP: an approved SKP of an open cycle goes back to the employee (status
    dikembalikan) to be changed and approved again; the RHK as approved stay in the history."""
    _require_admin(actor, skp)
    by = ChangedBy.correction(actor, reason, document_ref)
    skp = skp_for_update(skp)
    if skp.status != Skp.Status.DISETUJUI:
        raise ValidationError(
            _("Hanya SKP yang sudah disetujui yang dapat dibuka untuk perubahan.")
        )
    if not skp.cycle.is_open:
        raise ValidationError(
            _("Siklus %(year)s sudah ditutup; SKP-nya tidak dapat diubah lagi.")
            % {"year": skp.cycle.year}
        )
    if AnnualRating.objects.filter(skp=skp).exists():
        raise ValidationError(
            _("SKP ini sudah diberi penilaian tahunan; koreksi penilaiannya, bukan SKP-nya.")
        )
    old = skp_content(skp)
    skp.status = Skp.Status.DIKEMBALIKAN
    skp.return_note = _("Perubahan SKP: %(reason)s (dokumen: %(document)s)") % {
        "reason": by.reason,
        "document": by.document_ref,
    }
    skp.save(update_fields=["status", "return_note", "updated_at"])
    skp_event(skp, actor, old["status"], skp.return_note)
    record_skp_version(Kind.SKP_CHANGE, skp.pk, skp, by, old=old, new={"status": skp.status})
    _tell_about_skp(
        skp,
        actor,
        (
            skp.employee,
            _("SKP %(year)s Anda dibuka kembali untuk perubahan: %(reason)s")
            % {"year": skp.cycle.year, "reason": by.reason},
        ),
        (
            skp.pejabat_penilai,
            _(
                "SKP %(year)s %(name)s dibuka kembali untuk perubahan; setujui lagi setelah "
                "diajukan."
            )
            % {"year": skp.cycle.year, "name": skp.employee.full_name},
        ),
    )
    return skp
