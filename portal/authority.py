"""Who holds which post and who may rate whom, on a date (issue 17): the one read API.

Pure reads over `portal.staffing` (assignments, Plt/Plh, delegations, designated raters). Every
`day` defaults to today in the portal's time zone (Asia/Jakarta). A person is passed as a `User`
or its id; a unit as an `OrgUnit` or its id.

A person with no assignment row at all (made before issue 17 by a direct write, e.g. a test
factory or a shell) is read from the User snapshot (`org_unit`, `atasan`, `jabatan`,
`jenis_jabatan`) as an open assignment since 1 January of the day's year (the start of the
cycle), holding the head post when a JPT sits at the top of an OPD, as the code treated heads
before. The first write through `portal.staffing.services` turns that into a real row. A person
with rows is never read from the snapshot.

Capacities in `rater_ids_for` / `rater_map`: "atasan", "plt", "plh", "delegasi",
"penilai_ditunjuk" (`RATER_CAPACITIES`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from .models import OrgUnit, User
from .staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation

ATASAN = "atasan"
DELEGASI = "delegasi"
PENILAI_DITUNJUK = "penilai_ditunjuk"
RATER_CAPACITIES = (ATASAN, *ActingAppointment.Kind.values, DELEGASI, PENILAI_DITUNJUK)

Person = User | int
Unit = OrgUnit | int


def today() -> dt.date:
    return timezone.localdate()


def _pk(obj: object) -> int:
    return obj if isinstance(obj, int) else obj.pk


def cycle_start(day: dt.date) -> dt.date:
    """Where an assignment read from the snapshot starts: 1 January of `day`'s year."""
    return dt.date(day.year, 1, 1)


def snapshot_is_head(*, jenis_jabatan: str, unit_parent_id: int | None) -> bool:
    """The head post as the code knew it before issue 17: a JPT at the top of an OPD."""
    return jenis_jabatan == User.JenisJabatan.JPT and unit_parent_id is None


def assignments_on(
    people: Iterable[Person], day: dt.date | None = None, *, related: bool = False
) -> dict[int, Assignment]:
    """person id -> the assignment in effect on `day` (people without one are left out).

    Two queries at most, however many people: the rows in effect, then the snapshot of those
    with no row at all (unsaved `Assignment`s). Each carries `unit_parent_id` (the parent of its
    unit). `related`: with `org_unit` and `atasan` loaded.
    """
    day = day or today()
    ids = {_pk(p) for p in people}
    if not ids:
        return {}
    rows = Assignment.objects.on(day).filter(person_id__in=ids)
    if related:
        rows = rows.select_related("org_unit", "atasan")
    found = {a.person_id: a for a in rows.annotate(unit_parent_id=F("org_unit__parent_id"))}
    missing = ids - found.keys()
    if missing:
        snapshots = User.objects.filter(
            pk__in=missing, org_unit__isnull=False, assignments__isnull=True
        )
        if related:
            snapshots = snapshots.select_related("org_unit", "atasan")
        for user in snapshots.annotate(unit_parent_id=F("org_unit__parent_id")):
            found[user.pk] = snapshot_assignment(user, day)
    return found


def snapshot_assignment(user: User, day: dt.date) -> Assignment:
    """The User snapshot as an unsaved open assignment since the start of `day`'s cycle.
    `user` carries `unit_parent_id` or its `org_unit` loaded (else one query for it)."""
    parent_id = getattr(user, "unit_parent_id", None)
    if not hasattr(user, "unit_parent_id"):
        parent_id = user.org_unit.parent_id
    assignment = Assignment(
        person=user,
        org_unit_id=user.org_unit_id,
        jabatan=user.jabatan,
        jenis_jabatan=user.jenis_jabatan,
        atasan_id=user.atasan_id,
        is_head=snapshot_is_head(jenis_jabatan=user.jenis_jabatan, unit_parent_id=parent_id),
        start=cycle_start(day),
        source=Assignment.Source.MIGRASI,
    )
    if User.org_unit.is_cached(user):
        assignment.org_unit = user.org_unit
    if User.atasan.is_cached(user):
        assignment.atasan = user.atasan
    assignment.unit_parent_id = parent_id
    return assignment


