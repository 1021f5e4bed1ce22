"""Reads for plans: the plan page's structure, roll-ups and target fulfilment.

Roll-ups are computed over the measures the user may see, so an area-limited member's
figures cover their areas only (aggregates are restricted like every other read).

How the figures are defined:

- A measure counts in the category of its status (ej påbörjad, pågående, slutförd, inställd).
- An activity's status is derived from its measures, ignoring cancelled ones: *slutförd*
  when all are done, *pågående* when any is ongoing or done, *ej påbörjad* when none is
  started, *inställd* when every measure is cancelled. An activity without (visible)
  measures has no status and is not counted.
- Progress is a measure's own progress or its status's default; cancelled measures do not
  count. ``progress`` is the plain mean over measures. ``progress_weighted`` weighs every
  activity the same (the mean of the activities' means), so an activity split into several
  table rows – SSPF has two – does not weigh more than one written as a single row.
- A target is *met* when its latest outcome satisfies it, *not met* when it does not, and
  has *no outcome* until one is recorded.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from math import fsum
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygg.core.access import CHANGE, VIEW, may, scope_for
from trygg.core.actors import Viewer
from trygg.core.models import Area
from trygg.plans.choices import Fulfilment, StatusCategory
from trygg.plans.models import (
    STATUS,
    Activity,
    FocusArea,
    Measure,
    MeasureResponsible,
    MeasureStatus,
    Plan,
    ResponsibleName,
    StatusUpdate,
    Target,
)
from trygg.plans.parsing import (
    KIND_KOMMUN,
    KIND_OTHER,
    KIND_POLIS,
    ActivityData,
    FocusAreaData,
    MeasureData,
    PlanDocument,
    Responsible,
)

#: How long the plan page's roll-ups are kept (:func:`_kept_rollups`), as its reading.
ROLLUP_SECONDS = 6 * 3600

CATEGORIES = [
    StatusCategory.NOT_STARTED,
    StatusCategory.ONGOING,
    StatusCategory.DONE,
    StatusCategory.CANCELLED,
]

if TYPE_CHECKING:
    from trygg.plans.filters import MeasureFilter
    from trygg.plans.reading import PlanReading
    from trygg.plans.targets import TargetResult


def fulfilment(target: Target, user: Viewer | None = None) -> str:
    """met / not_met / no_outcome from the latest outcome (outcomes must be prefetched).

    A computed target (plans.targets) is decided by its latest complete period, counted
    over what ``user`` may see (everything when None: system work).
    """
    if target.is_computed:
        from trygg.plans.targets import target_result

        return target_result(user=user, target=target, reuse=True).fulfilment
    outcomes = sorted(target.outcomes.all(), key=lambda o: o.period_start)
    if not outcomes:
        return Fulfilment.NO_OUTCOME
    return Fulfilment.MET if target.is_met_by(outcomes[-1].actual) else Fulfilment.NOT_MET


def activity_category(measures: list[Measure]) -> str | None:
    """The derived status category of an activity (see the module docstring)."""
    if not measures:
        return None
    categories = [m.status.category for m in measures]
    active = [c for c in categories if c != StatusCategory.CANCELLED]
    if not active:
        return StatusCategory.CANCELLED
    if all(c == StatusCategory.DONE for c in active):
        return StatusCategory.DONE
    if any(c in (StatusCategory.ONGOING, StatusCategory.DONE) for c in active):
        return StatusCategory.ONGOING
    return StatusCategory.NOT_STARTED


@dataclass
class Rollup:
    """Counts and progress for a set of measures (a plan, a focus area or an activity)."""

    measures: int = 0
    measure_counts: dict[str, int] = field(default_factory=dict)
    activities: int = 0
    activity_counts: dict[str, int] = field(default_factory=dict)
    progress: float | None = None
    progress_weighted: float | None = None
    targets: int = 0
    targets_met: int = 0
    targets_not_met: int = 0
    targets_no_outcome: int = 0

    @property
    def activity_summary(self) -> str:
        """ "27 aktiviteter: 16 slutförda, 11 pågående, 0 ej påbörjade" """
        return _summary(
            ngettext("%(n)d activity", "%(n)d activities", self.activities)
            % {"n": self.activities},
            self.activity_counts,
        )

    @property
    def measure_summary(self) -> str:
        return _summary(
            ngettext("%(n)d measure", "%(n)d measures", self.measures) % {"n": self.measures},
            self.measure_counts,
        )

    @property
    def activity_parts(self) -> list[tuple[str, str]]:
        return category_parts(self.activity_counts)

    @property
    def measure_parts(self) -> list[tuple[str, str]]:
        return category_parts(self.measure_counts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measures": self.measures,
            "measure_counts": self.measure_counts,
            "activities": self.activities,
            "activity_counts": self.activity_counts,
            "progress": self.progress,
            "progress_weighted": self.progress_weighted,
            "targets": self.targets,
            "targets_met": self.targets_met,
            "targets_not_met": self.targets_not_met,
            "targets_no_outcome": self.targets_no_outcome,
            "activity_summary": self.activity_summary,
            "measure_summary": self.measure_summary,
        }


def category_parts(counts: dict[str, int]) -> list[tuple[str, str]]:
    """``(category, "16 slutförda")`` for done, ongoing and not started, and cancelled if any."""
    words: dict[StatusCategory, Callable[[int], str]] = {
        StatusCategory.DONE: lambda n: ngettext("%(n)d completed", "%(n)d completed", n),
        StatusCategory.ONGOING: lambda n: ngettext("%(n)d ongoing", "%(n)d ongoing", n),
        StatusCategory.NOT_STARTED: lambda n: ngettext("%(n)d not started", "%(n)d not started", n),
        StatusCategory.CANCELLED: lambda n: ngettext("%(n)d cancelled", "%(n)d cancelled", n),
    }
    parts = []
    for category, word in words.items():
        n = counts.get(category, 0)
        if n or category != StatusCategory.CANCELLED:
            parts.append((category.value, word(n) % {"n": n}))
    return parts


def _summary(head: str, counts: dict[str, int]) -> str:
    parts = ", ".join(text for _category, text in category_parts(counts))
    return _("%(head)s: %(parts)s") % {"head": head, "parts": parts}


def rollup_of(
    activity_measures: dict[object, list[Measure]],
    user: Viewer | None = None,
    states: dict[int, str] | None = None,
) -> Rollup:
    """Roll up measures grouped by activity (key None or the measure for those without).

    ``states`` holds the fulfilment of targets already decided (by target id): the plan page
    rolls the same measures up per activity, focus area and plan, and decides each once.
    """
    rollup = Rollup(
        measure_counts={c.value: 0 for c in CATEGORIES},
        activity_counts={c.value: 0 for c in CATEGORIES},
    )
    progresses: list[int] = []
    activity_means: list[float] = []
    for measures in activity_measures.values():
        category = activity_category(measures)
        if category is not None:
            rollup.activities += 1
            rollup.activity_counts[category] += 1
        own = []
        for measure in measures:
            rollup.measures += 1
            rollup.measure_counts[measure.status.category] += 1
            value = measure.effective_progress
            if value is not None:
                own.append(value)
            targets = getattr(measure, "target_list", None)  # plan_view's plain list
            for target in measure.targets.all() if targets is None else targets:
                rollup.targets += 1
                if states is None:
                    state = fulfilment(target, user)
                elif target.pk in states:
                    state = states[target.pk]
                else:
                    state = states[target.pk] = fulfilment(target, user)
                if state == Fulfilment.MET:
                    rollup.targets_met += 1
                elif state == Fulfilment.NOT_MET:
                    rollup.targets_not_met += 1
                else:
                    rollup.targets_no_outcome += 1
        progresses += own
        if own:
            activity_means.append(sum(own) / len(own))  # as statistics.mean, far cheaper
    rollup.progress = round(sum(progresses) / len(progresses), 1) if progresses else None
    rollup.progress_weighted = (
        round(fsum(activity_means) / len(activity_means), 1) if activity_means else None
    )
    return rollup


def _group(measures: list[Measure]) -> dict[object, list[Measure]]:
    groups: dict[object, list[Measure]] = {}
    for measure in measures:
        key = measure.activity_id if measure.activity_id else f"m{measure.pk}"
        groups.setdefault(key, []).append(measure)
    return groups


# What a target's outcome is computed from (plans.targets), fetched with the target.
# Without the areas' boundaries: a target reads an area's id and name, never its GeoJSON.
TARGETS: QuerySet[Target] = (
    Target.objects.select_related("series", "area", "report_category", "organisation__area")
    .defer("area__geometry", "organisation__area__geometry")
    .prefetch_related("outcomes")
)


def measures_queryset(user: Viewer, action: str = VIEW) -> QuerySet[Measure]:
    """Measures with everything the plan page shows, in as few queries as possible."""
    return (
        Measure.objects.restrict(user, action)
        .select_related("status", "activity", "plan")
        .prefetch_related(
            Prefetch(
                "responsibles",
                queryset=MeasureResponsible.objects.select_related("organisation_ref"),
            ),
            "places",
            Prefetch("targets", queryset=TARGETS),
        )
        .prefetch_related(Prefetch("areas", queryset=Area.objects.defer("geometry")))
        .order_by("order", "pk")
    )


def plan_rollup(plan: Plan, *, user: Viewer | None = None) -> Rollup:
    """The roll-up of a whole plan over the measures the user may see (all when user is None)."""
    measures: QuerySet[Measure]
    if user is None:
        measures = (
            Measure.objects.filter(plan=plan)
            .select_related("status")
            .select_related("plan")
            .prefetch_related(Prefetch("targets", queryset=TARGETS))
        )
    else:
        measures = measures_queryset(user).filter(plan=plan)
    return rollup_of(_group(list(measures)), user)


@dataclass
class ActivityView:
    activity: Activity
    measures: list[Measure]
    rollup: Rollup
    category: str | None


@dataclass
class FocusAreaView:
    focus_area: FocusArea | None
    activities: list[ActivityView]
    rollup: Rollup


@dataclass
class PlanView:
    plan: Plan
    focus_areas: list[FocusAreaView]
    loose_measures: list[Measure]
    rollup: Rollup
    can_report_status: bool  # the user may report the status of some measure of the plan
    can_change_plan: bool
    target_states: dict[int, str]  # each target's fulfilment, as the roll-ups counted it
    all_focus_areas: list[FocusArea]  # every focus area the user sees, filtered or not
    reading_key: str | None = None  # the key of the plan's reading in the cache (plans.reading)


def _may_report_some_status(
    user: Viewer,
    plan: Plan,
    responsible_organisations: set[int] | None,
    seen: list[Measure] | None = None,
) -> bool:
    """Whether the user may report the status of some measure of the plan (Measure.access_q
    for STATUS): a member without area limits, who may change, of an organisation
    responsible for one of them (``responsible_organisations``: all the plan's, when read),
    or a member who may change the measure itself – which needs a change right somewhere.
    A measure one may change is one one sees, so ``seen`` (every measure of the plan the user
    sees, with ``area_ids``) answers that by the same rule (``Measure.allowed``); without it
    the database is asked."""
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    if scope.is_superuser:
        return Measure._default_manager.filter(plan=plan).exists()
    if responsible_organisations is not None:
        answer = Measure.status_reportable(scope, responsible_organisations)
        if answer is not None:
            return answer
    if seen is not None:
        return any(
            scope.allows(CHANGE, m.organisation_id, area_ids=m.area_ids, any_area=True)
            for m in seen
        )
    return Measure.objects.restrict(user, STATUS).filter(plan=plan).exists()


def _kept_rollups(
    reading: PlanReading,
    user: Viewer,
    states: dict[int, str],
    roll_up: Callable[[], dict[Any, Any]],
) -> dict[Any, Any]:
    """``roll_up()`` (the plan page's roll-ups), kept in the cache with the plan's unfiltered
    reading: they are counted from the reading (its key follows the data and the viewer's
    restriction) and the targets' fulfilment, which is decided here first, on every view
    (computed targets follow other data and the date), and is part of the key."""
    if reading.key is None:
        return roll_up()
    for measure in reading.measures:
        for target in measure.target_list:
            if target.pk not in states:
                states[target.pk] = fulfilment(target, user)
    decided = repr(sorted((pk, str(state)) for pk, state in states.items()))
    key = ":".join(
        ("trygg:plan-rollups", reading.key, hashlib.sha256(decided.encode()).hexdigest()[:24])
    )
    rollups: dict[Any, Any] | None = cache.get(key)
    if rollups is None:
        rollups = roll_up()
        cache.set(key, rollups, ROLLUP_SECONDS)
    return rollups


def plan_view(user: Viewer, plan: Plan, *, filters: MeasureFilter | None = None) -> PlanView:
    """The plan page: focus areas → activities → measures, each with its roll-up.

    ``plan`` must have been read through the user's restriction (every caller does).

    ``filters`` (a MeasureFilter) narrows the measures shown; the plan roll-up at the top
    follows the same filter so that the numbers match the list below them.
    """
    from trygg.plans.reading import read_plan, unfiltered

    reading = read_plan(user, plan, filters)
    measures = reading.measures
    for measure in measures:
        measure.plan = plan  # the plan read above, rather than a copy per measure
    # Each target's fulfilment, decided once for every roll-up: the typed ones as read.
    states: dict[int, str] = dict(reading.states)
    responsible_organisations = reading.responsible_organisations
    focus_areas, activities = reading.focus_areas, reading.activities
    by_activity: dict[int, list[Measure]] = {}
    loose: list[Measure] = []
    for measure in measures:
        if measure.activity_id:
            by_activity.setdefault(measure.activity_id, []).append(measure)
        else:
            loose.append(measure)
    filtering = filters is not None and filters.active

    def roll_up() -> dict[Any, Any]:
        """Each activity's roll-up and category, each focus area's and the plan's."""
        rollups: dict[Any, Any] = {"plan": rollup_of(_group(measures), user, states)}
        by_focus: dict[int | None, dict[object, list[Measure]]] = {}
        for activity in activities:
            own = by_activity.get(activity.pk, [])
            if filtering and not own:
                continue
            rollups["a", activity.pk] = (
                rollup_of({activity.pk: own}, user, states),
                activity_category(own),
            )
            by_focus.setdefault(activity.focus_area_id, {})[activity.pk] = own
        for focus_area_id, grouped in by_focus.items():
            rollups["f", focus_area_id] = rollup_of(grouped, user, states)
        return rollups

    rollups = _kept_rollups(reading, user, states, roll_up)
    by_focus: dict[int | None, list[ActivityView]] = {}
    for activity in activities:
        if ("a", activity.pk) in rollups:
            rollup, category = rollups["a", activity.pk]
            own = by_activity.get(activity.pk, [])
            view = ActivityView(activity, own, rollup, category)
            by_focus.setdefault(activity.focus_area_id, []).append(view)
    focus_views = []
    for focus_area in focus_areas:
        views = by_focus.get(focus_area.pk, [])
        if filtering and not views:
            continue
        rollup = rollups.get(("f", focus_area.pk)) or rollup_of({}, user, states)
        focus_views.append(FocusAreaView(focus_area, views, rollup))
    if by_focus.get(None):
        focus_views.append(FocusAreaView(None, by_focus[None], rollups["f", None]))
    # Plan.access_q for a change: a member of the owner without area limits. Whoever may
    # change the plan may report every status; otherwise ask whether some measure's status
    # may be reported (owners in their areas and responsible partners, Measure.access_q).
    can_change_plan = may(user, CHANGE, plan.organisation_id, whole_organisation=True)
    can_report_status = can_change_plan or _may_report_some_status(
        user, plan, responsible_organisations, measures if unfiltered(filters) else None
    )
    return PlanView(
        plan=plan,
        focus_areas=focus_views,
        loose_measures=loose,
        rollup=rollups["plan"],
        can_report_status=can_report_status,
        can_change_plan=can_change_plan,
        target_states=states,
        all_focus_areas=focus_areas,
        reading_key=reading.key,
    )


def plans_for(user: Viewer) -> QuerySet[Plan]:
    """The plans the user may see, with the number of measures they may see in each."""
    visible = Measure.objects.restrict(user, VIEW).values("pk")
    return (
        Plan.objects.restrict(user, VIEW)
        .select_related("organisation")
        .annotate(measure_count=Count("measures", filter=Q(measures__in=visible), distinct=True))
    )


def statuses_for(user: Viewer, organisation_id: int) -> QuerySet[MeasureStatus]:
    return MeasureStatus.objects.restrict(user, VIEW).filter(organisation_id=organisation_id)


def timeline(user: Viewer, measure: Measure) -> QuerySet[StatusUpdate]:
    """The measure's status updates. ``measure`` must have been read through the user's
    restriction: its updates are visible exactly when it is (``_via_measure``)."""
    return (
        StatusUpdate._default_manager.filter(measure=measure)
        .select_related("status", "previous_status", "author")
        .order_by("-on", "-created_at", "-pk")
    )


def targets_with_fulfilment(user: Viewer, measure: Measure) -> list[TargetResult]:
    """The measure's targets with their outcomes, computed or typed (plans.targets)."""
    from trygg.plans.targets import targets_for_measure

    return targets_for_measure(user=user, measure=measure)


def _responsible_kind(responsible: MeasureResponsible | ResponsibleName) -> str:
    key = responsible.label.casefold()
    if key in {"kommun", "kommunen"}:
        return KIND_KOMMUN
    if key in {"polis", "polisen"}:
        return KIND_POLIS
    return KIND_OTHER


def plan_document(user: Viewer, plan: Plan) -> PlanDocument:
    """The plan as a PlanDocument (for Word export), with what the user may see."""
    view = plan_view(user, plan)
    focus_areas = []
    for focus_view in view.focus_areas:
        activities = [
            ActivityData(
                title=a.activity.title,
                measures=[
                    MeasureData(
                        challenge=m.challenge,
                        action=m.action,
                        action_items=list(m.action_items or []),
                        responsibles=[
                            Responsible(_responsible_kind(r), r.label, r.unit)
                            for r in m.responsible_list
                        ],
                        status=m.status.name,
                    )
                    for m in a.measures
                ],
            )
            for a in focus_view.activities
        ]
        if focus_view.focus_area is None:
            title, purpose, goal = _("Other activities"), "", ""
        else:
            title = focus_view.focus_area.title
            purpose, goal = focus_view.focus_area.purpose, focus_view.focus_area.goal
        focus_areas.append(
            FocusAreaData(title=title, purpose=purpose, goal=goal, activities=activities)
        )
    return PlanDocument(title=plan.title, purpose=plan.description, focus_areas=focus_areas)


def status_counts(user: Viewer, plan: Plan) -> Counter[str]:
    return Counter(
        Measure.objects.restrict(user, VIEW)
        .filter(plan=plan)
        .values_list("status__category", flat=True)
    )
