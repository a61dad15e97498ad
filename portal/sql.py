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
