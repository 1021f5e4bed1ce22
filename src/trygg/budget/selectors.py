"""Reads for the budget: every figure on the budget pages, the API and the reports.

Totals are computed here from the lines, never stored or typed, and every read goes
through ``restrict()`` so that sums only ever cover what the reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from trygg.budget.choices import FundingSource, Variance
from trygg.budget.models import Budget, BudgetLine, MeasureFunding, MeasureTag, budget_readable
from trygg.core.access import VIEW, scope_for
from trygg.core.actors import Viewer
from trygg.core.choices import AreaKind, OrganisationKind

if TYPE_CHECKING:
    from trygg.core.models import Organisation
    from trygg.plans.models import Measure

ZERO = Decimal(0)

#: Statsbidrag för brottsförebyggande arbete: the kommun gets 23 kr per inhabitant a year
#: (lag 2023:196 om kommuners ansvar för brottsförebyggande arbete; tjänsteskrivelse
#: KFKS-2024-00430: "23 kr per invånare, totalt cirka 2,5 mkr för 2024").
STATE_GRANT_PER_INHABITANT = Decimal(23)


def budgets_for(user: Viewer, action: str = VIEW) -> QuerySet[Budget]:
    """Budgets the user may see, with their line totals computed in the database."""
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
    return (
        Budget.objects.restrict(user, action)
        .select_related("organisation")
        .annotate(
            total_amount=Coalesce(Sum("lines__amount"), Value(ZERO), output_field=money),
            total_outcome=Sum("lines__outcome", output_field=money),
            total_proposal=Sum("lines__proposal", output_field=money),
            line_count=Count("lines"),
        )
    )


def variance(amount: Decimal | None, outcome: Decimal | None) -> tuple[Decimal | None, ...]:
    """Outcome minus budget in kronor, and in percent of the budget (None where undefined)."""
    if outcome is None or amount is None:
        return None, None
    difference = outcome - amount
    if amount == 0:
        return difference, None
    pct = (difference * 100 / amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return difference, pct


def variance_kind(difference: Decimal | None) -> str:
    if difference is None:
        return Variance.NONE
    if difference > 0:
        return Variance.OVER
    if difference < 0:
        return Variance.UNDER
    return Variance.ON


@dataclass
class LineRow:
    """One row of the budget table, with its variance and what it funds."""

    line: BudgetLine
    variance: Decimal | None
    variance_pct: Decimal | None
    variance_kind: str
    funded: Decimal
    fundings: list[MeasureFunding] = field(default_factory=list)

    @property
    def funded_known(self) -> bool:
        """Whether any funding of the line has a known amount (the sum means something)."""
        return any(f.amount is not None for f in self.fundings)

    @property
    def variance_label(self) -> str:
        return str(Variance(self.variance_kind).label)


@dataclass
class Totals:
    amount: Decimal
    outcome: Decimal | None
    proposal: Decimal | None
    outcome_complete: bool
    proposal_complete: bool
    variance: Decimal | None
    variance_pct: Decimal | None
    variance_kind: str
    funded: Decimal
    funding_count: int = 0

    @property
    def variance_label(self) -> str:
        return str(Variance(self.variance_kind).label)


@dataclass
class FrameCheck:
    """The sum of a column against a decided frame."""

    label: str
    total: Decimal
    frame: Decimal
    year: int

    @property
    def difference(self) -> Decimal:
        return self.total - self.frame

    @property
    def exceeds(self) -> bool:
        return self.total > self.frame

    @property
    def unallocated(self) -> Decimal:
        return max(self.frame - self.total, ZERO)


@dataclass
class StateGrant:
    """Statsbidraget for one year: the rate times the population at the end of the year before."""

    year: int
    rate: Decimal
    population_year: int
    population: int | None
    area_name: str

    @property
    def amount(self) -> Decimal | None:
        if self.population is None:
            return None
        return self.rate * self.population


@dataclass
class BudgetTable:
    budget: Budget
    rows: list[LineRow]
    totals: Totals
    frame_check: FrameCheck | None
    proposal_check: FrameCheck | None
    next_budget: Budget | None
    grants: list[StateGrant]

    @property
    def checks(self) -> list[FrameCheck]:
        return [c for c in (self.frame_check, self.proposal_check) if c is not None]

    @property
    def warnings(self) -> list[FrameCheck]:
        return [c for c in self.checks if c.exceeds]


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _known_sum(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of the amounts that are known (a funding's amount may be unknown)."""
    return sum((v for v in values if v is not None), ZERO)


