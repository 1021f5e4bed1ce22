"""Reads for the lägesbild: every figure of the situation pages and API comes from here.

The analyses read the pre-computed incident counts (IncidentCount, see situation.rollup)
through ``restrict()``, so that a user's figures cover exactly the reports they may see:
an area-limited member their areas, a partner (the police) the owner's reports.

Detail access ("detaljbehörighet") is VIEW in the owning organisation. Without it (a
partner) the pages show areas but no places or points, and every count between 1 and
SMALL_COUNT_THRESHOLD − 1 is shown as "<5": :func:`shown` is the one place that decides
it, through core's ``suppress`` rule, for pages, charts, exports and the API alike.

The weekly picture (veckobild, EST) flags a deviation when last week's count is at least
the mean of the 8 weeks before plus two standard deviations of a Poisson count with that
mean, and at least 3::

    count >= mean + 2 * sqrt(mean)   and   count >= 3

Reports are rare events, so their week-to-week variation is close to Poisson: the variance
is about the mean. The floor of 3 keeps one or two reports where there are usually none
from being flagged. Without detail access, a deviation is shown only where the count is
not suppressed, since the flag would otherwise tell that a hidden count is 3 or 4.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count as CountOf
from django.db.models import Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.access import VIEW, scope_for
from trygg.core.formatting import format_change, format_number
from trygg.core.models import Area, Organisation
from trygg.core.templatetags.trygg import suppress
from trygg.situation import rollup
from trygg.situation.models import (
    DayCount,
    HourCount,
    IncidentCount,
    Problem,
    ProblemMeasure,
    SituationPicture,
    partner_ids,
)

LOCAL = ZoneInfo(settings.TIME_ZONE)
PREVIOUS_WEEKS = 8
WEEKDAY_SHORT = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]
SOURCE_REPORTS = gettext_lazy("incident reports in Trygg")
SOURCE_POLICE = gettext_lazy("the Swedish Police's public events (polisen.se)")


# Periods


@dataclass(frozen=True)
class Period:
    """A span of local days, both ends included."""

    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware start and exclusive end, for filtering timestamps."""
        return rollup.day_bounds(self.start)[0], rollup.day_bounds(self.end)[1]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def __str__(self) -> str:
        return self.label


def today() -> dt.date:
    return timezone.localdate()


def default_period(day: dt.date | None = None) -> Period:
    """The last 12 months up to and including today."""
    day = day or today()
    return Period(day - dt.timedelta(days=364), day)


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_complete_week(day: dt.date | None = None) -> dt.date:
    """The Monday of the last week that has ended (Monday to Sunday)."""
    return week_start_of(day or today()) - dt.timedelta(days=7)


def week_param(monday: dt.date) -> str:
    """ "2026-W46", the value of an <input type=week>."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> dt.date:
    """The Monday of an ISO week written "2026-W46" (ValueError otherwise)."""
    text = text.strip().upper()
    if "-W" not in text:
        raise ValueError(text)
    year, week = text.split("-W", 1)
    return dt.date.fromisocalendar(int(year), int(week), 1)


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return _("week %(week)s %(year)s") % {"week": week, "year": year}


def quarter_of(day: dt.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = day.replace(month=first_month, day=1)
    if first_month == 10:
        end = dt.date(day.year, 12, 31)
    else:
        end = day.replace(month=first_month + 3, day=1) - dt.timedelta(days=1)
    return Period(start, end)


# Who sees what


def organisations_for(user):
    """The organisations whose lägesbild the user may read: their own and partners'."""
    return Organisation.objects.restrict(user, VIEW).select_related("area").order_by("name")


def default_organisation(user, organisations=None) -> Organisation | None:
    """The user's own kommun first, else a kommun they are a partner of, else their own
    organisation."""
    organisations = list(organisations if organisations is not None else organisations_for(user))
    if not organisations:
        return None
    own = scope_for(user).organisation_ids(VIEW)

    def rank(org):
        # The lägesbild is the kommun's: the police land on their partner kommun's picture.
        return (org.kind not in ("kommun", "stadsdelsforvaltning"), org.pk not in own, org.name)

    return sorted(organisations, key=rank)[0]


def has_detail_access(user, organisation: Organisation) -> bool:
    """VIEW in the owning organisation: places, points and exact small counts."""
    scope = scope_for(user)
    return scope.is_superuser or organisation.pk in scope.organisation_ids(VIEW)


