"""What the measure page reads of a measure besides the measure itself, kept in the cache.

The measure is read on every view through the viewer's restriction (``views._measure``);
what hangs off it is visible exactly when it is (``_via_measure``) and is read by the
measure: its responsible parties with their organisations' names, its areas and places by
name and its timeline of status updates with their statuses and authors. That reading is
kept under a key of everything it is made of:

- the version of the plans' data (``plans.reading.VERSION_KEY``: measures, statuses,
  responsible parties, a measure's areas and places);
- :data:`VERSION_KEY`, bumped by the saves and deletes of the status updates and of the
  names shown beside them (organisations, areas, places, users);
- the viewer's memberships (``core.choice_cache.grants_key``: the user, the organisations
  and areas they reach), so that no two viewers of another scope share a reading, and the
  measure. The partners are not in it: the measure itself is read through ``restrict()``
  on every view, and what hangs off it is read by the measure alone;
- a digest of the fields read and of the reading's shape.

Nothing of it depends on today's date; the targets (computed from other data) and the
permissions are decided on every view.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache

from trygg.core import versioning
from trygg.core.choice_cache import grants_key
from trygg.core.models import Area, Organisation, Place
from trygg.plans import reading
from trygg.plans.models import Measure, MeasureResponsible, MeasureStatus, StatusUpdate

VERSION_KEY = "trygg:measure-page:version"
CACHE_SECONDS = 6 * 3600
# The shape of a reading: change it with what _read() reads.
SHAPE = 1
#: What the timeline shows of a status update (no more of its author than the name).
TIMELINE_FIELDS = (
    "measure_id",
    "on",
    "created_at",
    "progress",
    "previous_progress",
    "note",
    "status__name",
    "status__category",
    "previous_status__name",
    "previous_status__category",
    "author__username",
    "author__first_name",
    "author__last_name",
)


@dataclass
class MeasureFacts:
    """What the measure page shows of a measure's parties, areas, places and timeline."""

    responsibles: list[tuple[str, int | None, str | None]]  # (display, organisation id, name)
    areas: list[tuple[int, str]]
    places: list[str]
    timeline: list[StatusUpdate]


def connect() -> None:
    """Writes of what the reading shows beside the plans' data bump :data:`VERSION_KEY`
    (called from the app's ready())."""
    versioning.bump_on_change(
        VERSION_KEY, [StatusUpdate, Organisation, Area, Place, get_user_model()]
    )


_FIELDS: list[str] = []


def _fields() -> str:
    if not _FIELDS:
        digest = hashlib.sha256(f"shape {SHAPE};{TIMELINE_FIELDS};".encode())
        for model in (StatusUpdate, MeasureStatus, MeasureResponsible):
            names = ",".join(f.attname for f in model._meta.concrete_fields)
            digest.update(f"{model._meta.label}:{names};".encode())
        _FIELDS.append(digest.hexdigest()[:16])
    return _FIELDS[0]


def measure_facts(user: Any, measure: Measure) -> MeasureFacts:
    """The reading of ``measure`` (read through the user's restriction) for its page; from
    the cache while nothing it is made of has changed (module's doc)."""
    digest = grants_key(user)
    if digest is None:
        return _read(measure)
    key = "trygg:measure-page:" + ":".join(
        str(part)
        for part in (
            _fields(),
            reading.version(),
            versioning.current(VERSION_KEY),
            digest,
            measure.pk,
        )
    )
    found = cache.get(key)
    if found is None:
        found = _read(measure)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _read(measure: Measure) -> MeasureFacts:
    responsibles: list[tuple[str, int | None, str | None]] = [
        (f"{label}/{unit}" if unit else label, organisation_id, organisation)
        for label, unit, organisation_id, organisation in MeasureResponsible._default_manager.filter(
            measure=measure
        )
        .order_by("order", "pk")
        .values_list("label", "unit", "organisation_ref_id", "organisation_ref__name")
    ]
    timeline = list(
        StatusUpdate._default_manager.filter(measure=measure)
        .select_related("status", "previous_status", "author")
        .only(*TIMELINE_FIELDS)
        .order_by("-on", "-created_at", "-pk")
    )
    return MeasureFacts(
        responsibles=responsibles,
        areas=list(measure.areas.values_list("pk", "name")),
        places=list(measure.places.values_list("name", flat=True)),
        timeline=timeline,
    )


def status_choices(user: Any, organisation_id: int) -> list[tuple[int, str]]:
    """The statuses of the organisation as the status form offers them (``StatusChangeForm``:
    its plan's organisation's, in their order), kept under the plans' version, which every
    save of a status bumps, and the viewer's memberships."""
    digest = grants_key(user)
    key = f"trygg:measure-page:statuses:{reading.version()}:{digest}:{organisation_id}"
    found = cache.get(key) if digest else None
    if found is None:
        found = [
            (status.pk, str(status))
            for status in MeasureStatus.objects.filter(organisation_id=organisation_id)
        ]
        if digest:
            cache.set(key, found, CACHE_SECONDS)
    return found


def empty_filters(user: Any, plan: Any, filters: Any) -> str:
    """The fields of the plan page's filter form with nothing chosen (``filters``: the
    page's MeasureFilter, unbound, its focus areas offered), as ``core/_filters.html``
    writes them: kept for the viewer (``choice_cache.remembered``: their scope, which the
    area options follow through ``restrict()``) under :data:`VERSION_KEY` (areas'
    names), the plans' version (the plan's organisation and focus areas), the plan and the
    language."""
    from django.utils.translation import get_language

    from trygg.core.choice_cache import remembered
    from trygg.core.templatetags.trygg import filter_fields
    from trygg.plans import reading

    name = f"plan-filters:{plan.pk}:{reading.version()}:{get_language() or ''}"
    return remembered(VERSION_KEY, user, lambda: str(filter_fields(filters)), name=name)
