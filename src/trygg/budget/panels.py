"""Pieces of the budget shown on other apps' pages."""

from __future__ import annotations

from django.template.loader import render_to_string

from trygg.budget import selectors
from trygg.budget.choices import MeasureTagKind
from trygg.core.access import CHANGE, may


def measure_panel(request, measure) -> str:
    """The measure's funding (cost per source and year) and categories, as HTML for its page.

    The caller has already checked that the user sees the measure; the funding itself is
    read through restrict(), so a partner who sees a shared measure sees no money.
    """
    finance = selectors.measure_finance(request.user, measure)
    can_change = may(request.user, CHANGE, measure.organisation_id, whole_organisation=True)
    if not can_change and not finance.fundings and not finance.tags:
        return ""
    tag_kinds = {tag.kind for tag in finance.tags}
    return render_to_string(
        "budget/_measure_panel.html",
        {
            "measure": measure,
            "finance": finance,
            "can_change": can_change,
            "tag_choices": [
                (value, label, value in tag_kinds) for value, label in MeasureTagKind.choices
            ],
            "next": request.get_full_path(),
        },
        request=request,
    )
