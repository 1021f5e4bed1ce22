"""Swedish reference geography: the 21 län and 290 kommuner with codes and boundaries.

Loaded from the public files in ``TRYGG_REFERENCE_DATA`` (by default ../shared/data beside
the project): reference/sjbrg_counties.csv, reference/sjbrg_municipalities.csv and the
boundaries in geo/.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from trygg.core import services
from trygg.core.choices import AreaKind
from trygg.core.models import Area


def data_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR)


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_geography(directory: Path | None = None) -> dict[str, int]:
    """Create or update län and kommun areas. Running it twice changes nothing."""
    directory = directory or data_dir()
    counties = _read_csv(directory / "reference" / "sjbrg_counties.csv")
    municipalities = _read_csv(directory / "reference" / "sjbrg_municipalities.csv")
    region_shapes = {
        f"{int(f['properties']['l_id']):02d}": f["geometry"]
        for f in json.loads(
            (directory / "geo" / "okfse_swedish_regions.geojson").read_text("utf-8")
        )["features"]
    }
    kommun_shapes = {
        f["properties"]["id"]: f["geometry"]
        for f in json.loads(
            (directory / "geo" / "okfse_swedish_municipalities.geojson").read_text("utf-8")
        )["features"]
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    county_areas: dict[str, Area] = {}
    for row in counties:
        code = row["county_code"].zfill(2)
        county_areas[code] = _upsert(
            AreaKind.LAN, code, row["county_name"], None, region_shapes.get(code), counts
        )
    for row in municipalities:
        code = row["municipality_code"].zfill(4)
        parent = county_areas[row["county_code"].zfill(2)]
        _upsert(
            AreaKind.KOMMUN,
            code,
            row["municipality_name_short"],
            parent,
            kommun_shapes.get(code),
            counts,
        )
    return counts


def _upsert(kind, code, name, parent, geometry, counts) -> Area:
    existing = Area.objects.filter(kind=kind, code=code).first()
    if existing is None:
        counts["created"] += 1
        return services.area_create(
            actor=None,
            organisation=None,
            kind=kind,
            name=name,
            parent=parent,
            code=code,
            geometry=geometry,
        )
    if (existing.name, existing.parent_id, existing.geometry) != (
        name,
        parent.pk if parent else None,
        geometry,
    ):
        counts["updated"] += 1
        return services.area_update(
            actor=None, area=existing, name=name, parent=parent, geometry=geometry
        )
    counts["unchanged"] += 1
    return existing


def kommun(code: str) -> Area:
    return Area.objects.get(kind=AreaKind.KOMMUN, code=code)


# The kommuner whose official name is "… stad" rather than "… kommun" (the reference list
# writes "… kommun" for every kommun). Source: each kommun's own name in its reglemente.
STAD_CODES = frozenset(
    {
        "0180",  # Stockholms stad
        "0183",  # Sundbybergs stad
        "0184",  # Solna stad
        "0186",  # Lidingö stad
        "0187",  # Vaxholms stad
        "1280",  # Malmö stad
        "1282",  # Landskrona stad
        "1283",  # Helsingborgs stad
        "1480",  # Göteborgs stad
        "1481",  # Mölndals stad
        "1488",  # Trollhättans stad
        "1490",  # Borås stad
        "1980",  # Västerås stad
        "2583",  # Haparanda stad
    }
)


def official_kommun_names(directory: Path | None = None) -> dict[str, str]:
    """Kommun code → official name: "Nacka kommun", "Göteborgs stad"."""
    directory = directory or data_dir()
    names = {}
    for row in _read_csv(directory / "reference" / "sjbrg_municipalities.csv"):
        code = row["municipality_code"].zfill(4)
        name = row["municipality_name"].strip() or f"{row['municipality_name_short']} kommun"
        if code in STAD_CODES and name.endswith(" kommun"):
            name = name.removesuffix(" kommun") + " stad"
        names[code] = name
    return names


def official_kommun_name(area: Area) -> str:
    """The official name of a kommun area; "<namn> kommun" where the list lacks it."""
    try:
        names = official_kommun_names()
    except OSError:
        names = {}
    return names.get(area.code) or f"{area.name} kommun"


def kommun_near_matches(text: str, limit: int = 5) -> list[Area]:
    """Kommun areas whose code or name resembles ``text``, best first (for error messages).

    A code is compared digit by digit from the left (1479 → 1470–1473 in the same län), a
    name by similarity or as a part of the name."""
    import difflib

    text = text.strip().lower()
    kommuner = list(Area.objects.filter(kind=AreaKind.KOMMUN).order_by("code"))
    if not text:
        return []

    def score(area: Area) -> tuple[float, float]:
        if text.isdigit():
            prefix = len(os.path.commonprefix([text, area.code]))
            return prefix, difflib.SequenceMatcher(None, text, area.code).ratio()
        name = area.name.lower()
        return (1.0 if text in name else 0.0), difflib.SequenceMatcher(None, text, name).ratio()

    ranked = sorted(kommuner, key=score, reverse=True)
    best = [a for a in ranked if score(a)[0] >= 2 or score(a)[1] >= 0.6]
    return best[:limit]