def _visible_area_ids(user, organisation: Organisation) -> set[int] | None:
    """The areas whose reports the user sees, or None for all of the organisation's."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    own = scope.organisation_ids(VIEW)
    if organisation.pk not in own and organisation.pk in partner_ids(scope):
        return None  # a partner sees all of the owner's reports (blurred)
    limited: set[int] = set()
    for grant in scope.grants_for(VIEW):
        if organisation.pk not in grant.organisation_ids:
            continue
        if grant.area_ids is None:
            return None
        limited |= grant.area_ids
    return limited


def analysis_areas(user, organisation: Organisation) -> list[Area]:
    """The organisation's areas (kommundelar …) that the user's figures cover.

    A partner may not list the owner's areas in general (core.Area's rule), but sees the
    owner's reports and with them their areas; an area-limited member sees their areas.
    """
    if not (
        has_detail_access(user, organisation) or organisation.pk in partner_ids(scope_for(user))
    ):
        return []
    areas = getattr(organisation, "_situation_areas", None)
    if areas is None:  # read once per request
        areas = list(Area.objects.filter(organisation=organisation).order_by("name"))
        organisation._situation_areas = areas
    visible = _visible_area_ids(user, organisation)
    if visible is not None:
        areas = [a for a in areas if a.pk in visible]
    return areas


def analysis_categories(user, organisation: Organisation):
    """The organisation's incident categories, for users who see its reports."""
    from trygg.incidents.models import IncidentCategory

    if not (
        has_detail_access(user, organisation) or organisation.pk in partner_ids(scope_for(user))
    ):
        return IncidentCategory.objects.none()
    return IncidentCategory.objects.filter(organisation=organisation).order_by("order", "name")


# Small counts


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

    def export(self):
        """For CSV/XLSX: the number, or the "<5" text."""
        return self.value if self.value is not None else self.label

    def as_json(self) -> dict:
        return {"value": self.value, "label": self.label}


def shown(value: int | None, detail: bool) -> Count:
    """The one rule for small counts (core's ``suppress`` filter): "<5" without detail."""
    value = int(value or 0)
    result = suppress(value, detail)
    if isinstance(result, str):
        return Count(None, result)
    return Count(value, format_number(value))


def rate_label(rate: float | None) -> str:
    return "–" if rate is None else format_number(rate, 1)


# The counts every analysis reads


def _counts(
    user,
    organisation: Organisation,
    period: Period,
    *,
    category=None,
    area=None,
    model=DayCount,
):
    """The organisation's pre-computed counts in the period, as the user may see them.

    ``model`` is the grain: DayCount (per day, category, area and place) for everything that
    does not need the hour, HourCount (per hour and area) for the time of week, IncidentCount
    (per hour with everything) when the time of week is filtered by category.
    """
    if not getattr(organisation, "_counts_current", False):
        rollup.ensure_current(organisation.pk)
        organisation._counts_current = True  # once per request
    queryset = model.objects.restrict(user, VIEW).filter(
        organisation=organisation, day__gte=period.start, day__lte=period.end
    )
    if category is not None:
        queryset = queryset.filter(category=category)
    if area is not None and area.pk != organisation.area_id:
        queryset = queryset.filter(area_id__in=_with_descendants(area))
    return queryset.order_by()


def _categories(user, organisation: Organisation) -> dict[int, tuple[str, str]]:
    """{category id: (name, group)} of the organisation, read once per request."""
    cached = getattr(organisation, "_situation_categories", None)
    if cached is None:
        cached = {
            pk: (name, group)
            for pk, name, group in analysis_categories(user, organisation).values_list(
                "pk", "name", "group"
            )
        }
        organisation._situation_categories = cached
    return cached


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


def _key(period: Period, category) -> tuple:
    return (period.start, period.end, getattr(category, "pk", None))


def prepare(user, organisation: Organisation, period: Period, *, category=None) -> None:
    """Read the period's counts per area, place, category and month in one scan.

    A page that shows areas, places, trends and totals of the same period calls this first;
    the selectors then sum these cells (a few thousand at most) instead of each scanning the
    period. Kept on the organisation object, which lives for the request. Without it each
    selector asks the database for exactly the sums it needs.
    """
    memo = organisation.__dict__.setdefault("_situation_cubes", {})
    key = _key(period, category)
    if key not in memo:
        memo[key] = [
            Cell(*row)
            for row in _counts(user, organisation, period, category=category)
            .values_list(*CUBE_FIELDS)
            .annotate(n=Sum("count"), g=Sum("generated"))
        ]


def _sums(
    user, organisation: Organisation, period: Period, fields: tuple[str, ...], *, category=None
) -> dict[tuple, tuple[int, int]]:
    """{values of ``fields``: (count, generated)} over the period's counts."""
    cells = organisation.__dict__.get("_situation_cubes", {}).get(_key(period, category))
    result: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    if cells is not None:
        for cell in cells:
            sums = result[tuple(getattr(cell, f) for f in fields)]
            sums[0] += cell.count
            sums[1] += cell.generated
    else:
        for *values, n, g in (
            _counts(user, organisation, period, category=category)
            .values_list(*fields)
            .annotate(n=Sum("count"), g=Sum("generated"))
        ):
            sums = result[tuple(values)]
            sums[0] += n
            sums[1] += g or 0
    return {key: (n, g) for key, (n, g) in result.items()}


def _area_ids(organisation: Organisation, area) -> set[int] | None:
    """The area and its parts, or None for the whole kommun."""
    if area is None or area.pk == organisation.area_id:
        return None
    return set(_with_descendants(area))


