"""Veckobild: one or two pages for the Monday meeting. Last week against the usual level,
flagged areas and places, time of week, focus places and the quarter's top three.

Small counts follow the lägesbild's one rule (``situation.selectors.shown``): "<5" for a
reader without detail access, who also sees no places."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from trygg.core.provenance import Source
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params, url


def week_start(params: Params):
    from trygg.situation import selectors

    if params.week:
        try:
            return selectors.parse_week(params.week)
        except ValueError as exc:
            raise ValueError(_("The week is written as year and week, e.g. 2024-W14.")) from exc
    return selectors.last_complete_week()


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.situation import selectors

    organisation = params.organisation
    monday = week_start(params)
    # The weekly picture reads the week and the 8 weeks before it from ``monday``; the
    # analysis only carries the reader and the organisation (its period is not used).
    week = selectors.Period(monday, monday + dt.timedelta(days=6))
    analysis = selectors.Analysis(user=user, organisation=organisation, period=week)
    picture = selectors.weekly_picture(analysis, monday)
    document = Document(
        kind="weekly",
        title=_("Weekly picture, %(week)s") % {"week": selectors.week_label(monday)},
        organisation=organisation.name,
        parameters={**params.as_dict(), "week": selectors.week_param(monday)},
        subtitle=_("Incident reports %(week)s against the 8 weeks before (%(baseline)s)")
        % {"week": picture.period.label, "baseline": picture.baseline.label},
    )
    reports = Source(
        data=_("Incident reports (incidents.IncidentReport), pre-computed counts"),
        filters=_("organisation %(name)s; the areas the reader may see")
        % {"name": organisation.name},
        period=f"{picture.baseline.label}; {picture.period.label}",
        url=url("situation:weekly")
        + f"?organisation={organisation.pk}&week={selectors.week_param(monday)}",
    )

    def count(key: str, label: str, value) -> object:
        return document.figure(
            key,
            label,
            value.value if value.value is not None else value.label,
            value.label,
            reports,
        )

    total = count("weekly.total", _("Reports last week"), picture.total)
    flagged = document.count("weekly.flagged", _("Deviations"), picture.flagged, reports)
    document.heading(_("Last week"))
    document.paragraph(
        _("Last week: "),
        total,
        _(" incident reports; the usual level is %(mean)s a week. ")
        % {"mean": picture.total_mean_label},
        flagged,
        _(" areas or categories stand out."),
    )
    document.paragraph(str(picture.rule), style="note")
    deviations = [r for r in picture.rows if r.flagged]
    if deviations:
        document.heading(_("Deviations"), 2)
        document.table(
            [_("Area"), _("Category"), _("Last week"), _("Usual level"), _("Deviation from")],
            [
                [
                    r.area_name,
                    r.category_name,
                    count(
                        f"weekly.dev.{r.area_name}.{r.category_name}",
                        f"{r.area_name}, {r.category_name}",
                        r.count,
                    ),
                    r.mean_label,
                    r.threshold_label,
                ]
                for r in deviations
            ],
            numeric={2, 3, 4},
        )
    if picture.area_rows:
        document.heading(_("Per area"), 2)
        document.table(
            [_("Area"), _("Last week"), _("Usual level"), _("Deviation")],
            [
                [
                    r.area_name,
                    count(f"weekly.area.{r.area_name}", r.area_name, r.count),
                    r.mean_label,
                    _("Yes") if r.flagged else "",
                ]
                for r in picture.area_rows
            ],
            numeric={1, 2},
        )
    peak = selectors.peak_label(picture.time_of_week.peak)
    document.heading(_("Time of week"), 2)
    document.paragraph(_("Most reports last week came at: %(peak)s.") % {"peak": peak})
    if picture.focus_places:
        document.heading(_("Focus places for the coming week"), 2)
        document.table(
            [_("Place"), _("Area"), _("Last week"), _("Usual level"), _("When")],
            [
                [
                    p.name,
                    p.area_name,
                    count(f"weekly.place.{p.name}", p.name, p.count),
                    p.mean_label,
                    p.when,
                ]
                for p in picture.focus_places
            ],
            numeric={2, 3},
        )
    if picture.quarter_top:
        document.heading(
            _("The quarter's top three places (%(period)s)") % {"period": picture.quarter.label}, 2
        )
        document.table(
            [_("Place"), _("Area"), _("Reports")],
            [
                [p.name, p.area_name, count(f"weekly.quarter.{p.name}", p.name, p.count)]
                for p in picture.quarter_top[:3]
            ],
            numeric={2},
        )
    if picture.police:
        police = Source(
            data=_("Police events (incidents.PoliceEvent)"),
            filters=_("the kommun's area"),
            period=picture.period.label,
        )
        document.heading(_("Police events last week"), 2)
        document.table(
            [_("Type"), _("Events")],
            [
                [name, document.count(f"weekly.police.{name}", name, n, police)]
                for name, n in picture.police[:8]
            ],
            numeric={1},
        )
    if picture.generated:
        document.paragraph(picture.source, style="note")
    document.draft(
        "assessment",
        _("Assessment"),
        drafts.get("assessment", ""),
        _("What the meeting should act on this week."),
        level=1,
    )
    return document
