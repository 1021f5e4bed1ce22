"""API for statistics: series, values, analyses (trend, shares, comparison) and imports.

Every endpoint reads through restrict(); a series out of scope is a 404.
"""

import datetime as dt
import math

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.core.access import VIEW
from trygg.core.api_types import decimal
from trygg.core.filters import query_data
from trygg.core.models import Area, ImportBatch
from trygg.core.pagination import PageNumberPagination
from trygg.stats import selectors, services
from trygg.stats.filters import ObservationFilter, SeriesFilter
from trygg.stats.forms import writable_organisations
from trygg.stats.models import IndicatorSeries
from trygg.stats.parsers import MAX_YEAR, MIN_YEAR

router = Router(tags=["Statistik"])

# A statistics value as its column holds it (20 digits, 6 decimals).
Value = decimal(20, 6)


def _float(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class SeriesOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    measure_type: str  # count, rate, share, index, net, amount: only counts get verdicts
    measure_type_label: str
    source: str
    description: str
    is_public: bool
    organisation_id: int
    import_batch_id: int | None

    @staticmethod
    def resolve_measure_type_label(obj) -> str:
        return str(obj.get_measure_type_display())


class ObservationOut(Schema):
    id: int
    series_id: int
    area_id: int
    area_name: str
    period_start: dt.date
    period_end: dt.date
    period_label: str
    category: str
    category_code: str
    category_parent_code: str
    category_level: int | None
    value: float | None
    symbol: str
    preliminary: bool
    per_100k: float | None
    sample_size: int | None
    comparison_value: float | None
    source: str
    import_batch_id: int | None

    @staticmethod
    def resolve_area_name(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_value(obj) -> float | None:
        return _float(obj.value)

    @staticmethod
    def resolve_per_100k(obj) -> float | None:
        return _float(obj.per_100k)

    @staticmethod
    def resolve_comparison_value(obj) -> float | None:
        return _float(obj.comparison_value)


class TrendRowOut(Schema):
    area_id: int | None
    area_name: str
    category: str
    value_a: float | None
    value_b: float | None
    symbol_a: str
    symbol_b: str
    change: float | None
    population_a: int | None
    population_b: int | None
    rate_a: float | None
    rate_b: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    verdict: str | None
    verdict_label: str


class TrendOut(Schema):
    series_id: int
    measure_type: str
    period_a: str | None
    period_b: str | None
    change_unit: str
    has_ci: bool
    confidence: float
    rate_per: int
    rows: list[TrendRowOut]


class ShareRowOut(Schema):
    area_id: int | None
    label: str
    count: int | None
    share_pct: float | None
    population: int | None
    rate: float | None
    is_total: bool
    is_whole: bool


class ShareOut(Schema):
    parent_id: int
    period: str
    category: str
    missing: list[str]
    rows: list[ShareRowOut]


class ComparisonRowOut(Schema):
    area_id: int | None
    label: str
    value: float | None
    symbol: str
    population: int | None
    rate: float | None
    per_100k: float | None
    is_reference: bool


class CategoryOut(Schema):
    name: str
    code: str
    parent_code: str
    level: int | None
    children: list["CategoryOut"]


CategoryOut.model_rebuild()


class PopulationOut(Schema):
    area_id: int
    year: int
    population: int | None


class PopulationIn(Schema):
    organisation_id: int
    area_id: int
    year: int
    count: int
    source: str = ""


class SurveyValueIn(Schema):
    organisation_id: int
    indicator: str
    area_id: int
    year: int
    value: Value
    sample_size: int | None = None
    comparison_value: Value | None = None
    source: str = ""


class BatchOut(Schema):
    id: int
    kind: str
    filename: str
    sha256: str
    status: str
    progress: int
    counts: dict
    problems: list
    organisation_id: int
    created_at: dt.datetime


SeriesQuery = SeriesFilter.as_schema("SeriesQuery")
ObservationQuery = ObservationFilter.as_schema("ObservationQuery")


def _series(request, series_id: int) -> IndicatorSeries:
    return get_object_or_404(IndicatorSeries.objects.restrict(request.user, VIEW), pk=series_id)


def _area(request, area_id: int | None) -> Area | None:
    if area_id is None:
        return None
    return get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=area_id)


def _series_area(request, series: IndicatorSeries, area_id: int | None) -> Area | None:
    """An area the series has values for (for a public series it may be another
    organisation's stadsområde); any other id is a 404."""
    if area_id is None:
        return None
    area = selectors.area_of_series(request.user, series, area_id)
    if area is None:
        raise Http404
    return area


@router.get("/series", response=list[SeriesOut])
@paginate(PageNumberPagination)
def list_series(request, filters: SeriesQuery = Query(...)):  # type: ignore[valid-type]
    form = SeriesFilter(query_data(filters), user=request.user)
    return form.filter_queryset(selectors.series_for(request.user)).order_by("name", "pk")


@router.get("/series/{series_id}", response=SeriesOut)
def get_series(request, series_id: int):
    return _series(request, series_id)


@router.get("/series/{series_id}/observations", response=list[ObservationOut])
@paginate(PageNumberPagination)
def list_observations(
    request,
    series_id: int,
    filters: ObservationQuery = Query(...),  # type: ignore[valid-type]
):
    series = _series(request, series_id)
    form = ObservationFilter(query_data(filters), user=request.user, series=series)
    return form.filter_queryset(selectors.observations_for(request.user, series)).order_by(
        "period_start", "area__name", "category", "pk"
    )


@router.get("/series/{series_id}/categories", response=list[CategoryOut])
def list_categories(request, series_id: int):
    return selectors.category_tree(request.user, _series(request, series_id))


@router.get("/series/{series_id}/trend", response=TrendOut)
def get_trend(
    request,
    series_id: int,
    period_a: str | None = None,
    period_b: str | None = None,
    area_id: int | None = None,
    category: str | None = None,
):
    """Change from period a to period b per area and category: counts, change in percent,
    rates per 1 000 inhabitants, the 95 % interval of the rate ratio and the verdict."""
    series = _series(request, series_id)
    trend = selectors.trend(
        request.user,
        series,
        period_a,
        period_b,
        area=_series_area(request, series, area_id),
        category=category,
    )
    return {
        "series_id": series.pk,
        "measure_type": series.measure_type,
        "period_a": trend.period_a.label if trend.period_a else None,
        "period_b": trend.period_b.label if trend.period_b else None,
        "change_unit": trend.change_unit,
        "has_ci": trend.has_ci,
        "confidence": trend.confidence,
        "rate_per": selectors.RATE_PER,
        "rows": [
            {
                "area_id": row.area.pk if row.area else None,
                "area_name": row.area_name,
                "category": row.category,
                "value_a": _float(row.value_a),
                "value_b": _float(row.value_b),
                "symbol_a": row.symbol_a,
                "symbol_b": row.symbol_b,
                "change": _float(row.change),
                "population_a": row.population_a,
                "population_b": row.population_b,
                "rate_a": _float(row.rate_a),
                "rate_b": _float(row.rate_b),
                "ratio": _float(row.ratio),
                "ci_low": _float(row.ci_low),
                "ci_high": _float(row.ci_high),
                "p_value": _float(row.p_value),
                "verdict": row.verdict,
                "verdict_label": row.verdict_label,
            }
            for row in trend.rows
        ],
    }


@router.get("/series/{series_id}/shares", response={200: ShareOut, 404: dict})
def get_shares(request, series_id: int, parent_id: int, period: str, category: str = ""):
    """The parts of an area with their share; the total adds counts, never percentages."""
    series = _series(request, series_id)
    parent = _series_area(request, series, parent_id)
    table = selectors.share_by_area(request.user, series, parent, period, category)
    if table is None:
        return Status(404, {"detail": "Not found."})
    return {
        "parent_id": parent.pk,
        "period": table.period.label,
        "category": table.category,
        "missing": table.missing,
        "rows": [
            {
                "area_id": row.area.pk if row.area else None,
                "label": row.label,
                "count": row.count,
                "share_pct": _float(row.share_pct),
                "population": row.population,
                "rate": _float(row.rate),
                "is_total": row.is_total,
                "is_whole": row.is_whole,
            }
            for row in table.rows
        ],
    }


@router.get("/series/{series_id}/comparison", response=list[ComparisonRowOut])
def get_comparison(request, series_id: int, area_id: int, period: str, category: str = ""):
    """The area beside the areas above it (kommundel → kommun → län → riket)."""
    series = _series(request, series_id)
    area = _series_area(request, series, area_id)
    rows = selectors.comparison(request.user, series, area, period, category)
    return [
        {
            "area_id": row.area.pk if row.area else None,
            "label": row.label,
            "value": _float(row.value),
            "symbol": row.symbol,
            "population": row.population,
            "rate": _float(row.rate),
            "per_100k": _float(row.per_100k),
            "is_reference": row.is_reference,
        }
        for row in rows
    ]


@router.get("/population", response=PopulationOut)
def get_population(request, area_id: int, year: int = Query(..., ge=MIN_YEAR, le=MAX_YEAR)):
    area = _area(request, area_id)
    return {"area_id": area.pk, "year": year, "population": selectors.population_for(area, year)}


@router.post("/population", response={201: ObservationOut})
def set_population(request, payload: PopulationIn):
    organisation = get_object_or_404(
        writable_organisations(request.user), pk=payload.organisation_id
    )
    observation = services.population_set(
        actor=request.user,
        organisation=organisation,
        area=_area(request, payload.area_id),
        year=payload.year,
        count=payload.count,
        source=payload.source,
    )
    return Status(201, observation)


@router.post("/survey-values", response={201: ObservationOut})
def set_survey_value(request, payload: SurveyValueIn):
    organisation = get_object_or_404(
        writable_organisations(request.user), pk=payload.organisation_id
    )
    observation = services.survey_value_set(
        actor=request.user,
        organisation=organisation,
        indicator=payload.indicator,
        area=_area(request, payload.area_id),
        year=payload.year,
        value=payload.value,
        sample_size=payload.sample_size,
        comparison_value=payload.comparison_value,
        source=payload.source,
    )
    return Status(201, observation)


@router.get("/imports", response=list[BatchOut])
@paginate(PageNumberPagination)
def list_imports(request):
    return (
        ImportBatch.objects.restrict(request.user, VIEW)
        .filter(kind__startswith="stats.")
        .order_by("-created_at", "-pk")
    )


@router.get("/imports/{batch_id}", response=BatchOut)
def get_import(request, batch_id: int):
    """An import batch: status, progress, counts and the problems of a refused file."""
    return get_object_or_404(
        ImportBatch.objects.restrict(request.user, VIEW).filter(kind__startswith="stats."),
        pk=batch_id,
    )
