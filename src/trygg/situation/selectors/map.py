"""The map of the lägesbild: areas shaded by rate or count, and report points for viewers
with detail access."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.formatting import format_number
from trygg.situation.selectors.analysis import Analysis
from trygg.situation.selectors.places import AreaRow, area_counts


def map_data(
    a: Analysis, *, rows: list[AreaRow] | None = None, point_limit: int = 500
) -> dict[str, Any]:
    """GeoJSON for the map: the areas shaded by rate (or count where no population is
    known), and report points for viewers with detail access (the newest ``point_limit``).

    An area without a boundary is drawn as a circle at its centre (or at the middle of its
    places), so kommundelar still show before their boundaries are imported.
    """
    from trygg.core.models import Place

    user, organisation, period, category = a.user, a.organisation, a.period, a.category
    detail = a.detail
    rows = rows if rows is not None else area_counts(a)
    use_rate = any(r.rate is not None for r in rows)
    values = [
        float(v)
        for v in ((r.rate if use_rate else r.count.value) for r in rows if r.area is not None)
        if v is not None
    ]
    breaks = _breaks(values)
    centres: dict[int, tuple[float, float]] = {}
    if any(r.area is not None and not r.area.geometry for r in rows):
        points: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for area_id, lat, lon in Place.objects.filter(
            organisation=organisation, lat__isnull=False
        ).values_list("area_id", "lat", "lon"):
            if lat is not None and lon is not None:  # a place has both or neither
                points[area_id].append((lat, lon))
        for area_id, coords in points.items():
            centres[area_id] = (
                sum(c[0] for c in coords) / len(coords),
                sum(c[1] for c in coords) / len(coords),
            )
    features: list[dict[str, Any]] = []
    kommun = organisation.area
    if kommun is not None and kommun.geometry:
        features.append(
            {
                "type": "Feature",
                "geometry": kommun.geometry,
                "properties": {"role": "outline", "name": kommun.name},
            }
        )
    for row in rows:
        area = row.area
        if area is None:
            continue
        value = row.rate if use_rate else row.count.value
        properties: dict[str, Any] = {
            "role": "area",
            "name": row.name,
            "count": row.count.label,
            "rate": row.rate_label,
            "class": _class_of(value, breaks),
        }
        if area.geometry:
            geometry = area.geometry
        elif area.centre_lat is not None:
            geometry = {"type": "Point", "coordinates": [area.centre_lon, area.centre_lat]}
        elif area.pk in centres:
            lat, lon = centres[area.pk]
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        else:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    report_points: list[dict[str, Any]] = []
    if detail:
        from trygg.incidents.selectors import reports_visible

        start, end = period.bounds()
        visible = reports_visible(user).filter(
            organisation=organisation,
            occurred_at__gte=start,
            occurred_at__lt=end,
            detail=True,
            lat__isnull=False,
        )
        if category is not None:
            visible = visible.filter(category=category)
        for lat, lon, name, at in visible.order_by("-occurred_at").values_list(
            "shown_lat", "shown_lon", "category__name", "shown_occurred_at"
        )[:point_limit]:
            if lat is None:
                continue
            report_points.append(
                {
                    "lat": lat,
                    "lon": lon,
                    "label": f"{name}, {timezone.localtime(at):%Y-%m-%d %H:%M}",
                }
            )
    legend = [
        {
            "class": index,
            "label": _legend_label(breaks, index, use_rate),
        }
        for index in range(len(breaks) + 1)
    ]
    centre: list[float] | None = None
    if kommun is not None and kommun.centre_lat is not None and kommun.centre_lon is not None:
        centre = [kommun.centre_lat, kommun.centre_lon]
    elif centres:
        centre = [
            sum(c[0] for c in centres.values()) / len(centres),
            sum(c[1] for c in centres.values()) / len(centres),
        ]
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "points": report_points,
        "point_limit": point_limit,
        "legend": legend,
        "measure": _("Reports per 1 000 inhabitants") if use_rate else _("Reports"),
        "detail": detail,
        "centre": centre,
        "tiles": settings.MAP_TILE_URL or None,
        "labels": {
            "points": _("Reports (newest %(n)s)") % {"n": point_limit},
            "noPoints": _("Points are shown only to those with detail access."),
        },
    }


def _breaks(values: list[float]) -> list[float]:
    """Up to four class limits at the quartiles of the values (five shades)."""
    values = sorted(set(values))
    if len(values) <= 1:
        return []
    limits = []
    for q in (0.25, 0.5, 0.75):
        v = values[min(len(values) - 1, int(q * len(values)))]
        if v not in limits and v > values[0]:
            limits.append(v)
    return limits


def _class_of(value: float | None, breaks: list[float]) -> int | None:
    if value is None:
        return None
    index = 0
    for limit in breaks:
        if value >= limit:
            index += 1
    return index


def _legend_label(breaks: list[float], index: int, use_rate: bool) -> str:
    decimals = 1 if use_rate else 0
    if not breaks:
        return _("all areas")
    if index == 0:
        return _("under %(v)s") % {"v": format_number(breaks[0], decimals)}
    if index == len(breaks):
        return _("%(v)s or more") % {"v": format_number(breaks[-1], decimals)}
    return f"{format_number(breaks[index - 1], decimals)}–{format_number(breaks[index], decimals)}"
