"""Who may act on an SKP or a periodic report, and on which day: the one rule file (issue 17).

To act is what a pejabat penilai does: approve or return an SKP, write its ekspektasi khusus,
rate or return a report, give feedback, give the annual rating. Every rule is read on a day
(today by default, Asia/Jakarta) through `portal.authority`, and comes in two forms that agree: a
check on one object (`capacity`, `can_act`, `can_view_skp`, `annual_refusal`) and a `Q` for lists
(`rater_q`, `visible_q`) whose number of queries does not grow with people, SKPs or assignments.

The capacities (`capacity`), in this order:
- "atasan": the pejabat penilai recorded on the SKP, while that record stands (`penilai_is_current`:
  the atasan of the SKP's post is still the one recorded with it). The right outlives the post:
  after a transfer on day D the former pejabat penilai finishes the closed SKP (the reports of
  the periods before D, `Skp.takes_period`) and has none on the new post's SKP.
- "plt", "plh", "delegasi", "penilai_ditunjuk": on an SKP in force on the day (`Skp.in_force_on`;
  an SKP of a past year whose post goes on counts too, for its annual rating), whoever
  `portal.authority.rater_ids_for` names on that day: the Plt/Plh of the head post above the
  employee, the delegate of a pejabat penilai on leave, the rater designated for a person without
  an atasan. These rights begin and end with their dates. On an SKP that has closed, only the
  rater designated on its last day ("penilai_ditunjuk") acts beside the recorded pejabat penilai.
- "bkpsdm": Admin BKPSDM, on the SKP of a person without a pejabat penilai in the portal whose
  designated rater is outside it (the Wali Kota, say), recording on that rater's behalf.
Never the employee on their own SKP. Reading (`can_view_skp`): the employee, whoever may act,
the atasan pejabat penilai recorded on it, Admin BKPSDM, and whoever may act on a later SKP of the
same employee and year (the new pejabat penilai reads the earlier SKPs of the year, read-only).

This module imports no performance model (the models call it): an SKP's siblings are read
through the SKP's own class.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import authority
from portal.models import User
from portal.staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation

ATASAN = authority.ATASAN
PLT, PLH = ActingAppointment.Kind.PLT, ActingAppointment.Kind.PLH
DELEGASI = authority.DELEGASI
PENILAI_DITUNJUK = authority.PENILAI_DITUNJUK
BKPSDM = "bkpsdm"
NOTHING = Q(pk__in=[])


def _today() -> dt.date:
    return authority.today()


def _skp_model():
    return apps.get_model("performance", "Skp")


# --- one SKP -------------------------------------------------------------------------------


def _post_atasan_id(skp) -> int | None:
    """The atasan of the SKP's post: its assignment's (one query unless loaded), else, for an
    SKP made before assignments had dates, the employee's atasan today."""
    if skp.assignment_id is None:
        return skp.employee.atasan_id
    if type(skp).assignment.is_cached(skp):
        return skp.assignment.atasan_id
    return Assignment.objects.filter(pk=skp.assignment_id).values_list("atasan_id", flat=True)[0]


def penilai_is_current(skp) -> bool:
    """The pejabat penilai recorded on the SKP still stands: the atasan of its post is the one
    recorded with it (`Skp.register_atasan`). False after the register moved the employee to
    another atasan without a dated transfer, until Admin BKPSDM re-assigns."""
    return skp.register_atasan_id == _post_atasan_id(skp)


def reference_day(skp, day: dt.date) -> dt.date:
    """The day whose raters act on `skp` when asked on `day`: `day` while the SKP is in force,
    its last day once it has closed, its first day before it begins."""
    if skp.ends_on is not None and skp.ends_on < day:
        return skp.ends_on
    return max(day, skp.starts_on)


def _is_current(skp, day: dt.date) -> bool:
    """In force on `day` for the stand-ins: begun and not closed (an SKP of a past year whose
    post goes on stays current for its annual rating)."""
    return skp.starts_on <= day and (skp.ends_on is None or skp.ends_on >= day)


def external_rater(skp, day: dt.date | None = None) -> DesignatedRater | None:
    """The designation naming a rater outside the portal for the SKP's employee on the SKP's
    reference day; None when there is none or the SKP has a pejabat penilai in the portal."""
    if skp.pejabat_penilai_id is not None:
        return None
    at = reference_day(skp, day or _today())
    return (
        DesignatedRater.objects.on(at)
        .filter(person_id=skp.employee_id, rater__isnull=True)
        .order_by("-start")
        .first()
    )


