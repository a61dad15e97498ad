"""Annual evaluation: capaian kinerja organisasi, annual ratings, kurva distribusi,
finalisation per OPD and keberatan. Rule-bearing writes; reads that aggregate live here too.

The unit of the kurva distribusi is the OPD (perangkat daerah, a top-level OrgUnit); an
employee belongs to the OPD of their own unit. The unit head is the JPT placed at the OPD itself.
The capaian kinerja organisasi of an OPD is set by the leader above its head (or recorded by
Admin BKPSDM for a leader outside the portal), and the head's rating of hasil kerja follows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from performance import rules
from performance.models import (
    AnnualRating,
    Cycle,
    Keberatan,
    Skp,
    UnitEvaluation,
    current_penilai_q,
    today,
)
from portal.models import OrgUnit, User
from portal.notifications import notify


def keberatan_days() -> int:
    return settings.PERFORMANCE_KEBERATAN_DAYS


def opd_of(user: User) -> OrgUnit | None:
    return user.org_unit.perangkat_daerah if user.org_unit_id else None


# --- who leads whom ---------------------------------------------------------------------------
# The one place that answers "who heads this OPD", "who is above its head" and "whose rater is
# outside the portal". Today they read the User snapshot (org_unit, jenis_jabatan, atasan) and
# the SKP's pejabat penilai; issue 17's portal.authority answers the same with dates (head_of,
# atasan_on, designated_rater_on): switch these functions to it, nothing else.


def is_unit_head(user: User, opd: OrgUnit) -> bool:
    """Has the head's rights over the OPD (finalisation): a JPT placed at the OPD itself."""
    return bool(
        user.is_authenticated and user.jenis_jabatan == "jpt" and user.org_unit_id == opd.pk
    )


def head_of_opd(opd: OrgUnit) -> User | None:
    """The head of the OPD: the active JPT placed at the OPD itself whose atasan is not another
    JPT there (a Sekretariat Daerah holds the Sekda and the Asisten who report to him)."""
    placed = list(
        User.objects.filter(org_unit=opd, jenis_jabatan="jpt", is_active=True).order_by("pk")
    )
    ids = {user.pk for user in placed}
    return next((user for user in placed if user.atasan_id not in ids), None)


def leader_above(opd: OrgUnit) -> User | None:
    """The leader above the OPD head in the portal (the head's atasan, e.g. the Sekretaris
    Daerah), who sets the OPD's capaian kinerja organisasi; None when outside the portal."""
    head = head_of_opd(opd)
    leader = head.atasan if head is not None and head.atasan_id else None
    return leader if leader is not None and leader.is_active else None


def opds_led_above(user: User) -> QuerySet[OrgUnit]:
    """The OPDs whose head has `user` as atasan: the ones whose capaian `user` sets."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    heads = User.objects.filter(atasan=user, jenis_jabatan="jpt", is_active=True).exclude(
        org_unit_id=user.org_unit_id
    )
    return OrgUnit.objects.perangkat_daerah().filter(pk__in=heads.values("org_unit_id"))


def rater_outside_portal(skp: Skp) -> bool:
    """The SKP's pejabat penilai is not in the portal (the employee had no atasan in it): Admin
    BKPSDM acts on the rater's behalf."""
    return skp.pejabat_penilai_id is None


def awaiting_approval_by(user: User) -> QuerySet[Skp]:
    """The submitted SKPs `user` may approve: as their pejabat penilai, and for Admin BKPSDM
    those whose rater is outside the portal (the same rule as `rater_outside_portal`)."""
    if not user.is_authenticated:
        return Skp.objects.none()
    mine = current_penilai_q(user)
    if user.is_bkpsdm_admin:
        mine |= Q(pejabat_penilai__isnull=True)
    return Skp.objects.filter(mine, status=Skp.Status.DIAJUKAN)


def leads_own_opd(user: User) -> OrgUnit | None:
    """The OPD `user` is the head of, or None."""
    opd = opd_of(user)
    head = head_of_opd(opd) if opd is not None else None
    return opd if head is not None and head.pk == user.pk else None


# --- capaian kinerja organisasi ----------------------------------------------------------------


