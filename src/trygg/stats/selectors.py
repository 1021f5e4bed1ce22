"""Reads and analyses of statistics: every figure a page, report or API shows comes from here.

Every function that takes a ``user`` reads through ``restrict(user, "view")``; a series out
of scope is simply not found. Analyses:

* :func:`trend`: count, change in percent, rate per 1 000 inhabitants (when the population
  is known) and the 95 % confidence interval of the rate ratio (Poisson, see
  :mod:`trygg.stats.analysis`) with a plain verdict, per area and category between two
  periods.
* :func:`share_by_area`: the parts of an area (kommundelar, stadsområden) with their share;
  the "Totalt" row adds counts and recomputes share and rate, never adds percentages.
* :func:`comparison`: an area beside the areas above it (kommundel → kommun → län →
  riket), with the rate per 1 000 and Brå's per-100 000 value as imported.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.core.models import Area
from trygg.stats import analysis
from trygg.stats.choices import MeasureType, SeriesKind, Unit
from trygg.stats.models import IndicatorSeries, Observation

RATE_PER = 1000

VERDICT_LABELS = {
    analysis.VERDICT_INCREASE: _("increase"),
    analysis.VERDICT_DECREASE: _("decrease"),
    analysis.VERDICT_NO_CHANGE: _("no certain change"),
}


# ---------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------


def population_for(area: Area, year: int) -> int | None:
    """The population ("folkmängd") of an area in a year, or None when it is not known.

    Population is public official data, so this read is not restricted to a user: the
    state grant (23 kr per inhabitant) and rates per 1 000 need it whoever asks. When
    several organisations have recorded it, the figure of the organisation the area
    belongs to (or that is responsible for it) wins, then the most recently recorded.
    """
    candidates = Observation.objects.filter(
        series__kind=SeriesKind.POPULATION,
        area=area,
        category="",
        period_start__year=year,
        period_end__year=year,
        value__isnull=False,
    )
    preferred = Q(organisation__area=area)
    if area.organisation_id is not None:
        preferred |= Q(organisation_id=area.organisation_id)
    best = (
        candidates.annotate(
            preference=Case(
                When(preferred, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("preference", "-period_end", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return int(best) if best is not None else None


def populations_for(areas: Iterable[Area], years: Iterable[int]) -> dict[tuple[int, int], int]:
    """{(area id, year): population} for many areas at once (one query, same preference)."""
    area_list = list(areas)
    year_list = sorted(set(years))
    if not area_list or not year_list:
        return {}
    rows = (
        Observation.objects.filter(
            series__kind=SeriesKind.POPULATION,
            area__in=area_list,
            category="",
            period_start__year__in=year_list,
            value__isnull=False,
        )
        .order_by("-period_end", "-pk")
        .values_list("area_id", "period_start", "period_end", "value", "organisation_id")
    )
    by_area = {a.pk: a for a in area_list}
    from trygg.core.models import Organisation

    responsible = dict(Organisation.objects.filter(area__in=area_list).values_list("pk", "area_id"))
    result: dict[tuple[int, int], tuple[int, int]] = {}
    for area_id, start, end, value, organisation_id in rows:
        if start.year != end.year:
            continue
        area = by_area[area_id]
        preference = (
            0
            if responsible.get(organisation_id) == area_id
            or (area.organisation_id is not None and organisation_id == area.organisation_id)
            else 1
        )
        key = (area_id, start.year)
        if key not in result or preference < result[key][0]:
            result[key] = (preference, int(value or 0))  # value__isnull=False above
    return {key: value for key, (_pref, value) in result.items()}


# ---------------------------------------------------------------------------
# Series and observations
# ---------------------------------------------------------------------------


def series_for(user: Viewer, action: str = VIEW) -> QuerySet[IndicatorSeries]:
    return IndicatorSeries.objects.restrict(user, action)


def series_list(user: Viewer) -> QuerySet[IndicatorSeries]:
    """Series the user may see, with the number of values and the first and last period."""
    return (
        series_for(user)
        .select_related("organisation")
        .annotate(
            observation_count=Count("observations"),
            first_period=Min("observations__period_start"),
            last_period=Max("observations__period_end"),
        )
    )


def observations_for(user: Viewer, series: IndicatorSeries | None = None) -> QuerySet[Observation]:
    queryset = Observation.objects.restrict(user, VIEW).select_related(
        "area", "series", "import_batch"
    )
    if series is not None:
        queryset = queryset.filter(series=series)
    return queryset


@dataclass(frozen=True)
class Period:
    label: str
    start: Any
    end: Any


def periods_of(user: Viewer, series: IndicatorSeries) -> list[Period]:
    """The series' periods, oldest first."""
    rows = (
        observations_for(user, series)
        .order_by("period_start", "period_end")
        .values_list("period_label", "period_start", "period_end")
        .distinct()
    )
    seen: dict[str, Period] = {}
    for label, start, end in rows:
        seen.setdefault(label, Period(label, start, end))
    return list(seen.values())


