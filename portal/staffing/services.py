"""The one writer of staffing records (issue 17): assignments, Plt/Plh, delegations, designated
raters. Reads are in `portal.authority`; the models in `portal.staffing.models`. This module
writes posts (`assign`, `end_assignment`); what is built on them (`set_post` for sources without
dates, `reassign_team`) is in `portal.staffing.batch`. The User snapshot is kept by
`portal.staffing.snapshot`; Plt/Plh, delegations and designated raters are written in
`portal.staffing.acting`, `.delegations` and `.designations`, and the stand-in rights of someone
who leaves end in `portal.staffing.stand_ins`. All are re-exported here, so every caller imports
the write API from this module.

Each service is atomic, checks its input with Indonesian messages (`ValidationError`, keyed by
field where there is one) and writes an `AuditEntry` through `portal.audit.record_change` in the
same transaction, so a refused change leaves nothing behind. Each also checks who may ask
(`PermissionDenied`, `portal.staffing.checks`): Admin BKPSDM or the system (actor None) for
posts, Plt/Plh and designated raters; the holder (or Plt/Plh) of a unit's head post for posts
inside that unit (`reassign_team`); a supervisor for their own delegations.

`assign` and `end_assignment` keep the User snapshot (`org_unit`, `atasan`, `jabatan`,
`jenis_jabatan` = today's assignment) and talk to other apps through `portal.signals`:
- `pre_assign` is sent inside the transaction before anything is written; a receiver refuses the
  change by raising `ValidationError` (performance: a date inside a closed reporting period).
  This is the validator hook: portal imports no performance code.
- `assignment_changed` is sent after commit (performance: the SKP transfer).

Same-day rule: `assign` with the `start` of an existing row corrects that row in place (the
audit keeps the old values; `assignment_changed` gets `old.pk == new.pk`), so a register
re-imported on the day it was first imported does not need an assignment of zero days.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal.audit import Kind, Source, change_entry, describe, record_change, save_entries
from portal.models import AuditEntry, OrgUnit, User
from portal.signals import assignment_changed, pre_assign

from .acting import end_acting, record_acting
from .checks import (
    ONE_DAY,
    check_active,
    check_admin,
    check_atasan_rights,
    check_head_post_free,
    check_not_below,
    check_not_self,
    check_post_rights,
    format_date,
    headed_unit_ids,
    lock_person,
    may_manage_staffing,
    recorder,
    require,
)
from .delegations import cancel_delegation, delegate_rating, end_moved_delegations
from .designations import designate_rater
from .models import Assignment
from .snapshot import (
    SNAPSHOT_FIELDS,
    head_post_default,
    refresh_snapshot,
    refresh_snapshots,
    save_details,
    snapshot_of,
    stored_snapshot,
    write_snapshot,
)
from .stand_ins import end_stand_ins

__all__ = [
    "SNAPSHOT_FIELDS",
    "assign",
    "assignment_changes",
    "assignment_entries",
    "cancel_delegation",
    "delegate_rating",
    "designate_rater",
    "end_acting",
    "end_assignment",
    "end_moved_delegations",
    "end_stand_ins",
    "head_post_default",
    "headed_unit_ids",
    "may_manage_staffing",
    "record_acting",
    "refresh_snapshot",
    "refresh_snapshots",
    "save_details",
    "snapshot_of",
    "stored_snapshot",
]

# What a same-day correction of an assignment replaces (not its dates).
CORRECTED_FIELDS = (
    "org_unit",
    "jabatan",
    "jenis_jabatan",
    "atasan",
    "is_head",
    "source",
    "sk_number",
    "note",
    "recorded_by",
)

# The audit record's "melalui" for each assignment source.
AUDIT_SOURCE = {
    Assignment.Source.IMPOR: Source.IMPORT,
    Assignment.Source.ADMIN: Source.FORM,
    Assignment.Source.SK: Source.SK,
    Assignment.Source.API: Source.API,
    Assignment.Source.DEMO: Source.DEMO,
    Assignment.Source.MIGRASI: Source.SYSTEM,
}


def check_fields(row: Assignment) -> None:
    """Choices and lengths; the relations are model instances already, and the constraints
    are the database's (this module's checks come first, with their messages)."""
    row.clean_fields(exclude=["person", "org_unit", "atasan", "recorded_by"])


@functools.lru_cache(maxsize=64)
def _starting(start: dt.date, language: str) -> str:
    """ "Berlaku mulai <date>" (kept: the register sync writes thousands of them at once)."""
    return _("Berlaku mulai %(date)s") % {"date": format_date(start)}


@functools.lru_cache(maxsize=16)
def _jenis_labels(language: str) -> dict[str, str]:
    return {code: str(label) for code, label in User.JenisJabatan.choices}


def _audit_note(start: dt.date, sk_number: str, note: str) -> str:
    parts = [_starting(start, translation.get_language())]
    if sk_number:
        parts.append(_("SK %(number)s") % {"number": sk_number})
    if note:
        parts.append(note)
    return "; ".join(parts)


def assignment_entries(
    *, actor: User | None, person: User, old: Assignment | None, new: Assignment, source: str
) -> list[AuditEntry]:
    """Unsaved audit entries of a change of post: one per aspect that changed (unit, atasan,
    jabatan, head post); one "Penempatan" entry when none did (the same post on a new SK).
    `old` and `new` carry their unit and atasan loaded (no query here)."""
    audit_source, note, changes = assignment_changes(old=old, new=new, source=source)
    return [
        change_entry(
            actor=actor, subject=person, kind=kind, old=a, new=b, source=audit_source, note=note
        )
        for kind, a, b in changes
    ]


def assignment_changes(
    *, old: Assignment | None, new: Assignment, source: str
) -> tuple[str, str, list[tuple]]:
    """What `assignment_entries` records: the audit source, the note and `(kind, old, new)`
    per entry (bulk writers write them as plain rows, `portal.audit.EntryRows`)."""
    note = _audit_note(new.start, new.sk_number, new.note)
    audit_source = AUDIT_SOURCE.get(source, Source.SYSTEM)

    labels = _jenis_labels(translation.get_language())

    def job(a: Assignment | None) -> str:
        return f"{a.jabatan} ({labels.get(a.jenis_jabatan, a.jenis_jabatan)})" if a else ""

    aspects = [
        (Kind.ORG_UNIT, old.org_unit if old else None, new.org_unit),
        (Kind.ATASAN, old.atasan if old and old.atasan_id else None, new.atasan),
        (Kind.JABATAN, job(old), job(new)),
        (Kind.HEAD_POST, bool(old and old.is_head), new.is_head),
    ]
    changed = [(kind, a, b) for kind, a, b in aspects if describe(a) != describe(b)]
    return audit_source, note, changed or [(Kind.ASSIGNMENT, old, new)]


@transaction.atomic
def assign(
    *,
    actor: User | None,
    person: User,
    org_unit: OrgUnit,
    jabatan: str,
    jenis_jabatan: str,
    atasan: User | None,
    is_head: bool | None = False,
    start: dt.date,
    source: str,
    sk_number: str = "",
    note: str = "",
) -> Assignment:
    """Give `person` a post from `start` on; return the assignment in effect from `start`.

    Ends the assignment in effect the day before on `start - 1` (a person with no row yet first
    gets the snapshot as a row since 1 January, so earlier dates still read right), creates the
    new open one (open even when the old one had a planned end) and, when `start` is today or
    earlier, refreshes the User snapshot. The same post as the one in effect on `start` writes
    no new row. Refuses: an assignment already
    recorded after `start`; atasan = the person or someone below them on `start`; source "sk"
    without an SK number; whatever a `pre_assign` receiver refuses. Records each changed aspect
    in the audit; sends `assignment_changed` after commit. `is_head` None: as the assignment
    in effect says while the unit stays, else `head_post_default` (for sources that do not say).
    """
    stored = lock_person(person)
    check_post_rights(actor, {stored["org_unit_id"] or org_unit.pk, org_unit.pk}, start)
    sk_number, note = sk_number.strip(), note.strip()
    if source == Assignment.Source.SK:
        require(sk_number, "sk_number", _("Nomor SK wajib diisi untuk penempatan berdasarkan SK."))
    if atasan is not None:
        check_not_below(person=person, rater=atasan, day=start, field="atasan")
    rows = list(Assignment.objects.filter(person=person).order_by("start"))
    later = [row for row in rows if row.start > start]
    if later:
        raise ValidationError(
            {
                "start": _(
                    "Pegawai ini sudah memiliki penempatan mulai %(date)s; penempatan baru "
                    "tidak boleh tumpang tindih dengannya (akhiri atau koreksi yang itu dulu)."
                )
                % {"date": format_date(later[0].start)}
            }
        )
    same = next((row for row in rows if row.start == start), None)
    covering = next(
        (row for row in rows if row.start < start and (row.end is None or row.end >= start)),
        None,
    )
    old = same or covering
    if old is None and not rows:
        old = stored_snapshot(person, stored, start - ONE_DAY)
    if is_head is None:
        is_head = head_post_default(current=old, org_unit=org_unit, jenis_jabatan=jenis_jabatan)
    new = Assignment(
        person=person,
        org_unit=org_unit,
        jabatan=jabatan.strip(),
        jenis_jabatan=jenis_jabatan,
        atasan=atasan,
        is_head=is_head,
        start=start,
        end=same.end if same else None,
        source=source,
        sk_number=sk_number,
        note=note,
        recorded_by=recorder(actor),
    )
    if old is not None and old.post == new.post:
        if old.pk is None:  # the snapshot, unchanged: it becomes the first row
            old.save()
        write_snapshot(person, old, stored)  # in case the daily job has not run yet
        return old
    check_not_self(actor, person, atasan)
    check_active(atasan, field="atasan", role=_("atasan"))
    check_atasan_rights(actor, atasan, start)
    if is_head:
        check_head_post_free(person=person, org_unit=org_unit, start=start, end=new.end)
    pre_assign.send(sender=Assignment, person=person, old=old, new=new, day=start)

    if same is not None:  # a same-day correction of that row
        before = copy.copy(same)
        for name in CORRECTED_FIELDS:
            setattr(same, name, getattr(new, name))
        check_fields(same)
        same.save()
        old, new = before, same
    else:
        if old is not None and old.pk is None:  # the snapshot becomes history
            old.end = start - ONE_DAY  # it starts on 1 January of that day's year
            old.save()
        elif covering is not None:
            covering.end = start - ONE_DAY
            covering.save(update_fields=["end"])
        check_fields(new)
        new.save()
    save_entries(assignment_entries(actor=actor, person=person, old=old, new=new, source=source))
    end_moved_delegations(
        actor=actor, people=[person.pk], day=start, source=AUDIT_SOURCE.get(source, Source.SYSTEM)
    )
    write_snapshot(person, new, stored)
    transaction.on_commit(
        lambda: assignment_changed.send(
            sender=Assignment, person=person, old=old, new=new, day=start
        )
    )
    return new


@transaction.atomic
def end_assignment(
    *,
    actor: User | None,
    person: User,
    end: dt.date,
    reason: str,
    source: str = Assignment.Source.ADMIN,
) -> Assignment:
    """End the person's assignment in effect on `end` with `end` as its last day (retirement,
    moving out of the city, ...). Refuses without a reason, when no assignment is in effect on
    `end`, or what a `pre_assign` receiver refuses. When no later post follows, what the person
    holds in others' place ends with it (`end_stand_ins`: Plt/Plh, delegations, designations as
    rater). Sends `assignment_changed` (new None,
    day = end + 1) after commit."""
    check_admin(actor)
    check_not_self(actor, person)
    require(reason, "reason", _("Alasan wajib diisi."))
    stored = lock_person(person)
    if not Assignment.objects.filter(person=person).exists():
        snapshot = stored_snapshot(person, stored, end)
        if snapshot is not None:
            snapshot.save()
    row = Assignment.objects.on(end).filter(person=person).select_related("org_unit").first()
    if row is None:
        raise ValidationError(
            {
                "end": _("Pegawai ini tidak memiliki penempatan pada %(date)s.")
                % {"date": format_date(end)}
            }
        )
    pre_assign.send(sender=Assignment, person=person, old=row, new=None, day=end + ONE_DAY)
    previous_end = row.end
    row.end = end
    row.full_clean()
    row.save(update_fields=["end"])
    record_change(
        actor=actor,
        subject=person,
        kind=Kind.ASSIGNMENT_ENDED,
        old=_("%(post)s, sampai %(date)s") % {"post": row, "date": format_date(previous_end)}
        if previous_end
        else row,
        new=_("%(post)s, sampai %(date)s") % {"post": row, "date": format_date(end)},
        source=AUDIT_SOURCE.get(source, Source.SYSTEM),
        note=reason.strip(),
    )
    if not Assignment.objects.filter(person=person, start__gt=end).exists():
        end_stand_ins(
            actor=actor, person=person, end=end, source=AUDIT_SOURCE.get(source, Source.SYSTEM)
        )
    refresh_snapshot(person)
    transaction.on_commit(
        lambda: assignment_changed.send(
            sender=Assignment, person=person, old=row, new=None, day=end + ONE_DAY
        )
    )
    return row
