"""The kinds of document Trygg generates, by name (as on the command line).

Each kind is a function ``build(user, params, drafts) -> Document`` over selector results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.reports.document import Document
from trygg.reports.kinds.base import Params


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    description: str | Promise
    build: Callable[..., Document]
    needs: tuple[str, ...] = ()  # extra parameters: "forum", "week", "plan"


def _kinds() -> dict[str, Kind]:
    from trygg.reports.kinds import (
        action_plan,
        annual,
        budget,
        law,
        plan,
        situation,
        skrivelse,
        weekly,
    )

    kinds = [
        Kind(
            "annual",
            _("Annual report (verksamhetsberättelse)"),
            _(
                "The committee's year: meetings, measures by status, key figures of the "
                "situation picture and the use of the safety budget."
            ),
            annual.build,
            ("forum",),
        ),
        Kind(
            "situation",
            _("Situation picture (lägesbild)"),
            _(
                "The whole area: crime, police events, incident reports and surveys with trends; "
                "prioritised problems with their cause analyses."
            ),
            situation.build,
        ),
        Kind(
            "action_plan",
            _("Action plan (åtgärdsplan)"),
            _(
                "Measures grouped by the problem they address, with responsibles, timing and targets."
            ),
            action_plan.build,
            ("plan",),
        ),
        Kind(
            "budget",
            _("Budget proposal"),
            _(
                "Proposal, outcome and budget per line with computed sums, the frame and the state grant."
            ),
            budget.build,
        ),
        Kind(
            "weekly",
            _("Weekly picture"),
            _(
                "Last week against the usual level, deviations, focus places and the quarter's top three."
            ),
            weekly.build,
            ("week",),
        ),
        Kind(
            "skrivelse",
            _("Answer to a written question (skrivelse)"),
            _("Which measures were done, by whom, with what resources, and what is planned."),
            skrivelse.build,
        ),
        Kind(
            "plan",
            _("Plan"),
            _("The plan with its decision, period, progress, targets and outcomes."),
            plan.build,
            ("plan",),
        ),
        Kind(
            "law",
            _("The law's checklist (2023:196)"),
            _("Each requirement of the law, met or not, with its evidence."),
            law.build,
        ),
    ]
    return {k.name: k for k in kinds}


KINDS: dict[str, Kind] = {}


def get(name: str) -> Kind:
    if not KINDS:
        KINDS.update(_kinds())
    return KINDS[name]


def all_kinds() -> list[Kind]:
    if not KINDS:
        KINDS.update(_kinds())
    return list(KINDS.values())


__all__ = ["KINDS", "Kind", "Params", "all_kinds", "get"]