def capacity(user, skp, day: dt.date | None = None) -> str | None:
    """The capacity in which `user` may act on `skp` on `day` (today), or None."""
    if not user.is_authenticated or skp.employee_id == user.pk:
        return None
    day = day or _today()
    if skp.pejabat_penilai_id == user.pk and penilai_is_current(skp):
        return ATASAN
    if _is_current(skp, day):
        found = authority.rater_ids_for(skp.employee_id, day).get(user.pk)
        if found is not None and found != ATASAN:
            return found
    elif (
        DesignatedRater.objects.on(reference_day(skp, day))
        .filter(person_id=skp.employee_id, rater_id=user.pk)
        .exists()
    ):
        return PENILAI_DITUNJUK
    if user.is_bkpsdm_admin and external_rater(skp, day) is not None:
        return BKPSDM
    return None


def can_act(user, skp, day: dt.date | None = None) -> bool:
    return capacity(user, skp, day) is not None


def can_view_skp(user, skp) -> bool:
    if not user.is_authenticated:
        return False
    if skp.employee_id == user.pk or user.is_bkpsdm_admin:
        return True
    if skp.atasan_pejabat_penilai_id == user.pk or can_act(user, skp):
        return True
    later = (
        type(skp)
        .objects.filter(
            employee_id=skp.employee_id, cycle_id=skp.cycle_id, starts_on__gt=skp.starts_on
        )
        .select_related("employee", "assignment")
    )
    return any(can_act(user, other) for other in later)


def later_skp(skp):
    """The next SKP of the same employee and cycle (after a transfer), or None."""
    return (
        type(skp)
        .objects.filter(
            employee_id=skp.employee_id, cycle_id=skp.cycle_id, starts_on__gt=skp.starts_on
        )
        .select_related("assignment__org_unit")
        .order_by("starts_on")
        .first()
    )


def annual_refusal(user, skp, day: dt.date | None = None) -> str | None:
    """Why `user` may not give `skp` its annual rating (None: they may). The annual rating is
    given on the employee's last SKP of the year, by whoever may act on it."""
    if capacity(user, skp, day) is None:
        return _("Hanya pejabat penilai pegawai ini yang memberi penilaian tahunan.")
    nxt = later_skp(skp)
    if nxt is not None:
        return _(
            "SKP ini ditutup karena mutasi/promosi; penilaian tahunan %(year)s diberikan pada "
            "SKP terakhir tahun itu (mulai %(date)s) oleh pejabat penilainya."
        ) % {"year": skp.starts_on.year, "date": nxt.starts_on.strftime("%d-%m-%Y")}
    return None


def act_note(user, skp, kind: str | None) -> str:
    """The history's words for an act in capacity `kind` ("" for the pejabat penilai)."""
    name = user.full_name
    if kind == PLT:
        return _("oleh Plt %(name)s") % {"name": name}
    if kind == PLH:
        return _("oleh Plh %(name)s") % {"name": name}
    if kind == DELEGASI:
        return _("oleh delegasi %(name)s") % {"name": name}
    if kind == PENILAI_DITUNJUK:
        return _("oleh penilai yang ditunjuk %(name)s") % {"name": name}
    if kind == BKPSDM:
        designated = external_rater(skp)
        return _("dicatat Admin BKPSDM %(name)s atas nama %(rater)s (%(document)s)") % {
            "name": name,
            "rater": designated.external_rater if designated else "-",
            "document": designated.document_ref if designated else "-",
        }
    return ""


def with_note(note: str, extra: str) -> str:
    return "; ".join(part for part in (note, extra) if part)


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
    day = day or _today()
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
    current = [s for s in skps if _is_current(s, day)]
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
        if _is_current(skp, day):
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
    day = day or _today()
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
    day = day or _today()
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


CAPACITY_LABELS = {
    PLT: gettext_lazy("Plt"),
    PLH: gettext_lazy("Plh"),
    DELEGASI: gettext_lazy("delegasi"),
    PENILAI_DITUNJUK: gettext_lazy("penilai yang ditunjuk"),
    BKPSDM: gettext_lazy("atas nama penilai di luar portal"),
}
