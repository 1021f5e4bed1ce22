"""API for plans, focus areas, activities, measures and their statuses (/api/plans/).

Lists use the same FilterSets as the pages. Objects named in a path are fetched through
restrict() for the action the endpoint needs (404 when out of scope); objects named in a
payload that the user may not see are refused with 422.
"""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.core.access import ADD, CHANGE, VIEW, may, organisations_for
from trygg.core.api_types import UnknownReference
from trygg.core.filters import query_data
from trygg.core.models import Area, Organisation, Place
from trygg.core.pagination import PageNumberPagination
from trygg.plans import selectors, services
from trygg.plans.filters import ActivityFilter, FocusAreaFilter, MeasureFilter, PlanFilter
from trygg.plans.models import (
    STATUS,
    Activity,
    FocusArea,
    Measure,
    MeasureStatus,
    Plan,
)

router = Router(tags=["Planer"])


# Schemas


class RollupOut(Schema):
    measures: int
    measure_counts: dict[str, int]
    activities: int
    activity_counts: dict[str, int]
    progress: float | None
    progress_weighted: float | None
    targets: int
    targets_met: int
    targets_not_met: int
    targets_no_outcome: int
    activity_summary: str
    measure_summary: str


class PlanOut(Schema):
    id: int
    organisation_id: int
    kind: str
    title: str
    description: str
    partner_organisation_ids: list[int]
    starts_on: dt.date | None
    ends_on: dt.date | None
    state: str
    decided_on: dt.date | None
    decided_by: str
    diarienummer: str
    evaluation_interval_months: int
    revision_interval_months: int
    last_evaluated_on: dt.date | None
    last_revised_on: dt.date | None
    next_review_on: dt.date | None
    statuses_are_demo: bool

    @staticmethod
    def resolve_partner_organisation_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.partner_organisations.all())


class PlanDetailOut(PlanOut):
    rollup: RollupOut


class PlanIn(Schema):
    organisation_id: int
    title: str
    kind: str = "plan_for_samverkan"
    description: str = ""
    partner_organisation_ids: list[int] = []
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    state: str = "utkast"
    decided_on: dt.date | None = None
    decided_by: str = ""
    diarienummer: str = ""
    evaluation_interval_months: int = 12
    revision_interval_months: int = 24
    statuses_are_demo: bool = False


class PlanPatch(Schema):
    title: str | None = None
    kind: str | None = None
    description: str | None = None
    partner_organisation_ids: list[int] | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    state: str | None = None
    decided_on: dt.date | None = None
    decided_by: str | None = None
    diarienummer: str | None = None
    evaluation_interval_months: int | None = None
    revision_interval_months: int | None = None
    last_evaluated_on: dt.date | None = None
    last_revised_on: dt.date | None = None
    statuses_are_demo: bool | None = None


class FocusAreaOut(Schema):
    id: int
    plan_id: int
    title: str
    purpose: str
    goal: str
    order: int


class FocusAreaIn(Schema):
    plan_id: int
    title: str
    purpose: str = ""
    goal: str = ""
    order: int | None = None


class FocusAreaPatch(Schema):
    title: str | None = None
    purpose: str | None = None
    goal: str | None = None
    order: int | None = None


class ActivityOut(Schema):
    id: int
    plan_id: int
    focus_area_id: int | None
    title: str
    order: int


class ActivityIn(Schema):
    plan_id: int
    title: str
    focus_area_id: int | None = None
    order: int | None = None


class ActivityPatch(Schema):
    title: str | None = None
    focus_area_id: int | None = None
    order: int | None = None


class ResponsibleSchema(Schema):
    label: str
    unit: str = ""


class ResponsibleOut(ResponsibleSchema):
    organisation_id: int | None = None
    display: str = ""


class TargetOut(Schema):
    id: int
    description: str
    comparison: str
    value: Decimal
    unit: str
    period: str
    fulfilment: str


class StatusOut(Schema):
    id: int
    organisation_id: int
    name: str
    category: str
    default_progress: int | None
    order: int


