"""Pages for forums, meetings, attachments, decisions, their follow-up and calendar feeds.

Every object is fetched through ``restrict()``: out of scope is a 404. Pages that change
something fetch with the "change" action, so a member organisation that may only read a
shared forum gets a 404 there as well.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Value
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, may
from trygg.core.choice_cache import remembered
from trygg.core.editing import form_page, next_url, submit
from trygg.core.listing import RestrictedListView
from trygg.core.tables import Column, Table, row_url
from trygg.forums import followup, selectors, services
from trygg.forums.choices import MeetingStatus
from trygg.forums.filters import OPTIONS_VERSION, DecisionFilter, ForumFilter
from trygg.forums.forms import (
    AttachmentForm,
    DecisionForm,
    DecisionMeasureForm,
    DecisionStatusForm,
    ForumForm,
    MeetingForm,
    SeriesForm,
)
from trygg.forums.models import (
    STATUS,
    CalendarFeed,
    Decision,
    Forum,
    Meeting,
    MeetingAttachment,
)
from trygg.forums.reading import forum_reading

# Forums


class ForumTable(Table):
    default_sort = "name"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda f: f.name,
            sort="name",
            link=lambda f: reverse("forums:forum_detail", args=[f.pk]),
        ),
        Column("kind", gettext_lazy("Kind"), lambda f: f.get_kind_display(), sort="kind"),
        Column(
            "area", gettext_lazy("Area"), lambda f: f.area.name if f.area else "", sort="area__name"
        ),
        Column("cadence", gettext_lazy("Cadence"), lambda f: f.cadence_label),
        Column(
            "held",
            gettext_lazy("Meetings"),
            lambda f: f.held_in_year,
            sort="held_in_year",
            numeric=True,
        ),
        Column(
            "expected",
            gettext_lazy("Per cadence"),
            lambda f: selectors.expected_meetings(f, f.count_year, f.first_meeting_at),
            numeric=True,
        ),
        Column(
            "open",
            gettext_lazy("Open decisions"),
            lambda f: f.open_decisions,
            sort="open_decisions",
            numeric=True,
        ),
        Column(
            "overdue",
            pgettext_lazy("count", "Overdue"),
            lambda f: f.overdue_decisions,
            sort="overdue_decisions",
            numeric=True,
        ),
    ]


class ForumListView(RestrictedListView):
    """Samverkansforum: the list, with meetings held in a year against the cadence."""

    model = Forum
    filterset_class = ForumFilter
    table_class = ForumTable
    template_name = "forums/forum_list.html"
    title = gettext_lazy("Forums and meetings")
    empty_text = gettext_lazy(
        "There are no forums yet. Start with your working groups and the committee that leads the work."
    )
    export_name = "forum"

    def count_year(self) -> int:
        # The page's own filter form (built first by filtered_queryset), not a second one.
        filterset = getattr(self, "filterset", None) or self.get_filterset()
        return filterset.count_year

    def base_queryset(self):
        year = self.count_year()
        queryset = (
            super().base_queryset().select_related("organisation", "area").defer("area__geometry")
        )
        return selectors.annotate_year_counts(queryset, year).annotate(
            count_year=Value(year, output_field=IntegerField())
        )

    def total(self, queryset) -> int:
        # The summary per kind reads one row per filtered forum: their number is the count.
        # Kept under the forums' version and the viewer's scope (core.choice_cache), for this
        # filter (the page's address without its page and order, which do not change it).
        query = self.request.GET.copy()
        for name in ("page", "sort", "format"):
            query.pop(name, None)
        rows = remembered(
            OPTIONS_VERSION,
            self.request.user,
            lambda: selectors.kind_rows(
                self.request.user,
                self.filterset.count_year,
                queryset=self.filterset.filter_queryset(
                    Forum.objects.restrict(self.request.user, VIEW)
                ),
            ),
            name=f"forum-kinds:{self.filterset.count_year}:{query.urlencode()}",
        )
        self.kinds = selectors.kind_summaries(rows, self.filterset.count_year)
        return len(rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.filterset.count_year
        if may(self.request.user, ADD):
            context["create_url"] = reverse("forums:forum_create")
            context["create_label"] = _("New forum")
        context["extra_actions"] = [
            (reverse("forums:followup"), _("Follow up decisions")),
            (reverse("forums:calendar_feeds"), _("My calendar subscriptions")),
        ]
        context["year"] = year
        context["kinds"] = self.kinds
        return context


@login_required
def forum_create(request):
    if not may(request.user, ADD):
        raise Http404
    form = ForumForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.forum_create(actor=request.user, **data),
        title=_("New forum"),
        success=_("The forum was created."),
        done=lambda forum: reverse("forums:forum_detail", args=[forum.pk]),
        cancel_url=reverse("forums:forum_list"),
        template="forums/forum_form.html",
    )


FORUM_INITIAL = [
    "organisation",
    "name",
    "kind",
    "area",
    "description",
    "cadence_kind",
    "cadence_count",
    "cadence_weekday",
    "cadence_time",
    "cadence_text",
    "is_active",
]


@login_required
def forum_edit(request, pk):
    forum = get_object_or_404(Forum.objects.restrict(request.user, CHANGE), pk=pk)
    initial = {name: getattr(forum, name) for name in FORUM_INITIAL}
    initial["member_organisations"] = list(forum.member_organisations.all())
    initial["members"] = list(forum.members.all())
    form = ForumForm(request.POST or None, initial=initial, user=request.user, forum=forum)

    def save(data):
        data.pop("organisation", None)
        services.forum_update(actor=request.user, forum=forum, **data)

    return form_page(
        request,
        form,
        save,
        title=forum.name,
        success=_("The forum was saved."),
        done=reverse("forums:forum_detail", args=[forum.pk]),
        cancel_url=reverse("forums:forum_detail", args=[forum.pk]),
        template="forums/forum_form.html",
        context={"history_url": reverse("core:history", args=["forums", "forum", forum.pk])},
    )


@login_required
def forum_detail(request, pk):
    # Read through restrict() and kept in the cache under the viewer's scope and the forums'
    # version (forums.reading); the years' figures are worked out from it on every view.
    reading = forum_reading(request.user, pk)
    if reading is None:
        raise Http404
    forum = reading.forum
    today = timezone.localdate()
    years = selectors.year_summaries(
        forum,
        [(m.starts_at, m.status) for m in reading.meetings],
        reading.decisions,
        today,
    )
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = None
    known_years = [s.year for s in years]
    if year not in known_years:
        year = today.year
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "member_organisations": reading.member_organisations,
            "members": reading.members,
            "years": years,
            "year": year,
            "summary": next(s for s in years if s.year == year),
            "meetings": reading.meetings_in(year),
            "open_decisions": reading.open_decisions,
            "can_change": reading.can_change,
            "today": today,
        },
    )


@login_required
def forum_ics(request, pk):
    """The forum's meetings as an .ics file, for a logged-in user (download or import)."""
    forum = get_object_or_404(Forum.objects.restrict(request.user, VIEW), pk=pk)
    return _ics_response(request, request.user, forum)


