"""Writes for plans, focus areas, activities, measures, statuses, targets and outcomes.

Every function is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one transaction, validates with
``full_clean()`` and writes its audit entry in the same transaction. An update that changes
nothing saves nothing and writes no entry, which is what makes re-imports no-ops.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, require, require_in, require_own_areas
from trygg.core.actors import Actor, Viewer
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction, OrganisationKind
from trygg.core.models import Area, Organisation, Partnership, Place
from trygg.core.services import save_validated
from trygg.plans.choices import StatusCategory
from trygg.plans.models import (
    STATUS,
    Activity,
    FocusArea,
    Measure,
    MeasureResponsible,
    MeasureStatus,
    Outcome,
    Plan,
    StatusUpdate,
    Target,
)

if TYPE_CHECKING:
    from trygg.forums.models import Forum

# (name, category, default progress): the statuses every organisation starts with.
DEFAULT_STATUSES = [
    ("Ej påbörjad", StatusCategory.NOT_STARTED, 0),
    ("Pågående", StatusCategory.ONGOING, 50),
    ("Slutförd", StatusCategory.DONE, 100),
    ("Inställd", StatusCategory.CANCELLED, None),
]

PLAN_FIELDS = [
    "kind",
    "title",
    "description",
    "starts_on",
    "ends_on",
    "state",
    "decided_on",
    "decided_by",
    "diarienummer",
    "evaluation_interval_months",
    "revision_interval_months",
    "last_evaluated_on",
    "last_revised_on",
    "statuses_are_demo",
]
FOCUS_AREA_FIELDS = ["title", "purpose", "goal", "order"]
ACTIVITY_FIELDS = ["focus_area", "title", "order"]
MEASURE_FIELDS = [
    "activity",
    "title",
    "challenge",
    "action",
    "action_items",
    "progress",
    "prevention_type",
    "target_group",
    "starts_on",
    "ends_on",
    "outcome",
    "order",
]
MEASURE_M2M = ["areas", "places"]


class StatusFields(TypedDict, total=False):
    """The fields of a status (STATUS_FIELDS)."""

    name: str
    category: str
    default_progress: int | None
    order: int


class PlanFields(TypedDict, total=False):
    """The fields of a plan beside its title (PLAN_FIELDS)."""

    kind: str
    description: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    state: str
    decided_on: dt.date | None
    decided_by: str
    diarienummer: str
    evaluation_interval_months: int | None
    revision_interval_months: int | None
    last_evaluated_on: dt.date | None
    last_revised_on: dt.date | None
    statuses_are_demo: bool


class PlanChanges(PlanFields, total=False):
    title: str
    partner_organisations: Iterable[Organisation] | None


class FocusAreaFields(TypedDict, total=False):
    """The fields of a focus area beside its title (FOCUS_AREA_FIELDS)."""

    purpose: str
    goal: str
    order: int


class FocusAreaChanges(FocusAreaFields, total=False):
    title: str


class ActivityFields(TypedDict, total=False):
    order: int


class ActivityChanges(ActivityFields, total=False):
    """The fields of an activity (ACTIVITY_FIELDS)."""

    focus_area: FocusArea | None
    title: str


class MeasureFields(TypedDict, total=False):
    """The fields of a measure beside its title (MEASURE_FIELDS)."""

    activity: Activity | None
    challenge: str
    action: str
    action_items: list[Any]
    progress: int | None
    prevention_type: str
    target_group: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    outcome: str
    order: int


class MeasureChanges(MeasureFields, total=False):
    title: str


class MeasureArguments(MeasureFields, total=False):
    """Everything measure_create takes beside the actor, the plan and the title."""

    status: MeasureStatus | None
    responsibles: Sequence[tuple[str, str]]
    areas: Iterable[Area]
    places: Iterable[Place]


STATUS_FIELDS = ["name", "category", "default_progress", "order"]
TARGET_FIELDS = [
    "description",
    "comparison",
    "value",
    "unit",
    "period",
    "order",
    "source",
    "per_forum",
    "series",
    "series_category",
    "area",
    "report_category",
]


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, decimal.Decimal) or isinstance(new, decimal.Decimal):
        try:
            return decimal.Decimal(str(old)) == decimal.Decimal(str(new))
        except (decimal.InvalidOperation, TypeError):
            return False
    return bool(old == new)


def _apply(obj: Model, fields: Mapping[str, object], allowed: Sequence[str]) -> bool:
    """Set the given fields; True when any value differs from what the object had."""
    changed = False
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(key)
        if not _same(getattr(obj, key), value):
            setattr(obj, key, value)
            changed = True
    return changed


# Statuses


@transaction.atomic
def statuses_ensure_defaults(
    organisation: Organisation, *, actor: Actor = None
) -> list[MeasureStatus]:
    """The organisation's statuses, creating the four defaults when it has none (idempotent)."""
    existing = list(MeasureStatus.objects.filter(organisation=organisation))
    if existing:
        return existing
    created = []
    for order, (name, category, progress) in enumerate(DEFAULT_STATUSES):
        status = MeasureStatus(
            organisation=organisation,
            name=name,
            category=category,
            default_progress=progress,
            order=order,
        )
        save_validated(status)
        record_change(actor=actor, obj=status, action=AuditAction.CREATE, after=snapshot(status))
        created.append(status)
    return created