def _with_descendants(area: Area) -> list[int]:
    ids, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _source(organisation: Organisation, period: Period, generated: int = 0) -> str:
    text = _("Source: %(source)s (%(organisation)s), period %(period)s.") % {
        "source": SOURCE_REPORTS,
        "organisation": organisation.name,
        "period": period.label,
    }
    if generated:
        text += " " + _("Includes %(n)s generated demo reports.") % {"n": format_number(generated)}
    return text


# Time of week


@dataclass
class TimeOfWeek:
    organisation: Organisation
    period: Period
    detail: bool
    cells: list[dict]  # weekday 1–7, hour 0–23, reports (Count), police (int)
    total: Count
    police_total: int
    police_included: bool
    generated: int
    kommun: Area | None
    peak: tuple[int, int] | None
    source: str
    police_source: str

    def rows(self) -> list[dict]:
        """One row per weekday with 24 cells, for the table view of the heatmap."""
        by_day: dict[int, list[dict]] = defaultdict(list)
        for cell in self.cells:
            by_day[cell["weekday"]].append(cell)
        return [
            {"weekday": d, "label": WEEKDAY_SHORT[d - 1], "cells": by_day[d]} for d in range(1, 8)
        ]


def time_of_week(
    user,
    organisation: Organisation,
    period: Period,
    *,
    category=None,
    area=None,
    police: bool = True,
) -> TimeOfWeek:
    """Reports and police events per local weekday × hour (a heatmap of the week)."""
    detail = has_detail_access(user, organisation)
    counts = _counts(
        user,
        organisation,
        period,
        category=category,
        area=area,
        model=HourCount if category is None else IncidentCount,
    )
    grid: dict[tuple[int, int], int] = {}
    generated = 0
    for weekday, hour, n, g in counts.values_list("weekday", "hour").annotate(
        n=Sum("count"), g=Sum("generated")
    ):
        grid[(weekday, hour)] = n
        generated += g or 0
    kommun = organisation.area
    police_included = police and kommun is not None and (area is None or area.pk == kommun.pk)
    police_grid: dict[tuple[int, int], int] = {}
    if police_included:
        from trygg.incidents.selectors import police_events_for_kommun

        start, end = period.bounds()
        events = police_events_for_kommun(user, kommun, start, end).order_by()
        for weekday, hour, n in (
            events.annotate(
                wd=ExtractIsoWeekDay("occurred_at", tzinfo=LOCAL),
                hr=ExtractHour("occurred_at", tzinfo=LOCAL),
            )
            .values_list("wd", "hr")
            .annotate(n=CountOf("pk"))
        ):
            police_grid[(weekday, hour)] = n
    cells = [
        {
            "weekday": d,
            "hour": h,
            "reports": shown(grid.get((d, h), 0), detail),
            "police": police_grid.get((d, h), 0),
        }
        for d in range(1, 8)
        for h in range(24)
    ]
    total = sum(grid.values())
    peak = max(grid, key=grid.get) if grid else None
    return TimeOfWeek(
        organisation=organisation,
        period=period,
        detail=detail,
        cells=cells,
        total=shown(total, detail),
        police_total=sum(police_grid.values()),
        police_included=police_included,
        generated=generated,
        kommun=kommun,
        peak=peak,
        source=_source(organisation, period, generated),
        police_source=_("Source: %(source)s, %(kommun)s, period %(period)s.")
        % {"source": SOURCE_POLICE, "kommun": kommun.name if kommun else "–", "period": period},
    )


def peak_label(peak: tuple[int, int] | None) -> str:
    if peak is None:
        return "–"
    weekday, hour = peak
    return f"{WEEKDAY_SHORT[weekday - 1]} {hour:02d}–{(hour + 1) % 24:02d}"


# Areas and places


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


def area_counts(
    user, organisation: Organisation, period: Period, *, category=None
) -> list[AreaRow]:
    """Reports per area in the period against the previous period, with rates per 1 000
    inhabitants where the area's population is known (stats). Highest count first."""
    detail = has_detail_access(user, organisation)
    areas = analysis_areas(user, organisation)
    current = {
        key[0]: n
        for key, (n, _g) in _sums(
            user, organisation, period, ("area_id",), category=category
        ).items()
    }
    previous = {
        key[0]: n
        for key, (n, _g) in _sums(
            user, organisation, period.previous(), ("area_id",), category=category
        ).items()
    }
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


def _area_row(area, name, n, before, population, detail) -> AreaRow:
    people = population.get(area.pk) if area is not None else None
    count = shown(n, detail)
    rate = 1000 * n / people if people and count.value is not None else None
    change = "–"
    if count.value is not None and shown(before, detail).value is not None:
        change = _change(n, before)
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


