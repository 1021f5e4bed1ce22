"""The pre-computed counts every analysis reads, and the one rule for small counts.

The analyses read the counts (IncidentCount, DayCount, HourCount, see situation.rollup)
through ``restrict()``, so that a user's figures cover exactly the reports they may see.
They are read as they are: the incident services keep them current in the same
transaction as the change, and the periodic catch-up counts what was written elsewhere
(situation.tasks); a read never recounts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from trygg.core.access import VIEW, scope_for
from trygg.core.formatting import format_change, format_number
from trygg.core.models import Area, Organisation
from trygg.core.templatetags.trygg import suppress
from trygg.situation import rollup
from trygg.situation.models import DayCount, partner_ids
from trygg.situation.selectors.analysis import Analysis, _sees_reports, _visible_area_ids
from trygg.situation.selectors.periods import SOURCE_REPORTS, Period

PARTNER_MARK = "+partner"
MIN_BASE = 10  # a change from fewer than this many is not shown as a percentage
CACHE_SECONDS = 6 * 3600
T = TypeVar("T")


@dataclass(frozen=True)
class Count:
    """A count as the viewer may see it: ``value`` is None when it is suppressed."""

    value: int | None
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def export(self) -> int | str:
        """For CSV/XLSX: the number, or the "<5" text."""
        return self.value if self.value is not None else self.label

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label}


def shown(value: int | None, detail: bool) -> Count:
    """The one rule for small counts (core's ``suppress`` filter): "<5" without detail."""
    value = int(value or 0)
    if detail:  # a viewer with detail access sees every count as it is
        return _count_of(value)
    result = suppress(value, detail)
    if isinstance(result, str):
        return Count(None, result)
    return _count_of(value)


@lru_cache(maxsize=4096)
def _count_of(value: int) -> Count:
    """A shown count (immutable), formatted once per value: a heatmap shows 168."""
    return Count(value, format_number(value))


def rate_label(rate: float | None) -> str:
    return "–" if rate is None else format_number(rate, 1)


def change_label(now: int, before: int) -> str:
    """The change in percent, or "–" when the base is too small for a percentage to mean
    anything (from 3 to 9 is "+200 %")."""
    if before < MIN_BASE:
        return "–"
    return format_change(100 * (now - before) / before)


def counts(
    a: Analysis,
    period: Period | None = None,
    *,
    area: Area | None = None,
    model: Any = DayCount,
) -> QuerySet[Any]:
    """The organisation's pre-computed counts in the period (default: the analysis's), of
    the analysis's category, as the user may see them.

    ``model`` is the grain: DayCount (per day, category, area and place) for everything that
    does not need the hour, HourCount (per hour and area) for the time of week, IncidentCount
    (per hour with everything) when the time of week is filtered by category.
    """
    period = period or a.period
    return _restricted(a, model, area).filter(day__gte=period.start, day__lte=period.end)


def _restricted(a: Analysis, model: Any, area: Area | None) -> QuerySet[Any]:
    """The organisation's rows of a count table as the user may see them, of the analysis's
    category and of ``area`` (with its parts)."""
    queryset: QuerySet[Any] = model.objects.restrict(a.user, VIEW).filter(
        organisation=a.organisation
    )
    if a.category is not None:
        queryset = queryset.filter(category=a.category)
    if area is not None and area.pk != a.organisation.area_id:
        descendants = a.memo.setdefault("descendants", {})
        if area.pk not in descendants:
            descendants[area.pk] = with_descendants(area)
        queryset = queryset.filter(area_id__in=descendants[area.pk])
    return queryset.order_by()


MONTHLY_FIELDS = frozenset({"month", "category_id", "area_id", "place_id"})
MONTHLY_HOUR_FIELDS = frozenset({"weekday", "hour", "area_id"})


def whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first and the last whole local month within the period, or None."""
    first = period.start if period.start.day == 1 else rollup.next_month(period.start)
    last = rollup.month_of(period.end + dt.timedelta(days=1)) - dt.timedelta(days=1)
    last = rollup.month_of(last)  # the month of the last month-end on or before the end
    return (first, last) if first <= last else None


def summed(
    a: Analysis,
    period: Period,
    fields: tuple[str, ...],
    *,
    area: Area | None = None,
    hourly: bool = False,
    placed: bool = False,
) -> list[tuple[Any, ...]]:
    """[(*values of ``fields``, count, generated)] over the period's counts, in one query:
    the period's whole months from the per-month counts (MonthCount, or MonthHourCount when
    ``hourly``), its partial first and last months from the daily (hourly) ones.

    ``fields`` must be kept by both tables (month, category, area, place; or weekday, hour
    and area when ``hourly``). Restricted as every count is; exact, since a month's row is
    the sum of its days'.

    A viewer who sees the organisation's reports (every one of them, or those of some
    areas: the scope tags "all" and "areas-…", see :func:`scope`) is given the same sums
    from SQL written once per call (:func:`_summed_whole`), with the area limit of
    ``restrict()`` as a filter (:func:`limit`), and a partial month that covers most of
    its month read as the month less the days outside the period (:func:`_pieces`); any
    other scope goes through ``restrict()``. ``placed``: only counts with a place.
    """
    from trygg.situation.models import HourCount, MonthCount, MonthHourCount

    if not set(fields) <= (MONTHLY_HOUR_FIELDS if hourly else MONTHLY_FIELDS):
        raise ValueError(f"{fields} are not kept per month")
    if placed and hourly:
        raise ValueError("the hourly counts keep no place")
    if written(a):
        return _summed_whole(a, period, fields, area=area, hourly=hourly, placed=placed)
    day_model, month_model = (HourCount, MonthHourCount) if hourly else (DayCount, MonthCount)
    parts: list[QuerySet[Any]] = []
    months, edges = _split(period)
    if months is not None:
        first, last = months
        parts.append(_restricted(a, month_model, area).filter(month__gte=first, month__lte=last))
    if edges:  # the partial months, both in one part of the query
        spans = Q()
        for edge in edges:
            spans |= Q(day__gte=edge.start, day__lte=edge.end)
        parts.append(_restricted(a, day_model, area).filter(spans))
    if placed:
        parts = [part.filter(place__isnull=False) for part in parts]
    grouped = [
        part.values_list(*fields).annotate(n=Sum("count"), g=Sum("generated")) for part in parts
    ]
    query = grouped[0].union(*grouped[1:], all=True) if len(grouped) > 1 else grouped[0]
    if len(grouped) == 1:
        return [tuple(row) for row in query]
    totals: dict[tuple[Any, ...], list[int]] = {}
    for *values, n, g in query:
        total = totals.setdefault(tuple(values), [0, 0])
        total[0] += n
        total[1] += g or 0
    return [(*key, n, g) for key, (n, g) in totals.items()]


def _split(period: Period) -> tuple[tuple[dt.date, dt.date] | None, list[Period]]:
    """The period's whole months (first, last), or None, and its partial months."""
    months = whole_months(period)
    if months is None:
        return None, [period]
    first, last = months
    edges = [
        edge
        for edge in (
            Period(period.start, first - dt.timedelta(days=1)),
            Period(rollup.next_month(last), period.end),
        )
        if edge.start <= edge.end
    ]
    return months, edges


