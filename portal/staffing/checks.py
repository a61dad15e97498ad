"""Checks shared by the staffing writers (`portal.staffing.services` and the writers it re-exports):
Indonesian messages, keyed by field where there is one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import authority
from portal.audit import Source, save_new
from portal.models import OrgUnit, User

from .models import Assignment

ONE_DAY = dt.timedelta(days=1)
SNAPSHOT_COLUMNS = ("org_unit_id", "atasan_id", "jabatan", "jenis_jabatan")


def format_date(day: dt.date) -> str:
    return date_format(day, "j F Y")


def lock_person(person: User) -> dict:
    """Serialise staffing writes for one person (a row lock on PostgreSQL); returns the
    person's snapshot as stored (the caller's instance may already carry new values)."""
    return (
        User.objects.select_for_update(of=("self",))
        .filter(pk=person.pk)
        .values(*SNAPSHOT_COLUMNS, "org_unit__parent_id")
        .get()
    )


def recorder(actor: User | None) -> User | None:
    """The `recorded_by` of a row: the actor, unless it is the system or an unsaved user."""
    return actor if actor is not None and actor.pk else None


def save_admin_record(row, *, actor: User | None, **change):
    """Save the new dated row (Plt/Plh, designated rater) Admin BKPSDM records about
    `row.person`, signed with their name, and audit it on the person (`change`: kind, old, new,
    note)."""
    row.recorded_by = recorder(actor)
    return save_new(row, actor=actor, subject=row.person, source=Source.ADMIN_ACTION, **change)


def require(value: str, field: str, message: str) -> None:
    if not (value or "").strip():
        raise ValidationError({field: message})


def check_range(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError(
            {
                "end": _("Tanggal selesai (%(end)s) tidak boleh sebelum tanggal mulai (%(start)s).")
                % {"end": format_date(end), "start": format_date(start)}
            }
        )


def rating_chain_ids(person: User, day: dt.date, *, limit: int = 50) -> list[int]:
    """Ids up the chain of who rates whom on `day` (`authority.atasan_on`: the atasan, else
    the designated rater in the portal), nearest first; stops at a repeat."""
    chain: list[int] = []
    node: User | None = person
    seen = {person.pk}
    while len(chain) < limit:
        node = authority.atasan_on(node, day)
        if node is None:
            break
        chain.append(node.pk)
        if node.pk in seen:
            break
        seen.add(node.pk)
    return chain


def check_not_below(*, person: User, rater: User, day: dt.date, field: str) -> None:
    """Refuse `rater` when it is `person` or someone below them on `day`, following each
    atasan and, for a person without one, their designated rater (`rating_chain_ids`)."""
    if rater.pk == person.pk:
        raise ValidationError({field: _("Pegawai tidak boleh menjadi atasan dirinya sendiri.")})
    if person.pk in rating_chain_ids(rater, day):
        raise ValidationError(
            {
                field: _(
                    "%(name)s adalah bawahan (langsung atau tidak langsung) pegawai ini pada "
                    "%(date)s; rantai atasan tidak boleh melingkar."
                )
                % {"name": rater.full_name, "date": format_date(day)}
            }
        )


def first_day_without_post(person: User, start: dt.date, end: dt.date | None) -> dt.date | None:
    """The first day from `start` to `end` (`start` alone when `end` is None) on which `person`
    holds no post any more (retired, left, assignment ended), or None. A person without any
    assignment row (read from the snapshot, or never placed: an official outside the OPDs) has
    not ended one. Two queries at most."""
    last = end or start
    rows = (
        Assignment.objects.filter(person_id=person.pk, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("start")
        .values_list("start", "end")
    )
    day, seen = start, False
    for row_start, row_end in rows:
        seen = True
        if row_start > day:
            return day
        if row_end is None or row_end >= last:
            return None
        day = max(day, row_end + ONE_DAY)
    if seen or Assignment.objects.filter(person_id=person.pk).exists():
        return day
    return None  # no row at all: never placed by the register (the snapshot is open), not ended


def check_may_act(
    person: User, *, start: dt.date, end: dt.date | None, field: str | None, role: str
) -> None:
    """Refuse `person` as `role` (Plt/Plh, designated rater, delegate, successor) from `start`
    to `end` (None: from `start`) when they cannot act then: the account is deactivated, or they
    hold no post on one of those days (`first_day_without_post`)."""
    if not User.objects.filter(pk=person.pk, is_active=True).exists():
        message = _(
            "%(name)s sudah dinonaktifkan di portal; tidak dapat dicatat sebagai %(role)s."
        ) % {"name": person.full_name, "role": role}
        raise ValidationError({field: message} if field else message)
    gap = first_day_without_post(person, start, end)
    if gap is not None:
        message = _(
            "%(name)s tidak memiliki jabatan pada %(date)s (pensiun, berhenti, atau "
            "penempatannya berakhir); tidak dapat dicatat sebagai %(role)s pada tanggal itu."
        ) % {"name": person.full_name, "date": format_date(gap), "role": role}
        raise ValidationError({field: message} if field else message)


def check_active(person: User | None, *, field: str, role: str) -> None:
    """Refuse a deactivated account as `role` (the instance as loaded: no query)."""
    if person is not None and person.pk and not person.is_active:
        raise ValidationError(
            {
                field: _(
                    "%(name)s sudah dinonaktifkan di portal; tidak dapat dicatat sebagai %(role)s."
                )
                % {"name": person.full_name, "role": role}
            }
        )


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


def check_admin(actor: User | None) -> None:
    if not may_manage_staffing(actor):
        raise PermissionDenied(
            _("Hanya Admin BKPSDM yang dapat mencatat penempatan, Plt/Plh, dan penilai.")
        )


def check_not_self(actor: User | None, *people: User | None) -> None:
    """Nobody records a post, an acting appointment, a designated rater or an atasan that names
    themselves (the person, the rater, the Plt/Plh, the atasan or the successor): another Admin
    BKPSDM does. The system (actor None) is not a person."""
    if actor is None or not actor.pk:
        return
    if any(person is not None and person.pk == actor.pk for person in people):
        raise PermissionDenied(
            _(
                "Anda tidak dapat mencatat penempatan, Plt/Plh, atasan, atau penilai yang "
                "menyangkut diri Anda sendiri; mintalah Admin BKPSDM lain mencatatnya."
            )
        )


def check_head_post_free(
    *, person: User, org_unit: OrgUnit, start: dt.date, end: dt.date | None
) -> None:
    """Refuse a head post of `org_unit` from `start` to `end` (None = open) while someone else
    holds it on any of those days: one holder at a time (an acting official is recorded as
    Plt/Plh, and the holder's post is ended or moved first)."""
    rows = (
        Assignment.objects.overlapping(start, end)
        .filter(org_unit=org_unit, is_head=True)
        .exclude(person_id=person.pk)
        .select_related("person")
    )
    holder = next((row.person for row in rows[:1]), None)
    if holder is None:
        found = authority.head_of(org_unit, start)
        holder = found if found is not None and found.pk != person.pk else None
    if holder is not None:
        raise ValidationError(
            {
                "is_head": _(
                    "Jabatan kepala %(unit)s dipegang %(name)s pada rentang tanggal itu; akhiri "
                    "atau pindahkan penempatannya dulu (pejabat sementara dicatat sebagai "
                    "Plt/Plh)."
                )
                % {"unit": org_unit, "name": holder.full_name}
            }
        )


def check_post_rights(actor: User | None, unit_ids: set[int], day: dt.date) -> None:
    """Admin BKPSDM, the system, or the head of a unit for a post inside that unit (the
    person's unit now and the new one)."""
    if may_manage_staffing(actor):
        return
    if actor is None or not actor.pk or not unit_ids <= headed_unit_ids(actor, day):
        check_admin(actor)


def check_atasan_rights(actor: User | None, atasan: User | None, day: dt.date) -> None:
    """A unit head (not Admin BKPSDM) names as atasan only someone whose post on `day` is in a
    unit they head: they may not hand rating rights to a person outside their units."""
    if atasan is None or may_manage_staffing(actor):
        return
    post = authority.assignment_on(atasan, day)
    if post is None or post.org_unit_id not in headed_unit_ids(actor, day):
        raise PermissionDenied(
            _(
                "%(name)s tidak bekerja di unit yang Anda pimpin pada %(date)s; atasan dari "
                "unit lain dicatat oleh Admin BKPSDM."
            )
            % {"name": atasan.full_name, "date": format_date(day)}
        )


def refusal_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    """The Indonesian messages of a refusal by a staffing writer, for a list or a form."""
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]