def top_places(
    user, organisation: Organisation, period: Period, *, category=None, limit: int = 10
) -> list[PlaceRow] | None:
    """The places with most reports; None for a viewer without detail access."""
    if not has_detail_access(user, organisation):
        return None
    totals: dict[int, int] = defaultdict(int)
    by_category: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (place_id, category_id), (n, _g) in _sums(
        user, organisation, period, ("place_id", "category_id"), category=category
    ).items():
        if place_id is not None:
            totals[place_id] += n
            by_category[place_id][category_id] += n
    rows = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    if not rows:
        return []
    from trygg.core.models import Place

    places = {
        p.pk: p
        for p in Place.objects.restrict(user, VIEW)
        .filter(pk__in=[place_id for place_id, _n in rows])
        .select_related("area")
    }
    names = _categories(user, organisation)
    categories: dict[int, tuple[int, str]] = {}
    for place_id, counts in by_category.items():
        for category_id, n in counts.items():
            name = names.get(category_id, ("", ""))[0]
            if (n, name) > categories.get(place_id, (0, "")):
                categories[place_id] = (n, name)
    return [
        PlaceRow(
            place_id=place_id,
            name=places[place_id].name,
            area_name=places[place_id].area.name,
            count=shown(n, True),
            top_category=categories.get(place_id, (0, ""))[1],
        )
        for place_id, n in rows
        if place_id in places
    ]


# Trend


@dataclass
class MonthRow:
    month: dt.date
    group: str
    count: Count


def monthly_trend(
    user, organisation: Organisation, period: Period, *, category=None, area=None
) -> list[MonthRow]:
    """Reports per month and category group (ordning / miljö / person) in the period."""
    from trygg.incidents.choices import CategoryGroup

    detail = has_detail_access(user, organisation)
    labels = dict(CategoryGroup.choices)
    groups = {pk: group for pk, (_name, group) in _categories(user, organisation).items()}
    totals: dict[tuple[dt.date, str], int] = defaultdict(int)
    within = _area_ids(organisation, area)
    fields = ("month", "category_id") if within is None else ("month", "category_id", "area_id")
    for key, (n, _g) in _sums(user, organisation, period, fields, category=category).items():
        if within is None or key[2] in within:
            totals[(key[0], groups.get(key[1], ""))] += n
    return [
        MonthRow(month=month, group=str(labels.get(group, group)), count=shown(n, detail))
        for (month, group), n in sorted(totals.items())
    ]


# The weekly picture (EST)


def threshold(mean: float) -> float:
    """The least count that is a deviation from ``mean`` (see the module docstring)."""
    return max(mean + 2 * math.sqrt(mean), 3)


def is_deviation(count: int, mean: float) -> bool:
    return count >= 3 and count >= mean + 2 * math.sqrt(mean)


@dataclass
class WeeklyRow:
    area_name: str
    category_name: str
    count: Count
    mean: float
    mean_label: str
    threshold_label: str
    flagged: bool


@dataclass
class FocusPlace:
    name: str
    area_name: str
    count: Count
    mean_label: str
    flagged: bool
    categories: str
    when: str


@dataclass
class WeeklyPicture:
    organisation: Organisation
    week_start: dt.date
    period: Period
    baseline: Period
    label: str
    detail: bool
    rows: list[WeeklyRow]
    area_rows: list[WeeklyRow]
    total: Count
    total_mean_label: str
    flagged: int
    focus_places: list[FocusPlace] | None
    quarter: Period
    quarter_top: list[PlaceRow] | None
    police: list[tuple[str, int]]
    police_total: int
    time_of_week: TimeOfWeek
    generated: int
    source: str
    rule: str = field(default="")


RULE = gettext_lazy(
    "A count is flagged as a deviation when it is at least the mean of the previous 8 weeks "
    "plus two times the square root of that mean (two standard deviations of a Poisson "
    "count), and at least 3."
)


