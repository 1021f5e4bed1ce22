"""API for incident reports, their categories and the police's events.

Reports are read through selectors.reports_visible, so the API shows exactly the blurred
values the pages show: partners get no position, place, address or description, and times
floored to the hour.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.core.access import CHANGE, REPORT, VIEW
from trygg.core.filters import query_data
from trygg.core.models import Area, Place
from trygg.core.pagination import PageNumberPagination
from trygg.incidents import selectors, services
from trygg.incidents.filters import PoliceEventFilter, ReportFilter
from trygg.incidents.models import IncidentCategory, IncidentReport

router = Router(tags=["Händelser"])


class IncidentCategoryOut(Schema):
    id: int
    organisation_id: int
    name: str
    group: str
    order: int
    is_active: bool


class ReportOut(Schema):
    id: int
    organisation_id: int
    category_id: int
    category: str
    group: str
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    area_id: int | None
    area: str | None
    place_id: int | None
    place: str
    lat: float | None
    lon: float | None
    address: str
    assessment: int
    description: str
    status: str
    external_ref: str
    is_generated: bool
    detail: bool

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_group(obj):
        return obj.category.group

    @staticmethod
    def resolve_occurred_at(obj):
        return obj.shown_occurred_at

    @staticmethod
    def resolve_occurred_until(obj):
        return obj.shown_occurred_until

    @staticmethod
    def resolve_area(obj):
        return obj.area.name if obj.area_id else None

    @staticmethod
    def resolve_place_id(obj):
        return obj.shown_place_id

    @staticmethod
    def resolve_place(obj):
        return obj.shown_place_name or ""

    @staticmethod
    def resolve_lat(obj):
        return obj.shown_lat

    @staticmethod
    def resolve_lon(obj):
        return obj.shown_lon

    @staticmethod
    def resolve_address(obj):
        return obj.shown_address or ""

    @staticmethod
    def resolve_description(obj):
        return obj.shown_description or ""

    @staticmethod
    def resolve_external_ref(obj):
        return obj.shown_external_ref or ""


class ReportIn(Schema):
    category_id: int
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None = None
    place_id: int | None = None
    area_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    assessment: int
    description: str = ""
    # The device's key for this report: sending it again files nothing more (offline apps).
    client_key: str = Field("", max_length=64)


class ReviewIn(Schema):
    status: str
    note: str = ""
    measure_id: int | None = None
    decision_id: int | None = None


class PoliceEventOut(Schema):
    id: int
    published_at: dt.datetime
    occurred_at: dt.datetime
    event_type: str
    name: str
    summary: str
    url: str
    location_name: str
    kommun_id: int | None
    kommun_code: str | None
    county_id: int | None
    resolution: str
    is_summary: bool

    @staticmethod
    def resolve_kommun_code(obj):
        return obj.kommun.code if obj.kommun_id else None


ReportQuery = ReportFilter.as_schema("ReportQuery")
PoliceEventQuery = PoliceEventFilter.as_schema("PoliceEventQuery")


def _filtered(filterset):
    return filterset.checked()


@router.get("/categories", response=list[IncidentCategoryOut])
def list_categories(request):
    """Categories the user may file reports under, or manage."""
    queryset = IncidentCategory.objects.restrict(
        request.user, REPORT
    ) | IncidentCategory.objects.restrict(request.user, CHANGE)
    return queryset.distinct().order_by("organisation_id", "order", "name")


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination)
def list_reports(request, filters: ReportQuery = Query(...)):  # type: ignore[valid-type]
    form = _filtered(ReportFilter(query_data(filters), user=request.user))
    return form.filter_queryset(selectors.report_list(request.user)).order_by(
        "-shown_occurred_at", "-pk"
    )


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request, report_id: int):
    return selectors.report_detail(request.user, report_id)


class ReportCreatedOut(ReportOut):
    """The filed report, with warnings about likely personal data (names, addresses,
    registration numbers) that the client should show the reporter."""

    warnings: list[str] = []


@router.post("/reports", response={201: ReportCreatedOut})
def create_report(request, payload: ReportIn):
    """File a report. A description holding personal data is refused (422); likely personal
    data (a name, an address, a registration number) is filed with ``warnings``."""
    category = get_object_or_404(
        selectors.categories_for_reporting(request.user), pk=payload.category_id
    )
    place = area = None
    if payload.place_id is not None:
        place = get_object_or_404(Place.objects.restrict(request.user, REPORT), pk=payload.place_id)
    if payload.area_id is not None:
        # Reference areas and the reporting organisation's own areas; the service checks
        # that the area belongs to the report's organisation.
        areas = Area.objects.restrict(request.user, VIEW) | Area.objects.restrict(
            request.user, REPORT
        )
        area = get_object_or_404(areas, pk=payload.area_id)
    occurred_at = payload.occurred_at
    if occurred_at.tzinfo is None:
        raise ValidationError(
            {"occurred_at": [_("Give the time with a time zone, e.g. 2024-03-25T21:30+01:00.")]}
        )
    report = services.report_create(
        actor=request.user,
        organisation=category.organisation,
        category=category,
        occurred_at=occurred_at,
        occurred_until=payload.occurred_until,
        place=place,
        area=area,
        lat=payload.lat,
        lon=payload.lon,
        address=payload.address,
        assessment=payload.assessment,
        description=payload.description,
        client_key=payload.client_key,
    )
    filed = selectors.report_detail(request.user, report.pk)
    filed.warnings = services.possible_personal_data_messages(
        payload.description
    ) + services.possible_personal_data_messages(payload.address)
    return Status(201, filed)


@router.post("/reports/{report_id}/review", response=ReportOut)
def review_report(request, report_id: int, payload: ReviewIn):
    visible = selectors.report_detail(request.user, report_id)
    if not selectors.report_can_review(request.user, visible):
        raise Http404
    report = IncidentReport.objects.restrict(request.user, CHANGE).get(pk=visible.pk)
    measure = None
    if payload.measure_id is not None:
        from trygg.plans.models import Measure

        measure = get_object_or_404(
            Measure.objects.restrict(request.user, VIEW), pk=payload.measure_id
        )
    decision = None
    if payload.decision_id is not None:
        from trygg.forums.models import Decision

        decision = get_object_or_404(
            Decision.objects.restrict(request.user, VIEW), pk=payload.decision_id
        )
    services.report_review(
        actor=request.user,
        report=report,
        decision=decision,
        set_decision="decision_id" in payload.model_fields_set,
        status=payload.status,
        note=payload.note,
        measure=measure,
        set_measure="measure_id" in payload.model_fields_set,
    )
    return selectors.report_detail(request.user, report.pk)


@router.get("/police-events", response=list[PoliceEventOut])
@paginate(PageNumberPagination)
def list_police_events(request, filters: PoliceEventQuery = Query(...)):  # type: ignore[valid-type]
    form = _filtered(PoliceEventFilter(query_data(filters), user=request.user))
    return form.filter_queryset(selectors.police_event_list(request.user)).order_by(
        "-occurred_at", "-pk"
    )


@router.get("/police-events/{event_id}", response=PoliceEventOut)
def get_police_event(request, event_id: int):
    return get_object_or_404(selectors.police_event_list(request.user), pk=event_id)