def default_status(organisation: Organisation) -> MeasureStatus:
    statuses = statuses_ensure_defaults(organisation)
    for status in sorted(statuses, key=lambda s: s.order):
        if status.category == StatusCategory.NOT_STARTED:
            return status
    return statuses[0]


@transaction.atomic
def status_create(
    *, actor: Actor, organisation: Organisation, **fields: Unpack[StatusFields]
) -> MeasureStatus:
    require(actor, DELETE, organisation.pk, whole_organisation=True)
    status = MeasureStatus(organisation=organisation)
    _apply(status, fields, STATUS_FIELDS)
    save_validated(status)
    record_change(actor=actor, obj=status, action=AuditAction.CREATE, after=snapshot(status))
    return status


@transaction.atomic
def status_update(
    *, actor: Actor, status: MeasureStatus, **fields: Unpack[StatusFields]
) -> MeasureStatus:
    require(actor, DELETE, status.organisation_id, whole_organisation=True)
    before = snapshot(status, STATUS_FIELDS)
    if _apply(status, fields, STATUS_FIELDS):
        save_validated(status)
        record_change(
            actor=actor,
            obj=status,
            action=AuditAction.UPDATE,
            before=before,
            after=snapshot(status, STATUS_FIELDS),
        )
    return status


# Plans


def _check_partners(organisation: Organisation, partners: Iterable[Organisation]) -> None:
    allowed = Partnership.partner_ids([organisation.pk])
    wrong = [p.name for p in partners if p.pk not in allowed]
    if wrong:
        raise ValidationError(
            {
                "partner_organisations": _(
                    "%(names)s is not in a current partnership with %(owner)s."
                )
                % {"names": ", ".join(wrong), "owner": organisation.name}
            }
        )


def _plan_snapshot(plan: Plan) -> dict[str, Any]:
    return snapshot(plan, [*PLAN_FIELDS, "partner_organisations"])


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    partner_organisations: Iterable[Organisation] = (),
    **fields: Unpack[PlanFields],
) -> Plan:
    require(actor, ADD, organisation.pk, whole_organisation=True)
    partners = list(partner_organisations)
    _check_partners(organisation, partners)
    plan = Plan(organisation=organisation, title=title)
    _apply(plan, fields, PLAN_FIELDS)
    save_validated(plan)
    plan.partner_organisations.set(partners)
    statuses_ensure_defaults(organisation, actor=actor)
    record_change(actor=actor, obj=plan, action=AuditAction.CREATE, after=_plan_snapshot(plan))
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, **fields: Unpack[PlanChanges]) -> Plan:
    require(actor, CHANGE, plan.organisation_id, whole_organisation=True)
    before = _plan_snapshot(plan)
    partners = fields.pop("partner_organisations", None)
    changed = _apply(plan, fields, PLAN_FIELDS)
    if changed:
        save_validated(plan)
    if partners is not None:
        partners = list(partners)
        if sorted(p.pk for p in partners) != before["partner_organisations"]:
            _check_partners(plan.organisation, partners)
            plan.partner_organisations.set(partners)
    record_change(
        actor=actor,
        obj=plan,
        action=AuditAction.UPDATE,
        before=before,
        after=_plan_snapshot(plan),
    )
    return plan


