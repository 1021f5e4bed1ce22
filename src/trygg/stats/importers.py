"""Importers for statistics files: from a parsed file to rows ready for the database.

Each format has a ``prepare_<format>(content, *, organisation, options, progress)`` that
reads the file with :mod:`trygg.stats.parsers` (or a small reader here), matches areas and
periods, and returns a :class:`Prepared` import: the series and the observation rows. It
writes nothing. Every problem is collected with its row number and a Swedish reason, and
:class:`ImportRejected` is raised with all of them at once.

:func:`run` then hands a prepared import to
:func:`trygg.stats.services.observations_import`, which writes everything in one
transaction or nothing. The same :func:`run` serves a small file imported during the
request and a large one imported by the background task (:mod:`trygg.stats.tasks`).

Options are plain JSON (they travel through the task queue):

* all formats: ``series_name``, ``is_public``
* ``bra_yearly``: ``kommun`` (name, when the file has no kommun-total row)
* ``px``: ``area_variable``, ``period_variable``, ``category_variables`` (list),
  ``area_id`` (the area of a table without a region variable; riket when it is missing),
  ``unit``, ``measure_type`` (read from UNITS/CONTENTS when missing), ``kind``
* ``survey``, ``population``: ``source``
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from trygg.core.choices import AreaKind
from trygg.core.imports import ImportRejected
from trygg.core.models import Area, ImportBatch, Organisation
from trygg.stats import parsers
from trygg.stats.choices import ImportKind, MeasureType, SeriesKind, Unit
from trygg.stats.models import IndicatorSeries

logger = logging.getLogger(__name__)

Problem = tuple[int | None, str]
Progress = Callable[[int], None]

NATIONAL_CODE = "00"
NATIONAL_NAME = "Riket"
NATIONAL_ALIASES = {"riket", "hela riket", "sverige", "sweden", "riksgenomsnitt", "hela landet"}

# Brå's short crime-type keys in the yearly per-area export, with their Swedish names.
BRA_CRIME_TYPES = {
    "alla_brott": "Samtliga anmälda brott",
    "misshandel": "Misshandel",
    "bilstold": "Bilstöld",
    "bostadsinbrott_villa": "Bostadsinbrott i villa",
    "bostadsinbrott_lagenhet": "Bostadsinbrott i lägenhet",
    "stold_ur_fordon": "Stöld ur fordon",
    "skadegorelse": "Skadegörelse",
    "bedragerier": "Bedrägerier",
}
BRA_ALL_CRIMES = "alla_brott"


def default_series_name(kind: str) -> str:
    return {
        ImportKind.BRA_MONTHLY: _("Reported crime per month (Brå)"),
        ImportKind.BRA_YEARLY: _("Reported crime per area and year (Brå)"),
        ImportKind.PX: _("PX table"),
        ImportKind.POPULATION: "Folkmängd",
    }.get(kind, _("Statistics"))


@dataclass(frozen=True)
class SeriesSpec:
    """The series an import writes to: found by name in the organisation, else created."""

    name: str
    kind: str
    unit: str
    source: str = ""
    description: str = ""
    is_public: bool = False
    measure_type: str = ""  # empty: what the unit implies (choices.measure_type_for_unit)


@dataclass(frozen=True)
class NewArea:
    """An area that does not exist yet and is created when the import is written."""

    name: str
    kind: str
    parent: Area | None
    code: str = ""
    reference: bool = False  # national reference area (no owner), e.g. Riket

    @property
    def key(self) -> tuple:
        return (self.parent.pk if self.parent else None, self.name.casefold())


AreaTarget = Area | NewArea


@dataclass
class Row:
    """One observation to store, with the file row it came from."""

    line: int | None
    series: str
    area: AreaTarget
    period_start: dt.date
    period_end: dt.date
    period_label: str
    category: str = ""
    category_code: str = ""
    category_parent_code: str = ""
    category_level: int | None = None
    value: Decimal | None = None
    symbol: str = ""
    preliminary: bool = False
    per_100k: Decimal | None = None
    sample_size: int | None = None
    comparison_value: Decimal | None = None
    source: str = ""

    def key(self) -> tuple:
        area = self.area.key if isinstance(self.area, NewArea) else self.area.pk
        return (self.series, area, self.category, self.period_start, self.period_end)


@dataclass
class Prepared:
    series: dict[str, SeriesSpec] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _no_progress(_percent: int) -> None:
    return None


# ---------------------------------------------------------------------------
# Periods and areas
# ---------------------------------------------------------------------------


def year_period(year: int) -> tuple[dt.date, dt.date, str]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)


def month_period(year: int, month: int) -> tuple[dt.date, dt.date, str]:
    start = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1), f"{year}-{month:02d}"


def quarter_period(year: int, quarter: int) -> tuple[dt.date, dt.date, str]:
    start, _end, _label = month_period(year, 3 * quarter - 2)
    _start, end, _label = month_period(year, 3 * quarter)
    return start, end, f"{year}K{quarter}"


_PERIOD_PATTERNS = [
    (re.compile(r"^(\d{4})$"), lambda m: year_period(int(m[1]))),
    (re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$"), None),
    (
        re.compile(r"^(\d{4})[M-](\d{1,2})$", re.IGNORECASE),
        lambda m: month_period(int(m[1]), int(m[2])),
    ),
    (re.compile(r"^(\d{4})(\d{2})$"), lambda m: month_period(int(m[1]), int(m[2]))),
    (
        re.compile(r"^(\d{4})\s*[KQ](\d)$", re.IGNORECASE),
        lambda m: quarter_period(int(m[1]), int(m[2])),
    ),
]


def parse_period(text: str) -> tuple[dt.date, dt.date, str] | None:
    """ "2024" → the year; "2024M03", "2024-03" → a month; "2024K1" → a quarter;
    "2020–2023" → the span of years. None when the text is not a period."""
    value = text.strip()
    for pattern, build in _PERIOD_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        try:
            if build is None:
                first, last = int(match[1]), int(match[2])
                if last < first:
                    return None
                return dt.date(first, 1, 1), dt.date(last, 12, 31), f"{first}–{last}"
            return build(match)
        except ValueError:
            return None
    return None


class AreaMatcher:
    """Finds the areas a file names, by code or by name, as the organisation sees them.

    Order: the organisation's own areas (kommundelar), the kommun and län reference areas
    (by code or name, "Nacka kommun" as well as "Nacka"), and the nation ("Riket").
    """

    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        self.own: dict[str, Area] = {}
        self.kommun_by_name: dict[str, Area] = {}
        self.lan_by_name: dict[str, Area] = {}
        self.by_code: dict[tuple[str, str], Area] = {}
        self.national: Area | None = None
        areas = Area.objects.filter(organisation__isnull=True) | Area.objects.filter(
            organisation=organisation
        )
        for area in areas.only("id", "name", "kind", "code", "organisation_id", "parent_id"):
            name = area.name.casefold()
            if area.organisation_id == organisation.pk:
                self.own.setdefault(name, area)
            elif area.kind == AreaKind.KOMMUN:
                self.kommun_by_name.setdefault(name, area)
            elif area.kind == AreaKind.LAN:
                self.lan_by_name.setdefault(name, area)
            if area.code:
                self.by_code[(area.kind, area.code)] = area
                if area.kind == AreaKind.OMRADE and area.code == NATIONAL_CODE:
                    self.national = area

    def national_area(self) -> AreaTarget:
        if self.national is not None:
            return self.national
        return NewArea(
            name=NATIONAL_NAME,
            kind=AreaKind.OMRADE,
            parent=None,
            code=NATIONAL_CODE,
            reference=True,
        )

    def by_region_code(self, code: str) -> AreaTarget | None:
        """SCB region codes: "00" riket, "01" a län, "0182" a kommun."""
        code = code.strip()
        if code == NATIONAL_CODE:
            return self.national_area()
        if re.fullmatch(r"\d{2}", code):
            return self.by_code.get((AreaKind.LAN, code))
        if re.fullmatch(r"\d{4}", code):
            return self.by_code.get((AreaKind.KOMMUN, code))
        return None

    def kommun(self, name: str) -> Area | None:
        key = name.strip().casefold()
        key = re.sub(r"\s+(kommun|stad)$", "", key)
        return self.kommun_by_name.get(key)

    def find(self, text: str) -> AreaTarget | None:
        value = text.strip()
        key = value.casefold()
        if not key:
            return None
        if key in NATIONAL_ALIASES:
            return self.national_area()
        if key in self.own:
            return self.own[key]
        if re.fullmatch(r"\d{2}|\d{4}", value):
            return self.by_region_code(value)
        match = re.fullmatch(r"(\d{2}|\d{4})\s+(.+)", value)  # "0182 Nacka"
        if match:
            return self.by_region_code(match[1])
        kommun = self.kommun(value)
        if kommun is not None:
            return kommun
        lan = re.sub(r"s?\s+län$", "", key)
        for name, area in self.lan_by_name.items():
            if key == name or lan == re.sub(r"s?\s+län$", "", name):
                return area
        return None


def _check_series(spec: SeriesSpec, organisation: Organisation, problems: list[Problem]) -> None:
    existing = IndicatorSeries.objects.filter(organisation=organisation, name=spec.name).first()
    if existing is not None and existing.unit != spec.unit:
        problems.append(
            (
                None,
                _(
                    'The series "%(name)s" already exists with the unit %(unit)s; this file has %(new)s.'
                )
                % {
                    "name": spec.name,
                    "unit": existing.get_unit_display(),
                    "new": Unit(spec.unit).label,
                },
            )
        )


def _check_duplicates(rows: list[Row], problems: list[Problem]) -> None:
    seen: dict[tuple, int | None] = {}
    for row in rows:
        key = row.key()
        if key in seen:
            problems.append(
                (
                    row.line,
                    _("Duplicate: the same area, category and period as row %(line)s.")
                    % {"line": seen[key]},
                )
            )
        else:
            seen[key] = row.line


def _finish(prepared: Prepared, organisation: Organisation, problems: list[Problem]) -> Prepared:
    for spec in prepared.series.values():
        _check_series(spec, organisation, problems)
    _check_duplicates(prepared.rows, problems)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p[0] is not None, p[0] or 0)))
    return prepared


def _report(progress: Progress, done: int, total: int, start: int, end: int) -> None:
    if total and (done % 500 == 0 or done == total):
        progress(start + (end - start) * done // total)


# ---------------------------------------------------------------------------
# Brå monthly export
# ---------------------------------------------------------------------------


def prepare_bra_monthly(
    content: bytes, *, organisation: Organisation, options: dict[str, Any], progress: Progress
) -> Prepared:
    """Brå's monthly file: one row per kommun, crime category and period."""
    rows = parsers.parse_bra_monthly_csv(content)
    progress(30)
    parsers.crime_hierarchy(rows)  # refuses a Brott_ID with two names or parents
    spec = SeriesSpec(
        name=options.get("series_name") or default_series_name(ImportKind.BRA_MONTHLY),
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.COUNT,
        source="Brå, anmälda brott",
        is_public=bool(options.get("is_public")),
    )
    prepared = Prepared(series={spec.name: spec})
    problems: list[Problem] = []
    matcher = AreaMatcher(organisation)
    for done, row in enumerate(rows, 1):
        _report(progress, done, len(rows), 30, 80)
        area = matcher.kommun(row.kommun)
        if area is None:
            problems.append(
                (
                    row.line,
                    _('The municipality "%(name)s" is not among the areas.') % {"name": row.kommun},
                )
            )
            continue
        if row.month is not None:
            start, end, label = month_period(row.year, row.month)
        elif row.quarter is not None:
            start, end, label = quarter_period(row.year, row.quarter)
        else:
            start, end, label = year_period(row.year)
        if row.period_start and row.period_end:
            start, end = row.period_start, row.period_end
        prepared.rows.append(
            Row(
                line=row.line,
                series=spec.name,
                area=area,
                period_start=start,
                period_end=end,
                period_label=label,
                category=row.crime_name,
                category_code=str(row.crime_id),
                category_parent_code=str(row.parent_id) if row.parent_id is not None else "",
                category_level=row.level,
                value=Decimal(row.count) if row.count is not None else None,
                symbol=row.count_status or ("" if row.count is not None else ".."),
                preliminary=row.preliminary,
                per_100k=row.per_100k,
            )
        )
    return _finish(prepared, organisation, problems)


