"""The values of a sheet of measures (*cellvärden*): text, dates, lists, responsible parties,
kinds of prevention, and which measure a row without id stands for."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.plans.choices import PreventionType
from trygg.plans.models import Measure
from trygg.plans.parsing import BULLET, parse_responsibles


def _label_in(language: str, value) -> str:
    with translation.override(language):
        return str(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").strip()
    # Exports guard cells that look like formulas with a leading apostrophe; take it away.
    if text[:2] in {"'=", "'+", "'-", "'@", "'\t", "'\r"}:
        text = text[1:]
    return text


def _date(value, problems, where, label):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError:
        problems.append(
            _("%(where)s: “%(value)s” in %(column)s is not a date (write YYYY-MM-DD).")
            % {"where": where, "value": _text(value), "column": label}
        )
        return None


def _split(value) -> list[str]:
    return [part.strip() for part in _text(value).replace("\n", ";").split(";") if part.strip()]


def _responsibles(value) -> list[tuple[str, str]]:
    """The responsible parties of a cell: parts separated by ";" or line breaks, each read
    as in the plan text (:func:`parse_responsibles`), so "Polis Kommun/Alkoholhandläggare"
    is two parties. A part that is one party keeps its words ("Polisen", "Länsstyrelsen/
    Enhet") so an exported file reads back unchanged."""
    parties: list[tuple[str, str]] = []
    for part in _split(value):
        found = parse_responsibles(part)
        if len(found) > 1:
            pairs = [(p.organisation, p.unit) for p in found]
        else:
            label, _sep, unit = part.partition("/")
            pairs = [(label.strip(), unit.strip())]
        parties += [pair for pair in pairs if pair not in parties]
    return parties


def _same_text(value: str) -> str:
    return " ".join(value.split()).casefold()


def _match_measure(row: dict, candidates: list[Measure], taken: set[int]) -> Measure | None:
    """The measure a row without id stands for: in its activity (when the row names one),
    with the same action, else the same title; the challenge decides between several. Each
    measure is matched by one row at most."""
    activity = _same_text(_text(row.get("activity")))
    action = _same_text(_text(row.get("action")))
    title = _same_text(_text(row.get("title")))
    pool = [
        m
        for m in candidates
        if m.pk not in taken and (not activity or _same_text(m.activity.title) == activity)
    ]
    if action:
        found = [m for m in pool if _same_text(m.action) == action]
    elif title:
        found = [m for m in pool if _same_text(m.title) == title]
    else:
        return None
    challenge = _same_text(_text(row.get("challenge")))
    if len(found) > 1 and challenge:
        found = [m for m in found if _same_text(m.challenge) == challenge] or found
    return found[0] if found else None


def _prevention(value, problems, where) -> str:
    text = _text(value).casefold()
    if not text:
        return ""
    for choice in PreventionType:
        if text in {
            choice.value,
            _label_in("sv", choice.label).casefold(),
            _label_in("en", choice.label).casefold(),
        }:
            return choice.value
    problems.append(
        _("%(where)s: unknown kind of prevention “%(value)s”. Use: %(names)s.")
        % {
            "where": where,
            "value": _text(value),
            "names": ", ".join(str(c.label) for c in PreventionType),
        }
    )
    return ""


def _action_items(action: str) -> list[str]:
    return [line[len(BULLET) :].strip() for line in action.split("\n") if line.startswith(BULLET)]
