"""The police's public events in the organisation's kommun: by type in a week, and the
last weeks against the weeks before."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count as CountOf
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.actors import Viewer
from trygg.core.models import Area, Organisation
from trygg.situation.selectors.counts import change_label
from trygg.situation.selectors.periods import LOCAL, SOURCE_POLICE, Period


def police_counts(
    user: Viewer, organisation: Organisation, period: Period
) -> tuple[list[tuple[str, int]], int, dict[tuple[int, int], int]]:
    """Events per type in the period, busiest first, their total, and their number per
    local weekday and hour (for the heatmap), from one read of the period's events."""
    if organisation.area is None:
        return [], 0, {}
    from trygg.incidents.selectors import police_events_for_kommun

    start, end = period.bounds()
    types: Counter[str] = Counter()
    cells: Counter[tuple[int, int]] = Counter()
    for event_type, occurred_at in (
        police_events_for_kommun(user, organisation.area, start, end)
        .order_by()
        .values_list("event_type", "occurred_at")
    ):
        types[event_type] += 1
        local = occurred_at.astimezone(LOCAL)
        cells[(local.isoweekday(), local.hour)] += 1
    rows = sorted(types.items(), key=lambda item: (-item[1], item[0]))
    return rows, sum(types.values()), dict(cells)


@dataclass
class PoliceRow:
    event_type: str
    recent: int
    previous: int
    change: str


@dataclass
class PoliceSummary:
    kommun: Area | None
    recent: Period
    previous: Period
    rows: list[PoliceRow]
    recent_total: int
    previous_total: int
    change: str
    summaries: int
    source: str
    latest: dt.date | None = None  # the newest event in the kommun, whenever it was


def police_summary(
    user: Viewer, organisation: Organisation, *, end: dt.date, weeks: int = 4
) -> PoliceSummary:
    """The police's events in the organisation's kommun by type: the last ``weeks`` weeks
    against the same number of weeks before. Summary posts are counted apart."""
    recent = Period(end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1), end)
    previous = recent.previous()
    kommun = organisation.area
    rows: list[PoliceRow] = []
    totals = [0, 0]
    summaries = 0
    if kommun is not None:
        from trygg.incidents.selectors import police_events_for_kommun

        start = previous.bounds()[0]
        middle, stop = recent.bounds()
        events = police_events_for_kommun(user, kommun, start, stop, include_summaries=True)
        grouped: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for event_type, is_summary, is_recent, n in (
            events.order_by()
            .values_list("event_type", "is_summary")
            .annotate(r=CountOf("pk", filter=Q(occurred_at__gte=middle)), n=CountOf("pk"))
        ):
            if is_summary:
                summaries += is_recent
                continue
            grouped[event_type][0] += is_recent
            grouped[event_type][1] += n - is_recent
        for event_type, (r, p) in grouped.items():
            rows.append(PoliceRow(event_type, r, p, change_label(r, p)))
            totals[0] += r
            totals[1] += p
        rows.sort(key=lambda row: (-row.recent, -row.previous, row.event_type))
        newest = (
            police_events_for_kommun(user, kommun, dt.datetime(1900, 1, 1, tzinfo=dt.UTC), stop)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        latest = timezone.localtime(newest).date() if newest else None
    else:
        latest = None
    return PoliceSummary(
        kommun=kommun,
        recent=recent,
        previous=previous,
        rows=rows,
        recent_total=totals[0],
        previous_total=totals[1],
        change=change_label(totals[0], totals[1]),
        summaries=summaries,
        source=_("Source: %(source)s, %(kommun)s, period %(period)s.")
        % {
            "source": SOURCE_POLICE,
            "kommun": kommun.name if kommun else "–",
            "period": Period(previous.start, recent.end),
        },
        latest=latest,
    )
