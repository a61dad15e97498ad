"""Names for hand-written SQL, read from the models' `_meta`.

A statement written by hand (where the ORM's query building costs more than the query, or
cannot say it: an upsert, `ON CONFLICT ... RETURNING`) lives in a manager or QuerySet method
of its model and takes every table and column name from `names()`, so a renamed field or
table changes the statement with it.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import connection


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
    with connection.cursor() as cursor:
        for batch in _batches(objs, batch_size):
            cursor.execute(sql, [_column(field, batch) for field in columns])
    return len(objs)


def insert_rows(model, objs: list, *, batch_size: int = 20000) -> list:
    """Insert `objs` (unsaved instances of `model`, every field set: no `auto_now_add`, no
    signals) and set their ids: `bulk_create` without its per-value Python, for many thousand
    rows. On PostgreSQL one `INSERT ... SELECT FROM UNNEST(array, ...) RETURNING id` per
    `batch_size`; elsewhere `bulk_create`. Related objects given as instances must be saved."""
    if not objs or connection.vendor != "postgresql":
        return model._base_manager.bulk_create(objs)
    meta = model._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    arrays = _arrays(columns)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
        f"SELECT * FROM UNNEST({arrays}) RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        for batch in _batches(objs, batch_size):
            for obj in batch:
                for field in columns:
                    if field.is_relation and getattr(obj, field.attname) is None:
                        related = field.get_cached_value(obj, None)
                        if related is not None:  # saved since: its id, keeping the instance
                            setattr(obj, field.name, related)
            cursor.execute(sql, [_column(field, batch) for field in columns])
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs


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


def _batches(objs: list, size: int):
    for start in range(0, len(objs), size):
        yield objs[start : start + size]
