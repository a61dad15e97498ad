"""Names for hand-written SQL, read from the models' `_meta`.

A statement written by hand (where the ORM's query building costs more than the query, or
cannot say it: an upsert, `ON CONFLICT ... RETURNING`) lives in a manager or QuerySet method
of its model and takes every table and column name from `names()`, so a renamed field or
table changes the statement with it.
"""

from __future__ import annotations

import inspect
import operator
import time
from collections.abc import Callable, Hashable
from types import SimpleNamespace
from typing import NamedTuple

from django.db import connection
from django.db.models.expressions import RawSQL


def names(model, *fields: str) -> SimpleNamespace:
    """Quoted SQL names of `model`: `.table`, `.pk` and one attribute per field in `fields`
    (its column: "user" gives the "user_id" column).

        s = names(Score, "user", "season")
        f"SELECT {s.pk} FROM {s.table} WHERE {s.user} = %s AND {s.season} = %s"
    """
    quote = connection.ops.quote_name
    meta = model._meta
    columns = {field: quote(meta.get_field(field).column) for field in fields}
    return SimpleNamespace(table=quote(meta.db_table), pk=quote(meta.pk.column), **columns)


class Compiled:
    """An ORM query built and compiled once per process, then run with other values: for a
    statement on a busy path whose building and compiling (subqueries, annotations) cost
    more than running it. The query stays written with the ORM, in one place.

    `build` takes keyword arguments (integers: ids) and returns a QuerySet; it is called once
    with a distinct marker integer per argument, and each later call substitutes the values
    for the markers among the compiled parameters. `key` names what else the SQL depends on (a
    setting read by `build`): a new value compiles again.

        FACTS = Compiled(lambda report: Report.objects.filter(pk=report).values_list(...))
        FACTS.fetchone(report=report.pk)
    """

    _MARK = -7_300_000_000_000  # far from any id; one per argument below it

    def __init__(self, build: Callable, key: Callable[[], Hashable] = lambda: None):
        self.build = build
        self.key = key
        self.arguments = list(inspect.signature(build).parameters)
        self._statements: dict = {}

    def _statement(self) -> tuple[str, list]:
        cache_key = (connection.vendor, self.key())
        found = self._statements.get(cache_key)
        if found is None:
            marks = {self._MARK - i: _Argument(name) for i, name in enumerate(self.arguments)}
            query = self.build(**{arg.name: mark for mark, arg in marks.items()}).query
            sql, params = query.sql_with_params()
            slots = [marks.get(value, value) if type(value) is int else value for value in params]
            if set(marks.values()) - {slot for slot in slots if type(slot) is _Argument}:
                raise ValueError(f"an argument of {self.build} is not a parameter of its SQL")
            found = self._statements[cache_key] = (sql, slots)
        return found

    def fetchone(self, **values: int) -> tuple | None:
        sql, slots = self._statement()
        params = [values[s.name] if type(s) is _Argument else s for s in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


class _Argument(NamedTuple):
    name: str


def among(model, field: str, values) -> list | RawSQL:
    """The right side of `<field>__in` for many values of `model.field`: on PostgreSQL one
    array parameter (`IN (SELECT unnest(%s::type[]))`) instead of a placeholder per value,
    which costs a second of query building and parsing per 16,000 values; elsewhere the
    list itself."""
    values = list(values)
    if not values or connection.vendor != "postgresql":
        return values  # no values: Django answers without a query
    # the type without its length: a cast to varchar(18) would cut a longer value to a match
    db_type = model._meta.get_field(field).db_type(connection).split("(")[0]
    return RawSQL(f"SELECT unnest(%s::{db_type}[])", [values])


def update_rows(model, objs: list, fields: list[str], *, batch_size: int = 5000) -> int:
    """Write `fields` of `objs` (saved instances of `model`), one statement per `batch_size`
    objects: what `QuerySet.bulk_update` does, without its CASE WHEN per row, which costs
    seconds of Python and of planning from a few thousand rows. On PostgreSQL,
    `UPDATE ... FROM UNNEST(array, ...)` with one typed array per column; elsewhere
    `bulk_update` (SQLite's test-sized batches). No signals, no `auto_now`: set such fields
    on the objects. Returns how many objects were given."""
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(objs, fields, batch_size=batch_size)
        return len(objs)
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    p = names(model, *fields)
    quote = connection.ops.quote_name
    arrays = _arrays(columns)
    aliases = ", ".join(quote(field.column) for field in columns)
    sets = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns[1:])
    sql = (
        f"UPDATE {p.table} SET {sets} FROM UNNEST({arrays}) AS v({aliases}) "
        f"WHERE {p.table}.{p.pk} = v.{quote(meta.pk.column)}"
    )
    _execute_batches(sql, columns, objs, batch_size)
    return len(objs)


# From this many rows on, `insert_rows` reserves the ids and COPYs (two round trips, the rows
# formatted in C); below, one INSERT ... RETURNING (one round trip).
COPY_FROM = 500


