"""Plt/Plh appointments (issue 17): a person holding the head post of a unit for a while.

Imported through `portal.staffing.services` (the write API and its rules).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import authority
from portal.audit import Kind, Source, record_change
from portal.models import OrgUnit, User

from .checks import (
    check_admin,
    check_may_act,
    check_not_self,
    check_range,
    format_date,
    require,
    save_admin_record,
)
from .models import ActingAppointment, Assignment


def acting_label(acting: ActingAppointment) -> str:
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
                % {"acting": acting_label(clash), "name": clash.person.full_name}
            }
        )
    acting = ActingAppointment(
        person=person,
        kind=kind,
        org_unit=org_unit,
        start=start,
        end=end,
        sk_number=sk_number.strip(),
    )
    return save_admin_record(
        acting,
        actor=actor,
        kind=Kind.ACTING,
        new=acting_label(acting),
        note=_("SK %(number)s") % {"number": acting.sk_number},
    )


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
    before = acting_label(acting)
    acting.end = end
    acting.save(update_fields=["end"])
    record_change(
        actor=actor,
        subject=acting.person,
        kind=Kind.ACTING_ENDED,
        old=before,
        new=acting_label(acting),
        source=Source.ADMIN_ACTION,
        note=reason.strip(),
    )
    return acting
