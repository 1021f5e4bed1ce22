"""The dates a cadence gives, and how many meetings it promises a year."""

import datetime as dt

from trygg.forums.cadence import expected_per_year, series_dates
from trygg.forums.choices import CadenceKind, Weekday


def test_six_per_year_falls_in_every_other_month_on_the_weekday():
    days = series_dates(
        CadenceKind.PER_YEAR, 6, Weekday.WEDNESDAY, dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    )
    assert [d.month for d in days] == [1, 3, 5, 7, 9, 11]
    assert all(d.weekday() == Weekday.WEDNESDAY and 8 <= d.day <= 14 for d in days)


def test_monthly_gives_twelve_and_per_year_is_what_it_promises():
    days = series_dates(CadenceKind.PER_YEAR, 12, None, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert len(days) == 12 and len({d.month for d in days}) == 12
    assert expected_per_year(CadenceKind.PER_YEAR, 6, None, 2023) == 6


def test_weekly_on_mondays_has_52_or_53_in_a_year():
    assert expected_per_year(CadenceKind.WEEKLY, None, Weekday.MONDAY, 2023) == 52
    assert expected_per_year(CadenceKind.WEEKLY, None, Weekday.MONDAY, 2024) == 53
    days = series_dates(
        CadenceKind.WEEKLY, None, Weekday.MONDAY, dt.date(2024, 3, 1), dt.date(2024, 3, 31)
    )
    assert days == [dt.date(2024, 3, d) for d in (4, 11, 18, 25)]


def test_every_sixth_week_keeps_the_rhythm_of_an_earlier_meeting():
    anchor = dt.date(2024, 1, 10)  # a Wednesday
    days = series_dates(
        CadenceKind.EVERY_N_WEEKS,
        6,
        Weekday.WEDNESDAY,
        dt.date(2024, 2, 1),
        dt.date(2024, 6, 30),
        anchor=anchor,
    )
    assert days[0] == dt.date(2024, 2, 21)
    assert all((d - anchor).days % 42 == 0 for d in days)
    assert [b - a for a, b in zip(days, days[1:], strict=False)] == [dt.timedelta(days=42)] * 3


def test_when_needed_has_no_dates_and_no_expectation():
    assert (
        series_dates(CadenceKind.AS_NEEDED, None, None, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        == []
    )
    assert expected_per_year(CadenceKind.AS_NEEDED, None, None, 2024) is None


def test_an_empty_period_gives_no_dates():
    assert (
        series_dates(
            CadenceKind.WEEKLY, None, Weekday.MONDAY, dt.date(2024, 3, 5), dt.date(2024, 3, 1)
        )
        == []
    )


def test_the_first_year_counts_from_the_first_meeting():
    since = dt.date(2024, 10, 7)  # a Monday
    assert expected_per_year(CadenceKind.WEEKLY, None, Weekday.MONDAY, 2024, since=since) == 13
    assert expected_per_year(CadenceKind.WEEKLY, None, Weekday.MONDAY, 2025, since=since) == 52
    assert expected_per_year(CadenceKind.PER_YEAR, 12, None, 2024, since=since) == 3
    assert expected_per_year(CadenceKind.PER_YEAR, 6, None, 2024, since=dt.date(2024, 1, 10)) == 6
