"""Reads of incident reports and police events.

Blurring ("förgrovning") of incident reports happens in ONE place, :func:`reports_visible`,
which the list page, the detail page, the API, the export and the lägesbild all read from.

Who sees what:

* **Detail** – the exact time, place, address, coordinates and description – for users
  with VIEW in the owning organisation whose area limits cover the report's area
  (``Scope.owned_q``), and for the reporter who filed it.
* **Blurred** for everyone else who may see the report at all, i.e. partner organisations
  through a ``core.Partnership`` (the police). They get the category, the area, the
  assessment and the status; the time is floored to the hour; place, address and
  coordinates are withheld. The description is withheld too: it is free text written for
  the kommun's own reviewers, and even without names it can point at a person or an
  address ("the kiosk owner at …"). Partners who need it ask the owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, TypedDict, cast

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Expression,
    F,
    Field,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import TruncHour

from trygg.core.access import REPORT, VIEW, scope_for
from trygg.core.actors import User, Viewer
from trygg.core.choices import AreaKind
from trygg.core.models import Area
from trygg.incidents.choices import ReportStatus
from trygg.incidents.models import IncidentCategory, IncidentReport, PoliceEvent

# Boundaries are large GeoJSON documents; lists and pages never need them.
AREA_GEOMETRY = ("area__geometry",)

# Attributes every reader uses instead of the raw fields.
SHOWN_FIELDS = [
    "shown_occurred_at",
    "shown_occurred_until",
    "shown_place_id",
    "shown_place_name",
    "shown_lat",
    "shown_lon",
    "shown_address",
    "shown_description",
    "shown_review_note",
    "shown_external_ref",
]


class Shown(TypedDict):
    """What reports_visible adds to each report: ``detail`` and the blurred ``shown_*``."""

    detail: bool
    shown_occurred_at: dt.datetime
    shown_occurred_until: dt.datetime | None
    shown_place_id: int | None
    shown_place_name: str
    shown_lat: float | None
    shown_lon: float | None
    shown_address: str
    shown_description: str
    shown_review_note: str
    shown_external_ref: str


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ShownReport: TypeAlias = WithAnnotations[IncidentReport, Shown]


# Times are floored to the hour in UTC: Sweden's offsets are whole hours, so this is the
# local hour too, and every branch of the CASE stays in UTC (on SQLite a truncation in local
# time inside a CASE would be read back as UTC and shift by the offset).


class HourFloor(TruncHour):
    """``TruncHour`` in UTC. On SQLite it is written in SQL: a time is stored there as UTC text
    (``YYYY-MM-DD HH:MM:SS[.ffffff]``), so its hour is its first 13 characters. Django's own
    truncation calls a Python function for every row, and the report list sorts every visible
    report by its blurred time: for a partner, who sees them all blurred, that call was most
    of the page."""

    def __init__(self, expression: str) -> None:
        super().__init__(expression, tzinfo=dt.UTC)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"(SUBSTR({sql}, 1, 13) || ':00:00')", params


def _blurred(
    detail_value: Expression | F, blurred_value: Expression, output_field: Field[Any, Any]
) -> Case:
    return Case(
        When(detail=True, then=detail_value), default=blurred_value, output_field=output_field
    )


def reports_visible(
    user: Viewer, *, action: str = VIEW, shown: Collection[str] | None = None
) -> QuerySet[ShownReport]:
    """Reports the user may see, each with ``detail`` (bool) and blurred ``shown_*`` values.

    Readers must use ``shown_occurred_at``, ``shown_place_name``, ``shown_lat`` … and never
    the raw fields, which are still on the model for the services. ``shown`` names the
    ``shown_*`` values to add (all of them by default): a list page that reads a few need not
    build the others.
    """
    scope = scope_for(user)
    queryset = IncidentReport.objects.restrict(user, action)
    detail: Expression
    if scope.is_superuser:
        detail = Value(True, output_field=BooleanField())
    else:
        detail = Case(
            When(IncidentReport.detail_q(scope), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    values: dict[str, Callable[[], Case]] = {
        "shown_occurred_at": lambda: _blurred(
            F("occurred_at"),
            HourFloor("occurred_at"),
            IncidentReport._meta.get_field("occurred_at"),
        ),
        "shown_occurred_until": lambda: _blurred(
            F("occurred_until"),
            HourFloor("occurred_until"),
            IncidentReport._meta.get_field("occurred_until"),
        ),
        "shown_place_id": lambda: _blurred(F("place_id"), Value(None), IntegerField()),
        "shown_place_name": lambda: _blurred(F("place__name"), Value(""), CharField()),
        "shown_lat": lambda: _blurred(F("lat"), Value(None), FloatField()),
        "shown_lon": lambda: _blurred(F("lon"), Value(None), FloatField()),
        "shown_address": lambda: _blurred(F("address"), Value(""), CharField()),
        "shown_description": lambda: _blurred(F("description"), Value(""), TextField()),
        "shown_review_note": lambda: _blurred(F("review_note"), Value(""), TextField()),
        "shown_external_ref": lambda: _blurred(F("external_ref"), Value(""), CharField()),
    }
    if shown is not None:
        unknown = set(shown) - set(values)
        if unknown:
            raise ValueError(f"No such shown values: {sorted(unknown)}")
    annotations = {name: make() for name, make in values.items() if shown is None or name in shown}
    return cast("QuerySet[ShownReport]", queryset.annotate(detail=detail, **annotations))


def report_list(user: Viewer) -> QuerySet[ShownReport]:
    """reports_visible with what the list, export and API show, in one query."""
    return (
        reports_visible(user)
        .select_related("category", "area", "organisation")
        .defer(*AREA_GEOMETRY)
    )


def report_detail(user: Viewer, pk: int | str) -> ShownReport:
    """One report as the user may see it; 404 when out of scope (whether or not it exists)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        reports_visible(user)
        .select_related(
            "category",
            "area",
            "organisation",
            "reporter",
            "reviewed_by",
            "measure",
            "decision",
        )
        .defer(*AREA_GEOMETRY),
        pk=pk,
    )