# Focus areas and activities


@transaction.atomic
def focus_area_create(
    *, actor: Actor, plan: Plan, title: str, **fields: Unpack[FocusAreaFields]
) -> FocusArea:
    require(actor, CHANGE, plan.organisation_id, whole_organisation=True)
    if "order" not in fields:
        fields["order"] = plan.focus_areas.count()
    focus_area = FocusArea(organisation_id=plan.organisation_id, plan=plan, title=title)
    _apply(focus_area, fields, FOCUS_AREA_FIELDS)
    save_validated(focus_area)
    record_change(
        actor=actor,
        obj=focus_area,
        action=AuditAction.CREATE,
        after=snapshot(focus_area, ["plan", *FOCUS_AREA_FIELDS]),
    )
    return focus_area


@transaction.atomic
def focus_area_update(
    *, actor: Actor, focus_area: FocusArea, **fields: Unpack[FocusAreaChanges]
) -> FocusArea:
    require(actor, CHANGE, focus_area.organisation_id, whole_organisation=True)
    before = snapshot(focus_area, FOCUS_AREA_FIELDS)
    if _apply(focus_area, fields, FOCUS_AREA_FIELDS):
        save_validated(focus_area)
        record_change(
            actor=actor,
            obj=focus_area,
            action=AuditAction.UPDATE,
            before=before,
            after=snapshot(focus_area, FOCUS_AREA_FIELDS),
        )
    return focus_area


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    plan: Plan,
    title: str,
    focus_area: FocusArea | None = None,
    **fields: Unpack[ActivityFields],
) -> Activity:
    require(actor, CHANGE, plan.organisation_id, whole_organisation=True)
    if "order" not in fields:
        fields["order"] = plan.activities.count()
    activity = Activity(
        organisation_id=plan.organisation_id, plan=plan, focus_area=focus_area, title=title
    )
    _apply(activity, fields, ACTIVITY_FIELDS)
    save_validated(activity)
    record_change(
        actor=actor,
        obj=activity,
        action=AuditAction.CREATE,
        after=snapshot(activity, ["plan", *ACTIVITY_FIELDS]),
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: Activity, **fields: Unpack[ActivityChanges]
) -> Activity:
    require(actor, CHANGE, activity.organisation_id, whole_organisation=True)
    before = snapshot(activity, ACTIVITY_FIELDS)
    if _apply(activity, fields, ACTIVITY_FIELDS):
        save_validated(activity)
        record_change(
            actor=actor,
            obj=activity,
            action=AuditAction.UPDATE,
            before=before,
            after=snapshot(activity, ACTIVITY_FIELDS),
        )
    return activity


# Measures


def resolve_responsible(plan: Plan, label: str) -> Organisation | None:
    """The organisation a party written in a plan stands for, when it can be known.

    "Kommun" is the plan's owner; "Polis" is the partner organisation that is a police
    area. Other parties (fastighetsägare, partiernas säkerhetsansvariga …) stay free text.
    """
    key = label.strip().casefold()
    if key in {"kommun", "kommunen"} or key == plan.organisation.name.casefold():
        return plan.organisation
    partners = list(plan.partner_organisations.all())
    if key in {"polis", "polisen"}:
        police = [p for p in partners if p.kind == OrganisationKind.POLIS]
        return police[0] if len(police) == 1 else None
    for partner in partners:
        if partner.name.casefold() == key:
            return partner
    return None


def _responsibles_of(measure: Measure) -> list[tuple[str, str]]:
    return [(r.label, r.unit) for r in measure.responsibles.all()]