def weekly_picture(
    user, organisation: Organisation, week_start: dt.date, *, category=None
) -> WeeklyPicture:
    """Last week per area and category against the mean of the 8 weeks before."""
    detail = has_detail_access(user, organisation)
    week = Period(week_start, week_start + dt.timedelta(days=6))
    baseline = Period(week_start - dt.timedelta(weeks=PREVIOUS_WEEKS), week_start - dt.timedelta(1))
    span = Period(baseline.start, week.end)
    counts = _counts(user, organisation, span, category=category)
    areas = {a.pk: a.name for a in analysis_areas(user, organisation)}
    kommun_name = organisation.area.name if organisation.area else organisation.name

    def area_name(area_id):
        return areas.get(area_id) or _("%(kommun)s, no district given") % {"kommun": kommun_name}

    this_week: dict[tuple, int] = defaultdict(int)
    before: dict[tuple, int] = defaultdict(int)
    area_week: dict[str, int] = defaultdict(int)
    area_before: dict[str, int] = defaultdict(int)
    generated = 0
    category_names = {pk: name for pk, (name, _group) in _categories(user, organisation).items()}
    for monday, area_id, category_id, n, g in counts.values_list(
        "week_start", "area_id", "category_id"
    ).annotate(n=Sum("count"), g=Sum("generated")):
        key = (area_name(area_id), category_names.get(category_id, ""))
        if monday == week_start:
            this_week[key] += n
            area_week[key[0]] += n
            generated += g or 0
        else:
            before[key] += n
            area_before[key[0]] += n

    def row(area, category_name, n, total_before) -> WeeklyRow:
        mean = total_before / PREVIOUS_WEEKS
        count = shown(n, detail)
        flagged = is_deviation(n, mean) and count.value is not None
        return WeeklyRow(
            area_name=area,
            category_name=category_name,
            count=count,
            mean=mean,
            mean_label=format_number(mean, 1),
            threshold_label=format_number(math.ceil(threshold(mean)), 0),
            flagged=flagged,
        )

    rows = [
        row(a, c, this_week.get((a, c), 0), before.get((a, c), 0))
        for (a, c) in set(this_week) | set(before)
    ]
    rows.sort(key=lambda r: (not r.flagged, -(r.count.value or 0), -r.mean, r.area_name))
    area_rows = [
        row(a, "", area_week.get(a, 0), area_before.get(a, 0))
        for a in sorted(set(area_week) | set(area_before))
    ]
    total = sum(this_week.values())
    total_mean = sum(before.values()) / PREVIOUS_WEEKS

    focus = quarter_top = None
    quarter = quarter_of(week_start + dt.timedelta(days=3))  # the quarter of its Thursday
    quarter = Period(quarter.start, min(quarter.end, week.end))
    if detail:
        focus = _focus_places(user, organisation, week, baseline, category)
        quarter_top = top_places(user, organisation, quarter, category=category, limit=3)

    police, police_total = _police_by_type(user, organisation, week)
    return WeeklyPicture(
        organisation=organisation,
        week_start=week_start,
        period=week,
        baseline=baseline,
        label=week_label(week_start),
        detail=detail,
        rows=rows,
        area_rows=area_rows,
        total=shown(total, detail),
        total_mean_label=format_number(total_mean, 1),
        flagged=sum(1 for r in rows if r.flagged),
        focus_places=focus,
        quarter=quarter,
        quarter_top=quarter_top,
        police=police,
        police_total=police_total,
        time_of_week=time_of_week(user, organisation, week, category=category),
        generated=generated,
        source=_source(organisation, span, generated),
        rule=str(RULE),
    )


