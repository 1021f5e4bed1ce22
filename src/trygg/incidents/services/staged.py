"""The writing step of the report import on PostgreSQL, set-based: the checked rows go
into a temporary table with one ``COPY``, and from there into the reports and the
lägesbild's counts with a handful of statements. Part of :mod:`trygg.incidents.services`
(``_reports_write`` calls :func:`write` on PostgreSQL; SQLite keeps the chunked path).

Why (a million new rows, the server's CPU per statement, docs/benchmarks.md): written
chunk by chunk, the lookups of the extern_ids already there (one per chunk of 5 000) took
28 s and grew with the table, and the lägesbild's cells, written each time 200 000 were
held, were written again at every later write, whose days were all counted already and
so recounted from the reports. Here the extern_ids are found with one join and each cell
is counted once, by the database, from the temporary table. What remains is the reports'
own insert (their indexes) and, at the commit, the foreign-key checks of every new row
(one lookup per key per row, in PostgreSQL's triggers): about 60 % of the server's time.

Nothing changes for the other kommuner: the temporary table is this connection's own, the
reports are added with a plain ``INSERT`` (row locks only, no lock on the table beyond
the one any insert takes), and everything happens in the caller's one transaction, so a
failure leaves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction

STAGE = "pg_temp.trygg_import_rows"  # pg_temp: never a table of the schema

# The temporary table: the row number and extern_id (to find rows already there or
# repeated in the file), the local day and hour (the lägesbild's count cell) and the
# report's own columns from category_id to description (services.IMPORT_COLUMNS).
_STAGE_COLUMNS = (
    "number integer NOT NULL, "
    "external_ref varchar(100) NOT NULL, "
    "day date NOT NULL, "
    "hour smallint NOT NULL, "
    "category_id bigint NOT NULL, "
    "occurred_at timestamptz NOT NULL, "
    "occurred_until timestamptz, "
    "area_id bigint, "
    "place_id bigint, "
    "address varchar(300) NOT NULL, "
    "assessment smallint NOT NULL, "
    "description text NOT NULL"
)
_COPIED = (
    "number, external_ref, day, hour, category_id, occurred_at, occurred_until, area_id, "
    "place_id, address, assessment, description"
)


def write(
    *,
    organisation_id: int,
    batch_id: int,
    chunks: Iterable[list[Any]],
    status: str,
    created_at: Any,
) -> tuple[int, int, dict[str, list[int]]]:
    """Write the spooled chunks (see services._spool) as new reports of the organisation,
    with their counts. Returns (created, unchanged, repeated): rows whose extern_id the
    organisation already had are left out (unchanged); ``repeated`` maps an extern_id met
    again in the file to the numbers of its later rows (then nothing is written and the
    caller refuses the file)."""
    from trygg.incidents.models import IncidentReport
    from trygg.situation import rollup

    report = connection.ops.quote_name(IncidentReport._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({_STAGE_COLUMNS}) ON COMMIT DROP")
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {STAGE} ({_COPIED}) FROM STDIN") as copy:
            for chunk in chunks:
                for number, ref, cell, columns in chunk:
                    copy.write_row((number, ref, cell[0], cell[1], *columns))
        cursor.execute(f"ANALYZE {STAGE}")
        # The rows the organisation already has (from another import): left as they are.
        # The condition NOT (external_ref = '') is the unique index's own (see _refs_there).
        cursor.execute(
            f"DELETE FROM {STAGE} s USING {report} r "  # noqa: S608 - our own names
            "WHERE r.organisation_id = %s AND NOT (r.external_ref = '') "
            "AND r.external_ref = s.external_ref "
            "AND r.import_batch_id IS DISTINCT FROM %s",
            [organisation_id, batch_id],
        )
        unchanged = cursor.rowcount
        columns = (
            "organisation_id, category_id, occurred_at, occurred_until, area_id, place_id, "
            "address, assessment, description, status, review_note, is_generated, "
            "external_ref, import_batch_id, created_at, client_key"
        )
        try:
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO {report} ({columns}) "  # noqa: S608 - our own names
                    "SELECT %s, category_id, occurred_at, occurred_until, area_id, place_id, "
                    "address, assessment, description, %s, '', false, external_ref, %s, %s, '' "
                    f"FROM {STAGE} ORDER BY number",
                    [organisation_id, status, batch_id, created_at],
                )
                created = cursor.rowcount
        except IntegrityError:
            # The unique index on (organisation, extern_id): an extern_id twice in the file.
            repeated = _repeated(cursor, report, organisation_id)
            if not repeated:
                raise  # another import wrote the same extern_ids meanwhile
            cursor.execute(f"DROP TABLE {STAGE}")
            return 0, unchanged, repeated
        if created:
            rollup.add_counted_rows(
                organisation_id, STAGE, last_id=rollup.latest_report_id(organisation_id)
            )
        cursor.execute(f"DROP TABLE {STAGE}")
    return created, unchanged, {}


def _repeated(cursor: Any, report: str, organisation_id: int) -> dict[str, list[int]]:
    """The extern_ids met again in the file, each with the numbers of its later rows (or
    of every row, for an extern_id that this very batch already wrote)."""
    cursor.execute(
        "SELECT external_ref, number FROM ("  # noqa: S608 - our own names
        "SELECT number, external_ref, "
        "row_number() OVER (PARTITION BY external_ref ORDER BY number) AS nth "
        f"FROM {STAGE}) d "
        "WHERE nth > 1 OR EXISTS ("
        f"SELECT 1 FROM {report} r WHERE r.organisation_id = %s "
        "AND NOT (r.external_ref = '') AND r.external_ref = d.external_ref) "
        "ORDER BY number",
        [organisation_id],
    )
    repeated: dict[str, list[int]] = {}
    for ref, number in cursor.fetchall():
        repeated.setdefault(ref, []).append(number)
    return repeated
