"""Åtgärdsplan (law 2023:196 §5): measures grouped by the prioritised problem (and its cause
analysis) they address, with responsibles, timing, targets and how they are followed up;
measures linked to no problem are listed as such; the decision (who, date, diarienummer)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params, source, url
from trygg.reports.kinds.plan import decision_parts, plan_of
from trygg.reports.kinds.situation import picture_of


def _measure_row(
    measure, responsibles: dict[int, list[str]], targets: dict[int, list[str]]
) -> list[str]:
    period = " – ".join(f"{d:%Y-%m-%d}" for d in (measure.starts_on, measure.ends_on) if d) or "–"
    return [
        measure.title,
        ", ".join(responsibles.get(measure.pk, [])) or "–",
        period,
        "; ".join(targets.get(measure.pk, [])) or _("No target"),
        measure.status.name,
    ]


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.plans.models import Measure, MeasureResponsible, Target
    from trygg.situation import selectors

    plan = plan_of(user, params)
    picture = picture_of(user, params)
    document = Document(
        kind="action_plan",
        title=_("Action plan: %(plan)s") % {"plan": plan.title},
        subtitle=_("Measures based on the situation picture (law 2023:196, section 5)"),
        organisation=plan.organisation.name,
        parameters={**params.as_dict(), "plan": plan.pk},
        diarienummer=plan.diarienummer,
    )
    document.heading(_("Decision"))
    document.table([_("Item"), _("Value")], decision_parts(plan))
    measures = list(
        Measure.objects.restrict(user, VIEW)
        .filter(plan=plan)
        .select_related("status")
        .order_by("order", "pk")
    )
    responsibles: dict[int, list[str]] = {}
    for responsible in MeasureResponsible.objects.filter(measure__in=measures).order_by("pk"):
        responsibles.setdefault(responsible.measure_id, []).append(str(responsible))
    targets: dict[int, list[str]] = {}
    for target in Target.objects.restrict(user, VIEW).filter(measure__in=measures):
        targets.setdefault(target.measure_id, []).append(target.description)
    measure_source = source(Measure, plan.title, link=url("plans:plan_detail", plan.pk))
    columns = [_("Measure"), _("Responsible"), _("When"), _("Target and follow-up"), _("Status")]
    by_id = {m.pk: m for m in measures}
    linked: set[int] = set()
    document.heading(_("Measures by prioritised problem"))
    if picture is None:
        document.paragraph(_("There is no situation picture to base the measures on."))
    else:
        document.paragraph(
            _("Based on the situation picture %(title)s.") % {"title": picture.title}
        )
        for view in selectors.problems_of(user, picture):
            rows = []
            for link in view.measures:
                measure = by_id.get(link.measure_id)
                if measure is not None:
                    linked.add(measure.pk)
                    rows.append(_measure_row(measure, responsibles, targets))
            document.heading(f"{view.problem.priority}. {view.problem.title}", 2)
            if view.analysis is not None and view.analysis.conclusion:
                document.paragraph(_("Cause: %(text)s") % {"text": view.analysis.conclusion})
            if rows:
                document.table(columns, rows)
            else:
                document.paragraph(
                    _("No measure of the plan addresses this problem."), style="note"
                )
    unlinked = [m for m in measures if m.pk not in linked]
    document.heading(_("Measures linked to no problem"))
    count = document.count(
        "action_plan.unlinked", _("Measures linked to no problem"), len(unlinked), measure_source
    )
    total = document.count("action_plan.measures", _("Measures"), len(measures), measure_source)
    document.paragraph(
        count, _(" of "), total, _(" measures are linked to no prioritised problem.")
    )
    if unlinked:
        document.table(columns, [_measure_row(m, responsibles, targets) for m in unlinked])
    document.draft(
        "followup",
        _("How the plan is followed up"),
        drafts.get("followup", ""),
        _("When and by whom the measures and targets are followed up."),
        level=1,
    )
    return document
