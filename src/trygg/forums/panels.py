"""Panels that other apps' pages include: the forum decisions linked to a plan measure."""

from __future__ import annotations

from django.template.loader import render_to_string

from trygg.forums import selectors


def measure_panel(request, measure) -> str:
    """HTML listing the decisions linked to the measure that the user may see ("" if none).

    The plans app's measure page renders this; it reads through restrict(), so a decision
    made in a forum the user cannot see is not shown.
    """
    decisions = list(selectors.measure_decisions(request.user, measure))
    if not decisions:
        return ""  # nothing to show: the measure page leaves the panel out
    return render_to_string(
        "forums/_measure_panel.html", {"decisions": decisions, "measure": measure}, request=request
    )
