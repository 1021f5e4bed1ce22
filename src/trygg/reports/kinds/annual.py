"""Verksamhetsberättelse: the annual report of a committee such as KSTU (seed 000's structure).

Sammanfattning; the committee's own meetings; each working group's meetings against its
cadence; the plan's measures by status (the parts add up to the total); measures completed in
the year; key figures of the lägesbild (Brå trends with verdicts, survey indicators against
the year before and riket); the safety budget's use; youth coordination when that module
provides its statistics; open problems and overdue decisions as challenges; and the sections a
person writes (Utmaningar för kommande år, Ekonomiska konsekvenser, Konsekvenser för barn).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document, _localised, money
from trygg.reports.kinds.base import Params, source, url


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    org = params.organisation
    year = params.year
    committee = _committee(user, params)
    document = Document(
        kind="annual",
        title=_("Annual report %(year)s") % {"year": year},
        subtitle=(
            _("Annual report of %(committee)s") % {"committee": committee.name} if committee else ""
        ),
        organisation=org.name,
        parameters=params.as_dict(),
        diarienummer=drafts.get("diarienummer", ""),
    )
    summary_index = len(document.blocks)
    document.heading(_("Summary"))
    meetings = _meetings(document, user, params, committee)
    measures = _measures(document, user, params)
    _completed(document, user, params)
    surveys = _key_figures(document, user, params)
    budget = _budget(document, user, params)
    _youth(document, user, params)
    _challenges(document, user, params)
    document.draft(
        "challenges",
        _("Challenges for the coming year"),
        drafts.get("challenges", ""),
        _("What the committee will develop, strengthen or start next year."),
        level=1,
    )
    document.draft(
        "economy",
        _("Economic consequences"),
        drafts.get("economy", ""),
        _("How the work is funded and what the figures above mean for the budget."),
        level=1,
    )
    document.draft(
        "children",
        _("Consequences for children"),
        drafts.get("children", ""),
        _("How the work affects children and young people."),
        level=1,
    )

    # The summary repeats the main figures (the same Figure objects, so the same sources).
    summary = []
    if meetings:
        summary.append(meetings)
    if measures:
        summary.append(measures)
    if budget:
        summary.append(budget)
    if surveys:
        summary.append(surveys)
    if not summary:
        summary.append([_("Trygg has no data on the work of this year yet.")])
    from trygg.reports.document import Paragraph

    document.blocks[summary_index + 1 : summary_index + 1] = [Paragraph(parts) for parts in summary]
    return document


def _committee(user, params: Params):
    from trygg.forums.choices import ForumKind
    from trygg.forums.selectors import forums

    chosen = forums(user).filter(organisation=params.organisation)
    if params.forum_id:
        return chosen.filter(pk=params.forum_id).first()
    return chosen.filter(kind=ForumKind.UTSKOTT).order_by("name").first()


def _meetings(document: Document, user, params: Params, committee) -> list:
    from trygg.forums.choices import ForumKind
    from trygg.forums.models import Meeting
    from trygg.forums.selectors import forum_year, forums

    year = params.year
    summary: list = []
    document.heading(_("Meetings"))
    if committee is not None:
        held = forum_year(user, committee, year)
        figure = document.count(
            "meetings.committee",
            _("Meetings held by %(forum)s %(year)s") % {"forum": committee.name, "year": year},
            held.held,
            source(
                Meeting,
                _("held meetings of %(forum)s") % {"forum": committee.name},
                filters=_("status held"),
                period=str(year),
                link=url("forums:forum_detail", committee.pk),
            ),
        )
        document.heading(committee.name, 2)
        parts = [
            _("%(forum)s held ") % {"forum": committee.name},
            figure,
            _(" meetings in %(year)s") % {"year": year},
        ]
        if held.expected is not None:
            parts += [
                _(", against %(expected)s planned by its cadence") % {"expected": held.expected}
            ]
        document.paragraph(*parts, ".")
        summary += [_("The committee met "), figure, _(" times. ")]

    groups = list(
        forums(user)
        .filter(organisation=params.organisation, kind=ForumKind.ARBETSGRUPP)
        .order_by("name")
    )
    if groups:
        document.heading(_("Local working groups"), 2)
        rows = []
        total = 0
        expected_total = 0
        for forum in groups:
            held = forum_year(user, forum, year)
            total += held.held
            expected_total += held.expected or 0
            meeting_source = source(
                Meeting,
                _("held meetings of %(forum)s") % {"forum": forum.name},
                filters=_("status held"),
                period=str(year),
                link=url("forums:forum_detail", forum.pk),
            )
            rows.append(
                [
                    forum.name,
                    document.count(
                        f"meetings.forum.{forum.pk}", forum.name, held.held, meeting_source
                    ),
                    str(held.expected) if held.expected is not None else "–",
                    _("Yes")
                    if held.meets_cadence
                    else (_("No") if held.meets_cadence is False else "–"),
                ]
            )
        all_source = source(
            Meeting,
            _("held meetings of the local working groups (%(count)s)") % {"count": len(groups)},
            filters=_("forum kind working group; status held"),
            period=str(year),
            link=url("forums:forum_list"),
        )
        total_figure = document.count(
            "meetings.working_groups",
            _("Meetings of the working groups %(year)s") % {"year": year},
            total,
            all_source,
        )
        document.paragraph(
            _("The %(count)s local working groups met ") % {"count": len(groups)},
            total_figure,
            _(" times in %(year)s.") % {"year": year},
        )
        document.table(
            [_("Working group"), _("Meetings held"), _("By cadence"), _("Cadence kept")],
            rows,
            numeric={1, 2},
            total=[_("Total"), total_figure, str(expected_total), ""],
        )
        summary += [
            _("The %(count)s local working groups met ") % {"count": len(groups)},
            total_figure,
            _(" times in %(year)s. ") % {"year": year},
        ]
    return summary


def _plans_in_year(user, params: Params):
    from trygg.plans.models import Plan

    return (
        Plan.objects.restrict(user, VIEW)
        .filter(organisation=params.organisation)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=params.year_end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=params.year_start))
        .order_by("-starts_on", "title")
    )


def _measures(document: Document, user, params: Params) -> list:
    from trygg.plans.choices import StatusCategory
    from trygg.plans.models import Measure
    from trygg.plans.selectors import status_counts

    summary: list = []
    plans = list(_plans_in_year(user, params))
    if not plans:
        return summary
    document.heading(_("Measures of the plans"))
    for plan in plans:
        counts: Counter = status_counts(user, plan)
        total = sum(counts.values())
        plan_source = source(
            Measure,
            plan.title,
            filters=_("measures of the plan, by status category"),
            period=str(params.year),
            link=url("plans:plan_detail", plan.pk),
        )
        rows = []
        parts_figures = {}
        for category in StatusCategory:
            figure = document.count(
                f"measures.{plan.pk}.{category.value}",
                f"{plan.title}: {category.label}",
                counts.get(category.value, 0),
                plan_source,
            )
            parts_figures[category.value] = figure
            rows.append([str(category.label), figure])
        total_figure = document.count(
            f"measures.{plan.pk}.total", f"{plan.title}: {_('Total')}", total, plan_source
        )
        document.heading(plan.title, 2)
        document.paragraph(
            _("The plan has "),
            total_figure,
            _(" measures: "),
            parts_figures[StatusCategory.DONE.value],
            _(" completed, "),
            parts_figures[StatusCategory.ONGOING.value],
            _(" ongoing, "),
            parts_figures[StatusCategory.NOT_STARTED.value],
            _(" not started and "),
            parts_figures[StatusCategory.CANCELLED.value],
            _(" cancelled."),
        )
        document.table(
            [_("Status"), _("Measures")], rows, numeric={1}, total=[_("Total"), total_figure]
        )
        if not summary:
            summary = [
                _("Within %(plan)s, ") % {"plan": plan.title},
                total_figure,
                _(" measures were planned, of which "),
                parts_figures[StatusCategory.DONE.value],
                _(" are completed and "),
                parts_figures[StatusCategory.ONGOING.value],
                _(" ongoing. "),
            ]
    return summary


def _completed(document: Document, user, params: Params) -> None:
    """Measures completed in the year (status category done, ending in the year)."""
    from trygg.plans.choices import StatusCategory
    from trygg.plans.models import Measure

    done = list(
        Measure.objects.restrict(user, VIEW)
        .filter(
            organisation=params.organisation,
            status__category=StatusCategory.DONE,
            plan__in=_plans_in_year(user, params),
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__year=params.year))
        .select_related("plan")
        .order_by("plan__title", "order", "pk")
    )
    if not done:
        return
    document.heading(_("Completed measures and campaigns"), 2)
    document.bullets([[m.title] for m in done])


def _key_figures(document: Document, user, params: Params) -> list:
    """Survey indicators against the year before and riket; Brå trends with verdicts."""
    from trygg.stats.choices import SeriesKind, Unit
    from trygg.stats.models import IndicatorSeries, Observation

    org = params.organisation
    year = params.year
    area = org.area
    summary: list = []
    series_list = list(
        IndicatorSeries.objects.restrict(user, VIEW)
        .filter(organisation=org, kind__in=[SeriesKind.SURVEY, SeriesKind.REPORTED_CRIME])
        # The kommun's own figures: series with values for the kommun or its parts (an
        # example series of another kommun kept by the organisation is not its key figure).
        .filter(
            Q(observations__area=area)
            | Q(observations__area__organisation=org)
            | Q(observations__area__parent=area)
        )
        .distinct()
        .select_related("import_batch")
        .order_by("kind", "name")
    )
    surveys = [s for s in series_list if s.kind == SeriesKind.SURVEY]
    crimes = [s for s in series_list if s.kind == SeriesKind.REPORTED_CRIME]
    if not surveys and not crimes:
        return summary
    document.heading(_("Key figures of the situation picture"))
    rows = []
    for series in surveys:
        values = {
            o.period_start.year: o
            for o in Observation.objects.restrict(user, VIEW).filter(
                series=series,
                area=area,
                category="",
                period_start__year__in=[year - 1, year],
                period_end__year__in=[year - 1, year],
            )
        }
        now, before = values.get(year), values.get(year - 1)
        if now is None or now.value is None:
            continue
        series_source = source(
            IndicatorSeries,
            series.name,
            filters=_("area %(area)s") % {"area": area.name if area else org.name},
            period=f"{year - 1}–{year}",
            batch=series.import_batch,
            link=url("stats:series_detail", series.pk),
        )
        if series.source:
            series_source = series_source.__class__(
                **{**series_source.as_dict(), "data": f"{series_source.data} ({series.source})"}
            )
        current = document.percent(
            f"survey.{series.pk}.{year}", f"{series.name} {year}", now.value, series_source
        )
        previous = (
            document.percent(
                f"survey.{series.pk}.{year - 1}",
                f"{series.name} {year - 1}",
                before.value,
                series_source,
            )
            if before is not None and before.value is not None
            else "–"
        )
        national = (
            document.percent(
                f"survey.{series.pk}.{year}.national",
                f"{series.name} {year}, {_('national')}",
                now.comparison_value,
                series_source,
            )
            if now.comparison_value is not None
            else "–"
        )
        rows.append([series.name, current, previous, national])
        summary += [f"{series.name}: ", current, " (", previous]
        summary += [_(" in %(year)s") % {"year": year - 1}]
        if national != "–":
            summary += [_("; national average "), national]
        summary.append("). ")
    if rows:
        document.heading(_("Safety surveys"), 2)
        document.table(
            [_("Indicator"), str(year), str(year - 1), _("National")],
            rows,
            numeric={1, 2, 3},
        )
        from trygg.stats.selectors import chart_spec

        for series in surveys:
            spec = chart_spec(user, series, area=area)
            if spec["data"]["values"]:
                document.chart(
                    series.name,
                    spec,
                    _("%(series)s per year, with the national comparison value.")
                    % {"series": series.name},
                )
    for series in crimes:
        if series.unit == Unit.PERCENT:
            _stored_changes(document, user, series)
        else:
            _crime_trend(document, user, series)
    return summary


def _stored_changes(document: Document, user, series) -> None:
    """A series that stores changes in percent (as a report gave them): shown as stored,
    per area and period; nothing is added up."""
    from trygg.core.formatting import format_change
    from trygg.stats.models import IndicatorSeries, Observation
    from trygg.stats.selectors import _area_order

    observations = list(
        Observation.objects.restrict(user, VIEW)
        .filter(series=series, value__isnull=False)
        .select_related("area")
        .order_by("period_start", "category")[:60]
    )
    if not observations:
        return
    observations.sort(key=lambda o: (_area_order(o.area), o.area.name, o.period_label, o.category))
    series_source = source(
        IndicatorSeries,
        series.name + (f" ({series.source})" if series.source else ""),
        filters=_("every area and category of the series"),
        period=", ".join(sorted({o.period_label for o in observations})),
        batch=series.import_batch,
        link=url("stats:series_detail", series.pk),
    )
    document.heading(series.name, 2)
    rows = [
        [
            o.area.name,
            o.period_label,
            o.category or "–",
            document.figure(
                f"change.{series.pk}.{o.area_id}.{o.period_label}.{o.category}",
                f"{o.area.name} {o.category} {o.period_label}",
                o.value,
                _localised(format_change(o.value)),
                series_source,
            ),
        ]
        for o in observations
    ]
    document.table([_("Area"), _("Period"), _("Category"), _("Change")], rows, numeric={3})


def _crime_trend(document: Document, user, series) -> None:
    """Counts of reported crime: the last period against the one before, with the verdict of
    the rate-ratio test."""
    from trygg.core.formatting import format_change
    from trygg.stats.models import IndicatorSeries
    from trygg.stats.selectors import trend

    result = trend(user, series)
    if result.period_a is None or result.period_b is None or not result.rows:
        return
    shown = [r for r in result.rows if r.area is not None and r.change is not None][:15]
    if not shown:
        return
    series_source = source(
        IndicatorSeries,
        series.name,
        filters=_("every area and category of the series"),
        period=f"{result.period_a.label} → {result.period_b.label}",
        batch=series.import_batch,
        link=url("stats:series_detail", series.pk),
    )
    document.heading(series.name, 2)
    rows = [
        [
            row.area_name,
            row.category or "–",
            document.figure(
                f"trend.{series.pk}.{row.area_name}.{row.category}",
                f"{row.area_name} {row.category}",
                round(row.change, 1),
                _localised(format_change(row.change)),
                series_source,
            ),
            row.verdict_label or "–",
        ]
        for row in shown
    ]
    document.table(
        [_("Area"), _("Category"), _("Change"), _("Verdict")],
        rows,
        numeric={2},
        caption=_("Change %(a)s → %(b)s; verdict from a Poisson rate-ratio test (95 %%).")
        % {"a": result.period_a.label, "b": result.period_b.label},
    )


def _budget(document: Document, user, params: Params) -> list:
    from trygg.budget.models import Budget, BudgetLine
    from trygg.budget.selectors import budget_table

    budgets = list(
        Budget.objects.restrict(user, VIEW)
        .filter(organisation=params.organisation, year=params.year)
        .order_by("name")
    )
    summary: list = []
    if not budgets:
        return summary
    document.heading(_("Use of the safety budget"))
    for budget in budgets:
        table = budget_table(user, budget)
        line_source = source(
            BudgetLine,
            str(budget),
            filters=_("every line of the budget"),
            period=str(budget.year),
            link=url("budget:budget_detail", budget.pk),
        )
        document.heading(str(budget), 2)
        amount = document.money(
            f"budget.{budget.pk}.amount",
            _("Budget %(year)s") % {"year": budget.year},
            table.totals.amount,
            line_source,
        )
        outcome = (
            document.money(
                f"budget.{budget.pk}.outcome",
                _("Outcome %(year)s") % {"year": budget.year},
                table.totals.outcome,
                line_source,
            )
            if table.totals.outcome is not None
            else None
        )
        frame = (
            document.money(
                f"budget.{budget.pk}.frame",
                _("Frame %(year)s") % {"year": budget.year},
                budget.frame,
                source(
                    Budget, str(budget), filters=_("the decided frame"), period=str(budget.year)
                ),
            )
            if budget.frame is not None
            else None
        )
        parts: list = []
        if outcome is not None:
            parts = [
                _("Outcome %(year)s: ") % {"year": budget.year},
                outcome,
                _(" against the budget "),
            ]
            parts += [amount]
            if frame is not None:
                parts += [_(" and the frame "), frame]
            parts.append(".")
            if not table.totals.outcome_complete:
                parts.append(" " + _("Not every line has an outcome yet."))
        else:
            parts = [_("Budget %(year)s: ") % {"year": budget.year}, amount, ". "]
            parts.append(_("No outcome is recorded yet."))
        document.paragraph(*parts)
        rows = [
            [
                row.line.name,
                money(row.line.amount, "mkr"),
                money(row.line.outcome, "mkr") if row.line.outcome is not None else "–",
            ]
            for row in table.rows
        ]
        document.table(
            [_("Line"), _("Budget"), _("Outcome")],
            rows,
            numeric={1, 2},
            total=[_("Total"), amount, outcome or "–"],
        )
        if not summary and outcome is not None:
            summary = [
                _("Of the safety budget's "),
                frame or amount,
                ", ",
                outcome,
                _(" was used in %(year)s. ") % {"year": budget.year},
            ]
    return summary


# Youth coordination (SSPF/SIG). The cases module provides
# ``cases.selectors.case_statistics(*, user, organisation, year, programme)``; until it does,
# the section is left out. Counts 1–4 are shown as "<5".


def youth_statistics(user, organisation, year: int) -> list[tuple[str, dict[str, int | None]]]:
    """[(programme label, {label: count})] from the cases module, or [] without it."""
    try:
        from trygg.cases import selectors as case_selectors
    except ImportError:
        return []
    statistics = getattr(case_selectors, "case_statistics", None)
    if statistics is None:
        return []
    result = []
    for programme, label in (("sspf", "SSPF"), ("sig", "SIG")):
        counts = statistics(user=user, organisation=organisation, year=year, programme=programme)
        if counts:
            result.append((label, dict(counts)))
    return result


def _youth(document: Document, user, params: Params) -> None:
    from django.conf import settings

    sections = youth_statistics(user, params.organisation, params.year)
    if not sections:
        return
    threshold = settings.SMALL_COUNT_THRESHOLD
    document.heading(_("Coordination for young people at risk"))
    for label, counts in sections:
        rows = []
        for name, value in counts.items():
            if value is None:
                text = "–"
            elif 0 < value < threshold:
                text = f"<{threshold}"
            else:
                text = str(value)
            rows.append([str(name), text])
        document.heading(label, 2)
        document.table([_("Figure"), _("Young people")], rows, numeric={1})


def _challenges(document: Document, user, params: Params) -> None:
    from trygg.forums.choices import DecisionStatus
    from trygg.forums.selectors import decisions
    from trygg.situation.models import Problem

    today = timezone.localdate()
    problems = list(
        Problem.objects.restrict(user, VIEW)
        .filter(organisation=params.organisation)
        .select_related("situation_picture")
        .order_by("-situation_picture__year", "priority", "title")[:10]
    )
    overdue = list(
        decisions(user)
        .filter(
            meeting__forum__organisation=params.organisation,
            status=DecisionStatus.OPEN,
            due_date__lt=min(today, params.year_end),
        )
        .order_by("due_date")[:15]
    )
    if not problems and not overdue:
        return
    document.heading(_("Challenges"))
    if problems:
        document.heading(_("Prioritised problems of the situation picture"), 2)
        document.bullets([[p.title] for p in problems])
    if overdue:
        document.heading(_("Decisions past their due date"), 2)
        document.bullets(
            [
                [
                    f"{Truncator(d.text).words(20)} – "
                    + _("due %(date)s, %(forum)s")
                    % {"date": f"{d.due_date:%Y-%m-%d}", "forum": d.meeting.forum.name}
                ]
                for d in overdue
            ]
        )
