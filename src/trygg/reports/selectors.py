"""Which generated documents a user can open. Each entry links to the page that builds it from
the data; nothing here holds a figure of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.reports.models import ReportJob, ReportVersion


@dataclass(frozen=True)
class Document:
    title: str
    description: str
    links: list[tuple[str, str]]  # (label, url)


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _doc(kind: str, organisation_id: int, fmt: str = "", **params: int) -> str | None:
    """The address of a generated document (web page, or a file with ``fmt``)."""
    from django.utils.http import urlencode

    from trygg.reports.generation import default_year

    query: dict[str, str | int] = {
        "kind": kind,
        "organisation": organisation_id,
        "year": default_year(kind),
        **params,
    }
    if fmt:
        query.update({"format": fmt, "download": 1})
    url = _url("reports:document")
    return f"{url}?{urlencode(query)}" if url else None


def documents_for(user: Viewer) -> list[tuple[str, list[Document]]]:
    from trygg.budget.models import Budget
    from trygg.plans.models import Plan

    groups: list[tuple[str, list[Document]]] = []
    plans = [
        Document(
            title=str(plan),
            description=str(_("The plan with focus areas, activities, measures and their status.")),
            links=[
                (str(label), url)
                for label, url in [
                    (_("Web page"), _url("plans:plan_detail", plan.pk)),
                    (_("Document"), _doc("plan", plan.organisation_id, plan=plan.pk)),
                    ("PDF", _doc("plan", plan.organisation_id, "pdf", plan=plan.pk)),
                    ("Word (.docx)", _doc("plan", plan.organisation_id, "docx", plan=plan.pk)),
                    (_("Word for import"), _url("reports:plan_exchange", plan.pk)),
                    ("Excel (.xlsx)", _url("plans:plan_export", plan.pk, "xlsx")),
                    ("CSV", _url("plans:plan_export", plan.pk, "csv")),
                ]
                if url
            ],
        )
        for plan in Plan.objects.restrict(user, VIEW)
        .only("pk", "organisation_id", "title")
        .order_by("-starts_on", "title")[:50]
    ]
    if plans:
        groups.append((str(_("Plans")), plans))
    budgets = [
        Document(
            title=str(budget),
            description=str(_("Budget, outcome and proposal per line, with computed sums.")),
            links=[
                (str(label), url)
                for label, url in [
                    (_("Web page"), _url("budget:budget_detail", budget.pk)),
                    (
                        _("Budget proposal"),
                        _doc("budget", budget.organisation_id, year=budget.year),
                    ),
                    ("PDF", _doc("budget", budget.organisation_id, "pdf", year=budget.year)),
                    (
                        "Word (.docx)",
                        _doc("budget", budget.organisation_id, "docx", year=budget.year),
                    ),
                ]
                if url
            ],
        )
        for budget in Budget.objects.restrict(user, VIEW).order_by("-year")[:20]
    ]
    if budgets:
        groups.append((str(_("Safety budget")), budgets))
    other = []
    skrivelse = _url("register:skrivelse")
    if skrivelse and plans:  # the plans above: any plan the user can see
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
                    ("PDF", skrivelse + "?format=pdf"),
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


# Generated documents: builds and saved versions


def jobs_for(user: Viewer) -> QuerySet[ReportJob]:
    """The user's own background builds, newest first."""
    return (
        ReportJob.objects.restrict(user, VIEW)
        .select_related("organisation")
        .defer("content")
        .order_by("-created_at")
    )


def versions_for(user: Viewer) -> QuerySet[ReportVersion]:
    return (
        ReportVersion.objects.restrict(user, VIEW)
        .select_related("organisation", "created_by")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class FigureChange:
    """A figure of a saved version against the same figure computed from today's data."""

    key: str
    label: str
    saved: str
    today: str | None  # None: the figure is no longer in the document

    @property
    def changed(self) -> bool:
        return self.saved != self.today


def version_changes(user: Viewer, version: ReportVersion) -> list[FigureChange]:
    """Regenerate the version's document from its parameters and drafts and compare every
    figure by key: what a decided document said against what the data says today."""
    from trygg.reports.generation import generate, organisation_for, params_from

    organisation = organisation_for(user, version.organisation_id)
    params = params_from(version.parameters, organisation)
    today = generate(
        user, version.kind, params, language=version.language, drafts=dict(version.drafts)
    ).figure_map()
    changes = []
    for saved in version.figures:
        current = today.get(saved["key"])
        changes.append(
            FigureChange(
                key=saved["key"],
                label=saved["label"],
                saved=saved["text"],
                today=current.text if current is not None else None,
            )
        )
    return changes
