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
    """The last complete year in which the selection has measures (None: none in ten years).

    A measure counts for every year its period (or its plan's) overlaps, as the register's
    year filter has it (register.overlapping_year). Read in one pass over the periods of the
    selection without its year, rather than filtering the register once per year."""
    from django.db.models.functions import Coalesce

    from trygg.reports.register import RegisterFilter, register_measures

    today = today or timezone.localdate()
    query = QueryDict(mutable=True)
    for key, value in dict(filters).items():
        if key not in {"year", "as_of", "format"}:
            query.setlist(key, value if isinstance(value, list) else [value])
    measures = RegisterFilter(query or None, user=user).filter_queryset(register_measures(user))
    periods = (
        measures.order_by()
        .annotate(
            period_first=Coalesce("starts_on", "plan__starts_on"),
            period_last=Coalesce("ends_on", "plan__ends_on"),
        )
        .values_list("period_first", "period_last")
        .distinct()
    )
    return last_complete_year(periods, today)


def last_complete_year(periods, today: dt.date) -> int | None:
    """The last complete year (of the ten before ``today``'s) that one of the
    ``(start, end)`` periods overlaps; an open end runs on. None: no period does."""
    first_year, last_year = today.year - 10, today.year - 1
    found = None
    for starts, ends in periods:
        low = max(first_year, starts.year) if starts else first_year
        high = min(last_year, ends.year) if ends else last_year
        if low <= high and (found is None or high > found):
            found = high
    return found


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
