"""The tables of the lägesbild pages: one column definition for the page and its export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.exports import export_rows
from trygg.core.formatting import format_number, format_percent
from trygg.core.tables import Column, Table
from trygg.situation.selectors import WEEKDAY_SHORT, Count


def _yes(flag: bool) -> str:
    return gettext("Yes") if flag else ""


def _number(value, decimals=0):
    return "–" if value is None else format_number(value, decimals)


class AreaTable(Table):
    columns = [
        Column("area", _("Area"), lambda r: r.name),
        Column("count", _("Reports"), lambda r: r.count, numeric=True),
        Column("previous", _("Previous period"), lambda r: r.previous, numeric=True),
        Column("change", _("Change"), lambda r: r.change, numeric=True),
        Column("population", _("Inhabitants"), lambda r: r.population, numeric=True),
        Column("rate", _("Per 1 000 inhabitants"), lambda r: r.rate, numeric=True),
        Column("share", _("Share"), lambda r: r.share, numeric=True),
    ]
    display = {
        "population": lambda v: _number(v),
        "rate": lambda v: _number(v, 1),
        "share": lambda v: "–" if v is None else format_percent(v, 0),
    }


class PlaceTable(Table):
    columns = [
        Column("place", _("Place"), lambda r: r.name),
        Column("area", _("Area"), lambda r: r.area_name),
        Column("count", _("Reports"), lambda r: r.count, numeric=True),
        Column("category", _("Most common category"), lambda r: r.top_category),
    ]


class TrendTable(Table):
    columns = [
        Column("month", _("Month"), lambda r: r.month.strftime("%Y-%m")),
        Column("group", _("Category group"), lambda r: r.group),
        Column("count", _("Reports"), lambda r: r.count, numeric=True),
    ]


class PoliceTable(Table):
    columns = [
        Column("type", _("Type of event"), lambda r: r.event_type),
        Column("recent", _("Last 4 weeks"), lambda r: r.recent, numeric=True),
        Column("previous", _("The 4 weeks before"), lambda r: r.previous, numeric=True),
        Column("change", _("Change"), lambda r: r.change, numeric=True),
    ]
    display = {"recent": _number, "previous": _number}


class PoliceWeekTable(Table):
    columns = [
        Column("type", _("Type of event"), lambda r: r[0]),
        Column("count", _("Events"), lambda r: r[1], numeric=True),
    ]
    display = {"count": _number}


class WeeklyTable(Table):
    columns = [
        Column("area", _("Area"), lambda r: r.area_name),
        Column("category", _("Category"), lambda r: r.category_name),
        Column("count", _("Last week"), lambda r: r.count, numeric=True),
        Column("mean", _("Mean of 8 weeks"), lambda r: round(r.mean, 1), numeric=True),
        Column("threshold", _("Deviation from"), lambda r: r.threshold_label, numeric=True),
        Column("flagged", _("Deviation"), lambda r: _yes(r.flagged)),
    ]
    display = {"mean": lambda v: _number(v, 1)}


class WeeklyAreaTable(WeeklyTable):
    columns = [c for c in WeeklyTable.columns if c.key != "category"]


class FocusTable(Table):
    columns = [
        Column("place", _("Place"), lambda r: r.name),
        Column("area", _("Area"), lambda r: r.area_name),
        Column("count", _("Last week"), lambda r: r.count, numeric=True),
        Column("mean", _("Mean of 8 weeks"), lambda r: r.mean_label, numeric=True),
        Column("flagged", _("Deviation"), lambda r: _yes(r.flagged)),
        Column("categories", _("What"), lambda r: r.categories),
        Column("when", _("When (weekday, hours)"), lambda r: r.when),
    ]


class HeatmapTable(Table):
    """One row per weekday, one column per hour."""

    def __init__(self, layer: str = "reports"):
        columns = [Column("day", _("Day"), lambda r: str(WEEKDAY_SHORT[r["weekday"] - 1]))]
        for hour in range(24):
            columns.append(
                Column(
                    f"h{hour:02d}",
                    f"{hour:02d}",
                    (lambda h: lambda r: r["cells"][h][layer])(hour),
                    numeric=True,
                )
            )
        super().__init__(columns)


class PictureTable(Table):
    default_sort = "-year"
    columns = [
        Column(
            "title",
            _("Title"),
            lambda p: p.title,
            sort="title",
            link=lambda p: reverse("situation:picture_detail", args=[p.pk]),
        ),
        Column("year", _("Year"), lambda p: p.year, sort="year", numeric=True),
        Column("state", _("State"), lambda p: p.get_state_display(), sort="state"),
        Column(
            "organisation",
            _("Organisation"),
            lambda p: p.organisation.name,
            sort="organisation__name",
        ),
    ]


def cells(table: Table, objects) -> list[list[dict]]:
    """The table's rows as display cells: counts as their label, numbers Swedish style."""
    display = getattr(table, "display", {})
    result = []
    for obj in objects:
        row = []
        for column in table.columns:
            value = column.value(obj)
            if column.key in display and not isinstance(value, Count):
                text = display[column.key](value)
            elif value is None or value == "":
                text = "–" if column.numeric else ""
            elif isinstance(value, int | float) and not isinstance(value, bool):
                text = format_number(value)
            else:
                text = str(value)
            row.append({"column": column, "text": text})
        result.append(row)
    return result


def export(table: Table, objects, filename: str, fmt: str):
    """CSV/XLSX of the table: numbers as numbers, suppressed counts as "<5"."""
    rows = []
    for obj in objects:
        row = []
        for column in table.columns:
            value = column.value(obj)
            row.append(value.export() if isinstance(value, Count) else value)
        rows.append(row)
    return export_rows([str(c.label) for c in table.columns], rows, fmt, filename)