def _set_responsibles(
    measure: Measure, responsibles: Sequence[tuple[str, str]], *, actor: Actor = None
) -> bool:
    """Replace the measure's responsible parties when they differ; True when changed."""
    wanted = [(label.strip(), unit.strip()) for label, unit in responsibles if label.strip()]
    if _responsibles_of(measure) == wanted:
        return False
    measure.responsibles.all().delete()
    for order, (label, unit) in enumerate(wanted):
        responsible = MeasureResponsible(
            organisation_id=measure.organisation_id,
            measure=measure,
            label=label,
            unit=unit,
            organisation_ref=resolve_responsible(measure.plan, label),
            order=order,
        )
        save_validated(responsible)
    return True


def _measure_snapshot(measure: Measure) -> dict[str, Any]:
    data = snapshot(measure, [*MEASURE_FIELDS, "status", *MEASURE_M2M])
    data["status"] = measure.status.name if measure.status_id else None
    data["responsibles"] = "; ".join(
        f"{label}/{unit}" if unit else label for label, unit in _responsibles_of(measure)
    )
    return data


def _check_areas(actor: Actor, measure: Measure, action: str) -> None:
    """An area-limited member may only place measures in their own areas."""
    plan_org = measure.plan.organisation_id
    for area in measure.areas.all():
        if area.organisation_id not in (None, plan_org):
            raise ValidationError({"areas": _("The area does not belong to the organisation.")})
    for place in measure.places.all():
        if place.organisation_id != plan_org:
            raise ValidationError({"places": _("The place does not belong to the organisation.")})
    require_own_areas(
        actor,
        action,
        plan_org,
        measure.areas.all(),
        field="areas",
        message=_("You may only add measures in your own areas. Choose one of them."),
    )


@transaction.atomic
def measure_create(
    *,
    actor: Actor,
    plan: Plan,
    title: str,
    status: MeasureStatus | None = None,
    responsibles: Sequence[tuple[str, str]] = (),
    areas: Iterable[Area] = (),
    places: Iterable[Place] = (),
    **fields: Unpack[MeasureFields],
) -> Measure:
    require(actor, ADD, plan.organisation_id)
    if status is None:
        status = default_status(plan.organisation)
    if "order" not in fields:
        fields["order"] = plan.measures.count()
    measure = Measure(organisation_id=plan.organisation_id, plan=plan, title=title, status=status)
    _apply(measure, fields, MEASURE_FIELDS)
    save_validated(measure)
    measure.areas.set(list(areas))
    measure.places.set(list(places))
    _check_areas(actor, measure, ADD)
    _set_responsibles(measure, responsibles, actor=actor)
    record_change(
        actor=actor, obj=measure, action=AuditAction.CREATE, after=_measure_snapshot(measure)
    )
    return measure


@transaction.atomic
def measure_update(
    *,
    actor: Actor,
    measure: Measure,
    responsibles: Sequence[tuple[str, str]] | None = None,
    areas: Iterable[Area] | None = None,
    places: Iterable[Place] | None = None,
    **fields: Unpack[MeasureChanges],
) -> Measure:
    """Change a measure's text, dates, areas and parties. The status has its own service."""
    if actor is not None:
        require_in(actor, Measure.objects.restrict(actor, CHANGE), measure)
    before = _measure_snapshot(measure)
    if _apply(measure, fields, MEASURE_FIELDS):
        save_validated(measure)
    if areas is not None:
        areas = list(areas)
        if sorted(a.pk for a in areas) != before["areas"]:
            measure.areas.set(areas)
    if places is not None:
        places = list(places)
        if sorted(p.pk for p in places) != before["places"]:
            measure.places.set(places)
    if areas is not None or places is not None:
        _check_areas(actor, measure, CHANGE)
    if responsibles is not None:
        _set_responsibles(measure, responsibles, actor=actor)
    after = _measure_snapshot(measure)
    if after != before:
        Measure.objects.filter(pk=measure.pk).update(updated_at=timezone.now())
    record_change(actor=actor, obj=measure, action=AuditAction.UPDATE, before=before, after=after)
    return measure


KEEP = object()  # measure_set_status: leave the progress as it is (unless the status changes)


