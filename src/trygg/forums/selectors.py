"""Reads for forums, meetings and decisions. Every figure on a page comes from here, and
every query starts from ``restrict()``, so counts and sums include only what the user may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Min, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import CHANGE, VIEW
from trygg.core.actors import Viewer
from trygg.forums import cadence, ics
from trygg.forums.choices import DecisionStatus, ForumKind, MeetingStatus
from trygg.forums.models import STATUS, Decision, Forum, Meeting

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from trygg.plans.models import Measure


def forums(user: Viewer, action: str = VIEW) -> QuerySet[Forum]:
    return (
        Forum.objects.restrict(user, action)
        .select_related("organisation", "area")
        .defer("area__geometry")  # a forum shows its area's name, never its boundary
    )


def meetings(user: Viewer, action: str = VIEW) -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user, action).select_related("forum", "organisation")


def decisions(user: Viewer, action: str = VIEW) -> QuerySet[Decision]:
    return Decision.objects.restrict(user, action).select_related(
        "meeting__forum", "owner_user", "owner_organisation"
    )


class YearCounts(TypedDict):
    """What annotate_year_counts adds to each forum."""

    first_meeting_at: dt.datetime | None
    held_in_year: int
    open_decisions: int
    overdue_decisions: int


def annotate_year_counts(
    queryset: QuerySet[Forum], year: int, today: dt.date | None = None
) -> QuerySet[WithAnnotations[Forum, YearCounts]]:
    """Held meetings in the year and open (and overdue) decisions, for the forum list."""
    today = today or timezone.localdate()
    return queryset.annotate(
        first_meeting_at=Min("meetings__starts_at"),
        held_in_year=Count(
            "meetings",
            filter=Q(meetings__status=MeetingStatus.HELD, meetings__starts_at__year=year),
            distinct=True,
        ),
        open_decisions=Count(
            "meetings__decisions",
            filter=Q(meetings__decisions__status=DecisionStatus.OPEN),
            distinct=True,
        ),
        overdue_decisions=Count(
            "meetings__decisions",
            filter=Q(
                meetings__decisions__status=DecisionStatus.OPEN,
                meetings__decisions__due_date__lt=today,
            ),
            distinct=True,
        ),
    )


def expected_meetings(forum: Forum, year: int, first_meeting_at: dt.datetime | None) -> int | None:
    """What the cadence promises in the year; None ("not followed") before the forum's first
    meeting, since a forum recorded in Trygg today did not promise meetings years ago."""
    if first_meeting_at is None or timezone.localtime(first_meeting_at).year > year:
        return None
    return cadence.expected_per_year(
        forum.cadence_kind,
        forum.cadence_count,
        forum.cadence_weekday,
        year,
        since=timezone.localtime(first_meeting_at).date(),
    )


@dataclass(frozen=True)
class YearSummary:
    """One forum's year: meetings held against the cadence, and its decisions."""

    forum: Forum
    year: int
    held: int
    planned: int
    cancelled: int
    expected: int | None
    decisions_made: int
    decisions_done: int
    decisions_open: int
    decisions_struck: int
    decisions_overdue: int

    @property
    def text(self) -> str:
        """ "Arbetsgrupp Älta: 6 av 6 möten 2023" (or without the "of" when as needed)."""
        values = {
            "forum": self.forum.name,
            "held": self.held,
            "expected": self.expected,
            "year": self.year,
        }
        if self.expected is None:
            return _("%(forum)s: %(held)s meetings %(year)s") % values
        return _("%(forum)s: %(held)s of %(expected)s meetings %(year)s") % values

    @property
    def meets_cadence(self) -> bool | None:
        return None if self.expected is None else self.held >= self.expected


def forum_years(user: Viewer, forum: Forum, today: dt.date | None = None) -> list[YearSummary]:
    """Per year in which the forum has meetings (and the current year), newest first."""
    # The forum is checked by the caller; the queries still go through restrict().
    meeting_rows = list(
        Meeting.objects.restrict(user, VIEW).filter(forum=forum).values_list("starts_at", "status")
    )
    decision_rows = list(
        Decision.objects.restrict(user, VIEW)
        .filter(meeting__forum=forum)
        .values_list("meeting__starts_at", "status", "due_date")
    )
    return year_summaries(forum, meeting_rows, decision_rows, today)


