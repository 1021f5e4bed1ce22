"""The few reads that every signed-in page makes, written in SQL.

A signed-in page reads the person's memberships, the organisations' tree and whether they
must use two-factor (a case role, an authenticator) before its view does anything. Built
through the ORM, each of these small queries cost ten to seventy times as much to build as
to run. Here the text of each is made once per process from the models' own table and
column names (quoted by the database's rules) and run with its parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

# The text of each query by (database vendor, name): the names come from the models, which do
# not change while the process runs.
_TEXTS: dict[tuple[str, str], str] = {}

Build = Callable[[Callable[[str], str]], str]


def rows(name: str, build: Build, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of the query ``name``, its text made once by ``build(quote)``: ``quote`` is
    the database's quoting of a table or column name."""
    key = (connection.vendor, name)
    sql = _TEXTS.get(key)
    if sql is None:
        sql = _TEXTS[key] = build(connection.ops.quote_name)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def column(model: Any, field: str) -> str:
    """The column of ``model``'s field ``field`` (``pk`` for the primary key)."""
    meta = model._meta
    return str(meta.pk.column if field == "pk" else meta.get_field(field).column)


def table(model: Any) -> str:
    return str(model._meta.db_table)