@transaction.atomic
def measure_set_status(
    *,
    actor: Actor,
    measure: Measure,
    status: MeasureStatus,
    note: str = "",
    on: dt.date | None = None,
    progress: Any = KEEP,
    only_if_changed: bool = False,
) -> StatusUpdate | None:
    """Set the status (and optionally the progress) and add an entry to the timeline.

    ``progress`` None means "the status's default"; KEEP keeps the measure's own progress
    when the status stays and takes the new status's default when it changes. A call that
    changes neither status nor progress writes nothing unless it carries a note (a progress
    report); with ``only_if_changed`` it writes nothing even then (imports).
    """
    if actor is not None:
        require_in(actor, Measure.objects.restrict(actor, STATUS), measure)
    if status.organisation_id != measure.plan.organisation_id:
        raise ValidationError({"status": _("The status belongs to another organisation.")})
    if progress is not KEEP and progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress must be between 0 and 100.")})
    previous_status = measure.status
    previous_progress = measure.progress
    previous_effective = measure.effective_progress
    if status.category == StatusCategory.CANCELLED:
        progress = None
    elif progress is KEEP:
        progress = previous_progress if status.pk == previous_status.pk else None
    unchanged = status.pk == previous_status.pk and progress == previous_progress
    if unchanged and (only_if_changed or not note):
        return None
    measure.status = status
    measure.progress = progress
    save_validated(measure)
    update = StatusUpdate(
        organisation_id=measure.organisation_id,
        measure=measure,
        on=on or timezone.localdate(),
        status=status,
        previous_status=previous_status,
        progress=measure.effective_progress,
        previous_progress=previous_effective,
        note=note,
        author=actor if getattr(actor, "pk", None) else None,
    )
    save_validated(update)
    record_change(
        actor=actor,
        obj=measure,
        action=AuditAction.STATUS,
        before={"status": previous_status.name, "progress": previous_effective},
        after={"status": status.name, "progress": measure.effective_progress},
        note=note,
    )
    return update


@transaction.atomic
def measure_delete(*, actor: Actor, measure: Measure) -> None:
    if actor is not None:
        require_in(actor, Measure.objects.restrict(actor, DELETE), measure)
    record_change(
        actor=actor, obj=measure, action=AuditAction.DELETE, before=_measure_snapshot(measure)
    )
    measure.delete()


# Targets and outcomes


def _check_target_sources(target: Target, forums: list[Forum] | None) -> None:
    """What a computed target counts must be the organisation's own, or shared with it."""
    from trygg.plans.choices import TargetSource

    errors: dict[str, str] = {}
    organisation_id = target.organisation_id
    if target.source == TargetSource.MEETINGS:
        chosen = forums if forums is not None else list(target.forums.all())
        if not chosen:
            errors["forums"] = _("Choose the forums whose meetings are counted.")
        elif any(
            f.organisation_id != organisation_id
            and not f.member_organisations.filter(pk=organisation_id).exists()
            for f in chosen
        ):
            errors["forums"] = _("A forum must be the organisation's own or have it as member.")
    if (
        target.source == TargetSource.INDICATOR
        and target.series is not None
        and target.series.organisation_id != organisation_id
        and not target.series.is_public
    ):
        errors["series"] = _("The series belongs to another organisation.")
    if (
        target.report_category is not None
        and target.report_category.organisation_id != organisation_id
    ):
        errors["report_category"] = _("The category belongs to another organisation.")
    if target.area is not None and target.area.organisation_id not in (None, organisation_id):
        errors["area"] = _("An area must be one of the organisation's areas.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_create(
    *,
    actor: Actor,
    measure: Measure,
    description: str,
    value: decimal.Decimal | int,
    comparison: str = "at_least",
    unit: str = "",
    period: str = "year",
    order: int = 0,
    source: str = "typed",
    forums: Sequence[Any] = (),
    per_forum: bool = False,
    series: Any = None,
    series_category: str = "",
    area: Any = None,
    report_category: Any = None,
) -> Target:
    """Add a target (mål) to a measure. A target whose outcome Trygg can compute names
    what it counts: forums (held meetings), an indicator series, or incident reports."""
    if actor is not None:
        require_in(actor, Measure.objects.restrict(actor, CHANGE), measure)
    target = Target(
        organisation_id=measure.organisation_id,
        measure=measure,
        description=description,
        value=value,
        comparison=comparison,
        unit=unit,
        period=period,
        order=order,
        source=source,
        per_forum=per_forum,
        series=series,
        series_category=series_category,
        area=area,
        report_category=report_category,
    )
    forum_list = list(forums)
    save_validated(target)
    _check_target_sources(target, forum_list)
    target.forums.set(forum_list)
    record_change(
        actor=actor,
        obj=target,
        action=AuditAction.CREATE,
        after=snapshot(target, ["measure", "description", *TARGET_FIELDS, "forums"]),
    )
    return target


