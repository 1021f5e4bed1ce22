"""The plan page's reading of a plan, kept in the cache (ADR 0019).

What the plan page reads of a plan for one viewer – the measures they may see with their
status, responsible parties and targets, the plan's focus areas and activities, and the
fulfilment of the targets whose outcomes are typed – is kept in the cache under a key of
everything it is made of:

- what the viewer's restriction lets through (``situation.selectors.problems.restriction``:
  the organisations and area limits of their viewing memberships and their organisations'
  current partners, read on every request). A measure's rule (``Measure.access_q`` for a
  view) follows these alone and the data below;
- the version of the plans' data (:data:`VERSION_KEY`), bumped by every save and delete of
  a plan, focus area, activity, measure, measure status, responsible party, target and
  outcome, and by the changes of a measure's areas and places, of a plan's partners and
  of a target's forums (which plans.targets keeps their meetings under);
- the plan and a digest of the models' fields.

Only the plan's unfiltered reading is kept: a filter's search reaches names the version
does not follow (the responsible organisations', the areas'), so a filtered page is read
from the database. What is computed from other data – the targets counted from meetings,
indicator series or incident reports – is decided on every view (``plans.targets``); the
targets that need their series, area or category are read again then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from trygg.core import versioning
from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.plans.choices import Fulfilment, TargetSource
from trygg.plans.models import (
    Activity,
    FocusArea,
    Measure,
    MeasureResponsible,
    MeasureStatus,
    Outcome,
    Plan,
    ResponsibleName,
    Target,
)

if TYPE_CHECKING:
    from trygg.plans.filters import MeasureFilter

VERSION_KEY = "trygg:plan-page:version"
CACHE_SECONDS = 6 * 3600
# Targets whose outcome is computed from rows that hang off the target (plans.targets).
RELATED_SOURCES = (TargetSource.INDICATOR, TargetSource.REPORTS)
# The shape of a reading: change it with what _read() puts on the objects kept.
SHAPE = 3


@dataclass
class PlanReading:
    """What the plan page reads of one plan for one restriction (see the module's doc)."""

    measures: list[Measure]  # with status, ``area_ids``, ``responsible_list``, ``target_list``
    focus_areas: list[FocusArea]
    activities: list[Activity]
    states: dict[int, str]  # the typed targets' fulfilment, by target id
    responsible_organisations: set[int] | None  # of every measure of the plan, seen or not
    key: str | None = None  # the cache key it is kept under (None: filtered, not kept)


def version() -> int:
    return versioning.current(VERSION_KEY)


def changed(**_kwargs: Any) -> None:
    """Bump the plans' version now and at the commit (for writes that send no signal)."""
    versioning.bump(VERSION_KEY)


def connect() -> None:
    """Writes of what the plan page reads bump the version (called from the app's ready())."""
    versioning.bump_on_change(
        VERSION_KEY,
        [
            Plan,
            FocusArea,
            Activity,
            Measure,
            MeasureStatus,
            MeasureResponsible,
            Target,
            Target.forums.through,
            Outcome,
            Measure.areas.through,
            Measure.places.through,
            Plan.partner_organisations.through,
        ],
    )


_FIELDS: list[str] = []


def _fields() -> str:
    """A digest of the fields of the models kept and of the reading's shape: a changed model
    or reading never meets what was kept before the change."""
    if not _FIELDS:
        digest = hashlib.sha256(f"shape {SHAPE};".encode())
        for model in (Measure, MeasureStatus, Target, FocusArea, Activity):
            names = ",".join(f.attname for f in model._meta.concrete_fields)
            digest.update(f"{model._meta.label}:{names};".encode())
        _FIELDS.append(digest.hexdigest()[:16])
    return _FIELDS[0]


def unfiltered(filters: MeasureFilter | None) -> bool:
    """Whether the filters leave every measure in (none given, all empty)."""
    return filters is None or (filters.is_valid() and not filters.active)


def read_plan(user: Viewer, plan: Plan, filters: MeasureFilter | None = None) -> PlanReading:
    """The plan as the user may see it (``plan`` read through the user's restriction),
    narrowed by ``filters``; the unfiltered reading is kept in the cache (module's doc).

    The reading's objects are the caller's own (each call gets new ones), and the targets
    computed from related rows come with those rows' objects."""
    from trygg.situation.selectors.problems import restriction

    if not unfiltered(filters):
        reading = _read(user, plan, filters)
    else:
        key = "trygg:plan-page:" + ":".join(
            str(part) for part in (_fields(), version(), restriction(user), plan.pk)
        )
        reading = cache.get(key)
        if reading is None:
            reading = _read(user, plan, None)
            reading.key = key
            cache.set(key, reading, CACHE_SECONDS)
    _with_related_targets(reading.measures)
    return reading


def _with_related_targets(measures: list[Measure]) -> None:
    """Give the targets computed from an indicator series or from incident reports what
    they are computed from (their series, area, category and organisation's area), read now."""
    from trygg.plans.selectors import TARGETS

    related = [t.pk for m in measures for t in m.target_list if t.source in RELATED_SOURCES]
    if not related:
        return
    full = {t.pk: t for t in TARGETS.filter(pk__in=related)}
    for measure in measures:
        targets = [full.get(t.pk, t) for t in measure.target_list]
        for target in targets:
            target.measure = measure  # what a computed target's periods are read from
        measure.target_list = targets


def _read(user: Viewer, plan: Plan, filters: MeasureFilter | None) -> PlanReading:
    """The reading from the database: the measures with their statuses, their areas' ids,
    their responsible parties (names, as values) and targets as plain lists, the typed targets' fulfilment from
    their latest outcome, the plan's focus areas and activities.

    The lists are read per plan and handed out by measure id, rather than by
    ``prefetch_related``: these are the same rows, but a prefetch builds a related manager
    and a queryset per measure and relation, which cost more than the rows on a plan of
    fifty measures. Rows of measures the user may not see are read with the plan's and
    dropped here (what hangs off a measure is visible exactly when the measure is)."""
    measures_qs = (
        Measure.objects.restrict(user, VIEW)
        .filter(plan=plan)
        .select_related("status")
        .order_by("order", "pk")
    )
    if filters is not None:
        measures_qs = filters.filter_queryset(measures_qs)
    measures = list(measures_qs)
    areas: dict[int, list[int]] = {m.pk: [] for m in measures}
    if measures:
        for measure_id, area_id in Measure.areas.through._default_manager.filter(
            measure__plan=plan
        ).values_list("measure_id", "area_id"):
            if measure_id in areas:
                areas[measure_id].append(area_id)
    for measure in measures:
        measure.area_ids = areas[measure.pk]
    states: dict[int, str] = {}
    responsible_organisations = _attach_lists(plan, measures, states)
    # A plan's focus areas and activities are its organisation's (the services write them
    # so) and are seen by whoever sees the plan: FocusArea.access_q and Activity.access_q
    # for a view are Plan.access_q on the same organisation. ``plan`` was read through the
    # user's restriction, so its own parts are read without building that rule again.
    focus_areas = list(
        FocusArea._default_manager.filter(plan=plan, organisation_id=plan.organisation_id).order_by(
            "order", "pk"
        )
    )
    activities = list(
        Activity._default_manager.filter(plan=plan, organisation_id=plan.organisation_id).order_by(
            "order", "pk"
        )
    )
    return PlanReading(measures, focus_areas, activities, states, responsible_organisations)


def _attach_lists(plan: Plan, measures: list[Measure], states: dict[int, str]) -> set[int] | None:
    """Give each measure ``responsible_list`` and ``target_list``; decide the typed
    targets' fulfilment into ``states`` from their latest outcome (read as values).

    Returns the organisations responsible for any measure of the plan, seen or not (None
    when nothing was read)."""
    if not measures:
        return None
    by_id = {m.pk: m for m in measures}
    responsibles: dict[int, list[ResponsibleName]] = {pk: [] for pk in by_id}
    for measure in measures:
        measure.target_list = []
    rows = (
        MeasureResponsible._default_manager.filter(measure__plan=plan)
        .order_by("measure_id", "order", "pk")
        .values_list("measure_id", "label", "unit", "organisation_ref_id")
    )
    responsible_organisations: set[int] = set()
    for measure_id, label, unit, organisation_id in rows:
        if organisation_id is not None:
            responsible_organisations.add(organisation_id)
        if measure_id in responsibles:
            responsibles[measure_id].append(ResponsibleName(label, unit, organisation_id))
    for measure in measures:
        measure.responsible_list = responsibles[measure.pk]
    targets = [
        t
        for t in Target._default_manager.filter(measure__plan=plan).order_by(
            "measure_id", "order", "pk"
        )
        if t.measure_id in by_id
    ]
    typed = {t.pk: t for t in targets if not t.is_computed}
    latest: dict[int, tuple[Any, Any]] = {}
    if typed:
        for target_id, period_start, actual in (
            Outcome._default_manager.filter(target_id__in=list(typed))
            .order_by()
            .values_list("target_id", "period_start", "actual")
        ):
            if target_id not in latest or period_start > latest[target_id][0]:
                latest[target_id] = (period_start, actual)
    for pk, target in typed.items():
        if pk not in latest:
            states[pk] = Fulfilment.NO_OUTCOME
        else:
            met = target.is_met_by(latest[pk][1])
            states[pk] = Fulfilment.MET if met else Fulfilment.NOT_MET
    for target in targets:
        owner = by_id[target.measure_id]
        target.measure = owner  # what a computed target's periods are read from
        owner.target_list.append(target)
    return responsible_organisations
