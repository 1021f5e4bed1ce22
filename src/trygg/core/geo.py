"""GeoJSON handling without a GIS stack: validation, centres and point-in-polygon.

Boundaries are stored as GeoJSON (WGS84). Kommun boundaries are a few hundred points each,
so plain Python is fast enough for deriving an area from a clicked point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trygg.core.imports import clean_text

POLYGON_TYPES = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class Feature:
    name: str
    geometry: dict
    properties: dict


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    else:
        yield from geometry["coordinates"]


def validate_geometry(geometry: dict) -> None:
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        for polygon in _rings(geometry):
            for ring in polygon:
                if len(ring) < 4:
                    raise ValidationError(_("A boundary ring needs at least four points."))
                for lon, lat, *_rest in ring:
                    if not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
                        raise ValidationError(
                            _("A coordinate is outside WGS84 longitude/latitude.")
                        )
    except (TypeError, ValueError, KeyError, IndexError, OverflowError) as exc:
        raise ValidationError(_("The boundary coordinates are malformed.")) from exc


def centre(geometry: dict) -> tuple[float, float]:
    """The centre of the bounding box of the outer rings, as (lat, lon)."""
    lats, lons = [], []
    for polygon in _rings(geometry):
        for lon, lat, *_rest in polygon[0]:
            lats.append(float(lat))
            lons.append(float(lon))
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _in_ring(lat: float, lon: float, ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict | None, lat: float, lon: float) -> bool:
    """Whether the point lies inside the (multi)polygon, holes excluded."""
    if not geometry or geometry.get("type") not in POLYGON_TYPES:
        return False
    for polygon in _rings(geometry):
        if _in_ring(lat, lon, polygon[0]) and not any(
            _in_ring(lat, lon, hole) for hole in polygon[1:]
        ):
            return True
    return False


def read_feature_collection(data: bytes, *, name_property: str = "name") -> list[Feature]:
    """Read a GeoJSON FeatureCollection of polygons; every problem is reported at once."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            _("The file is not valid GeoJSON: %(error)s") % {"error": exc}
        ) from exc
    except RecursionError as exc:
        raise ValidationError(_("The file is not valid GeoJSON: it is nested too deeply.")) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValidationError(_("The file must be a GeoJSON FeatureCollection."))
    items = document.get("features") or []
    if not isinstance(items, list):
        raise ValidationError(_("The file must be a GeoJSON FeatureCollection."))
    features, problems, seen = [], [], set()
    for number, item in enumerate(items, start=1):
        properties = item.get("properties") if isinstance(item, dict) else None
        if not isinstance(properties, dict):
            properties = {}
        name = clean_text(str(properties.get(name_property) or "")).strip()
        if not name:
            problems.append(
                _("Feature %(n)s has no property “%(p)s”.") % {"n": number, "p": name_property}
            )
            continue
        if name in seen:
            problems.append(
                _("Feature %(n)s: the name “%(name)s” occurs twice.") % {"n": number, "name": name}
            )
            continue
        seen.add(name)
        try:
            validate_geometry(item.get("geometry"))
        except ValidationError as exc:
            problems.append(
                _("Feature %(n)s (%(name)s): %(error)s")
                % {"n": number, "name": name, "error": " ".join(exc.messages)}
            )
            continue
        features.append(Feature(name=name, geometry=item["geometry"], properties=properties))
    if problems:
        raise ValidationError(problems)
    if not features:
        raise ValidationError(_("The file holds no areas."))
    return features