# ---------------------------------------------------------------------------
# Brå yearly counts per area
# ---------------------------------------------------------------------------


def crime_type_name(code: str) -> str:
    return BRA_CRIME_TYPES.get(code, code.replace("_", " ").capitalize())


def prepare_bra_yearly(
    content: bytes, *, organisation: Organisation, options: dict[str, Any], progress: Progress
) -> Prepared:
    """Yearly counts per stadsområde and kommun. A stadsområde that does not exist yet is
    created as a stadsdelsområde under its kommun, owned by the importing organisation."""
    rows = parsers.parse_bra_yearly_area_csv(content, kommun=options.get("kommun") or None)
    progress(30)
    spec = SeriesSpec(
        name=options.get("series_name") or default_series_name(ImportKind.BRA_YEARLY),
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.COUNT,
        source="Brå, anmälda brott",
        is_public=bool(options.get("is_public")),
    )
    prepared = Prepared(series={spec.name: spec})
    problems: list[Problem] = []
    matcher = AreaMatcher(organisation)
    new_areas: dict[tuple, NewArea] = {}
    codes = {row.crime_type for row in rows}
    for done, row in enumerate(rows, 1):
        _report(progress, done, len(rows), 30, 80)
        if not row.kommun:
            problems.append((row.line, _("The municipality of the area is not known.")))
            continue
        kommun = matcher.kommun(row.kommun)
        if kommun is None:
            problems.append(
                (
                    row.line,
                    _('The municipality "%(name)s" is not among the areas.') % {"name": row.kommun},
                )
            )
            continue
        area: AreaTarget
        if row.is_kommun_total:
            area = kommun
        else:
            existing = Area.objects.filter(parent=kommun, name__iexact=row.area_name).first()
            if existing is not None:
                area = existing
            else:
                candidate = NewArea(
                    name=row.area_name, kind=AreaKind.STADSDELSOMRADE, parent=kommun
                )
                area = new_areas.setdefault(candidate.key, candidate)
        start, end, label = year_period(row.year)
        parent = (
            BRA_ALL_CRIMES if row.crime_type != BRA_ALL_CRIMES and BRA_ALL_CRIMES in codes else ""
        )
        prepared.rows.append(
            Row(
                line=row.line,
                series=spec.name,
                area=area,
                period_start=start,
                period_end=end,
                period_label=label,
                category=crime_type_name(row.crime_type),
                category_code=row.crime_type,
                category_parent_code=parent,
                category_level=1 if not parent else 2,
                value=Decimal(row.count) if row.count is not None else None,
                symbol="" if row.count is not None else "..",
                per_100k=row.per_100k,
                source=row.source_url or "",
            )
        )
    return _finish(prepared, organisation, problems)


