"""The rows of the follow-up of decisions, written in Python.

Each row of the follow-up has seven cells and, for a decision the user may set the status of,
a form with its buttons. Through the template language (and an include of the buttons per
row) that was most of the page's time; here the same markup, with the same escaping, is
written once per row. ``forums/_status_buttons.html`` stays the form of the meeting page.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from trygg.core.tables import row_url
from trygg.forums.choices import DecisionStatus


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _e(value) -> str:
    """``{{ value }}`` of a text: escaped unless already safe."""
    return str(conditional_escape(value))


def _cell(cell, decision, overdue_badge: str, meeting_url) -> str:
    """One cell of ``forums/followup.html`` (``overdue_badge``: empty unless overdue;
    ``meeting_url``: a meeting's address from its id)."""
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
        url = meeting_url(decision.meeting_id)
        inner = f'<a href="{_e(url)}">{_day(value)}</a>'
    elif cell["link"]:
        inner = f'<a href="{_e(cell["link"])}">{_e(value or "–")}</a>'
    else:
        inner = _e(value or "–")
    nowrap = ' class="nowrap"' if key in {"due", "meeting"} else ""
    return f'<td data-label="{_e(cell["column"].label)}"{nowrap}>{inner}</td>'


class _StatusButtons:
    """``forums/_status_buttons.html``, its texts translated and its address reversed once
    per page."""

    def __init__(self, token: str, next_url: str) -> None:
        self.token = conditional_escape(token)
        self.next_url = conditional_escape(next_url)
        self.url = row_url("forums:decision_status")
        self.done = conditional_escape(gettext("Mark as done"))
        self.confirm = conditional_escape(
            gettext("Strike the decision? It is kept in the minutes but no longer followed up.")
        )
        self.strike = conditional_escape(gettext("Strike"))
        self.reopen = conditional_escape(gettext("Reopen"))

    def __call__(self, decision) -> str:
        name = conditional_escape(Truncator(str(decision)).chars(60))
        if decision.status == DecisionStatus.OPEN:
            buttons = (
                '<button type="submit" name="status" value="done" '
                f'class="button button--small button--primary">{self.done}'
                f'<span class="visually-hidden">: {name}</span></button>'
                '<button type="submit" name="status" value="struck" class="button button--small" '
                f'data-confirm="{self.confirm}">{self.strike}'
                f'<span class="visually-hidden">: {name}</span></button>'
            )
        else:
            buttons = (
                '<button type="submit" name="status" value="open" class="button button--small">'
                f'{self.reopen}<span class="visually-hidden">: {name}</span></button>'
            )
        return (
            f'<form method="post" action="{conditional_escape(self.url(decision.pk))}" '
            'class="status-buttons">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.token}">'
            f'<input type="hidden" name="next" value="{self.next_url}">{buttons}</form>'
        )


def rows_html(request, rows: list[dict], status_ids: set[int]) -> list[dict]:
    """Adds ``html`` (the row's ``<tr>`` and everything in it) to each of ``rows``."""
    token = get_token(request) if status_ids else ""
    status_buttons = _StatusButtons(token, request.get_full_path())
    meeting_url = row_url("forums:meeting_detail")
    actions = _e(gettext("Actions"))
    badge = f'<br><span class="badge badge--overdue">{_e(pgettext("decision", "Overdue"))}</span>'
    today = timezone.localdate()
    for row in rows:
        decision = row["object"]
        overdue = decision.is_overdue(today)
        cells = "".join(
            _cell(cell, decision, badge if overdue else "", meeting_url)
            for cell in row["cells"]
            if cell["column"].key != "overdue"
        )
        buttons = status_buttons(decision) if decision.pk in status_ids else ""
        marked = ' class="is-overdue"' if overdue else ""
        row["html"] = mark_safe(  # noqa: S308 - every value escaped in _cell and _StatusButtons
            f"<tr{marked}>{cells}" + f'<td data-label="{actions}">{buttons}</td></tr>'
        )
    return rows
