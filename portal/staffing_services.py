"""The one writer of staffing records (issue 17): assignments, Plt/Plh, delegations, designated
raters. Reads are in `portal.authority`; the models in `portal.staffing`.

Each service is atomic, checks its input with Indonesian messages (`ValidationError`, keyed by
field where there is one) and writes an `AuditEntry` through `portal.audit.record_change` in the
same transaction, so a refused change leaves nothing behind. Each also checks who may ask
(`PermissionDenied`): Admin BKPSDM or the system (actor None) for posts, Plt/Plh and
designated raters; the holder (or Plt/Plh) of a unit's head post for posts inside that unit
(`reassign_team`); a supervisor for their own delegations.

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
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import authority
from .audit import Kind, Source, describe, record_change
from .models import OrgUnit, User
from .notifications import notify
from .signals import assignment_changed, pre_assign
from .staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation

ONE_DAY = dt.timedelta(days=1)
SNAPSHOT_FIELDS = ("org_unit", "atasan", "jabatan", "jenis_jabatan")
SNAPSHOT_COLUMNS = ("org_unit_id", "atasan_id", "jabatan", "jenis_jabatan")

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


def _date(day: dt.date) -> str:
    return date_format(day, "j F Y")


def may_manage_staffing(user: User | None) -> bool:
    """Admin BKPSDM (or the system, user None) records posts, Plt/Plh and designated raters."""
    return user is None or user.is_bkpsdm_admin


def headed_unit_ids(user: User, day: dt.date | None = None) -> set[int]:
    """The units where `user` has the head's rights on `day` (holder or Plt/Plh), with every
    unit below them."""
    units: set[int] = set()
    for unit in OrgUnit.objects.filter(pk__in=authority.head_rights(user, day)):
        units |= OrgUnit.objects.descendant_ids(unit)
    return units


def _check_admin(actor: User | None) -> None:
    if not may_manage_staffing(actor):
        raise PermissionDenied(
            _("Hanya Admin BKPSDM yang dapat mencatat penempatan, Plt/Plh, dan penilai.")
        )


def _check_post_rights(actor: User | None, unit_ids: set[int | None], day: dt.date) -> None:
    """Admin BKPSDM, the system, or the head of a unit for a post inside that unit (the
    person's unit now and the new one)."""
    if may_manage_staffing(actor):
        return
    if actor is None or not actor.pk or not unit_ids <= headed_unit_ids(actor, day):
        _check_admin(actor)


def _lock(person: User) -> dict:
    """Serialise staffing writes for one person (a row lock on PostgreSQL); returns the
    person's snapshot as stored (the caller's instance may already carry new values)."""
    return (
        User.objects.select_for_update(of=("self",))
        .filter(pk=person.pk)
        .values(*SNAPSHOT_COLUMNS, "org_unit__parent_id")
        .get()
    )


def _stored_snapshot(person: User, stored: dict, day: dt.date) -> Assignment | None:
    """The stored snapshot (`_lock`) as an unsaved assignment since 1 January of `day`'s year;
    None without a unit."""
    if not stored["org_unit_id"]:
        return None
    user = User(pk=person.pk, **{k: stored[k] for k in SNAPSHOT_COLUMNS})
    user.unit_parent_id = stored["org_unit__parent_id"]
    assignment = authority.snapshot_assignment(user, day)
    assignment.person = person
    return assignment


def _check_fields(row: Assignment) -> None:
    """Choices and lengths; the relations are model instances already, and the constraints
    are the database's (this module's checks come first, with their messages)."""
    row.clean_fields(exclude=["person", "org_unit", "atasan", "recorded_by"])


def _write_snapshot(person: User, assignment: Assignment) -> None:
    """The User snapshot from `assignment` when it is in effect today (one UPDATE)."""
    today = authority.today()
    if assignment.start > today or (assignment.end is not None and assignment.end < today):
        return
    wanted = {
        "org_unit_id": assignment.org_unit_id,
        "atasan_id": assignment.atasan_id,
        "jabatan": assignment.jabatan,
        "jenis_jabatan": assignment.jenis_jabatan,
    }
    for name, value in wanted.items():
        setattr(person, name, value)
    User.objects.filter(pk=person.pk).update(**wanted, updated_at=timezone.now())


def _require(value: str, field: str, message: str) -> None:
    if not (value or "").strip():
        raise ValidationError({field: message})


def _check_range(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError(
            {
                "end": _("Tanggal selesai (%(end)s) tidak boleh sebelum tanggal mulai (%(start)s).")
                % {"end": _date(end), "start": _date(start)}
            }
        )


def _check_not_below(*, person: User, rater: User, day: dt.date, field: str) -> None:
    """Refuse `rater` when it is `person` or someone below them in the atasan chain on `day`."""
    if rater.pk == person.pk:
        raise ValidationError({field: _("Pegawai tidak boleh menjadi atasan dirinya sendiri.")})
    if person.pk in authority.atasan_chain_ids(rater, day):
        raise ValidationError(
            {
                field: _(
                    "%(name)s adalah bawahan (langsung atau tidak langsung) pegawai ini pada "
                    "%(date)s; rantai atasan tidak boleh melingkar."
                )
                % {"name": rater.full_name, "date": _date(day)}
            }
        )


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


def _audit_note(start: dt.date, sk_number: str, note: str) -> str:
    parts = [_("Berlaku mulai %(date)s") % {"date": _date(start)}]
    if sk_number:
        parts.append(_("SK %(number)s") % {"number": sk_number})
    if note:
        parts.append(note)
    return "; ".join(parts)


def _record_assignment(
    *, actor: User | None, person: User, old: Assignment | None, new: Assignment, source: str
) -> None:
    """One entry per aspect that changed (unit, atasan, jabatan, head post); one "Penempatan"
    entry when none did (the same post on a new SK)."""
    note = _audit_note(new.start, new.sk_number, new.note)
    audit_source = AUDIT_SOURCE.get(source, Source.SYSTEM)

    def job(a: Assignment | None) -> str:
        return f"{a.jabatan} ({a.get_jenis_jabatan_display()})" if a is not None else ""

    aspects = [
        (Kind.ORG_UNIT, old.org_unit if old else None, new.org_unit),
        (Kind.ATASAN, old.atasan if old and old.atasan_id else None, new.atasan),
        (Kind.JABATAN, job(old), job(new)),
        (Kind.HEAD_POST, bool(old and old.is_head), new.is_head),
    ]
    changed = [(kind, a, b) for kind, a, b in aspects if describe(a) != describe(b)]
    for kind, a, b in changed or [(Kind.ASSIGNMENT, old, new)]:
        record_change(
            actor=actor, subject=person, kind=kind, old=a, new=b, source=audit_source, note=note
        )


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
    new open one and, when `start` is today or earlier, refreshes the User snapshot. The same
    post as the one in effect on `start` changes nothing. Refuses: an assignment already
    recorded after `start`; atasan = the person or someone below them on `start`; source "sk"
    without an SK number; whatever a `pre_assign` receiver refuses. Records each changed aspect
    in the audit; sends `assignment_changed` after commit. `is_head` None: as the assignment
    in effect says while the unit stays, else `head_post_default` (for sources that do not say).
    """
    stored = _lock(person)
    _check_post_rights(actor, {stored["org_unit_id"] or org_unit.pk, org_unit.pk}, start)
    sk_number, note = sk_number.strip(), note.strip()
    if source == Assignment.Source.SK:
        _require(sk_number, "sk_number", _("Nomor SK wajib diisi untuk penempatan berdasarkan SK."))
    if atasan is not None:
        _check_not_below(person=person, rater=atasan, day=start, field="atasan")
    rows = list(Assignment.objects.filter(person=person).order_by("start"))
    later = [row for row in rows if row.start > start]
    if later:
        raise ValidationError(
            {
                "start": _(
                    "Pegawai ini sudah memiliki penempatan mulai %(date)s; penempatan baru "
                    "tidak boleh tumpang tindih dengannya (akhiri atau koreksi yang itu dulu)."
                )
                % {"date": _date(later[0].start)}
            }
        )
    same = next((row for row in rows if row.start == start), None)
    covering = next(
        (row for row in rows if row.start < start and (row.end is None or row.end >= start)),
        None,
    )
    old = same or covering
    if old is None and not rows:
        old = _stored_snapshot(person, stored, start - ONE_DAY)
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
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    if old is not None and old.post == new.post:
        if old.pk is None:  # the snapshot, unchanged: it becomes the first row
            old.save()
        return old
    pre_assign.send(sender=Assignment, person=person, old=old, new=new, day=start)

    if same is not None:  # a same-day correction of that row
        before = copy.copy(same)
        for name in CORRECTED_FIELDS:
            setattr(same, name, getattr(new, name))
        _check_fields(same)
        same.save()
        old, new = before, same
    else:
        if old is not None and old.pk is None:  # the snapshot becomes history
            old.end = start - ONE_DAY  # it starts on 1 January of that day's year
            old.save()
        elif covering is not None:
            covering.end = start - ONE_DAY
            covering.save(update_fields=["end"])
        _check_fields(new)
        new.save()
    _record_assignment(actor=actor, person=person, old=old, new=new, source=source)
    _write_snapshot(person, new)
    transaction.on_commit(
        lambda: assignment_changed.send(
            sender=Assignment, person=person, old=old, new=new, day=start
        )
    )
    return new


def set_post(
    *,
    actor: User | None,
    person: User,
    org_unit: OrgUnit | None,
    atasan: User | None,
    jabatan: str,
    jenis_jabatan: str,
    source: str,
    day: dt.date | None = None,
) -> Assignment | None:
    """The post a source without dates or head posts gives (the register import, the user
    form, the demo): from `day` (today) on, `person` holds this. The head post is kept while
    the unit stays, else `head_post_default`. Through `assign`; with no unit the assignment in
    effect ends (the day before, or `day` when it began on `day`), and a person with no
    assignment row keeps only the snapshot (recorded in the audit all the same)."""
    day = day or authority.today()
    if org_unit is not None:
        return assign(
            actor=actor,
            person=person,
            org_unit=org_unit,
            jabatan=jabatan,
            jenis_jabatan=jenis_jabatan,
            atasan=atasan,
            is_head=None,
            start=day,
            source=source,
        )
    with transaction.atomic():
        return _clear_post(
            actor=actor,
            person=person,
            atasan=atasan,
            jabatan=jabatan,
            jenis_jabatan=jenis_jabatan,
            source=source,
            day=day,
        )


def _clear_post(
    *,
    actor: User | None,
    person: User,
    atasan: User | None,
    jabatan: str,
    jenis_jabatan: str,
    source: str,
    day: dt.date,
) -> None:
    """`set_post` without a unit: the assignment in effect ends; the rest is the snapshot."""
    current = authority.assignment_on(person, day)
    if current is not None and current.pk is not None:
        end_assignment(
            actor=actor,
            person=person,
            end=max(day - ONE_DAY, current.start),
            reason=_("Unit kerja dikosongkan."),
            source=source,
        )
    stored = User.objects.select_related("org_unit", "atasan").get(pk=person.pk)
    if atasan is not None:
        _check_not_below(person=person, rater=atasan, day=day, field="atasan")
    for kind, old, new in (
        (Kind.ORG_UNIT, stored.org_unit, None),
        (Kind.ATASAN, stored.atasan, atasan),
    ):
        if describe(old) != describe(new):
            record_change(
                actor=actor,
                subject=person,
                kind=kind,
                old=old,
                new=new,
                source=AUDIT_SOURCE.get(source, Source.SYSTEM),
            )
    person.org_unit, person.atasan = None, atasan
    person.jabatan, person.jenis_jabatan = jabatan, jenis_jabatan
    User.objects.filter(pk=person.pk).update(
        org_unit=None,
        atasan=atasan,
        jabatan=jabatan,
        jenis_jabatan=jenis_jabatan,
        updated_at=timezone.now(),
    )
    return None


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
    `end`, or what a `pre_assign` receiver refuses. Sends `assignment_changed` (new None,
    day = end + 1) after commit."""
    _check_admin(actor)
    _require(reason, "reason", _("Alasan wajib diisi."))
    stored = _lock(person)
    if not Assignment.objects.filter(person=person).exists():
        snapshot = _stored_snapshot(person, stored, end)
        if snapshot is not None:
            snapshot.save()
    row = Assignment.objects.on(end).filter(person=person).select_related("org_unit").first()
    if row is None:
        raise ValidationError(
            {
                "end": _("Pegawai ini tidak memiliki penempatan pada %(date)s.")
                % {"date": _date(end)}
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
        old=_("%(post)s, sampai %(date)s") % {"post": row, "date": _date(previous_end)}
        if previous_end
        else row,
        new=_("%(post)s, sampai %(date)s") % {"post": row, "date": _date(end)},
        source=AUDIT_SOURCE.get(source, Source.SYSTEM),
        note=reason.strip(),
    )
    refresh_snapshot(person)
    transaction.on_commit(
        lambda: assignment_changed.send(
            sender=Assignment, person=person, old=row, new=None, day=end + ONE_DAY
        )
    )
    return row


def _acting_label(acting: ActingAppointment) -> str:
    return _("%(kind)s %(unit)s, %(start)s – %(end)s") % {
        "kind": acting.get_kind_display(),
        "unit": acting.org_unit,
        "start": _date(acting.start),
        "end": _date(acting.end),
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
    _check_admin(actor)
    _check_range(start, end)
    _require(sk_number, "sk_number", _("Nomor SK Plt/Plh wajib diisi."))
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
                    % {"unit": org_unit, "date": _date(start)}
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
                % {"acting": _acting_label(clash), "name": clash.person.full_name}
            }
        )
    acting = ActingAppointment(
        person=person,
        kind=kind,
        org_unit=org_unit,
        start=start,
        end=end,
        sk_number=sk_number.strip(),
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    acting.full_clean()
    acting.save()
    record_change(
        actor=actor,
        subject=person,
        kind=Kind.ACTING,
        old="",
        new=_acting_label(acting),
        source=Source.ADMIN_ACTION,
        note=_("SK %(number)s") % {"number": acting.sk_number},
    )
    return acting


@transaction.atomic
def end_acting(
    *, actor: User | None, acting: ActingAppointment, end: dt.date, reason: str
) -> ActingAppointment:
    """End a Plt/Plh earlier than recorded, `end` being its last day. Refuses without a reason,
    an end before its start, or later than the recorded end (an extension needs a new SK)."""
    _check_admin(actor)
    _require(reason, "reason", _("Alasan wajib diisi."))
    acting = (
        ActingAppointment.objects.select_for_update().select_related("org_unit").get(pk=acting.pk)
    )
    _check_range(acting.start, end)
    if end > acting.end:
        raise ValidationError(
            {
                "end": _(
                    "Plt/Plh ini berakhir %(date)s; tanggal selesai hanya dapat dimajukan "
                    "(perpanjangan dicatat dengan SK baru)."
                )
                % {"date": _date(acting.end)}
            }
        )
    before = _acting_label(acting)
    acting.end = end
    acting.save(update_fields=["end"])
    record_change(
        actor=actor,
        subject=acting.person,
        kind=Kind.ACTING_ENDED,
        old=before,
        new=_acting_label(acting),
        source=Source.ADMIN_ACTION,
        note=reason.strip(),
    )
    return acting


@transaction.atomic
def delegate_rating(*, actor: User, start: dt.date, end: dt.date, reason: str) -> RatingDelegation:
    """`actor` (a supervisor going on leave) lets their own atasan on `start` rate in their
    place from `start` to `end`. Refuses: end before start, no reason, no bawahan or no atasan
    in the portal on `start`, another delegation of `actor` overlapping."""
    _check_range(start, end)
    _require(reason, "reason", _("Alasan wajib diisi."))
    _lock(actor)
    if not authority.bawahan_ids_on(actor, start):
        raise PermissionDenied(
            _("Delegasi penilaian hanya untuk atasan yang memiliki bawahan pada %(date)s.")
            % {"date": _date(start)}
        )
    delegate = authority.atasan_on(actor, start)
    if delegate is None:
        raise ValidationError(
            _(
                "Anda tidak memiliki atasan di portal pada %(date)s; delegasi penilaian tidak "
                "dapat dicatat."
            )
            % {"date": _date(start)}
        )
    clash = RatingDelegation.objects.overlapping(start, end).filter(delegator=actor).first()
    if clash is not None:
        raise ValidationError(
            {
                "start": _(
                    "Sudah ada delegasi penilaian Anda %(start)s – %(end)s yang tumpang tindih "
                    "dengan tanggal ini."
                )
                % {"start": _date(clash.start), "end": _date(clash.end)}
            }
        )
    delegation = RatingDelegation(
        delegator=actor, delegate=delegate, start=start, end=end, reason=reason.strip()
    )
    delegation.full_clean()
    delegation.save()
    record_change(
        actor=actor,
        subject=actor,
        kind=Kind.RATING_DELEGATION,
        old="",
        new=delegate,
        source=Source.ACCOUNT,
        note=_("%(start)s – %(end)s; %(reason)s")
        % {"start": _date(start), "end": _date(end), "reason": delegation.reason},
    )
    notify(
        recipient=delegate,
        actor=actor,
        message=_("%(name)s mendelegasikan penilaian kepada Anda, %(start)s – %(end)s.")
        % {"name": actor.full_name, "start": _date(start), "end": _date(end)},
        url=reverse("portal:beranda"),
    )
    return delegation


@transaction.atomic
def cancel_delegation(*, actor: User, delegation: RatingDelegation) -> RatingDelegation | None:
    """The delegator takes rating back from today: a delegation not yet begun is removed, one
    in effect ends yesterday (its days stay on the record). Refuses anyone but the delegator
    and a delegation already over. Returns the ended row, None when it was removed."""
    delegation = RatingDelegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.delegator_id != actor.pk:
        raise PermissionDenied(_("Hanya pemberi delegasi yang dapat membatalkannya."))
    day = authority.today()
    if delegation.end < day:
        raise ValidationError(
            _("Delegasi ini sudah berakhir %(date)s.") % {"date": _date(delegation.end)}
        )
    before = _("%(name)s, %(start)s – %(end)s") % {
        "name": delegation.delegate.full_name,
        "start": _date(delegation.start),
        "end": _date(delegation.end),
    }
    if delegation.start >= day:
        delegation.delete()
        after, result = "", None
    else:
        delegation.end = day - ONE_DAY
        delegation.save(update_fields=["end"])
        after = _("%(name)s, %(start)s – %(end)s") % {
            "name": delegation.delegate.full_name,
            "start": _date(delegation.start),
            "end": _date(delegation.end),
        }
        result = delegation
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


@dataclass
class TeamMove:
    """What `reassign_team` did: who moved, and who was refused with the reason."""

    moved: list[User] = field(default_factory=list)
    refused: list[tuple[User, str]] = field(default_factory=list)


def may_reassign_team(actor: User, departing: User, day: dt.date | None = None) -> bool:
    """Admin BKPSDM, or the head (or Plt/Plh) of a unit the departing supervisor works in."""
    if may_manage_staffing(actor):
        return True
    post = authority.assignment_on(departing, day)
    return post is not None and post.org_unit_id in headed_unit_ids(actor, day)


def team_on(supervisor: User, day: dt.date | None = None) -> list[Assignment]:
    """The assignments on `day` naming `supervisor` as atasan (unit and person loaded), by name."""
    posts = authority.assignments_on(authority.bawahan_ids_on(supervisor, day), day, related=True)
    people = User.objects.in_bulk(list(posts))
    for person_id, post in posts.items():
        post.person = people[person_id]
    return sorted(posts.values(), key=lambda post: post.person.full_name)


@transaction.atomic
def reassign_team(
    *,
    actor: User,
    departing: User,
    successor: User,
    start: dt.date,
    sk_number: str,
    note: str = "",
    people: list[int] | None = None,
    dry_run: bool = False,
) -> TeamMove:
    """Give every bawahan of `departing` on `start` the same post under `successor` from
    `start` on (one `assign` each, source "sk"). `people`: the ids the actor confirmed; anyone
    no longer in the team is refused, and nobody else is moved. Each person is checked on their
    own: one refused (an atasan cycle, a later assignment, a closed period...) is listed with
    the reason and the others still move. Refuses the whole call: no rights
    (`may_reassign_team`), no SK number, the successor being the departing supervisor.
    `dry_run`: the same checks and the same answer, nothing kept (the confirmation step)."""
    if not may_reassign_team(actor, departing, start):
        _check_admin(actor)
    _require(sk_number, "sk_number", _("Nomor SK wajib diisi untuk penempatan berdasarkan SK."))
    if successor.pk == departing.pk:
        raise ValidationError(
            {"successor": _("Pengganti tidak boleh atasan yang sama dengan yang pindah.")}
        )
    team = team_on(departing, start)
    in_team = {post.person_id for post in team}
    move = TeamMove()
    wanted = in_team if people is None else set(people)
    for person in User.objects.filter(pk__in=wanted - in_team).order_by("full_name"):
        move.refused.append(
            (person, _("Bukan lagi bawahan %(name)s.") % {"name": departing.full_name})
        )
    for post in team:
        if post.person_id not in wanted:
            continue
        try:
            with transaction.atomic():
                assign(
                    actor=actor,
                    person=post.person,
                    org_unit=post.org_unit,
                    jabatan=post.jabatan,
                    jenis_jabatan=post.jenis_jabatan,
                    atasan=successor,
                    is_head=post.is_head,
                    start=start,
                    source=Assignment.Source.SK,
                    sk_number=sk_number,
                    note=note,
                )
        except (ValidationError, PermissionDenied) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            move.refused.append((post.person, " ".join(reasons)))
        else:
            move.moved.append(post.person)
    if dry_run:
        transaction.set_rollback(True)
    return move


@transaction.atomic
def designate_rater(
    *,
    actor: User | None,
    person: User,
    rater: User | None = None,
    external_rater: str = "",
    document_ref: str,
    start: dt.date,
    end: dt.date | None = None,
) -> DesignatedRater:
    """Name who rates `person` (who has no atasan in the portal on `start`): a portal user, or
    someone outside it by name (`external_rater`; Admin BKPSDM then records their rating). A
    designation in effect the day before ends on `start - 1`. Refuses: no document reference,
    neither or both raters, the person themselves or someone below them, end before start, a
    person with an atasan on `start`, a designation already recorded after `start`."""
    _check_admin(actor)
    external_rater = external_rater.strip()
    _require(document_ref, "document_ref", _("Dasar penunjukan (nomor atau dokumen) wajib diisi."))
    _check_range(start, end)
    if rater is None and not external_rater:
        raise ValidationError(
            {"rater": _("Pilih penilai di portal atau tulis nama penilai di luar portal.")}
        )
    if rater is not None and external_rater:
        raise ValidationError(
            {"rater": _("Isi salah satu saja: penilai di portal atau penilai di luar portal.")}
        )
    if rater is not None:
        if rater.pk == person.pk:
            raise ValidationError(
                {"rater": _("Pegawai tidak dapat menjadi penilai dirinya sendiri.")}
            )
        _check_not_below(person=person, rater=rater, day=start, field="rater")
    _lock(person)
    current = authority.assignment_on(person, start)
    if current is not None and current.atasan_id:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s memiliki atasan langsung pada %(date)s (%(atasan)s); penilai "
                    "hanya ditunjuk bagi pegawai tanpa atasan di portal."
                )
                % {
                    "name": person.full_name,
                    "date": _date(start),
                    "atasan": current.atasan.full_name,
                }
            }
        )
    rows = list(DesignatedRater.objects.filter(person=person).select_related("rater"))
    later = [row for row in rows if row.start >= start]
    if later:
        raise ValidationError(
            {
                "start": _("Sudah ada penunjukan penilai mulai %(date)s untuk pegawai ini.")
                % {"date": _date(later[0].start)}
            }
        )
    previous = next((row for row in rows if row.end is None or row.end >= start), None)
    if previous is not None:
        previous.end = start - ONE_DAY
        previous.save(update_fields=["end"])
    designated = DesignatedRater(
        person=person,
        rater=rater,
        external_rater=external_rater,
        document_ref=document_ref.strip(),
        start=start,
        end=end,
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    designated.full_clean()
    designated.save()
    record_change(
        actor=actor,
        subject=person,
        kind=Kind.DESIGNATED_RATER,
        old=previous.rater_label if previous else "",
        new=designated.rater_label,
        source=Source.ADMIN_ACTION,
        note="; ".join(
            [_("Berlaku mulai %(date)s") % {"date": _date(start)}, designated.document_ref]
        ),
    )
    return designated


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
