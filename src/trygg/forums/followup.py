"""The rows of the follow-up of decisions, written in Python.

Each row of the follow-up has seven cells and, for a decision the user may set the status of,
a form with its buttons. Through the template language (and an include of the buttons per
row) that was most of the page's time; here the same markup, with the same escaping, is
written once per row. ``forums/_status_buttons.html`` stays the form of the meeting page.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from trygg.forums.choices import DecisionStatus


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _dash(value) -> object:
    """``{{ value|default:"–" }}``."""
    return value if value else "–"


def _cell(cell, decision, overdue: bool) -> str:
    key = cell["column"].key
    inner: str
    value = cell["value"]
    nowrap = mark_safe(' class="nowrap"') if key in {"due", "meeting"} else ""  # noqa: S308
    if key == "due":
        inner = format_html(
            '<time datetime="{}">{}</time>{}',
            _day(decision.due_date),
            _day(decision.due_date),
            format_html(
                '<br><span class="badge badge--overdue">{}</span>',
                pgettext("decision", "Overdue"),
            )
            if overdue
            else "",
        )
    elif key == "status":
        inner = format_html(
            '<span class="badge badge--decision-{}">{}</span>', decision.status, value
        )
    elif key == "measures":
        inner = format_html_join("; ", "{}", ((title,) for title in value)) if value else "–"
    elif key == "meeting":
        inner = format_html(
            '<a href="{}">{}</a>',
            reverse("forums:meeting_detail", args=[decision.meeting_id]),
            _day(value),
        )
    elif cell["link"]:
        inner = format_html('<a href="{}">{}</a>', cell["link"], _dash(value))
    else:
        inner = format_html("{}", _dash(value))
    return format_html('<td data-label="{}"{}>{}</td>', cell["column"].label, nowrap, inner)


def _status_buttons(decision, token: str, next_url: str) -> SafeString:
    """``forums/_status_buttons.html``."""
    name = Truncator(str(decision)).chars(60)
    if decision.status == DecisionStatus.OPEN:
        buttons = format_html(
            '<button type="submit" name="status" value="done" '
            'class="button button--small button--primary">{}'
            '<span class="visually-hidden">: {}</span></button>'
            '<button type="submit" name="status" value="struck" class="button button--small" '
            'data-confirm="{}">{}<span class="visually-hidden">: {}</span></button>',
            gettext("Mark as done"),
            name,
            gettext("Strike the decision? It is kept in the minutes but no longer followed up."),
            gettext("Strike"),
            name,
        )
    else:
        buttons = format_html(
            '<button type="submit" name="status" value="open" class="button button--small">'
            '{}<span class="visually-hidden">: {}</span></button>',
            gettext("Reopen"),
            name,
        )
    return format_html(
        '<form method="post" action="{}" class="status-buttons">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">{}</form>',
        reverse("forums:decision_status", args=[decision.pk]),
        token,
        next_url,
        buttons,
    )


def rows_html(request, rows: list[dict], status_ids: set[int]) -> list[dict]:
    """Adds ``html`` (the row's ``<tr>`` and everything in it) to each of ``rows``."""
    token = get_token(request) if status_ids else ""
    next_url = request.get_full_path()
    actions = gettext("Actions")
    for row in rows:
        decision = row["object"]
        overdue = decision.is_overdue()
        cells = mark_safe(  # noqa: S308 - each cell is built by format_html
            "".join(
                _cell(cell, decision, overdue)
                for cell in row["cells"]
                if cell["column"].key != "overdue"
            )
        )
        buttons = _status_buttons(decision, token, next_url) if decision.pk in status_ids else ""
        row["html"] = format_html(
            '<tr{}>{}<td data-label="{}">{}</td></tr>',
            mark_safe(' class="is-overdue"') if overdue else "",  # noqa: S308
            cells,
            actions,
            buttons,
        )
    return rows
