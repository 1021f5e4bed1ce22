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


def home_decisions(request):
    """Start page: open decisions the person owns, soonest due first."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.text import Truncator
    from django.utils.translation import gettext as _

    from trygg.core.home import HomePanel, first_and_total
    from trygg.forums.choices import DecisionStatus

    queryset = (
        selectors.decisions(request.user)
        .filter(owner_user=request.user, status=DecisionStatus.OPEN)
        .order_by("due_date", "pk")
    )
    today = timezone.localdate()
    rows, total = first_and_total(queryset)
    items = [
        (
            Truncator(d.text).chars(90),
            reverse("forums:decision_detail", args=[d.pk]),
            (_("overdue since %(date)s") if d.due_date < today else _("due %(date)s"))
            % {"date": d.due_date.isoformat()},
        )
        for d in rows
    ]
    return HomePanel(
        key="decisions",
        title=_("My decisions due"),
        items=items,
        total=total,
        more_url=reverse("forums:followup"),
        empty=_("No open decisions are yours."),
    )


def home_meetings(request):
    """Start page: the next planned meetings the person can see, their own first."""
    from django.db.models import Case, IntegerField, Value, When
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from trygg.core.home import PANEL_ITEMS, HomePanel
    from trygg.forums.choices import MeetingStatus

    now = timezone.now()
    queryset = (
        selectors.meetings(request.user)
        .filter(starts_at__gte=now, status=MeetingStatus.PLANNED)
        .select_related("forum")
        .annotate(
            mine=Case(
                When(participants=request.user, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts_at", "mine", "pk")
    )
    seen, items = set(), []
    for meeting in queryset[: PANEL_ITEMS * 3]:
        if meeting.pk in seen:
            continue
        seen.add(meeting.pk)
        items.append(
            (
                meeting.title or meeting.forum.name,
                reverse("forums:meeting_detail", args=[meeting.pk]),
                date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT"),
            )
        )
        if len(items) == PANEL_ITEMS:
            break
    return HomePanel(
        key="meetings",
        title=_("Upcoming meetings"),
        items=items,
        total=queryset.values("pk").distinct().count(),
        more_url=reverse("forums:forum_list"),
        empty=_("No meetings are planned."),
    )
