"""Columns of the report and police event lists: one definition for the page and the export.

The report and police event lists read their rows as ``values()`` (a dict per row: only the
columns shown, no model instances) and write a page's cells once per page (labels translated
once, times formatted here, links from one reversed address): see :class:`ValuesTable`.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.renderers import template_text
from trygg.core.tables import Column, Table
from trygg.incidents.choices import CategoryGroup, ReportStatus, Resolution

# A key no row has, reversed once per page in place of every row's own reverse().
_KEY = 987654321987654321


def _local(value):
    return timezone.localtime(value) if value else None


def _label(choices: dict[Any, Any], value: Any) -> str:
    """What ``get_FOO_display()`` gives: the choice's label, or the value itself."""
    return str(choices.get(value, value))


def _link(name: str):
    """``lambda row: reverse(name, args=[row["pk"]])``, reversed once for the page."""
    pattern = reverse(name, args=[_KEY])
    head, tail = pattern.split(str(_KEY), 1)
    return lambda row: f"{head}{row['pk']}{tail}"


class ValuesTable(Table):
    """A table whose columns read ``values()`` rows (dicts with the keys in ``fields``).

    ``source``, when set (by the view, to the filtered queryset), makes a page read its rows
    in two steps: the keys of the page's rows in order, then those rows by key; for querysets
    whose rows carry costly annotations (the blurred values of incident reports).
    """

    #: The values() names the columns read; ``export_fields`` those of the export columns.
    fields: tuple[str, ...] = ()
    export_fields: tuple[str, ...] = ()
    #: Column keys whose link is a detail page reached by the row's key.
    links: dict[str, str] = {}

    def __init__(self, columns: list[Column] | None = None):
        super().__init__(columns)
        self.source: QuerySet[Any] | None = None

    def prepare(self, objects) -> list:
        if not isinstance(objects, QuerySet):
            return list(objects)
        if self.source is None:
            return list(objects.values(*self.fields))
        keys = self.page_keys(objects)
        if not keys:
            return []
        found = {
            row["pk"]: row
            for row in self.source.order_by().filter(pk__in=keys).values(*self.fields)
        }
        return [found[key] for key in keys if key in found]

    def page_keys(self, objects: QuerySet[Any]) -> list[Any]:
        """The keys of a page's rows (``objects``: a slice of ``source``), in order."""
        return list(objects.values_list("pk", flat=True))

    def export_rows(self, queryset: QuerySet[Any]):
        """The export's values, row by row, in the queryset's order."""
        columns = getattr(self, "export_columns", self.columns)
        for row in queryset.values(*self.export_fields).iterator(chunk_size=2000):
            yield [c.value(row) for c in columns]

    def rows(self, objects) -> list[dict]:
        """The page's rows, each with ``html``: its ``<td>`` cells exactly as core/_table.html's
        ``table_cells`` tag writes them ({{ value }} localized and escaped, "–" for none, a link
        where the column has one), written here in one pass for the page: the labels are
        translated once, times formatted with the page's format, links made from one reversed
        address (core/_table.html, whose table_cells tag writes a row's html as it is)."""
        from django.utils.safestring import mark_safe

        local_text = _datetime_text()
        links = {key: _link(name) for key, name in self.links.items()}
        cells = [
            (
                column.value,
                links.get(column.key, column.link),
                f'<td{NUMERIC if column.numeric else ""} data-label="{escape(str(column.label))}">',
            )
            for column in self.columns
        ]
        rows = []
        for row in self.prepare(objects):
            parts = []
            for value_of, link, opening in cells:
                value = value_of(row)
                if value is None:
                    text = "–"
                elif isinstance(value, dt.datetime):
                    text = template_text(local_text(value))
                else:
                    text = template_text(value)
                if link is not None:
                    text = f'<a href="{escape(link(row))}">{text}</a>'
                parts.append(f"{opening}{text}</td>")
            rows.append({"object": row, "html": mark_safe("\n      ".join(parts))})  # noqa: S308
        return rows


NUMERIC = ' class="num"'


def _datetime_text():
    """``{{ value }}`` of a local time: ``formats.localize``, or for the format this project
    sets (``Y-m-d H:i`` in both languages) the same text without parsing the format per value."""
    if formats.get_format("DATETIME_FORMAT") == "Y-m-d H:i":
        return lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}"
    return formats.localize


def _where(report) -> str:
    return report["shown_place_name"] or report["shown_address"] or ""


_STATUS = dict(ReportStatus.choices)
_GROUP = dict(CategoryGroup.choices)
_RESOLUTION = dict(Resolution.choices)


