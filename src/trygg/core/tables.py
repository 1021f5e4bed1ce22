"""One table definition serves the list page and its CSV/XLSX export ("exportera det du ser")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


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

    def rows(self, objects) -> list[dict]:
        objects = self.prepare(objects)
        return [
            {
                "object": obj,
                "cells": [
                    {"column": c, "value": c.value(obj), "link": c.link(obj) if c.link else None}
                    for c in self.columns
                ],
            }
            for obj in objects
        ]
