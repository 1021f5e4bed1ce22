"""The rows of the follow-up of decisions, written in Python.

Each row of the follow-up has seven cells and, for a decision the user may set the status of,
a form with its buttons. Through the template language (and an include of the buttons per
row) that was most of the page's time; here the same markup, with the same escaping, is
written once per row. ``forums/_status_buttons.html`` stays the form of the meeting page.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from trygg.forums.choices import DecisionStatus


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _e(value) -> str:
    """``{{ value }}`` of a text: escaped unless already safe."""
    return str(conditional_escape(value))


def _cell(cell, decision, overdue_badge: str) -> str:
    """One cell of ``forums/followup.html`` (``overdue_badge``: empty unless overdue)."""
    key = cell["column"].key
    value = cell["value"]
    if key == "due":
        day = _day(decision.due_date)
        inner = f'<time datetime="{day}">{day}</time>{overdue_badge}'
    elif key == "status":
        inner = f'<span class="badge badge--decision-{_e(decision.status)}">{_e(value)}</span>'
    elif key == "measures":
        inner = "; ".join(_e(title) for title in value) if value else "–"
    elif key == "meeting":
        url = reverse("forums:meeting_detail", args=[decision.meeting_id])
        inner = f'<a href="{_e(url)}">{_day(value)}</a>'
    elif cell["link"]:
        inner = f'<a href="{_e(cell["link"])}">{_e(value or "–")}</a>'
    else:
        inner = _e(value or "–")
    nowrap = ' class="nowrap"' if key in {"due", "meeting"} else ""
    return f'<td data-label="{_e(cell["column"].label)}"{nowrap}>{inner}</td>'


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
    badge = f'<br><span class="badge badge--overdue">{_e(pgettext("decision", "Overdue"))}</span>'
    for row in rows:
        decision = row["object"]
        overdue = decision.is_overdue()
        cells = "".join(
            _cell(cell, decision, badge if overdue else "")
            for cell in row["cells"]
            if cell["column"].key != "overdue"
        )
        buttons = _status_buttons(decision, token, next_url) if decision.pk in status_ids else ""
        marked = ' class="is-overdue"' if overdue else ""
        row["html"] = mark_safe(  # noqa: S308 - every value escaped in _cell and format_html
            f"<tr{marked}>{cells}" + f'<td data-label="{_e(actions)}">{buttons}</td></tr>'
        )
    return rows
