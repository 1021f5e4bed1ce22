"""Comparison with the previous period (jämförelse med föregående period).

A change in percent means something only when Trygg has data for the whole previous
period. When the organisation's first incident report is later than the previous period's
first day, the previous period is only partly recorded (or not at all): "+36 509 %" from
10 reports on the last days of a year nobody recorded would be nonsense. The pages and
documents then say "ingen jämförbar period" instead.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.core.formatting import format_change
from trygg.core.models import Organisation

MIN_BASE = 10  # as situation.selectors: a change from fewer than this is not a percentage


def first_report_day(user, organisation: Organisation) -> dt.date | None:
    """The local day of the organisation's first incident report the user may see
    (read once per request and organisation)."""
    from trygg.incidents.models import IncidentReport

    cache = getattr(organisation, "_first_report_day", None)
    key = getattr(user, "pk", None)
    if cache is not None and cache[0] == key:
        return cache[1]
    first = (
        IncidentReport.objects.restrict(user, VIEW)
        .filter(organisation=organisation)
        .aggregate(first=Min("occurred_at"))["first"]
    )
    day = timezone.localtime(first).date() if first else None
    organisation._first_report_day = (key, day)
    return day


def has_comparable_period(user, organisation: Organisation, period) -> bool:
    """Whether the period before ``period`` (same length) is wholly covered by the data."""
    first = first_report_day(user, organisation)
    return first is not None and first <= period.previous().start


def no_comparison() -> str:
    return _("no comparable period")


def comparison_text(
    user, organisation: Organisation, period, now: int | None, before: int | None
) -> str:
    """The change against the previous period in words: "+12 %", "–" (too few or
    suppressed), or "ingen jämförbar period"."""
    if now is None or before is None:
        return "–"
    if not has_comparable_period(user, organisation, period):
        return no_comparison()
    if before < MIN_BASE:
        return "–"
    return format_change(100 * (now - before) / before)
