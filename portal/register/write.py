"""Step 3 of the register sync: the checked rows written in bulk, in a fixed number of
queries whatever the size of the file. The posts (unit, atasan, jabatan, head post) go through
the staffing writer (`portal.staffing.bulk`), the only writer of assignments and of the User
snapshot, which also inserts the new people (with their snapshot, ids reserved in one query);
the people's own details, their audit entries (plain rows, one COPY) and the sync lock are
here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import EntryRows, Kind, Source, diff_changes
from ..models import User
from ..sql import update_rows
from ..staffing import Assignment
from ..staffing.bulk import PostPlan, PostRequest, plan_posts, write_posts
from .result import ImportResult, RowError
from .validate import Checked, RegisterRow

DETAILS = ("full_name", "email", "pangkat_golongan", "status_kepegawaian")
# pg_advisory_xact_lock key of the register sync ("sync" in ASCII): one sync at a time.
LOCK_KEY = 0x73796E63


class SyncBusy(ValidationError):
    """Another register sync is being written right now."""


def take_sync_lock() -> None:
    """One register sync writes at a time (call inside its transaction; released at commit or
    rollback). PostgreSQL: an advisory lock, refused at once with `SyncBusy` when another sync
    holds it. SQLite: every transaction takes the write lock when it begins
    (`transaction_mode` IMMEDIATE), so a second sync waits for the first."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise SyncBusy(
                _(
                    "Sinkronisasi register lain sedang berjalan (dari unggahan atau API). "
                    "Tidak ada yang disimpan; coba lagi setelah sinkronisasi itu selesai."
                ),
                code="sync_busy",
            )


@dataclass
class Batch:
    """The rows' people (existing ones with the file's details set, new ones unsaved), their
    details as stored before, and the plan of their posts from today."""

    checked: Checked
    people: list[User]
    before: dict[str, dict]
    posts: PostPlan

    def refusals(self) -> list[RowError]:
        """What the staffing writer refused, by line."""
        return [
            RowError(self.checked.rows[index].line, message)
            for index, messages in self.posts.refused.items()
            for message in messages
        ]


def plan(checked: Checked, *, actor: User | None, lock: bool) -> Batch:
    people: dict[str, User] = {}
    before: dict[str, dict] = {}
    for row in checked.rows:
        person = checked.existing.get(row.nip) or User(nip=row.nip)
        if person.pk:
            before[row.nip] = {name: getattr(person, name) for name in DETAILS}
        for name in DETAILS:
            setattr(person, name, getattr(row, name))
        people[row.nip] = person
    requests = [
        PostRequest(
            person=people[row.nip],
            org_unit=row.org_unit,
            jabatan=row.jabatan,
            jenis_jabatan=row.jenis_jabatan,
            atasan=people.get(row.atasan_nip) or checked.outside_atasan.get(row.atasan_nip),
            is_head=row.is_head,
        )
        for row in checked.rows
    ]
    posts = plan_posts(
        actor=actor,
        requests=requests,
        day=timezone.localdate(),
        source=Assignment.Source.IMPOR,
        lock=lock,
    )
    return Batch(checked, [r.person for r in requests], before, posts)


def dependent_reason(row: RegisterRow, atasan: RegisterRow) -> str:
    return _(
        "Atasan (NIP %(nip)s, baris %(line)s) tidak diimpor karena barisnya salah; baris ini "
        "juga dilewati."
    ) % {"nip": atasan.nip, "line": atasan.line}


def count(batch: Batch, keep: set[str], result: ImportResult) -> None:
    """Who is (or would be) created and updated."""
    for person in batch.people:
        if person.nip in keep:
            (result.updated if person.nip in batch.before else result.created).append(person.nip)


def unusable_password() -> str:
    """What `make_password(None)` stores (no password: set through "lupa kata sandi"): the
    unusable prefix and a random suffix of the same length, from one `os.urandom` call instead
    of one `secrets.choice` per character (seconds for a register of 16,000 new people)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)


def write(batch: Batch, *, keep: set[str], actor: User | None) -> None:
    """Save the people whose NIP is in `keep`, their posts, and the audit of the import."""
    now = timezone.now()
    skip = {i for i, person in enumerate(batch.people) if person.nip not in keep}
    chosen = [person for person in batch.people if person.nip in keep]
    new = [person for person in chosen if person.nip not in batch.before]
    changed = [
        person
        for person in chosen
        if person.nip in batch.before
        and any(batch.before[person.nip][n] != getattr(person, n) for n in DETAILS)
    ]
    for person in new:
        person.password = unusable_password()
        person.date_joined = person.updated_at = now
    for person in changed:
        person.updated_at = now
    write_posts(batch.posts, skip=skip, new_people=new)  # saves the new people, with their post
    update_rows(User, changed, [*DETAILS, "updated_at"])  # after its checks, like every write
    entries = EntryRows(actor=actor)
    for person in chosen:
        old_email = batch.before.get(person.nip, {}).get("email")
        for kind, old, value in diff_changes(
            {} if old_email is None else {Kind.EMAIL: old_email},
            {Kind.ORG_UNIT: person.org_unit, Kind.EMAIL: person.email},
        ):
            entries.add(subject=person, kind=kind, old=old, new=value, source=Source.IMPORT)
    entries.save()