def _focus_places(user, organisation, week: Period, baseline: Period, category) -> list:
    """Where to be next week: last week's places with a deviation first, then the busiest,
    each with the days and hours when its reports come (over the last 9 weeks)."""
    from trygg.core.models import Place

    span = Period(baseline.start, week.end)
    counts = _counts(user, organisation, span, category=category).filter(place__isnull=False)
    last: dict[int, int] = defaultdict(int)
    prior: dict[int, int] = defaultdict(int)
    for place_id, monday, n in counts.values_list("place_id", "week_start").annotate(
        n=Sum("count")
    ):
        if monday == week.start:
            last[place_id] += n
        else:
            prior[place_id] += n
    places = {
        p.pk: p
        for p in Place.objects.restrict(user, VIEW).filter(pk__in=list(last)).select_related("area")
    }
    candidates = [p for p in last if last[p] > 0 and p in places]
    candidates.sort(
        key=lambda p: (
            not is_deviation(last[p], prior[p] / PREVIOUS_WEEKS),
            -last[p],
            places[p].name,
        )
    )
    chosen = candidates[:5]
    if not chosen:
        return []
    weekday_hours: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    for place_id, weekday, hour, n in (
        _counts(user, organisation, span, category=category, model=IncidentCount)
        .filter(place_id__in=chosen)
        .values_list("place_id", "weekday", "hour")
        .annotate(n=Sum("count"))
    ):
        weekday_hours[place_id][(weekday, hour)] = n
    names = _categories(user, organisation)
    kinds: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for place_id, category_id, n in (
        counts.filter(place_id__in=chosen, week_start=week.start)
        .values_list("place_id", "category_id")
        .annotate(n=Sum("count"))
    ):
        kinds[place_id][names.get(category_id, ("", ""))[0]] += n
    result = []
    for place_id in chosen:
        mean = prior[place_id] / PREVIOUS_WEEKS
        top = sorted(kinds[place_id].items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        result.append(
            FocusPlace(
                name=places[place_id].name,
                area_name=places[place_id].area.name,
                count=shown(last[place_id], True),
                mean_label=format_number(mean, 1),
                flagged=is_deviation(last[place_id], mean),
                categories=", ".join(name for name, _n in top),
                when=when_label(weekday_hours[place_id]),
            )
        )
    return result


def when_label(cells: dict[tuple[int, int], int]) -> str:
    """ "Fri–Sat, 20–23": the busiest one or two weekdays and three-hour window."""
    if not cells:
        return "–"
    days: dict[int, int] = defaultdict(int)
    hours: dict[int, int] = defaultdict(int)
    for (weekday, hour), n in cells.items():
        days[weekday] += n
        hours[hour] += n
    total = sum(days.values())
    ranked = sorted(days, key=lambda d: (-days[d], d))
    chosen = [ranked[0]]
    if len(ranked) > 1 and days[ranked[1]] >= 0.6 * days[ranked[0]]:
        chosen.append(ranked[1])
    chosen.sort()
    day_text = "–".join(str(WEEKDAY_SHORT[d - 1]) for d in chosen)
    if len(chosen) == 2 and chosen[1] - chosen[0] != 1:
        day_text = ", ".join(str(WEEKDAY_SHORT[d - 1]) for d in chosen)
    # The busiest three hours; on a tie, the window with the busiest hour in its middle.
    start = max(
        range(24),
        key=lambda h: (sum(hours[(h + i) % 24] for i in range(3)), hours[(h + 1) % 24], -h),
    )
    if total == 0:
        return "–"
    return f"{day_text} {start:02d}–{(start + 3) % 24:02d}"


def _police_by_type(user, organisation: Organisation, period: Period):
    if organisation.area is None:
        return [], 0
    from trygg.incidents.selectors import police_events_for_kommun

    start, end = period.bounds()
    rows = list(
        police_events_for_kommun(user, organisation.area, start, end)
        .order_by()
        .values_list("event_type")
        .annotate(n=CountOf("pk"))
        .order_by("-n", "event_type")
    )
    return rows, sum(n for _t, n in rows)


# Police events: the last weeks against the weeks before


@dataclass
class PoliceRow:
    event_type: str
    recent: int
    previous: int
    change: str


@dataclass
class PoliceSummary:
    kommun: Area | None
    recent: Period
    previous: Period
    rows: list[PoliceRow]
    recent_total: int
    previous_total: int
    change: str
    summaries: int
    source: str
    latest: dt.date | None = None  # the newest event in the kommun, whenever it was


def police_summary(
    user, organisation: Organisation, *, end: dt.date, weeks: int = 4
) -> PoliceSummary:
    """The police's events in the organisation's kommun by type: the last ``weeks`` weeks
    against the same number of weeks before. Summary posts are counted apart."""
    recent = Period(end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1), end)
    previous = recent.previous()
    kommun = organisation.area
    rows: list[PoliceRow] = []
    totals = [0, 0]
    summaries = 0
    if kommun is not None:
        from trygg.incidents.selectors import police_events_for_kommun

        start = previous.bounds()[0]
        middle, stop = recent.bounds()
        events = police_events_for_kommun(user, kommun, start, stop, include_summaries=True)
        grouped: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for event_type, is_summary, is_recent, n in (
            events.order_by()
            .values_list("event_type", "is_summary")
            .annotate(r=CountOf("pk", filter=Q(occurred_at__gte=middle)), n=CountOf("pk"))
        ):
            if is_summary:
                summaries += is_recent
                continue
            grouped[event_type][0] += is_recent
            grouped[event_type][1] += n - is_recent
        for event_type, (r, p) in grouped.items():
            rows.append(PoliceRow(event_type, r, p, _change(r, p)))
            totals[0] += r
            totals[1] += p
        rows.sort(key=lambda row: (-row.recent, -row.previous, row.event_type))
        newest = (
            police_events_for_kommun(user, kommun, dt.datetime(1900, 1, 1, tzinfo=dt.UTC), stop)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        latest = timezone.localtime(newest).date() if newest else None
    else:
        latest = None
    return PoliceSummary(
        kommun=kommun,
        recent=recent,
        previous=previous,
        rows=rows,
        recent_total=totals[0],
        previous_total=totals[1],
        change=_change(totals[0], totals[1]),
        summaries=summaries,
        source=_("Source: %(source)s, %(kommun)s, period %(period)s.")
        % {
            "source": SOURCE_POLICE,
            "kommun": kommun.name if kommun else "–",
            "period": Period(previous.start, recent.end),
        },
        latest=latest,
    )


MIN_BASE = 10  # a change from fewer than this many is not shown as a percentage


def _change(now: int, before: int) -> str:
    """The change in percent, or "–" when the base is too small for a percentage to mean
    anything (from 3 to 9 is "+200 %")."""
    if before < MIN_BASE:
        return "–"
    return format_change(100 * (now - before) / before)


# Headline figures


@dataclass
class Headline:
    total: Count
    previous: Count
    change: str
    generated: int
    population: int | None = None  # of the kommun, for the rate
    population_year: int | None = None
    rate_label: str = "–"  # reports per 1 000 inhabitants of the kommun, per year


def headline(
    user, organisation: Organisation, period: Period, *, category=None, area=None
) -> Headline:
    """Reports in the period against the period before, and per 1 000 inhabitants of the
    kommun and year where its population is known."""
    detail = has_detail_access(user, organisation)
    within = _area_ids(organisation, area)
    now = [
        sums
        for (area_id,), sums in _sums(
            user, organisation, period, ("area_id",), category=category
        ).items()
        if within is None or area_id in within
    ]
    before = [
        sums
        for (area_id,), sums in _sums(
            user, organisation, period.previous(), ("area_id",), category=category
        ).items()
        if within is None or area_id in within
    ]
    n, b = sum(c for c, _g in now), sum(c for c, _g in before)
    total, previous = shown(n, detail), shown(b, detail)
    change = _change(n, b) if total.value is not None and previous.value is not None else "–"
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


# Map


def map_data(
    user,
    organisation: Organisation,
    period: Period,
    *,
    category=None,
    rows: list[AreaRow] | None = None,
    point_limit: int = 500,
) -> dict:
    """GeoJSON for the map: the areas shaded by rate (or count where no population is
    known), and report points for viewers with detail access (the newest ``point_limit``).

    An area without a boundary is drawn as a circle at its centre (or at the middle of its
    places), so kommundelar still show before their boundaries are imported.
    """
    from trygg.core.models import Place

    detail = has_detail_access(user, organisation)
    rows = rows if rows is not None else area_counts(user, organisation, period, category=category)
    use_rate = any(r.rate is not None for r in rows)
    values = [(r.rate if use_rate else r.count.value) for r in rows if r.area is not None]
    values = [v for v in values if v is not None]
    breaks = _breaks(values)
    centres: dict[int, tuple[float, float]] = {}
    if any(r.area is not None and not r.area.geometry for r in rows):
        points: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for area_id, lat, lon in Place.objects.filter(
            organisation=organisation, lat__isnull=False
        ).values_list("area_id", "lat", "lon"):
            points[area_id].append((lat, lon))
        for area_id, coords in points.items():
            centres[area_id] = (
                sum(c[0] for c in coords) / len(coords),
                sum(c[1] for c in coords) / len(coords),
            )
    features = []
    kommun = organisation.area
    if kommun is not None and kommun.geometry:
        features.append(
            {
                "type": "Feature",
                "geometry": kommun.geometry,
                "properties": {"role": "outline", "name": kommun.name},
            }
        )
    for row in rows:
        area = row.area
        if area is None:
            continue
        value = row.rate if use_rate else row.count.value
        properties = {
            "role": "area",
            "name": row.name,
            "count": row.count.label,
            "rate": row.rate_label,
            "class": _class_of(value, breaks),
        }
        if area.geometry:
            geometry = area.geometry
        elif area.centre_lat is not None:
            geometry = {"type": "Point", "coordinates": [area.centre_lon, area.centre_lat]}
        elif area.pk in centres:
            lat, lon = centres[area.pk]
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        else:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    report_points = []
    if detail:
        from trygg.incidents.selectors import reports_visible

        start, end = period.bounds()
        visible = reports_visible(user).filter(
            organisation=organisation,
            occurred_at__gte=start,
            occurred_at__lt=end,
            detail=True,
            lat__isnull=False,
        )
        if category is not None:
            visible = visible.filter(category=category)
        for lat, lon, name, at in visible.order_by("-occurred_at").values_list(
            "shown_lat", "shown_lon", "category__name", "shown_occurred_at"
        )[:point_limit]:
            if lat is None:
                continue
            report_points.append(
                {
                    "lat": lat,
                    "lon": lon,
                    "label": f"{name}, {timezone.localtime(at):%Y-%m-%d %H:%M}",
                }
            )
    legend = [
        {
            "class": index,
            "label": _legend_label(breaks, index, use_rate),
        }
        for index in range(len(breaks) + 1)
    ]
    centre = None
    if kommun is not None and kommun.centre_lat is not None:
        centre = [kommun.centre_lat, kommun.centre_lon]
    elif centres:
        centre = [
            sum(c[0] for c in centres.values()) / len(centres),
            sum(c[1] for c in centres.values()) / len(centres),
        ]
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "points": report_points,
        "point_limit": point_limit,
        "legend": legend,
        "measure": _("Reports per 1 000 inhabitants") if use_rate else _("Reports"),
        "detail": detail,
        "centre": centre,
        "tiles": settings.MAP_TILE_URL or None,
        "labels": {
            "points": _("Reports (newest %(n)s)") % {"n": point_limit},
            "noPoints": _("Points are shown only to those with detail access."),
        },
    }