class ReportTable(ValuesTable):
    """Every value comes from the blurred ``shown_*`` values of selectors.reports_visible."""

    default_sort = "-occurred_at"
    fields = (
        "pk",
        "shown_occurred_at",
        "category__name",
        "area__name",
        "shown_place_name",
        "shown_address",
        "assessment",
        "status",
        "organisation__name",
    )
    links = {"occurred_at": "incidents:report_detail"}
    #: Set by the view: the listed reports per organisation (ReportFilter.organisation_counts).
    organisation_counts: dict[int, int] = {}

    def page_keys(self, objects: QuerySet[Any]) -> list[Any]:
        """Sorted by time (the default), a page's keys are read among the reports near it in
        time (selectors.shown_time_window), rather than by sorting every listed report by
        its blurred time."""
        from trygg.incidents.selectors import shown_time_window

        low, high = objects.query.low_mark, objects.query.high_mark
        first = objects.query.order_by[0] if objects.query.order_by else None
        if self.source is None or high is None:
            return super().page_keys(objects)
        if first not in ("-shown_occurred_at", "shown_occurred_at"):
            return super().page_keys(objects)
        window = shown_time_window(
            self.source,
            self.organisation_counts,
            high,
            descending=first == "-shown_occurred_at",
        )
        if window is None:
            return super().page_keys(objects)
        return list(self.source.filter(window).values_list("pk", flat=True)[low:high])

    columns = [
        Column(
            "occurred_at",
            _("Time"),
            lambda r: _local(r["shown_occurred_at"]),
            sort="shown_occurred_at",
            link=lambda r: reverse("incidents:report_detail", args=[r["pk"]]),
        ),
        Column("category", _("Category"), lambda r: r["category__name"], sort="category__name"),
        Column("area", _("Area"), lambda r: r["area__name"] or "", sort="area__name"),
        Column("where", _("Place or address"), _where),
        Column(
            "assessment",
            _("Assessment"),
            lambda r: r["assessment"],
            sort="assessment",
            numeric=True,
        ),
        Column("status", _("Status"), lambda r: _label(_STATUS, r["status"]), sort="status"),
        Column(
            "organisation",
            _("Organisation"),
            lambda r: r["organisation__name"],
            sort="organisation__name",
        ),
    ]
    # The export adds what does not fit on a phone screen; still only blurred values.
    export_fields = (
        *fields,
        "shown_occurred_until",
        "category__group",
        "shown_lat",
        "shown_lon",
        "shown_description",
        "shown_external_ref",
        "detail",
    )
    export_columns = [
        Column("id", _("Id"), lambda r: r["pk"]),
        *columns,
        Column("occurred_until", _("Until"), lambda r: _local(r["shown_occurred_until"])),
        Column("group", _("Group"), lambda r: _label(_GROUP, r["category__group"])),
        Column("address", _("Address"), lambda r: r["shown_address"]),
        Column("lat", _("Latitude"), lambda r: r["shown_lat"]),
        Column("lon", _("Longitude"), lambda r: r["shown_lon"]),
        Column("description", _("Description"), lambda r: r["shown_description"]),
        Column("external_ref", _("External id"), lambda r: r["shown_external_ref"]),
        Column("detail", _("Exact location and time"), lambda r: bool(r["detail"])),
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


def _police_url(url: str) -> str:
    """PoliceEvent.police_url of a values() row."""
    if url.startswith("http"):
        return url
    return f"https://polisen.se{url}" if url else ""


class PoliceEventTable(ValuesTable):
    default_sort = "-occurred_at"
    fields = (
        "pk",
        "occurred_at",
        "event_type",
        "kommun__name",
        "location_name",
        "resolution",
        "summary",
    )
    links = {"occurred_at": "incidents:police_event_detail"}
    columns = [
        Column(
            "occurred_at",
            _("Time"),
            lambda e: _local(e["occurred_at"]),
            sort="occurred_at",
            link=lambda e: reverse("incidents:police_event_detail", args=[e["pk"]]),
        ),
        Column("event_type", _("Type"), lambda e: e["event_type"], sort="event_type"),
        Column(
            "kommun",
            _("Municipality"),
            lambda e: e["kommun__name"] or "",
            sort="kommun__name",
        ),
        Column("location", _("Location"), lambda e: e["location_name"], sort="location_name"),
        Column(
            "resolution",
            _("Placed by"),
            lambda e: _label(_RESOLUTION, e["resolution"]),
            sort="resolution",
        ),
        Column("summary", _("Summary"), lambda e: e["summary"]),
    ]
    export_fields = (*fields, "published_at", "name", "county__name", "is_summary", "url")
    export_columns = [
        Column("id", _("Police id"), lambda e: e["pk"]),
        *columns,
        Column("published_at", _("Published"), lambda e: _local(e["published_at"])),
        Column("name", _("Heading"), lambda e: e["name"]),
        Column("county", _("County"), lambda e: e["county__name"] or ""),
        Column("is_summary", _("Summary post"), lambda e: e["is_summary"]),
        Column("url", _("Address"), lambda e: _police_url(e["url"])),
    ]
