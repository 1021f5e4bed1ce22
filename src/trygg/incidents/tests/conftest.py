"""Fixtures of the incidents tests: Nacka's categories and a few reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trygg.incidents import services


@pytest.fixture
def categories(world):
    services.categories_ensure_defaults(world.organisations["nacka"])
    from trygg.incidents.models import IncidentCategory

    return {
        c.name: c
        for c in IncidentCategory.objects.filter(organisation=world.organisations["nacka"])
    }


def when(days_ago: int = 1, hour: int = 21, minute: int = 37) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def reports(world, categories):
    """Three Nacka reports: one by rapportor at Fisksätra centrum, one in Älta, one in Boo."""
    users = world.users
    nacka = world.organisations["nacka"]
    return {
        "fisksatra": services.report_create(
            actor=users["rapportor"],
            organisation=nacka,
            category=categories["Klotter"],
            occurred_at=when(2, 21, 37),
            place=world.places["Fisksätra centrum"],
            assessment=2,
            description="Nytt klotter på gångtunneln vid busshållplatsen.",
        ),
        "alta": services.report_create(
            actor=users["samordnare"],
            organisation=nacka,
            category=categories["Skadegörelse"],
            occurred_at=when(3, 14, 5),
            place=world.places["Älta centrum"],
            address="Ältavägen 1",
            assessment=1,
            description="Krossad ruta i busskuren.",
        ),
        "boo": services.report_create(
            actor=users["samordnare"],
            organisation=nacka,
            category=categories["Otrygg plats"],
            occurred_at=when(4, 23, 50),
            area=world.areas["Boo"],
            lat=59.3271,
            lon=18.2551,
            address="Gångvägen bakom Orminge centrum",
            assessment=3,
            description="Trasig belysning, mörkt och otryggt.",
        ),
    }