def year_summaries(
    forum: Forum,
    meeting_rows: list[tuple[dt.datetime, str]],
    decision_rows: list[tuple[dt.datetime, str, dt.date]],
    today: dt.date | None = None,
) -> list[YearSummary]:
    """:func:`forum_years` from the forum's meetings (start, status) and decisions (their
    meeting's start, status, due date), as the viewer may see them."""
    today = today or timezone.localdate()
    per_year: dict[int, dict[str, int]] = {}
    for starts_at, status in meeting_rows:
        year = timezone.localtime(starts_at).year
        per_year.setdefault(year, {}).setdefault(status, 0)
        per_year[year][status] += 1
    decisions_per_year: dict[int, dict[str, int]] = {}
    for starts_at, status, due in decision_rows:
        year = timezone.localtime(starts_at).year
        counts = decisions_per_year.setdefault(year, {})
        counts[status] = counts.get(status, 0) + 1
        if status == DecisionStatus.OPEN and due < today:
            counts["overdue"] = counts.get("overdue", 0) + 1
    first = min((starts_at for starts_at, _status in meeting_rows), default=None)
    # Every year from the first meeting on, so that a year without meetings shows as such.
    known = set(per_year) | set(decisions_per_year) | {today.year}
    years = sorted(set(range(min(known), max(known) + 1)), reverse=True)
    summaries = []
    for year in years:
        meetings_in_year = per_year.get(year, {})
        made = decisions_per_year.get(year, {})
        summaries.append(
            YearSummary(
                forum=forum,
                year=year,
                held=meetings_in_year.get(MeetingStatus.HELD, 0),
                planned=meetings_in_year.get(MeetingStatus.PLANNED, 0),
                cancelled=meetings_in_year.get(MeetingStatus.CANCELLED, 0),
                expected=expected_meetings(forum, year, first),
                decisions_made=sum(v for k, v in made.items() if k != "overdue"),
                decisions_done=made.get(DecisionStatus.DONE, 0),
                decisions_open=made.get(DecisionStatus.OPEN, 0),
                decisions_struck=made.get(DecisionStatus.STRUCK, 0),
                decisions_overdue=made.get("overdue", 0),
            )
        )
    return summaries


def forum_year(user: Viewer, forum: Forum, year: int) -> YearSummary:
    for summary in forum_years(user, forum):
        if summary.year == year:
            return summary
    return YearSummary(forum, year, 0, 0, 0, None, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class KindSummary:
    kind: str
    label: str
    forums: int
    held: int
    expected: int | None


class _KindTotals(TypedDict):
    forums: int
    held: int
    expected: int | None  # None: some forum of the kind has no cadence to count against
    followed: int


def meetings_by_kind(
    user: Viewer, year: int, queryset: QuerySet[Forum] | None = None
) -> list[KindSummary]:
    """Meetings held in the year per kind of forum: "the four working groups met 24 times"."""
    return kind_summaries(kind_rows(user, year, queryset), year)


def kind_rows(
    user: Viewer, year: int, queryset: QuerySet[Forum] | None = None
) -> list[tuple[Any, ...]]:
    """One row per forum (of ``queryset``, else every forum the user sees) with what
    :func:`kind_summaries` adds up."""
    queryset = queryset if queryset is not None else Forum.objects.restrict(user, VIEW)
    return list(
        annotate_year_counts(queryset.order_by(), year).values_list(
            "pk",
            "kind",
            "cadence_kind",
            "cadence_count",
            "cadence_weekday",
            "held_in_year",
            "first_meeting_at",
        )
    )


def kind_summaries(rows: list[tuple[Any, ...]], year: int) -> list[KindSummary]:
    """The rows of :func:`kind_rows` per kind of forum."""
    totals: dict[str, _KindTotals] = {}
    for _pk, kind, c_kind, c_count, c_weekday, held, first in rows:
        entry = totals.setdefault(kind, {"forums": 0, "held": 0, "expected": 0, "followed": 0})
        entry["forums"] += 1
        entry["held"] += held
        if first is None or timezone.localtime(first).year > year:
            continue  # not followed that year
        expected = cadence.expected_per_year(
            c_kind, c_count, c_weekday, year, since=timezone.localtime(first).date()
        )
        if expected is None or entry["expected"] is None:
            entry["expected"] = None
        else:
            entry["expected"] += expected
            entry["followed"] += 1
    labels = dict(ForumKind.choices)
    return [
        KindSummary(
            kind,
            str(labels.get(kind, kind)),
            v["forums"],
            v["held"],
            v["expected"] if v["followed"] else None,
        )
        for kind, v in sorted(totals.items(), key=lambda item: str(labels.get(item[0], "")))
        if v["held"] or v["followed"]
    ]


# Follow-up of decisions


@dataclass(frozen=True)
class FollowupGroup:
    key: str
    label: str
    url: str
    open: int
    overdue: int
    #: Every decision of the group, whatever its status (counted per forum only).
    total: int = 0


def followup_groups(
    queryset: QuerySet[Decision], today: dt.date | None = None
) -> tuple[list[FollowupGroup], list[FollowupGroup]]:
    """Open and overdue decisions per forum and per owner, over an already restricted and
    filtered queryset (so that the summary matches the list below it)."""
    from django.urls import reverse

    today = today or timezone.localdate()
    open_q = Q(status=DecisionStatus.OPEN)
    overdue_q = open_q & Q(due_date__lt=today)
    base = queryset.order_by()
    per_forum = (
        base.values("meeting__forum", "meeting__forum__name")
        # Rows of values() are dicts: "overdue" does not shadow Decision.overdue, whatever
        # the plugin, which checks annotations against the model, says.
        .annotate(  # type: ignore[no-redef]
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=overdue_q),
            total=Count("pk"),
        )
        .order_by("meeting__forum__name")
    )
    forums = [
        FollowupGroup(
            str(row["meeting__forum"]),
            row["meeting__forum__name"],
            reverse("forums:forum_detail", args=[row["meeting__forum"]]),
            row["open"],
            row["overdue"],
            row["total"],
        )
        for row in per_forum
    ]
    per_owner = (
        base.values(
            "owner_organisation__name",
            "owner_user__first_name",
            "owner_user__last_name",
            "owner_user__username",
        )
        # Rows of values() are dicts: "overdue" does not shadow Decision.overdue, whatever
        # the plugin, which checks annotations against the model, says.
        .annotate(open=Count("pk", filter=open_q), overdue=Count("pk", filter=overdue_q))  # type: ignore[no-redef]
        .order_by("owner_organisation__name", "owner_user__first_name", "owner_user__last_name")
    )
    owners: list[FollowupGroup] = []
    for row in per_owner:
        person = " ".join(
            p for p in (row["owner_user__first_name"], row["owner_user__last_name"]) if p
        ) or (row["owner_user__username"] or "")
        label = ", ".join(p for p in (person, row["owner_organisation__name"] or "") if p)
        owners.append(FollowupGroup(label, label, "", row["open"], row["overdue"]))
    return forums, owners


