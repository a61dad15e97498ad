"""Rating delegations (issue 17): a supervisor on leave hands rating to their own atasan for a
while; a delegation ends when its delegator moves to a post under someone else.

Imported through `portal.staffing.services` (the write API and its rules).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import authority
from portal.audit import Kind, Source, record_change, save_new
from portal.models import User
from portal.notifications import notify

from .checks import (
    ONE_DAY,
    check_may_act,
    check_range,
    format_date,
    lock_person,
    require,
)
from .models import RatingDelegation


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
    save_new(
        delegation,
        actor=actor,
        subject=actor,
        kind=Kind.RATING_DELEGATION,
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


def delegation_label(delegation: RatingDelegation) -> str:
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
    before = delegation_label(delegation)
    if delegation.start >= day:
        delegation.delete()
        after, result = "", None
    else:
        delegation.end = day - ONE_DAY
        delegation.save(update_fields=["end"])
        after, result = delegation_label(delegation), delegation
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
        before = delegation_label(delegation)
        if delegation.start >= day:
            delegation.delete()
            after = ""
        else:
            delegation.end = day - ONE_DAY
            delegation.save(update_fields=["end"])
            after = delegation_label(delegation)
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
