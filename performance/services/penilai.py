"""Who rates whom after the staff register moves without a dated transfer.

An SKP keeps the pejabat penilai recorded when it was made. A change of post recorded with a
date (`portal.staffing.services`) closes the SKP and drafts the next (`services.transfer`). When
the atasan of the SKP's post changes otherwise (a direct write of `User.atasan` for a person
without dated posts), `rights.penilai_is_current` stops answering yes for the recorded one, so
the former atasan can neither rate nor open the open reports. Admin BKPSDM then re-points the
open SKPs here; each change is written in the SKP's and each open report's history ("pejabat
penilai diganti: A -> B oleh X").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from performance.models import PeriodicReport, ReportEvent, Skp, today
from portal.models import User
from portal.notifications import notify
from portal.staffing.checks import check_may_act, check_not_below, check_not_self

from .common import skp_event
from .history import ChangedBy, Kind, Via, penilai_state, record_skp_version


def lapsed_skps() -> QuerySet[Skp]:
    """Open SKPs (no annual rating yet) whose pejabat penilai lapsed, for Admin BKPSDM's list."""
    return (
        Skp.objects.penilai_lapsed()
        .filter(annual_rating__isnull=True)
        .select_related("employee__atasan", "employee__org_unit", "cycle", "pejabat_penilai")
        .order_by("employee__full_name", "-cycle__year", "pk")
    )


def require_eligible_penilai(target: User, employee_id: int) -> None:
    """`target` may be recorded as the pejabat penilai of the employee: not the employee
    themself, and active (else a ValidationError on the NIP field)."""
    if target.pk == employee_id:
        raise ValidationError(
            {"penilai_nip": _("Pegawai tidak dapat menjadi pejabat penilai dirinya sendiri.")}
        )
    if not target.is_active:
        raise ValidationError(
            {"penilai_nip": _("%(name)s tidak aktif.") % {"name": target.full_name}}
        )


def repoint_skp(*, skp: Skp, target: User, note: str, by: ChangedBy) -> Skp:
    """Make `target` the pejabat penilai of `skp` (locked by the caller, with its employee,
    cycle, pejabat penilai and post): the chain above follows `target`, the register's atasan of
    today is recorded, the SKP and each open (unrated) report get `note` in their history and
    the change is kept as a version (`by`: the actor, and for a correction its grounds)."""
    employee = skp.employee
    old = penilai_state(skp)
    chain_top = target.atasan
    skp.pejabat_penilai = target
    skp.pejabat_penilai_name = target.full_name
    skp.pejabat_penilai_jabatan = target.jabatan
    skp.atasan_pejabat_penilai = chain_top if chain_top and chain_top != employee else None
    skp.atasan_pejabat_penilai_name = (
        skp.atasan_pejabat_penilai.full_name if skp.atasan_pejabat_penilai else ""
    )
    # The atasan of the SKP's post now, so the new record stands (rights.penilai_is_current).
    skp.register_atasan_id = skp.assignment.atasan_id if skp.assignment_id else employee.atasan_id
    skp.full_clean()
    skp.save()
    skp_event(skp, by.actor, skp.status, note=note)
    ReportEvent.objects.bulk_create(
        ReportEvent(report_id=pk, actor=by.actor, from_status=status, to_status=status, note=note)
        for pk, status in skp.reports.exclude(status=PeriodicReport.Status.DINILAI)
        .values_list("pk", "status")
        .order_by("pk")
    )
    record_skp_version(Kind.PENILAI, skp.pk, skp, by, old=old, new=penilai_state(skp))
    return skp


@transaction.atomic
def reassign_penilai(*, actor: User, employee: User, penilai: User | None = None) -> list[Skp]:
    """Re-point the employee's open SKPs (those without an annual rating) to `penilai`, or to
    the employee's current atasan when none is given. The chain above follows the new pejabat
    penilai; the register's atasan of today is recorded so the new appointment holds until the
    register moves again. Writes an SkpEvent and a ReportEvent per open (unrated) report and
    notifies the new pejabat penilai. Only Admin BKPSDM may do it."""
    if not (actor.is_authenticated and actor.is_bkpsdm_admin):
        raise PermissionDenied(_("Hanya Admin BKPSDM yang dapat mengganti pejabat penilai."))
    employee = User.objects.select_related("atasan").get(pk=employee.pk)
    target = penilai or employee.atasan
    if target is None:
        raise ValidationError(
            {
                "penilai_nip": _(
                    "%(name)s belum punya atasan di data kepegawaian: tulis NIP pejabat "
                    "penilai yang dipilih, atau perbaiki atasannya dulu."
                )
                % {"name": employee.full_name}
            }
        )
    require_eligible_penilai(target, employee.pk)
    check_not_self(actor, employee, target)
    check_not_below(person=employee, rater=target, day=today(), field="penilai_nip")
    check_may_act(target, start=today(), end=None, field="penilai_nip", role=_("pejabat penilai"))
    # Not the SKPs closed by a transfer: their pejabat penilai finishes them (performance.rights).
    skps = list(
        Skp.objects.select_for_update(of=("self",))
        .filter(employee=employee, annual_rating__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today()))
        .select_related("employee", "cycle", "pejabat_penilai", "assignment")
        .order_by("pk")
    )
    changed = []
    for skp in skps:
        if skp.pejabat_penilai_id == target.pk and skp.penilai_is_current:
            continue
        note = _("Pejabat penilai diganti: %(old)s -> %(new)s oleh %(actor)s") % {
            "old": skp.pejabat_penilai_name or "-",
            "new": target.full_name,
            "actor": actor.full_name,
        }
        repoint_skp(skp=skp, target=target, note=note, by=ChangedBy(actor, Via.PENGALIHAN))
        changed.append(skp)
    if not changed:
        raise ValidationError(
            _("Tidak ada SKP terbuka milik %(name)s yang perlu dialihkan ke %(new)s.")
            % {"name": employee.full_name, "new": target.full_name}
        )
    notify(
        recipient=target,
        actor=actor,
        message=_("Anda kini pejabat penilai %(name)s.") % {"name": employee.full_name},
        url=reverse("performance:skp_detail", args=[changed[-1].pk]),
    )
    return changed