def scope(a: Analysis) -> str:
    """The analysis's scope tag (:func:`_scope_tag`), worked out once per analysis."""
    if "scope" not in a.memo:
        a.memo["scope"] = _scope_tag(a)
    result: str = a.memo["scope"]
    return result


def written(a: Analysis) -> bool:
    """Whether the analysis's counts are read by SQL written here (:func:`_summed_whole`,
    :func:`grouped`) rather than through ``restrict()``: for a viewer who sees all of the
    organisation's counts or those of some areas (:func:`limit`)."""
    tag = scope(a)
    return tag == "all" or tag.startswith("areas-")


def limit(a: Analysis) -> frozenset[int] | None:
    """The areas whose counts ``restrict()`` lets the viewer see besides those in no area,
    or None for all of them, for an analysis that :func:`written` holds for. Read from the
    scope tag, which is what the cached aggregates are keyed by: "all" has no limit,
    "areas-1-2" sees areas 1 and 2 and the counts in no area (IncidentCount.access_q: an
    area-limited membership's view), "areas-1-2+partner" every count (a partner of the
    organisation sees all of its reports, whatever the membership's limit)."""
    tag = scope(a)
    if tag == "all" or tag.endswith(PARTNER_MARK):
        return None
    return frozenset(int(pk) for pk in tag.removeprefix("areas-").split("-"))


