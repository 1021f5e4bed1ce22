"""The kommun's reported crime and survey series on the lägesbild, from the stats app."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.core.actors import Viewer
from trygg.core.formatting import format_change, format_number
from trygg.core.models import Area, Organisation

if TYPE_CHECKING:
    from trygg.stats.models import IndicatorSeries

CACHE_SECONDS = 6 * 3600


@dataclass
class StatRow:
    category: str
    value_a: str
    value_b: str
    change: str
    verdict: str
    verdict_key: str


@dataclass
class StatisticsBlock:
    name: str
    kind: str
    period_a: str
    period_b: str
    rows: list[StatRow]
    source: str


def _stat_value(value: float | Decimal | None, unit: str, symbol: str) -> str:
    from trygg.core.formatting import format_percent

    if value is None:
        return symbol or "–"
    if unit == "percent":
        return format_percent(value, 1)
    return format_number(value, 0 if value == int(value) else 1)


def statistics(
    user: Viewer, organisation: Organisation, *, limit: int = 4, rows: int = 8
) -> list[StatisticsBlock]:
    """The kommun's reported crime and survey series: the last period against the one
    before (stats.selectors.trend), for the organisation's kommun area.

    Kept in the cache under the statistics version (stats.versioning, bumped by every write
    of a series or an observation, the import's bulk writes included), the reference
    version (the kommun's name, situation.fragments) and what the user's restriction
    follows (the organisations and areas of their memberships that allow viewing and the
    organisations' current partners, see situation.selectors.problems): the series and
    values a user may see (their ``access_q``) follow from these and the data alone, so a
    warm view reads nothing. Users with the same restriction share the block.
    """
    from trygg.situation import fragments
    from trygg.situation.selectors.problems import restriction
    from trygg.stats import versioning

    if organisation.area_id is None:
        return []
    key = "trygg:stats-block:" + ":".join(
        str(part)
        for part in (
            versioning.version(),
            fragments.reference_version(),
            organisation.area_id,
            get_language(),
            limit,
            rows,
            restriction(user),
        )
    )
    blocks: list[StatisticsBlock] | None = cache.get(key)
    if blocks is None:
        blocks = _read(user, organisation, limit=limit, rows=rows)
        cache.set(key, blocks, CACHE_SECONDS)
    return blocks


def _read(
    user: Viewer, organisation: Organisation, *, limit: int, rows: int
) -> list[StatisticsBlock]:
    from trygg.stats import selectors as stats
    from trygg.stats.choices import SeriesKind

    kommun = organisation.area
    if kommun is None:
        return []
    series_list = list(
        stats.series_for(user)
        .filter(
            kind__in=[SeriesKind.REPORTED_CRIME, SeriesKind.SURVEY],
            observations__area=kommun,
        )
        .distinct()
        .order_by("kind", "name")[:limit]
    )
    if not series_list:
        return []
    return _blocks(user, kommun, series_list, rows)


def _blocks(
    user: Viewer, kommun: Area, series_list: list[IndicatorSeries], rows: int
) -> list[StatisticsBlock]:
    from trygg.stats import selectors as stats

    blocks = []
    for series in series_list:
        result = stats.trend(user, series, area=kommun)
        if result.period_a is None or result.period_b is None or not result.rows:
            continue
        shown_rows = []
        for row in result.rows[:rows]:
            if row.change is None:
                change = "–"
            elif result.change_unit == "points":
                change = _("%(n)s points") % {"n": format_number(row.change, 1)}
            elif result.change_unit == "difference":  # a net figure: +1 234, −56
                change = format_change(row.change).replace("\u00a0%", "")
            else:
                change = format_change(row.change)
            shown_rows.append(
                StatRow(
                    category=row.category or series.name,
                    value_a=_stat_value(row.value_a, series.unit, row.symbol_a),
                    value_b=_stat_value(row.value_b, series.unit, row.symbol_b),
                    change=change,
                    verdict=row.verdict_label,
                    verdict_key=row.verdict_key,
                )
            )
        blocks.append(
            StatisticsBlock(
                name=series.name,
                kind=series.get_kind_display(),
                period_a=result.period_a.label,
                period_b=result.period_b.label,
                rows=shown_rows,
                source=_("Source: %(source)s, %(area)s, %(a)s and %(b)s.")
                % {
                    "source": series.source or series.name,
                    "area": kommun.name,
                    "a": result.period_a.label,
                    "b": result.period_b.label,
                },
            )
        )
    return blocks
