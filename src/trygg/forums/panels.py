"""Panels that other apps' pages include: the forum decisions linked to a plan measure."""

from __future__ import annotations

from django.db.models import F
from django.template.loader import render_to_string

from trygg.core.access import VIEW
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

    queryset = Decision.objects.filter(
        meeting__forum_id__in=_home_forum_ids(request),
        owner_user=request.user,
        status=DecisionStatus.OPEN,
    ).order_by("due_date", "pk")
    today = timezone.localdate()
    rows, total = first_and_total(queryset, "pk", "text", "due_date")
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

    from trygg.core.home import HomePanel, first_and_total
    from trygg.forums.choices import MeetingStatus
    from trygg.forums.models import Meeting

    now = timezone.now()
    base = Meeting.objects.filter(
        forum_id__in=_home_forum_ids(request),
        starts_at__gte=now,
        status=MeetingStatus.PLANNED,
    )
    # Whether the person takes part, as EXISTS: no join over the participants, so a
    # meeting is one row and the count needs no DISTINCT.
    mine = Exists(
        Meeting.participants.through.objects.filter(
            meeting_id=OuterRef("pk"), user_id=request.user.pk
        )
    )
    rows, total = first_and_total(
        base.annotate(mine=mine).order_by("starts_at", F("mine").desc(), "pk"),
        "pk",
        "title",
        "forum__name",
        "starts_at",
    )
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
