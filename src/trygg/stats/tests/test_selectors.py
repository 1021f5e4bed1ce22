"""Analyses: trend with rate-ratio interval, totals from counts, comparison with areas above."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trygg.core.models import Area
from trygg.stats import importers, services
from trygg.stats.analysis import VERDICT_DECREASE, VERDICT_NO_CHANGE
from trygg.stats.choices import ImportKind, SeriesKind, Unit
from trygg.stats.models import IndicatorSeries
from trygg.stats.selectors import comparison, share_by_area, trend
from trygg.stats.tests.conftest import GOTEBORG_CSV


@pytest.fixture
def goteborg(geography, world):
    actor = world.users["samordnare"]
    content = GOTEBORG_CSV.read_bytes()
    batch = services.import_batch_create(
        actor=actor,
        organisation=world.organisations["nacka"],
        kind=ImportKind.BRA_YEARLY,
        filename="goteborg.csv",
        content=content,
    )
    importers.run(actor=actor, batch=batch, content=content, options={})
    return IndicatorSeries.objects.get()


def test_nordost_assaults_2025_against_2024_show_no_certain_change(goteborg, world):
    result = trend(world.users["samordnare"], goteborg, "2024", "2025", category="Misshandel")
    nordost = next(r for r in result.rows if r.area_name == "Nordost")
    assert (nordost.value_a, nordost.value_b) == (1282, 1259)
    assert nordost.verdict == VERDICT_NO_CHANGE
    assert nordost.ci_low < 1 < nordost.ci_high
    assert nordost.change == pytest.approx(-1.794, abs=0.001)
    assert nordost.rate_a is None  # no population known


def test_vehicle_thefts_in_goteborg_show_a_decrease(goteborg, world):
    result = trend(world.users["samordnare"], goteborg, "2023", "2025", category="Stöld ur fordon")
    kommun = next(r for r in result.rows if r.area_name == "Göteborg")
    assert (kommun.value_a, kommun.value_b) == (4422, 2382)
    assert kommun.verdict == VERDICT_DECREASE
    assert kommun.ci_high < 1
    assert result.rows[0].area_name == "Göteborg"  # the kommun before its parts


def test_it_uses_the_population_for_rates_per_1000(goteborg, world, geography):
    for year, count in [(2024, 600000), (2025, 610000)]:
        services.population_set(
            actor=None,
            organisation=world.organisations["nacka"],
            area=geography["goteborg"],
            year=year,
            count=count,
        )
    result = trend(world.users["samordnare"], goteborg, "2024", "2025", category="Misshandel")
    kommun = next(r for r in result.rows if r.area_name == "Göteborg")
    assert kommun.rate_a == pytest.approx(5503 / 600000 * 1000)
    assert kommun.rate_b == pytest.approx(5670 / 610000 * 1000)


def test_the_total_of_the_parts_adds_counts_and_recomputes_the_share(goteborg, world, geography):
    table = share_by_area(
        world.users["samordnare"], goteborg, geography["goteborg"], "2025", "Misshandel"
    )
    parts = [r for r in table.rows if not r.is_total and not r.is_whole]
    total = next(r for r in table.rows if r.is_total)
    whole = next(r for r in table.rows if r.is_whole)
    assert [r.label for r in parts] == ["Centrum", "Hisingen", "Nordost", "Sydväst"]
    assert total.count == sum(r.count for r in parts)
    assert total.share_pct == 100.0
    assert sum(r.share_pct for r in parts) == pytest.approx(100.0)
    assert whole.count == 5670


def test_it_never_adds_up_percentages_for_a_total(world):
    nacka = world.organisations["nacka"]
    series = services.series_create(
        actor=None,
        organisation=nacka,
        name="Förändring",
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.PERCENT,
    )
    for name, value in [("Boo", -26), ("Älta", -22)]:
        services.observation_set(
            actor=None,
            series=series,
            area=world.areas[name],
            period_start=__import__("datetime").date(2020, 1, 1),
            period_end=__import__("datetime").date(2023, 12, 31),
            period_label="2020–2023",
            value=value,
        )
    assert (
        share_by_area(world.users["samordnare"], series, world.areas["Nacka"], "2020–2023") is None
    )


def test_a_survey_is_compared_with_the_national_value(world):
    obs = services.survey_value_set(
        actor=None,
        organisation=world.organisations["nacka"],
        indicator="Trygg utomhus när det är mörkt",
        area=world.areas["Nacka"],
        year=2023,
        value=Decimal("83.5"),
        comparison_value=75,
    )
    rows = comparison(world.users["samordnare"], obs.series, world.areas["Nacka"], "2023")
    assert [(r.label, r.value) for r in rows] == [
        ("Nacka", Decimal("83.5")),
        ("Riket (jämförelsevärde)", 75),
    ]


def test_a_kommundel_is_compared_with_its_kommun_and_the_nation(geography, world):
    series = services.series_create(
        actor=None,
        organisation=world.organisations["nacka"],
        name="Anmälda brott",
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.COUNT,
    )
    import datetime as dt

    nation = Area.objects.create(kind="omrade", code="00", name="Riket")
    for area, value in [
        (world.areas["Älta"], 900),
        (world.areas["Nacka"], 9000),
        (nation, 1400000),
    ]:
        services.observation_set(
            actor=None,
            series=series,
            area=area,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            period_label="2024",
            value=value,
        )
    services.population_set(
        actor=None,
        organisation=world.organisations["nacka"],
        area=world.areas["Nacka"],
        year=2024,
        count=110394,
    )
    rows = comparison(world.users["samordnare"], series, world.areas["Älta"], "2024")
    assert [r.label for r in rows] == ["Älta", "Nacka", "Riket"]
    assert rows[1].rate == pytest.approx(9000 / 110394 * 1000)
    assert comparison(world.users["utomstaende"], series, world.areas["Älta"], "2024") == []


def test_a_survey_with_its_own_national_value_shows_the_nation_once(world):
    """The survey's comparison value stands in for the nation only where the nation has no
    value of its own in the series."""
    nation = Area.objects.create(kind="omrade", code="00", name="Riket")
    obs = services.survey_value_set(
        actor=None,
        organisation=world.organisations["nacka"],
        indicator="Trygg utomhus när det är mörkt",
        area=world.areas["Nacka"],
        year=2023,
        value=Decimal("83.5"),
        comparison_value=75,
    )
    services.survey_value_set(
        actor=None,
        organisation=world.organisations["nacka"],
        indicator="Trygg utomhus när det är mörkt",
        area=nation,
        year=2023,
        value=Decimal("74.0"),
    )
    rows = comparison(world.users["samordnare"], obs.series, world.areas["Nacka"], "2023")
    assert [(r.label, r.value) for r in rows] == [
        ("Nacka", Decimal("83.5")),
        ("Riket", Decimal("74.0")),
    ]