@transaction.atomic
def target_update(
    *,
    actor: Actor,
    target: Target,
    description: str | None = None,
    value: decimal.Decimal | int | None = None,
    comparison: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    order: int | None = None,
    source: str | None = None,
    forums: Sequence[Any] | None = None,
    per_forum: bool | None = None,
    series: Any = ...,
    series_category: str | None = None,
    area: Any = ...,
    report_category: Any = ...,
) -> Target:
    """Change a target; only the arguments given change (``...`` leaves a relation alone)."""
    if actor is not None:
        require_in(actor, Measure.objects.restrict(actor, CHANGE), target.measure)
    before = snapshot(target, [*TARGET_FIELDS, "forums"])
    given = {
        "description": description,
        "value": value,
        "comparison": comparison,
        "unit": unit,
        "period": period,
        "order": order,
        "source": source,
        "per_forum": per_forum,
        "series_category": series_category,
    }
    fields: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    for key, relation in (("series", series), ("area", area), ("report_category", report_category)):
        if relation is not ...:
            fields[key] = relation
    changed = _apply(target, fields, TARGET_FIELDS)
    forum_list = list(forums) if forums is not None else None
    if forum_list is not None and {f.pk for f in forum_list} != set(
        target.forums.values_list("pk", flat=True)
    ):
        changed = True
    if changed:
        save_validated(target)
        _check_target_sources(target, forum_list)
        if forum_list is not None:
            target.forums.set(forum_list)
        record_change(
            actor=actor,
            obj=target,
            action=AuditAction.UPDATE,
            before=before,
            after=snapshot(target, [*TARGET_FIELDS, "forums"]),
        )
    return target


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
    target: Target,
    period_start: dt.date,
    actual: decimal.Decimal | int | float,
    period_label: str = "",
    note: str = "",
) -> Outcome:
    """Record (or correct) the outcome of a target for one period.

    Only for what Trygg cannot see: a computed target's outcome is never typed.
    """
    if actor is not None:
        require_in(actor, Measure.objects.restrict(actor, CHANGE), target.measure)
    if target.is_computed:
        raise ValidationError(
            {"actual": _("Trygg computes this target's outcome; it cannot be entered by hand.")}
        )
    if not period_label:
        period_label = period_label_for(target.period, period_start)
    outcome = Outcome.objects.filter(target=target, period_start=period_start).first()
    if outcome is None:
        outcome = Outcome(
            organisation_id=target.organisation_id,
            target=target,
            period_start=period_start,
            period_label=period_label,
            actual=actual,
            note=note,
        )
        save_validated(outcome)
        record_change(
            actor=actor,
            obj=outcome,
            action=AuditAction.CREATE,
            after=snapshot(outcome, ["target", "period_start", "period_label", "actual", "note"]),
        )
        return outcome
    fields = ["period_label", "actual", "note"]
    before = snapshot(outcome, fields)
    if _apply(outcome, {"period_label": period_label, "actual": actual, "note": note}, fields):
        save_validated(outcome)
        record_change(
            actor=actor,
            obj=outcome,
            action=AuditAction.UPDATE,
            before=before,
            after=snapshot(outcome, fields),
        )
    return outcome


def period_label_for(period: str, start: dt.date) -> str:
    if period == "quarter":
        return f"{start.year} K{(start.month - 1) // 3 + 1}"
    if period == "month":
        return f"{start:%Y-%m}"
    return str(start.year)


def can_view(user: Viewer, obj: Model) -> bool:
    # Every model passed here has a RestrictedManager as ``objects``.
    manager: Any = type(obj).objects  # type: ignore[attr-defined]
    return bool(manager.restrict(user, VIEW).filter(pk=obj.pk).exists())