def report_can_review(user: Viewer, report: IncidentReport) -> bool:
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    return (
        IncidentReport.objects.filter(pk=report.pk)
        .filter(IncidentReport.review_q(scope) if not scope.is_superuser else Q())
        .exists()
    )


class ReportCounts(NamedTuple):
    """What :func:`without_small_counts` found: the reports still listed, how many of them the
    viewer sees blurred, how many have each status and how many each organisation owns."""

    queryset: QuerySet[ShownReport]
    blurred: int
    statuses: dict[str, int]
    organisations: dict[int, int]


def count_rows(queryset: QuerySet[ShownReport]) -> list[tuple[bool, str, int, int]]:
    """The rows of ``queryset`` counted per detail, status and organisation (one query)."""
    counts = (
        queryset.order_by()
        .values_list("detail", "status", "organisation_id")
        .annotate(n=Count("pk"))
        .values_list("detail", "status", "organisation_id", "n")
    )
    return [(bool(detail), status, org, n) for detail, status, org, n in counts]


def without_small_counts(
    queryset: QuerySet[ShownReport], rows: list[tuple[bool, str, int, int]] | None = None
) -> ReportCounts:
    """Small-count suppression for the rows a viewer sees only blurred (a partner's view).

    The lägesbild shows "<5" where fewer than ``SMALL_COUNT_THRESHOLD`` reports match; a list
    must not give away what the figure hides. So when the filtered rows hold fewer blurred
    reports than the threshold (but some), none of them are listed: the list, its total, its
    status counts and its export then hold only the rows the viewer may see in detail.
    Applied by ``ReportFilter``, which the list page, its export and the API all use.

    One query counts the filtered rows per status, detail and organisation (:func:`count_rows`,
    or ``rows`` when the caller kept them); from it come the number of blurred rows still
    listed, the status counts of what is listed (every report has a status, so their sum is
    the list's total) and the rows per organisation (see :func:`newest_first_bound`).
    """
    if rows is None:
        rows = count_rows(queryset)
    blurred = sum(n for detail, _status, _org, n in rows if not detail)
    if 0 < blurred < settings.SMALL_COUNT_THRESHOLD:
        queryset, blurred = queryset.filter(detail=True), 0
        rows = [row for row in rows if row[0]]
    statuses: dict[str, int] = {}
    organisations: dict[int, int] = {}
    for _detail, status, org, n in rows:
        statuses[status] = statuses.get(status, 0) + n
        organisations[org] = organisations.get(org, 0) + n
    return ReportCounts(queryset, blurred, statuses, organisations)


