"""Population per area and year (folkmängd), used for rates and the state grant."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.stats.models import IndicatorSeries, Observation
from trygg.stats.selectors import population_for
from trygg.stats.services import population_set


def test_it_returns_the_population_set_for_an_area_and_year(world):
    nacka = world.organisations["nacka"]
    area = world.areas["Nacka"]
    population_set(
        actor=world.users["samordnare"],
        organisation=nacka,
        area=area,
        year=2024,
        count=110394,
        source="SCB folkmängd 31 dec",
    )
    assert population_for(area, 2024) == 110394
    assert population_for(area, 2023) is None
    series = IndicatorSeries.objects.get(organisation=nacka, kind="population")
    assert series.source == "SCB folkmängd 31 dec"


def test_it_changes_nothing_when_the_same_figure_is_set_again(world):
    args = dict(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        area=world.areas["Nacka"],
        year=2023,
        count=109166,
    )
    population_set(**args)
    entries = AuditEntry.objects.count()
    population_set(**args)
    assert AuditEntry.objects.count() == entries
    assert Observation.objects.count() == 1
    population_set(**{**args, "count": 109167})
    assert population_for(world.areas["Nacka"], 2023) == 109167
    assert Observation.objects.count() == 1


def test_it_prefers_the_figure_of_the_organisation_responsible_for_the_area(world):
    area = world.areas["Nacka"]
    population_set(
        actor=None, organisation=world.organisations["varmdo"], area=area, year=2022, count=1
    )
    population_set(
        actor=None, organisation=world.organisations["nacka"], area=area, year=2022, count=107866
    )
    population_set(
        actor=None, organisation=world.organisations["varmdo"], area=area, year=2022, count=2
    )
    assert population_for(area, 2022) == 107866


def test_it_refuses_a_negative_population_and_other_organisations(world):
    with pytest.raises(ValidationError):
        population_set(
            actor=None,
            organisation=world.organisations["nacka"],
            area=world.areas["Nacka"],
            year=2022,
            count=-1,
        )
    with pytest.raises(PermissionDenied):
        population_set(
            actor=world.users["utomstaende"],
            organisation=world.organisations["nacka"],
            area=world.areas["Nacka"],
            year=2022,
            count=5,
        )
    assert not Observation.objects.exists()
