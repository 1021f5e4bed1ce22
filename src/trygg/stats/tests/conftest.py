"""Fixtures for the stats tests: reference areas and the real data files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from trygg.core import services
from trygg.core.choices import AreaKind
from trygg.core.models import Area

DATA = Path(settings.REFERENCE_DATA_DIR)
GOTEBORG_CSV = DATA / "bra" / "bra_goteborg_stadsomraden_2023_2025.csv"
MONTHLY_CSV = DATA / "bra" / "lulea_boden_monthly_2026-08_excerpt.csv"
PX_SYMBOLS = DATA / "px" / "BE0101F1datasymbols.px"


def reference_area(kind: str, code: str, name: str, parent: Area | None = None) -> Area:
    area = Area.objects.filter(kind=kind, code=code).first()
    if area is None:
        area = services.area_create(
            actor=None, organisation=None, kind=kind, code=code, name=name, parent=parent
        )
    return area


@pytest.fixture
def geography(world):
    """The reference areas the data files name (a small part of the 21 län / 290 kommuner)."""
    stockholm = reference_area(AreaKind.LAN, "01", "Stockholms län")
    vg = reference_area(AreaKind.LAN, "14", "Västra Götalands län")
    norrbotten = reference_area(AreaKind.LAN, "25", "Norrbottens län")
    nacka = world.areas["Nacka"]
    if nacka.parent_id is None:
        services.area_update(actor=None, area=nacka, parent=stockholm)
    return {
        "stockholm": stockholm,
        "goteborg": reference_area(AreaKind.KOMMUN, "1480", "Göteborg", vg),
        "lulea": reference_area(AreaKind.KOMMUN, "2580", "Luleå", norrbotten),
        "boden": reference_area(AreaKind.KOMMUN, "2582", "Boden", norrbotten),
        "upplands_vasby": reference_area(AreaKind.KOMMUN, "0114", "Upplands Väsby", stockholm),
        "vallentuna": reference_area(AreaKind.KOMMUN, "0115", "Vallentuna", stockholm),
        "nacka": nacka,
    }
