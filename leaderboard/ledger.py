"""The points ledger is append-only in the database too, and the one way to erase from it.

On PostgreSQL a trigger (migration 0004_pointentry_append_only) refuses every UPDATE and
DELETE of `PointEntry`: a correction is a new entry with negative points (`services`). The one
exception is `erase_entries`, for people removed for good (today: the generated people of the
benchmarks, whose runs start by deleting the last run's data). It sets the transaction-local
setting `portal.ledger_erasure` around its own DELETE only; UPDATE stays refused. SQLite has no
trigger: there the rule holds by convention (only `leaderboard.services` writes the ledger).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet

from portal.sql import names

from .models import PointEntry

ERASURE_SETTING = "portal.ledger_erasure"


def _erasure(cursor, value: str) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT set_config(%s, %s, true)", [ERASURE_SETTING, value])


@transaction.atomic
def erase_entries(*, users: QuerySet) -> int:
    """Delete every ledger entry of `users` (a User QuerySet) and return how many.

    Only for people who are being deleted for good: the caller removes what points at the
    entries (badge awards, recognitions) before and the scores and the people after. One
    plain DELETE (a million entries are not loaded into Python); the permission lasts until
    that statement is done, or is rolled back with it.
    """
    people, params = users.values("pk").query.sql_with_params()
    p = names(PointEntry, "user")
    with connection.cursor() as cursor:
        _erasure(cursor, "on")
        cursor.execute(f"DELETE FROM {p.table} WHERE {p.user} IN ({people})", params)
        deleted = cursor.rowcount
        _erasure(cursor, "off")
    return deleted
