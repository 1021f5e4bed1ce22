"""Which generated documents a user can open. Each entry links to the page that builds it from
the data; nothing here holds a figure of its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW


@dataclass(frozen=True)
class Document:
    title: str
    description: str
    links: list[tuple[str, str]]  # (label, url)


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def documents_for(user) -> list[tuple[str, list[Document]]]:
    from trygg.budget.models import Budget
    from trygg.plans.models import Plan

    groups: list[tuple[str, list[Document]]] = []
    plans = [
        Document(
            title=str(plan),
            description=str(_("The plan with focus areas, activities, measures and their status.")),
            links=[
                (label, url)
                for label, url in [
                    (_("Web page"), _url("plans:plan_detail", plan.pk)),
                    ("Word (.docx)", _url("plans:plan_export", plan.pk, "docx")),
                    ("Excel (.xlsx)", _url("plans:plan_export", plan.pk, "xlsx")),
                    ("CSV", _url("plans:plan_export", plan.pk, "csv")),
                ]
                if url
            ],
        )
        for plan in Plan.objects.restrict(user, VIEW).order_by("-starts_on", "title")[:50]
    ]
    if plans:
        groups.append((str(_("Plans")), plans))
    budgets = [
        Document(
            title=str(budget),
            description=str(_("Budget, outcome and proposal per line, with computed sums.")),
            links=[
                (str(_("Web page")), url)
                for url in [_url("budget:budget_detail", budget.pk)]
                if url
            ],
        )
        for budget in Budget.objects.restrict(user, VIEW).order_by("-year")[:20]
    ]
    if budgets:
        groups.append((str(_("Safety budget")), budgets))
    other = []
    skrivelse = _url("register:skrivelse")
    if skrivelse and Plan.objects.restrict(user, VIEW).exists():
        other.append(
            Document(
                title=str(_("Answer to a written question (skrivelse)")),
                description=str(
                    _(
                        "Which measures were done, by whom, with what resources, and what is planned."
                    )
                ),
                links=[
                    (str(_("Web page")), skrivelse),
                    ("Word (.docx)", skrivelse + "?format=docx"),
                ],
            )
        )
    overview = _url("situation:overview")
    if overview:
        other.append(
            Document(
                title=str(_("Situation picture (lägesbild)")),
                description=str(
                    _(
                        "Crime, incidents and safety surveys with trends, maps and the weekly picture."
                    )
                ),
                links=[(str(_("Web page")), overview)],
            )
        )
    if other:
        groups.append((str(_("Follow-up")), other))
    return groups