# ---------------------------------------------------------------------------
# PX files
# ---------------------------------------------------------------------------

_AREA_NAMES = (
    "region",
    "kommun",
    "län",
    "lan",
    "område",
    "omrade",
    "area",
    "municipality",
    "county",
)
_PERIOD_NAMES = (
    "år",
    "ar",
    "månad",
    "manad",
    "kvartal",
    "tid",
    "period",
    "year",
    "month",
    "quarter",
    "time",
)


def px_default_mapping(table: parsers.PxTable) -> dict[str, Any]:
    """Which variable is the area, which the period and which the category, by name.

    region/kommun/län → area; år/månad/tid/period (or the TIMEVAL variable) → period; the
    rest → category.
    """
    variables = table.variables
    area = next((v for v in variables if v.casefold() in _AREA_NAMES), None)
    if area is None:
        area = next(
            (v for v in variables if any(n in v.casefold() for n in ("region", "kommun"))), None
        )
    timeval = next(
        (k.subkeys[0] for k in table.keywords if k.keyword == "TIMEVAL" and k.subkeys), None
    )
    period = next((v for v in variables if v != area and v.casefold() in _PERIOD_NAMES), None)
    if period is None and timeval in variables and timeval != area:
        period = timeval
    categories = [v for v in variables if v not in (area, period)]
    return {"area_variable": area, "period_variable": period, "category_variables": categories}


