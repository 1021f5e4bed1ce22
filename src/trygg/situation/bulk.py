"""Fast inserts of many rows, for generated reports, pre-computed counts and imported
statistics values only.

Django's ``bulk_create`` builds every value through the field machinery, about 25 µs per
row of an incident report; a million generated reports would take minutes. These rows are
produced by our own code with values already checked (see services.generated_reports_create
and rollup; stats.services.observations_import checks its values with the model's fields
first), so they are inserted as plain tuples:

- PostgreSQL: ``COPY … FROM STDIN`` (psycopg 3), the fastest way in;
- SQLite (and anything else): ``executemany`` of one parameterised INSERT, with dates and
  times adapted by the backend's own ``adapt_*`` functions, as Django would store them.

Both paths are exercised by the test suite, which runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

BATCH = 10_000


def _sqlite_datetime(value: dt.datetime | str) -> str:
    """What Django's SQLite backend stores for an aware time: naive UTC as text (a text
    is taken to be that already, see :func:`stored_datetime`)."""
    if isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def datetime_storer() -> Callable[[Any], Any]:
    """A function giving the value :func:`insert` writes for an aware time, worked out
    ahead by a caller that meets many times (it is what the backend would do anyway)."""
    if connection.vendor == "postgresql":
        return lambda value: value
    return _sqlite_datetime


def date_storer() -> Callable[[Any], Any]:
    """A function giving the value :func:`insert` writes for a date (see datetime_storer)."""
    if connection.vendor == "postgresql":
        return lambda value: value
    return dt.date.isoformat


def _adapter(field: models.Field):
    """The conversion a value needs for the SQLite path (None: none)."""
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(field, models.DateField):
        return dt.date.isoformat
    if isinstance(field, models.BooleanField):
        return int
    return None


def insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence],
    *,
    stored: bool = False,
) -> int:
    """Insert ``rows`` (tuples in the order of ``names``, field attnames) into ``model``'s
    table in the current transaction. Returns the number of rows.

    ``stored``: the rows' dates and times are already in the form the database stores
    (made with :func:`datetime_storer` and :func:`date_storer`), so they are passed on as
    they are instead of being converted value by value."""
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        adapters = [] if stored else [(i, a) for i, f in enumerate(fields) if (a := _adapter(f))]

        def adapted(row):
            values = list(row)
            for i, adapt in adapters:
                if values[i] is not None:
                    values[i] = adapt(values[i])
            return values

        if adapters:
            rows = map(adapted, rows)
        if connection.vendor == "sqlite":
            # A load of a million rows updates a dozen indexes per row; with SQLite's default
            # 2 MB page cache those pages go back and forth to disk. 256 MB for this insert.
            cursor.execute("PRAGMA cache_size")
            previous_cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
        placeholders = ", ".join(["%s"] * len(fields))
        # Table and column names come from the model's own meta, quoted; values are bound.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        iterator = iter(rows)
        while True:
            chunk = list(islice(iterator, BATCH))
            if not chunk:
                break
            cursor.executemany(sql, chunk)
            written += len(chunk)
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = {int(previous_cache)}")
    return written
