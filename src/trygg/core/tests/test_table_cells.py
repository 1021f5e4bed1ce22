"""core's table_cells tag writes each cell as ``{{ value }}`` would in the template loop it
replaced: localized, in local time, escaped unless safe, the column's label once per table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from trygg.core.templatetags.trygg import table_cells

VALUES = [
    "Storgatan 1 <b> & \"hörnet\" 'x'",
    mark_safe("<em>redan säker</em>"),
    gettext_lazy("Period"),
    1234567,
    Decimal("1234.5"),
    dt.date(2026, 12, 3),
    dt.datetime(2026, 6, 1, 22, 30, tzinfo=dt.UTC),
    None,
    "",
]


def _reference(context, cells) -> str:
    """The template loop's output, one value at a time."""
    out = []
    for cell in cells:
        value, link, column = cell["value"], cell["link"], cell["column"]
        text = "–" if value is None else render_value_in_context(value, context)
        if link:
            text = f'<a href="{render_value_in_context(link, context)}">{text}</a>'
        css = ' class="num"' if column.numeric else ""
        out.append(
            f'<td{css} data-label="{render_value_in_context(column.label, context)}">{text}</td>'
        )
    return "\n      ".join(out)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_cells_are_what_the_template_loop_wrote(language):
    columns = [
        SimpleNamespace(label=gettext_lazy("Name"), numeric=False),
        SimpleNamespace(label='A "quoted" <label>', numeric=True),
    ]
    rows = [
        {
            "cells": [
                {"column": columns[0], "value": value, "link": "/a?b=1&c=2" if i % 2 else None},
                {"column": columns[1], "value": value, "link": None},
            ]
        }
        for i, value in enumerate(VALUES)
    ]
    with translation.override(language), timezone.override("Europe/Stockholm"):
        context = Context({})  # one rendering of the table: the openings are kept between rows
        for row in rows:
            assert table_cells(context, row) == _reference(Context({}), row["cells"])
