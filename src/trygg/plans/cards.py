"""The measure cards of the plan page, written in Python.

A plan has dozens of measures (the demo's has 54), and as a template included once per
measure the cards cost more than everything else on the page: every ``{{ }}``, ``{% if %}``
and ``{% translate %}`` is resolved again for each card. ``CardWriter`` writes the same
markup (``plans/_measure_card.html`` as it was, compared in the tests) with the labels and
URLs looked up once per page. Every value is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from trygg.core.formatting import format_percent
from trygg.plans.models import Measure, MeasureStatus
from trygg.plans.templatetags.plan_tags import BADGE, action_blocks

_PK = 2_147_483_647  # a placeholder id, replaced by each measure's


class _Url:
    """A URL pattern reversed once and filled in per measure."""

    def __init__(self, name: str) -> None:
        self.head, _sep, self.tail = reverse(name, args=[_PK]).partition(str(_PK))

    def __call__(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


def _action(text: str) -> str:
    parts = []
    for block in action_blocks(text):
        if block["kind"] == "list":
            items = "".join(f"<li>{esc(item)}</li>" for item in block["items"])
            parts.append(f'<ul class="action-items">{items}</ul>')
        else:
            parts.append(f"<p>{esc(block['text'])}</p>")
    return "".join(parts)


class CardWriter:
    """Writes cards; the labels, URLs and status choices are looked up once per page.

    ``changeable``: the ids whose status the viewer may set (those cards get the quick status
    form, with ``statuses`` to choose from); ``next_url``: where that form comes back to.
    """

    def __init__(
        self,
        *,
        changeable: Iterable[int] = (),
        statuses: Sequence[MeasureStatus] = (),
        next_url: str = "",
        csrf_token: str = "",
    ) -> None:
        self.changeable = set(changeable)
        self.label_measure = esc(_("Measure"))
        self.label_progress = esc(_("Progress"))
        self.label_challenge = esc(_("Challenge"))
        self.label_action = esc(pgettext("measure", "Action"))
        self.label_responsible = esc(_("Responsible"))
        self.label_where = esc(_("Where"))
        self.label_targets = esc(_("Targets"))
        self.label_status = esc(_("Status"))
        self.label_save = esc(_("Save status"))
        self.detail_url = _Url("plans:measure_detail")
        self.status_url = _Url("plans:measure_status") if self.changeable else None
        self.options = [
            (s.pk, f'<option value="{s.pk}"', f">{esc(s.name)}</option>") for s in statuses
        ]
        self.csrf = esc(csrf_token)
        self.next_value = esc(next_url)

    def write(self, measures: Sequence[Measure], *, several: bool = False) -> SafeString:
        """The cards of ``measures`` (with ``plan_view``'s plain lists on each measure).

        ``several``: the measures share one activity, so a measure titled like its activity
        is called "Åtgärd 1", "Åtgärd 2"…
        """
        cards = [self.card(m, counter, several) for counter, m in enumerate(measures, start=1)]
        return mark_safe("".join(cards))  # noqa: S308 - every value escaped in card()

    def card(self, m: Measure, counter: int, several: bool) -> str:
        pk = m.pk
        title = esc(m.title)
        activity = m.activity if m.activity_id else None
        if activity is None or m.title != activity.title:
            shown = title
        elif several:
            shown = f"{self.label_measure} {counter}"
        else:
            shown = self.label_measure
        status = m.status
        progress = ""
        p = m.effective_progress
        if p is not None:
            value = esc(localize(p))
            progress = (
                f'<span class="measure__progress"><progress max="100" value="{value}" '
                f'aria-label="{self.label_progress}">{value} %</progress> '
                f'<span class="muted small">{format_percent(p, 0)}</span></span>'
            )
        challenge = ""
        if m.challenge:
            text = linebreaksbr(m.challenge, autoescape=True)
            challenge = f"<dt>{self.label_challenge}</dt><dd>{text}</dd>"
        responsible = ", ".join(
            f'<span class="party">{esc(r.display)}</span>' for r in m.responsible_list
        )
        where = ""
        if m.area_list or m.place_list:
            names = ", ".join(esc(x.name) for x in [*m.area_list, *m.place_list])
            where = f"<dt>{self.label_where}</dt><dd>{names}</dd>"
        targets = ""
        if m.target_list:
            texts = "; ".join(esc(t.description) for t in m.target_list)
            targets = f"<dt>{self.label_targets}</dt><dd>{texts}</dd>"
        form = ""
        if self.status_url is not None and pk in self.changeable:
            choices = "".join(
                f"{head} selected{tail}" if spk == m.status_id else f"{head}{tail}"
                for spk, head, tail in self.options
            )
            form = (
                f'<form method="post" action="{self.status_url(pk)}" class="quick-status">\n'
                f'    <input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">\n'
                f'    <input type="hidden" name="next" value="{self.next_value}#measure-{pk}">\n'
                f'    <label for="status-{pk}">{self.label_status}</label>\n'
                f'    <select name="status" id="status-{pk}">\n'
                f"      {choices}\n"
                f"    </select>\n"
                f'    <button type="submit" class="button button--small">{self.label_save}'
                f'<span class="visually-hidden"> – {title}</span></button>\n'
                f"  </form>\n  "
            )
        return (
            f'<article class="measure measure--{esc(status.category)}" id="measure-{pk}" '
            f'aria-labelledby="measure-title-{pk}">\n'
            f'  <header class="measure__head">\n'
            f'    <h4 id="measure-title-{pk}" class="measure__title">'
            f'<a href="{self.detail_url(pk)}">{shown}'
            f'<span class="visually-hidden"> – {title}</span></a></h4>\n'
            f'    <span class="badge {BADGE.get(status.category, "")}" '
            f'data-testid="measure-status">{esc(status.name)}</span>\n'
            f"    {progress}\n"
            f"  </header>\n"
            f'  <dl class="measure__facts">\n'
            f"    {challenge}\n"
            f"    <dt>{self.label_action}</dt><dd>{_action(m.action)}</dd>\n"
            f"    <dt>{self.label_responsible}</dt><dd>{responsible or '–'}</dd>\n"
            f"    {where}\n"
            f"    {targets}\n"
            f"  </dl>\n"
            f"  {form}\n"
            f"</article>\n"
        )