def capaian_setter_text(opd: OrgUnit, leader: User | None = None) -> str:
    """Who sets this OPD's capaian, in words (for messages and the unit page)."""
    leader = leader if leader is not None else leader_above(opd)
    if leader is not None:
        return _("%(name)s (%(jabatan)s), pimpinan di atas kepala perangkat daerah") % {
            "name": leader.full_name,
            "jabatan": leader.jabatan,
        }
    return _(
        "pimpinan di atas kepala perangkat daerah yang tidak ada di portal; "
        "Admin BKPSDM mencatat penetapannya dengan nomor dokumen"
    )


def capaian_capacity(user: User, opd: OrgUnit) -> str | None:
    """The capacity in which `user` may set the OPD's capaian: "pimpinan" (the leader above the
    head), "bkpsdm" (Admin BKPSDM recording a leader outside the portal), or None."""
    return capaian_capacity_with_reason(user, opd, leader_above(opd))[0]


def capaian_capacity_with_reason(
    user: User, opd: OrgUnit, leader: User | None
) -> tuple[str | None, str]:
    """`capaian_capacity` given the OPD's `leader_above`: (capacity, "") or (None, why not)."""
    capacity = UnitEvaluation.CapaianCapacity
    if not user.is_authenticated:
        return None, ""
    if is_unit_head(user, opd):  # the head, and any JPT placed beside them
        return None, _(
            "Kepala perangkat daerah tidak menetapkan capaian kinerja organisasinya sendiri; "
            "capaian %(opd)s ditetapkan oleh %(who)s."
        ) % {"opd": opd.name, "who": capaian_setter_text(opd, leader)}
    if leader is not None and leader.pk == user.pk:
        return capacity.PIMPINAN, ""
    if user.is_bkpsdm_admin:
        if leader is None:
            return capacity.BKPSDM, ""
        return None, _(
            "Pimpinan di atas kepala %(opd)s ada di portal (%(name)s) dan menetapkan sendiri "
            "capaiannya; Admin BKPSDM hanya mencatat penetapan pimpinan di luar portal."
        ) % {"opd": opd.name, "name": leader.full_name}
    return None, _("Capaian kinerja organisasi %(opd)s ditetapkan oleh %(who)s.") % {
        "opd": opd.name,
        "who": capaian_setter_text(opd, leader),
    }


def can_view_unit(user: User, opd: OrgUnit) -> bool:
    """The unit page: whoever manages the OPD, and the leader above its head."""
    return can_manage_unit(user, opd) or capaian_capacity(user, opd) is not None


# --- the special rule: the head's rating of hasil kerja follows the capaian ---------------------


@dataclass(frozen=True)
class HeadRule:
    """The rated employee heads `opd`: their rating hasil kerja is `rating`, from `capaian`
    (both empty while the capaian is not set)."""

    opd: OrgUnit
    capaian: str
    rating: str

    @property
    def capaian_label(self) -> str:
        return dict(rules.capaian_choices()).get(self.capaian, self.capaian)


def head_rating_for(capaian: str) -> str:
    """The rating hasil kerja a unit head gets for the unit's capaian (a local choice:
    settings.PERFORMANCE_HEAD_CAPAIAN_RATING; the reference gives no mapping)."""
    mapping = settings.PERFORMANCE_HEAD_CAPAIAN_RATING
    rating = mapping.get(capaian)
    if rating not in rules.rating_codes():
        raise ImproperlyConfigured(
            f"PERFORMANCE_HEAD_CAPAIAN_RATING maps {capaian!r} to {rating!r}, "
            f"not one of {rules.rating_codes()}"
        )
    return rating


def head_rule(skp: Skp, state: UnitEvaluation | None = None) -> HeadRule | None:
    """The special rule for this SKP, or None when its employee does not head their OPD.
    `state` is the OPD's UnitEvaluation when the caller has read it already."""
    opd = leads_own_opd(skp.employee)
    if opd is None:
        return None
    if state is None or state.org_unit_id != opd.pk:
        state = UnitEvaluation.objects.filter(cycle_id=skp.cycle_id, org_unit=opd).first()
    capaian = state.capaian if state is not None else ""
    return HeadRule(opd, capaian, head_rating_for(capaian) if capaian else "")


