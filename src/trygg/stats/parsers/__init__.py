"""Parse statistics files: PC-Axis tables and Brå exports of reported crime.

One module per format: :mod:`.px`, :mod:`.bra`; what they share is in :mod:`.common`.

Pure Python: no Django, no database. The importers call these functions and
store the result.

* :func:`parse_px`: PC-Axis ("PX-fil"), the format of SCB and PX-Web.
* :func:`parse_bra_monthly_csv`: Brå-derived monthly file per kommun
  ("anmälda brott per månad"), with the crime-category hierarchy
  (Brott_ID / Förälder_ID); see :func:`crime_hierarchy`.
* :func:`parse_bra_yearly_area_csv`: yearly counts per stadsområde and
  kommun.

Every parser reads the whole file, collects each problem as (rad, meddelande)
and raises a single :class:`StatsFileError` if there was any, so that a user
can fix all rows at once. Messages are in Swedish.

Missing values are never turned into 0: an empty count, or a PX symbol such
as "..", gives ``None`` (with the symbol kept); 0 is a real zero.
"""

from __future__ import annotations

from trygg.stats.parsers.bra import (
    BraAreaYearRow,
    BraMonthlyRow,
    CrimeCategory,
    crime_hierarchy,
    parse_bra_monthly_csv,
    parse_bra_yearly_area_csv,
)
from trygg.stats.parsers.common import (
    MAX_YEAR,
    MIN_YEAR,
    Problem,
    Source,
    StatsFileError,
    _CsvRows,
    _read_text,
    _RowChecker,
)
from trygg.stats.parsers.px import PX_MISSING_SYMBOLS, PxKeyword, PxRecord, PxTable, parse_px

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "PX_MISSING_SYMBOLS",
    "BraAreaYearRow",
    "BraMonthlyRow",
    "CrimeCategory",
    "Problem",
    "PxKeyword",
    "PxRecord",
    "PxTable",
    "Source",
    "StatsFileError",
    "_CsvRows",
    "_RowChecker",
    "_read_text",
    "crime_hierarchy",
    "parse_bra_monthly_csv",
    "parse_bra_yearly_area_csv",
    "parse_px",
]
