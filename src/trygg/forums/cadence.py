"""The dates a forum meets on, from its cadence (mötesfrekvens).

Pure functions, used to plan a series of meetings and to say how many meetings a year the
cadence promises ("6 av 6 möten 2023").

- per_year(n): n meetings spread over the year. Up to twelve a year they fall in evenly spaced
  months, on the first chosen weekday from the 8th (the second week avoids the holidays around
  the turn of the month and of the year); more than twelve are spread evenly over the days.
- weekly(weekday, time): every such weekday.
- every_n_weeks(n, weekday, time): every n-th week on the weekday, in phase with an anchor
  (the forum's earlier meeting) so that planning again continues the same rhythm.
- as_needed: no dates.
"""

from __future__ import annotations

import calendar
import datetime as dt

from trygg.forums.choices import CadenceKind

DEFAULT_TIME = dt.time(9, 0)
DEFAULT_WEEKDAY = 1  # Tuesday, for a "n per year" cadence without a weekday


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _per_year(year: int, count: int, weekday: int) -> list[dt.date]:
    if count <= 12:
        months = [1 + (i * 12) // count for i in range(count)]
        return [_on_or_after(dt.date(year, m, 8), weekday) for m in months]
    length = 366 if calendar.isleap(year) else 365
    first = dt.date(year, 1, 1)
    days = []
    for i in range(count):
        day = _on_or_after(first + dt.timedelta(days=(i * length) // count), weekday)
        if day.year == year and day not in days:
            days.append(day)
    return days


def series_dates(
    kind: str,
    count: int | None,
    weekday: int | None,
    start: dt.date,
    until: dt.date,
    *,
    anchor: dt.date | None = None,
) -> list[dt.date]:
    """The meeting days of the cadence from ``start`` to ``until``, both included."""
    if until < start or kind == CadenceKind.AS_NEEDED:
        return []
    if kind == CadenceKind.PER_YEAR:
        weekday = DEFAULT_WEEKDAY if weekday is None else weekday
        days = []
        for year in range(start.year, until.year + 1):
            days.extend(d for d in _per_year(year, count or 1, weekday) if start <= d <= until)
        return days
    if weekday is None:
        return []
    step = 7 if kind == CadenceKind.WEEKLY else 7 * (count or 1)
    first = _on_or_after(start, weekday)
    if kind == CadenceKind.EVERY_N_WEEKS and anchor is not None and anchor.weekday() == weekday:
        # Continue the anchor's rhythm: the first date on or after start that is a whole
        # number of steps from it.
        offset = (first - anchor).days % step
        if offset:
            first += dt.timedelta(days=step - offset)
    days = []
    day = first
    while day <= until:
        days.append(day)
        day += dt.timedelta(days=step)
    return days


def expected_per_year(
    kind: str,
    count: int | None,
    weekday: int | None,
    year: int,
    *,
    anchor: dt.date | None = None,
    since: dt.date | None = None,
) -> int | None:
    """How many meetings the cadence promises in the year; None when it meets when needed.

    ``since`` (the forum's first meeting) makes the first year count from that day: a forum
    that started in October did not promise the meetings of January.
    """
    if kind == CadenceKind.AS_NEEDED:
        return None
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    if since is not None and since.year == year:
        start = since
    if kind == CadenceKind.PER_YEAR:
        # A first meeting in the year's first two weeks is where this cadence puts the
        # first date anyway: the whole year counts. Later, the share of the year left.
        if start.month == 1 and start.day <= 14:
            return count or 0
        share = ((end - start).days + 1) / ((end - dt.date(year, 1, 1)).days + 1)
        return max(1, round((count or 0) * share))
    return len(series_dates(kind, count, weekday, start, end, anchor=anchor or since))