def area_of_series(user: Viewer, series: IndicatorSeries, area_id: int | str) -> Area | None:
    """An area the series has visible values for, or None. The area itself may belong to
    another organisation (a public series' stadsområden); its name is then still shown."""
    ids = observations_for(user, series).values("area_id")
    return Area.objects.filter(pk__in=ids, pk=area_id).first() if area_id else None


def areas_of(user: Viewer, series: IndicatorSeries) -> list[Area]:
    ids = observations_for(user, series).values("area_id")
    return list(
        Area.objects.filter(pk__in=ids)
        .select_related("parent")
        .defer("geometry", "parent__geometry")
        .order_by("name")
    )


@dataclass
class CategoryNode:
    """A category in the series' hierarchy. Children ("därav …") are subsets of their
    parent: they are never added up to it."""

    name: str
    code: str
    parent_code: str
    level: int | None
    children: list[CategoryNode] = field(default_factory=list)


def category_tree(user: Viewer, series: IndicatorSeries) -> list[CategoryNode]:
    rows = (
        observations_for(user, series)
        .order_by("category_level", "category_code", "category")
        .values_list("category", "category_code", "category_parent_code", "category_level")
        .distinct()
    )
    nodes: dict[str, CategoryNode] = {}
    for name, code, parent_code, level in rows:
        key = code or name
        if key not in nodes:
            nodes[key] = CategoryNode(name, code, parent_code, level)
    roots: list[CategoryNode] = []
    for node in nodes.values():
        parent = nodes.get(node.parent_code) if node.parent_code else None
        (parent.children if parent is not None and parent is not node else roots).append(node)
    return roots


def categories_of(user: Viewer, series: IndicatorSeries) -> list[str]:
    """Category names in hierarchy order (a parent before its children)."""
    result: list[str] = []

    def walk(nodes: Iterable[CategoryNode]) -> None:
        for node in nodes:
            result.append(node.name)
            walk(node.children)

    walk(category_tree(user, series))
    return result


# ---------------------------------------------------------------------------
# Trend between two periods
# ---------------------------------------------------------------------------


@dataclass
class TrendRow:
    """One area and category compared between period a (earlier) and b (later)."""

    area: Area | None
    area_name: str
    category: str
    value_a: Decimal | None
    value_b: Decimal | None
    change: float | None  # percent; percentage points for percentages; difference for net
    population_a: int | None = None
    population_b: int | None = None
    rate_a: float | None = None  # per 1 000 inhabitants
    rate_b: float | None = None
    ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    verdict: str | None = None  # analysis.VERDICT_*: "ökning", "minskning", …
    symbol_a: str = ""
    symbol_b: str = ""
    is_total: bool = False

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.verdict, "")) if self.verdict else ""

    @property
    def verdict_key(self) -> str:
        return {
            analysis.VERDICT_INCREASE: "increase",
            analysis.VERDICT_DECREASE: "decrease",
            analysis.VERDICT_NO_CHANGE: "no-change",
        }.get(self.verdict or "", "")


@dataclass
class Trend:
    series: IndicatorSeries
    period_a: Period | None
    period_b: Period | None
    rows: list[TrendRow]
    change_unit: str  # "percent", "points" or "difference"
    has_ci: bool
    confidence: float = 0.95

    @property
    def has_rates(self) -> bool:
        """Whether any row has a rate per 1 000 (the population is known)."""
        return any(r.rate_a is not None or r.rate_b is not None for r in self.rows)


def _finite(value: float) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _count(value: Decimal | None) -> int | None:
    if value is None or value != value.to_integral_value() or value < 0:
        return None
    return int(value)


def _change_unit(series: IndicatorSeries) -> str:
    """How the change is given: percentage points for percentages, the difference for a
    net figure (which may be negative or cross zero), else percent."""
    if series.unit == Unit.PERCENT:
        return "points"
    if series.measure_type == MeasureType.NET:
        return "difference"
    return "percent"


