"""Annual evaluation: capaian kinerja organisasi, annual ratings, kurva distribusi and
finalisation per OPD. Rule-bearing writes; reads that aggregate live here too. Keberatan are
`services.keberatan`; ratings recorded for a rater outside the portal, `services.external_rating`.

The unit of the kurva distribusi is the OPD (perangkat daerah, a top-level OrgUnit); an
employee counts once, on their last SKP of the year, in the OPD of that SKP's post (after a
transfer, the new one). The head of an OPD is whoever holds its head post, or acts in it as
Plt/Plh, today (`portal.authority.head_rights`): a Kepala Dinas, a Camat, a non-JPT Plt.
The capaian kinerja organisasi of an OPD is set by the leader above its head (or recorded by
Admin BKPSDM for a leader outside the portal), and the head's rating of hasil kerja follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from performance import rights, rules
from performance.models import (
    AnnualRating,
    Cycle,
    DistributionRule,
    Skp,
    UnitEvaluation,
    cycle_day,
    today,
)
from portal import authority
from portal.models import OrgUnit, User
from portal.notifications import notify

from .capaian import (
    capaian_capacity,
    capaian_capacity_with_reason,
    capaian_setter_text,
    head_rating_for,
    head_rule,
)
from .common import require_ratings
from .history import (
    DOCUMENT_REF_LENGTH,
    ChangedBy,
    Kind,
    Via,
    capaian_state,
    rating_state,
    record_rating_version,
    record_version,
)
from .leaders import head_of_opd, is_unit_head, leader_above


def opd_of(user: User) -> OrgUnit | None:
    return user.org_unit.perangkat_daerah if user.org_unit_id else None


def post_opd(skp: Skp) -> OrgUnit | None:
    """The OPD of the post the SKP belongs to (the employee's own for an SKP without one)."""
    if skp.assignment_id is None:
        return opd_of(skp.employee)
    return skp.assignment.org_unit.perangkat_daerah


def can_manage_unit(user: User, opd: OrgUnit) -> bool:
    """Admin BKPSDM (every OPD) or the head of this OPD."""
    return bool(user.is_authenticated and (user.is_bkpsdm_admin or is_unit_head(user, opd)))


def managed_units(user: User) -> QuerySet[OrgUnit]:
    """Every OPD for Admin BKPSDM; the OPDs whose head post `user` holds or acts in today."""
    units = OrgUnit.objects.perangkat_daerah().order_by("name")
    if user.is_bkpsdm_admin:
        return units
    if not user.is_authenticated:
        return units.none()
    return units.filter(pk__in=authority.head_rights(user))


def unit_skps(cycle: Cycle, opd: OrgUnit) -> QuerySet[Skp]:
    """The SKPs of the cycle rated for this OPD: each employee's last SKP of the year, approved,
    of a post in this OPD (any sub-unit). A person transferred mid-year counts once, here when
    their last post is."""
    # the OPD's units from one read of the tree (a query per level before)
    ids = OrgUnit.objects.unit_map().units_of_opd(opd.pk) or OrgUnit.objects.descendant_ids(opd)
    return (
        Skp.objects.filter(cycle=cycle, status=Skp.Status.DISETUJUI).last_of_cycle().in_units(ids)
    )


@dataclass(frozen=True)
class StillToRate:
    """The annual ratings `user` may still give (`still_to_rate`): how many, and the next."""

    remaining: int
    next_skp: Skp | None


def still_to_rate(
    user: User, cycle: Cycle, *, within: QuerySet[Skp] | None = None, exclude: Skp | None = None
) -> StillToRate:
    """The approved last SKPs of the cycle (of `within`, e.g. one OPD's `unit_skps`) that `user`
    may rate today (`rights.rater_q`, as the annual home lists them) and that have no annual
    rating yet, leaving out `exclude`; the next one by name. Two queries."""
    skps = within if within is not None else Skp.objects.all()
    skps = (
        skps.filter(rights.rater_q(user), cycle=cycle, status=Skp.Status.DISETUJUI)
        .last_of_cycle()
        .filter(annual_rating__isnull=True)
    )
    if exclude is not None:
        skps = skps.exclude(pk=exclude.pk)
    nxt = skps.select_related("employee").order_by("employee__full_name", "pk").first()
    return StillToRate(skps.count() if nxt is not None else 0, nxt)


def unit_evaluation(cycle: Cycle, opd: OrgUnit) -> UnitEvaluation:
    evaluation, _created = UnitEvaluation.objects.get_or_create(cycle=cycle, org_unit=opd)
    return evaluation


def unit_counts(cycle: Cycle, opd: OrgUnit) -> dict[str, int]:
    """Predikat code -> number of annual ratings in this OPD (one query)."""
    rows = (
        AnnualRating.objects.filter(skp__in=unit_skps(cycle, opd))
        .values("predikat")
        .annotate(n=Count("pk"))
    )
    return {row["predikat"]: row["n"] for row in rows}


def expected_pattern(quotas: Sequence[rules.Quota], total: int) -> list[dict]:
    """Per predikat, the bounds `quotas` (of the unit's capaian, `DistributionRule.objects.
    quotas_for`) put on the number of employees (for the chart)."""
    pattern = {
        code: {"code": code, "label": label, "min": None, "max": None}
        for code, label in [(p["code"], p["label"]) for p in rules.predikat_levels()]
    }
    for quota in quotas:
        if len(quota.predikat) != 1 or quota.kind == "must_exist":
            continue
        bound = quota.pct * total / 100
        pattern[quota.predikat[0]]["min" if quota.kind == "min_pct" else "max"] = bound
    return list(pattern.values())


def final_unit_for(skp: Skp) -> UnitEvaluation | None:
    opd = post_opd(skp)
    if opd is None:
        return None
    return UnitEvaluation.objects.filter(cycle=skp.cycle, org_unit=opd).first()


# --- capaian kinerja organisasi (who sets it, the special rule: services.capaian) -------------


def can_view_unit(user: User, opd: OrgUnit) -> bool:
    """The unit page: whoever manages the OPD, and the leader above its head."""
    return can_manage_unit(user, opd) or capaian_capacity(user, opd) is not None


def _follow_capaian(evaluation: UnitEvaluation, actor: User) -> None:
    """The head's annual rating (when given) takes the capaian just set: hasil and predikat,
    kept as a version like every change of an annual rating."""
    head = head_of_opd(evaluation.org_unit, cycle_day(evaluation.cycle.year, today()))
    if head is None:
        return
    rating = (
        AnnualRating.objects.filter(skp__employee=head, skp__cycle_id=evaluation.cycle_id)
        .select_related("skp__employee__org_unit", "skp__cycle")
        .first()
    )
    if rating is None:
        return
    old = rating_state(rating)
    rating.rating_hasil_kerja = head_rating_for(evaluation.capaian)
    rating.predikat = rules.predikat(rating.rating_hasil_kerja, rating.rating_perilaku_kerja)
    rating.save(update_fields=["rating_hasil_kerja", "predikat"])
    why = _("Rating hasil kerja kepala perangkat daerah mengikuti capaian kinerja organisasi.")
    record_rating_version(rating, ChangedBy(actor, Via.PENILAIAN, why), skp=rating.skp, old=old)


@transaction.atomic
def set_capaian(
    *,
    actor: User,
    cycle: Cycle,
    opd: OrgUnit,
    capaian: str,
    penetap: str = "",
    document_ref: str = "",
) -> UnitEvaluation:
    """The leader above the OPD head sets the OPD's capaian kinerja organisasi; for a leader
    outside the portal Admin BKPSDM records it, naming the leader (`penetap`) and the document
    (`document_ref`). The head may not set their own. The head's annual rating, when given,
    follows the new capaian (the special rule)."""
    leader = leader_above(opd)
    capacity, reason = capaian_capacity_with_reason(actor, opd, leader)
    if capacity is None:
        raise PermissionDenied(reason)
    penetap, document_ref = penetap.strip(), document_ref.strip()
    errors = {}
    if capaian not in rules.CAPAIAN_CODES:
        errors["capaian"] = _("Pilih capaian kinerja organisasi yang tersedia.")
    if capacity == UnitEvaluation.CapaianCapacity.BKPSDM:
        if not penetap:
            errors["penetap"] = _("Tuliskan nama dan jabatan pimpinan yang menetapkan capaian ini.")
        if not document_ref:
            errors["document_ref"] = _(
                "Isi nomor dokumen penetapan capaian dari pimpinan di luar portal."
            )
    else:
        penetap = f"{actor.full_name}, {actor.jabatan}" if actor.jabatan else actor.full_name
    if len(document_ref) > DOCUMENT_REF_LENGTH:
        errors["document_ref"] = _(
            "Rujukan dokumen paling panjang %(n)s karakter; tulis nomornya saja."
        ) % {"n": DOCUMENT_REF_LENGTH}
    if len(penetap) > DOCUMENT_REF_LENGTH:
        errors["penetap"] = _("Nama dan jabatan pimpinan paling panjang %(n)s karakter.") % {
            "n": DOCUMENT_REF_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    evaluation = unit_evaluation(cycle, opd)
    evaluation = UnitEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_final:
        raise ValidationError(_("Predikat unit ini sudah ditetapkan; capaian tidak bisa diubah."))
    old = capaian_state(evaluation)
    evaluation.capaian = capaian
    evaluation.capaian_set_by = actor
    evaluation.capaian_set_at = timezone.now()
    evaluation.capaian_capacity = capacity
    evaluation.capaian_penetap = penetap
    evaluation.capaian_document_ref = document_ref
    evaluation.full_clean()
    evaluation.save()
    recorded = capacity == UnitEvaluation.CapaianCapacity.BKPSDM
    why = _("Dicatat oleh BKPSDM atas penetapan %(name)s.") % {"name": penetap} if recorded else ""
    by = ChangedBy(actor, Via.PENILAIAN, why, document_ref)
    record_version(
        Kind.CAPAIAN, evaluation.pk, cycle, by, old=old, new=capaian_state(evaluation), org_unit=opd
    )
    _follow_capaian(evaluation, actor)
    return evaluation


@transaction.atomic
def rate_annual(
    *, actor: User, skp: Skp, hasil_kerja: str, perilaku_kerja: str, note: str = ""
) -> AnnualRating:
    """The pejabat penilai sets the annual ratings once the cycle is closed; predikat follows.
    For the head of an OPD the rating hasil kerja is the one the OPD's capaian gives (the
    special rule; `hasil_kerja` is ignored), and rating waits until the capaian is set."""
    skp = (
        Skp.objects.select_for_update(of=("self",))
        .select_related("cycle", "employee")
        .get(pk=skp.pk)
    )
    refusal = rights.annual_refusal(actor, skp)  # the last SKP of the year, its rater
    if refusal:
        raise PermissionDenied(refusal)
    if skp.cycle.is_open:
        raise ValidationError(
            _("Siklus %(year)s masih terbuka; penilaian tahunan dilakukan setelah siklus ditutup.")
            % {"year": skp.cycle.year},
            code="cycle_open",
        )
    if not skp.is_approved:
        raise ValidationError(_("SKP ini belum disetujui."))
    final = final_unit_for(skp)
    if final is not None and final.is_final:
        raise ValidationError(
            _("Predikat unit ini sudah ditetapkan; penilaian tahunan terkunci."), code="locked"
        )
    rule = head_rule(skp, final)
    if rule is not None:
        if not rule.capaian:
            raise ValidationError(
                _(
                    "%(name)s memimpin %(opd)s: rating hasil kerjanya mengikuti capaian kinerja "
                    "organisasi, yang belum ditetapkan. Capaian ditetapkan oleh %(who)s."
                )
                % {
                    "name": skp.employee.full_name,
                    "opd": rule.opd.name,
                    "who": capaian_setter_text(rule.opd),
                },
                code="capaian_missing",
            )
        hasil_kerja = rule.rating
    require_ratings(hasil_kerja, perilaku_kerja)
    old = rating_state(AnnualRating.objects.filter(skp=skp).first())
    rating, _created = AnnualRating.objects.update_or_create(
        skp=skp,
        defaults={
            "rating_hasil_kerja": hasil_kerja,
            "rating_perilaku_kerja": perilaku_kerja,
            "predikat": rules.predikat(hasil_kerja, perilaku_kerja),
            "note": note.strip(),
            "rated_by": actor,
            "rated_at": timezone.now(),
        },
    )
    record_rating_version(rating, ChangedBy(actor, Via.PENILAIAN), skp=skp, old=old)
    return rating


def check_finalise(
    *, cycle: Cycle, opd: OrgUnit, evaluation: UnitEvaluation, justification: str = ""
) -> tuple[dict[str, int], list]:
    """The rules `finalise_unit` applies, without writing: raises ValidationError, or returns
    the counts per predikat and the kurva violations that the penetapan will record (the
    confirmation step shows them)."""
    if evaluation.is_final:
        raise ValidationError(
            _("Predikat unit ini sudah ditetapkan pada %(date)s; tidak bisa ditetapkan lagi.")
            % {"date": timezone.localtime(evaluation.finalised_at).strftime("%d-%m-%Y %H:%M")},
            code="already_final",
        )
    if cycle.is_open:
        raise ValidationError(_("Siklus masih terbuka; tutup siklus sebelum menetapkan predikat."))
    if not evaluation.capaian:
        raise ValidationError(_("Tetapkan dulu capaian kinerja organisasi unit ini."))
    unrated = unit_skps(cycle, opd).filter(annual_rating__isnull=True).count()
    if unrated:
        raise ValidationError(
            _("Masih ada %(n)s pegawai yang belum diberi penilaian tahunan.") % {"n": unrated},
            code="unrated",
        )
    counts = unit_counts(cycle, opd)
    quotas = DistributionRule.objects.quotas_for(evaluation.capaian)
    violations = rules.check_distribution(evaluation.capaian, counts, quotas)
    if violations and not justification.strip():
        raise ValidationError(
            {
                "justification": _(
                    "Distribusi predikat melanggar pola kurva; tuliskan alasan untuk tetap menetapkan."
                )
            },
            code="needs_justification",
        )
    return counts, violations


@transaction.atomic
def finalise_unit(
    *, actor: User, cycle: Cycle, opd: OrgUnit, justification: str = ""
) -> UnitEvaluation:
    """Lock the OPD's annual results. Breaking a kurva rule needs a written justification."""
    if not can_manage_unit(actor, opd):
        raise PermissionDenied(
            _("Hanya Admin BKPSDM atau kepala perangkat daerah yang menetapkan predikat unit.")
        )
    evaluation = unit_evaluation(cycle, opd)
    evaluation = UnitEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    counts, violations = check_finalise(
        cycle=cycle, opd=opd, evaluation=evaluation, justification=justification
    )
    justification = justification.strip()
    evaluation.finalised_by = actor
    evaluation.finalised_at = timezone.now()
    evaluation.justification = justification
    evaluation.violations = [v.message for v in violations]
    evaluation.counts = counts
    evaluation.save()
    for skp in unit_skps(cycle, opd).select_related("employee"):
        notify(
            recipient=skp.employee,
            actor=actor,
            message=_("Predikat kinerja tahunan %(year)s Anda sudah ditetapkan.")
            % {"year": cycle.year},
            url=reverse("performance:annual_detail", args=[skp.pk]),
        )
    return evaluation
