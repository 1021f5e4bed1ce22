"""One table definition serves the list page and its CSV/XLSX export ("exportera det du ser")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

# A key no row has, reversed once per page in place of every row's own reverse().
_KEY = 987654321987654321


def row_url(name: str) -> Callable[[Any], str]:
    """``lambda pk: reverse(name, args=[pk])``, reversed once: a page's links to its rows
    without a reverse() per row and link (which cost more than writing the row)."""
    head, tail = reverse(name, args=[_KEY]).split(str(_KEY), 1)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True)
class Column:
    """A column: its key, its heading, how to get its value and how to sort by it."""

    key: str
    label: str | Promise
    value: Callable[[Any], Any]
    sort: str | None = None  # an order_by expression; None: not sortable
    link: Callable[[Any], str | None] | None = None  # URL for the cell (None: no link)
    numeric: bool = False


class Table:
    columns: list[Column] = []
    default_sort: str = ""

    def __init__(self, columns: list[Column] | None = None):
        if columns is not None:
            self.columns = columns

    def sort_expression(self, sort_key: str) -> str | None:
        descending = sort_key.startswith("-")
        key = sort_key.lstrip("-")
        for column in self.columns:
            if column.key == key and column.sort:
                return ("-" if descending else "") + column.sort
        return None

    def prepare(self, objects) -> list:
        """The objects, with anything the columns read in bulk attached (one query per page)."""
        return list(objects)

    def page_links(self) -> dict[str, Callable[[Any], str | None]]:
        """Links of columns (by key) set up once per page, in place of the columns' own
        ``link`` (which may reverse() a URL per row): see :func:`row_url`."""
        return {}

    def rows(self, objects) -> list[dict]:
        objects = self.prepare(objects)
        links = self.page_links()
        columns = [(c, links.get(c.key) or c.link) for c in self.columns]
        return [
            {
                "object": obj,
                "cells": [
                    {"column": c, "value": c.value(obj), "link": link(obj) if link else None}
                    for c, link in columns
                ],
            }
            for obj in objects
        ]