class MeasureOut(Schema):
    id: int
    plan_id: int
    activity_id: int | None
    title: str
    challenge: str
    action: str
    action_items: list[str]
    status_id: int
    status: str
    status_category: str
    progress: int | None
    effective_progress: int | None
    prevention_type: str
    area_ids: list[int]
    place_ids: list[int]
    target_group: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    outcome: str
    responsibles: list[ResponsibleOut]
    targets: list[TargetOut]
    updated_at: dt.datetime

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status.name

    @staticmethod
    def resolve_status_category(obj) -> str:
        return obj.status.category

    @staticmethod
    def resolve_area_ids(obj) -> list[int]:
        return sorted(a.pk for a in obj.areas.all())

    @staticmethod
    def resolve_place_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.places.all())

    @staticmethod
    def resolve_responsibles(obj) -> list[dict]:
        return [
            {
                "label": r.label,
                "unit": r.unit,
                "organisation_id": r.organisation_ref_id,
                "display": r.display,
            }
            for r in obj.responsibles.all()
        ]

    @staticmethod
    def resolve_targets(obj) -> list[dict]:
        return [
            {
                "id": t.pk,
                "description": t.description,
                "comparison": t.comparison,
                "value": t.value,
                "unit": t.unit,
                "period": t.period,
                "fulfilment": selectors.fulfilment(t),
            }
            for t in obj.targets.all()
        ]


class MeasureIn(Schema):
    plan_id: int
    title: str
    activity_id: int | None = None
    challenge: str = ""
    action: str = ""
    status_id: int | None = None
    responsibles: list[ResponsibleSchema] = []
    prevention_type: str = ""
    area_ids: list[int] = []
    place_ids: list[int] = []
    target_group: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    outcome: str = ""


class MeasurePatch(Schema):
    title: str | None = None
    activity_id: int | None = None
    challenge: str | None = None
    action: str | None = None
    responsibles: list[ResponsibleSchema] | None = None
    prevention_type: str | None = None
    area_ids: list[int] | None = None
    place_ids: list[int] | None = None
    target_group: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    outcome: str | None = None


class StatusIn(Schema):
    status_id: int
    note: str = ""
    on: dt.date | None = None
    progress: int | None = None


class StatusUpdateOut(Schema):
    id: int
    measure_id: int
    on: dt.date
    status_id: int
    previous_status_id: int | None
    progress: int | None
    previous_progress: int | None
    note: str
    author_id: int | None


# Helpers


