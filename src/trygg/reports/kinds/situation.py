"""Lägesbild (law 2023:196 §4), from ``situation.chain.situation_document``: the kommun's whole
geographic area (every area included or its absence stated); reported crime, police events,
incident reports and surveys with trends; consequences; prioritised problems with their
orsaksanalys (crime triangle, fishbone); and the sources, qualitative ones included."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params


def picture_of(user, params: Params):
    """The organisation's lägesbild of the year, else its newest one (None without any)."""
    from trygg.situation.models import SituationPicture

    pictures = SituationPicture.objects.restrict(user, VIEW).filter(
        organisation=params.organisation
    )
    return (
        pictures.filter(year=params.year).order_by("-pk").first()
        or pictures.order_by("-year", "-pk").first()
    )


def _statistics(document: Document, blocks, prefix: str) -> None:
    for block in blocks:
        document.heading(block.name, 2)
        columns = [_("Category")]
        if block.period_a:
            columns.append(block.period_a)
        columns += [block.period_b, _("Change"), _("Verdict")]
        rows = []
        for row in block.rows:
            cells = [row.label]
            if block.period_a:
                cells.append(
                    document.adopt(
                        f"{prefix}.{block.series_id}.{row.label}.a",
                        f"{block.name}: {row.label} {block.period_a}",
                        row.value_a,
                    )
                    if row.value_a is not None
                    else "–"
                )
            cells += [
                document.adopt(
                    f"{prefix}.{block.series_id}.{row.label}.b",
                    f"{block.name}: {row.label} {block.period_b}",
                    row.value_b,
                ),
                row.change or "–",
                row.verdict or "–",
            ]
            rows.append(cells)
        document.table(columns, rows, numeric=set(range(1, len(columns) - 1)), caption=block.source)