def budget_table(user: Viewer, budget: Budget) -> BudgetTable:
    """The table of seed 001: per line Förslag (next year), Utfall and Budget, with sums.

    The sums, variances and checks against the frame are computed here from the lines the
    user may see; nothing on the page is typed.
    """
    lines = list(BudgetLine.objects.restrict(user, VIEW).filter(budget=budget))
    fundings: dict[int, list[MeasureFunding]] = {}
    for funding in (
        MeasureFunding.objects.restrict(user, VIEW)
        .filter(budget_line__in=lines)
        .select_related("measure", "budget_line")
        .order_by("measure__title", "pk")
    ):
        if funding.budget_line_id is not None:
            fundings.setdefault(funding.budget_line_id, []).append(funding)
    rows = []
    for line in lines:
        diff, pct = variance(line.amount, line.outcome)
        line_fundings = fundings.get(line.pk, [])
        rows.append(
            LineRow(
                line=line,
                variance=diff,
                variance_pct=pct,
                variance_kind=variance_kind(diff),
                funded=_known_sum(f.amount for f in line_fundings),
                fundings=line_fundings,
            )
        )
    amount = _sum(line.amount for line in lines)
    outcomes = [line.outcome for line in lines if line.outcome is not None]
    proposals = [line.proposal for line in lines if line.proposal is not None]
    outcome = _sum(outcomes) if outcomes else None
    proposal = _sum(proposals) if proposals else None
    diff, pct = variance(amount, outcome) if outcomes else (None, None)
    totals = Totals(
        amount=amount,
        outcome=outcome,
        proposal=proposal,
        outcome_complete=bool(lines) and len(outcomes) == len(lines),
        proposal_complete=bool(lines) and len(proposals) == len(lines),
        variance=diff,
        variance_pct=pct,
        variance_kind=variance_kind(diff),
        funded=_sum(r.funded for r in rows),
        funding_count=sum(len(r.fundings) for r in rows),
    )
    frame_check = None
    if budget.frame is not None:
        frame_check = FrameCheck(
            label=_("Budget %(year)s") % {"year": budget.year},
            total=amount,
            frame=budget.frame,
            year=budget.year,
        )
    next_budget = (
        Budget.objects.restrict(user, VIEW)
        .filter(organisation_id=budget.organisation_id, name=budget.name, year=budget.year + 1)
        .first()
    )
    proposal_check = None
    if next_budget is not None and next_budget.frame is not None and proposal is not None:
        proposal_check = FrameCheck(
            label=_("Proposal %(year)s") % {"year": budget.year + 1},
            total=proposal,
            frame=next_budget.frame,
            year=budget.year + 1,
        )
    grants = [
        g
        for g in (
            state_grant(budget.organisation, budget.year),
            state_grant(budget.organisation, budget.year + 1),
        )
        if g is not None
    ]
    return BudgetTable(
        budget=budget,
        rows=rows,
        totals=totals,
        frame_check=frame_check,
        proposal_check=proposal_check,
        next_budget=next_budget,
        grants=grants,
    )


def state_grant(organisation: Organisation, year: int) -> StateGrant | None:
    """The state grant for a kommun in a year: 23 kr × the population on 31 December of the
    year before (the latest official figure when the year starts, as SCB publishes it).

    Only a kommun receives the grant; a stadsdelsförvaltning (Hägersten-Älvsjö) or a police
    area does not, and gets None.
    """
    area = organisation.area
    if organisation.kind != OrganisationKind.KOMMUN or area is None or area.kind != AreaKind.KOMMUN:
        return None
    from trygg.stats.selectors import population_for

    population_year = year - 1
    return StateGrant(
        year=year,
        rate=STATE_GRANT_PER_INHABITANT,
        population_year=population_year,
        population=population_for(area, population_year),
        area_name=area.name,
    )


# Funding of measures


@dataclass
class MeasureFinance:
    """A measure's funding (its cost per source) and categories, for the measure page."""

    fundings: list[MeasureFunding]
    total: Decimal
    by_year: dict[int, Decimal]
    tags: list[MeasureTag]

    @property
    def total_known(self) -> bool:
        """Whether any amount is known; otherwise the total is not stated, not zero."""
        return any(f.amount is not None for f in self.fundings)


def measure_finance(user: Viewer, measure: Measure) -> MeasureFinance:
    """The measure's funding and categories as the user may see them.

    Funding and categories belong to the measure's organisation (the services write them
    so) and are read by anyone in it (``_budget_access_q``): a user outside it, a partner
    who sees a shared measure, sees no money and nothing is read. Within one measure the
    models' orderings (which sort by measure, and so join the measure and its plan) are the
    year, source and kind.
    """
    scope = scope_for(user)
    if scope.user_id is None or not budget_readable(scope, measure.organisation_id):
        return MeasureFinance(fundings=[], total=ZERO, by_year={}, tags=[])
    fundings = list(
        MeasureFunding.objects.restrict(user, VIEW)
        .filter(measure=measure)
        .select_related("budget_line", "budget_line__budget")
        .order_by("year", "source", "id")
    )
    by_year: dict[int, Decimal] = {}
    for funding in fundings:
        if funding.amount is not None:
            by_year[funding.year] = by_year.get(funding.year, ZERO) + funding.amount
    tags = list(MeasureTag.objects.restrict(user, VIEW).filter(measure=measure).order_by("kind"))
    return MeasureFinance(
        fundings=fundings,
        total=_known_sum(f.amount for f in fundings),
        by_year=dict(sorted(by_year.items())),
        tags=tags,
    )


def funding_by_source(
    user: Viewer, measures: Iterable[Measure] | QuerySet[Any] | None = None, year: int | None = None
) -> list[tuple[str, Decimal]]:
    """Sum of funding per source (label, amount), optionally for some measures and a year."""
    queryset = MeasureFunding.objects.restrict(user, VIEW)
    if measures is not None:
        queryset = queryset.filter(measure__in=measures)
    if year is not None:
        queryset = queryset.filter(year=year)
    totals = dict(
        queryset.values_list("source").annotate(total=Sum("amount")).values_list("source", "total")
    )
    return [
        (str(label), totals[value]) for value, label in FundingSource.choices if value in totals
    ]


def measures_with_source(user: Viewer, source: str) -> QuerySet[MeasureFunding, Any]:
    """Ids of measures funded (in part) from the source, as the user may see the funding."""
    return MeasureFunding.objects.restrict(user, VIEW).filter(Q(source=source)).values("measure_id")
