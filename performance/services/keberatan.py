"""Keberatan: the employee objects to the annual predikat once the OPD's results are final, and
the atasan pejabat penilai upholds or changes the rating (a version is kept)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from performance import rules
from performance.models import AnnualRating, Keberatan, Skp, today
from portal.models import User
from portal.notifications import notify, notify_users

from . import approval
from .capaian import head_rule
from .evaluation import final_unit_for
from .history import ChangedBy, Via, rating_state, record_rating_version


def decider_id(skp: Skp, rating: AnnualRating) -> int | None:
    """Who decides an objection to `rating`: the atasan pejabat penilai, unless they gave the
    rating themselves (a Kepala Dinas rating as delegate of a Kabid on leave is also the atasan
    pejabat penilai) or there is none, or their account is closed; then Admin BKPSDM decides
    (None). Nobody decides an objection against their own rating."""
    above = skp.atasan_pejabat_penilai
    if above is None or not above.is_active or rating.rated_by_id == above.pk:
        return None
    return above.pk


def may_decide(user: User, skp: Skp, rating: AnnualRating) -> bool:
    if not user.is_authenticated or skp.is_owner(user) or rating.rated_by_id == user.pk:
        return False
    decider = decider_id(skp, rating)
    return user.pk == decider if decider is not None else user.is_bkpsdm_admin


def keberatan_days() -> int:
    return settings.PERFORMANCE_KEBERATAN_DAYS


def keberatan_deadline(skp: Skp) -> dt.date | None:
    final = final_unit_for(skp)
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
    decider = decider_id(skp, rating)
    recipients = [decider] if decider is not None else approval.admin_ids()
    notify_users(
        urls=dict.fromkeys(
            (pk for pk in recipients if pk not in (skp.employee_id, rating.rated_by_id)),
            reverse("performance:annual_detail", args=[skp.pk]),
        ),
        actor=actor,
        message=_("%(name)s mengajukan keberatan atas predikat tahunan %(year)s.")
        % {"name": skp.employee.full_name, "year": skp.cycle.year},
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
    """The decider (`decider_id`: the atasan pejabat penilai, or Admin BKPSDM where that would
    be the rater themselves) upholds the rating or changes it (predikat recomputed)."""
    keberatan = (
        Keberatan.objects.select_for_update()
        .select_related("rating__skp__employee", "rating__skp__cycle")
        .get(pk=keberatan.pk)
    )
    rating = keberatan.rating
    skp = rating.skp
    if not may_decide(actor, skp, rating):
        raise PermissionDenied(
            _(
                "Hanya atasan pejabat penilai yang memutuskan keberatan; Admin BKPSDM bila "
                "atasan itu sendiri yang memberi penilaian. Tidak ada yang memutuskan keberatan "
                "atas penilaiannya sendiri."
            )
        )
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
    if decision == Keberatan.Status.DIUBAH:
        errors.update(rules.rating_errors(hasil_kerja, perilaku_kerja))
    if errors:
        raise ValidationError(errors)
    if decision == Keberatan.Status.DIUBAH:
        old = rating_state(rating)
        rating.rating_hasil_kerja = hasil_kerja
        rating.rating_perilaku_kerja = perilaku_kerja
        rating.predikat = rules.predikat(hasil_kerja, perilaku_kerja)
        rating.save()
        record_rating_version(rating, ChangedBy(actor, Via.KEBERATAN, note), skp=skp, old=old)
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
