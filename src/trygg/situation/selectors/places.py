"""Areas and places: reports per area with rates, the busiest places, the monthly trend
and the headline figures of the lägesbild."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from trygg.core.formatting import format_number
from trygg.core.models import Area
from trygg.situation.selectors.analysis import Analysis
from trygg.situation.selectors.counts import (
    Count,
    area_ids,
    change_label,
    place_names,
    rate_label,
    shown,
    sums,
)


def _population_years(areas: list[Area], year: int) -> dict[int, tuple[int, int]]:
    """{area id: (population, year)}: the newest of the five years up to ``year`` (figures
    are published a few months after the year ends), in one query
    (stats.selectors.populations_for)."""
    from trygg.stats.selectors import populations_for

    years = list(range(year - 4, year + 1))
    known = populations_for(areas, years)
    result = {}
    for area in areas:
        for candidate in reversed(years):
            value = known.get((area.pk, candidate))
            if value:
                result[area.pk] = (value, candidate)
                break
    return result


def _population(areas: list[Area], year: int) -> dict[int, int]:
    return {pk: value for pk, (value, _year) in _population_years(areas, year).items()}


@dataclass
class AreaRow:
    area: Area | None  # None: reports placed only in the kommun
    name: str
    count: Count
    previous: Count
    change: str
    population: int | None
    rate: float | None  # per 1 000 inhabitants
    rate_label: str
    share: float | None = None  # of the total, percent


def area_counts(a: Analysis) -> list[AreaRow]:
    """Reports per area in the period against the previous period, with rates per 1 000
    inhabitants where the area's population is known (stats). Highest count first.
    Every area of the analysis, whatever its area filter."""
    organisation, period, detail = a.organisation, a.period, a.detail
    areas = a.areas()
    current = {key[0]: n for key, (n, _g) in sums(a, period, ("area_id",)).items()}
    previous = {key[0]: n for key, (n, _g) in sums(a, period.previous(), ("area_id",)).items()}
    population = _population(areas, period.end.year)
    rows = []
    known = {a.pk for a in areas}
    for area in areas:
        n = current.get(area.pk, 0)
        rows.append(_area_row(area, area.name, n, previous.get(area.pk, 0), population, detail))
    unplaced = sum(v for k, v in current.items() if k not in known)
    unplaced_before = sum(v for k, v in previous.items() if k not in known)
    if unplaced or unplaced_before:
        name = _("%(kommun)s, no district given") % {
            "kommun": organisation.area.name if organisation.area else organisation.name
        }
        rows.append(_area_row(None, name, unplaced, unplaced_before, {}, detail))
    total = sum(current.values())
    for row in rows:
        if total and row.count.value is not None:
            row.share = 100 * row.count.value / total
    rows.sort(key=lambda r: (-(r.count.value or 0), r.name))
    return rows


def _area_row(
    area: Area | None,
    name: str,
    n: int,
    before: int,
    population: dict[int, int],
    detail: bool,
) -> AreaRow:
    people = population.get(area.pk) if area is not None else None
    count = shown(n, detail)
    rate = 1000 * n / people if people and count.value is not None else None
    change = "–"
    if count.value is not None and shown(before, detail).value is not None:
        change = change_label(n, before)
    return AreaRow(
        area=area,
        name=name,
        count=count,
        previous=shown(before, detail),
        change=change,
        population=people,
        rate=rate,
        rate_label=rate_label(rate),
    )


@dataclass
class PlaceRow:
    place_id: int
    name: str
    area_name: str
    count: Count
    top_category: str = ""


def top_places(a: Analysis, *, limit: int = 10) -> list[PlaceRow] | None:
    """The places with most reports in the analysis's period; None for a viewer without
    detail access."""
    if not a.detail:
        return None
    totals: dict[int, int] = defaultdict(int)
    by_category: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    placed = sums(a, a.period, ("place_id", "category_id"), placed=True)
    for (place_id, category_id), (n, _g) in placed.items():
        totals[place_id] += n
        by_category[place_id][category_id] += n
    rows = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    if not rows:
        return []
    places = place_names(a, [place_id for place_id, _n in rows])
    names = a.categories()
    categories: dict[int, tuple[int, str]] = {}
    for place_id, counts in by_category.items():
        for category_id, n in counts.items():
            name = names.get(category_id, ("", ""))[0]
            if (n, name) > categories.get(place_id, (0, "")):
                categories[place_id] = (n, name)
    return [
        PlaceRow(
            place_id=place_id,
            name=places[place_id][0],
            area_name=places[place_id][1],
            count=shown(n, True),
            top_category=categories.get(place_id, (0, ""))[1],
        )
        for place_id, n in rows
        if place_id in places
    ]


@dataclass
class MonthRow:
    month: dt.date
    group: str
    count: Count


def monthly_trend(a: Analysis) -> list[MonthRow]:
    """Reports per month and category group (ordning / miljö / person) in the period."""
    from trygg.incidents.choices import CategoryGroup

    detail = a.detail
    labels = {value: str(label) for value, label in CategoryGroup.choices}  # translated once
    groups = {pk: group for pk, (_name, group) in a.categories().items()}
    totals: dict[tuple[dt.date, str], int] = defaultdict(int)
    within = area_ids(a.organisation, a.area)
    fields = ("month", "category_id") if within is None else ("month", "category_id", "area_id")
    for key, (n, _g) in sums(a, a.period, fields).items():
        if within is None or key[2] in within:
            totals[(key[0], groups.get(key[1], ""))] += n
    return [
        MonthRow(month=month, group=labels.get(group, group), count=shown(n, detail))
        for (month, group), n in sorted(totals.items())
    ]


@dataclass
class Headline:
    total: Count
    previous: Count
    change: str
    generated: int
    population: int | None = None  # of the kommun, for the rate
    population_year: int | None = None
    rate_label: str = "–"  # reports per 1 000 inhabitants of the kommun, per year


def headline(a: Analysis) -> Headline:
    """Reports in the period against the period before, and per 1 000 inhabitants of the
    kommun and year where its population is known."""
    organisation, period, area, detail = a.organisation, a.period, a.area, a.detail
    within = area_ids(organisation, area)
    now = [
        total
        for (area_id,), total in sums(a, period, ("area_id",)).items()
        if within is None or area_id in within
    ]
    before = [
        total
        for (area_id,), total in sums(a, period.previous(), ("area_id",)).items()
        if within is None or area_id in within
    ]
    n, b = sum(c for c, _g in now), sum(c for c, _g in before)
    total, previous = shown(n, detail), shown(b, detail)
    change = change_label(n, b) if total.value is not None and previous.value is not None else "–"
    result = Headline(
        total=total,
        previous=previous,
        change=change,
        generated=sum(g for _c, g in now),
    )
    kommun = organisation.area
    whole = area is None or (kommun is not None and area.pk == kommun.pk)
    if kommun is not None and whole and total.value is not None:
        known = _population_years([kommun], period.end.year).get(kommun.pk)
        if known:
            population, result.population_year = known
            per_year = n * 365 / period.days
            result.population = population
            result.rate_label = format_number(1000 * per_year / population, 1)
    return result
