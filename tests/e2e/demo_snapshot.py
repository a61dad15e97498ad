"""The demo (`seed_demo`) for browser tests, seeded once per worker and restored after.

`seed_demo` takes most of a journey's time (it builds the demo through the services, as
`make run` does), and about twenty browser tests start from it. On PostgreSQL the first call in
a worker seeds it and copies every table out (`COPY ... TO STDOUT`, in memory, with the
sequences' positions); each later call empties the tables and copies them back in, which gives
the same rows with the same ids. The database the test server reads is then exactly what
`seed_demo` made, as before. Elsewhere (SQLite: `make test` on a machine with Chromium)
every call runs `seed_demo`.

It runs in a worker thread: Playwright keeps an event loop in the test's thread, where Django
refuses synchronous database work (and the board's broadcasts would fail).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections

# per database (each xdist worker has its own): (tables with their rows, sequence positions)
_snapshots: dict[str, tuple[dict[str, bytes], list[tuple[str, int | None]]]] = {}


def seed_demo() -> None:
    """The database as `seed_demo --force` leaves it, from the snapshot when there is one."""

    def work():
        try:
            if connection.vendor != "postgresql":
                call_command("seed_demo", force=True, stdout=io.StringIO())
                return
            name = connection.settings_dict["NAME"]
            if name in _snapshots:
                _restore(*_snapshots[name])
            else:
                call_command("seed_demo", force=True, stdout=io.StringIO())
                _snapshots[name] = _take()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(work).result()
    # the ids are the snapshot's: forget the content types this process read before
    ContentType.objects.clear_cache()


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()"
        " AND tablename <> 'django_migrations' ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _take() -> tuple[dict[str, bytes], list[tuple[str, int | None]]]:
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        rows = {}
        for table in _tables(cursor):
            with cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                rows[table] = b"".join(bytes(block) for block in copy)
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value"
            " FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = cursor.fetchall()
    return rows, sequences


def _restore(rows: dict[str, bytes], sequences: list[tuple[str, int | None]]) -> None:
    connection.ensure_connection()
    raw = connection.connection
    with raw.transaction(), raw.cursor() as cursor:
        tables = _tables(cursor)
        # rows go out and in table by table; no trigger runs meanwhile, foreign keys' and the
        # ledger's append-only one included (the rows are a consistent copy of one database).
        # DELETE, not TRUNCATE: a few thousand rows, against new files for ~150 tables
        # (tests/pg_flush.py); the sequences are set below.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        for table in tables:
            with cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(rows[table])
        for sequence, last_value in sequences:
            if last_value is None:
                cursor.execute("SELECT setval(%s, 1, false)", [sequence])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, last_value])
