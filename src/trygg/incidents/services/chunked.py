"""The incident-report import's writing step on SQLite (services.reports_import): the checked
rows chunk by chunk, each chunk's extern_ids already there looked up by the unique index, the
lägesbild's cells counted in Python. PostgreSQL writes set-based instead (services.staged)."""

from __future__ import annotations

from collections import Counter
from typing import IO, Any

from trygg.incidents.models import IncidentReport
from trygg.incidents.services import IMPORT_COLUMNS, IMPORT_COUNT_CELLS, _refs_there, _unspool


def write(
    organisation_id: int,
    batch_id: int,
    spool: IO[bytes],
    counts: dict[str, int],
    status: str,
    created_at: Any,
) -> dict[str, list[int]]:
    """:func:`_reports_write` chunk by chunk (SQLite), the cells counted in Python and
    written each time IMPORT_COUNT_CELLS are held. Returns the extern_ids met again in a
    later chunk (then nothing more is written)."""
    from trygg.situation import bulk, rollup

    repeated: dict[str, list[int]] = {}  # extern_ids met again in a later chunk
    counted: Counter[tuple[Any, ...]] = Counter()
    generated: Counter[tuple[Any, ...]] = Counter()

    def flush_counts() -> None:
        # Memory stays flat: the cells go to the count tables, which are summed when
        # read, so a cell written twice (in two flushes) adds up the same.
        rollup.add_counts(
            organisation_id,
            counted,
            generated,
            last_id=rollup.latest_report_id(organisation_id),
        )
        counted.clear()

    for chunk in _unspool(spool):
        there = _refs_there(organisation_id, [ref for _number, ref, _cell, _columns in chunk])
        fresh = []
        for number, ref, cell, columns in chunk:
            if ref in there:
                if there[ref] == batch_id:  # earlier in this very file
                    repeated.setdefault(ref, []).append(number)
                else:
                    counts["unchanged"] += 1
                continue
            fresh.append(
                (organisation_id, *columns, status, "", False, ref, batch_id, created_at, "")
            )
            counted[cell] += 1
        if repeated:  # refused anyway: look for more, write nothing more
            continue
        counts["created"] += bulk.insert(IncidentReport, IMPORT_COLUMNS, fresh, stored=True)
        if len(counted) >= IMPORT_COUNT_CELLS:
            flush_counts()
    if counted and not repeated:
        flush_counts()
    return repeated