def _follow_capaian(evaluation: UnitEvaluation) -> None:
    """The head's annual rating (when given) takes the capaian just set: hasil and predikat."""
    head = head_of_opd(evaluation.org_unit)
    if head is None:
        return
    rating = AnnualRating.objects.filter(
        skp__employee=head, skp__cycle_id=evaluation.cycle_id
    ).first()
    if rating is None:
        return
    rating.rating_hasil_kerja = head_rating_for(evaluation.capaian)
    rating.predikat = rules.predikat(rating.rating_hasil_kerja, rating.rating_perilaku_kerja)
    rating.save(update_fields=["rating_hasil_kerja", "predikat"])


def can_manage_unit(user: User, opd: OrgUnit) -> bool:
    """Admin BKPSDM (every OPD) or the head of this OPD."""
    return bool(user.is_authenticated and (user.is_bkpsdm_admin or is_unit_head(user, opd)))


def managed_units(user: User) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.perangkat_daerah().order_by("name")
    if user.is_bkpsdm_admin:
        return units
    return units.filter(pk=user.org_unit_id) if user.jenis_jabatan == "jpt" else units.none()


def unit_skps(cycle: Cycle, opd: OrgUnit) -> QuerySet[Skp]:
    """The approved SKPs of the cycle whose employees work in this OPD (any sub-unit)."""
    ids = OrgUnit.objects.descendant_ids(opd) | {opd.pk}
    return Skp.objects.filter(
        cycle=cycle, employee__org_unit_id__in=ids, status=Skp.Status.DISETUJUI
    )


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


def expected_pattern(capaian: str, total: int) -> list[dict]:
    """Per predikat, the bounds the quotas put on the number of employees (for the chart)."""
    pattern = {
        code: {"code": code, "label": label, "min": None, "max": None}
        for code, label in [(p["code"], p["label"]) for p in rules.predikat_levels()]
    }
    for quota in rules.quotas_for(capaian) if capaian else ():
        if len(quota.predikat) != 1 or quota.kind == "must_exist":
            continue
        bound = quota.pct * total / 100
        pattern[quota.predikat[0]]["min" if quota.kind == "min_pct" else "max"] = bound
    return list(pattern.values())


def _final_unit_for(skp: Skp) -> UnitEvaluation | None:
    opd = opd_of(skp.employee)
    if opd is None:
        return None
    return UnitEvaluation.objects.filter(cycle=skp.cycle, org_unit=opd).first()


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
    if errors:
        raise ValidationError(errors)
    evaluation = unit_evaluation(cycle, opd)
    evaluation = UnitEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_final:
        raise ValidationError(_("Predikat unit ini sudah ditetapkan; capaian tidak bisa diubah."))
    evaluation.capaian = capaian
    evaluation.capaian_set_by = actor
    evaluation.capaian_set_at = timezone.now()
    evaluation.capaian_capacity = capacity
    evaluation.capaian_penetap = penetap[:200]
    evaluation.capaian_document_ref = document_ref[:200]
    evaluation.full_clean()
    evaluation.save()
    _follow_capaian(evaluation)
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
    if not skp.is_penilai(actor):
        raise PermissionDenied(
            _("Hanya pejabat penilai pegawai ini yang memberi penilaian tahunan.")
        )
    if skp.cycle.is_open:
        raise ValidationError(
            _("Siklus %(year)s masih terbuka; penilaian tahunan dilakukan setelah siklus ditutup.")
            % {"year": skp.cycle.year},
            code="cycle_open",
        )
    if not skp.is_approved:
        raise ValidationError(_("SKP ini belum disetujui."))
    final = _final_unit_for(skp)
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
    codes = rules.rating_codes()
    errors = {}
    if hasil_kerja not in codes:
        errors["hasil_kerja"] = _("Pilih rating hasil kerja.")
    if perilaku_kerja not in codes:
        errors["perilaku_kerja"] = _("Pilih rating perilaku kerja.")
    if errors:
        raise ValidationError(errors)
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
    violations = rules.check_distribution(evaluation.capaian, counts)
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


