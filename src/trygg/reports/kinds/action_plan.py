"""Åtgärdsplan (law 2023:196 §5), from ``situation.chain.action_plan_document``: measures grouped
by the prioritised problem and the cause they address, with responsibles, timing, targets and
how they are followed up; measures linked to no problem listed as such; the decision."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params
from trygg.reports.kinds.plan import plan_of


def chosen_plan(user, params: Params):
    """The chosen plan; else the plan the newest lägesbild names; else the year's plan."""
    from trygg.plans.models import Plan
    from trygg.reports.kinds.situation import picture_of

    if not params.plan_id:
        picture = picture_of(user, params)
        if picture is not None and picture.plan_id:
            plan = Plan.objects.restrict(user, VIEW).filter(pk=picture.plan_id).first()
            if plan is not None:
                return plan
    return plan_of(user, params)


def _rows(document: Document, items) -> list[list]:
    rows = []
    for item in items:
        period = " – ".join(f"{d:%Y-%m-%d}" for d in (item.starts_on, item.ends_on) if d) or "–"
        targets = []
        for result in item.targets:
            deciding = result.deciding
            if deciding is not None:
                targets += [
                    f"{result.target.description}: ",
                    document.adopt(
                        f"target.{result.target.pk}.{deciding.period.label}",
                        f"{result.target.description} {deciding.period.label}",
                        deciding.actual,
                    ),
                    f" ({deciding.period.label}); ",
                ]
            else:
                targets.append(f"{result.target.description}; ")
        follow = "".join(str(t) for t in targets) + (item.follow_up or "")
        rows.append(
            [
                item.title,
                ", ".join(item.responsibles) or "–",
                period,
                follow.strip("; ") or _("No target"),
                item.status,
            ]
        )
    return rows


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.situation.chain import action_plan_document

    plan = chosen_plan(user, params)
    data = action_plan_document(user=user, plan=plan)
    document = Document(
        kind="action_plan",
        title=data.title,
        subtitle=_("Measures based on the situation picture (law 2023:196, section 5)"),
        organisation=data.organisation.name,
        parameters={**params.as_dict(), "plan": plan.pk},
        diarienummer=data.decision.diarienummer,
    )
    document.heading(_("Decision and period"))
    rows = [
        [_("Kind"), data.kind],
        [_("Period"), data.period or _("Not stated")],
        [_("Decision"), data.decision.label],
        [_("Situation picture"), data.picture.title if data.picture else _("None")],
        [_("Follow-up"), data.evaluation_rule],
    ]
    if data.next_revision_on:
        rows.append([_("Next revision"), f"{data.next_revision_on:%Y-%m-%d}"])
    document.table([_("Item"), _("Value")], rows)
    total = document.adopt("action_plan.measures", _("Measures"), data.measure_total)
    linked = document.adopt(
        "action_plan.linked", _("Measures linked to a problem"), data.linked_total
    )
    document.paragraph(linked, _(" of "), total, _(" measures address a prioritised problem."))

    columns = [_("Measure"), _("Responsible"), _("When"), _("Target and follow-up"), _("Status")]
    document.heading(_("Measures by prioritised problem"))
    for group in data.groups:
        problem = group.problem
        document.heading(f"{problem.priority}. {problem.title}", 2)
        for cause in group.causes:
            if cause.cause:
                document.heading(cause.cause_label, 3)
                if cause.causes:
                    document.paragraph(
                        _("Causes: %(list)s") % {"list": "; ".join(cause.causes)}, style="note"
                    )
            if cause.measures:
                document.table(columns, _rows(document, cause.measures))
    if data.problems_without_measures:
        document.heading(_("Problems without a measure"), 2)
        document.bullets([[p.title] for p in data.problems_without_measures])
    document.heading(_("Measures linked to no problem"))
    if data.unlinked:
        document.table(columns, _rows(document, data.unlinked))
    else:
        document.paragraph(_("Every measure addresses a prioritised problem."))
    return document