def insert_rows(model, objs: list, *, batch_size: int = 20000, copy: bool | None = None) -> list:
    """Insert `objs` (unsaved instances of `model`, every field set: no `auto_now_add`, no
    signals) and set their ids: `bulk_create` without its per-value Python, for many thousand
    rows. On PostgreSQL, from `COPY_FROM` objects (or when some have their id already, or
    with `copy`: a bulk writer whose statements must not change with the rows), the others get
    ids from the table's sequence (`reserve_ids`, one query) and every row goes in through one
    `COPY ... FROM STDIN` (its rows formatted in C by psycopg); fewer: one
    `INSERT ... SELECT FROM UNNEST(array, ...) RETURNING id` per `batch_size`.
    Elsewhere `bulk_create`. Related objects given as instances must be saved (or have their ids
    reserved)."""
    if not objs or connection.vendor != "postgresql":
        return model._base_manager.bulk_create(objs, batch_size=batch_size)
    meta = model._meta
    if copy is None:
        copy = len(objs) >= COPY_FROM
    copy = copy or any(obj.pk is not None for obj in objs)
    if copy:
        reserve_ids(model, [obj for obj in objs if obj.pk is None])
    columns = [f for f in meta.concrete_fields if copy or not f.primary_key]
    for obj in objs:
        for field in columns:
            if field.is_relation and getattr(obj, field.attname) is None:
                related = field.get_cached_value(obj, None)
                if related is not None:  # saved since: its id, keeping the instance
                    setattr(obj, field.name, related)
    if copy:
        copy_rows(model, [field.attname for field in columns], _values(columns, objs))
    else:
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
            f"SELECT * FROM UNNEST({_arrays(columns)}) RETURNING {quote(meta.pk.column)}"
        )

        def set_ids(batch: list, rows: list) -> None:
            for obj, (pk,) in zip(batch, rows, strict=True):
                obj.pk = pk

        _execute_batches(sql, columns, objs, batch_size, returned=set_ids)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def reserve_ids(model, objs: list) -> bool:
    """Give `objs` (unsaved instances of `model`) ids from the table's sequence, one query for
    all of them (PostgreSQL: `nextval` over a series), so rows that refer to each other can be
    written in one statement each; the ids are theirs whatever else is inserted meanwhile.
    Elsewhere nothing is reserved: False (the caller inserts them to get their ids)."""
    if connection.vendor != "postgresql":
        return False
    if not objs:
        return True
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(meta.db_table), meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    return True


def copy_rows(model, attnames: list[str], rows) -> int:
    """Insert `rows` (tuples of values for the columns `attnames`, e.g. "subject_id", as
    PostgreSQL takes them: plain Python values) into `model`'s table without building a model
    instance per row: one `COPY ... FROM STDIN` on PostgreSQL (the table's sequence gives the
    ids when "id" is not among the columns), `bulk_create` elsewhere. No signals, no defaults:
    every column without a database default is given. Returns how many rows were written."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model._base_manager.bulk_create(objs)
        return len(rows)
    meta = model._meta
    quote = connection.ops.quote_name
    by_attname = {field.attname: field for field in meta.concrete_fields}
    columns = ", ".join(quote(by_attname[name].column) for name in attnames)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    started = time.monotonic()
    # psycopg's own cursor (`cursor.cursor`): Django's wrapper has no COPY
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    if connection.queries_logged:  # seen by query counts (CaptureQueriesContext) like others
        connection.queries_log.append(
            {"sql": f"{sql} -- {len(rows)} rows", "time": f"{time.monotonic() - started:.3f}"}
        )
    return len(rows)


def _values(columns, objs: list):
    """The rows of `objs` as PostgreSQL receives them, one tuple per object."""
    plain = [field.get_internal_type() in PLAIN_FIELDS for field in columns]
    if all(plain):
        getter = operator.attrgetter(*(field.attname for field in columns))
        return [getter(obj) for obj in objs] if len(columns) > 1 else [(getter(o),) for o in objs]
    return [
        tuple(
            getattr(obj, field.attname)
            if is_plain
            else field.get_db_prep_save(getattr(obj, field.attname), connection)
            for field, is_plain in zip(columns, plain, strict=True)
        )
        for obj in objs
    ]


# Fields whose Python value psycopg sends as it is (get_db_prep_save returns it unchanged on
# PostgreSQL): skipping the call per value is most of the time of a large insert.
PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _column(field, objs: list) -> list:
    """One column of `objs` as PostgreSQL receives it."""
    attname = field.attname
    if field.get_internal_type() in PLAIN_FIELDS:
        return [getattr(obj, attname) for obj in objs]
    return [field.get_db_prep_save(getattr(obj, attname), connection) for obj in objs]


def _arrays(columns) -> str:
    """`%s::type[]` per column: one typed array parameter each, for UNNEST."""
    return ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)


def _execute_batches(sql: str, columns: list, objs: list, size: int, *, returned=None) -> None:
    """Run `sql` once per `size` objects with one array parameter per column (`_column`);
    `returned(batch, rows)` gets what each statement returned (`RETURNING`)."""
    with connection.cursor() as cursor:
        for batch in _batches(objs, size):
            cursor.execute(sql, [_column(field, batch) for field in columns])
            if returned is not None:
                returned(batch, cursor.fetchall())


def _batches(objs: list, size: int):
    for start in range(0, len(objs), size):
        yield objs[start : start + size]
