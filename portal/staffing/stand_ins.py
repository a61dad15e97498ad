"""When a person's last post ends, the rights they hold in someone else's place end with it:
their Plt/Plh appointments, the delegations they gave or received and the designations naming
them as rater (issue 17).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.audit import Kind, record_change
from portal.models import User

from .acting import acting_label
from .checks import (
    format_date,
)
from .delegations import delegation_label
from .designations import designation_label
from .models import ActingAppointment, DesignatedRater, RatingDelegation


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
        cut(acting, Kind.ACTING_ENDED, person, acting_label)
    for delegation in (
        RatingDelegation.objects.select_for_update()
        .filter(Q(delegate=person) | Q(delegator=person), end__gt=end)
        .select_related("delegate", "delegator")
    ):
        cut(delegation, Kind.RATING_DELEGATION, delegation.delegator, delegation_label)
    for designation in (
        DesignatedRater.objects.select_for_update()
        .filter(Q(end__isnull=True) | Q(end__gt=end), rater=person)
        .select_related("person", "rater")
    ):
        cut(designation, Kind.DESIGNATED_RATER, designation.person, designation_label)
    return changed
