"""The forum page's reading of a forum, kept in the cache.

What the forum page reads of a forum for one viewer – the forum with its organisation and
area, the names of its member organisations and members, every meeting of the forum, the
status and due date of every decision, the open decisions and whether the viewer may change
the forum – is read through ``restrict()`` and kept in the cache (core.choice_cache) under:

- the viewer's scope (core.choice_cache.scope_key: their memberships with the organisations
  and areas they reach, their organisations' current partners), which is all a forum's,
  meeting's and decision's rule for a view and a forum's rule for a change decide by;
- the version of the forums' data (forums.filters.OPTIONS_VERSION), bumped by every save and
  delete of a forum, its member organisations and members, a meeting, a decision, an
  organisation, a partnership, an area and a user;
- the forum and :data:`SHAPE`.

Nothing kept depends on the day or the language: the years' figures (with the overdue
decisions), the meetings of the year shown and the labels are worked out on every view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.core.choice_cache import remembered
from trygg.forums.choices import DecisionStatus, MeetingStatus
from trygg.forums.filters import OPTIONS_VERSION
from trygg.forums.models import Decision, Forum, Meeting

# The shape of a reading: change it with what _read() keeps.
SHAPE = 1


@dataclass(frozen=True)
class MeetingLine:
    """A meeting as the forum page lists it."""

    pk: int
    starts_at: dt.datetime
    status: str
    title: str
    location: str
    #: The number of the meeting's decisions.
    decisions: int

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    def get_status_display(self) -> str:
        return str(dict(MeetingStatus.choices).get(self.status, self.status))


@dataclass(frozen=True)
class DecisionLine:
    """An open decision as the forum page lists it (forums/_decision_list.html)."""

    pk: int
    text: str
    status: str
    due_date: dt.date
    meeting: MeetingLine
    owner_label: str

    @property
    def meeting_id(self) -> int:
        return self.meeting.pk

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == DecisionStatus.OPEN and self.due_date < today

    def get_status_display(self) -> str:
        return str(dict(DecisionStatus.choices).get(self.status, self.status))


@dataclass(frozen=True)
class ForumReading:
    forum: Forum
    member_organisations: list[str]
    members: list[str]
    #: Every meeting of the forum, by start.
    meetings: list[MeetingLine]
    #: Every decision of the forum: its meeting's start, its status and due date.
    decisions: list[tuple[dt.datetime, str, dt.date]]
    #: The open decisions, by due date.
    open_decisions: list[DecisionLine]
    can_change: bool

    def meetings_in(self, year: int) -> list[MeetingLine]:
        """The meetings that start in ``year`` (local time), as ``starts_at__year`` reads it."""
        return [m for m in self.meetings if m.local_start.year == year]


def forum_reading(user: Viewer, pk: int) -> ForumReading | None:
    """The forum ``pk`` as its page shows it to ``user``; None if they may not see it."""
    return remembered(
        OPTIONS_VERSION, user, lambda: _read(user, pk), name=f"forum-page:{SHAPE}:{pk}"
    )


def _read(user: Viewer, pk: int) -> ForumReading | None:
    from trygg.forums.selectors import can_change

    forum = (
        Forum.objects.restrict(user, VIEW)
        .select_related("organisation", "area")
        .defer("area__geometry")
        .filter(pk=pk)
        .first()
    )
    if forum is None:
        return None
    # The meetings and decisions follow the forum's rule; they are still read through
    # restrict(), as on every page.
    decision_rows = list(
        Decision.objects.restrict(user, VIEW)
        .filter(meeting__forum=forum)
        .select_related("owner_user", "owner_organisation")
        .only(
            "pk",
            "text",
            "status",
            "due_date",
            "meeting_id",
            "owner_user_id",
            "owner_organisation_id",
            "owner_user__first_name",
            "owner_user__last_name",
            "owner_user__username",
            "owner_organisation__name",
        )
        .order_by("due_date", "pk")
    )
    per_meeting: dict[int, int] = {}
    for decision in decision_rows:
        per_meeting[decision.meeting_id] = per_meeting.get(decision.meeting_id, 0) + 1
    meetings = [
        MeetingLine(pk, starts_at, status, title, location, per_meeting.get(pk, 0))
        for pk, starts_at, status, title, location in Meeting.objects.restrict(user, VIEW)
        .filter(forum=forum)
        .order_by("starts_at", "pk")
        .values_list("pk", "starts_at", "status", "title", "location")
    ]
    by_pk = {m.pk: m for m in meetings}
    decisions = [
        (by_pk[d.meeting_id].starts_at, d.status, d.due_date)
        for d in decision_rows
        if d.meeting_id in by_pk
    ]
    open_decisions = [
        DecisionLine(d.pk, d.text, d.status, d.due_date, by_pk[d.meeting_id], d.owner_label)
        for d in decision_rows
        if d.status == DecisionStatus.OPEN and d.meeting_id in by_pk
    ]
    return ForumReading(
        forum=forum,
        member_organisations=[str(o) for o in forum.member_organisations.all()],
        members=[p.get_full_name() or p.username for p in forum.members.all()],
        meetings=meetings,
        decisions=decisions,
        open_decisions=open_decisions,
        can_change=can_change(user, forum),
    )
