"""Answering an SKP: its submission to whoever rates it, approval (one or many at once) and
return (issue 17: finalisation never deadlocks, nothing is approved by itself).

Who answers a submitted SKP (`answered_by`): its pejabat penilai in the portal; else whoever
may rate the employee that day in the portal (a designated rater, a Plt/Plh, a delegate);
else, for a rater designated outside the portal (the Wali Kota, say), Admin BKPSDM records the
approval on that rater's behalf; else nobody is designated yet: the SKP waits, Admin BKPSDM
is told, and either designates a rater (`portal.staffing.services.designate_rater`) or approves
on behalf of the pejabat penilai with the document the approval rests on.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from performance import rights
from performance.models import Rhk, Skp, today
from portal import authority
from portal.models import ADMIN_BKPSDM, User
from portal.notifications import notify, notify_users
from portal.outcome import Outcome, refusal_reason

from .common import require_skp_owner_editable, skp_event, skp_for_update

PENILAI = "penilai"  # the pejabat penilai recorded on the SKP
STAND_IN = "ditunjuk"  # a designated rater, Plt/Plh or delegate in the portal
ON_BEHALF = "atas_nama"  # Admin BKPSDM for a designated rater outside the portal
WAITING = "menunggu"  # nobody designated yet: Admin BKPSDM designates or approves on behalf


def admin_ids() -> list[int]:
    """The active Admin BKPSDM accounts (the group, and superusers)."""
    return list(
        User.objects.active()
        .filter(Q(groups__name=ADMIN_BKPSDM) | Q(is_superuser=True))
        .distinct()
        .values_list("pk", flat=True)
    )


def answered_by(skp: Skp) -> tuple[str, list[int]]:
    """How the submitted `skp` is answered today, and who is told: (PENILAI, [pejabat
    penilai]), (STAND_IN, [raters in the portal]), (ON_BEHALF, [Admin BKPSDM]) or (WAITING,
    [Admin BKPSDM]). A fixed number of queries."""
    if skp.pejabat_penilai_id is not None:
        return PENILAI, [skp.pejabat_penilai_id]
    day = today()
    raters = authority.rater_ids_for(skp.employee_id, rights.reference_day(skp, day))
    # an atasan not recorded on the SKP acts only once recorded (`rights.capacity`)
    stand_ins = [pk for pk, kind in raters.items() if kind != rights.ATASAN]
    if stand_ins:
        return STAND_IN, stand_ins
    admins = [pk for pk in admin_ids() if pk != skp.employee_id]  # never told to approve their own
    if rights.external_rater(skp, day) is not None:
        return ON_BEHALF, admins
    return WAITING, admins


def _submission_note(route: str) -> str:
    if route == ON_BEHALF:
        return _("Penilai di luar portal: Admin BKPSDM mencatat persetujuannya atas namanya.")
    if route == WAITING:
        return _(
            "Belum ada pejabat penilai di portal: menunggu Admin BKPSDM menunjuk penilai atau "
            "menyetujui atas nama pejabat penilai dengan dokumen."
        )
    return ""


def _notification_text(route: str, skp: Skp) -> str:
    names = {"name": skp.employee.full_name, "year": skp.cycle.year}
    if route == ON_BEHALF:
        return (
            _(
                "%(name)s mengajukan SKP %(year)s; penilainya di luar portal. Catat persetujuannya "
                "atas nama penilai."
            )
            % names
        )
    if route == WAITING:
        return (
            _(
                "SKP %(year)s %(name)s menunggu: pegawai ini belum punya pejabat penilai di portal. "
                "Tunjuk penilainya, atau setujui atas nama pejabat penilai dengan nomor dokumen."
            )
            % names
        )
    return _("%(name)s mengajukan SKP %(year)s untuk disetujui.") % names


def submission_message(skp: Skp) -> str:
    """What the employee reads after submitting `skp`."""
    route = answered_by(skp)[0]
    if route == ON_BEHALF:
        return _(
            "SKP diajukan. Penilai Anda berada di luar portal; Admin BKPSDM mencatat "
            "persetujuannya."
        )
    if route == WAITING:
        return _(
            "SKP diajukan, tetapi Anda belum punya pejabat penilai di portal. Admin BKPSDM sudah "
            "diberi tahu untuk menunjuk penilai Anda; SKP menunggu sampai itu."
        )
    return _("SKP diajukan kepada pejabat penilai.")


@transaction.atomic
def submit_skp(*, actor: User, skp: Skp) -> Skp:
    """The employee submits their SKP to whoever answers it (`answered_by`), told by a
    notification. Never approved by itself: without a rater in the portal it waits, with a note
    in its history, for Admin BKPSDM (told too) to designate one or approve on behalf."""
    skp = skp_for_update(skp)
    require_skp_owner_editable(actor, skp)
    rhks = list(skp.rhks.prefetch_related("indicators"))
    if not any(r.jenis == Rhk.Jenis.UTAMA for r in rhks):
        raise ValidationError(_("Tambahkan minimal satu RHK utama sebelum mengajukan SKP."))
    missing = [r.text for r in rhks if not r.indicators.all()]
    if missing:
        raise ValidationError(
            _("Setiap RHK perlu minimal satu indikator. Belum ada indikator untuk: %(rhk)s")
            % {"rhk": "; ".join(missing)}
        )
    old = skp.status
    skp.status = Skp.Status.DIAJUKAN
    skp.submitted_at = timezone.now()
    skp.save()
    route, recipients = answered_by(skp)
    skp_event(skp, actor, old, _submission_note(route))
    notify_users(
        urls=dict.fromkeys(recipients, skp.get_absolute_url()),
        actor=actor,
        message=_notification_text(route, skp),
    )
    return skp


def check_approve_skp(*, actor: User, skp: Skp, document_ref: str = "") -> str | None:
    """The rules of `approve_skp`, without writing (the bulk confirmation shows them): whoever
    may act on the SKP today (`rights.capacity`: the pejabat penilai, Plt/Plh, delegate,
    designated rater, Admin BKPSDM for a designated rater outside the portal); for an employee
    nobody rates yet (`answered_by` says WAITING), Admin BKPSDM on behalf of the pejabat
    penilai with the `document_ref` it rests on. A submitted SKP only. Returns the capacity
    (None: Admin BKPSDM on behalf); raises PermissionDenied or ValidationError."""
    if actor.is_authenticated and skp.employee_id == actor.pk:  # on no path, in no capacity
        raise PermissionDenied(_("Anda tidak dapat menyetujui SKP Anda sendiri."))
    kind = rights.capacity(actor, skp)
    if kind is None:
        if not (actor.is_authenticated and actor.is_bkpsdm_admin):
            raise PermissionDenied(_("Hanya pejabat penilai yang dapat menyetujui SKP ini."))
        if answered_by(skp)[0] != WAITING:
            raise PermissionDenied(
                _("SKP ini disetujui oleh penilainya di portal, bukan oleh Admin BKPSDM.")
            )
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(_("Hanya SKP yang diajukan yang bisa disetujui."))
    if kind is None and not document_ref.strip():
        raise ValidationError(
            {
                "document_ref": _(
                    "Pegawai ini belum punya penilai di portal. Tunjuk penilainya, atau tulis "
                    "nomor dokumen yang menjadi dasar persetujuan atas nama pejabat penilai "
                    "(setujui satu per satu dari halaman SKP)."
                )
            }
        )
    return kind


@transaction.atomic
def approve_skp(*, actor: User, skp: Skp, document_ref: str = "") -> Skp:
    skp = skp_for_update(skp)
    kind = check_approve_skp(actor=actor, skp=skp, document_ref=document_ref)
    old = skp.status
    skp.status = Skp.Status.DISETUJUI
    skp.approved_at = timezone.now()
    skp.save()
    if kind is None:
        note = _(
            "Disetujui Admin BKPSDM %(name)s atas nama pejabat penilai (pegawai belum punya "
            "penilai di portal); dokumen: %(document)s"
        ) % {"name": actor.full_name, "document": document_ref.strip()}
    else:
        note = rights.act_note(actor, skp, kind)
    skp_event(skp, actor, old, note)
    notify(
        recipient=skp.employee,
        actor=actor,
        message=_("SKP %(year)s Anda disetujui.") % {"year": skp.cycle.year},
        url=skp.get_absolute_url(),
    )
    return skp


def approval_refusal(*, actor: User, skp: Skp) -> str:
    """Why `approve_skp` would refuse this SKP now ("" when it would approve it)."""
    try:
        check_approve_skp(actor=actor, skp=skp)
    except (PermissionDenied, ValidationError) as exc:
        return refusal_reason(exc)
    return ""


def approve_skps(*, actor: User, skps: Iterable[Skp]) -> Outcome[Skp]:
    """Approve many SKPs, each through `approve_skp` (the same checks, in its own transaction:
    one refused SKP undoes nothing of the others). Returns the SKPs approved (`done`) and the
    ones refused with the reason."""
    result: Outcome[Skp] = Outcome()
    for skp in skps:
        try:
            result.done.append(approve_skp(actor=actor, skp=skp))
        except (PermissionDenied, ValidationError) as exc:
            result.refuse(skp, exc)
    return result


def _submitted_skp_of(
    actor: User, skp: Skp, *, not_penilai: str, not_submitted: str
) -> tuple[Skp, str]:
    """The SKP locked, once `actor` may act on it (`rights.capacity`, returned with it) and it
    waits for their answer."""
    skp = skp_for_update(skp)
    kind = rights.capacity(actor, skp)
    if kind is None:
        raise PermissionDenied(not_penilai)
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(not_submitted)
    return skp, kind


def _answer_skp(actor: User, skp: Skp, status: str, *, message: str, note: str = "") -> Skp:
    """The pejabat penilai's answer: the new status saved, recorded and told to the employee."""
    old = skp.status
    skp.status = status
    skp.save()
    skp_event(skp, actor, old, note)
    notify(recipient=skp.employee, actor=actor, message=message, url=skp.get_absolute_url())
    return skp


@transaction.atomic
def return_skp(*, actor: User, skp: Skp, note: str) -> Skp:
    skp, kind = _submitted_skp_of(
        actor,
        skp,
        not_penilai=_("Hanya pejabat penilai yang dapat mengembalikan SKP ini."),
        not_submitted=_("Hanya SKP yang diajukan yang bisa dikembalikan."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Tulis catatan: apa yang perlu diperbaiki.")})
    skp.return_note = note.strip()
    return _answer_skp(
        actor,
        skp,
        Skp.Status.DIKEMBALIKAN,
        message=_("SKP %(year)s Anda dikembalikan untuk diperbaiki.") % {"year": skp.cycle.year},
        note=rights.with_note(skp.return_note, rights.act_note(actor, skp, kind)),
    )