def place_names(a: Analysis, ids: list[int]) -> dict[int, tuple[str, str]]:
    """{place id: (name, area name)} of those of the places the viewer may see
    (``Place.objects.restrict()``), for a viewer with detail access.

    For an analysis read by SQL written here (:func:`written`) the statement is written
    here too: the organisation's places, of the tag's areas (and none) for an area-limited
    member, which is what ``restrict()`` lets through of the organisation's places for a
    member or a system administrator (a partnership shows no places: a viewer without
    detail access goes through ``restrict()``, as any other viewer does)."""
    from trygg.core.models import Place

    if not ids:
        return {}
    if not written(a) or not a.detail:
        return {
            pk: (name, area_name)
            for pk, name, area_name in Place.objects.restrict(a.user, VIEW)
            .filter(pk__in=ids)
            .values_list("pk", "name", "area__name")
        }
    tag = scope(a)
    params: list[Any] = [a.organisation.pk, *ids]
    conditions = [
        'p."organisation_id" = %s',
        'p."id" IN (' + ", ".join(["%s"] * len(ids)) + ")",
    ]
    if tag != "all":
        areas = tag.removeprefix("areas-").removesuffix(PARTNER_MARK).split("-")
        params.extend(int(pk) for pk in areas)
        marks = ", ".join(["%s"] * len(areas))
        conditions.append(f'(p."area_id" IN ({marks}) OR p."area_id" IS NULL)')
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the models, every value a parameter.
            f'SELECT p."id", p."name", ar."name" FROM "{Place._meta.db_table}" p '  # noqa: S608
            f'JOIN "{Area._meta.db_table}" ar ON ar."id" = p."area_id" '
            f"WHERE {' AND '.join(conditions)}",
            params,
        )
        return {pk: (name, area_name) for pk, name, area_name in cursor.fetchall()}


def _area_condition(ids: frozenset[int] | None, params: list[Any]) -> str | None:
    """The SQL condition (and its parameters, added to ``params``) of an area limit: the
    counts of the areas and those in no area, as ``restrict()`` lets them through."""
    if ids is None:
        return None
    params.extend(sorted(ids))
    marks = ", ".join(["%s"] * len(ids))
    return f'("area_id" IN ({marks}) OR "area_id" IS NULL)'


