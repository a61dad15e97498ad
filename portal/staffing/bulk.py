"""The staffing writer for many people at once (the register sync): the same rules as
`portal.staffing.services.assign` with `is_head` None or given and one `start` for everyone, in
a fixed number of queries whatever the number of people.

`plan_posts` reads and checks (a later assignment refuses a person; `pre_assign_many` receivers
may refuse others) and, with `lock`, locks the people's rows; `write_posts` then writes what the
plan says in bulk: covering assignments ended, snapshots of people without rows kept as history,
same-day corrections, new rows, the audit entries (those of `assignment_entries`, as plain rows),
the User snapshot, and `assignments_changed` after commit. A person not saved yet (a new row of
the register) may be planned: they have no assignment, and `write_posts` saves them (given in
`new_people`) with their snapshot.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import authority
from portal.audit import EntryRows, Source
from portal.models import OrgUnit, User
from portal.signals import assignments_changed, pre_assign_many
from portal.sql import among, insert_rows, reserve_ids, update_rows

from .checks import (
    ONE_DAY,
    SNAPSHOT_COLUMNS,
    check_active,
    check_admin,
    check_not_self,
    format_date,
    recorder,
    refusal_messages,
)
from .models import Assignment
from .services import (
    AUDIT_SOURCE,
    CORRECTED_FIELDS,
    SNAPSHOT_FIELDS,
    assignment_changes,
    check_fields,
    end_moved_delegations,
    head_post_default,
    snapshot_of,
    stored_snapshot,
)


@dataclass
class PostRequest:
    """The post `person` is to hold from the plan's day (`is_head` None: the service decides)."""

    person: User
    org_unit: OrgUnit
    jabatan: str
    jenis_jabatan: str
    atasan: User | None
    is_head: bool | None = None


@dataclass
class _Step:
    request: PostRequest
    old: Assignment | None = None  # the post in effect before (unsaved: the snapshot)
    new: Assignment | None = None  # None: the post does not change
    same: Assignment | None = None  # the row starting on the day, corrected in place
    covering: Assignment | None = None  # the row ending the day before
    stored: dict | None = None  # the User snapshot as stored (None: a new person)


@dataclass
class PostPlan:
    actor: User | None
    day: dt.date
    source: str
    steps: list[_Step] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)  # request index -> messages


def plan_posts(
    *,
    actor: User | None,
    requests: list[PostRequest],
    day: dt.date,
    source: str,
    lock: bool = False,
) -> PostPlan:
    """What giving each request's post from `day` would do, checked. `lock`: row-lock the
    people (inside the caller's transaction) so nobody changes them before `write_posts`."""
    check_admin(actor)
    plan = PostPlan(actor=actor, day=day, source=source)
    ids = among(User, "id", [r.person.pk for r in requests if r.person.pk])
    people = User.objects.filter(pk__in=ids)
    if lock:
        people = people.select_for_update(of=("self",))
    stored = {v.pop("pk"): v for v in people.values("pk", *SNAPSHOT_COLUMNS, "org_unit__parent_id")}
    with_rows = set(
        Assignment.objects.filter(person_id__in=ids).values_list("person_id", flat=True).distinct()
    )
    rows = defaultdict(list)
    for row in (
        Assignment.objects.filter(person_id__in=ids)
        .filter(Q(start__gte=day) | Q(end__isnull=True) | Q(end__gte=day))
        .select_related("org_unit", "atasan")
    ):
        rows[row.person_id].append(row)
    snapshots = _snapshots(requests, stored, with_rows, day)
    for index, request in enumerate(requests):
        step = _Step(request=request, stored=stored.get(request.person.pk))
        plan.steps.append(step)
        mine = rows.get(request.person.pk, [])
        later = sorted(row.start for row in mine if row.start > day)
        if later:
            plan.refused[index] = [
                _(
                    "Pegawai ini sudah memiliki penempatan mulai %(date)s; penempatan baru "
                    "tidak boleh tumpang tindih dengannya (akhiri atau koreksi yang itu dulu)."
                )
                % {"date": format_date(later[0])}
            ]
            continue
        step.same = next((row for row in mine if row.start == day), None)
        step.covering = next((row for row in mine if row.start < day), None)
        step.old = step.same or step.covering or snapshots.get(request.person.pk)
        new = _new_row(plan, step)
        new_atasan = request.atasan is not None and request.atasan.pk is None
        if step.old is None or step.old.post != new.post or new_atasan:
            step.new = new
            try:  # a change that names the importing admin: another Admin BKPSDM records it
                check_not_self(actor, request.person, request.atasan)
                check_active(request.atasan, field="atasan", role=_("atasan"))
            except (PermissionDenied, ValidationError) as exc:
                plan.refused[index] = refusal_messages(exc)
    _ask_receivers(plan)
    return plan