def shown_time_window(
    queryset: QuerySet[ShownReport],
    organisations: dict[int, int],
    rows: int,
    *,
    descending: bool,
) -> Q | None:
    """A condition on ``occurred_at`` that keeps the first ``rows`` reports of ``queryset`` in
    the order of their shown (blurred) time, or None when none is found cheaply.

    Sorting by the shown time needs the blurred time of every listed report. But a shown time
    lies within the hour that starts at the floor of the exact time: so if one organisation's
    reports alone hold ``rows`` reports from ``t`` on (newest first), the first ``rows`` of all
    lie at or after the floor of ``t``'s hour; oldest first, before the end of that hour. One
    organisation's ``rows``-th report is read through its (organisation, occurred_at) index.
    """
    if rows <= 0 or not organisations:
        return None
    organisation, count = max(organisations.items(), key=lambda item: item[1])
    if count < rows:
        return None
    found = list(
        queryset.filter(organisation_id=organisation)
        .order_by("-occurred_at" if descending else "occurred_at")
        .values_list("occurred_at", flat=True)[rows - 1 : rows]
    )
    if not found:
        return None
    hour = found[0].astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    if descending:
        return Q(occurred_at__gte=hour)
    return Q(occurred_at__lt=hour + dt.timedelta(hours=1))


def next_report_to_review(
    user: Viewer, *, after: IncidentReport | None = None
) -> IncidentReport | None:
    """Nästa rapport att granska: the oldest new report the user may review, other than ``after``."""
    scope = scope_for(user)
    if scope.user_id is None:
        return None
    queryset = IncidentReport.objects.filter(status=ReportStatus.NY)
    if not scope.is_superuser:
        queryset = queryset.filter(IncidentReport.review_q(scope))
    if after is not None:
        queryset = queryset.exclude(pk=after.pk)
    return queryset.order_by("created_at", "pk").only("pk").first()


def report_map(report: ShownReport) -> dict[str, Any] | None:
    """What the map on a report's page draws: its area's boundary and its position (or its
    place's). None for a report the viewer sees blurred: partners get no position."""
    from django.conf import settings

    if not getattr(report, "detail", False):
        return None
    point: list[float | None] | None = None
    if report.shown_lat is not None and report.shown_lon is not None:
        point = [report.shown_lat, report.shown_lon]
    elif report.place is not None and report.place.lat is not None:
        point = [report.place.lat, report.place.lon]
    # The report's area, or the nearest enclosing area that has a boundary (a kommundel drawn
    # without one sits in its kommun): without base tiles the outline is what places the point.
    area, geometry = report.area if report.area_id is not None else None, None
    while area is not None and geometry is None:
        geometry = area.geometry
        area = area.parent
    if point is None and geometry is None:
        return None
    features = [{"type": "Feature", "geometry": geometry, "properties": {}}] if geometry else []
    return {
        "area": {"type": "FeatureCollection", "features": features},
        "point": point,
        "tiles": settings.MAP_TILE_URL or None,
    }


def categories_for_reporting(user: Viewer) -> QuerySet[IncidentCategory]:
    """Active categories the user may file reports under."""
    return (
        IncidentCategory.objects.restrict(user, REPORT)
        .filter(is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "group", "order", "name")
    )


def report_form_map(user: Viewer, categories: Iterable[IncidentCategory]) -> dict[str, Any]:
    """What the click-to-place map on the report form draws: the boundaries of the kommun and
    kommundelar of the organisations the user reports for, and their named places."""
    from django.conf import settings

    from trygg.core.models import Area, Organisation, Place

    organisation_ids = {c.organisation_id for c in categories}
    kommun_ids = Organisation.objects.filter(pk__in=organisation_ids).values("area_id")
    features = []
    areas = Area.objects.filter(
        Q(organisation_id__in=organisation_ids) | Q(pk__in=kommun_ids), geometry__isnull=False
    ).only("pk", "name", "kind", "geometry")
    for area in areas:
        features.append(
            {
                "type": "Feature",
                "geometry": area.geometry,
                "properties": {"id": area.pk, "name": area.name, "kind": area.kind},
            }
        )
    places = [
        {"id": p.pk, "name": p.name, "lat": p.lat, "lon": p.lon}
        for p in Place.objects.restrict(user, REPORT)
        .filter(lat__isnull=False, lon__isnull=False)
        .only("pk", "name", "lat", "lon")
    ]
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "places": places,
        "tiles": settings.MAP_TILE_URL or None,
    }