def _summed_whole(
    a: Analysis,
    period: Period,
    fields: tuple[str, ...],
    *,
    area: Area | None,
    hourly: bool,
    placed: bool = False,
) -> list[tuple[Any, ...]]:
    """:func:`summed` for a viewer whose counts are read by SQL written here (checked by
    the caller, see :func:`written`): the organisation's rows are filtered by the viewer's
    area limit exactly as ``restrict()`` filters them (:func:`limit`), by category and by
    the analysis's area, and read in one statement built here. Without an area (filter,
    field or limit), the hourly whole months are read from MonthHourRunning, the running
    sums over the areas: a span's last month less the month before its first.
    """
    from trygg.situation.models import HourCount, MonthCount, MonthHourCount, MonthHourRunning

    within = None
    if area is not None and area.pk != a.organisation.area_id:
        descendants = a.memo.setdefault("descendants", {})
        if area.pk not in descendants:
            descendants[area.pk] = with_descendants(area)
        within = descendants[area.pk]
    limited = limit(a)
    if hourly:
        day_model: Any = HourCount
        month_model: Any = (
            MonthHourRunning
            if within is None and limited is None and fields == ("weekday", "hour")
            else MonthHourCount
        )
    else:
        day_model, month_model = DayCount, MonthCount
    adapt = connection.ops.adapt_datefield_value
    columns = ", ".join(f'"{field}"' for field in fields)
    selected = _selected(fields)
    selects: list[str] = []
    params: list[Any] = []

    def part(model: Any, column: str, spans: list[tuple[dt.date, dt.date]], sign: str) -> None:
        if not spans:
            return
        conditions = ['"organisation_id" = %s']
        params.append(a.organisation.pk)
        for start, end in spans:
            params.extend((adapt(start), adapt(end)))
        conditions.append(
            "(" + " OR ".join(f'("{column}" >= %s AND "{column}" <= %s)' for _span in spans) + ")"
        )
        if a.category is not None:
            conditions.append('"category_id" = %s')
            params.append(a.category.pk)
        if model is not MonthHourRunning:
            restricted = _area_condition(limited, params)
            if restricted is not None:
                conditions.append(restricted)
        if within is not None:
            conditions.append('"area_id" IN (' + ", ".join(["%s"] * len(within)) + ")")
            params.extend(within)
        if placed:
            conditions.append('"place_id" IS NOT NULL')
        # Names from the model and from the fixed fields, every value a parameter.
        selects.append(
            f'SELECT {selected}, {sign}SUM("count"), {sign}SUM("generated") '  # noqa: S608
            f'FROM "{model._meta.db_table}" WHERE {" AND ".join(conditions)} GROUP BY {columns}'
        )

    def running(spans: list[tuple[dt.date, dt.date]]) -> None:
        # Each span of months: the running sums as of its last month less those as of the
        # month before its first, each the rows of the latest month at or before it that
        # has any (none after it are missing: no month in between has counts). A month
        # has one row per weekday and hour: nothing to group.
        table = MonthHourRunning._meta.db_table
        for first, last in spans:
            for as_of, sign in ((last, ""), (first - dt.timedelta(days=1), "-")):
                selects.append(
                    f'SELECT "weekday", "hour", {sign}"count", {sign}"generated" '  # noqa: S608
                    f'FROM "{table}" WHERE "organisation_id" = %s AND "month" = '
                    f'(SELECT MAX("month") FROM "{table}" WHERE "organisation_id" = %s '
                    f'AND "month" <= %s)'
                )
                params.extend((a.organisation.pk, a.organisation.pk, adapt(as_of)))

    months, added, subtracted = _pieces(period)
    if month_model is MonthHourRunning:
        running(months)
    else:
        part(month_model, "month", months, "")
    part(day_model, "day", added, "")
    part(day_model, "day", subtracted, "-")
    # Each part grouped on its own (from its index, in order), the parts added up here:
    # cheaper than one GROUP BY over their union.
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = _dates(fields, cursor.fetchall())
    if len(selects) == 1:
        return rows
    totals: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        key = row[:-2]
        total = totals.get(key)
        if total is None:
            totals[key] = [row[-2], row[-1]]
        else:
            total[0] += row[-2]
            total[1] += row[-1]
    # A cell whose reports all lie on the days taken away has none in the period.
    return [(*key, n, g) for key, (n, g) in totals.items() if n > 0]


def _pieces(
    period: Period,
) -> tuple[
    list[tuple[dt.date, dt.date]], list[tuple[dt.date, dt.date]], list[tuple[dt.date, dt.date]]
]:
    """The period as ranges of months to add, ranges of days to add and ranges of days to
    take away: its whole months, and each partial month either by its own days or, when it
    covers most of its month, as the month less the days outside the period (fewer days
    to read: the last twelve months from the 4th are eleven months and December less its
    first three days, not twenty-eight days of December)."""
    months: list[tuple[dt.date, dt.date]] = []
    added: list[tuple[dt.date, dt.date]] = []
    subtracted: list[tuple[dt.date, dt.date]] = []
    whole, edges = _split(period)
    if whole is not None:
        months.append(whole)
    day = dt.timedelta(days=1)
    for edge in edges:
        start = edge.start
        while start <= edge.end:  # one month at a time (a period within no whole month
            month = rollup.month_of(start)  # may still cross a month's end)
            month_end = rollup.next_month(month) - day
            end = min(edge.end, month_end)
            inside = (end - start).days + 1
            if inside > (month_end - month).days + 1 - inside:
                months.append((month, month))
                if start > month:
                    subtracted.append((month, start - day))
                if end < month_end:
                    subtracted.append((end + day, month_end))
            else:
                added.append((start, end))
            start = end + day
    return _joined(months), added, subtracted


