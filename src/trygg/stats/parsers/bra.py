"""Brå's exports of reported crime: the monthly file per kommun and yearly counts per area."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from trygg.stats.parsers.common import (
    Problem,
    Source,
    StatsFileError,
    _CsvRows,
    _read_text,
    _RowChecker,
)

# ---------------------------------------------------------------------------
# Brå monthly file
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BraMonthlyRow:
    """One row of the Brå monthly file: anmälda brott for a kommun, crime and period.

    * ``period_type``: Periodtyp ("Månad", "Kvartal", "År" …); ``month`` is
      ``None`` when the period is not a month.
    * ``preliminary``: Preliminär: the figures may still change.
    * ``region_id``: Brå's Region_ID, not the kommunkod.
    * ``crime_id``, ``crime_name``, ``level``, ``parent_id``: the crime
      category (Brott_ID, Brott, Brottsnivå, Förälder_ID).
    * ``level_names``: Nivå1..Nivå5, the names along the hierarchy.
    * ``count``: Antal, ``None`` when missing (0 is a real zero).
    * ``per_100k``: Per100000, anmälda brott per 100 000 invånare.
    * ``count_status``/``per_100k_status``: Status_Antal/Status_Per100000,
      Brå's marker for a suppressed or uncertain value.
    """

    line: int
    year: int
    month: int | None
    quarter: int | None
    period_type: str
    period_label: str | None
    period_key: str | None
    period_start: date | None
    period_end: date | None
    preliminary: bool
    kommun: str
    region_id: int
    crime_name: str
    crime_id: int
    level: int
    parent_id: int | None
    parent_name: str | None
    level_names: tuple[str, ...]
    count: int | None
    per_100k: Decimal | None
    count_status: str | None
    per_100k_status: str | None


_MONTHLY_REQUIRED: dict[str, Sequence[str]] = {
    "year": ("År",),
    "month": ("Månad",),
    "period_type": ("Periodtyp",),
    "preliminary": ("Preliminär",),
    "kommun": ("Kommun",),
    "region_id": ("Region_ID",),
    "crime_name": ("Brott",),
    "crime_id": ("Brott_ID",),
    "level": ("Brottsnivå",),
    "parent_id": ("Förälder_ID",),
    "count": ("Antal",),
    "per_100k": ("Per100000", "Per 100000", "Per_100000"),
}
_MONTHLY_OPTIONAL: dict[str, Sequence[str]] = {
    "quarter": ("Kvartal",),
    "period_label": ("Periodetikett",),
    "period_key": ("Periodnyckel",),
    "period_start": ("Period_start",),
    "period_end": ("Period_slut",),
    "parent_name": ("Förälder",),
    "count_status": ("Status_Antal",),
    "per_100k_status": ("Status_Per100000",),
}


def parse_bra_monthly_csv(source: Source) -> list[BraMonthlyRow]:
    """Parse the Brå monthly file (shape of ``lulea_boden_monthly_2026-08_excerpt.csv``).

    ``source``: a path, raw bytes, or the text itself (a ``str`` with a line
    break). UTF-8 (with or without BOM), falling back to Windows-1252. The
    delimiter (",", ";" or tab) is taken from the header; numbers may use a
    decimal point or comma and carry a zero fraction ("225.0").

    Raises :class:`StatsFileError` with every bad row: wrong column count,
    unknown year, non-numeric count, duplicate rows, missing columns.
    """
    problems: list[Problem] = []
    text = _read_text(source)
    reader = _CsvRows(text, problems)
    columns = reader.require(_MONTHLY_REQUIRED) if reader.header else None
    if columns is None:
        raise StatsFileError(problems)
    optional = {name: reader.find(*aliases) for name, aliases in _MONTHLY_OPTIONAL.items()}
    level_columns = [c for n in range(1, 6) if (c := reader.find(f"Nivå{n}")) is not None]

    rows: list[BraMonthlyRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in reader.rows():
        check = _RowChecker(line, row, problems)
        year = check.year(columns["year"])
        period_type = check.text(columns["period_type"], "Periodtyp")
        is_month = (period_type or "").casefold() == "månad"
        month = check.integer(columns["month"], "Månad", required=is_month, minimum=1, maximum=12)
        quarter = check.integer(optional["quarter"], "Kvartal", minimum=1, maximum=4)
        preliminary = check.boolean(columns["preliminary"], "Preliminär")
        kommun = check.text(columns["kommun"], "Kommun")
        region_id = check.integer(columns["region_id"], "Region_ID", required=True)
        crime_name = check.text(columns["crime_name"], "Brott")
        crime_id = check.integer(columns["crime_id"], "Brott_ID", required=True)
        level = check.integer(columns["level"], "Brottsnivå", required=True, minimum=1)
        parent_id = check.integer(columns["parent_id"], "Förälder_ID")
        count = check.count(columns["count"])
        per_100k = check.decimal(columns["per_100k"], "Per100000")
        period_start = check.iso_date(optional["period_start"], "Period_start")
        period_end = check.iso_date(optional["period_end"], "Period_slut")
        if not check.ok:
            continue
        assert year is not None and period_type and preliminary is not None and kommun
        assert region_id is not None and crime_name and crime_id is not None and level is not None
        key = (region_id, crime_id, year, period_type.casefold(), month, quarter)
        if key in seen:
            check.fail(f"Dubblett: samma kommun, brott och period som rad {seen[key]}.")
            continue
        seen[key] = line
        rows.append(
            BraMonthlyRow(
                line=line,
                year=year,
                month=month,
                quarter=quarter,
                period_type=period_type,
                period_label=check.text(optional["period_label"], "", required=False),
                period_key=check.text(optional["period_key"], "", required=False),
                period_start=period_start,
                period_end=period_end,
                preliminary=preliminary,
                kommun=kommun,
                region_id=region_id,
                crime_name=crime_name,
                crime_id=crime_id,
                level=level,
                parent_id=parent_id,
                parent_name=check.text(optional["parent_name"], "", required=False),
                level_names=tuple(row[c] for c in level_columns if row[c]),
                count=count,
                per_100k=per_100k,
                count_status=check.text(optional["count_status"], "", required=False),
                per_100k_status=check.text(optional["per_100k_status"], "", required=False),
            )
        )
    if problems:
        raise StatsFileError(problems)
    return rows


@dataclass(frozen=True, slots=True)
class CrimeCategory:
    """A crime category ("brottskategori") in Brå's hierarchy.

    ``parent_id`` is ``None`` for a top-level category. ``inferred`` is true
    for a category that has no row of its own and is known only as another
    row's Förälder; its name comes from that column and its parent from the
    Nivå columns when that parent has a row (otherwise ``None``).
    Sub-categories named "därav …" are subsets: children do not always sum
    to their parent.
    """

    id: int
    name: str
    parent_id: int | None
    level: int
    inferred: bool = False


def crime_hierarchy(rows: Iterable[BraMonthlyRow]) -> dict[int, CrimeCategory]:
    """The crime-category hierarchy (Brott_ID → name, Förälder_ID, Brottsnivå).

    Raises :class:`StatsFileError` if one Brott_ID is given different names,
    parents or levels on different rows.
    """
    problems: list[Problem] = []
    categories: dict[int, CrimeCategory] = {}
    first_line: dict[int, int] = {}
    paths: dict[int, tuple[str, ...]] = {}
    parents: dict[int, tuple[str | None, int, tuple[str, ...]]] = {}
    for row in rows:
        category = CrimeCategory(row.crime_id, row.crime_name, row.parent_id, row.level)
        known = categories.get(row.crime_id)
        if known is None:
            categories[row.crime_id] = category
            first_line[row.crime_id] = row.line
            paths[row.crime_id] = row.level_names
        elif known != category:
            problems.append(
                (
                    row.line,
                    f"Brott_ID {row.crime_id} har andra uppgifter (namn, förälder eller nivå) "
                    f"än på rad {first_line[row.crime_id]}.",
                )
            )
        if row.parent_id is not None:
            parents.setdefault(
                row.parent_id, (row.parent_name, row.level - 1, row.level_names[:-1])
            )
    if problems:
        raise StatsFileError(problems)
    by_name = {c.name: c.id for c in categories.values()}
    for parent_id, (name, level, path) in parents.items():
        if parent_id in categories:
            continue
        grandparent = by_name.get(path[-2]) if len(path) >= 2 else None
        categories[parent_id] = CrimeCategory(
            parent_id,
            name or (path[-1] if path else f"Brott {parent_id}"),
            grandparent,
            max(level, 1),
            inferred=True,
        )
    return categories


# ---------------------------------------------------------------------------
# Brå yearly counts per area (stadsområde)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BraAreaYearRow:
    """Yearly anmälda brott for one area: a stadsområde or a whole kommun.

    * ``area_name``: as in the file ("Nordost", "Göteborg kommun").
    * ``kommun``: the kommun the area belongs to ("Göteborg").
    * ``is_kommun_total``: the row is for the whole kommun.
    * ``count``: ``None`` when Brå suppressed the value or lacks it; 0 is a
      real zero.
    * ``population``/``per_100k``: only when the file has such columns.
    """

    line: int
    area_name: str
    kommun: str | None
    is_kommun_total: bool
    crime_type: str
    year: int
    count: int | None
    population: int | None = None
    per_100k: Decimal | None = None
    source_url: str | None = None
    exported_at: date | None = None


_AREA_REQUIRED: dict[str, Sequence[str]] = {
    "year": ("year", "år"),
    "area": ("area", "område", "omrade", "stadsområde"),
    "crime_type": ("crime_type", "brottstyp", "brott"),
    "count": ("count", "antal"),
}
_AREA_OPTIONAL: dict[str, Sequence[str]] = {
    "kommun": ("kommun", "municipality"),
    "population": ("population", "befolkning", "folkmängd", "invånare"),
    "per_100k": ("per_100k", "per100000", "per_100000", "antal_per_100000", "rate"),
    "source_url": ("source_url", "källa", "kalla", "source"),
    "exported_at": ("exported_at", "exporterad", "uttagsdatum"),
}
_KOMMUN_AREA_RE = re.compile(r"^(?P<name>.+?)\s+(?:kommun|stad)$", re.IGNORECASE)


def parse_bra_yearly_area_csv(source: Source, kommun: str | None = None) -> list[BraAreaYearRow]:
    """Parse yearly counts per area (shape of ``bra_goteborg_stadsomraden_2023_2025.csv``).

    Columns ``year, area, crime_type, count`` (Swedish names år, område,
    brottstyp, antal also accepted), optionally ``kommun``, ``population``,
    ``per_100k``, ``source_url``, ``exported_at``.

    An area named "<namn> kommun" (or "<namn> stad") is the kommun total. The
    kommun of the other areas comes from a ``kommun`` column, else from the
    ``kommun`` argument, else from the file's single kommun-total area.

    Raises :class:`StatsFileError` with every bad row (wrong column count,
    unknown year, non-numeric or negative count, duplicates) or the missing
    required columns.
    """
    problems: list[Problem] = []
    text = _read_text(source)
    reader = _CsvRows(text, problems)
    columns = reader.require(_AREA_REQUIRED) if reader.header else None
    if columns is None:
        raise StatsFileError(problems)
    optional = {name: reader.find(*aliases) for name, aliases in _AREA_OPTIONAL.items()}

    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for line, row in reader.rows():
        check = _RowChecker(line, row, problems)
        year = check.year(columns["year"], "year")
        area = check.text(columns["area"], "Område (area)")
        crime_type = check.text(columns["crime_type"], "Brottstyp (crime_type)")
        count = check.count(columns["count"], "Antal (count)")
        population = check.integer(optional["population"], "Befolkning", minimum=0)
        per_100k = check.decimal(optional["per_100k"], "Antal per 100 000")
        exported_at = check.iso_date(optional["exported_at"], "Exportdatum")
        if not check.ok:
            continue
        assert year is not None and area and crime_type
        key = (area.casefold(), crime_type.casefold(), year)
        if key in seen:
            check.fail(f"Dubblett: samma område, brottstyp och år som rad {seen[key]}.")
            continue
        seen[key] = line
        total = _KOMMUN_AREA_RE.match(area)
        parsed.append(
            {
                "line": line,
                "area_name": area,
                "kommun": check.text(optional["kommun"], "", required=False),
                "total_of": total.group("name") if total else None,
                "crime_type": crime_type,
                "year": year,
                "count": count,
                "population": population,
                "per_100k": per_100k,
                "source_url": check.text(optional["source_url"], "", required=False),
                "exported_at": exported_at,
            }
        )
    if problems:
        raise StatsFileError(problems)

    totals = {p["total_of"] for p in parsed if p["total_of"]}
    default_kommun = kommun or (next(iter(totals)) if len(totals) == 1 else None)
    rows: list[BraAreaYearRow] = []
    for p in parsed:
        total_of = p.pop("total_of")
        p["is_kommun_total"] = total_of is not None
        p["kommun"] = p["kommun"] or total_of or default_kommun
        rows.append(BraAreaYearRow(**p))
    return rows