def _compare(row: TrendRow, series: IndicatorSeries) -> TrendRow:
    """Fill change, rates, ratio, interval and verdict from the values and populations.

    Only a count series gets the rate ratio and verdict; other measure types get the change.
    """
    a, b = row.value_a, row.value_b
    if a is None or b is None:
        return row
    if _change_unit(series) in ("points", "difference"):
        row.change = float(b - a)
        return row
    count_a, count_b = _count(a), _count(b)
    if not series.is_count or count_a is None or count_b is None:
        row.change = analysis.change_pct(float(a), float(b))
        return row
    known = row.population_a and row.population_b
    result = analysis.rate_ratio(
        count_a,
        row.population_a if known else None,
        count_b,
        row.population_b if known else None,
        rate_per=RATE_PER if known else None,
    )
    # The change in percent is of the counts as published; rates carry population changes.
    row.change = analysis.change_pct(count_a, count_b)
    if known:
        row.rate_a, row.rate_b = result.rate_a, result.rate_b
    row.ratio = _finite(result.ratio)
    row.ci_low, row.ci_high = _finite(result.ci_low), _finite(result.ci_high)
    row.p_value = result.p_value
    row.verdict = result.verdict
    return row


def trend(
    user: Viewer,
    series: IndicatorSeries,
    period_a: str | None = None,
    period_b: str | None = None,
    *,
    area: Area | None = None,
    category: str | None = None,
) -> Trend:
    """Compare period b with period a for each area and category of the series.

    Defaults: the last two periods. Counts get the Poisson rate-ratio interval and verdict;
    every other measure type gets the change only: percentages in percentage points (a
    sample size alone does not make the comparison safe), net figures as the difference,
    rates, indices and amounts in percent. A Poisson test of an index or a net figure
    would be meaningless.
    """
    periods = periods_of(user, series)
    by_label = {p.label: p for p in periods}
    if period_b is None and periods:
        period_b = periods[-1].label
    if period_a is None and len(periods) > 1:
        period_a = periods[-2].label
    pa, pb = by_label.get(period_a or ""), by_label.get(period_b or "")
    change_unit = _change_unit(series)
    has_ci = series.is_count
    if pa is None or pb is None:
        return Trend(series, pa, pb, [], change_unit, has_ci)
    observations = observations_for(user, series).filter(
        Q(period_start=pa.start, period_end=pa.end) | Q(period_start=pb.start, period_end=pb.end)
    )
    if area is not None:
        observations = observations.filter(area=area)
    if category is not None:
        observations = observations.filter(category=category)
    cells: dict[tuple[int, str], dict[str, Observation]] = defaultdict(dict)
    areas: dict[int, Area] = {}
    for observation in observations:
        which = (
            "a"
            if observation.period_start == pa.start and observation.period_end == pa.end
            else "b"
        )
        cells[(observation.area_id, observation.category)][which] = observation
        areas[observation.area_id] = observation.area
    populations = (
        populations_for(areas.values(), [pa.start.year, pb.start.year]) if series.is_count else {}
    )
    order = {name: i for i, name in enumerate(categories_of(user, series))}
    rows = []
    for (area_id, category_name), pair in cells.items():
        a, b = pair.get("a"), pair.get("b")
        row = TrendRow(
            area=areas[area_id],
            area_name=areas[area_id].name,
            category=category_name,
            value_a=a.value if a else None,
            value_b=b.value if b else None,
            change=None,
            population_a=populations.get((area_id, pa.start.year)),
            population_b=populations.get((area_id, pb.start.year)),
            symbol_a=(a.symbol if a else "–"),
            symbol_b=(b.symbol if b else "–"),
        )
        rows.append(_compare(row, series))
    rows.sort(key=lambda r: (_area_order(r.area), r.area_name, order.get(r.category, 0)))
    return Trend(series, pa, pb, rows, change_unit, has_ci)


def _area_order(area: Area | None) -> int:
    """Larger areas first: riket, län, kommun, then its parts."""
    if area is None:
        return 9
    return {"omrade": 0 if area.code == "00" else 5, "lan": 1, "kommun": 2}.get(area.kind, 3)


# ---------------------------------------------------------------------------
# Shares of the parts of an area, with a total from counts
# ---------------------------------------------------------------------------


@dataclass
class ShareRow:
    area: Area | None
    label: str
    count: int | None
    share_pct: float | None
    population: int | None = None
    rate: float | None = None  # per 1 000 inhabitants
    is_total: bool = False
    is_whole: bool = False  # the parent area's own published figure