def _joined(months: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Ranges of months with those that follow each other joined (a year from the 4th is
    one range of twelve months, December less its first three days): one range of the
    index to read instead of several."""
    result: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(months):
        if result and first <= rollup.next_month(result[-1][1]):
            result[-1] = (result[-1][0], max(last, result[-1][1]))
        else:
            result.append((first, last))
    return result


GROUPED_FIELDS = frozenset(
    {"day", "week_start", "month", "weekday", "hour", "category_id", "area_id", "place_id"}
)
DATE_FIELDS = frozenset({"day", "week_start", "month"})


def grouped(
    a: Analysis,
    model: Any,
    period: Period,
    fields: tuple[str, ...],
    *,
    place_ids: list[int] | None = None,
    placed: bool = False,
) -> list[tuple[Any, ...]]:
    """[(*values of ``fields``, count, generated)] of one daily count table (DayCount,
    HourCount, IncidentCount) over the period's days, of the analysis's category, as the
    user may see them (optionally of some places only, or ``placed``: of the counts that
    have a place): ``counts()`` grouped.

    For a viewer who sees all of the organisation's counts or those of some areas (see
    :func:`written`) the statement is written here, filtered by organisation and the
    viewer's area limit (:func:`limit`), which is exactly what ``restrict()`` lets through
    for them; any other scope goes through ``restrict()``.
    """
    if not set(fields) <= GROUPED_FIELDS:
        raise ValueError(f"{fields} cannot be grouped by")
    if not written(a):
        queryset = counts(a, period, model=model)
        if place_ids is not None:
            queryset = queryset.filter(place_id__in=place_ids)
        if placed:
            queryset = queryset.filter(place_id__isnull=False)
        return [
            tuple(row)
            for row in queryset.values_list(*fields).annotate(n=Sum("count"), g=Sum("generated"))
        ]
    if place_ids is not None and not place_ids:
        return []
    adapt = connection.ops.adapt_datefield_value
    columns = ", ".join(f'"{field}"' for field in fields)
    column, last = "day", period.end
    if (
        model is DayCount
        and fields[0] == "week_start"
        and period.start.weekday() == 0
        and period.end.weekday() == 6
    ):
        # Whole weeks: their days are those of the weeks from the first to the last, read
        # in week order from DayCount's (week, area, category, place) index.
        column, last = "week_start", period.end - dt.timedelta(days=6)
    conditions = ['"organisation_id" = %s', f'"{column}" >= %s', f'"{column}" <= %s']
    params: list[Any] = [a.organisation.pk, adapt(period.start), adapt(last)]
    if a.category is not None:
        conditions.append('"category_id" = %s')
        params.append(a.category.pk)
    if place_ids is not None:
        conditions.append('"place_id" IN (' + ", ".join(["%s"] * len(place_ids)) + ")")
        params.extend(place_ids)
    if placed:
        conditions.append('"place_id" IS NOT NULL')
    restricted = _area_condition(limit(a), params)
    if restricted is not None:
        conditions.append(restricted)
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the model and from the fixed fields, every value a parameter.
            f'SELECT {_selected(fields)}, SUM("count"), SUM("generated") '  # noqa: S608
            f'FROM "{model._meta.db_table}" '
            f"WHERE {' AND '.join(conditions)} GROUP BY {columns}",
            params,
        )
        rows = cursor.fetchall()
    return _dates(fields, rows)


def _selected(fields: tuple[str, ...]) -> str:
    """The SELECT list of ``fields``; on SQLite the dates as text, which :func:`_dates`
    turns into dates once per value (the driver would parse every row's)."""
    if connection.vendor != "sqlite":
        return ", ".join(f'"{field}"' for field in fields)
    return ", ".join(
        f'CAST("{field}" AS TEXT)' if field in DATE_FIELDS else f'"{field}"' for field in fields
    )


def _dates(fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows with their date fields as dates (SQLite gives them as text)."""
    dated = [i for i, field in enumerate(fields) if field in DATE_FIELDS]
    if not dated or not rows or not any(isinstance(rows[0][i], str) for i in dated):
        # The drivers give tuples: the rows as they come, without a copy of each.
        return rows if not rows or type(rows[0]) is tuple else [tuple(row) for row in rows]
    known: dict[str, dt.date] = {}
    result = []
    for row in rows:
        values = list(row)
        for i in dated:
            value = values[i]
            if isinstance(value, str):
                if value not in known:
                    known[value] = dt.date.fromisoformat(value)
                values[i] = known[value]
        result.append(tuple(values))
    return result


@dataclass(frozen=True)
class Cell:
    """One cell of a period's counts: area, place, category and month."""

    area_id: int | None
    place_id: int | None
    category_id: int
    month: dt.date
    count: int
    generated: int


CUBE_FIELDS = ("area_id", "place_id", "category_id", "month")


def _scope_tag(a: Analysis) -> str:
    """Which of the organisation's counts the user's restriction lets through: all, none,
    or those of some areas. Users with the same tag read the same counts."""
    if not _sees_reports(a.user, a.organisation):
        return "none"
    visible = _visible_area_ids(a.user, a.organisation)
    if visible is None:
        return "all"
    tag = "areas-" + "-".join(map(str, sorted(visible)))
    # An area-limited member who is also in a partner of the organisation sees all of its
    # counts through the partnership (IncidentCount.access_q): not the same counts as a
    # member with the same areas only.
    if a.organisation.pk in partner_ids(scope_for(a.user)):
        tag += PARTNER_MARK
    return tag


def remembered(a: Analysis, name: str, period: Period, compute: Callable[[], T]) -> T:
    """An aggregate of the counts, computed once per (organisation, scope, period, category
    and ``name``, which names anything else it depends on) and kept in the cache until the organisation's counts change (the version that
    situation.rollup bumps whenever it writes them). Within one analysis it is read once.

    Only restricted aggregates of the counts are kept, keyed by what the restriction lets
    through, so a user never meets another scope's figures; names and anything else that
    may change without the counts changing are read fresh.
    """
    key = ("remembered", name, period.start, period.end)
    if key in a.memo:
        result: T = a.memo[key]
        return result
    if "version" not in a.memo:
        a.memo["version"] = rollup.version(a.organisation.pk)
    cache_key = ":".join(
        str(part)
        for part in (
            "trygg:lb",
            a.organisation.pk,
            a.memo["version"],
            scope(a),
            name,
            period.start,
            period.end,
            getattr(a.category, "pk", ""),
        )
    )
    value: T | None = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, CACHE_SECONDS)
    a.memo[key] = value
    return value


def cells(a: Analysis, period: Period) -> list[Cell]:
    """The period's counts per area, place, category and month (a few thousand cells at
    most), from one scan; every sum of the period is taken from these."""
    return remembered(
        a,
        "cells",
        period,
        lambda: [Cell(*row) for row in summed(a, period, CUBE_FIELDS)],
    )


def prepare(a: Analysis) -> None:
    """Read the cells of the analysis's period and of the period before, which a page of
    areas, places, trends and totals then sums."""
    cells(a, a.period)
    cells(a, a.period.previous())


def sums(
    a: Analysis, period: Period, fields: tuple[str, ...], *, placed: bool = False
) -> dict[tuple[Any, ...], tuple[int, int]]:
    """{values of ``fields``: (count, generated)} over the period's counts (``placed``: of
    the counts with a place only): summed from the period's cells when the page prepared
    them, else grouped by the database."""
    result: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    if ("remembered", "cells", period.start, period.end) in a.memo:
        for cell in cells(a, period):
            if placed and cell.place_id is None:
                continue
            total = result[tuple(getattr(cell, f) for f in fields)]
            total[0] += cell.count
            total[1] += cell.generated
        return {key: (n, g) for key, (n, g) in result.items()}
    rows = remembered(
        a,
        "sums-" + "-".join(fields) + ("-placed" if placed else ""),
        period,
        lambda: summed(a, period, fields, placed=placed),
    )
    for *values, n, g in rows:
        total = result[tuple(values)]
        total[0] += n
        total[1] += g or 0
    return {key: (n, g) for key, (n, g) in result.items()}


def area_ids(organisation: Organisation, area: Area | None) -> set[int] | None:
    """The area and its parts, or None for the whole kommun."""
    if area is None or area.pk == organisation.area_id:
        return None
    return set(with_descendants(area))


def with_descendants(area: Area) -> list[int]:
    ids, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def source_note(organisation: Organisation, period: Period, generated: int = 0) -> str:
    """ "Source: incident reports in Trygg (…), period …", the line under every figure."""
    text = _("Source: %(source)s (%(organisation)s), period %(period)s.") % {
        "source": SOURCE_REPORTS,
        "organisation": organisation.name,
        "period": period.label,
    }
    if generated:
        text += " " + _("Includes %(n)s generated demo reports.") % {"n": format_number(generated)}
    return text