def police_events_visible(user: Viewer) -> QuerySet[PoliceEvent]:
    return PoliceEvent.objects.restrict(user, VIEW)


def police_event_types(user: Viewer) -> list[str]:
    """The event types (Stöld, Trafikolycka …) of the events the user may see, in order.

    Read by skipping through the (event_type, occurred_at) index, one step per type (some
    hundred), rather than by reading every event's type: SELECT DISTINCT scans all of them.
    """
    from django.db import connection

    visible = police_events_visible(user)
    if visible.query.is_empty():
        return []
    if visible.query.where:  # a narrower rule of access than all or nothing (none today)
        return list(visible.order_by("event_type").values_list("event_type", flat=True).distinct())
    table = connection.ops.quote_name(PoliceEvent._meta.db_table)
    column = connection.ops.quote_name(PoliceEvent._meta.get_field("event_type").column)
    sql = (
        f"WITH RECURSIVE types(value) AS ("  # noqa: S608 - names from the model, no input
        f" SELECT MIN({column}) FROM {table}"
        f" UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > types.value)"
        f" FROM types WHERE types.value IS NOT NULL"
        f") SELECT value FROM types WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


def police_event_list(user: Viewer) -> QuerySet[PoliceEvent]:
    """police_events_visible with the kommun and län names, without their boundaries."""
    return (
        police_events_visible(user)
        .select_related("kommun", "county")
        .defer("kommun__geometry", "county__geometry")
    )


def home_kommun_area(user: User) -> Area | None:
    """The kommun of the user's own organisation (walking up from a stadsdel), or None for a user
    whose organisations lie in no kommun: the page of police events opens there."""
    areas = Area.objects.filter(
        pk__in=user.memberships.filter(is_active=True).values("organisation__area_id")
    ).order_by("pk")
    for first in areas:
        seen = set()
        area: Area | None = first
        while area is not None and area.pk not in seen:
            if area.kind == AreaKind.KOMMUN:
                return area
            seen.add(area.pk)
            area = area.parent
    return None


def home_kommun_id(user: User) -> int | None:
    """The key of :func:`home_kommun_area`, kept in the cache under the user's memberships
    (core.choice_cache.grants_key) and the version of the areas and organisations it is read
    from (incidents.filters.OPTIONS_VERSION): the police events' page asks it on every view."""
    from django.core.cache import cache

    from trygg.core import versioning
    from trygg.core.choice_cache import TIMEOUT, grants_key
    from trygg.incidents.filters import OPTIONS_VERSION

    digest = grants_key(user)
    if digest is None:
        area = home_kommun_area(user)
        return None if area is None else area.pk
    key = f"home-kommun:{versioning.current(OPTIONS_VERSION)}:{digest}"
    found = cache.get(key)
    if found is None:
        area = home_kommun_area(user)
        found = 0 if area is None else area.pk  # 0: no kommun (None is "not kept")
        cache.set(key, found, TIMEOUT)
    return found or None


def police_events_for_kommun(
    user: Viewer,
    area: Area | None,
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    *,
    include_summaries: bool = False,
) -> QuerySet[PoliceEvent]:
    """The police's events in one kommun with start <= occurred_at < end.

    Sammanfattning posts summarise several incidents and would count them twice, so they
    are left out unless asked for.
    """
    queryset = police_events_visible(user).filter(
        kommun=area, occurred_at__gte=start, occurred_at__lt=end
    )
    if not include_summaries:
        queryset = queryset.filter(is_summary=False)
    return queryset


def police_event_outcome_counts(queryset: QuerySet[PoliceEvent]) -> dict[str, int]:
    """How the (filtered) events were placed: location / name / county / unknown, and
    Sammanfattning posts counted apart."""
    counts = {"location": 0, "name": 0, "county": 0, "unknown": 0, "summaries": 0}
    rows = (
        queryset.order_by()
        .values("resolution", "is_summary")
        .annotate(n=Count("pk"))
        .values_list("resolution", "is_summary", "n")
    )
    for resolution, is_summary, n in rows:
        if is_summary:
            counts["summaries"] += n
        else:
            counts[resolution] = counts.get(resolution, 0) + n
    return counts