def _snapshots(requests, stored: dict, with_rows: set[int], day: dt.date) -> dict:
    """The stored snapshot of each person without any assignment row, as an unsaved row with
    its unit and atasan loaded (two queries)."""
    people = {r.person.pk: r.person for r in requests if r.person.pk}
    wanted = {pk: s for pk, s in stored.items() if pk not in with_rows and s["org_unit_id"]}
    units = OrgUnit.objects.in_bulk({s["org_unit_id"] for s in wanted.values()})
    atasan = User.objects.in_bulk({s["atasan_id"] for s in wanted.values() if s["atasan_id"]})
    snapshots = {}
    for pk, values in wanted.items():
        row = stored_snapshot(people[pk], values, day - ONE_DAY)
        row.org_unit = units[values["org_unit_id"]]
        row.atasan = atasan.get(values["atasan_id"])
        snapshots[pk] = row
    return snapshots


def _new_row(plan: PostPlan, step: _Step) -> Assignment:
    request, old = step.request, step.old
    is_head = request.is_head
    if is_head is None:
        is_head = head_post_default(
            current=old, org_unit=request.org_unit, jenis_jabatan=request.jenis_jabatan
        )
    return Assignment(
        person=request.person,
        org_unit=request.org_unit,
        jabatan=request.jabatan.strip(),
        jenis_jabatan=request.jenis_jabatan,
        atasan=request.atasan,
        is_head=is_head,
        start=plan.day,
        end=step.same.end if step.same else None,
        source=plan.source,
        recorded_by=recorder(plan.actor),
    )


def _ask_receivers(plan: PostPlan) -> None:
    """`pre_assign_many` for the saved people whose post changes; refusals by request."""
    index = {
        step.request.person.pk: i
        for i, step in enumerate(plan.steps)
        if step.new is not None and step.request.person.pk and i not in plan.refused
    }
    if not index:
        return
    changes = [
        (plan.steps[i].request.person, plan.steps[i].old, plan.steps[i].new) for i in index.values()
    ]
    for _receiver, refusals in pre_assign_many.send(
        sender=Assignment, changes=changes, day=plan.day
    ):
        for person_id, messages in (refusals or {}).items():
            plan.refused.setdefault(index[person_id], []).extend(messages)


