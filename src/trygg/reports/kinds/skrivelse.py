"""Svar på skrivelse (seed 004): the four questions answered from the register of measures,
for a year and as of a date. The default year is the last complete year with measures in the
selection, and the document says so."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.provenance import Source
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params, url


def default_year(user, filters: QueryDict | dict, today: dt.date | None = None) -> int | None:
    """The last complete year in which the selection has measures (None: none in ten years)."""
    from trygg.reports.register import filtered_measures

    today = today or timezone.localdate()
    for year in range(today.year - 1, today.year - 11, -1):
        query = QueryDict(mutable=True)
        for key, value in dict(filters).items():
            if key not in {"year", "as_of", "format"}:
                query.setlist(key, value if isinstance(value, list) else [value])
        query["year"] = str(year)
        _filterset, measures = filtered_measures(user, query)
        if measures.exists():
            return year
    return None


def build(user, params: Params, drafts: dict[str, str], *, context: dict | None = None) -> Document:
    """From the register page's context (its filters), or for the organisation and year."""
    if context is None:
        from trygg.reports.register import skrivelse_context_for

        context = skrivelse_context_for(
            user, {"organisation": str(params.organisation.pk), "year": str(params.year)}
        )
    document = Document(
        kind="skrivelse",
        title=str(context["title"]),
        organisation=params.organisation.name,
        parameters={**params.as_dict(), "as_of": f"{context['as_of']:%Y-%m-%d}"},
        diarienummer=drafts.get("diarienummer", ""),
    )
    from trygg.plans.models import Measure

    selection = context["filter_description"] or _("every measure the reader may see")
    register = Source(
        data=f"{Measure._meta.verbose_name_plural} (plans.Measure), "
        + _("the register of measures"),
        filters=selection,
        period=_("%(year)s, as of %(date)s")
        % {"year": context["year"], "date": f"{context['as_of']:%Y-%m-%d}"},
        url=url("register:index") + "?" + context["query"],
    )
    total = document.count(
        "skrivelse.measures", _("Measures in the selection"), len(context["measures"]), register
    )
    document.paragraph(
        _("Compiled by Trygg from the register of measures: "),
        total,
        _(" measures in %(year)s, as of %(date)s.")
        % {"year": context["year"], "date": f"{context['as_of']:%Y-%m-%d}"},
    )
    if context.get("period_note"):
        document.paragraph(context["period_note"], style="note")
    for answer in context["answers"]:
        document.heading(f"{answer.number}. {answer.question}")
        count = document.count(
            f"skrivelse.answer.{answer.number}", answer.question, answer.count, register
        )
        document.paragraph(answer.summary, " (", count, ")")
        for group in answer.groups:
            document.heading(group.heading, 2)
            document.bullets(
                [
                    [item.title + (" – " + "; ".join(item.details) if item.details else "")]
                    for item in group.items
                ]
            )
        document.paragraph(
            _("How this answer is selected: %(rule)s") % {"rule": answer.rule}, style="note"
        )
    return document