def forum_ids(user: Viewer, action: str) -> set[int]:
    """The ids of the forums ``restrict(user, action)`` lets through, kept in the cache under
    the viewer's scope and the version of what a forum's access follows (its organisation,
    area and member organisations: forums.filters.OPTIONS_VERSION)."""
    from trygg.core import choice_cache
    from trygg.forums.filters import OPTIONS_VERSION

    def compute() -> set[int]:
        return set(Forum.objects.restrict(user, action).values_list("pk", flat=True))

    return choice_cache.remembered(OPTIONS_VERSION, user, compute, name=f"forum-ids-{action}")


def decisions_visible(user: Viewer) -> QuerySet[Decision]:
    """The decisions the user may see: those of the forums they may see (Decision.access_q
    for a view), by the forums' ids kept in the cache (:func:`forum_ids`) rather than by the
    forums' rule as a subquery in every query of a page."""
    from trygg.core.access import scope_for

    scope = scope_for(user)
    if scope.user_id is None:
        return Decision._default_manager.none()
    if scope.is_superuser:
        return Decision._default_manager.all()
    return Decision._default_manager.filter(meeting__forum__in=sorted(forum_ids(user, VIEW)))


def status_settable(user: Viewer, decisions: list[Decision]) -> set[int]:
    """The ids of those of ``decisions`` (read through the user's restriction for a view, with
    their meetings) whose status the user may set, by Decision.access_q for STATUS without
    a query: the decision's forum is one the user may change, or the user owns it (in person
    or as a member who may change things in the owning organisation) – and sees it, which
    every one of ``decisions`` is."""
    from trygg.core.access import scope_for

    if not decisions:
        return set()
    return Decision.status_settable(scope_for(user), decisions, set(forum_ids(user, CHANGE)))


def measure_decisions(user: Viewer, measure: Measure) -> QuerySet[Decision]:
    """The decisions linked to a plan measure that the user may see.

    Most measures have none: the links are looked up first (by key, a small read), and the
    restricted query is built and run only for a measure that has some.
    """
    linked = list(
        Decision.measures.through._default_manager.filter(measure_id=measure.pk).values_list(
            "decision_id", flat=True
        )
    )
    if not linked:
        return Decision.objects.none()
    return decisions(user).filter(pk__in=linked).order_by("-meeting__starts_at", "pk")


def can_set_status(user: Viewer, decision: Decision) -> bool:
    return Decision.objects.restrict(user, STATUS).filter(pk=decision.pk).exists()


def can_change(user: Viewer, obj: Model) -> bool:
    # Every model passed here has a RestrictedManager as ``objects``.
    manager: Any = type(obj).objects  # type: ignore[attr-defined]
    return bool(manager.restrict(user, CHANGE).filter(pk=obj.pk).exists())


# Calendar


def calendar_events(user: Viewer, forum: Forum, *, base_url: str = "") -> list[ics.Event]:
    """The forum's meetings for its .ics feed.

    Only the time, place, title and a link go into the feed: calendars are often synced to
    outside services, so the agenda and minutes stay in Trygg behind the login.
    """
    from django.urls import reverse

    rows = (
        Meeting.objects.restrict(user, VIEW)
        .filter(forum=forum)
        .order_by("starts_at", "pk")
        .only("pk", "title", "starts_at", "ends_at", "location", "status", "created_at")
    )
    events = []
    for meeting in rows:
        summary = forum.name + (f" – {meeting.title}" if meeting.title else "")
        url = base_url + reverse("forums:meeting_detail", args=[meeting.pk])
        events.append(
            ics.Event(
                uid=f"meeting-{meeting.pk}@trygg",
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at or meeting.starts_at + dt.timedelta(hours=1),
                stamp=meeting.created_at,
                summary=summary,
                location=meeting.location,
                description=_("Agenda, minutes and decisions: %(url)s") % {"url": url},
                url=url,
                cancelled=meeting.status == MeetingStatus.CANCELLED,
            )
        )
    return events
