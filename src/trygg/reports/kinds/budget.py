"""Budget proposal (tjänsteskrivelse, seed 001): Förslag / Utfall / Budget per line with
computed sums, the frame and its check, the state grant and the measures each line funds."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document, money
from trygg.reports.kinds.base import Params, source, url


def budget_of(user, params: Params):
    from trygg.budget.models import Budget

    budget = (
        Budget.objects.restrict(user, VIEW)
        .filter(organisation=params.organisation, year=params.year)
        .order_by("name")
        .first()
    )
    if budget is None:
        raise Http404
    return budget


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.budget.models import Budget, BudgetLine, MeasureFunding
    from trygg.budget.selectors import budget_table
    from trygg.stats.models import Observation

    budget = budget_of(user, params)
    table = budget_table(user, budget)
    year, next_year = budget.year, budget.year + 1
    document = Document(
        kind="budget",
        title=_("%(name)s %(year)s – proposed allocation")
        % {"name": budget.name, "year": next_year},
        organisation=params.organisation.name,
        parameters=params.as_dict(),
        diarienummer=drafts.get("diarienummer")
        or (table.next_budget.diarienummer if table.next_budget else "")
        or budget.diarienummer,
    )
    lines = source(
        BudgetLine,
        str(budget),
        filters=_("every line of the budget"),
        period=f"{year}–{next_year}",
        link=url("budget:budget_detail", budget.pk),
    )
    document.draft(
        "proposal",
        _("Proposed decision"),
        drafts.get("proposal", ""),
        _("Who decides what, e.g. the allocation of the safety budget as below."),
        level=1,
    )
    proposal_total = (
        document.money(
            "budget.proposal",
            _("Proposal %(year)s") % {"year": next_year},
            table.totals.proposal,
            lines,
        )
        if table.totals.proposal is not None
        else None
    )
    amount_total = document.money(
        "budget.amount", _("Budget %(year)s") % {"year": year}, table.totals.amount, lines
    )
    outcome_total = (
        document.money(
            "budget.outcome",
            _("Outcome %(year)s") % {"year": year},
            table.totals.outcome,
            lines,
        )
        if table.totals.outcome is not None
        else None
    )
    document.heading(_("Summary"))
    parts: list = [_("The budget %(year)s is ") % {"year": year}, amount_total]
    if outcome_total is not None:
        parts += [_("; the outcome was "), outcome_total]
    if proposal_total is not None:
        parts += [_(". The proposal for %(year)s allocates ") % {"year": next_year}, proposal_total]
    parts.append(".")
    document.paragraph(*parts)

    document.heading(_("Proposed allocation %(year)s") % {"year": next_year})
    rows = []
    for row in table.rows:
        line = row.line
        rows.append(
            [
                line.name,
                money(line.proposal, "mkr") if line.proposal is not None else "–",
                money(line.outcome, "mkr") if line.outcome is not None else "–",
                money(line.amount, "mkr"),
            ]
        )
    document.table(
        [
            _("Line"),
            _("Proposal %(year)s") % {"year": next_year},
            _("Outcome %(year)s") % {"year": year},
            _("Budget %(year)s") % {"year": year},
        ],
        rows,
        numeric={1, 2, 3},
        total=[_("Total"), proposal_total or "–", outcome_total or "–", amount_total],
    )
    checks = []
    for check in table.checks:
        frame_source = source(
            Budget,
            _("decided frame %(year)s") % {"year": check.year},
            period=str(check.year),
        )
        frame = document.money(
            f"budget.frame.{check.year}",
            _("Frame %(year)s") % {"year": check.year},
            check.frame,
            frame_source,
        )
        if check.exceeds:
            verdict = _(" – exceeds the frame by %(amount)s.") % {"amount": money(check.difference)}
        elif check.unallocated:
            verdict = _(" – %(amount)s not allocated.") % {"amount": money(check.unallocated)}
        else:
            verdict = _(" – within the frame.")
        checks.append(
            [f"{check.label}: {money(check.total)} " + _("against the frame "), frame, verdict]
        )
    if checks:
        document.heading(_("Check against the frame"), 2)
        document.bullets(checks)

    funded = [(row.line, row.fundings) for row in table.rows if row.fundings]
    if funded:
        document.heading(_("Measures funded by the lines"), 2)
        funding_source = source(
            MeasureFunding, str(budget), filters=_("funding from the budget's lines")
        )
        items = []
        for line, fundings in funded:
            for funding in fundings:
                amount = (
                    document.money(
                        f"funding.{funding.pk}",
                        f"{line.name}: {funding.measure.title}",
                        funding.amount,
                        funding_source,
                    )
                    if funding.amount is not None
                    else _("amount not stated")
                )
                items.append([f"{line.name}: {funding.measure.title} (", amount, ")"])
        document.bullets(items)

    document.heading(_("Economic consequences"))
    for grant in table.grants:
        if grant.amount is None:
            continue
        grant_source = source(
            Observation,
            _("population of %(area)s 31 December %(year)s × %(rate)s kr (law 2023:196)")
            % {"area": grant.area_name, "year": grant.population_year, "rate": grant.rate},
            period=str(grant.population_year),
        )
        figure = document.money(
            f"grant.{grant.year}",
            _("State grant %(year)s") % {"year": grant.year},
            grant.amount,
            grant_source,
        )
        document.paragraph(
            _("State grant for crime prevention %(year)s: ") % {"year": grant.year},
            figure,
            _(" (%(rate)s kr per inhabitant).") % {"rate": grant.rate},
        )
    document.draft("economy", _("Assessment"), drafts.get("economy", ""), level=2)
    document.draft(
        "children",
        _("Consequences for children"),
        drafts.get("children", ""),
        _("How the allocation affects children and young people."),
        level=1,
    )
    return document
