"""The personal start page: panels that other apps contribute ("mitt arbete").

Each entry is the dotted path of a function ``(request) -> HomePanel | None``; None leaves the
panel out (the person has nothing of that kind). A panel reads through restrict(), so it
never shows what the person may not see. An entry whose module is missing is skipped.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from django.db.models import Count, Window

HOME_PANELS = [
    "trygg.forums.panels.home_decisions",
    "trygg.incidents.panels.home_reviews",
    "trygg.plans.panels.home_measures",
    "trygg.forums.panels.home_meetings",
]

PANEL_ITEMS = 6


@dataclass
class HomePanel:
    """One panel: a heading, up to PANEL_ITEMS rows (text, link, note) and a link to all."""

    key: str
    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    empty: str = ""


def first_and_total(queryset, *fields: str) -> tuple[list[tuple], int]:
    """The first PANEL_ITEMS rows (tuples of ``fields``) and the number of all, in one
    query: the number is a window count over every row the queryset selects, taken before
    the limit."""
    counted = queryset.annotate(panel_total=Window(Count("*"))).values_list(*fields, "panel_total")
    rows = list(counted[:PANEL_ITEMS])
    return [row[:-1] for row in rows], (rows[0][-1] if rows else 0)


def panels(request) -> list[HomePanel]:
    result = []
    for path in HOME_PANELS:
        module_name, _dot, attribute = path.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and (module_name == error.name or module_name.startswith(error.name)):
                continue
            raise
        panel = getattr(module, attribute)(request)
        if panel is not None:
            result.append(panel)
    return result