def _ics_response(request, user, forum):
    from trygg.forums import ics

    base_url = request.build_absolute_uri("/").rstrip("/")
    body = ics.calendar(forum.name, selectors.calendar_events(user, forum, base_url=base_url))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="forum-{forum.pk}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def calendar_feed(request, key):
    """A calendar subscription: the secret address is the credential (see CalendarFeed).

    No login: Outlook and other calendar programs cannot log in. An unknown or revoked key,
    an inactive user, or a user who no longer sees the forum all get the same 404.
    """
    feed = services.calendar_feed_authenticate(key)
    if feed is None:
        raise Http404
    forum = Forum.objects.restrict(feed.user, VIEW).filter(pk=feed.forum_id).first()
    if forum is None:
        raise Http404
    return _ics_response(request, feed.user, forum)


@login_required
def forum_subscribe(request, pk):
    """Create a personal calendar address for the forum and show it once."""
    forum = get_object_or_404(Forum.objects.restrict(request.user, VIEW), pk=pk)
    feed_url = None
    if request.method == "POST":
        _feed, key = services.calendar_feed_create(actor=request.user, forum=forum)
        feed_url = request.build_absolute_uri(reverse("forums:calendar_feed", args=[key]))
    return render(
        request,
        "forums/subscribe.html",
        {
            "forum": forum,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://")
            if feed_url
            else None,
        },
    )


@login_required
def calendar_feeds(request):
    feeds = CalendarFeed.objects.restrict(request.user, VIEW).select_related("forum")
    return render(request, "forums/calendar_feeds.html", {"feeds": feeds})


@login_required
@require_POST
def calendar_feed_delete(request, pk):
    feed = get_object_or_404(CalendarFeed.objects.restrict(request.user, VIEW), pk=pk)
    services.calendar_feed_delete(actor=request.user, feed=feed)
    messages.success(request, _("The calendar subscription was revoked."))
    return redirect("forums:calendar_feeds")


# Meetings


