"""Writes with rules for the people app: the staff register import (the register sync).

The engine is `portal.register`: `parse` (the file into rows), `validate` (every check, before
anything is written, in a fixed number of queries) and `write` (bulk writes through the staffing
writer `portal.staffing.bulk`). `import_employees` is the one entry point, for the upload page,
the `import_employees` command and the REST API.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import authority
from .models import User
from .register import parse, validate, write
from .register.result import ImportResult, RowError
from .staffing import Assignment
from .staffing.checks import refusal_messages
from .staffing.services import end_assignment

__all__ = ["COLUMNS", "REQUIRED", "ImportResult", "RowError", "import_employees", "read_register"]

COLUMNS = parse.COLUMNS
REQUIRED = parse.REQUIRED
read_register = parse.read_register


def import_employees(
    *,
    rows: list[dict[str, str]],
    dry_run: bool = False,
    actor: User | None = None,
    end_missing: bool = False,
    partial: bool = False,
    first_line: int = 2,
) -> ImportResult:
    """Create or update employees by NIP from register rows; all rows or none (`partial`:
    the good rows, and the bad ones reported).

    Every bad row is reported with its line number (the header is line 1). Atasan may be
    another row of the same file or an existing employee; cycles are refused. A changed unit,
    atasan, jabatan or head post becomes a new assignment from today (`portal.staffing.bulk`,
    source "impor"); the old one ends yesterday. Each new person and each change of unit, atasan,
    jabatan or e-mail is recorded (`AuditEntry`, source "import", by `actor`: the Admin BKPSDM
    who confirmed, None for the command). The number of queries does not grow with the rows.

    `partial`: a bad row (and a row whose atasan is a new person on a bad row) is left out and
    reported in `errors`; the other rows are written. One sync writes at a time: a second one
    meanwhile is refused (`errors`, nothing saved) on PostgreSQL, and waits on SQLite.

    `first_line`: the line number of the first row in errors and messages (2: a file whose
    header is line 1; the API numbers its list from 1).

    `end_missing`: the assignment of every active person with a unit who is not in the file
    ends yesterday (today when it began today), source "impor" (retired, moved out). Nobody is
    deleted or deactivated: the account stays, to read its own history; Admin BKPSDM
    deactivates it in Pengguna when that is wanted. A dry run lists them (`ended`).
    """
    result = ImportResult(dry_run=dry_run, partial=partial)
    try:
        with transaction.atomic():
            if not dry_run:
                write.take_sync_lock()
            _sync(
                rows,
                dry_run=dry_run,
                actor=actor,
                end_missing=end_missing,
                result=result,
                first_line=first_line,
            )
            if dry_run or (result.errors and not partial):
                transaction.set_rollback(True)
    except write.SyncBusy as exc:
        result.created, result.updated, result.ended = [], [], []
        result.errors = [RowError(0, message) for message in exc.messages]
        result.busy = True
    result.errors.sort(key=lambda error: error.line)
    return result


def _sync(
    rows, *, dry_run: bool, actor, end_missing: bool, result: ImportResult, first_line: int
) -> None:
    checked = validate.check_rows(rows, first_line=first_line)
    in_file = {row.nip for row in checked.rows}
    try:
        if checked.errors and not result.partial:
            return
        checked.drop({e.line for e in checked.errors}, write.dependent_reason)
        batch = write.plan(checked, actor=actor, lock=not dry_run)
        refused = batch.refusals()
        checked.errors += refused
        if refused and not result.partial:
            return
        checked.drop({e.line for e in refused}, write.dependent_reason)
        keep = {row.nip for row in checked.rows}
        write.count(batch, keep, result)
        if not dry_run:
            write.write(batch, keep=keep, actor=actor)
    finally:
        result.errors += checked.errors
    if end_missing:
        _end_missing(actor=actor, nips=in_file, day=timezone.localdate(), result=result)


def _end_missing(*, actor: User | None, nips: set[str], day, result: ImportResult) -> None:
    """End the assignment of each active person with a unit whose NIP is not in `nips`."""
    missing = list(
        User.objects.active()
        .filter(org_unit__isnull=False)
        .exclude(nip__in=nips)
        .select_related("org_unit")
        .order_by("org_unit__name", "full_name")
    )
    posts = authority.assignments_on(missing, day)
    for person in missing:
        post = posts.get(person.pk)
        start = post.start if post is not None else day
        person.ended_unit = person.org_unit  # the snapshot loses it when the assignment ends
        try:
            end_assignment(
                actor=actor,
                person=person,
                end=max(day - dt.timedelta(days=1), start),
                reason=_("Tidak ada lagi di register kepegawaian yang diimpor."),
                source=Assignment.Source.IMPOR,
            )
        except (ValidationError, PermissionDenied) as exc:
            result.errors += [
                RowError(0, f"NIP {person.nip} ({person.full_name}): {message}")
                for message in refusal_messages(exc)
            ]
        result.ended.append(person)