# What UNITS and CONTENTS say a figure is, in Swedish and English PX files. Swedish words
# are matched inside compounds ("Flyttningsöverskott", "Konsumentprisindex"); English ones
# as whole words ("rate" is not in "Inmigrated"). A net figure is recognised by its name
# even when UNITS says "antal"/"number": SCB gives "Flyttningsöverskott" / "Excess of
# migration" the unit of the counts it is made from.
_NET_RE = re.compile(
    r"överskott|netto|\bexcess of\b|\bnet\b|folkökning|befolkningsförändring|befolkningsökning"
    r"|\bpopulation (?:change|increase|growth)\b|\bbalance\b"
)
_INDEX_RE = re.compile(r"index|=\s*100\b")
_SHARE_RE = re.compile(r"procent|\bpercent(?:age)?\b|%|(?<!h)andel|\bshare\b|\bproportion\b")
_RATE_RE = re.compile(
    r"\bper\s*1\s*000\b|\bper\s*10\s*000\b|\bper\s*100\s*000\b|promille|\bper mille\b"
    r"|\bper capita\b|per invånare|\bper inhabitants?\b|\brates?\b|frekvens"
)
_AMOUNT_RE = re.compile(
    r"kronor|\b(?:tkr|mnkr|mdkr|msek|sek|kr|euro|eur|usd|dollars?|amount)\b|belopp"
)
_COUNT_RE = re.compile(r"antal|\b(?:number|count|persons|people|st)\b|personer|individer")