def assignment_on(person: Person, day: dt.date | None = None) -> Assignment | None:
    """The person's assignment on `day` (with `org_unit` and `atasan` loaded)."""
    return assignments_on([person], day, related=True).get(_pk(person))


def designated_rater_on(person: Person, day: dt.date | None = None) -> DesignatedRater | None:
    return (
        DesignatedRater.objects.on(day or today())
        .filter(person_id=_pk(person))
        .select_related("rater")
        .first()
    )


def atasan_on(person: Person, day: dt.date | None = None) -> User | None:
    """The atasan of the person's assignment on `day`; else their designated rater in the
    portal (None for a rater outside it, e.g. the Wali Kota, or nobody)."""
    assignment = assignment_on(person, day)
    if assignment is not None and assignment.atasan_id:
        return assignment.atasan
    designated = designated_rater_on(person, day)
    return designated.rater if designated is not None else None


def atasan_chain_ids(person: Person, day: dt.date | None = None, *, limit: int = 50) -> list[int]:
    """Ids up the chain of assignment atasan on `day` (not designated raters), nearest first;
    stops at a repeat (a cycle shows as the chain coming back to someone already in it)."""
    day = day or today()
    chain: list[int] = []
    node = _pk(person)
    seen = {node}
    while len(chain) < limit:
        assignment = assignments_on([node], day).get(node)
        if assignment is None or not assignment.atasan_id:
            break
        node = assignment.atasan_id
        chain.append(node)
        if node in seen:
            break
        seen.add(node)
    return chain


def bawahan_ids_on(user: Person, day: dt.date | None = None) -> set[int]:
    """Ids of the people whose assignment on `day` names `user` as atasan (two queries)."""
    day = day or today()
    uid = _pk(user)
    ids = set(Assignment.objects.on(day).filter(atasan_id=uid).values_list("person_id", flat=True))
    ids |= set(
        User.objects.filter(
            atasan_id=uid, org_unit__isnull=False, assignments__isnull=True
        ).values_list("pk", flat=True)
    )
    return ids


def head_of(unit: Unit, day: dt.date | None = None) -> User | None:
    """The holder of the unit's head post on `day` (not an acting official)."""
    day = day or today()
    uid = _pk(unit)
    holder = (
        Assignment.objects.on(day)
        .filter(org_unit_id=uid, is_head=True)
        .select_related("person")
        .first()
    )
    if holder is not None:
        return holder.person
    return (  # the snapshot: a JPT at the top, not one reporting to another JPT there (Asisten)
        User.objects.filter(
            org_unit_id=uid,
            org_unit__parent__isnull=True,
            jenis_jabatan=User.JenisJabatan.JPT,
            assignments__isnull=True,
        )
        .exclude(atasan__org_unit_id=uid, atasan__jenis_jabatan=User.JenisJabatan.JPT)
        .order_by("pk")
        .first()
    )


def acting_heads(unit: Unit, day: dt.date | None = None) -> list[ActingAppointment]:
    """The Plt/Plh acting in the unit's head post on `day`."""
    return list(
        ActingAppointment.objects.on(day or today())
        .filter(org_unit_id=_pk(unit))
        .select_related("person")
    )


def head_rights(user: Person, day: dt.date | None = None) -> set[int]:
    """Ids of the units where `user` has the head's rights on `day`: holder or Plt/Plh.
    The units themselves; their sub-units are the caller's to add."""
    day = day or today()
    uid = _pk(user)
    units = set(
        ActingAppointment.objects.on(day)
        .filter(person_id=uid)
        .values_list("org_unit_id", flat=True)
    )
    assignment = assignments_on([uid], day).get(uid)
    if assignment is not None and assignment.is_head:
        units.add(assignment.org_unit_id)
    return units