@dataclass
class ShareTable:
    parent: Area
    period: Period
    category: str
    rows: list[ShareRow]
    missing: list[str]  # parts without a count: no total can be made

    @property
    def has_population(self) -> bool:
        return any(r.population for r in self.rows)


def share_by_area(
    user: Viewer, series: IndicatorSeries, parent: Area, period_label: str, category: str = ""
) -> ShareTable | None:
    """The parts of ``parent`` in one period and category, each with its share.

    The "Totalt" row is the sum of the parts' counts; its share is 100 % and its rate is
    recomputed from the summed populations, never added up from the parts' percentages or
    rates. The parent's own published figure is shown beside it, since parts need not add
    up to the whole (crimes without a known place). Only for count series.
    """
    if not series.is_count:
        return None
    period = next((p for p in periods_of(user, series) if p.label == period_label), None)
    if period is None:
        return None
    base = observations_for(user, series).filter(
        period_start=period.start, period_end=period.end, category=category
    )
    parts = list(base.filter(area__parent=parent).order_by("area__name"))
    if len(parts) < 2:
        return None
    whole = base.filter(area=parent).first()
    year = period.start.year
    populations = populations_for([o.area for o in parts] + [parent], [year])
    counts = {o.area.name: _count(o.value) for o in parts}
    missing = [name for name, count in counts.items() if count is None]
    known = {name: count for name, count in counts.items() if count is not None}
    shares = {r.label: r for r in analysis.share_table(known)} if not missing else {}
    rows: list[ShareRow] = []
    for observation in parts:
        count = counts[observation.area.name]
        population = populations.get((observation.area_id, year))
        rows.append(
            ShareRow(
                area=observation.area,
                label=observation.area.name,
                count=count,
                share_pct=shares[observation.area.name].share_pct if shares else None,
                population=population,
                rate=(count / population * RATE_PER) if count is not None and population else None,
            )
        )
    if not missing:
        total = analysis.total_from_counts(known)
        part_populations = [r.population for r in rows]
        known_populations = [p for p in part_populations if p]
        total_population = (
            sum(known_populations) if len(known_populations) == len(part_populations) else None
        )
        rows.append(
            ShareRow(
                area=None,
                label=analysis.TOTAL_LABEL,
                count=total,
                share_pct=100.0 if total else None,
                population=total_population,
                rate=(total / total_population * RATE_PER) if total_population else None,
                is_total=True,
            )
        )
    if whole is not None:
        population = populations.get((parent.pk, year))
        count = _count(whole.value)
        rows.append(
            ShareRow(
                area=parent,
                label=parent.name,
                count=count,
                share_pct=None,
                population=population,
                rate=(count / population * RATE_PER) if count is not None and population else None,
                is_whole=True,
            )
        )
    return ShareTable(parent, period, category, rows, missing)


# ---------------------------------------------------------------------------
# Comparison with the areas above
# ---------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    area: Area | None
    label: str
    value: Decimal | None
    symbol: str = ""
    population: int | None = None
    rate: float | None = None  # per 1 000 inhabitants, from the count and population
    per_100k: Decimal | None = None  # as imported (Brå)
    is_reference: bool = False  # the survey's national comparison value


def national_area() -> Area | None:
    return Area.objects.filter(kind="omrade", code="00", organisation__isnull=True).first()