@login_required
def meeting_create(request, pk):
    forum = get_object_or_404(Forum.objects.restrict(request.user, CHANGE), pk=pk)
    form = MeetingForm(
        request.POST or None,
        forum=forum,
        initial={
            "status": MeetingStatus.PLANNED,
            # The usual attendance, to be adjusted: the forum's members and organisations.
            "participants": list(forum.members.all()),
            "represented_organisations": [forum.organisation, *forum.member_organisations.all()],
        },
    )
    return form_page(
        request,
        form,
        lambda _data: services.meeting_create(
            actor=request.user, forum=forum, **form.service_data()
        ),
        title=_("New meeting: %(forum)s") % {"forum": forum.name},
        success=_("The meeting was saved."),
        done=lambda meeting: reverse("forums:meeting_detail", args=[meeting.pk]),
        cancel_url=reverse("forums:forum_detail", args=[forum.pk]),
        template="forums/meeting_form.html",
        context={"forum": forum},
    )


@login_required
def meeting_edit(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, CHANGE).select_related("forum"), pk=pk
    )
    form = MeetingForm(
        request.POST or None, forum=meeting.forum, initial=MeetingForm.initial_for(meeting)
    )
    return form_page(
        request,
        form,
        lambda _data: services.meeting_update(
            actor=request.user, meeting=meeting, **form.service_data()
        ),
        title=str(meeting),
        success=_("The meeting was saved."),
        done=reverse("forums:meeting_detail", args=[meeting.pk]),
        cancel_url=reverse("forums:meeting_detail", args=[meeting.pk]),
        template="forums/meeting_form.html",
        context={
            "forum": meeting.forum,
            "meeting": meeting,
            "history_url": reverse("core:history", args=["forums", "meeting", meeting.pk]),
        },
    )


@login_required
def meeting_delete(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, DELETE).select_related("forum"), pk=pk
    )
    if request.method == "POST":
        forum_pk = meeting.forum_id
        try:
            services.meeting_delete(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("forums:meeting_detail", pk=meeting.pk)
        messages.success(request, _("The meeting was deleted."))
        return redirect("forums:forum_detail", pk=forum_pk)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": meeting,
            "cancel_url": reverse("forums:meeting_detail", args=[meeting.pk]),
            "consequence": _(
                "The meeting and its attachments are deleted. A meeting with decisions cannot "
                "be deleted. The change is recorded in the audit log."
            ),
        },
    )


@login_required
def meeting_series(request, pk):
    """Plan meetings ahead from the forum's cadence."""
    forum = get_object_or_404(Forum.objects.restrict(request.user, CHANGE), pk=pk)
    today = timezone.localdate()
    form = SeriesForm(
        request.POST or None,
        initial={"start": today, "until": today.replace(month=12, day=31)},
    )
    created = submit(
        form,
        lambda data: services.meeting_series_plan(actor=request.user, forum=forum, **data),
        request=request,
    )
    if created is not None:
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)s meeting was planned.",
                    "%(count)s meetings were planned.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("Every meeting in the period was already planned."))
        return redirect(
            reverse("forums:forum_detail", args=[forum.pk])
            + f"?ar={form.cleaned_data['start'].year}"
        )
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Plan meetings: %(forum)s") % {"forum": forum.name},
            "intro": _(
                "Meetings are planned %(cadence)s between the dates. Days that already have a "
                "meeting get no second one, so planning again is safe."
            )
            % {"cadence": forum.cadence_label},
            "submit_label": _("Plan meetings"),
            "cancel_url": reverse("forums:forum_detail", args=[forum.pk]),
        },
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, VIEW)
        .select_related("forum", "forum__organisation", "forum__area", "created_by")
        .defer("forum__area__geometry")
        .prefetch_related("participants", "represented_organisations", "attachments"),
        pk=pk,
    )
    decisions = (
        selectors.decisions(request.user)
        .filter(meeting=meeting)
        .prefetch_related("measures__plan")
        .order_by("pk")
    )
    status_ids = set(
        Decision.objects.restrict(request.user, STATUS)
        .filter(meeting=meeting)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "forums/meeting_detail.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "decisions": decisions,
            "status_ids": status_ids,
            "can_change": selectors.can_change(request.user, meeting),
            "attachment_form": AttachmentForm(),
            **_individual_part(request, meeting),
        },
    )


def _individual_part(request, meeting) -> dict:
    """The individual part of an SSPF forum or individavstämning lives in the youths' cases:
    the page lists the notes of this meeting only in the cases the user is in (each read is
    logged by the cases selectors); anyone else cannot tell whether notes exist."""
    from trygg.cases.access import can_use_cases
    from trygg.cases.choices import ForumKindsForNotes
    from trygg.cases.selectors import notes_for_meeting

    if not can_use_cases(request.user):
        return {}
    return {
        "case_notes": notes_for_meeting(user=request.user, meeting=meeting, path=request.path),
        "can_write_case_notes": meeting.forum.kind in ForumKindsForNotes,
    }


