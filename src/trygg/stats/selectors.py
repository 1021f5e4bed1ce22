"""Reads and analyses of statistics: every figure a page, report or API shows comes from here."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from trygg.core.models import Area
from trygg.stats.choices import SeriesKind
from trygg.stats.models import Observation


def population_for(area: Area, year: int) -> int | None:
    """The population ("folkmängd") of an area in a year, or None when it is not known.

    Population is public official data, so this read is not restricted to a user: the
    state grant (23 kr per inhabitant) and rates per 1 000 need it whoever asks. When
    several organisations have recorded it, the figure of the organisation the area
    belongs to (or that is responsible for it) wins, then the most recently recorded.
    """
    candidates = Observation.objects.filter(
        series__kind=SeriesKind.POPULATION,
        area=area,
        category="",
        period_start__year=year,
        period_end__year=year,
        value__isnull=False,
    )
    preferred = Q(organisation__area=area)
    if area.organisation_id is not None:
        preferred |= Q(organisation_id=area.organisation_id)
    best = (
        candidates.annotate(
            preference=Case(
                When(preferred, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("preference", "-period_end", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return int(best) if best is not None else None