def measure_type_from_text(units: str, contents: str) -> str | None:
    """The measure type that UNITS and CONTENTS (or a content value's name) state, or None.

    UNITS is read first for what only a unit says (index, percent, per 1 000, kronor); then
    the name for a net figure (which keeps the unit of its counts), index, share, rate or
    amount; then a count unit ("antal", "number"). None when neither says anything.
    """
    units, contents = units.casefold(), contents.casefold()
    by_unit = (
        (_INDEX_RE, MeasureType.INDEX),
        (_SHARE_RE, MeasureType.SHARE),
        (_RATE_RE, MeasureType.RATE),
        (_AMOUNT_RE, MeasureType.AMOUNT),
    )
    for pattern, measure_type in by_unit:
        if pattern.search(units):
            return measure_type
    if _NET_RE.search(contents):
        return MeasureType.NET
    for pattern, measure_type in by_unit:
        if pattern.search(contents):
            return measure_type
    if _COUNT_RE.search(units):
        return MeasureType.COUNT
    return None


@dataclass(frozen=True)
class PxMeasureGuess:
    """What a PX table's UNITS/CONTENTS say it measures.

    ``measure_type`` is the series' type; ``by_content`` gives each value of a CONTVARIABLE
    its own type (empty without one). ``mixed`` when those differ: the series then takes
    the first type that is not a count, so that no verdict is given to a net figure.
    ``stated`` is False when nothing in the file said it and count was assumed.
    """

    measure_type: str
    by_content: dict[str, str]
    mixed: bool
    stated: bool


def px_guess_measure_type(table: parsers.PxTable) -> PxMeasureGuess:
    """Read the measure type from UNITS and CONTENTS, per content value when the table has a
    CONTVARIABLE (``UNITS("Excess of migration")="number"`` is a net figure by its name)."""
    units = table.units or ""
    contents = " ".join(filter(None, [table.contents, table.title]))
    main = measure_type_from_text(units, table.contents or "")
    contvariable = table.keyword("CONTVARIABLE")
    by_content: dict[str, str] = {}
    if contvariable is not None and contvariable.text in table.values:
        for value in table.values[contvariable.text]:
            own_units = table.keyword("UNITS", value)
            own_contents = table.keyword("CONTENTS", value)
            found = measure_type_from_text(
                own_units.text if own_units is not None else units,
                " ".join([value, own_contents.text if own_contents is not None else ""]),
            )
            by_content[value] = found or main or MeasureType.COUNT
    if by_content:
        kinds = list(dict.fromkeys(by_content.values()))
        chosen = next((k for k in kinds if k != MeasureType.COUNT), kinds[0])
        return PxMeasureGuess(chosen, by_content, len(kinds) > 1, True)
    if main is None:
        main = measure_type_from_text("", contents)
    return PxMeasureGuess(main or MeasureType.COUNT, {}, False, main is not None)


