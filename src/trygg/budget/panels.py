"""Pieces of the budget shown on other apps' pages.

The measure page's funding (``measure_finance``) is kept in the cache under the viewer's
memberships (``core.choice_cache.grants_key``: the funding is read through ``restrict()``
by membership of the measure's organisation alone, so a partner who sees a shared measure
sees no money), the measure and :data:`FINANCE_VERSION`, bumped by every save and delete of
a funding, a category, a budget line and a budget.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string

from trygg.budget import selectors
from trygg.budget.choices import MeasureTagKind
from trygg.core import versioning
from trygg.core.access import CHANGE, may
from trygg.core.choice_cache import grants_key

FINANCE_VERSION = "trygg:measure-finance:version"
CACHE_SECONDS = 6 * 3600


def connect() -> None:
    """Writes of what a measure's funding shows bump :data:`FINANCE_VERSION` (called from
    the app's ready())."""
    from trygg.budget.models import Budget, BudgetLine, MeasureFunding, MeasureTag

    versioning.bump_on_change(FINANCE_VERSION, [MeasureFunding, MeasureTag, BudgetLine, Budget])


def measure_finance(user, measure) -> selectors.MeasureFinance:
    """``selectors.measure_finance``, from the cache while neither the viewer's memberships
    nor the budget data has changed (module's doc)."""
    digest = grants_key(user)
    if digest is None:
        return selectors.measure_finance(user, measure)
    key = ":".join(
        ("trygg:measure-finance", str(versioning.current(FINANCE_VERSION)), digest)
        + (str(measure.pk), str(measure.organisation_id))
    )
    found = cache.get(key)
    if found is None:
        found = selectors.measure_finance(user, measure)
        cache.set(key, found, CACHE_SECONDS)
    return found


def measure_panel(request, measure) -> str:
    """The measure's funding (cost per source and year) and categories, as HTML for its page.

    The caller has already checked that the user sees the measure; the funding itself is
    read through restrict(), so a partner who sees a shared measure sees no money.
    """
    finance = measure_finance(request.user, measure)
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