def keberatan_deadline(skp: Skp) -> dt.date | None:
    final = _final_unit_for(skp)
    return final.keberatan_deadline() if final and final.is_final else None


@transaction.atomic
def lodge_keberatan(*, actor: User, rating: AnnualRating, reasons: str) -> Keberatan:
    rating = (
        AnnualRating.objects.select_for_update()
        .select_related("skp__employee", "skp__cycle")
        .get(pk=rating.pk)
    )
    skp = rating.skp
    if not skp.is_owner(actor):
        raise PermissionDenied(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan."))
    deadline = keberatan_deadline(skp)
    if deadline is None:
        raise ValidationError(_("Keberatan baru bisa diajukan setelah predikat unit ditetapkan."))
    if today() > deadline:
        raise ValidationError(
            _("Batas waktu keberatan (%(date)s) sudah lewat.")
            % {"date": deadline.strftime("%d-%m-%Y")},
            code="too_late",
        )
    if Keberatan.objects.filter(rating=rating).exists():
        raise ValidationError(_("Anda sudah mengajukan keberatan atas penilaian ini."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Tuliskan alasan keberatan Anda.")})
    keberatan = Keberatan.objects.create(
        rating=rating, reasons=reasons.strip(), old_predikat=rating.predikat
    )
    notify(
        recipient=skp.atasan_pejabat_penilai,
        actor=actor,
        message=_("%(name)s mengajukan keberatan atas predikat tahunan %(year)s.")
        % {"name": skp.employee.full_name, "year": skp.cycle.year},
        url=reverse("performance:annual_detail", args=[skp.pk]),
    )
    return keberatan


@transaction.atomic
def decide_keberatan(
    *,
    actor: User,
    keberatan: Keberatan,
    decision: str,
    note: str,
    hasil_kerja: str = "",
    perilaku_kerja: str = "",
) -> Keberatan:
    """The atasan pejabat penilai upholds the rating or changes it (predikat recomputed)."""
    keberatan = (
        Keberatan.objects.select_for_update()
        .select_related("rating__skp__employee", "rating__skp__cycle")
        .get(pk=keberatan.pk)
    )
    rating = keberatan.rating
    skp = rating.skp
    if not (actor.is_authenticated and skp.atasan_pejabat_penilai_id == actor.pk):
        raise PermissionDenied(_("Hanya atasan pejabat penilai yang memutuskan keberatan."))
    if keberatan.status != Keberatan.Status.DIAJUKAN:
        raise ValidationError(_("Keberatan ini sudah diputuskan."))
    if decision == Keberatan.Status.DIUBAH:
        rule = head_rule(skp)
        if rule is not None and rule.capaian:
            hasil_kerja = rule.rating  # the head's hasil kerja follows the capaian, locked
    errors = {}
    if decision not in (Keberatan.Status.DITOLAK, Keberatan.Status.DIUBAH):
        errors["decision"] = _("Pilih keputusan: pertahankan atau ubah penilaian.")
    if not note.strip():
        errors["note"] = _("Tuliskan alasan keputusan.")
    codes = rules.rating_codes()
    if decision == Keberatan.Status.DIUBAH:
        if hasil_kerja not in codes:
            errors["hasil_kerja"] = _("Pilih rating hasil kerja.")
        if perilaku_kerja not in codes:
            errors["perilaku_kerja"] = _("Pilih rating perilaku kerja.")
    if errors:
        raise ValidationError(errors)
    if decision == Keberatan.Status.DIUBAH:
        rating.rating_hasil_kerja = hasil_kerja
        rating.rating_perilaku_kerja = perilaku_kerja
        rating.predikat = rules.predikat(hasil_kerja, perilaku_kerja)
        rating.save()
    keberatan.status = decision
    keberatan.decision_note = note.strip()
    keberatan.decided_by = actor
    keberatan.decided_at = timezone.now()
    keberatan.new_predikat = rating.predikat
    keberatan.save()
    notify(
        recipient=skp.employee,
        actor=actor,
        message=_("Keberatan Anda sudah diputuskan: %(status)s.")
        % {"status": keberatan.get_status_display()},
        url=reverse("performance:annual_detail", args=[skp.pk]),
    )
    return keberatan
