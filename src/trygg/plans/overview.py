"""The plan page's overview of measures: per focus area a table with a row per measure.

A plan has dozens of measures (the demo's has 28 and 54 in all plans). The page used to show
a card per measure with its challenge, action, areas and a status form; that card, as a
template included once per measure, cost more than everything else on the page. The
overview now gives what a plan's overview is read for – what the measure is (a link to its
page, where the challenge, the action, the places, the timeline and the status form are),
its status and progress, who is responsible, its time frame and how its targets stand –
and ``RowWriter`` writes the rows in Python, with the labels and URLs looked up once per
page. Every value is escaped here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from django.core.cache import cache
from django.template.defaultfilters import floatformat, linebreaks_filter
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.core.formatting import format_percent
from trygg.plans.choices import Fulfilment
from trygg.plans.models import Measure, Target
from trygg.plans.templatetags.plan_tags import BADGE

_PK = 2_147_483_647  # a placeholder id, replaced by each row's
SECTIONS_SECONDS = 6 * 3600

FULFILMENT_BADGE: dict[str, str] = {
    Fulfilment.MET.value: "badge--done",
    Fulfilment.NOT_MET.value: "badge--cancelled",
    Fulfilment.NO_OUTCOME.value: "",
}
STATUS_BADGE: dict[str, str] = {category.value: css for category, css in BADGE.items()}


class _Url:
    """A URL pattern reversed once and filled in per row."""

    def __init__(self, name: str) -> None:
        self.head, _sep, self.tail = reverse(name, args=[_PK]).partition(str(_PK))

    def __call__(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else "…"


class RowWriter:
    """Writes the rows of the overview's tables (see the module docstring).

    ``states``: each target's fulfilment as the plan's roll-ups counted it (by target id);
    ``can_change_plan``: the viewer may edit activities, so each activity gets its link.
    """

    def __init__(self, *, states: Mapping[int, str], can_change_plan: bool = False) -> None:
        self.states = states
        self.can_change_plan = can_change_plan
        self.label_measure = esc(_("Measure"))
        self.label_status = esc(_("Status"))
        self.label_responsible = esc(_("Responsible"))
        self.label_time = esc(_("Time frame"))
        self.label_targets = esc(_("Targets"))
        self.label_edit_activity = esc(_("Edit activity"))
        self.label_no_measures = esc(_("No measures."))
        self.label_complete = _("%(percent)s complete")
        self._progress: dict[int, str] = {}
        self.fulfilment: dict[str, str] = {state.value: esc(state.label) for state in Fulfilment}
        self.detail_url = _Url("plans:measure_detail")
        self.activity_url = _Url("plans:activity_edit")
        self.focus_area_url = _Url("plans:focus_area_edit")
        self.head = (
            f'<thead><tr><th scope="col">{self.label_measure}</th>'
            f'<th scope="col">{self.label_status}</th>'
            f'<th scope="col">{self.label_responsible}</th>'
            f'<th scope="col">{self.label_time}</th>'
            f'<th scope="col">{self.label_targets}</th></tr></thead>'
        )

    def sections(self, focus_areas) -> SafeString:
        """A ``<details>`` section per focus area (``FocusAreaView``s): its title, roll-up,
        purpose and goal, and the table of its measures – written here rather than by a
        template loop, which cost several times the rows themselves."""
        return mark_safe("".join(self.section(view) for view in focus_areas))  # noqa: S308

    def kept_sections(self, focus_areas, reading_key: str) -> SafeString:
        """:meth:`sections` kept in the cache. They are written from the plan's reading
        (``reading_key``: its key in the cache, plans.reading, which follows the data and the
        viewer's restriction), the targets' states (computed ones change with other data and
        the date, so they are part of the key), whether the viewer may change the plan, the
        language and the addresses."""
        states = hashlib.sha256(
            repr(sorted((pk, str(state)) for pk, state in self.states.items())).encode()
        ).hexdigest()[:24]
        key = ":".join(
            (
                "trygg:plan-sections",
                reading_key,
                states,
                str(int(self.can_change_plan)),
                get_language() or "",
                self.detail_url.head,
            )
        )
        html = cache.get(key)
        if html is None:
            html = str(self.sections(focus_areas))
            cache.set(key, html, SECTIONS_SECONDS)
        return mark_safe(html)  # noqa: S308 - written by sections(), every value escaped

    def section(self, view) -> str:
        focus_area, rollup = view.focus_area, view.rollup
        if focus_area is not None:
            title = str(esc(focus_area.title))
            caption = _("Measures in %(title)s") % {"title": title}
        else:
            title = caption = str(esc(_("Activities without focus area")))
        progress = ""
        if rollup.progress is not None:
            shown = esc(format_percent(rollup.progress, 0))
            area_title = title if focus_area is not None else ""
            progress = (
                f'<progress max="100" value="{floatformat(rollup.progress, "0u")}" '
                f'aria-label="{esc(_("Progress"))} {area_title}">{shown}</progress> '
                f'<span class="muted">{shown}</span>'
            )
        text = ""
        if focus_area is not None and (focus_area.purpose or focus_area.goal):
            if focus_area.purpose:
                text += (
                    f"<div><h3>{esc(_('Purpose'))}</h3>"
                    f"{linebreaks_filter(focus_area.purpose, autoescape=True)}</div>"
                )
            if focus_area.goal:
                text += (
                    f"<div><h3>{esc(_('Goal'))}</h3>"
                    f"{linebreaks_filter(focus_area.goal, autoescape=True)}</div>"
                )
            text = f'<div class="focus-area__text">{text}</div>'
        edit = ""
        if self.can_change_plan and focus_area is not None:
            edit = (
                f'<p class="small"><a href="{self.focus_area_url(focus_area.pk)}">'
                f"{esc(_('Edit focus area'))}"
                f'<span class="visually-hidden"> {title}</span></a></p>'
            )
        if view.activities:
            body = (
                f'<table class="data stack measure-table">'
                f'<caption class="visually-hidden">{caption}</caption>'
                f"{self.head}<tbody>{self.rows(view.activities)}</tbody></table>"
            )
        else:
            body = f'<p class="muted">{esc(_("No activities."))}</p>'
        return (
            f'<details class="section focus-area" open id="focus-area-'
            f'{focus_area.pk if focus_area is not None else "none"}">'
            f"<summary><h2>{title}</h2>"
            f'<span class="focus-area__meta"><span class="muted">'
            f"{esc(rollup.activity_summary)}</span>{progress}</span></summary>"
            f'<div class="section__body">{text}{edit}{body}</div></details>'
        )

    def rows(self, activities) -> SafeString:
        """The rows of one focus area: its activities' measures in order (``ActivityView``s)."""
        parts = []
        for view in activities:
            activity = view.activity
            edit = ""
            if self.can_change_plan:
                edit = (
                    f'<a class="measure-table__edit small" href="{self.activity_url(activity.pk)}">'
                    f"{self.label_edit_activity}"
                    f'<span class="visually-hidden"> {esc(activity.title)}</span></a>'
                )
            if not view.measures:
                parts.append(
                    f'<tr><th scope="row">{esc(activity.title)}{edit}</th>'
                    f'<td colspan="4" class="muted">{self.label_no_measures}</td></tr>'
                )
                continue
            several = len(view.measures) > 1
            for counter, measure in enumerate(view.measures, start=1):
                parts.append(self.row(measure, counter if several else 0, edit))
                edit = ""  # once per activity, on its first row
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped in row()

    def loose(self, measures) -> SafeString:
        """The rows of the measures without an activity."""
        return mark_safe("".join(self.row(m, 0, "") for m in measures))  # noqa: S308

    def row(self, m: Measure, counter: int, edit: str) -> str:
        pk = m.pk
        title = str(esc(m.title))
        if counter:  # several measures share the activity (and mostly its title)
            title += f' <span class="muted">({self.label_measure.lower()} {counter})</span>'
        status = m.status
        progress = ""
        p = m.effective_progress
        if p is not None:
            if p not in self._progress:  # a handful of values on a page: each written once
                done = self.label_complete % {"percent": format_percent(p, 0)}
                self._progress[p] = f' <span class="measure-row__progress">{esc(done)}</span>'
            progress = self._progress[p]
        names = [esc(r.display) for r in m.responsible_list]
        responsible = " ".join(  # the comma stays with its name when the line breaks
            f'<span class="party">{name}{"," if i < len(names) else ""}</span>'
            for i, name in enumerate(names, start=1)
        )
        if m.starts_on or m.ends_on:
            time = (
                f'<span class="nowrap">{_date(m.starts_on)} –</span> '
                f'<span class="nowrap">{_date(m.ends_on)}</span>'
            )
        else:
            time = "–"
        targets = "".join(self.target(t) for t in m.target_list)
        if targets:
            targets = f'<ul class="measure-table__targets">{targets}</ul>'
        return (
            f'<tr id="measure-{pk}" class="measure-row measure-row--{esc(status.category)}">'
            f'<th scope="row"><a href="{self.detail_url(pk)}">{title}</a>{edit}</th>'
            f'<td data-label="{self.label_status}"><div><span class="badge '
            f'{STATUS_BADGE.get(status.category, "")}" data-testid="measure-status">'
            f"{esc(status.name)}</span>{progress}</div></td>"
            f'<td data-label="{self.label_responsible}"><div>{responsible or "–"}</div></td>'
            f'<td data-label="{self.label_time}"><div>{time}</div></td>'
            f'<td data-label="{self.label_targets}"><div>{targets or "–"}</div></td>'
            f"</tr>"
        )

    def target(self, target: Target) -> str:
        state = str(self.states.get(target.pk, Fulfilment.NO_OUTCOME.value))
        badge = FULFILMENT_BADGE.get(state, "")
        return (
            f"<li>{esc(target.description)} "
            f'<span class="badge {badge}">{self.fulfilment.get(state, "")}</span></li>'
        )
