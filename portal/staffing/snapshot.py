"""The User snapshot of today's post (issue 17): the User fields `org_unit`, `atasan`,
`jabatan`, `jenis_jabatan` say the person's assignment in effect today. The staffing writers
(`portal.staffing.services`, `portal.staffing.bulk`) keep it as they write; `refresh_snapshots`
is the daily job for assignments that begin or end without a write (`manage.py
apply_assignments`). Callers import these from `portal.staffing.services`, which re-exports them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal import authority
from portal.models import OrgUnit, User

from .checks import (
    ONE_DAY,
    SNAPSHOT_COLUMNS,
)
from .models import Assignment

SNAPSHOT_FIELDS = ("org_unit", "atasan", "jabatan", "jenis_jabatan")


def stored_snapshot(person: User, stored: dict, day: dt.date) -> Assignment | None:
    """The stored snapshot (`lock_person`) as an unsaved assignment since 1 January of `day`'s year;
    None without a unit."""
    if not stored["org_unit_id"]:
        return None
    user = User(pk=person.pk, **{k: stored[k] for k in SNAPSHOT_COLUMNS})
    user.unit_parent_id = stored["org_unit__parent_id"]
    assignment = authority.snapshot_assignment(user, day)
    assignment.person = person
    return assignment


def write_snapshot(person: User, assignment: Assignment, stored: dict) -> None:
    """The User snapshot from `assignment` when it is in effect today and the stored snapshot
    (`lock_person`) says otherwise (one UPDATE); the instance is brought in step."""
    wanted = snapshot_of(person, assignment)
    if wanted and any(stored[name] != value for name, value in wanted.items()):
        User.objects.filter(pk=person.pk).update(**wanted, updated_at=timezone.now())


def snapshot_of(person: User, assignment: Assignment) -> dict | None:
    """The User snapshot `assignment` gives when it is in effect today (None when it is not),
    set on `person` too."""
    today = authority.today()
    if assignment.start > today or (assignment.end is not None and assignment.end < today):
        return None
    wanted = {
        "org_unit_id": assignment.org_unit_id,
        "atasan_id": assignment.atasan_id,
        "jabatan": assignment.jabatan,
        "jenis_jabatan": assignment.jenis_jabatan,
    }
    for name, value in wanted.items():
        setattr(person, name, value)
    return wanted


def head_post_default(*, current: Assignment | None, org_unit: OrgUnit, jenis_jabatan: str) -> bool:
    """Whether a post from a source that does not say (the register, the user form) is the
    unit's head post: as the current assignment says when the unit stays, else the rule the code
    used before issue 17 (a JPT at the top of an OPD)."""
    if current is not None and current.org_unit_id == org_unit.pk:
        return current.is_head
    return authority.snapshot_is_head(
        jenis_jabatan=jenis_jabatan, unit_parent_id=org_unit.parent_id
    )


def refresh_snapshot(person: User, day: dt.date | None = None) -> bool:
    """Make the User snapshot fields say the person's assignment on `day` (today); a person
    with rows but none in effect keeps jabatan and loses unit and atasan. A person with no row
    at all is left alone (the snapshot is all there is). True when the row was written; the
    instance is brought in step either way."""
    day = day or authority.today()
    current = authority.assignments_on([person.pk], day).get(person.pk)
    if current is not None and current.pk is None:
        return False  # no row at all: read from the snapshot itself
    if current is None and not Assignment.objects.filter(person_id=person.pk).exists():
        return False
    stored = User.objects.filter(pk=person.pk).values(*SNAPSHOT_COLUMNS).get()
    wanted = {
        "org_unit_id": current.org_unit_id if current else None,
        "atasan_id": current.atasan_id if current else None,
        "jabatan": current.jabatan if current else stored["jabatan"],
        "jenis_jabatan": current.jenis_jabatan if current else stored["jenis_jabatan"],
    }
    for name, value in wanted.items():
        setattr(person, name, value)
    if stored == wanted:
        return False
    User.objects.filter(pk=person.pk).update(**wanted, updated_at=timezone.now())
    return True


def save_details(person: User) -> None:
    """Save a person's fields other than the post (unit, atasan, jabatan, jenis jabatan), which
    only the staffing service writes: a new person is saved without unit and atasan (callers
    keep the post they want and pass it to `assign` / `set_post`)."""
    if person.pk is None:
        person.org_unit = person.atasan = None
        person.save()
        return
    person.save(
        update_fields=[
            f.attname
            for f in User._meta.concrete_fields
            if not f.primary_key and f.name not in SNAPSHOT_FIELDS
        ]
    )


def refresh_snapshots(*, day: dt.date | None = None, days: int = 1) -> int:
    """The daily job (`manage.py apply_assignments`): refresh the snapshot of everyone whose
    assignment starts, or ended the day before, on `day` or the `days - 1` days before it (a
    missed run is caught up). Returns how many people were written."""
    day = day or authority.today()
    first = day - dt.timedelta(days=days - 1)
    person_ids = set(
        Assignment.objects.filter(start__range=(first, day)).values_list("person_id", flat=True)
    ) | set(
        Assignment.objects.filter(end__range=(first - ONE_DAY, day - ONE_DAY)).values_list(
            "person_id", flat=True
        )
    )
    written = 0
    for person in User.objects.filter(pk__in=person_ids):
        with transaction.atomic():
            written += refresh_snapshot(person, day)
    return written