# Attachments


@login_required
def attachment_upload(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, CHANGE).select_related("forum"), pk=pk
    )
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: services.attachment_add(
            actor=request.user, meeting=meeting, upload=data["file"]
        ),
        title=_("Add an attachment: %(meeting)s") % {"meeting": meeting},
        success=_("The attachment was added."),
        done=reverse("forums:meeting_detail", args=[meeting.pk]) + "#attachments",
        cancel_url=reverse("forums:meeting_detail", args=[meeting.pk]),
        context={"multipart": True, "submit_label": _("Upload")},
    )


@login_required
def attachment_download(request, pk):
    """Attachments are served only here, after the forum's access check: never a media URL."""
    attachment = get_object_or_404(MeetingAttachment.objects.restrict(request.user, VIEW), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(MeetingAttachment.objects.restrict(request.user, CHANGE), pk=pk)
    meeting_pk = attachment.meeting_id
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("The attachment was deleted."))
    return redirect(reverse("forums:meeting_detail", args=[meeting_pk]) + "#attachments")


# Decisions


@login_required
def decision_create(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, CHANGE).select_related("forum"), pk=pk
    )
    form = DecisionForm(request.POST or None, user=request.user, forum=meeting.forum)
    return form_page(
        request,
        form,
        lambda data: services.decision_create(actor=request.user, meeting=meeting, **data),
        title=_("New decision: %(meeting)s") % {"meeting": meeting},
        success=_("The decision was recorded."),
        done=reverse("forums:meeting_detail", args=[meeting.pk]) + "#decisions",
        cancel_url=reverse("forums:meeting_detail", args=[meeting.pk]),
    )


@login_required
def decision_detail(request, pk):
    decision = get_object_or_404(
        selectors.decisions(request.user)
        .select_related("created_by", "meeting__forum__organisation")
        .prefetch_related("reminders"),
        pk=pk,
    )
    from trygg.plans.models import Measure

    measures = (
        Measure.objects.restrict(request.user, VIEW)
        .filter(decisions=decision)
        .select_related("plan", "status")
        .order_by("plan__title", "order", "pk")
    )
    can_status = selectors.can_set_status(request.user, decision)
    can_change = selectors.can_change(request.user, decision)
    return render(
        request,
        "forums/decision_detail.html",
        {
            "decision": decision,
            "meeting": decision.meeting,
            "forum": decision.meeting.forum,
            "measures": measures,
            "can_status": can_status,
            "can_change": can_change,
            "can_add_measure": can_change
            and DecisionMeasureForm(user=request.user).fields["plan"].queryset.exists(),
            "status_form": DecisionStatusForm(initial={"status": decision.status}),
            "today": timezone.localdate(),
        },
    )


@login_required
def decision_edit(request, pk):
    decision = get_object_or_404(
        Decision.objects.restrict(request.user, CHANGE).select_related("meeting__forum"), pk=pk
    )
    initial = {
        "text": decision.text,
        "owner_organisation": decision.owner_organisation,
        "owner_user": decision.owner_user,
        "due_date": decision.due_date,
        "reference": decision.reference,
        "measures": list(decision.measures.all()),
    }
    form = DecisionForm(
        request.POST or None, initial=initial, user=request.user, forum=decision.meeting.forum
    )
    return form_page(
        request,
        form,
        lambda data: services.decision_update(actor=request.user, decision=decision, **data),
        title=_("Edit decision"),
        success=_("The decision was saved."),
        done=reverse("forums:decision_detail", args=[decision.pk]),
        cancel_url=reverse("forums:decision_detail", args=[decision.pk]),
        context={"history_url": reverse("core:history", args=["forums", "decision", decision.pk])},
    )


