"""API for budgets, budget lines, the funding of measures and the register of measures.

Amounts are exact decimals (sent as strings, e.g. "1600000.00"); sums are computed from the
lines by the selectors, never stored. Every read goes through restrict().
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.budget import selectors, services
from trygg.budget.filters import BudgetFilter, BudgetLineFilter, FundingFilter
from trygg.budget.models import Budget, BudgetLine, MeasureFunding
from trygg.core.access import CHANGE, DELETE, VIEW
from trygg.core.api_types import decimal
from trygg.core.filters import query_data
from trygg.core.models import Organisation
from trygg.core.pagination import PageNumberPagination

router = Router(tags=["Budget"])

# Amounts in kronor as the columns hold them (budget.models.MONEY).
if TYPE_CHECKING:  # to the type checker an amount is a Decimal; ninja sees the bounded input
    Money = Decimal
else:
    Money = decimal(14, 2)


class LineOut(Schema):
    id: int
    budget_id: int
    position: int
    name: str
    amount: Decimal
    outcome: Decimal | None
    proposal: Decimal | None
    note: str


class LineRowOut(LineOut):
    variance: Decimal | None
    variance_pct: Decimal | None
    funded: Decimal


class TotalsOut(Schema):
    amount: Decimal
    outcome: Decimal | None
    proposal: Decimal | None
    outcome_complete: bool
    proposal_complete: bool
    variance: Decimal | None
    variance_pct: Decimal | None
    funded: Decimal


class CheckOut(Schema):
    label: str
    total: Decimal
    frame: Decimal
    exceeds: bool
    difference: Decimal


class GrantOut(Schema):
    year: int
    rate: Decimal
    population_year: int
    population: int | None
    amount: Decimal | None


class BudgetOut(Schema):
    id: int
    organisation_id: int
    name: str
    year: int
    frame: Decimal | None
    decided_by: str
    decided_on: dt.date | None
    diarienummer: str
    note: str
    total_amount: Decimal
    total_outcome: Decimal | None
    total_proposal: Decimal | None


class BudgetDetailOut(Schema):
    id: int
    organisation_id: int
    name: str
    year: int
    frame: Decimal | None
    decided_by: str
    decided_on: dt.date | None
    diarienummer: str
    note: str
    lines: list[LineRowOut]
    totals: TotalsOut
    checks: list[CheckOut]
    state_grants: list[GrantOut]


class BudgetIn(Schema):
    organisation_id: int
    year: int
    name: str = "Trygghetspaketet"
    frame: Money | None = None
    decided_by: str = ""
    decided_on: dt.date | None = None
    diarienummer: str = ""
    note: str = ""


class BudgetPatch(Schema):
    name: str | None = None
    year: int | None = None
    frame: Money | None = None
    decided_by: str | None = None
    decided_on: dt.date | None = None
    diarienummer: str | None = None
    note: str | None = None


class LineIn(Schema):
    budget_id: int
    name: str
    amount: Money = Decimal(0)
    outcome: Money | None = None
    proposal: Money | None = None
    note: str = ""
    position: int | None = None


class LinePatch(Schema):
    name: str | None = None
    amount: Money | None = None
    outcome: Money | None = None
    proposal: Money | None = None
    note: str | None = None
    position: int | None = None


class FundingOut(Schema):
    id: int
    measure_id: int
    source: str
    budget_line_id: int | None
    amount: Decimal | None
    year: int
    note: str


class FundingIn(Schema):
    measure_id: int
    source: str
    amount: Money | None = None
    year: int
    budget_line_id: int | None = None
    note: str = ""


class FundingPatch(Schema):
    source: str | None = None
    amount: Money | None = None
    year: int | None = None
    budget_line_id: int | None = None
    note: str | None = None


BudgetQuery = BudgetFilter.as_schema("BudgetQuery")
LineQuery = BudgetLineFilter.as_schema("BudgetLineQuery")
FundingQuery = FundingFilter.as_schema("FundingQuery")


def _detail(request, budget: Budget) -> dict:
    table = selectors.budget_table(request.user, budget)
    lines = [
        {
            **LineOut.model_validate(row.line).model_dump(),
            "variance": row.variance,
            "variance_pct": row.variance_pct,
            "funded": row.funded,
        }
        for row in table.rows
    ]
    return {
        **{
            f: getattr(budget, f)
            for f in ["id", "organisation_id", "name", "year", "frame", "decided_by"]
        },
        "decided_on": budget.decided_on,
        "diarienummer": budget.diarienummer,
        "note": budget.note,
        "lines": lines,
        "totals": table.totals,
        "checks": [
            {
                "label": c.label,
                "total": c.total,
                "frame": c.frame,
                "exceeds": c.exceeds,
                "difference": c.difference,
            }
            for c in table.checks
        ],
        "state_grants": [
            {
                "year": g.year,
                "rate": g.rate,
                "population_year": g.population_year,
                "population": g.population,
                "amount": g.amount,
            }
            for g in table.grants
        ],
    }


# Budgets


@router.get("/budgets", response=list[BudgetOut])
@paginate(PageNumberPagination)
def list_budgets(request, filters: BudgetQuery = Query(...)):  # type: ignore[valid-type]
    form = BudgetFilter(query_data(filters), user=request.user)
    return form.filter_queryset(selectors.budgets_for(request.user)).order_by("-year", "name", "pk")


@router.get("/budgets/{budget_id}", response=BudgetDetailOut)
def get_budget(request, budget_id: int):
    budget = get_object_or_404(Budget.objects.restrict(request.user, VIEW), pk=budget_id)
    return _detail(request, budget)


@router.post("/budgets", response={201: BudgetDetailOut})
def create_budget(request, payload: BudgetIn):
    organisation = get_object_or_404(
        Organisation.objects.restrict(request.user, VIEW), pk=payload.organisation_id
    )
    budget = services.budget_create(
        actor=request.user,
        organisation=organisation,
        **payload.model_dump(exclude={"organisation_id"}),
    )
    return Status(201, _detail(request, budget))


@router.patch("/budgets/{budget_id}", response=BudgetDetailOut)
def update_budget(request, budget_id: int, payload: BudgetPatch):
    budget = get_object_or_404(Budget.objects.restrict(request.user, CHANGE), pk=budget_id)
    services.budget_update(
        actor=request.user, budget=budget, **payload.model_dump(exclude_unset=True)
    )
    return _detail(request, budget)


# Lines


@router.get("/lines", response=list[LineOut])
@paginate(PageNumberPagination)
def list_lines(request, filters: LineQuery = Query(...)):  # type: ignore[valid-type]
    form = BudgetLineFilter(query_data(filters), user=request.user)
    return form.filter_queryset(BudgetLine.objects.restrict(request.user, VIEW)).order_by(
        "-budget__year", "budget_id", "position", "pk"
    )


@router.get("/lines/{line_id}", response=LineOut)
def get_line(request, line_id: int):
    return get_object_or_404(BudgetLine.objects.restrict(request.user, VIEW), pk=line_id)


@router.post("/lines", response={201: LineOut})
def create_line(request, payload: LineIn):
    budget = get_object_or_404(Budget.objects.restrict(request.user, CHANGE), pk=payload.budget_id)
    line = services.budget_line_create(
        actor=request.user, budget=budget, **payload.model_dump(exclude={"budget_id"})
    )
    return Status(201, line)


@router.patch("/lines/{line_id}", response=LineOut)
def update_line(request, line_id: int, payload: LinePatch):
    line = get_object_or_404(BudgetLine.objects.restrict(request.user, CHANGE), pk=line_id)
    return services.budget_line_update(
        actor=request.user, line=line, **payload.model_dump(exclude_unset=True)
    )


# Funding of measures


def _line_for(request, line_id: int | None) -> BudgetLine | None:
    if line_id is None:
        return None
    return get_object_or_404(BudgetLine.objects.restrict(request.user, VIEW), pk=line_id)


@router.get("/fundings", response=list[FundingOut])
@paginate(PageNumberPagination)
def list_fundings(request, filters: FundingQuery = Query(...)):  # type: ignore[valid-type]
    form = FundingFilter(query_data(filters), user=request.user)
    return form.filter_queryset(MeasureFunding.objects.restrict(request.user, VIEW)).order_by(
        "measure_id", "year", "pk"
    )


@router.get("/fundings/{funding_id}", response=FundingOut)
def get_funding(request, funding_id: int):
    return get_object_or_404(MeasureFunding.objects.restrict(request.user, VIEW), pk=funding_id)


@router.post("/fundings", response={201: FundingOut})
def create_funding(request, payload: FundingIn):
    from trygg.plans.models import Measure

    measure = get_object_or_404(Measure.objects.restrict(request.user, VIEW), pk=payload.measure_id)
    funding = services.measure_funding_create(
        actor=request.user,
        measure=measure,
        budget_line=_line_for(request, payload.budget_line_id),
        **payload.model_dump(exclude={"measure_id", "budget_line_id"}),
    )
    return Status(201, funding)


@router.patch("/fundings/{funding_id}", response=FundingOut)
def update_funding(request, funding_id: int, payload: FundingPatch):
    funding = get_object_or_404(
        MeasureFunding.objects.restrict(request.user, CHANGE), pk=funding_id
    )
    data = payload.model_dump(exclude_unset=True)
    if "budget_line_id" in data:
        data["budget_line"] = _line_for(request, data.pop("budget_line_id"))
    return services.measure_funding_update(actor=request.user, funding=funding, **data)


@router.delete("/fundings/{funding_id}", response={204: None})
def delete_funding(request, funding_id: int):
    funding = get_object_or_404(
        MeasureFunding.objects.restrict(request.user, DELETE), pk=funding_id
    )
    services.measure_funding_delete(actor=request.user, funding=funding)
    return Status(204, None)


# The register of measures (insatsregister)


class RegisterItemOut(Schema):
    id: int
    title: str
    plan_id: int
    organisation_id: int
    status: str
    status_category: str
    prevention_type: str
    target_group: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    areas: list[str]
    responsibles: list[str]
    in_collaboration: bool
    funding_sources: list[str]
    known_cost: Decimal | None


def _register_item(measure) -> dict:
    from trygg.reports import register

    return {
        "id": measure.pk,
        "title": measure.title,
        "plan_id": measure.plan_id,
        "organisation_id": measure.organisation_id,
        "status": measure.status.name,
        "status_category": measure.status.category,
        "prevention_type": measure.prevention_type,
        "target_group": measure.target_group,
        "starts_on": measure.starts_on,
        "ends_on": measure.ends_on,
        "areas": register.areas_of(measure),
        "responsibles": register.parties_of(measure),
        "in_collaboration": measure.in_collaboration,
        "funding_sources": register.sources_of(measure),
        "known_cost": register.cost_of(measure),
    }


def _register_query_schema():
    from trygg.reports.register import RegisterFilter

    return RegisterFilter.as_schema("RegisterQuery")


RegisterQuery = _register_query_schema()


@router.get("/register", response=list[RegisterItemOut])
@paginate(PageNumberPagination)
def list_register(request, filters: RegisterQuery = Query(...)):  # type: ignore[valid-type]
    """The insatsregister with the same filters as the page and its export."""
    from trygg.reports.register import filtered_measures

    _form, queryset = filtered_measures(request.user, query_data(filters))
    return [_register_item(m) for m in queryset.order_by("title", "pk")]
