"""Who acts on an SKP on a day, for the pages: the same rule as `performance.rights.checks.capacity`,
read for many SKPs at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal import authority
from portal.models import User
from portal.staffing import Assignment, DesignatedRater

from .capacities import ATASAN, PENILAI_DITUNJUK
from .checks import act_note, is_current, reference_day, today

# --- who acts on an SKP, for the pages ------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Someone who may act on an SKP on a day, and in which capacity (`capacity`)."""

    user: User
    capacity: str

    @property
    def is_stand_in(self) -> bool:
        return self.capacity != ATASAN

    @property
    def text(self) -> str:
        """The name, with "oleh Plt …" (the history's words, `act_note`) for a stand-in."""
        if self.capacity == ATASAN:
            return self.user.full_name
        return act_note(self.user, None, self.capacity)


@dataclass
class Acting:
    """Who may act on one SKP on a day (`actors_of`): the people in the portal, the recorded
    pejabat penilai first while their record stands, and the rater designated outside the
    portal on whose behalf Admin BKPSDM records (`external`, "" when none)."""

    actors: list[Actor] = field(default_factory=list)
    external: str = ""
    recorded_acts: bool = False

    @property
    def stand_ins(self) -> list[Actor]:
        return [actor for actor in self.actors if actor.is_stand_in]


def actors_of(skps, day: dt.date | None = None) -> dict[int, Acting]:
    """SKP id -> `Acting`: everyone `capacity` names on `day` (today) for each SKP, read for
    many SKPs at once in a fixed number of queries (about ten), whatever their number. The same
    rule as `capacity`, so what a page shows is who may act (Admin BKPSDM aside: `external`
    says when they record on a rater's behalf)."""
    day = day or today()
    skps = list(skps)
    if not skps:
        return {}
    # the atasan of each SKP's post (`penilai_is_current`)
    post_atasan: dict[int, int | None] = {}
    linked = {s.assignment_id for s in skps if s.assignment_id is not None}
    atasan_of_post = dict(Assignment.objects.filter(pk__in=linked).values_list("pk", "atasan_id"))
    unlinked = {s.employee_id for s in skps if s.assignment_id is None}
    atasan_of_person = dict(User.objects.filter(pk__in=unlinked).values_list("pk", "atasan_id"))
    for skp in skps:
        if skp.assignment_id is not None:
            post_atasan[skp.pk] = atasan_of_post.get(skp.assignment_id)
        else:
            post_atasan[skp.pk] = atasan_of_person.get(skp.employee_id)
    current = [s for s in skps if is_current(s, day)]
    raters = authority.rater_map({s.employee_id for s in current}, day) if current else {}
    designations = list(
        DesignatedRater.objects.filter(person_id__in={s.employee_id for s in skps}).values(
            "person_id", "rater_id", "external_rater", "start", "end"
        )
    )

    def designated_on(person_id: int, at: dt.date) -> list[dict]:
        rows = [
            row
            for row in designations
            if row["person_id"] == person_id
            and row["start"] <= at
            and (row["end"] is None or row["end"] >= at)
        ]
        return sorted(rows, key=lambda row: row["start"], reverse=True)

    found: dict[int, tuple[dict[int, str], str, bool]] = {}
    for skp in skps:
        capacities: dict[int, str] = {}
        recorded = skp.pejabat_penilai_id is not None and (
            skp.register_atasan_id == post_atasan[skp.pk]
        )
        if recorded:
            capacities[skp.pejabat_penilai_id] = ATASAN
        if is_current(skp, day):
            for uid, kind in raters.get(skp.employee_id, {}).items():
                if kind != ATASAN:
                    capacities.setdefault(uid, kind)
        else:
            for row in designated_on(skp.employee_id, reference_day(skp, day)):
                if row["rater_id"] is not None:
                    capacities.setdefault(row["rater_id"], PENILAI_DITUNJUK)
        capacities.pop(skp.employee_id, None)
        external = ""
        if skp.pejabat_penilai_id is None:
            outside = [
                row
                for row in designated_on(skp.employee_id, reference_day(skp, day))
                if row["rater_id"] is None
            ]
            external = outside[0]["external_rater"] if outside else ""
        found[skp.pk] = (capacities, external, recorded)
    users = User.objects.only("pk", "full_name", "jabatan").in_bulk(
        {uid for capacities, _e, _r in found.values() for uid in capacities}
    )
    return {
        pk: Acting(
            actors=[Actor(users[uid], kind) for uid, kind in capacities.items() if uid in users],
            external=external,
            recorded_acts=recorded,
        )
        for pk, (capacities, external, recorded) in found.items()
    }


def acting_on(skp, day: dt.date | None = None) -> Acting:
    """`actors_of` for one SKP."""
    return actors_of([skp], day)[skp.pk]
