"""Who acts for whom (issue 17): Plt/Plh appointments, rating delegations, designated raters.

Part of the staffing write API: import these from `portal.staffing_services` (which re-exports
them). Each service is atomic, refuses bad input with an Indonesian `ValidationError` and
records the change with `portal.audit.record_change` in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from . import authority
from .audit import Kind, Source, record_change
from .models import OrgUnit, User
from .notifications import notify
from .staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation
from .staffing_checks import (
    ONE_DAY,
    check_admin,
    check_may_act,
    check_not_below,
    check_not_self,
    check_range,
    format_date,
    lock_person,
    recorder,
    require,
)


def _acting_label(acting: ActingAppointment) -> str:
    return _("%(kind)s %(unit)s, %(start)s – %(end)s") % {
        "kind": acting.get_kind_display(),
        "unit": acting.org_unit,
        "start": format_date(acting.start),
        "end": format_date(acting.end),
    }


@transaction.atomic
def record_acting(
    *,
    actor: User | None,
    person: User,
    kind: str,
    org_unit: OrgUnit,
    start: dt.date,
    end: dt.date,
    sk_number: str,
) -> ActingAppointment:
    """Record a Plt (vacant head post) or Plh (holder away) of `org_unit` from `start` to `end`
    (both inclusive; the rights end by themselves after `end`). Refuses: end before start, no SK
    number, a Plt while the post is held on any of those days, a Plh while it is vacant on
    `start` or by its own holder, another Plt/Plh of that post overlapping."""
    check_admin(actor)
    check_not_self(actor, person)
    check_range(start, end)
    require(sk_number, "sk_number", _("Nomor SK Plt/Plh wajib diisi."))
    check_may_act(person, start=start, end=end, field="person", role=_("Plt/Plh"))
    list(OrgUnit.objects.select_for_update().filter(pk=org_unit.pk).values_list("pk"))
    holders = [
        a.person
        for a in Assignment.objects.overlapping(start, end)
        .filter(org_unit=org_unit, is_head=True)
        .select_related("person")
    ] or [h for h in [authority.head_of(org_unit, start)] if h is not None]
    if kind == ActingAppointment.Kind.PLT and holders:
        raise ValidationError(
            {
                "kind": _(
                    "Jabatan kepala %(unit)s terisi oleh %(name)s pada rentang tanggal itu; Plt "
                    "hanya untuk jabatan yang kosong (pejabat yang berhalangan sementara "
                    "diganti Plh)."
                )
                % {"unit": org_unit, "name": holders[0].full_name}
            }
        )
    if kind == ActingAppointment.Kind.PLH:
        holder = authority.head_of(org_unit, start)
        if holder is None:
            raise ValidationError(
                {
                    "kind": _(
                        "Jabatan kepala %(unit)s kosong pada %(date)s; untuk jabatan yang "
                        "kosong catat Plt, bukan Plh."
                    )
                    % {"unit": org_unit, "date": format_date(start)}
                }
            )
        if holder.pk == person.pk:
            raise ValidationError(
                {"person": _("Pemegang jabatan tidak dapat menjadi Plh atas jabatannya sendiri.")}
            )
    clash = (
        ActingAppointment.objects.overlapping(start, end)
        .filter(org_unit=org_unit)
        .select_related("person", "org_unit")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start": _(
                    "Sudah ada %(acting)s (%(name)s) yang tumpang tindih dengan tanggal ini."
                )
                % {"acting": _acting_label(clash), "name": clash.person.full_name}
            }
        )
    acting = ActingAppointment(
        person=person,
        kind=kind,
        org_unit=org_unit,
        start=start,
        end=end,
        sk_number=sk_number.strip(),
        recorded_by=recorder(actor),
    )
    acting.full_clean()
    acting.save()
    record_change(
        actor=actor,
        subject=person,
        kind=Kind.ACTING,
        old="",
        new=_acting_label(acting),
        source=Source.ADMIN_ACTION,
        note=_("SK %(number)s") % {"number": acting.sk_number},
    )
    return acting


@transaction.atomic
def end_acting(
    *, actor: User | None, acting: ActingAppointment, end: dt.date, reason: str
) -> ActingAppointment:
    """End a Plt/Plh earlier than recorded, `end` being its last day. Refuses without a reason,
    an end before its start, or later than the recorded end (an extension needs a new SK)."""
    check_admin(actor)
    require(reason, "reason", _("Alasan wajib diisi."))
    acting = (
        ActingAppointment.objects.select_for_update().select_related("org_unit").get(pk=acting.pk)
    )
    check_range(acting.start, end)
    if end > acting.end:
        raise ValidationError(
            {
                "end": _(
                    "Plt/Plh ini berakhir %(date)s; tanggal selesai hanya dapat dimajukan "
                    "(perpanjangan dicatat dengan SK baru)."
                )
                % {"date": format_date(acting.end)}
            }
        )
    before = _acting_label(acting)
    acting.end = end
    acting.save(update_fields=["end"])
    record_change(
        actor=actor,
        subject=acting.person,
        kind=Kind.ACTING_ENDED,
        old=before,
        new=_acting_label(acting),
        source=Source.ADMIN_ACTION,
        note=reason.strip(),
    )
    return acting


@transaction.atomic
def delegate_rating(*, actor: User, start: dt.date, end: dt.date, reason: str) -> RatingDelegation:
    """`actor` (a supervisor going on leave) lets their own atasan on `start` rate in their
    place from `start` to `end`. Refuses: end before start, no reason, no atasan in the portal
    on `start`, no bawahan on `start` (PermissionDenied), another delegation of `actor`
    overlapping. The delegate is notified."""
    check_range(start, end)
    require(reason, "reason", _("Alasan wajib diisi."))
    lock_person(actor)
    if not authority.bawahan_ids_on(actor, start):
        raise PermissionDenied(
            _("Delegasi penilaian hanya untuk atasan yang memiliki bawahan pada %(date)s.")
            % {"date": format_date(start)}
        )
    delegate = authority.atasan_on(actor, start)
    if delegate is None:
        raise ValidationError(
            _(
                "Anda tidak memiliki atasan di portal pada %(date)s; delegasi penilaian tidak "
                "dapat dicatat."
            )
            % {"date": format_date(start)}
        )
    check_may_act(delegate, start=start, end=end, field=None, role=_("penerima delegasi penilaian"))
    clash = RatingDelegation.objects.overlapping(start, end).filter(delegator=actor).first()
    if clash is not None:
        raise ValidationError(
            {
                "start": _(
                    "Sudah ada delegasi penilaian Anda %(start)s – %(end)s yang tumpang tindih "
                    "dengan tanggal ini."
                )
                % {"start": format_date(clash.start), "end": format_date(clash.end)}
            }
        )
    delegation = RatingDelegation(
        delegator=actor, delegate=delegate, start=start, end=end, reason=reason.strip()
    )
    delegation.full_clean()
    delegation.save()
    record_change(
        actor=actor,
        subject=actor,
        kind=Kind.RATING_DELEGATION,
        old="",
        new=delegate,
        source=Source.ACCOUNT,
        note=_("%(start)s – %(end)s; %(reason)s")
        % {"start": format_date(start), "end": format_date(end), "reason": delegation.reason},
    )
    notify(
        recipient=delegate,
        actor=actor,
        message=_("%(name)s mendelegasikan penilaian kepada Anda, %(start)s – %(end)s.")
        % {"name": actor.full_name, "start": format_date(start), "end": format_date(end)},
        url=reverse("portal:beranda"),
    )
    return delegation


def _delegation_label(delegation: RatingDelegation) -> str:
    return _("%(name)s, %(start)s – %(end)s") % {
        "name": delegation.delegate.full_name,
        "start": format_date(delegation.start),
        "end": format_date(delegation.end),
    }


@transaction.atomic
def cancel_delegation(*, actor: User, delegation: RatingDelegation) -> RatingDelegation | None:
    """The delegator takes rating back from today: a delegation not yet begun is removed, one
    in effect ends yesterday (its days stay on the record). Refuses anyone but the delegator
    and a delegation already over. Returns the ended row, None when it was removed."""
    delegation = (
        RatingDelegation.objects.select_for_update()
        .select_related("delegate")
        .get(pk=delegation.pk)
    )
    if delegation.delegator_id != actor.pk:
        raise PermissionDenied(_("Hanya pemberi delegasi yang dapat membatalkannya."))
    day = authority.today()
    if delegation.end < day:
        raise ValidationError(
            _("Delegasi ini sudah berakhir %(date)s.") % {"date": format_date(delegation.end)}
        )
    before = _delegation_label(delegation)
    if delegation.start >= day:
        delegation.delete()
        after, result = "", None
    else:
        delegation.end = day - ONE_DAY
        delegation.save(update_fields=["end"])
        after, result = _delegation_label(delegation), delegation
    record_change(
        actor=actor,
        subject=actor,
        kind=Kind.RATING_DELEGATION,
        old=before,
        new=after,
        source=Source.ACCOUNT,
        note=_("Delegasi dibatalkan."),
    )
    return result


@transaction.atomic
def designate_rater(
    *,
    actor: User | None,
    person: User,
    rater: User | None = None,
    external_rater: str = "",
    document_ref: str,
    start: dt.date,
    end: dt.date | None = None,
) -> DesignatedRater:
    """Name who rates `person` (who has no atasan in the portal on `start`): a portal user, or
    someone outside it by name (`external_rater`; Admin BKPSDM then records their rating). A
    designation in effect the day before ends on `start - 1`. Refuses: no document reference,
    neither or both raters, the person themselves or someone below them, end before start, a
    person with an atasan on `start`, a designation already recorded after `start`."""
    check_admin(actor)
    check_not_self(actor, person, rater)
    external_rater = external_rater.strip()
    require(document_ref, "document_ref", _("Dasar penunjukan (nomor atau dokumen) wajib diisi."))
    check_range(start, end)
    if rater is None and not external_rater:
        raise ValidationError(
            {"rater": _("Pilih penilai di portal atau tulis nama penilai di luar portal.")}
        )
    if rater is not None and external_rater:
        raise ValidationError(
            {"rater": _("Isi salah satu saja: penilai di portal atau penilai di luar portal.")}
        )
    if rater is not None:
        if rater.pk == person.pk:
            raise ValidationError(
                {"rater": _("Pegawai tidak dapat menjadi penilai dirinya sendiri.")}
            )
        check_not_below(person=person, rater=rater, day=start, field="rater")
        check_may_act(rater, start=start, end=end, field="rater", role=_("penilai yang ditunjuk"))
    lock_person(person)
    current = authority.assignment_on(person, start)
    if current is not None and current.atasan_id:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s memiliki atasan langsung pada %(date)s (%(atasan)s); penilai "
                    "hanya ditunjuk bagi pegawai tanpa atasan di portal."
                )
                % {
                    "name": person.full_name,
                    "date": format_date(start),
                    "atasan": current.atasan.full_name,
                }
            }
        )
    rows = list(DesignatedRater.objects.filter(person=person).select_related("rater"))
    later = [row for row in rows if row.start >= start]
    if later:
        raise ValidationError(
            {
                "start": _("Sudah ada penunjukan penilai mulai %(date)s untuk pegawai ini.")
                % {"date": format_date(later[0].start)}
            }
        )
    previous = next((row for row in rows if row.end is None or row.end >= start), None)
    if previous is not None:
        previous.end = start - ONE_DAY
        previous.save(update_fields=["end"])
    designated = DesignatedRater(
        person=person,
        rater=rater,
        external_rater=external_rater,
        document_ref=document_ref.strip(),
        start=start,
        end=end,
        recorded_by=recorder(actor),
    )
    designated.full_clean()
    designated.save()
    record_change(
        actor=actor,
        subject=person,
        kind=Kind.DESIGNATED_RATER,
        old=previous.rater_label if previous else "",
        new=designated.rater_label,
        source=Source.ADMIN_ACTION,
        note="; ".join(
            [_("Berlaku mulai %(date)s") % {"date": format_date(start)}, designated.document_ref]
        ),
    )
    return designated


def _designation_label(row: DesignatedRater) -> str:
    until = format_date(row.end) if row.end else _("seterusnya")
    return _("%(rater)s menilai %(name)s, %(start)s – %(end)s") % {
        "rater": row.rater_label,
        "name": row.person.full_name,
        "start": format_date(row.start),
        "end": until,
    }


def end_stand_ins(*, actor: User | None, person: User, end: dt.date, source: str) -> int:
    """`person`'s last post ended on `end` (retired, left, ended by the register): the rights
    they hold in someone else's place end with it. Their Plt/Plh appointments, the delegations
    they gave or received and the designations naming them as rater end on `end` (a row that
    begins later is removed), each recorded in the audit. Returns how many rows changed."""
    reason = _("Penempatan %(name)s berakhir %(date)s.") % {
        "name": person.full_name,
        "date": format_date(end),
    }
    changed = 0

    def cut(row, kind: str, subject: User, label) -> None:
        nonlocal changed
        before = label(row)
        if row.start > end:
            row.delete()
            after = ""
        else:
            row.end = end
            row.save(update_fields=["end"])
            after = label(row)
        record_change(
            actor=actor,
            subject=subject,
            kind=kind,
            old=before,
            new=after,
            source=source,
            note=reason,
        )
        changed += 1

    for acting in (
        ActingAppointment.objects.select_for_update()
        .filter(person=person, end__gt=end)
        .select_related("org_unit")
    ):
        cut(acting, Kind.ACTING_ENDED, person, _acting_label)
    for delegation in (
        RatingDelegation.objects.select_for_update()
        .filter(Q(delegate=person) | Q(delegator=person), end__gt=end)
        .select_related("delegate", "delegator")
    ):
        cut(delegation, Kind.RATING_DELEGATION, delegation.delegator, _delegation_label)
    for designation in (
        DesignatedRater.objects.select_for_update()
        .filter(Q(end__isnull=True) | Q(end__gt=end), rater=person)
        .select_related("person", "rater")
    ):
        cut(designation, Kind.DESIGNATED_RATER, designation.person, _designation_label)
    return changed


def end_moved_delegations(
    *, actor: User | None, people: list[int], day: dt.date, source: str
) -> int:
    """`people` hold a new post from `day`: a delegation one of them gave that runs on to `day`
    or later ends on `day - 1` (one that begins on `day` or later is removed) unless its
    delegate is still their atasan then. A delegation is to the delegator's atasan of the time;
    it does not follow them to a new team under someone else. Returns how many rows changed.
    One query when nobody moved has delegated."""
    changed = 0
    for delegation in (
        RatingDelegation.objects.select_for_update()
        .filter(delegator_id__in=people, end__gte=day)
        .select_related("delegate", "delegator")
    ):
        at = max(delegation.start, day)
        atasan = authority.atasan_on(delegation.delegator_id, at)
        if atasan is not None and atasan.pk == delegation.delegate_id:
            continue
        before = _delegation_label(delegation)
        if delegation.start >= day:
            delegation.delete()
            after = ""
        else:
            delegation.end = day - ONE_DAY
            delegation.save(update_fields=["end"])
            after = _delegation_label(delegation)
        record_change(
            actor=actor,
            subject=delegation.delegator,
            kind=Kind.RATING_DELEGATION,
            old=before,
            new=after,
            source=source,
            note=_("Delegasi berakhir karena pemberi delegasi pindah jabatan mulai %(date)s.")
            % {"date": format_date(day)},
        )
        changed += 1
    return changed