def px_guess_unit(table: parsers.PxTable, measure_type: str | None = None) -> str:
    units = (table.units or "").casefold()
    measure_type = measure_type or px_guess_measure_type(table).measure_type
    if measure_type == MeasureType.INDEX:
        return Unit.INDEX
    if "procent" in units or "percent" in units or units.strip() == "%":
        return Unit.PERCENT
    if "100 000" in units or "100000" in units:
        return Unit.PER_100K
    if measure_type in (MeasureType.SHARE, MeasureType.RATE, MeasureType.AMOUNT):
        return Unit.OTHER
    if "person" in units or "invånare" in units:
        return Unit.PERSONS
    return Unit.COUNT


def _px_line(table: parsers.PxTable, keyword: str, variable: str) -> int | None:
    entry = table.keyword(keyword, variable)
    return entry.line if entry is not None else None


def prepare_px(
    content: bytes, *, organisation: Organisation, options: dict[str, Any], progress: Progress
) -> Prepared:
    """A PX table as one series. Missing-value symbols ("..") are kept with a NULL value."""
    table = parsers.parse_px(content)
    progress(30)
    mapping = px_default_mapping(table)
    for key in ("area_variable", "period_variable", "category_variables"):
        if key in options:
            mapping[key] = options[key] or ([] if key == "category_variables" else None)
    area_var, period_var = mapping["area_variable"], mapping["period_variable"]
    category_vars = [v for v in mapping["category_variables"] if v not in (area_var, period_var)]
    problems: list[Problem] = []
    variables = table.variables
    for chosen in [area_var, period_var, *category_vars]:
        if chosen and chosen not in variables:
            problems.append((None, _('The table has no variable "%(name)s".') % {"name": chosen}))
    if not period_var:
        problems.append((None, _("Choose the variable that holds the period.")))
    left_over = [v for v in variables if v not in (area_var, period_var, *category_vars)]
    if left_over:
        problems.append(
            (
                None,
                _("Every variable must be the area, the period or a category: %(names)s.")
                % {"names": ", ".join(left_over)},
            )
        )
    matcher = AreaMatcher(organisation)
    fixed_area: AreaTarget | None = None
    if not area_var:
        # A table without a region variable is riket's unless the user chose another area:
        # SCB's tables without one are national figures, not the user's own kommun.
        if options.get("area_id"):
            fixed_area = Area.objects.filter(pk=options["area_id"]).first()
        else:
            fixed_area = matcher.national_area()
        if fixed_area is None:
            problems.append(
                (None, _("The table has no region variable: choose the area it describes."))
            )
    if problems:
        raise ImportRejected(problems)

    areas: dict[str, AreaTarget] = {}
    if area_var:
        for label, code in zip(table.values[area_var], table.codes[area_var], strict=True):
            found = matcher.by_region_code(code) if code else matcher.find(label)
            if found is None and code:
                found = matcher.find(label)
            if found is None:
                problems.append(
                    (
                        _px_line(table, "CODES" if code else "VALUES", area_var),
                        _('The region "%(name)s" (code %(code)s) is not among the areas.')
                        % {"name": label, "code": code or "–"},
                    )
                )
            else:
                areas[label] = found
    periods: dict[str, tuple[dt.date, dt.date, str]] = {}
    for label, code in zip(table.values[period_var], table.codes[period_var], strict=True):
        period = parse_period(label) or (parse_period(code) if code else None)
        if period is None:
            problems.append(
                (
                    _px_line(table, "VALUES", period_var),
                    _('"%(value)s" is not a period (year, month or quarter).') % {"value": label},
                )
            )
        else:
            periods[label] = period
    if problems:
        raise ImportRejected(problems)

    measure_type = options.get("measure_type") or px_guess_measure_type(table).measure_type
    unit = options.get("unit") or px_guess_unit(table, measure_type)
    spec = SeriesSpec(
        name=options.get("series_name")
        or table.title
        or table.matrix
        or default_series_name(ImportKind.PX),
        kind=options.get("kind") or SeriesKind.OTHER,
        unit=unit,
        measure_type=measure_type,
        source=table.source or "",
        description=table.contents or "",
        is_public=bool(options.get("is_public")),
    )
    prepared = Prepared(series={spec.name: spec}, warnings=list(table.warnings))
    total = len(table.records)
    for done, record in enumerate(table.records, 1):
        _report(progress, done, total, 30, 80)
        start, end, label = periods[record.labels[period_var]]
        category = "; ".join(f"{v}: {record.labels[v]}" for v in category_vars)
        code = ".".join(record.codes[v] or record.labels[v] for v in category_vars)
        prepared.rows.append(
            Row(
                line=None,
                series=spec.name,
                area=areas[record.labels[area_var]] if area_var else fixed_area,  # type: ignore[arg-type]
                period_start=start,
                period_end=end,
                period_label=label,
                category=category,
                category_code=code[:40],
                value=record.value,
                symbol=record.symbol or "",
            )
        )
    return _finish(prepared, organisation, problems)