def comparison(
    user: Viewer, series: IndicatorSeries, area: Area, period_label: str, category: str = ""
) -> list[ComparisonRow]:
    """The area and each area above it (kommundel → kommun → län → riket) where the series
    has a value for the period and category."""
    period = next((p for p in periods_of(user, series) if p.label == period_label), None)
    if period is None:
        return []
    chain = [area, *area.ancestors()]
    nation = national_area()
    if nation is not None and nation not in chain:
        chain.append(nation)
    observations = {
        o.area_id: o
        for o in observations_for(user, series).filter(
            area__in=chain,
            period_start=period.start,
            period_end=period.end,
            category=category,
        )
    }
    year = period.start.year
    populations = populations_for(chain, [year]) if series.is_count else {}
    rows: list[ComparisonRow] = []
    for item in chain:
        observation = observations.get(item.pk)
        if observation is None:
            continue
        population = populations.get((item.pk, year))
        count = _count(observation.value) if series.is_count else None
        rows.append(
            ComparisonRow(
                area=item,
                label=item.name,
                value=observation.value,
                symbol=observation.symbol,
                population=population,
                rate=(count / population * RATE_PER) if count is not None and population else None,
                per_100k=observation.per_100k,
            )
        )
    own = observations.get(area.pk)
    if (
        own is not None
        and own.comparison_value is not None
        and (nation is None or nation.pk not in observations)
    ):
        rows.append(
            ComparisonRow(
                area=None,
                label=str(_("National (comparison value)")),
                value=own.comparison_value,
                is_reference=True,
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Overview: areas and periods by category
# ---------------------------------------------------------------------------


@dataclass
class OverviewRow:
    area: Area
    period_label: str
    cells: list[Observation | None]


@dataclass
class Overview:
    """The series as a table: one row per area and period, one column per category.

    No total row or column: categories may be parts of each other ("därav"), and areas may
    contain each other (a kommun and its kommundelar); totals are in share_by_area.
    """

    categories: list[str]
    rows: list[OverviewRow]


def overview(
    user: Viewer, series: IndicatorSeries, *, max_categories: int = 8, max_rows: int = 60
) -> Overview | None:
    """None when the series is too large to show this way (see the values list instead)."""
    categories = categories_of(user, series)
    if not categories or len(categories) > max_categories:
        return None
    observations = list(observations_for(user, series)[: max_rows * max_categories + 1])
    if len(observations) > max_rows * max_categories:
        return None
    cells: dict[tuple[int, str, Any], dict[str, Observation]] = defaultdict(dict)
    areas: dict[int, Area] = {}
    for observation in observations:
        key = (observation.area_id, observation.period_label, observation.period_start)
        cells[key][observation.category] = observation
        areas[observation.area_id] = observation.area
    if len(cells) > max_rows:
        return None
    keys = sorted(
        cells,
        key=lambda k: (_area_order(areas[k[0]]), areas[k[0]].name, k[2], k[1]),
    )
    rows = [
        OverviewRow(
            area=areas[area_id],
            period_label=label,
            cells=[cells[(area_id, label, start)].get(c) for c in categories],
        )
        for area_id, label, start in keys
    ]
    return Overview(categories=categories, rows=rows)


# ---------------------------------------------------------------------------
# Chart
# ---------------------------------------------------------------------------


def chart_spec(
    user: Viewer, series: IndicatorSeries, *, category: str | None = None, area: Area | None = None
) -> dict[str, Any]:
    """A Vega-Lite line chart of the series over time: one line per area (or per category
    when one area is chosen). Missing values are left out, not drawn as 0."""
    observations = observations_for(user, series).filter(value__isnull=False)
    if category is not None:
        observations = observations.filter(category=category)
    if area is not None:
        observations = observations.filter(area=area)
    by_area = area is None
    rows = list(observations.order_by("period_start")[:5000])
    values: list[dict[str, Any]] = [
        {
            "period": o.period_start.isoformat(),
            "label": o.period_label,
            "line": o.area.name if by_area else (o.category or series.name),
            "value": float(o.value or 0),  # value__isnull=False above
        }
        for o in rows
    ]
    # A survey's national comparison value is drawn as its own line.
    national = str(_("National (comparison value)"))
    seen = set()
    for o in rows:
        if o.comparison_value is not None and (o.period_start, o.category) not in seen:
            seen.add((o.period_start, o.category))
            values.append(
                {
                    "period": o.period_start.isoformat(),
                    "label": o.period_label,
                    "line": national if by_area else f"{o.category or series.name} ({national})",
                    "value": float(o.comparison_value),
                }
            )
    unit = Unit(series.unit).label
    spans = {(o["period"], o["label"]) for o in values}
    yearly = all(label.isdigit() and len(label) == 4 for _p, label in spans)
    x_axis: dict[str, Any] = (
        {"field": "label", "type": "ordinal", "title": str(_("Year")), "sort": "ascending"}
        if yearly
        else {"field": "period", "type": "temporal", "title": str(_("Period"))}
    )
    x_axis["axis"] = {"labelAngle": 0}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": str(series.name),
        "width": "container",
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x_axis,
            "y": {"field": "value", "type": "quantitative", "title": str(unit)},
            "color": {
                "field": "line",
                "type": "nominal",
                "title": str(_("Area") if by_area else _("Category")),
                "legend": {"orient": "bottom", "columns": 3},
            },
            "tooltip": [
                {"field": "line", "title": str(_("Area") if by_area else _("Category"))},
                {"field": "label", "title": str(_("Period"))},
                {"field": "value", "title": str(unit), "format": ",.1f"},
            ],
        },
    }