def rater_ids_for(person: Person, day: dt.date | None = None) -> dict[int, str]:
    """user id -> capacity: everyone who may rate the person's work done on `day`."""
    return rater_map([person], day).get(_pk(person), {})


def rater_map(people: Iterable[Person], day: dt.date | None = None) -> dict[int, dict[int, str]]:
    """person id -> {user id: capacity} for many people at once, in at most seven queries
    whatever their number.

    Who: the atasan of the person's assignment on `day`; the Plt/Plh of the head post that
    atasan holds, or, when the atasan's post is vacant, of the head post of the person's unit
    (of the parent unit when the person is its head); the delegate of any of those on `day`;
    the designated rater when there is no atasan. The atasan's post counts as vacant when there
    is no atasan, or the atasan holds no post on `day` in the person's unit or its parent (they
    left, or moved elsewhere, and the person's assignment still names them).
    A user found in several capacities keeps the first, in that order. Never the person. A
    Plt/Plh, delegate or designated rater whose account is deactivated counts for nothing (the
    SKP then waits for Admin BKPSDM instead of for someone who cannot sign in).
    """
    day = day or today()
    ids = [_pk(p) for p in people]
    posts = assignments_on(ids, day)
    atasan_ids = {a.atasan_id for a in posts.values() if a.atasan_id}
    atasan_posts = {pk: posts[pk] for pk in atasan_ids if pk in posts}
    atasan_posts.update(assignments_on(atasan_ids - posts.keys(), day))

    acting_units: dict[int, int | None] = {}  # person id -> the unit whose acting heads rate
    for pk in ids:
        post = posts.get(pk)
        if post is None:
            continue
        atasan_post = atasan_posts.get(post.atasan_id) if post.atasan_id else None
        if atasan_post is not None and atasan_post.org_unit_id in (
            post.org_unit_id,
            post.unit_parent_id,
        ):
            acting_units[pk] = atasan_post.org_unit_id if atasan_post.is_head else None
        else:  # the atasan post is vacant: nobody, or the atasan has left for another unit
            acting_units[pk] = post.unit_parent_id if post.is_head else post.org_unit_id
    acting: dict[int, list[tuple[int, str]]] = {}
    wanted_units = {u for u in acting_units.values() if u}
    if wanted_units:
        for unit_id, person_id, kind in (
            ActingAppointment.objects.on(day)
            .filter(org_unit_id__in=wanted_units, person__is_active=True)
            .values_list("org_unit_id", "person_id", "kind")
        ):
            acting.setdefault(unit_id, []).append((person_id, kind))

    result: dict[int, dict[int, str]] = {}
    for pk in ids:
        raters: dict[int, str] = {}
        post = posts.get(pk)
        if post is not None and post.atasan_id:
            raters[post.atasan_id] = ATASAN
        for person_id, kind in acting.get(acting_units.get(pk), ()):
            raters.setdefault(person_id, kind)
        result[pk] = raters

    delegators = {uid for raters in result.values() for uid in raters}
    delegates: dict[int, list[int]] = {}
    if delegators:
        for delegator_id, delegate_id in (
            RatingDelegation.objects.on(day)
            .filter(delegator_id__in=delegators, delegate__is_active=True)
            .values_list("delegator_id", "delegate_id")
        ):
            delegates.setdefault(delegator_id, []).append(delegate_id)
    without_atasan = [pk for pk in ids if not (posts.get(pk) and posts[pk].atasan_id)]
    designated = {}
    if without_atasan:
        designated = dict(
            DesignatedRater.objects.on(day)
            .filter(person_id__in=without_atasan, rater__isnull=False, rater__is_active=True)
            .values_list("person_id", "rater_id")
        )
    for pk, raters in result.items():
        for uid in list(raters):
            for delegate_id in delegates.get(uid, ()):
                raters.setdefault(delegate_id, DELEGASI)
        if pk in designated:
            raters.setdefault(designated[pk], PENILAI_DITUNJUK)
        raters.pop(pk, None)
    return result
