"""The record of who changed a person's roles, activity, unit or atasan (issue 14).

`record_change` is the one writer of `AuditEntry`; every path that changes those things calls it
(the Wagtail user forms and bulk actions through `portal.people`, the register import, and other
apps' services, e.g. a re-assignment of reports after an atasan change).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import AuditEntry, User
from .sql import copy_rows, insert_rows

Kind = AuditEntry.Kind
M = TypeVar("M", bound=models.Model)
Source = AuditEntry.Source

# What `snapshot` reads and `record_diff` compares, in the order entries are written.
AUDITED = (
    Kind.SUPERUSER,
    Kind.ROLES,
    Kind.ACTIVE,
    Kind.ORG_UNIT,
    Kind.ATASAN,
    Kind.EMAIL,
)


def describe(value: object) -> str:
    """A value as Admin BKPSDM reads it in the listing."""
    # (the common types first: the register sync describes hundreds of thousands of values)
    if value is None:
        return "—"
    if isinstance(value, str):
        return str(value) or "—"
    if isinstance(value, bool):
        return _yes_no(translation.get_language())[0 if value else 1]
    if isinstance(value, User):
        return f"{value.full_name} ({value.nip})"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return "—" if value == "" else str(value)


@functools.lru_cache(maxsize=16)
def _yes_no(language: str | None) -> tuple[str, str]:
    return _("ya"), _("tidak")


def _entry_factory(
    *, actor: User | None, subject: User, source: str, note: str
) -> Callable[[str, object, object], AuditEntry]:
    """`entry(kind, old, new)`: an unsaved entry of a change `actor` made to `subject`."""
    actor = actor if actor is not None and actor.pk else None
    label = describe(subject)[:200]

    def entry(kind: str, old: object, new: object) -> AuditEntry:
        return AuditEntry(
            actor=actor,
            subject=subject,
            subject_label=label,
            kind=kind,
            old=describe(old)[:500],
            new=describe(new)[:500],
            source=source,
            note=note[:500],
        )

    return entry


def record_change(**kwargs) -> AuditEntry:
    """Record one change of `subject` made by `actor` (None: the system or a command); the
    keyword arguments of `change_entry`.

    `kind` is an `AuditEntry.Kind` (other apps may add theirs), `source` an `AuditEntry.Source`;
    `old`/`new` may be users, units, booleans, sets of names or text. Call it inside the
    transaction that makes the change, so both are kept or neither.
    """
    entry = change_entry(**kwargs)
    entry.save()
    return entry


def save_new(instance: M, **change) -> M:
    """Validate and save the new `instance`, then record its making: `change` are the keyword
    arguments of `record_change` (`old` empty unless given). Call it inside the transaction."""
    instance.full_clean()
    instance.save()
    record_change(**{"old": "", **change})
    return instance


def change_entry(
    *,
    actor: User | None,
    subject: User,
    kind: str,
    old: object,
    new: object,
    source: str,
    note: str = "",
) -> AuditEntry:
    """The unsaved entry `record_change` saves, for writers that save many at once
    (`save_entries`, one INSERT) inside the transaction that makes the changes."""
    return _entry_factory(actor=actor, subject=subject, source=source, note=note)(kind, old, new)


def snapshot(user: User) -> dict[str, object]:
    """The audited values of a person as they are now (groups read from the database)."""
    if not user.pk:
        return {}
    return {
        Kind.SUPERUSER: user.is_superuser,
        Kind.ROLES: frozenset(user.groups.values_list("name", flat=True)),
        Kind.ACTIVE: user.is_active,
        Kind.ORG_UNIT: user.org_unit,
        Kind.ATASAN: user.atasan,
        Kind.EMAIL: user.email,
    }


def diff_entries(
    *,
    actor: User | None,
    subject: User,
    before: dict[str, object],
    after: dict[str, object],
    source: str,
    note: str = "",
) -> list[AuditEntry]:
    """Unsaved entries for what differs between two snapshots (a new account: one 'created')."""
    entry = _entry_factory(actor=actor, subject=subject, source=source, note=note)
    return [entry(kind, old, new) for kind, old, new in diff_changes(before, after)]


def diff_changes(before: dict[str, object], after: dict[str, object]) -> list[tuple]:
    """`(kind, old, new)` of what differs between two snapshots (a new account: 'created')."""
    if not before:
        return [(Kind.CREATED, "", after.get(Kind.ORG_UNIT) or "")] + [
            (k, "", after[k])
            for k in AUDITED
            if k in after and k not in (Kind.ACTIVE, Kind.EMAIL, Kind.ORG_UNIT) and after[k]
        ]
    return [
        (k, before[k], after[k])
        for k in AUDITED
        if k in before and k in after and _key(before[k]) != _key(after[k])
    ]


def _key(value: object) -> object:
    return value.pk if isinstance(value, models.Model) else value


def record_diff(**kwargs) -> list[AuditEntry]:
    """Save the entries of `diff_entries(**kwargs)` (one INSERT)."""
    entries = diff_entries(**kwargs)
    return AuditEntry.objects.bulk_create(entries) if entries else []


def save_entries(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Save unsaved entries in one INSERT (the register sync saves tens of thousands)."""
    entries = list(entries)
    now = timezone.now()
    for entry in entries:
        entry.created_at = entry.created_at or now
    return insert_rows(AuditEntry, entries)


# The columns of an entry written as a plain row (`EntryRows`): every one without a default.
ROW_COLUMNS = (
    "actor_id",
    "subject_id",
    "subject_label",
    "kind",
    "old",
    "new",
    "source",
    "note",
    "created_at",
)


class EntryRows:
    """The entries of a bulk writer (the register sync: tens of thousands at once) as plain
    rows, the values `change_entry` would give, without a model instance each; `save` writes
    them in one statement (`portal.sql.copy_rows`). Every subject must have its id by then
    (saved, or reserved with `portal.sql.reserve_ids`)."""

    def __init__(self, *, actor: User | None) -> None:
        self.actor_id = actor.pk if actor is not None and actor.pk else None
        self.now = timezone.now()  # the entries' time (one transaction)
        self.rows: list[tuple] = []
        self._labels: dict[int, str] = {}

    def add(
        self, *, subject: User, kind: str, old: object, new: object, source: str, note: str = ""
    ) -> None:
        label = self._labels.get(subject.pk)
        if label is None:
            label = self._labels[subject.pk] = describe(subject)[:200]
        self.rows.append(
            (
                self.actor_id,
                subject.pk,
                label,
                kind,
                describe(old)[:500],
                describe(new)[:500],
                source,
                note[:500],
                self.now,
            )
        )

    def save(self) -> int:
        rows, self.rows = self.rows, []
        return copy_rows(AuditEntry, list(ROW_COLUMNS), rows)
