"""Plan export (åtgärdsplan / plan för samverkan): diarienummer, decision, period, roll-up,
focus areas → activities → measures, and targets with their outcomes per period; A4."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document, number
from trygg.reports.kinds.base import Params, source, url


def plan_of(user, params: Params):
    """The chosen plan, else the organisation's plan that covers the year (decided first)."""
    from trygg.plans.models import Plan

    plans = Plan.objects.restrict(user, VIEW).filter(organisation=params.organisation)
    if params.plan_id:
        plan = plans.filter(pk=params.plan_id).first()
    else:
        plan = (
            plans.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=params.year_end))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=params.year_start))
            .order_by("-decided_on", "-starts_on", "title")
            .first()
        )
    if plan is None:
        raise Http404
    return plan


def decision_parts(plan) -> list[list[str]]:
    rows = []
    if plan.diarienummer:
        rows.append([_("Reg. no."), plan.diarienummer])
    rows.append([_("Kind"), plan.get_kind_display()])
    rows.append([_("State"), plan.get_state_display()])
    if plan.decided_by or plan.decided_on:
        rows.append(
            [
                _("Decided"),
                " ".join(
                    p
                    for p in [
                        plan.decided_by,
                        f"{plan.decided_on:%Y-%m-%d}" if plan.decided_on else "",
                    ]
                    if p
                ),
            ]
        )
    else:
        rows.append([_("Decided"), _("Not decided")])
    period = " – ".join(f"{d:%Y-%m-%d}" for d in (plan.starts_on, plan.ends_on) if d is not None)
    rows.append([_("Period"), period or _("Not stated")])
    if plan.last_evaluated_on:
        rows.append([_("Last followed up"), f"{plan.last_evaluated_on:%Y-%m-%d}"])
    return rows


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.plans.models import Measure, MeasureResponsible, Outcome, Target
    from trygg.plans.selectors import fulfilment, plan_view

    plan = plan_of(user, params)
    view = plan_view(user, plan)
    document = Document(
        kind="plan",
        title=plan.title,
        subtitle=plan.get_kind_display(),
        organisation=plan.organisation.name,
        parameters={**params.as_dict(), "plan": plan.pk},
        diarienummer=plan.diarienummer,
    )
    measures_source = source(
        Measure,
        plan.title,
        filters=_("measures of the plan by status category"),
        link=url("plans:plan_detail", plan.pk),
    )
    document.heading(_("Decision and period"))
    document.table([_("Item"), _("Value")], decision_parts(plan))
    if plan.description:
        document.heading(_("Purpose and background"))
        for line in plan.description.split("\n"):
            if line.strip():
                document.paragraph(line.strip())

    rollup = view.rollup
    document.heading(_("Progress"))
    total = document.count("plan.measures", _("Measures"), rollup.measures, measures_source)
    parts: list = [_("The plan has "), total, _(" measures")]
    for key, label in rollup.measure_parts:
        figure = document.count(
            f"plan.measures.{key}", str(label), rollup.measure_counts.get(key, 0), measures_source
        )
        parts += [", ", figure, f" {str(label).lower()}"]
    parts.append(".")
    document.paragraph(*parts)
    if rollup.progress is not None:
        document.paragraph(
            _("Progress: "),
            document.figure(
                "plan.progress",
                _("Progress"),
                round(rollup.progress, 1),
                f"{number(round(rollup.progress))} %",
                measures_source,
            ),
            ".",
        )

    targets = list(
        Target.objects.restrict(user, VIEW)
        .filter(measure__plan=plan)
        .select_related("measure")
        .prefetch_related(
            Prefetch(
                "outcomes", queryset=Outcome.objects.restrict(user, VIEW).order_by("period_start")
            )
        )
    )
    if targets:
        target_source = source(
            Outcome,
            plan.title,
            filters=_("outcomes of the plan's targets"),
            link=url("plans:plan_detail", plan.pk),
        )
        document.heading(_("Targets and outcomes"))
        rows = []
        for target in targets:
            outcomes = list(target.outcomes.all())
            outcome_text = [
                document.figure(
                    f"target.{target.pk}.{o.period_label}",
                    f"{target.description} {o.period_label}",
                    o.actual,
                    f"{o.period_label}: {number(o.actual, 0 if o.actual == int(o.actual) else 1)}",
                    target_source,
                )
                for o in outcomes
            ]
            rows.append(
                [
                    target.measure.title,
                    f"{target.description} ({target.get_comparison_display()} {number(target.value, 0 if target.value == int(target.value) else 1)} {target.unit})".strip(),
                    outcome_text[-1] if outcome_text else "–",
                    str(dict(_fulfilment_labels()).get(fulfilment(target), "")),
                ]
            )
        document.table([_("Measure"), _("Target"), _("Latest outcome"), _("Fulfilment")], rows)

    responsibles: dict[int, list[str]] = {}
    for responsible in MeasureResponsible.objects.filter(measure__plan=plan).order_by("pk"):
        responsibles.setdefault(responsible.measure_id, []).append(str(responsible))
    for focus in view.focus_areas:
        title = focus.focus_area.title if focus.focus_area else _("Without focus area")
        document.heading(title)
        if focus.focus_area and focus.focus_area.purpose:
            document.paragraph(focus.focus_area.purpose)
        for activity_view in focus.activities:
            document.heading(_("Activity: %(title)s") % {"title": activity_view.activity.title}, 2)
            if activity_view.measures:
                document.table(
                    [_("Challenge"), _("Measure"), _("Responsible"), _("Status")],
                    [
                        [
                            m.challenge if hasattr(m, "challenge") else "",
                            m.title,
                            ", ".join(responsibles.get(m.pk, [])),
                            m.status.name,
                        ]
                        for m in activity_view.measures
                    ],
                )
    if view.loose_measures:
        document.heading(_("Measures outside the activities"))
        document.bullets([[m.title] for m in view.loose_measures])
    return document


def _fulfilment_labels():
    from trygg.plans.choices import Fulfilment

    return Fulfilment.choices