def _breaks(values: list[float]) -> list[float]:
    """Up to four class limits at the quartiles of the values (five shades)."""
    values = sorted(set(values))
    if len(values) <= 1:
        return []
    limits = []
    for q in (0.25, 0.5, 0.75):
        v = values[min(len(values) - 1, int(q * len(values)))]
        if v not in limits and v > values[0]:
            limits.append(v)
    return limits


def _class_of(value, breaks: list[float]) -> int | None:
    if value is None:
        return None
    index = 0
    for limit in breaks:
        if value >= limit:
            index += 1
    return index


def _legend_label(breaks: list[float], index: int, use_rate: bool) -> str:
    decimals = 1 if use_rate else 0
    if not breaks:
        return _("all areas")
    if index == 0:
        return _("under %(v)s") % {"v": format_number(breaks[0], decimals)}
    if index == len(breaks):
        return _("%(v)s or more") % {"v": format_number(breaks[-1], decimals)}
    return f"{format_number(breaks[index - 1], decimals)}–{format_number(breaks[index], decimals)}"


# Situation pictures and problems


def pictures_for(user, organisation: Organisation | None = None):
    queryset = SituationPicture.objects.restrict(user, VIEW).select_related("organisation")
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-year", "title")


def current_picture(user, organisation: Organisation) -> SituationPicture | None:
    """The newest lägesbild of the organisation that the user may see."""
    return pictures_for(user, organisation).first()


