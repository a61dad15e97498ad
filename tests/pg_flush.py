"""Emptying the test database between transactional tests on PostgreSQL: DELETE, not TRUNCATE.

After each transactional test (browser tests, sockets, parallel writers) Django flushes the
database with one `TRUNCATE` of every table. PostgreSQL gives each truncated table and index a
new file and syncs them at commit: on these machines that took 3.5-4.5 s for ~150 empty tables
under CI's load, after each of some 100 tests. Deleting the rows a test wrote takes about 0.1 s.

The end state is the same: every table empty, sequences where they were (a flush without
`reset_sequences` does not restart them either). Foreign keys are checked at commit, when
every table is empty: Django declares them DEFERRABLE INITIALLY DEFERRED. A table guarded by
a row trigger against DELETE (the append-only points ledger) is still truncated, with the
tables that refer to it.
A flush that resets sequences or cascades keeps Django's TRUNCATE.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations

_truncate = DatabaseOperations.sql_flush

# The tables with a user trigger (not a foreign key's) on DELETE, and the tables that refer to
# them, directly or not: TRUNCATE must take those along.
GUARDED_TABLES = """
WITH RECURSIVE guarded(oid) AS (
    SELECT tgrelid FROM pg_trigger
    WHERE NOT tgisinternal AND tgtype & 8 = 8  -- TRIGGER_TYPE_DELETE
    UNION
    SELECT conrelid FROM pg_constraint JOIN guarded ON confrelid = guarded.oid
    WHERE contype = 'f'
)
SELECT relname FROM pg_class JOIN guarded USING (oid)
"""

# per database (a worker has one)
_guarded: dict[str, frozenset[str]] = {}


def _tables_refusing_delete(connection) -> frozenset[str]:
    name = connection.settings_dict["NAME"]
    if name not in _guarded:
        with connection.cursor() as cursor:
            cursor.execute(GUARDED_TABLES)
            _guarded[name] = frozenset(row[0] for row in cursor.fetchall())
    return _guarded[name]


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade or not tables:
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    guarded = _tables_refusing_delete(self.connection)
    statements = ["SET CONSTRAINTS ALL DEFERRED;"]
    statements += _truncate(self, style, [t for t in tables if t in guarded])
    statements += [
        f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
        for table in tables
        if table not in guarded
    ]
    return statements


def install() -> None:
    DatabaseOperations.sql_flush = sql_flush
