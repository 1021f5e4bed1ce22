"""Vega-Lite specs for the lägesbild's charts, built from selector results.

The same spec serves the page (vega-embed, see static/situation/charts.js) and could be
rendered to SVG for a document. Small counts arrive already suppressed: a suppressed value is
``null`` with the label "<5", drawn in grey, so a chart never holds more than the page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from trygg.situation.selectors import WEEKDAY_SHORT, AreaRow, MonthRow, TimeOfWeek, WeeklyRow

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
BLUES = ["#dbe7f5", "#9ec2e6", "#5b9bd5", "#2f6eb3", "#123462"]
GREY = "#d9dce1"
BASE_CONFIG = {
    # The chart's container is an image with a text description, and the same figures are
    # in a table beside it: the SVG's own marks are left out of the accessibility tree.
    "aria": False,
    "font": "Segoe UI, system-ui, DejaVu Sans, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b1f24"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "view": {"stroke": None},
}


def _spec(description: str, **body) -> dict:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": BASE_CONFIG,
        **body,
    }


def heatmap(tow: TimeOfWeek, *, layer: str = "reports") -> dict:
    """Weekday × hour as coloured cells; rows Monday to Sunday, columns 00–23.

    A suppressed cell ("<5" for a viewer without detail access) is drawn in grey in its own
    layer: Vega-Lite would otherwise drop a cell without a value and leave a gap.
    """
    values = []
    for cell in tow.cells:
        if layer == "reports":
            count = cell["reports"]
            value, label = count.value, count.label
        else:
            value = cell["police"]
            label = str(value)
        values.append(
            {
                "day": str(WEEKDAY_SHORT[cell["weekday"] - 1]),
                "hour": f"{cell['hour']:02d}",
                "value": value,
                "label": label,
            }
        )
    title = _("Reports") if layer == "reports" else _("Police events")
    days = [str(d) for d in WEEKDAY_SHORT]
    highest = max([v["value"] for v in values if v["value"] is not None] or [0])
    tooltip = [
        {"field": "day", "title": _("Day")},
        {"field": "hour", "title": _("Hour")},
        {"field": "label", "title": title},
    ]
    rect = {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1}
    return _spec(
        _("%(what)s per weekday and hour") % {"what": title},
        height=210,
        data={"values": values},
        encoding={
            "x": {
                "field": "hour",
                "type": "ordinal",
                "title": _("Hour"),
                "axis": {
                    "labelAngle": 0,
                    "values": ["00", "03", "06", "09", "12", "15", "18", "21"],
                },
            },
            "y": {"field": "day", "type": "ordinal", "sort": days, "title": None},
            "tooltip": tooltip,
        },
        layer=[
            {
                "transform": [{"filter": "datum.value !== null"}],
                "mark": rect,
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": title,
                        # Zero is the lightest shade, also when every cell is zero.
                        "scale": {"range": [BLUES[0], BLUES[-1]], "domain": [0, max(highest, 1)]},
                        "legend": {
                            "orient": "bottom",
                            "gradientLength": 160,
                            "values": [0, max(highest, 1)],
                            "format": "d",
                        },
                    }
                },
            },
            {
                "transform": [{"filter": "datum.value === null"}],
                "mark": {**rect, "color": GREY},
            },
        ],
    )


def trend(rows: list[MonthRow]) -> dict:
    """Reports per month, stacked by category group."""
    values = [
        {
            "month": row.month.isoformat(),
            "group": row.group,
            "value": row.count.value,
            "label": row.count.label,
        }
        for row in rows
        if row.count.value is not None
    ]
    return _spec(
        _("Reports per month and category group"),
        height=220,
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "month",
                "type": "ordinal",
                "timeUnit": "yearmonth",
                "title": None,
                "axis": {"format": "%b %y", "labelAngle": -40},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": _("Reports"),
                "stack": True,
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "group",
                "type": "nominal",
                "title": _("Group"),
                "scale": {"range": ["#1d4f91", "#1b6b3a", "#a4262c"]},
                "legend": {"orient": "bottom"},
            },
            "tooltip": [
                {
                    "field": "month",
                    "type": "temporal",
                    "timeUnit": "yearmonth",
                    "title": _("Month"),
                },
                {"field": "group", "title": _("Group")},
                {"field": "label", "title": _("Reports")},
            ],
        },
    )


def weekly_areas(rows: list[WeeklyRow]) -> dict:
    """Last week per area as bars, with the 8-week mean as a black tick."""
    values = [
        {
            "area": row.area_name,
            "value": row.count.value,
            "label": row.count.label,
            "mean": round(row.mean, 1),
            "flag": _("Deviation") if row.flagged else _("Usual level"),
        }
        for row in rows
    ]
    return _spec(
        _("Reports last week per area against the mean of the 8 weeks before"),
        height={"step": 34},
        data={"values": values},
        encoding={
            "y": {"field": "area", "type": "nominal", "title": None, "sort": "-x"},
        },
        layer=[
            {
                "mark": {"type": "bar", "height": 20},
                "encoding": {
                    "x": {
                        "field": "value",
                        "type": "quantitative",
                        "title": _("Reports"),
                        "axis": {"tickMinStep": 1, "format": "d"},
                    },
                    "color": {
                        "field": "flag",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": [_("Usual level"), _("Deviation")],
                            "range": ["#5b9bd5", "#a4262c"],
                        },
                        "legend": {"orient": "bottom"},
                    },
                    "tooltip": [
                        {"field": "area", "title": _("Area")},
                        {"field": "label", "title": _("Last week")},
                        {"field": "mean", "title": _("Mean of 8 weeks")},
                    ],
                },
            },
            {
                "mark": {"type": "tick", "color": "#1b1f24", "thickness": 3, "size": 26},
                "encoding": {"x": {"field": "mean", "type": "quantitative"}},
            },
        ],
    )


def area_bars(rows: list[AreaRow]) -> dict:
    """Areas by rate per 1 000 inhabitants where known, else by count."""
    use_rate = any(row.rate is not None for row in rows)
    values = [
        {
            "area": row.name,
            "value": round(row.rate, 2) if use_rate and row.rate is not None else row.count.value,
            "label": row.rate_label if use_rate else row.count.label,
        }
        for row in rows
        if (row.rate if use_rate else row.count.value) is not None
    ]
    title = _("Reports per 1 000 inhabitants") if use_rate else _("Reports")
    return _spec(
        title,
        height={"step": 30},
        data={"values": values},
        mark={"type": "bar", "color": "#2f6eb3", "height": 18},
        encoding={
            "y": {"field": "area", "type": "nominal", "title": None, "sort": "-x"},
            "x": {"field": "value", "type": "quantitative", "title": title},
            "tooltip": [{"field": "area", "title": _("Area")}, {"field": "label", "title": title}],
        },
    )