@dataclass
class ProblemView:
    problem: Problem
    analysis: object | None
    measures: list  # the linked measures the user may see
    hidden_measures: int  # linked measures the user may not see
    areas: list
    places: list

    @property
    def has_measure(self) -> bool:
        return bool(self.measures or self.hidden_measures)


def problems_of(user, picture: SituationPicture) -> list[ProblemView]:
    """The picture's prioritised problems with their analysis and measures, in order.

    A problem with no linked measure at all is what Brå warns about (measures not tied to
    problems); the page flags it.
    """
    from trygg.plans.models import Measure

    problems = list(
        Problem.objects.restrict(user, VIEW)
        .filter(situation_picture=picture)
        .prefetch_related("areas", "places", "cause_analyses")
        .order_by("priority", "id")
    )
    links = list(
        ProblemMeasure.objects.restrict(user, VIEW)
        .filter(problem__in=problems)
        .select_related("measure", "measure__status", "measure__plan")
        .order_by("measure__plan__title", "measure__order", "measure_id")
    )
    visible = set(
        Measure.objects.restrict(user, VIEW)
        .filter(pk__in=[link.measure_id for link in links])
        .values_list("pk", flat=True)
    )
    by_problem: dict[int, list] = defaultdict(list)
    for link in links:
        by_problem[link.problem_id].append(link)
    result = []
    for problem in problems:
        own = by_problem[problem.pk]
        analyses = list(problem.cause_analyses.all())
        result.append(
            ProblemView(
                problem=problem,
                analysis=analyses[0] if analyses else None,
                measures=[link for link in own if link.measure_id in visible],
                hidden_measures=sum(1 for link in own if link.measure_id not in visible),
                areas=list(problem.areas.all()),
                places=list(problem.places.all()),
            )
        )
    return result


def problem_view(user, problem: Problem) -> ProblemView:
    return next(
        v for v in problems_of(user, problem.situation_picture) if v.problem.pk == problem.pk
    )


def measures_to_link(user, problem: Problem):
    """Measures the user may see in plans of the problem's organisation or shared with it,
    not yet linked to the problem."""
    from trygg.plans.models import Measure

    return (
        Measure.objects.restrict(user, VIEW)
        .filter(
            Q(plan__organisation_id=problem.organisation_id)
            | Q(plan__partner_organisations=problem.organisation_id)
        )
        .exclude(problem_links__problem=problem)
        .select_related("plan")
        .distinct()
        .order_by("plan__title", "order", "id")
    )


# Statistics (reported crime and surveys), from the stats app


@dataclass
class StatRow:
    category: str
    value_a: str
    value_b: str
    change: str
    verdict: str
    verdict_key: str


@dataclass
class StatisticsBlock:
    name: str
    kind: str
    period_a: str
    period_b: str
    rows: list[StatRow]
    source: str


def _stat_value(value, unit: str, symbol: str) -> str:
    from trygg.core.formatting import format_percent

    if value is None:
        return symbol or "–"
    if unit == "percent":
        return format_percent(value, 1)
    return format_number(value, 0 if value == int(value) else 1)


def statistics(user, organisation: Organisation, *, limit: int = 4, rows: int = 8):
    """The kommun's reported crime and survey series: the last period against the one
    before (stats.selectors.trend), for the organisation's kommun area."""
    from trygg.stats import selectors as stats
    from trygg.stats.choices import SeriesKind

    kommun = organisation.area
    if kommun is None:
        return []
    series_list = list(
        stats.series_for(user)
        .filter(
            kind__in=[SeriesKind.REPORTED_CRIME, SeriesKind.SURVEY],
            observations__area=kommun,
        )
        .distinct()
        .order_by("kind", "name")[:limit]
    )
    blocks = []
    for series in series_list:
        result = stats.trend(user, series, area=kommun)
        if result.period_a is None or result.period_b is None or not result.rows:
            continue
        shown_rows = []
        for row in result.rows[:rows]:
            if row.change is None:
                change = "–"
            elif result.change_unit == "points":
                change = _("%(n)s points") % {"n": format_number(row.change, 1)}
            else:
                change = format_change(row.change)
            shown_rows.append(
                StatRow(
                    category=row.category or series.name,
                    value_a=_stat_value(row.value_a, series.unit, row.symbol_a),
                    value_b=_stat_value(row.value_b, series.unit, row.symbol_b),
                    change=change,
                    verdict=row.verdict_label,
                    verdict_key=row.verdict_key,
                )
            )
        blocks.append(
            StatisticsBlock(
                name=series.name,
                kind=series.get_kind_display(),
                period_a=result.period_a.label,
                period_b=result.period_b.label,
                rows=shown_rows,
                source=_("Source: %(source)s, %(area)s, %(a)s and %(b)s.")
                % {
                    "source": series.source or series.name,
                    "area": kommun.name,
                    "a": result.period_a.label,
                    "b": result.period_b.label,
                },
            )
        )
    return blocks