def problems(document: Document, items, *, heading: str) -> None:
    document.heading(heading)
    if not items:
        document.paragraph(_("No prioritised problems are recorded."))
        return
    for item in items:
        document.heading(f"{item.priority}. {item.title} ({item.status_label})", 2)
        if item.description:
            document.paragraph(item.description)
        where = list(item.areas) + list(item.places)
        if where:
            document.paragraph(_("Where: %(places)s") % {"places": ", ".join(where)})
        if item.history:
            document.bullets(
                [
                    [
                        f"{step.on:%Y-%m-%d}: "
                        + (
                            f"{step.previous_label} → {step.status_label}"
                            if step.previous_label
                            else step.status_label
                        )
                        + (f" – {step.note}" if step.note else "")
                    ]
                    for step in item.history
                ]
            )
        analysis = item.analysis
        if analysis is None:
            document.paragraph(_("No cause analysis is recorded."), style="note")
            continue
        document.table(
            [_("Crime triangle"), _("Analysis")],
            [
                [_("Victim"), analysis.victim or "–"],
                [_("Offender"), analysis.offender or "–"],
                [_("Place"), analysis.place or "–"],
            ],
            caption=_("Cause analysis: the crime triangle."),
        )
        if analysis.has_causes:
            document.table(
                [_("Bone of the fishbone"), _("Causes")],
                [[label, "; ".join(causes)] for _key, label, causes in analysis.causes if causes],
            )
        if analysis.conclusion:
            document.paragraph(_("Conclusion: %(text)s") % {"text": analysis.conclusion})
        if item.measures:
            document.paragraph(_("Measures: %(list)s") % {"list": "; ".join(item.measures)})


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.situation.chain import situation_document

    org = params.organisation
    picture = picture_of(user, params)
    if picture is None:
        raise Http404
    data = situation_document(user=user, picture=picture)
    document = Document(
        kind="situation",
        title=data.title,
        subtitle=_("Crime and safety in %(area)s (law 2023:196, section 4), %(period)s")
        % {"area": org.area.name if org.area else org.name, "period": data.period},
        organisation=org.name,
        parameters={**params.as_dict(), "year": data.year},
        diarienummer=data.decision.diarienummer,
    )
    document.heading(_("Decision and period"))
    document.table(
        [_("Item"), _("Value")],
        [
            [_("Period"), data.period],
            [_("Decision"), data.decision.label],
            [_("Action plan"), data.plan_title or _("No action plan is built on it yet.")],
        ],
    )
    if data.summary:
        document.heading(_("Summary"))
        for line in data.summary.split("\n"):
            if line.strip():
                document.paragraph(line.strip())

    document.heading(_("The whole area"))
    covered = [a for a in data.areas if a.covered]
    document.paragraph(
        _("%(covered)s of the kommun's %(count)s areas have data in the picture.")
        % {"covered": len(covered), "count": len(data.areas)}
    )
    if data.areas:
        document.table(
            [_("Area"), _("Sources")],
            [
                [a.area.name, ", ".join(a.sources) if a.sources else _("No data – see below")]
                for a in data.areas
            ],
        )
    if data.coverage_note:
        document.paragraph(data.coverage_note, style="note")

    if data.reported_crime:
        document.heading(_("Reported crime"))
        _statistics(document, data.reported_crime, "crime")
    incidents = data.incidents
    document.heading(_("Incident reports"))
    document.paragraph(
        _("Incident reports %(period)s: ") % {"period": incidents.period},
        document.adopt("incidents.total", _("Incident reports"), incidents.total),
        _(" (the period before, %(period)s: ") % {"period": incidents.previous_period},
        document.adopt(
            "incidents.previous", _("Incident reports, the period before"), incidents.previous_total
        ),
        ").",
    )
    if incidents.areas:
        document.table(
            [_("Area"), _("Incident reports"), _("Period before"), _("Change")],
            [
                [
                    a.name,
                    document.adopt(f"incidents.area.{a.name}", a.name, a.count),
                    document.adopt(
                        f"incidents.area.{a.name}.before",
                        f"{a.name}, {_('the period before')}",
                        a.previous,
                    ),
                    a.change or "–",
                ]
                for a in incidents.areas
            ],
            numeric={1, 2, 3},
        )
    police = data.police
    if police.rows:
        document.heading(_("Police events"))
        document.table(
            [_("Type"), police.period, police.previous_period, _("Change")],
            [
                [
                    r.event_type,
                    document.adopt(f"police.{r.event_type}", r.event_type, r.recent),
                    document.adopt(
                        f"police.{r.event_type}.before",
                        f"{r.event_type}, {_('the period before')}",
                        r.previous,
                    ),
                    r.change or "–",
                ]
                for r in police.rows[:12]
            ],
            numeric={1, 2, 3},
            caption=police.source,
        )
    if data.surveys:
        document.heading(_("Surveys"))
        _statistics(document, data.surveys, "survey")

    if data.consequences:
        document.heading(_("Consequences"))
        for line in data.consequences.split("\n"):
            if line.strip():
                document.paragraph(line.strip())
    else:
        document.draft(
            "consequences",
            _("Consequences"),
            drafts.get("consequences", ""),
            _("What the crime means for those affected, for the area and for the kommun."),
            level=1,
        )
    problems(document, data.problems, heading=_("Prioritised problems and their causes"))
    if data.solved_problems:
        document.heading(_("Problems removed from the list"), 2)
        document.bullets(
            [
                [
                    f"{p.title} – {p.status_label}"
                    + (f" {p.status_since:%Y-%m-%d}" if p.status_since else "")
                ]
                for p in data.solved_problems
            ]
        )
    if data.places:
        document.heading(_("Problem places"), 2)
        document.table(
            [_("Place"), _("Area"), _("Problems")],
            [[p.name, p.area, "; ".join(i.title for i in p.problems)] for p in data.places],
        )
    document.heading(_("Sources of the picture"))
    if data.sources:
        document.table(
            [_("Source"), _("Provider"), _("Kind"), _("Findings")],
            [
                [
                    s.title,
                    s.provider or "–",
                    s.kind_label + (" " + _("(qualitative)") if s.qualitative else ""),
                    s.findings or "–",
                ]
                for s in data.sources
            ],
        )
    else:
        document.paragraph(_("The picture names no sources."), style="note")
    document.draft("assessment", _("Assessment"), drafts.get("assessment", ""), level=1)
    return document
