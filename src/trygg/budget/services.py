"""Writes for budgets, budget lines and the funding and categories of measures.

Every function is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one transaction, validates with
``full_clean()`` (so the database constraints give their readable messages) and writes its
audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from trygg.budget.models import Budget, BudgetLine, MeasureFunding, MeasureTag
from trygg.core.access import ADD, CHANGE, DELETE, require
from trygg.core.actors import Actor
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Organisation
from trygg.core.services import save_validated

if TYPE_CHECKING:
    from trygg.plans.models import Measure

BUDGET_FIELDS = ["name", "year", "frame", "decided_by", "decided_on", "diarienummer", "note"]
LINE_FIELDS = ["position", "name", "amount", "outcome", "proposal", "note"]


class BudgetChanges(TypedDict, total=False):
    """The fields of a budget that budget_update may change (BUDGET_FIELDS)."""

    name: str
    year: int
    frame: Decimal | int | None
    decided_by: str
    decided_on: dt.date | None
    diarienummer: str
    note: str


class LineChanges(TypedDict, total=False):
    """The fields of a budget line that budget_line_update may change (LINE_FIELDS)."""

    position: int
    name: str
    amount: Decimal | int
    outcome: Decimal | int | None
    proposal: Decimal | int | None
    note: str


class FundingChanges(TypedDict, total=False):
    """The fields of a funding that measure_funding_update may change (FUNDING_FIELDS)."""

    source: str
    budget_line: BudgetLine | None
    amount: Decimal | int | None
    year: int
    note: str


FUNDING_FIELDS = ["source", "budget_line", "amount", "year", "note"]


@overload
def _money(value: Decimal | int) -> Decimal: ...
@overload
def _money(value: Decimal | int | None) -> Decimal | None: ...
def _money(value: Decimal | int | None) -> Decimal | None:
    """Amounts arrive as Decimal or int kronor; a float would lose öre, so it is refused."""
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("money must be Decimal or int, not float")
    return Decimal(value)


# Budgets


@transaction.atomic
def budget_create(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    name: str = "Trygghetspaketet",
    frame: Decimal | int | None = None,
    decided_by: str = "",
    decided_on: dt.date | None = None,
    diarienummer: str = "",
    note: str = "",
) -> Budget:
    require(actor, ADD, organisation.pk, whole_organisation=True)
    budget = Budget(
        organisation=organisation,
        year=year,
        name=name,
        frame=_money(frame),
        decided_by=decided_by,
        decided_on=decided_on,
        diarienummer=diarienummer,
        note=note,
    )
    save_validated(budget)
    record_change(
        actor=actor, obj=budget, action=AuditAction.CREATE, after=snapshot(budget, BUDGET_FIELDS)
    )
    return budget


@transaction.atomic
def budget_update(*, actor: Actor, budget: Budget, **fields: Unpack[BudgetChanges]) -> Budget:
    require(actor, CHANGE, budget.organisation_id, whole_organisation=True)
    before = snapshot(budget, BUDGET_FIELDS)
    if (
        "year" in fields
        and fields["year"] != budget.year
        and MeasureFunding.objects.filter(budget_line__budget=budget).exists()
    ):
        # A funding is for the year of its line; moving the budget would break that.
        raise ValidationError(
            {"year": _("Lines of this budget fund measures in %(year)s.") % {"year": budget.year}}
        )
    for key, value in fields.items():
        if key not in BUDGET_FIELDS:
            raise ValueError(key)
        setattr(budget, key, value)
    if "frame" in fields:
        budget.frame = _money(fields["frame"])
    save_validated(budget)
    record_change(
        actor=actor,
        obj=budget,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(budget, BUDGET_FIELDS),
    )
    return budget


@transaction.atomic
def budget_delete(*, actor: Actor, budget: Budget) -> None:
    """Delete a budget and its lines; refused while a line still funds measures."""
    require(actor, DELETE, budget.organisation_id, whole_organisation=True)
    if MeasureFunding.objects.filter(budget_line__budget=budget).exists():
        raise ValidationError(
            _("A line of this budget funds measures. Change their funding first.")
        )
    record_change(
        actor=actor,
        obj=budget,
        action=AuditAction.DELETE,
        before=snapshot(budget, BUDGET_FIELDS),
    )
    budget.delete()


@transaction.atomic
def budget_create_from_proposal(
    *, actor: Actor, budget: Budget, frame: Decimal | int | None = None, **fields: Any
) -> Budget:
    """Next year's budget, with one line per line of ``budget`` and its proposal as budget.

    This is how the proposal in a tjänsteskrivelse (Förslag 2024) becomes the decided
    distribution of the next year once the frame is decided.
    """
    following = budget_create(
        actor=actor,
        organisation=budget.organisation,
        year=budget.year + 1,
        name=budget.name,
        frame=frame,
        **fields,
    )
    for line in budget.lines.order_by("position", "pk"):
        budget_line_create(
            actor=actor,
            budget=following,
            name=line.name,
            amount=line.proposal or Decimal(0),
            note=line.note,
            position=line.position,
        )
    return following


# Budget lines


@transaction.atomic
def budget_line_create(
    *,
    actor: Actor,
    budget: Budget,
    name: str,
    amount: Decimal | int = 0,
    outcome: Decimal | int | None = None,
    proposal: Decimal | int | None = None,
    note: str = "",
    position: int | None = None,
) -> BudgetLine:
    require(actor, CHANGE, budget.organisation_id, whole_organisation=True)
    if position is None:
        position = (budget.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    line = BudgetLine(
        organisation_id=budget.organisation_id,
        budget=budget,
        position=position,
        name=name,
        amount=_money(amount),
        outcome=_money(outcome),
        proposal=_money(proposal),
        note=note,
    )
    save_validated(line)
    record_change(
        actor=actor, obj=line, action=AuditAction.CREATE, after=snapshot(line, LINE_FIELDS)
    )
    return line


@transaction.atomic
def budget_line_update(
    *, actor: Actor, line: BudgetLine, **fields: Unpack[LineChanges]
) -> BudgetLine:
    require(actor, CHANGE, line.organisation_id, whole_organisation=True)
    before = snapshot(line, LINE_FIELDS)
    for key, value in fields.items():
        if key not in LINE_FIELDS:
            raise ValueError(key)
        setattr(line, key, value)
    if "amount" in fields:
        line.amount = _money(fields["amount"])
    if "outcome" in fields:
        line.outcome = _money(fields["outcome"])
    if "proposal" in fields:
        line.proposal = _money(fields["proposal"])
    save_validated(line)
    record_change(
        actor=actor,
        obj=line,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(line, LINE_FIELDS),
    )
    return line


@transaction.atomic
def budget_line_delete(*, actor: Actor, line: BudgetLine) -> None:
    require(actor, DELETE, line.organisation_id, whole_organisation=True)
    record_change(
        actor=actor, obj=line, action=AuditAction.DELETE, before=snapshot(line, LINE_FIELDS)
    )
    try:
        line.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("The line funds measures. Change their funding before deleting the line.")
        ) from exc


# Funding of measures


@transaction.atomic
def measure_funding_create(
    *,
    actor: Actor,
    measure: Measure,
    source: str,
    amount: Decimal | int | None,
    year: int,
    budget_line: BudgetLine | None = None,
    note: str = "",
) -> MeasureFunding:
    require(actor, CHANGE, measure.organisation_id, whole_organisation=True)
    funding = MeasureFunding(
        organisation_id=measure.organisation_id,
        measure=measure,
        source=source,
        budget_line=budget_line,
        amount=_money(amount),
        year=year,
        note=note,
    )
    save_validated(funding)
    record_change(
        actor=actor,
        obj=funding,
        action=AuditAction.CREATE,
        after=snapshot(funding, ["measure", *FUNDING_FIELDS]),
    )
    return funding


@transaction.atomic
def measure_funding_update(
    *, actor: Actor, funding: MeasureFunding, **fields: Unpack[FundingChanges]
) -> MeasureFunding:
    require(actor, CHANGE, funding.organisation_id, whole_organisation=True)
    before = snapshot(funding, FUNDING_FIELDS)
    for key, value in fields.items():
        if key not in FUNDING_FIELDS:
            raise ValueError(key)
        setattr(funding, key, value)
    if "amount" in fields:
        funding.amount = _money(fields["amount"])
    save_validated(funding)
    record_change(
        actor=actor,
        obj=funding,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(funding, FUNDING_FIELDS),
    )
    return funding


@transaction.atomic
def measure_funding_delete(*, actor: Actor, funding: MeasureFunding) -> None:
    require(actor, DELETE, funding.organisation_id, whole_organisation=True)
    record_change(
        actor=actor,
        obj=funding,
        action=AuditAction.DELETE,
        before=snapshot(funding, ["measure", *FUNDING_FIELDS]),
    )
    funding.delete()


# Categories of measures


@transaction.atomic
def measure_tags_set(*, actor: Actor, measure: Measure, kinds: Iterable[str]) -> list[MeasureTag]:
    """Give the measure exactly these categories (adding and removing as needed)."""
    require(actor, CHANGE, measure.organisation_id, whole_organisation=True)
    wanted = set(kinds)
    existing = {tag.kind: tag for tag in MeasureTag.objects.filter(measure=measure)}
    for kind, tag in existing.items():
        if kind not in wanted:
            record_change(
                actor=actor, obj=tag, action=AuditAction.DELETE, before={"kind": tag.kind}
            )
            tag.delete()
    result = [tag for kind, tag in existing.items() if kind in wanted]
    for kind in sorted(wanted - set(existing)):
        tag = MeasureTag(organisation_id=measure.organisation_id, measure=measure, kind=kind)
        save_validated(tag)
        record_change(actor=actor, obj=tag, action=AuditAction.CREATE, after={"kind": kind})
        result.append(tag)
    return result
