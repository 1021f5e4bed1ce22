"""Panels that other apps' pages include: the forum decisions linked to a plan measure."""

from __future__ import annotations

from django.db.models import F
from django.template.loader import render_to_string

from trygg.core.access import VIEW
from trygg.core.choice_cache import remembered
from trygg.forums import selectors
from trygg.forums.filters import OPTIONS_VERSION


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


def _home_forum_ids(request) -> list[int]:
    """The forums the person may see, read once for the start page's two forum panels: a
    meeting and a decision are seen exactly when their forum is (Meeting.access_q,
    Decision.access_q for viewing), so both panels filter by these keys instead of building
    the restricted subquery each."""
    from trygg.forums.models import Forum

    ids = getattr(request, "_trygg_home_forum_ids", None)
    if ids is None:
        ids = list(
            Forum.objects.restrict(request.user, VIEW).order_by().values_list("pk", flat=True)
        )
        request._trygg_home_forum_ids = ids
    return ids


def home_decisions(request):
    """Start page: open decisions the person owns, soonest due first."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.text import Truncator
    from django.utils.translation import gettext as _

    from trygg.core.home import HomePanel, first_and_total
    from trygg.forums.choices import DecisionStatus
    from trygg.forums.models import Decision

    def read() -> tuple[list[tuple], int]:
        queryset = Decision.objects.filter(
            meeting__forum_id__in=_home_forum_ids(request),
            owner_user=request.user,
            status=DecisionStatus.OPEN,
        ).order_by("due_date", "pk")
        return first_and_total(queryset, "pk", "text", "due_date")

    # Kept under the forums' version and the person's scope (core.choice_cache); what
    # depends on the day (overdue or due) is written below, at every view.
    rows, total = remembered(OPTIONS_VERSION, request.user, read, name="home-decisions")
    today = timezone.localdate()
    items = [
        (
            Truncator(text).chars(90),
            reverse("forums:decision_detail", args=[pk]),
            (_("overdue since %(date)s") if due_date < today else _("due %(date)s"))
            % {"date": due_date.isoformat()},
        )
        for pk, text, due_date in rows
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
    from django.db.models import Exists, OuterRef
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from trygg.core.home import PANEL_ITEMS, HomePanel
    from trygg.forums.choices import MeetingStatus
    from trygg.forums.models import Meeting

    def read() -> list[tuple]:
        """Every planned meeting still to start, in the panel's order: a meeting drops out
        of the panel when it starts, below, without a new reading."""
        # Whether the person takes part, as EXISTS: no join over the participants, so a
        # meeting is one row.
        mine = Exists(
            Meeting.participants.through.objects.filter(
                meeting_id=OuterRef("pk"), user_id=request.user.pk
            )
        )
        return list(
            Meeting.objects.filter(
                forum_id__in=_home_forum_ids(request),
                starts_at__gte=timezone.now(),
                status=MeetingStatus.PLANNED,
            )
            .annotate(mine=mine)
            .order_by("starts_at", F("mine").desc(), "pk")
            .values_list("pk", "title", "forum__name", "starts_at")
        )

    # Kept under the forums' version (meetings, their participants, the forums and who
    # sees them) and the person's scope (core.choice_cache).
    now = timezone.now()
    upcoming = [
        row
        for row in remembered(OPTIONS_VERSION, request.user, read, name="home-meetings")
        if row[3] >= now
    ]
    rows, total = upcoming[:PANEL_ITEMS], len(upcoming)
    items = [
        (
            title or forum_name,
            reverse("forums:meeting_detail", args=[pk]),
            date_format(timezone.localtime(starts_at), "SHORT_DATETIME_FORMAT"),
        )
        for pk, title, forum_name, starts_at in rows
    ]
    return HomePanel(
        key="meetings",
        title=_("Upcoming meetings"),
        items=items,
        total=total,
        more_url=reverse("forums:forum_list"),
        empty=_("No meetings are planned."),
    )
