"""Periods of the analyses: spans of local days, weeks and quarters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.situation import rollup

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
