"""The lägesbild's statistics block is kept in the cache, and never shows stale or foreign
figures: a new value shows on the next view, and a user who may not see a series never
gets the block of one who may."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.situation import selectors
from trygg.stats import services
from trygg.stats.choices import SeriesKind, Unit

pytestmark = pytest.mark.django_db


def _series(world, *, public: bool = False):
    nacka = world.organisations["nacka"]
    series = services.series_create(
        actor=None,
        organisation=nacka,
        name="Anmälda misshandelsbrott",
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.COUNT,
        is_public=public,
    )
    for year, value in [(2023, 120), (2024, 140)]:
        services.observation_set(
            actor=None,
            series=series,
            area=nacka.area,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            period_label=str(year),
            value=value,
        )
    return series


def _values(user, organisation) -> list[tuple[str, str]]:
    return [
        (row.value_a, row.value_b)
        for block in selectors.statistics(user, organisation)
        for row in block.rows
    ]


def test_a_changed_value_shows_on_the_next_view(world):
    series = _series(world)
    nacka, user = world.organisations["nacka"], world.users["samordnare"]
    assert _values(user, nacka) == [("120", "140")]
    services.observation_set(
        actor=None,
        series=series,
        area=nacka.area,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        period_label="2024",
        value=90,
    )
    assert _values(user, nacka) == [("120", "90")]


def test_a_deleted_series_leaves_the_block(world):
    series = _series(world)
    nacka, user = world.organisations["nacka"], world.users["samordnare"]
    assert _values(user, nacka)
    services.series_delete(actor=None, series=series)
    assert _values(user, nacka) == []


def test_a_user_who_may_not_see_the_series_does_not_get_the_cached_block(world):
    _series(world)
    nacka = world.organisations["nacka"]
    assert _values(world.users["samordnare"], nacka) == [("120", "140")]
    # Värmdö's strategist is no partner of Nacka: the series is not theirs to see.
    assert _values(world.users["utomstaende"], nacka) == []
