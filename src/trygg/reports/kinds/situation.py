"""Lägesbild (law 2023:196 §4): the kommun's whole geographic area (every area included or
its absence stated); reported crime, police events, incident reports and surveys with trends;
consequences; prioritised problems with their orsaksanalys (crime triangle, fishbone); and the
sources, qualitative ones included."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from trygg.reports.document import Document, Source
from trygg.reports.kinds.base import Params, source, url


def picture_of(user, params: Params):
    """The organisation's lägesbild of the year, else its newest one (None without any)."""
    from trygg.situation import selectors

    pictures = selectors.pictures_for(user, params.organisation)
    return pictures.filter(year=params.year).first() or selectors.current_picture(
        user, params.organisation
    )


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.situation import selectors
    from trygg.situation.models import SituationPicture

    org = params.organisation
    picture = picture_of(user, params)
    year = picture.year if picture is not None else params.year
    document = Document(
        kind="situation",
        title=_("Situation picture %(year)s") % {"year": year},
        subtitle=_("Crime and safety in %(area)s (law 2023:196, section 4)")
        % {"area": org.area.name if org.area else org.name},
        organisation=org.name,
        parameters=params.as_dict(),
        diarienummer=drafts.get("diarienummer", ""),
    )
    if picture is None:
        document.paragraph(
            _("The organisation has no situation picture for %(year)s.") % {"year": year}
        )
    else:
        document.heading(_("Summary"))
        for line in (picture.summary or "").split("\n"):
            if line.strip():
                document.paragraph(line.strip())

    # Geographic coverage: every area of the organisation is listed, or its absence stated.
    period = selectors.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    areas = selectors.area_counts(user, org, period)
    reports = Source(
        data=_("Incident reports (incidents.IncidentReport), pre-computed counts"),
        filters=_("organisation %(name)s; the areas the reader may see") % {"name": org.name},
        period=period.label,
        url=url("situation:overview"),
    )
    document.heading(_("The whole area"))
    if areas:
        document.paragraph(
            _(
                "The picture covers %(kommun)s with %(count)s areas; each is listed below, with the incident reports of %(year)s."
            )
            % {
                "kommun": org.area.name if org.area else org.name,
                "count": len([a for a in areas if a.area]),
                "year": year,
            }
        )
        document.table(
            [_("Area"), _("Incident reports"), _("Period before"), _("Change")],
            [
                [
                    row.name,
                    document.figure(
                        f"situation.area.{row.name}",
                        row.name,
                        row.count.value if row.count.value is not None else row.count.label,
                        row.count.label,
                        reports,
                    ),
                    row.previous.label,
                    row.change,
                ]
                for row in areas
            ],
            numeric={1, 2, 3},
        )
    else:
        document.paragraph(
            _(
                "No areas are recorded for the organisation, or none the reader may see: the picture covers the kommun as a whole only."
            )
        )

    blocks = selectors.statistics(user, org)
    if blocks:
        from trygg.stats.models import IndicatorSeries

        document.heading(_("Reported crime and surveys"))
        for block in blocks:
            block_source = source(
                IndicatorSeries, block.name, period=f"{block.period_a} → {block.period_b}"
            )
            document.heading(block.name, 2)
            document.table(
                [_("Category"), block.period_a, block.period_b, _("Change"), _("Verdict")],
                [
                    [
                        row.category,
                        row.value_a,
                        document.figure(
                            f"situation.stat.{block.name}.{row.category}",
                            f"{block.name}: {row.category} {block.period_b}",
                            row.value_b,
                            row.value_b,
                            block_source,
                        ),
                        row.change,
                        row.verdict or "–",
                    ]
                    for row in block.rows
                ],
                numeric={1, 2, 3},
                caption=block.source,
            )
    police = selectors.police_summary(user, org, end=min(period.end, selectors.today()), weeks=52)
    if police.rows:
        from trygg.incidents.models import PoliceEvent

        police_source = source(
            PoliceEvent,
            police.kommun.name if police.kommun else org.name,
            period=police.recent.label,
        )
        document.heading(_("Police events"))
        document.table(
            [_("Type"), _("Events"), _("Period before"), _("Change")],
            [
                [
                    r.event_type,
                    document.count(
                        f"situation.police.{r.event_type}", r.event_type, r.recent, police_source
                    ),
                    str(r.previous),
                    r.change,
                ]
                for r in police.rows[:10]
            ],
            numeric={1, 2, 3},
        )

    document.draft(
        "consequences",
        _("Consequences"),
        drafts.get("consequences", ""),
        _("What the crime means for those affected, for the area and for the kommun."),
        level=1,
    )
    if picture is not None:
        problems(document, user, picture)
    document.draft(
        "sources",
        _("Sources, qualitative ones included"),
        drafts.get("sources", ""),
        _("Medarbetardialoger, partners' pictures and other sources the picture builds on."),
        level=1,
    )
    del SituationPicture
    return document


def problems(document: Document, user, picture) -> None:
    from trygg.situation import selectors

    views = selectors.problems_of(user, picture)
    document.heading(_("Prioritised problems and their causes"))
    if not views:
        document.paragraph(_("No prioritised problems are recorded."))
        return
    for view in views:
        problem = view.problem
        document.heading(f"{problem.priority}. {problem.title}", 2)
        if problem.description:
            document.paragraph(problem.description)
        where = [a.name for a in view.areas] + [p.name for p in view.places]
        if where:
            document.paragraph(_("Where: %(places)s") % {"places": ", ".join(where)})
        analysis = view.analysis
        if analysis is None:
            document.paragraph(_("No cause analysis is recorded."), style="note")
            continue
        triangle = [
            [_("Victim"), analysis.victim or "–"],
            [_("Offender"), analysis.offender or "–"],
            [_("Place"), analysis.place or "–"],
        ]
        document.table(
            [_("Crime triangle"), _("Analysis")],
            triangle,
            caption=_("Cause analysis: the crime triangle."),
        )
        causes = analysis.causes or {}
        if causes:
            document.table(
                [_("Bone of the fishbone"), _("Causes")],
                [
                    [str(bone), "; ".join(items) if isinstance(items, list) else str(items)]
                    for bone, items in causes.items()
                    if items
                ],
            )
        if analysis.conclusion:
            document.paragraph(_("Conclusion: %(text)s") % {"text": analysis.conclusion})