def write_posts(
    plan: PostPlan, *, skip: set[int] = frozenset(), new_people: list[User] = ()
) -> list[Assignment]:
    """Write what `plan` says, except the refused requests and `skip` (people the caller left
    out). `new_people`: the planned people not saved yet (their details set), saved here with
    their snapshot; everyone else is saved by now. Returns the new or corrected rows.

    Everything is checked before the first write; then one statement per kind of write: the
    new people's ids (one `nextval` series on PostgreSQL, so each is inserted with its unit and
    atasan at once), the people, the ended and corrected rows, the new rows, the audit entries
    (plain rows, `EntryRows`), the snapshot of the people already saved."""
    steps = [s for i, s in enumerate(plan.steps) if i not in plan.refused and i not in skip]
    ending, created, corrected, changes = [], [], [], []
    for step in steps:
        old, new = step.old, step.new
        if new is None:
            if old is not None and old.pk is None:  # the snapshot, unchanged: the first row
                created.append(old)
            continue
        if step.same is not None:
            before = copy.copy(step.same)
            for name in CORRECTED_FIELDS:
                setattr(step.same, name, getattr(new, name))
            old, new = before, step.same
            corrected.append(new)
        else:
            if old is not None and old.pk is None:  # the snapshot becomes history
                old.end = plan.day - ONE_DAY
                created.append(old)
            elif step.covering is not None:
                step.covering.end = plan.day - ONE_DAY
                ending.append(step.covering)
            created.append(new)
        changes.append((step.request.person, old, new))
    _check_fields([new for _person, _old, new in changes])
    new_people = list(new_people)
    reserved = reserve_ids(User, new_people)
    if not reserved:  # no sequence to reserve from: saved first, for their ids
        insert_rows(User, new_people)
    for row in [*created, *corrected]:  # the ids of people new in the file are known now
        for name in ("person", "atasan"):
            related = getattr(row, name)
            if related is not None and getattr(row, f"{name}_id") is None:
                setattr(row, name, related)
    snapshots = _snapshots_to_write(steps, plan.day)
    if reserved:
        insert_rows(User, new_people)  # with their snapshot: no UPDATE after
        inserted = {id(person) for person in new_people}
        snapshots = [person for person in snapshots if id(person) not in inserted]
    update_rows(Assignment, ending, ["end"])
    update_rows(Assignment, corrected, list(CORRECTED_FIELDS))
    now = timezone.now()
    for row in created:
        row.created_at = now
    insert_rows(Assignment, created, copy=True)  # the same statements for 10 rows or 16,000
    entries = EntryRows(actor=plan.actor)
    for person, old, new in changes:
        source, note, aspects = assignment_changes(old=old, new=new, source=plan.source)
        for kind, a, b in aspects:
            entries.add(subject=person, kind=kind, old=a, new=b, source=source, note=note)
    entries.save()
    if changes:  # a delegation does not follow its giver to a new team
        end_moved_delegations(
            actor=plan.actor,
            people=[person.pk for person, _old, _new in changes],
            day=plan.day,
            source=AUDIT_SOURCE.get(plan.source, Source.SYSTEM),
        )
    update_rows(User, snapshots, [*SNAPSHOT_FIELDS, "updated_at"])
    if changes:
        transaction.on_commit(
            lambda: assignments_changed.send(sender=Assignment, changes=changes, day=plan.day)
        )
    return [step.new for step in steps if step.new is not None]


# What `check_fields` reads of a row: rows alike in these are checked once.
_CHECKED = tuple(
    field.attname
    for field in Assignment._meta.concrete_fields
    if field.name not in ("person", "org_unit", "atasan", "recorded_by")
)


def _check_fields(rows: list[Assignment]) -> None:
    """`check_fields` of every row, once per distinct set of checked values (a register of
    thousands has a few dozen)."""
    seen = set()
    for row in rows:
        key = tuple(getattr(row, name) for name in _CHECKED)
        if key not in seen:
            check_fields(row)
            seen.add(key)


def _snapshots_to_write(steps: list[_Step], day: dt.date) -> list[User]:
    """The people whose post (new, or unchanged) is in effect today and whose stored snapshot
    says otherwise (new people too), their snapshot fields set."""
    if day > authority.today():
        return []
    changed, now = [], timezone.now()
    for step in steps:
        row = step.new or step.old
        person = step.request.person
        wanted = snapshot_of(person, row) if row is not None else None
        if wanted is None:
            continue
        person.org_unit, person.atasan = row.org_unit, row.atasan
        if step.stored is None or any(step.stored[k] != v for k, v in wanted.items()):
            person.updated_at = now
            changed.append(person)
    return changed