def _one(queryset, pk, field: str, label: str):
    """An object named in a payload, or a 404 that does not say whether it exists."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise UnknownReference(field, _("Unknown %(what)s: %(id)s.") % {"what": label, "id": pk})
    return obj


def _many(queryset, pks, field: str, label: str) -> list:
    found = {o.pk: o for o in queryset.filter(pk__in=pks)}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise UnknownReference(
            field,
            _("Unknown %(what)s: %(id)s.") % {"what": label, "id": ", ".join(map(str, missing))},
        )
    return [found[pk] for pk in pks]


def _plans(user, action=VIEW):
    return Plan.objects.restrict(user, action).prefetch_related("partner_organisations")


def _measures(user, action=VIEW):
    return selectors.measures_queryset(user, action)


def _plan_detail(user, plan: Plan) -> Plan:
    plan.rollup = selectors.plan_rollup(plan, user=user).as_dict()
    return plan


# Plans


PlanQuery = PlanFilter.as_schema("PlanQuery")
MeasureQuery = MeasureFilter.as_schema("MeasureQuery")
FocusAreaQuery = FocusAreaFilter.as_schema("FocusAreaQuery")
ActivityQuery = ActivityFilter.as_schema("ActivityQuery")


@router.get("/plans", response=list[PlanOut])
@paginate(PageNumberPagination)
def list_plans(request, filters: PlanQuery = Query(...)):  # type: ignore[valid-type]
    form = PlanFilter(query_data(filters), user=request.user)
    return form.filter_queryset(_plans(request.user)).order_by("title", "pk")


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: int):
    plan = get_object_or_404(_plans(request.user), pk=plan_id)
    return _plan_detail(request.user, plan)


@router.post("/plans", response={201: PlanDetailOut})
def create_plan(request, payload: PlanIn):
    organisations = organisations_for(request.user, ADD)
    organisation = _one(
        organisations, payload.organisation_id, "organisation_id", _("organisation")
    )
    data = payload.model_dump(exclude={"organisation_id", "partner_organisation_ids"})
    partners = _many(
        Organisation.objects.restrict(request.user, VIEW),
        payload.partner_organisation_ids,
        "partner_organisation_ids",
        _("organisation"),
    )
    plan = services.plan_create(
        actor=request.user, organisation=organisation, partner_organisations=partners, **data
    )
    return Status(201, _plan_detail(request.user, _plans(request.user).get(pk=plan.pk)))


@router.patch("/plans/{plan_id}", response=PlanDetailOut)
def update_plan(request, plan_id: int, payload: PlanPatch):
    plan = get_object_or_404(_plans(request.user, CHANGE), pk=plan_id)
    data = payload.model_dump(exclude_unset=True)
    if "partner_organisation_ids" in data:
        data["partner_organisations"] = _many(
            Organisation.objects.restrict(request.user, VIEW),
            data.pop("partner_organisation_ids") or [],
            "partner_organisation_ids",
            _("organisation"),
        )
    plan = services.plan_update(actor=request.user, plan=plan, **data)
    return _plan_detail(request.user, _plans(request.user).get(pk=plan.pk))


# Focus areas and activities


@router.get("/focus-areas", response=list[FocusAreaOut])
@paginate(PageNumberPagination)
def list_focus_areas(request, filters: FocusAreaQuery = Query(...)):  # type: ignore[valid-type]
    form = FocusAreaFilter(query_data(filters), user=request.user)
    queryset = FocusArea.objects.restrict(request.user, VIEW)
    return form.filter_queryset(queryset).order_by("plan", "order", "pk")


@router.get("/focus-areas/{focus_area_id}", response=FocusAreaOut)
def get_focus_area(request, focus_area_id: int):
    return get_object_or_404(FocusArea.objects.restrict(request.user, VIEW), pk=focus_area_id)


@router.post("/focus-areas", response={201: FocusAreaOut})
def create_focus_area(request, payload: FocusAreaIn):
    plan = _one(Plan.objects.restrict(request.user, CHANGE), payload.plan_id, "plan_id", _("plan"))
    data = payload.model_dump(exclude={"plan_id"}, exclude_none=True)
    return Status(201, services.focus_area_create(actor=request.user, plan=plan, **data))


@router.patch("/focus-areas/{focus_area_id}", response=FocusAreaOut)
def update_focus_area(request, focus_area_id: int, payload: FocusAreaPatch):
    focus_area = get_object_or_404(
        FocusArea.objects.restrict(request.user, CHANGE), pk=focus_area_id
    )
    data = payload.model_dump(exclude_unset=True, exclude_none=True)
    return services.focus_area_update(actor=request.user, focus_area=focus_area, **data)


@router.get("/activities", response=list[ActivityOut])
@paginate(PageNumberPagination)
def list_activities(request, filters: ActivityQuery = Query(...)):  # type: ignore[valid-type]
    form = ActivityFilter(query_data(filters), user=request.user)
    queryset = Activity.objects.restrict(request.user, VIEW)
    return form.filter_queryset(queryset).order_by("plan", "order", "pk")


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: int):
    return get_object_or_404(Activity.objects.restrict(request.user, VIEW), pk=activity_id)


@router.post("/activities", response={201: ActivityOut})
def create_activity(request, payload: ActivityIn):
    plan = _one(Plan.objects.restrict(request.user, CHANGE), payload.plan_id, "plan_id", _("plan"))
    focus_area = _one(
        FocusArea.objects.restrict(request.user, VIEW).filter(plan=plan),
        payload.focus_area_id,
        "focus_area_id",
        _("focus area"),
    )
    data = payload.model_dump(exclude={"plan_id", "focus_area_id"}, exclude_none=True)
    activity = services.activity_create(
        actor=request.user, plan=plan, focus_area=focus_area, **data
    )
    return Status(201, activity)


@router.patch("/activities/{activity_id}", response=ActivityOut)
def update_activity(request, activity_id: int, payload: ActivityPatch):
    activity = get_object_or_404(Activity.objects.restrict(request.user, CHANGE), pk=activity_id)
    data = payload.model_dump(exclude_unset=True)
    if "focus_area_id" in data:
        data["focus_area"] = _one(
            FocusArea.objects.restrict(request.user, VIEW).filter(plan_id=activity.plan_id),
            data.pop("focus_area_id"),
            "focus_area_id",
            _("focus area"),
        )
    data = {k: v for k, v in data.items() if v is not None or k == "focus_area"}
    return services.activity_update(actor=request.user, activity=activity, **data)


# Measures


@router.get("/measures", response=list[MeasureOut])
@paginate(PageNumberPagination)
def list_measures(request, filters: MeasureQuery = Query(...)):  # type: ignore[valid-type]
    form = MeasureFilter(query_data(filters), user=request.user)
    return form.filter_queryset(_measures(request.user)).order_by("plan", "order", "pk")


@router.get("/measures/{measure_id}", response=MeasureOut)
def get_measure(request, measure_id: int):
    return get_object_or_404(_measures(request.user), pk=measure_id)


def _measure_refs(request, plan: Plan, data: dict) -> dict:
    if "activity_id" in data:
        data["activity"] = _one(
            Activity.objects.restrict(request.user, VIEW).filter(plan=plan),
            data.pop("activity_id"),
            "activity_id",
            _("activity"),
        )
    if "area_ids" in data:
        data["areas"] = _many(
            Area.objects.restrict(request.user, VIEW),
            data.pop("area_ids") or [],
            "area_ids",
            _("area"),
        )
    if "place_ids" in data:
        data["places"] = _many(
            Place.objects.restrict(request.user, VIEW),
            data.pop("place_ids") or [],
            "place_ids",
            _("place"),
        )
    if "responsibles" in data and data["responsibles"] is not None:
        data["responsibles"] = [(r["label"], r.get("unit", "")) for r in data["responsibles"]]
    return data


@router.post("/measures", response={201: MeasureOut})
def create_measure(request, payload: MeasureIn):
    plan = _one(Plan.objects.restrict(request.user, VIEW), payload.plan_id, "plan_id", _("plan"))
    if not may(request.user, ADD, plan.organisation_id):
        raise UnknownReference(
            "plan_id", _("Unknown %(what)s: %(id)s.") % {"what": _("plan"), "id": plan.pk}
        )
    data = payload.model_dump(exclude={"plan_id"})
    data["status"] = _one(
        MeasureStatus.objects.filter(organisation_id=plan.organisation_id),
        data.pop("status_id"),
        "status_id",
        _("status"),
    )
    data = _measure_refs(request, plan, data)
    measure = services.measure_create(actor=request.user, plan=plan, **data)
    return Status(201, get_object_or_404(_measures(request.user), pk=measure.pk))


@router.patch("/measures/{measure_id}", response=MeasureOut)
def update_measure(request, measure_id: int, payload: MeasurePatch):
    measure = get_object_or_404(_measures(request.user, CHANGE), pk=measure_id)
    data = _measure_refs(request, measure.plan, payload.model_dump(exclude_unset=True))
    data = {
        k: v for k, v in data.items() if v is not None or k in {"activity", "starts_on", "ends_on"}
    }
    services.measure_update(actor=request.user, measure=measure, **data)
    return get_object_or_404(_measures(request.user), pk=measure.pk)


@router.post("/measures/{measure_id}/status", response=StatusUpdateOut | None)
def set_measure_status(request, measure_id: int, payload: StatusIn):
    """Set the status; the change is added to the measure's timeline and its history."""
    measure = get_object_or_404(_measures(request.user, STATUS), pk=measure_id)
    status = _one(
        MeasureStatus.objects.filter(organisation_id=measure.plan.organisation_id),
        payload.status_id,
        "status_id",
        _("status"),
    )
    fields = payload.model_dump(exclude_unset=True)
    return services.measure_set_status(
        actor=request.user,
        measure=measure,
        status=status,
        note=payload.note,
        on=payload.on,
        progress=fields.get("progress", services.KEEP),
    )


@router.get("/measures/{measure_id}/timeline", response=list[StatusUpdateOut])
def measure_timeline(request, measure_id: int):
    measure = get_object_or_404(Measure.objects.restrict(request.user, VIEW), pk=measure_id)
    return list(selectors.timeline(request.user, measure))


@router.get("/statuses", response=list[StatusOut])
def list_statuses(request):
    return list(
        MeasureStatus.objects.restrict(request.user, VIEW).order_by("organisation", "order")
    )
