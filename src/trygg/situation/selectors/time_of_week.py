"""Time of week: reports and police events per local weekday and hour (the heatmap)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils.translation import gettext as _

from trygg.core.models import Area, Organisation
from trygg.situation.models import IncidentCount
from trygg.situation.selectors.analysis import Analysis
from trygg.situation.selectors.counts import (
    Count,
    counts,
    remembered,
    shown,
    source_note,
    summed,
)
from trygg.situation.selectors.periods import LOCAL, SOURCE_POLICE, WEEKDAY_SHORT, Period


@dataclass
class TimeOfWeek:
    organisation: Organisation
    period: Period
    detail: bool
    cells: list[dict[str, Any]]  # weekday 1–7, hour 0–23, reports (Count), police (int)
    total: Count
    police_total: int
    police_included: bool
    generated: int
    kommun: Area | None
    peak: tuple[int, int] | None
    source: str
    police_source: str

    def rows(self) -> list[dict[str, Any]]:
        """One row per weekday with 24 cells, for the table view of the heatmap."""
        by_day: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for cell in self.cells:
            by_day[cell["weekday"]].append(cell)
        return [
            {"weekday": d, "label": WEEKDAY_SHORT[d - 1], "cells": by_day[d]} for d in range(1, 8)
        ]


def time_of_week(
    a: Analysis, *, police: bool = True, police_cells: dict[tuple[int, int], int] | None = None
) -> TimeOfWeek:
    """Reports and police events per local weekday × hour (a heatmap of the week).
    ``police_cells``: the police events per cell of the period, when the caller has read
    them already."""
    user, organisation, period, area = a.user, a.organisation, a.period, a.area
    detail = a.detail

    def compute() -> list[tuple[Any, ...]]:
        if a.category is None:  # whole months per month, the rest per day (see summed)
            return summed(a, period, ("weekday", "hour"), area=area, hourly=True)
        return list(
            counts(a, area=area, model=IncidentCount)
            .values_list("weekday", "hour")
            .annotate(n=Sum("count"), g=Sum("generated"))
        )

    rows = remembered(a, f"time-of-week-{getattr(area, 'pk', '')}", period, compute)
    grid: dict[tuple[int, int], int] = {}
    generated = 0
    for weekday, hour, n, g in rows:
        grid[(weekday, hour)] = n
        generated += g or 0
    kommun = organisation.area
    police_included = police and kommun is not None and (area is None or area.pk == kommun.pk)
    police_grid: dict[tuple[int, int], int] = {}
    if police_included and police_cells is not None:
        police_grid = police_cells
    elif police_included:
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
    peak = max(grid, key=lambda cell: grid[cell]) if grid else None
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
        source=source_note(organisation, period, generated),
        police_source=_("Source: %(source)s, %(kommun)s, period %(period)s.")
        % {"source": SOURCE_POLICE, "kommun": kommun.name if kommun else "–", "period": period},
    )


def peak_label(peak: tuple[int, int] | None) -> str:
    if peak is None:
        return "–"
    weekday, hour = peak
    return f"{WEEKDAY_SHORT[weekday - 1]} {hour:02d}–{(hour + 1) % 24:02d}"


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
    hourly = [hours.get(h, 0) for h in range(24)]
    start = max(
        range(24),
        key=lambda h: (
            hourly[h] + hourly[(h + 1) % 24] + hourly[(h + 2) % 24],
            hourly[(h + 1) % 24],
            -h,
        ),
    )
    if total == 0:
        return "–"
    return f"{day_text} {start:02d}–{(start + 3) % 24:02d}"
