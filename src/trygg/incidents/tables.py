"""Columns of the report and police event lists: one definition for the page and the export."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.tables import Column, Table


def _local(value):
    return timezone.localtime(value) if value else None


def _where(report) -> str:
    return report.shown_place_name or report.shown_address or ""


class ReportTable(Table):
    """Every value comes from the blurred ``shown_*`` attributes of selectors.reports_visible."""

    default_sort = "-occurred_at"
    columns = [
        Column(
            "occurred_at",
            _("Time"),
            lambda r: _local(r.shown_occurred_at),
            sort="shown_occurred_at",
            link=lambda r: reverse("incidents:report_detail", args=[r.pk]),
        ),
        Column("category", _("Category"), lambda r: r.category.name, sort="category__name"),
        Column("area", _("Area"), lambda r: r.area.name if r.area else "", sort="area__name"),
        Column("where", _("Place or address"), _where),
        Column(
            "assessment", _("Assessment"), lambda r: r.assessment, sort="assessment", numeric=True
        ),
        Column("status", _("Status"), lambda r: r.get_status_display(), sort="status"),
        Column(
            "organisation",
            _("Organisation"),
            lambda r: r.organisation.name,
            sort="organisation__name",
        ),
    ]
    # The export adds what does not fit on a phone screen; still only blurred values.
    export_columns = [
        Column("id", _("Id"), lambda r: r.pk),
        *columns,
        Column("occurred_until", _("Until"), lambda r: _local(r.shown_occurred_until)),
        Column("group", _("Group"), lambda r: r.category.get_group_display()),
        Column("address", _("Address"), lambda r: r.shown_address),
        Column("lat", _("Latitude"), lambda r: r.shown_lat),
        Column("lon", _("Longitude"), lambda r: r.shown_lon),
        Column("description", _("Description"), lambda r: r.shown_description),
        Column("external_ref", _("External id"), lambda r: r.shown_external_ref),
        Column("detail", _("Exact location and time"), lambda r: bool(r.detail)),
    ]


class CategoryTable(Table):
    default_sort = "order"
    columns = [
        Column(
            "name",
            _("Name"),
            lambda c: c.name,
            sort="name",
            link=lambda c: reverse("incidents:category_edit", args=[c.pk]),
        ),
        Column("group", _("Group"), lambda c: c.get_group_display(), sort="group"),
        Column("order", _("Order"), lambda c: c.order, sort="order", numeric=True),
        Column("is_active", _("Active"), lambda c: _("yes") if c.is_active else _("no")),
        Column(
            "organisation",
            _("Organisation"),
            lambda c: c.organisation.name,
            sort="organisation__name",
        ),
    ]


class PoliceEventTable(Table):
    default_sort = "-occurred_at"
    columns = [
        Column(
            "occurred_at",
            _("Time"),
            lambda e: _local(e.occurred_at),
            sort="occurred_at",
            link=lambda e: reverse("incidents:police_event_detail", args=[e.pk]),
        ),
        Column("event_type", _("Type"), lambda e: e.event_type, sort="event_type"),
        Column(
            "kommun",
            _("Municipality"),
            lambda e: e.kommun.name if e.kommun else "",
            sort="kommun__name",
        ),
        Column("location", _("Location"), lambda e: e.location_name, sort="location_name"),
        Column(
            "resolution", _("Placed by"), lambda e: e.get_resolution_display(), sort="resolution"
        ),
        Column("summary", _("Summary"), lambda e: e.summary),
    ]
    export_columns = [
        Column("id", _("Police id"), lambda e: e.pk),
        *columns,
        Column("published_at", _("Published"), lambda e: _local(e.published_at)),
        Column("name", _("Heading"), lambda e: e.name),
        Column("county", _("County"), lambda e: e.county.name if e.county else ""),
        Column("is_summary", _("Summary post"), lambda e: e.is_summary),
        Column("url", _("Address"), lambda e: e.police_url),
    ]