# ---------------------------------------------------------------------------
# Survey indicators and population (simple CSV formats)
# ---------------------------------------------------------------------------

_SURVEY_REQUIRED = {
    "indicator": ("indikator", "indicator", "fråga"),
    "area": ("område", "omrade", "area", "kommun"),
    "year": ("år", "ar", "year"),
    "value": ("värde", "varde", "value", "andel"),
}
_SURVEY_OPTIONAL = {
    "sample": ("urval", "sample", "antal svarande", "n"),
    "national": ("riket", "national", "rikssnitt", "riksgenomsnitt"),
    "source": ("källa", "kalla", "source"),
}


def _read_rows(content: bytes, required, optional, problems):
    text = parsers._read_text(content)
    reader = parsers._CsvRows(text, problems)
    columns = reader.require(required) if reader.header else None
    if columns is None:
        raise ImportRejected(problems)
    extra = {name: reader.find(*aliases) for name, aliases in optional.items()}
    return reader, columns, extra


def _percentage(check: parsers._RowChecker, column: str | None, label: str) -> Decimal | None:
    raw = check.row.get(column, "") if column else ""
    value = check.decimal(column, label)
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        check.fail(
            _("%(label)s %(value)s is not a percentage between 0 and 100.")
            % {"label": label, "value": raw}
        )
        return None
    return value


def prepare_survey(
    content: bytes, *, organisation: Organisation, options: dict[str, Any], progress: Progress
) -> Prepared:
    """indikator;område;år;värde;urval;riket – one series per indicator, values in percent."""
    problems: list[Problem] = []
    reader, columns, extra = _read_rows(content, _SURVEY_REQUIRED, _SURVEY_OPTIONAL, problems)
    matcher = AreaMatcher(organisation)
    prepared = Prepared()
    default_source = options.get("source") or ""
    for line, raw in reader.rows():
        check = parsers._RowChecker(line, raw, problems)
        indicator = check.text(columns["indicator"], _("Indicator"))
        area_text = check.text(columns["area"], _("Area"))
        year = check.year(columns["year"], _("Year"))
        raw_value = raw.get(columns["value"], "")
        value = None
        symbol = ""
        if raw_value in parsers.PX_MISSING_SYMBOLS:
            symbol = raw_value
        elif not raw_value:
            symbol = ".."
        else:
            value = _percentage(check, columns["value"], _("Value"))
        sample = check.integer(extra["sample"], _("Sample size"), minimum=1)
        national = _percentage(check, extra["national"], _("National value"))
        area = None
        if area_text:
            area = matcher.find(area_text)
            if area is None:
                check.fail(_('The area "%(name)s" is not among the areas.') % {"name": area_text})
        if not check.ok:
            continue
        assert indicator and year is not None and area is not None
        source = (raw.get(extra["source"], "") if extra["source"] else "") or default_source
        name = indicator[:200]
        if name not in prepared.series:
            prepared.series[name] = SeriesSpec(
                name=name,
                kind=SeriesKind.SURVEY,
                unit=Unit.PERCENT,
                source=source,
                is_public=bool(options.get("is_public")),
            )
        start, end, label = year_period(year)
        prepared.rows.append(
            Row(
                line=line,
                series=name,
                area=area,
                period_start=start,
                period_end=end,
                period_label=label,
                value=value,
                symbol=symbol,
                sample_size=sample,
                comparison_value=national,
                source=source if source != prepared.series[name].source else "",
            )
        )
    progress(80)
    return _finish(prepared, organisation, problems)


_POPULATION_REQUIRED = {
    "area": ("område", "omrade", "kod", "area", "kommun", "region"),
    "year": ("år", "ar", "year"),
    "count": ("folkmängd", "folkmangd", "befolkning", "invånare", "population"),
}


