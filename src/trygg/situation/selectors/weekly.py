"""The weekly picture (veckobild, EST): last week per area and category against the mean
of the 8 weeks before, and where to be next week.

A deviation is flagged when last week's count is at least the mean of the 8 weeks before
plus two standard deviations of a Poisson count with that mean, and at least 3::

    count >= mean + 2 * sqrt(mean)   and   count >= 3

Reports are rare events, so their week-to-week variation is close to Poisson: the variance
is about the mean. The floor of 3 keeps one or two reports where there are usually none
from being flagged. Without detail access, a deviation is shown only where the count is
not suppressed, since the flag would otherwise tell that a hidden count is 3 or 4.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.formatting import format_number
from trygg.core.models import Organisation
from trygg.situation.models import DayCount, IncidentCount
from trygg.situation.selectors.analysis import Analysis
from trygg.situation.selectors.counts import (
    Count,
    grouped,
    place_names,
    remembered,
    shown,
    source_note,
)
from trygg.situation.selectors.periods import (
    PREVIOUS_WEEKS,
    Period,
    quarter_of,
    week_label,
)
from trygg.situation.selectors.places import PlaceRow, top_places
from trygg.situation.selectors.police import police_counts
from trygg.situation.selectors.time_of_week import TimeOfWeek, time_of_week, when_label


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


def weekly_picture(a: Analysis, week_start: dt.date) -> WeeklyPicture:
    """The week from ``week_start`` per area and category against the mean of the 8 weeks
    before (the analysis's own period and area are not used)."""
    organisation, detail = a.organisation, a.detail
    week = Period(week_start, week_start + dt.timedelta(days=6))
    baseline = Period(week_start - dt.timedelta(weeks=PREVIOUS_WEEKS), week_start - dt.timedelta(1))
    span = Period(baseline.start, week.end)
    areas = {area.pk: area.name for area in a.areas()}
    kommun_name = organisation.area.name if organisation.area else organisation.name

    unplaced = _("%(kommun)s, no district given") % {"kommun": kommun_name}

    def area_name(area_id: int | None) -> str:
        return (areas.get(area_id) if area_id is not None else None) or unplaced

    this_week: dict[tuple[Any, ...], int] = defaultdict(int)
    before: dict[tuple[Any, ...], int] = defaultdict(int)
    area_week: dict[str, int] = defaultdict(int)
    area_before: dict[str, int] = defaultdict(int)
    generated = 0
    category_names = {pk: name for pk, (name, _group) in a.categories().items()}
    # The nine weeks per week, area and category, in the order of DayCount's week index (no
    # sort): the rows of the picture are sums of these.
    for monday, area_id, category_id, n, g in remembered(
        a,
        "week-rows",
        span,
        lambda: grouped(a, DayCount, span, ("week_start", "area_id", "category_id")),
    ):
        key = (area_name(area_id), category_names.get(category_id, ""))
        if monday == week_start:
            this_week[key] += n
            area_week[key[0]] += n
            generated += g or 0
        else:
            before[key] += n
            area_before[key[0]] += n

    def row(area: str, category_name: str, n: int, total_before: int) -> WeeklyRow:
        mean = total_before / PREVIOUS_WEEKS
        count = shown(n, detail)
        flagged = is_deviation(n, mean) and count.value is not None
        mean_label, threshold_label = _labels(total_before)
        return WeeklyRow(
            area_name=area,
            category_name=category_name,
            count=count,
            mean=mean,
            mean_label=mean_label,
            threshold_label=threshold_label,
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
        focus = _focus_places(a, week, baseline)
        quarter_top = top_places(a.over(quarter), limit=3)

    police, police_total, police_cells = police_counts(a.user, organisation, week)
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
        time_of_week=time_of_week(
            dataclasses.replace(a, period=week, area=None), police_cells=police_cells
        ),
        generated=generated,
        source=source_note(organisation, span, generated),
        rule=str(RULE),
    )


@lru_cache(maxsize=1024)
def _labels(total_before: int) -> tuple[str, str]:
    """The mean of the 8 weeks and the least count that is a deviation from it, as shown
    (formatted once per total: a picture has few distinct ones)."""
    mean = total_before / PREVIOUS_WEEKS
    return format_number(mean, 1), format_number(math.ceil(threshold(mean)), 0)


def _focus_places(a: Analysis, week: Period, baseline: Period) -> list[FocusPlace]:
    """Where to be next week: last week's places with a deviation first, then the busiest,
    each with the days and hours when its reports come (over the last 9 weeks)."""
    span = Period(baseline.start, week.end)
    last: dict[int, int] = defaultdict(int)  # reports per place last week
    last_kinds: dict[int, dict[int, int]] = defaultdict(dict)  # and per category
    for place_id, category_id, n, _g in remembered(
        a,
        "place-categories",
        week,
        lambda: grouped(a, DayCount, week, ("place_id", "category_id"), placed=True),
    ):
        last[place_id] += n
        last_kinds[place_id][category_id] = n
    prior: dict[int, int] = defaultdict(int)  # and in the 8 weeks before
    for place_id, n, _g in remembered(
        a, "places", baseline, lambda: grouped(a, DayCount, baseline, ("place_id",), placed=True)
    ):
        prior[place_id] = n
    places = place_names(a, list(last))
    candidates = [p for p in last if last[p] > 0 and p in places]
    candidates.sort(
        key=lambda p: (
            not is_deviation(last[p], prior[p] / PREVIOUS_WEEKS),
            -last[p],
            places[p][0],
        )
    )
    chosen = candidates[:5]
    if not chosen:
        return []
    weekday_hours: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    chosen_key = "-".join(map(str, chosen))
    for place_id, weekday, hour, n, _g in remembered(
        a,
        f"place-hours-{chosen_key}",
        span,
        lambda: grouped(a, IncidentCount, span, ("place_id", "weekday", "hour"), place_ids=chosen),
    ):
        weekday_hours[place_id][(weekday, hour)] = n
    names = a.categories()
    kinds: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for place_id in chosen:
        for category_id, n in last_kinds[place_id].items():
            kinds[place_id][names.get(category_id, ("", ""))[0]] += n
    result = []
    for place_id in chosen:
        mean = prior[place_id] / PREVIOUS_WEEKS
        top = sorted(kinds[place_id].items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        result.append(
            FocusPlace(
                name=places[place_id][0],
                area_name=places[place_id][1],
                count=shown(last[place_id], True),
                mean_label=format_number(mean, 1),
                flagged=is_deviation(last[place_id], mean),
                categories=", ".join(name for name, _n in top),
                when=when_label(weekday_hours[place_id]),
            )
        )
    return result