@login_required
@require_POST
def decision_status(request, pk):
    decision = get_object_or_404(Decision.objects.restrict(request.user, STATUS), pk=pk)
    form = DecisionStatusForm(request.POST)
    default = reverse("forums:decision_detail", args=[decision.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(next_url(request, default))
    try:
        services.decision_set_status(
            actor=request.user,
            decision=decision,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The decision is now marked “%(status)s”.")
            % {"status": decision.get_status_display().lower()},
        )
    return redirect(next_url(request, default))


@login_required
def decision_measure_create(request, pk):
    decision = get_object_or_404(
        Decision.objects.restrict(request.user, CHANGE).select_related("meeting__forum__area"),
        pk=pk,
    )
    form = DecisionMeasureForm(
        request.POST or None,
        user=request.user,
        initial={"title": str(decision)[:300], "action": decision.text},
    )
    area = decision.meeting.forum.area
    return form_page(
        request,
        form,
        lambda data: services.decision_measure_create(
            actor=request.user,
            decision=decision,
            plan=data["plan"],
            title=data["title"],
            action=data["action"],
            areas=(
                [area]
                if area is not None and area.organisation_id == data["plan"].organisation_id
                else []
            ),
        ),
        title=_("New measure from a decision"),
        success=_("The measure was created and linked to the decision."),
        done=reverse("forums:decision_detail", args=[decision.pk]),
        cancel_url=reverse("forums:decision_detail", args=[decision.pk]),
        context={"intro": str(decision), "submit_label": _("Create the measure")},
    )


# Follow-up


class DecisionTable(Table):
    default_sort = "forum"
    columns = [
        Column(
            "forum",
            gettext_lazy("Forum"),
            lambda d: d.meeting.forum.name,
            sort="meeting__forum__name",
            link=lambda d: reverse("forums:forum_detail", args=[d.meeting.forum_id]),
        ),
        Column(
            "owner",
            gettext_lazy("Responsible"),
            lambda d: d.owner_label,
            sort="owner_organisation__name",
        ),
        Column(
            "text",
            gettext_lazy("Decision"),
            lambda d: str(d),
            sort="text",
            link=lambda d: reverse("forums:decision_detail", args=[d.pk]),
        ),
        Column(
            "meeting",
            gettext_lazy("Meeting"),
            lambda d: timezone.localtime(d.meeting.starts_at).date(),
            sort="meeting__starts_at",
        ),
        Column("due", gettext_lazy("Due date"), lambda d: d.due_date, sort="due_date"),
        Column("status", gettext_lazy("Status"), lambda d: d.get_status_display(), sort="status"),
        Column("overdue", pgettext_lazy("decision", "Overdue"), lambda d: d.is_overdue()),
        Column("measures", gettext_lazy("Measures"), lambda d: d.measure_titles),
    ]

    def page_links(self):
        forum_url = row_url("forums:forum_detail")
        decision_url = row_url("forums:decision_detail")
        return {
            "forum": lambda d: forum_url(d.meeting.forum_id),
            "text": lambda d: decision_url(d.pk),
        }

    def prepare(self, objects) -> list:
        """The decisions, each with the titles of its measures (one query for all)."""
        decisions = list(objects)
        titles: dict[int, list[str]] = {d.pk: [] for d in decisions}
        if titles:
            for decision_id, title in (
                Decision.measures.through.objects.filter(decision_id__in=list(titles))
                .order_by("measure__plan", "measure__order", "measure__id")
                .values_list("decision_id", "measure__title")
            ):
                titles[decision_id].append(title)
        for decision in decisions:
            decision.measure_titles = titles[decision.pk]
        return decisions


class FollowupView(RestrictedListView):
    """Uppföljning: open decisions per forum and owner, the overdue ones marked."""

    model = Decision
    filterset_class = DecisionFilter
    table_class = DecisionTable
    template_name = "forums/followup.html"
    title = gettext_lazy("Follow-up of decisions")
    empty_text = gettext_lazy(
        "There are no decisions to follow up. Decisions are recorded on a forum's meeting."
    )
    export_name = "beslut-uppfoljning"

    def base_queryset(self):
        return selectors.decisions_visible(self.request.user).select_related(
            "meeting__forum", "owner_user", "owner_organisation"
        )

    def total(self, queryset) -> int:
        # Every decision is in one forum: the count per forum adds up to the list's count.
        self.groups = selectors.followup_groups(queryset)
        return sum(group.total for group in self.groups[0])

    def filtered_queryset(self):
        queryset = super().filtered_queryset()
        if self.sort.lstrip("-") == "forum":
            # Within a forum, group by owner and then by due date.
            descending = "-" if self.sort.startswith("-") else ""
            queryset = queryset.order_by(
                f"{descending}meeting__forum__name",
                "owner_organisation__name",
                "owner_user__last_name",
                "due_date",
                "pk",
            )
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forums, owners = self.groups
        context.update(by_forum=forums, by_owner=owners, today=timezone.localdate())
        context["status_ids"] = selectors.status_settable(
            self.request.user, [row["object"] for row in context["rows"]]
        )
        followup.rows_html(self.request, context["rows"], context["status_ids"])
        return context
