"""The demo statistics: real figures from seed 000, SCB and Brå, none invented."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from trygg.core import personas
from trygg.core.models import Organisation
from trygg.stats import demo
from trygg.stats.models import IndicatorSeries, Observation
from trygg.stats.selectors import population_for, trend


@pytest.fixture
def loaded(geography, world):
    out = io.StringIO()
    demo.load(world, out)
    return out.getvalue()


def test_the_demo_loads_nacka_population_and_survey_figures(loaded, world):
    assert "kunde inte" not in loaded
    nacka = world.areas["Nacka"]
    assert [population_for(nacka, y) for y in range(2020, 2025)] == [
        105087,
        106429,
        107866,
        109166,
        110394,
    ]
    dark = IndicatorSeries.objects.get(name="Trygg utomhus i området när det är mörkt")
    values = {o.period_label: (o.value, o.comparison_value) for o in dark.observations.all()}
    assert values == {"2023": (Decimal("83.5"), 75), "2022": (Decimal("81.3"), None)}


def test_the_demo_keeps_seed_percentages_as_percentages_and_no_summed_total(loaded):
    change = IndicatorSeries.objects.get(name="Förändring i polisanmälda brott (procent)")
    assert change.unit == "percent"
    assert change.observations.count() == 15
    assert not change.observations.filter(value__in=[-93, -289, 183]).exists()
    assert change.observations.get(area__name="Nacka", category="Skadegörelse").value == -72
    assert change.observations.get(area__name="Nacka", category="Bedrägerier").value == 46


def test_the_demo_goteborg_figures_are_public_example_data(loaded, world):
    goteborg = Organisation.objects.get(name="Göteborgs stad")
    user = get_user_model().objects.get(username="goteborg")
    assert user.check_password(personas.DEMO_PASSWORD)
    assert user.memberships.get().organisation == goteborg
    series = IndicatorSeries.objects.get(organisation=goteborg)
    assert series.is_public
    result = trend(world.users["samordnare"], series, "2024", "2025", category="Misshandel")
    nordost = next(r for r in result.rows if r.area_name == "Nordost")
    assert (nordost.value_a, nordost.value_b) == (1282, 1259)
    assert nordost.verdict == "ingen säker förändring"
    # Public means readable, not changeable: only Göteborg's own people may change it.
    assert not IndicatorSeries.objects.restrict(world.users["samordnare"], "change").filter(
        pk=series.pk
    )


def test_the_demo_loads_the_example_files(loaded):
    monthly = IndicatorSeries.objects.get(name__startswith="Exempel: anmälda brott per månad")
    assert monthly.observations.count() == 7
    px = IndicatorSeries.objects.get(name__startswith="Exempel: inflyttade")
    assert px.observations.filter(value__isnull=True).count() == 6
    assert Observation.objects.filter(symbol="..", value__isnull=True).exists()


def test_the_seed_table_is_shown_without_the_summed_percentages(loaded, login):
    from django.urls import reverse

    change = IndicatorSeries.objects.get(name="Förändring i polisanmälda brott (procent)")
    html = login("samordnare").get(reverse("stats:series_detail", args=[change.pk])).content
    html = html.decode()
    table = html[html.index('class="data overview"') :]
    table = table[: table.index("</table>")]
    assert "\u221272\u00a0%" in table and "46\u00a0%" in table  # −72 %, 46 %
    assert "Totalt" not in table
    assert "289" not in table and "\u221293" not in table
    assert "Procentsatser summeras aldrig" in html
