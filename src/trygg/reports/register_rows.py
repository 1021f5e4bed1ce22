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
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

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
    from trygg.budget.models import BudgetLine, MeasureFunding
    from trygg.core.models import Area, Organisation, Place

    versioning.bump_on_change(VERSION_KEY, [Area, Place, Organisation, MeasureFunding, BudgetLine])


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


def page_rows(table, user, cells: list, read: Callable[[list], list]) -> list[dict]:
    """The rows (``{"html": …}``) of one page of the register, in the order of ``cells``
    (``(pk, …)`` of the page's measures, read through ``restrict()`` and the filters).
    Kept in the cache for this viewer (module's doc); on a miss ``read(cells)`` gives the
    measures with their details (``RegisterView._page_measures``)."""
    from trygg.plans import reading

    digest = scope_key(user)
    if digest is None or not cells:
        return rows_html(table, table.rows(read(cells)))
    keys = [cell[0] for cell in cells]
    page = hashlib.sha256(repr(keys).encode()).hexdigest()[:24]
    key = "trygg:register-rows:" + ":".join(
        (
            CODE,
            str(reading.version()),
            str(versioning.current(VERSION_KEY)),
            digest,
            get_language() or "",
            page,
        )
    )
    kept = cache.get(key)
    if kept is None:
        kept = [row["html"] for row in rows_html(table, table.rows(read(cells)))]
        cache.set(key, kept, CACHE_SECONDS)
    return [{"html": html} for html in kept]
