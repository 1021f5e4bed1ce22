"""The insatsregister's rows written in Python (reports.register.RegisterView): each cell as
``budget/_table.html`` writes it, once per row rather than through the template language.

A page's rows are kept in the cache as HTML (:func:`page_rows`) under a key of everything
they are made of:

- which measures, in which order: the keys of the page, read live through ``restrict()``
  and the filters on every view (with the summary and the count); only the rows' content
  is kept;
- the viewer's scope (``core.choice_cache.scope_key``: the user, their memberships with
  the organisations and areas they reach, their organisations' current partners): the
  fundings shown are those ``restrict()`` and ``budget_readable`` let this viewer read;
- the version of the plans' data (``plans.reading.VERSION_KEY``: measures, their statuses,
  responsible parties, areas and places) and :data:`VERSION_KEY`, bumped by the saves and
  deletes of what else a row shows (area and place names, fundings, budget lines);
- the language (dates and amounts are written in it) and a digest of this code.

Nothing in a row depends on today's date.

The answer to a skrivelse (reports.register.skrivelse) is kept the same way
(:func:`answers_page`): its measures, with whether each is in collaboration, are read live
through ``restrict()`` and the filters on every view, and only the answers' HTML is kept,
under the same parts of the key and the year and as-of date it was written for (the as-of
date defaults to today, so a new day never meets yesterday's answers). Besides what a row
shows, an answer reads the measures' tags (staff training), which bump :data:`VERSION_KEY`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from trygg.core import versioning
from trygg.core.choice_cache import scope_key
from trygg.core.renderers import template_text
from trygg.core.templatetags.trygg import money

VERSION_KEY = "trygg:register-rows:version"
CACHE_SECONDS = 6 * 3600
_HERE = Path(__file__).resolve().parent


def _code_digest() -> str:
    """The code that writes a row: a new release never serves rows written by the old one."""
    digest = hashlib.sha256()
    for name in ("register_rows.py", "register.py"):
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_digest()


def connect() -> None:
    """Saves and deletes of what a row shows beside the plans' data bump :data:`VERSION_KEY`
    (called from the app's ready())."""
    from trygg.budget.models import BudgetLine, MeasureFunding, MeasureTag
    from trygg.core.models import Area, Organisation, Place

    versioning.bump_on_change(
        VERSION_KEY, [Area, Place, Organisation, MeasureFunding, BudgetLine, MeasureTag]
    )


def period(measure) -> str:
    """Start and end in one column on the page: "2022–2023" for whole calendar years, else
    "2024-03-01 – 2024-06-30"."""
    starts, ends = measure.starts_on, measure.ends_on
    if not starts and not ends:
        return ""
    if starts and ends and (starts.month, starts.day, ends.month, ends.day) == (1, 1, 12, 31):
        return str(starts.year) if starts.year == ends.year else f"{starts.year}–{ends.year}"
    return " – ".join(
        formats.date_format(day, "SHORT_DATE_FORMAT") if day else "…"
        for day in (measure.starts_on, measure.ends_on)
    )


def _cell_opening(column) -> str:
    classes = f"col-{template_text(column.key)}" + (" num" if column.numeric else "")
    return f'<td class="{classes}" data-label="{template_text(column.label)}">'


def _cell_inner(table, column, value, link) -> str:
    """A cell's content as ``budget/_table.html`` writes it (same markup, same escaping)."""
    if column.key in table.money_keys:
        return "–" if value is None else template_text(money(value, table.money_style))
    if link:
        return (
            f'<a href="{template_text(link)}">{template_text("–" if value is None else value)}</a>'
        )
    return template_text("–" if value is None or not value else value)


def rows_html(table, rows: list[dict]) -> list[dict]:
    """Each row's cells written in Python, once: up to a hundred rows of seven cells through
    the template language cost more than the rest of the page."""
    openings = {column.key: _cell_opening(column) for column in table.columns}
    for row in rows:
        row["html"] = mark_safe(  # noqa: S308 - every value escaped in _cell_inner
            "".join(
                openings[cell["column"].key]
                + _cell_inner(table, cell["column"], cell["value"], cell["link"])
                + "</td>"
                for cell in row["cells"]
            )
        )
    return rows


def _key(kind: str, user, parts: tuple[str, ...]) -> str | None:
    """The cache key of what is kept of ``kind`` for this viewer (module's doc); None for
    no one (nothing kept)."""
    from trygg.plans import reading

    digest = scope_key(user)
    if digest is None:
        return None
    return f"trygg:{kind}:" + ":".join(
        (
            CODE,
            str(reading.version()),
            str(versioning.current(VERSION_KEY)),
            digest,
            get_language() or "",
            *parts,
        )
    )


def _digest(keys: list) -> str:
    return hashlib.sha256(repr(keys).encode()).hexdigest()[:24]


def page_rows(table, user, cells: list, read: Callable[[list], list]) -> list[dict]:
    """The rows (``{"html": …}``) of one page of the register, in the order of ``cells``
    (``(pk, …)`` of the page's measures, read through ``restrict()`` and the filters).
    Kept in the cache for this viewer (module's doc); on a miss ``read(cells)`` gives the
    measures with their details (``RegisterView._page_measures``)."""
    key = _key("register-rows", user, (_digest([cell[0] for cell in cells]),)) if cells else None
    if key is None:
        return rows_html(table, table.rows(read(cells)))
    kept = cache.get(key)
    if kept is None:
        kept = [row["html"] for row in rows_html(table, table.rows(read(cells)))]
        cache.set(key, kept, CACHE_SECONDS)
    return [{"html": html} for html in kept]


@dataclass(frozen=True, slots=True)
class PlanDates:
    starts_on: dt.date | None
    ends_on: dt.date | None


@dataclass(frozen=True, slots=True)
class MeasureKey:
    """A measure of a skrivelse's selection as its page reads it on every view: its key,
    whether it is in collaboration, its period and its plan's (reports.register._period_of).
    The rest is read by :func:`measures_of` when the answers are written."""

    pk: int
    in_collaboration: bool
    starts_on: dt.date | None
    ends_on: dt.date | None
    plan: PlanDates


def measure_keys(queryset) -> list[MeasureKey]:
    """The measures of ``queryset`` (restricted, filtered, with ``in_collaboration``, in
    order) as :class:`MeasureKey`, without building a model instance per row."""
    fields = ("pk", "in_collaboration", "starts_on", "ends_on", "plan__starts_on", "plan__ends_on")
    return [
        MeasureKey(pk, together, starts, ends, PlanDates(plan_starts, plan_ends))
        for pk, together, starts, ends, plan_starts, plan_ends in queryset.values_list(*fields)
    ]


def measures_of(keys: list[MeasureKey], fields: tuple[str, ...]) -> list:
    """The measures of ``keys`` with ``fields``, their plan and status, in the keys' order
    with ``in_collaboration``. Read by key: the keys come from the restricted, filtered
    query, and what hangs off them is restricted again (reports.register.attach_details)."""
    from trygg.plans.models import Measure

    found = (
        Measure.objects.filter(pk__in=[key.pk for key in keys])
        .order_by()
        .select_related("plan", "status")
        .only(*fields)
        .in_bulk()
    )
    measures = []
    for key in keys:
        if key.pk in found:
            measure: Any = found[key.pk]
            measure.in_collaboration = key.in_collaboration
            measures.append(measure)
    return measures


def answers_page(
    user, measures: list[MeasureKey], year: int, as_of: dt.date, write: Callable[[], str]
) -> str:
    """The HTML of the answers to a skrivelse built from ``measures`` (read through
    ``restrict()`` and the filters, in their order: :func:`measure_keys`) for ``year``
    as of ``as_of``. Kept in the cache for this viewer (module's doc); on a miss ``write()``
    reads the measures (:func:`measures_of`) with their details and writes the answers."""
    keys = [(m.pk, m.in_collaboration) for m in measures]
    key = _key("skrivelse", user, (str(year), as_of.isoformat(), _digest(keys)))
    if key is None:
        return write()
    kept = cache.get(key)
    if kept is None:
        kept = str(write())
        cache.set(key, kept, CACHE_SECONDS)
    return mark_safe(kept)  # noqa: S308 - written by register.answers_html, every value escaped
