"""The rules of `performance.rights.checks` as a `Q` for lists (`rater_q`, `visible_q`), in a
number of queries that does not grow with people, SKPs or assignments; and the team a person
rates (`team`, `team_members`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q

from portal import authority
from portal.models import User
from portal.staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation

from .capacities import ATASAN, NOTHING
from .checks import today


def _skp_model():
    return apps.get_model("performance", "Skp")


# --- lists -----------------------------------------------------------------------------------


@dataclass
class Standing:
    """What `user` holds on `day` besides being someone's recorded pejabat penilai: the people
    they may rate as Plt/Plh, delegate or designated rater (`stand_ins`: person id ->
    capacity), and whether they were ever named a designated rater (closed SKPs)."""

    day: dt.date
    stand_ins: dict[int, str] = field(default_factory=dict)
    designated_ever: bool = False

    @property
    def stand_in_ids(self) -> set[int]:
        return set(self.stand_ins)


def standing(user, day: dt.date | None = None) -> Standing:
    """One query for most people (no acting post, delegation or designation); at most about
    fifteen, whatever the number of people, SKPs or assignments."""
    day = day or today()
    uid = user.pk
    flags = (
        User.objects.filter(pk=uid)
        .values_list(
            Exists(ActingAppointment.objects.on(day).filter(person_id=uid)),
            Exists(RatingDelegation.objects.on(day).filter(delegate_id=uid)),
            Exists(DesignatedRater.objects.filter(rater_id=uid)),
        )
        .first()
    )
    result = Standing(day=day)
    if not flags or not any(flags):
        return result
    acting, delegated, designated = flags
    result.designated_ever = bool(designated)
    candidates: set[int] = set()
    if designated:
        candidates |= set(
            DesignatedRater.objects.on(day).filter(rater_id=uid).values_list("person_id", flat=True)
        )
    delegators: set[int] = set()
    if delegated:
        delegators = set(
            RatingDelegation.objects.on(day)
            .filter(delegate_id=uid)
            .values_list("delegator_id", flat=True)
        )
    acting_for = {uid} if acting else set()
    units = set(
        ActingAppointment.objects.on(day)
        .filter(person_id__in=acting_for | delegators)
        .values_list("org_unit_id", flat=True)
    )
    if units:  # everyone in those units and in the units just below them
        inside = Q(org_unit_id__in=units) | Q(org_unit__parent_id__in=units)
        candidates |= set(
            Assignment.objects.on(day).filter(inside).values_list("person_id", flat=True)
        )
        candidates |= set(
            User.objects.filter(inside, assignments__isnull=True).values_list("pk", flat=True)
        )
    if delegators:  # the people of the supervisors on leave
        candidates |= set(
            Assignment.objects.on(day)
            .filter(atasan_id__in=delegators)
            .values_list("person_id", flat=True)
        )
        candidates |= set(
            User.objects.filter(
                atasan_id__in=delegators, org_unit__isnull=False, assignments__isnull=True
            ).values_list("pk", flat=True)
        )
    raters = authority.rater_map(candidates, day)
    result.stand_ins = {
        pk: found[uid] for pk, found in raters.items() if found.get(uid) not in (None, ATASAN)
    }
    return result


def _designated_q(prefix: str, day: dt.date, *, current: bool, **who) -> Q:
    """SKPs whose employee has a designation matching `who` on the SKP's reference day: while
    the SKP is in force (`current`) that day, else its last day (closed) or first (not begun)."""
    p = prefix

    def rows(at):
        return DesignatedRater.objects.filter(
            Q(end__isnull=True) | Q(end__gte=at),
            person_id=OuterRef(f"{p}employee_id"),
            start__lte=at,
            **who,
        )

    q = Q(**{f"{p}ends_on__lt": day}) & Exists(rows(OuterRef(f"{p}ends_on")))
    q |= Q(**{f"{p}starts_on__gt": day}) & Exists(rows(OuterRef(f"{p}starts_on")))
    if current:
        q |= _current_q(p, day) & Exists(rows(day))
    return q


def _current_q(p: str, day: dt.date) -> Q:
    return Q(**{f"{p}starts_on__lte": day}) & (
        Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": day})
    )


def _record_q(user, p: str) -> Q:
    """The recorded pejabat penilai whose record stands (`penilai_is_current`)."""
    linked = Q(**{f"{p}assignment__isnull": False}) & (
        Q(**{f"{p}register_atasan": F(f"{p}assignment__atasan")})
        | Q(**{f"{p}register_atasan__isnull": True, f"{p}assignment__atasan__isnull": True})
    )
    unlinked = Q(**{f"{p}assignment__isnull": True}) & (
        Q(**{f"{p}register_atasan": F(f"{p}employee__atasan")})
        | Q(**{f"{p}register_atasan__isnull": True, f"{p}employee__atasan__isnull": True})
    )
    return Q(**{f"{p}pejabat_penilai": user}) & (linked | unlinked)


def rater_q(
    user, day: dt.date | None = None, *, prefix: str = "", held: Standing | None = None
) -> Q:
    """SKPs (`prefix` "skp__": reports) `user` may act on on `day`: `capacity` is not None."""
    if not user.is_authenticated:
        return NOTHING
    p = prefix
    held = held or standing(user, day)
    day = held.day
    q = _record_q(user, p)
    if held.stand_in_ids:
        q |= _current_q(p, day) & Q(**{f"{p}employee_id__in": held.stand_in_ids})
    if held.designated_ever:
        q |= _designated_q(p, day, current=False, rater_id=user.pk)
    if user.is_bkpsdm_admin:
        q |= Q(**{f"{p}pejabat_penilai__isnull": True}) & _designated_q(
            p, day, current=True, rater__isnull=True
        )
    return q & ~Q(**{f"{p}employee_id": user.pk})


def visible_q(user, prefix: str = "") -> Q:
    """SKPs (`prefix` "skp__": reports) `user` may read (`can_view_skp`)."""
    if not user.is_authenticated:
        return NOTHING
    if user.is_bkpsdm_admin:
        return Q()
    p = prefix
    held = standing(user)
    later = _skp_model().objects.filter(
        rater_q(user, held=held),
        employee_id=OuterRef(f"{p}employee_id"),
        cycle_id=OuterRef(f"{p}cycle_id"),
        starts_on__gt=OuterRef(f"{p}starts_on"),
    )
    return (
        Q(**{f"{p}employee": user})
        | Q(**{f"{p}atasan_pejabat_penilai": user})
        | rater_q(user, prefix=p, held=held)
        | Exists(later)
    )


def team(user, day: dt.date | None = None) -> dict[int, str]:
    """The people `user` rates on `day`, person id -> capacity: those whose post names them as
    atasan ("atasan"), and those they stand in for (Plt/Plh, delegation, designated rater). A
    handful of queries, whatever the size of the team or the number of assignments."""
    day = day or today()
    found = dict(standing(user, day).stand_ins)
    found.update(dict.fromkeys(authority.bawahan_ids_on(user, day), ATASAN))
    return found


def team_members(user, day: dt.date | None = None, *, capacities: dict[int, str] | None = None):
    """The active people of `team` (`capacities`: `team(user, day)` when the caller has it):
    the one list behind /kinerja/tim/ and every count of "the people I rate" (the beranda), so
    a designated rater's heads count with her bawahan."""
    if capacities is None:
        capacities = team(user, day)
    return User.objects.filter(pk__in=capacities, is_active=True)