def prepare_population(
    content: bytes, *, organisation: Organisation, options: dict[str, Any], progress: Progress
) -> Prepared:
    """område (or kod);år;folkmängd – into the organisation's series "Folkmängd"."""
    problems: list[Problem] = []
    reader, columns, _extra = _read_rows(content, _POPULATION_REQUIRED, {}, problems)
    matcher = AreaMatcher(organisation)
    source = options.get("source") or ""
    spec = SeriesSpec(
        name=default_series_name(ImportKind.POPULATION),
        kind=SeriesKind.POPULATION,
        unit=Unit.PERSONS,
        source=source,
    )
    existing = IndicatorSeries.objects.filter(organisation=organisation, name=spec.name).first()
    series_source = existing.source if existing is not None else source
    prepared = Prepared(series={spec.name: spec})
    for line, raw in reader.rows():
        check = parsers._RowChecker(line, raw, problems)
        area_text = check.text(columns["area"], _("Area"))
        year = check.year(columns["year"], _("Year"))
        count = check.integer(columns["count"], _("Population"), required=True, minimum=0)
        area = matcher.find(area_text) if area_text else None
        if area_text and area is None:
            check.fail(_('The area "%(name)s" is not among the areas.') % {"name": area_text})
        if not check.ok:
            continue
        assert year is not None and count is not None and area is not None
        start, end, label = year_period(year)
        prepared.rows.append(
            Row(
                line=line,
                series=spec.name,
                area=area,
                period_start=start,
                period_end=end,
                period_label=label,
                value=Decimal(count),
                source=source if source != series_source else "",
            )
        )
    progress(80)
    return _finish(prepared, organisation, problems)


PREPARERS: dict[str, Callable[..., Prepared]] = {
    ImportKind.BRA_MONTHLY: prepare_bra_monthly,
    ImportKind.BRA_YEARLY: prepare_bra_yearly,
    ImportKind.PX: prepare_px,
    ImportKind.SURVEY: prepare_survey,
    ImportKind.POPULATION: prepare_population,
}

EXTENSIONS: dict[str, set[str]] = {
    ImportKind.BRA_MONTHLY: {".csv", ".txt"},
    ImportKind.BRA_YEARLY: {".csv", ".txt"},
    ImportKind.PX: {".px"},
    ImportKind.SURVEY: {".csv", ".txt"},
    ImportKind.POPULATION: {".csv", ".txt"},
}


# ---------------------------------------------------------------------------
# Running an import
# ---------------------------------------------------------------------------


def run(*, actor, batch: ImportBatch, content: bytes, options: dict[str, Any]) -> ImportBatch:
    """Import ``content`` for ``batch``: prepare, then write all or nothing.

    Never raises for a bad file: the batch ends as done (with its counts) or rejected (with
    every problem). Progress is written to the batch as it goes, outside the write
    transaction, so that the batch page can show it while the import runs.
    """
    from trygg.stats import services

    services.import_batch_start(batch=batch)

    def progress(percent: int) -> None:
        services.import_batch_progress(batch=batch, progress=percent)

    try:
        prepare = PREPARERS[batch.kind]
        prepared = prepare(
            content, organisation=batch.organisation, options=options, progress=progress
        )
        progress(85)
        services.observations_import(actor=actor, batch=batch, prepared=prepared)
    except ImportRejected as error:
        services.import_batch_reject(
            actor=actor, batch=batch, problems=[(p.row, p.message) for p in error.problems]
        )
    except parsers.StatsFileError as error:
        services.import_batch_reject(actor=actor, batch=batch, problems=error.problems)
    except PermissionDenied:
        services.import_batch_reject(
            actor=actor, batch=batch, problems=[(None, _("You do not have permission to do this."))]
        )
    except ValidationError as error:
        services.import_batch_reject(
            actor=actor, batch=batch, problems=[(None, message) for message in error.messages]
        )
    except Exception:
        # A bug must not leave the batch "running" for ever; the trace goes to the log.
        logger.exception("Statistics import %s failed", batch.pk)
        services.import_batch_reject(
            actor=actor,
            batch=batch,
            problems=[(None, _("The import failed unexpectedly. Nothing was saved."))],
        )
    batch.refresh_from_db()
    return batch
