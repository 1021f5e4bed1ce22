"""API for forums, meetings, attachments and decisions.

Lists take the same filters as the pages (one FilterSet each) and are paginated. Every read
goes through restrict(): an object out of scope is a 404; a write the user may not make on an
object they can see is a 404 as well (it is fetched with the "change" action).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, organisations_for
from trygg.core.api_types import UnknownReference
from trygg.core.filters import query_data
from trygg.core.models import Area, Organisation
from trygg.core.pagination import PageNumberPagination
from trygg.forums import selectors, services
from trygg.forums.filters import DecisionFilter, ForumFilter, MeetingFilter
from trygg.forums.models import STATUS, Decision, Forum, Meeting, MeetingAttachment

router = Router(tags=["Samverkan: forum, möten och beslut"])


# Schemas


class ForumOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int
    area_id: int | None
    description: str
    member_organisation_ids: list[int]
    member_ids: list[int]
    cadence_kind: str
    cadence_count: int | None
    cadence_weekday: int | None
    cadence_time: dt.time | None
    cadence_text: str
    cadence_label: str
    is_active: bool

    @staticmethod
    def resolve_member_organisation_ids(obj) -> list[int]:
        return sorted(o.pk for o in obj.member_organisations.all())

    @staticmethod
    def resolve_member_ids(obj) -> list[int]:
        return sorted(u.pk for u in obj.members.all())


class ForumIn(Schema):
    organisation_id: int
    name: str
    kind: str
    area_id: int | None = None
    description: str = ""
    member_organisation_ids: list[int] = []
    member_ids: list[int] = []
    cadence_kind: str = "as_needed"
    cadence_count: int | None = None
    cadence_weekday: int | None = None
    cadence_time: dt.time | None = None
    cadence_text: str = ""


class ForumPatch(Schema):
    name: str | None = None
    kind: str | None = None
    area_id: int | None = None
    description: str | None = None
    member_organisation_ids: list[int] | None = None
    member_ids: list[int] | None = None
    cadence_kind: str | None = None
    cadence_count: int | None = None
    cadence_weekday: int | None = None
    cadence_time: dt.time | None = None
    cadence_text: str | None = None
    is_active: bool | None = None


class YearOut(Schema):
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
    text: str


class SeriesIn(Schema):
    start: dt.date
    until: dt.date


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("forums:attachment_download", args=[obj.pk])


class MeetingOut(Schema):
    id: int
    forum_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    location: str
    status: str
    agenda: str
    minutes: str
    participant_ids: list[int]
    represented_organisation_ids: list[int]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_participant_ids(obj) -> list[int]:
        return sorted(u.pk for u in obj.participants.all())

    @staticmethod
    def resolve_represented_organisation_ids(obj) -> list[int]:
        return sorted(o.pk for o in obj.represented_organisations.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class MeetingIn(Schema):
    forum_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    title: str = ""
    location: str = ""
    status: str = "planned"
    agenda: str = ""
    minutes: str = ""
    participant_ids: list[int] = []
    represented_organisation_ids: list[int] = []


class MeetingPatch(Schema):
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    title: str | None = None
    location: str | None = None
    status: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    participant_ids: list[int] | None = None
    represented_organisation_ids: list[int] | None = None


class DecisionOut(Schema):
    id: int
    meeting_id: int
    forum_id: int
    text: str
    reference: str
    owner_user_id: int | None
    owner_organisation_id: int | None
    due_date: dt.date
    status: str
    completed_on: dt.date | None
    status_note: str
    overdue: bool
    measure_ids: list[int]

    @staticmethod
    def resolve_forum_id(obj) -> int:
        return obj.meeting.forum_id

    @staticmethod
    def resolve_measure_ids(obj) -> list[int]:
        return sorted(m.pk for m in obj.measures.all())


class DecisionIn(Schema):
    meeting_id: int
    text: str
    due_date: dt.date
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None
    reference: str = ""
    measure_ids: list[int] = []


class DecisionPatch(Schema):
    text: str | None = None
    due_date: dt.date | None = None
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None
    reference: str | None = None
    measure_ids: list[int] | None = None


class DecisionMeasureIn(Schema):
    plan_id: int
    title: str
    action: str = ""


class MeasureRef(Schema):
    id: int
    plan_id: int
    title: str


class CalendarFeedOut(Schema):
    id: int
    forum_id: int
    url: str


class DecisionStatusIn(Schema):
    status: str
    note: str = ""
    completed_on: dt.date | None = None


ForumQuery = ForumFilter.as_schema("ForumQuery")
MeetingQuery = MeetingFilter.as_schema("MeetingQuery")
DecisionQuery = DecisionFilter.as_schema("DecisionQuery")


# Looking up referenced objects: only what the user may see, or what the forum allows


def _organisations(user, ids: list[int], field: str):
    found = list(Organisation.objects.restrict(user, VIEW).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise UnknownReference(field, _("Unknown organisation."))
    return found


def _people(ids: list[int], allowed_organisations: set[int], field: str):
    found = list(services.eligible_people(allowed_organisations).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise UnknownReference(
            field,
            _("Choose people who are members of an organisation in the forum's partnership."),
        )
    return found


def _measures(user, ids: list[int]):
    from trygg.plans.models import Measure

    found = list(Measure.objects.restrict(user, VIEW).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise UnknownReference("measures", _("Choose measures from plans you can see."))
    return found


def _owner(forum: Forum, payload: dict) -> dict:
    """Owner fields from ids, refused with the same message whether or not the id exists."""
    allowed = services.forum_organisation_ids(forum)
    result = {}
    if "owner_organisation_id" in payload:
        org_id = payload.pop("owner_organisation_id")
        organisation = None
        if org_id is not None:
            organisation = Organisation.objects.filter(pk=org_id, pk__in=allowed).first()
            if organisation is None:
                raise ValidationError(
                    {
                        "owner_organisation": _(
                            "The responsible organisation must be in the forum's partnership: "
                            "the forum's organisation, one of its partners or a member "
                            "organisation."
                        )
                    }
                )
        result["owner_organisation"] = organisation
    if "owner_user_id" in payload:
        user_id = payload.pop("owner_user_id")
        person = None
        if user_id is not None:
            person = services.eligible_people(allowed).filter(pk=user_id).first()
            if person is None:
                raise ValidationError(
                    {
                        "owner_user": _(
                            "The responsible person must be a member of an organisation in "
                            "the forum's partnership."
                        )
                    }
                )
        result["owner_user"] = person
    return result


def _forum_queryset(user, action=VIEW):
    return selectors.forums(user, action).prefetch_related("member_organisations", "members")


def _meeting_queryset(user, action=VIEW):
    return Meeting.objects.restrict(user, action).prefetch_related(
        "participants", "represented_organisations", "attachments"
    )


def _decision_queryset(user, action=VIEW):
    return (
        Decision.objects.restrict(user, action)
        .select_related("meeting")
        .prefetch_related("measures")
    )


# Forums


@router.get("/forums", response=list[ForumOut])
@paginate(PageNumberPagination)
def list_forums(request, filters: ForumQuery = Query(...)):  # type: ignore[valid-type]
    form = ForumFilter(query_data(filters), user=request.user)
    return form.filter_queryset(_forum_queryset(request.user)).order_by("name", "pk")


@router.get("/forums/{forum_id}", response=ForumOut)
def get_forum(request, forum_id: int):
    return get_object_or_404(_forum_queryset(request.user), pk=forum_id)


@router.get("/forums/{forum_id}/years", response=list[YearOut])
def forum_years(request, forum_id: int):
    """Meetings held against the cadence, and decisions made, done and open, per year."""
    forum = get_object_or_404(Forum.objects.restrict(request.user, VIEW), pk=forum_id)
    return selectors.forum_years(request.user, forum)


@router.post("/forums", response={201: ForumOut})
def create_forum(request, payload: ForumIn):
    data = payload.model_dump()
    organisation = get_object_or_404(
        Organisation.objects.restrict(request.user, ADD), pk=data.pop("organisation_id")
    )
    area_id = data.pop("area_id")
    area = (
        get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=area_id)
        if area_id
        else None
    )
    member_organisations = _organisations(
        request.user, data.pop("member_organisation_ids"), "member_organisations"
    )
    members = list(get_user_model().objects.filter(pk__in=data.pop("member_ids"), is_active=True))
    forum = services.forum_create(
        actor=request.user,
        organisation=organisation,
        area=area,
        member_organisations=member_organisations,
        members=members,
        **data,
    )
    return Status(201, _forum_queryset(request.user).get(pk=forum.pk))


@router.patch("/forums/{forum_id}", response=ForumOut)
def update_forum(request, forum_id: int, payload: ForumPatch):
    forum = get_object_or_404(Forum.objects.restrict(request.user, CHANGE), pk=forum_id)
    data = payload.model_dump(exclude_unset=True)
    if "area_id" in data:
        area_id = data.pop("area_id")
        data["area"] = (
            get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=area_id)
            if area_id
            else None
        )
    if "member_organisation_ids" in data:
        data["member_organisations"] = _organisations(
            request.user, data.pop("member_organisation_ids") or [], "member_organisations"
        )
    if "member_ids" in data:
        data["members"] = list(
            get_user_model().objects.filter(pk__in=data.pop("member_ids") or [], is_active=True)
        )
    services.forum_update(actor=request.user, forum=forum, **data)
    return _forum_queryset(request.user).get(pk=forum.pk)


@router.post("/forums/{forum_id}/series", response={201: list[MeetingOut]})
def plan_series(request, forum_id: int, payload: SeriesIn):
    """Plan the forum's meetings from its cadence; days that have a meeting are skipped."""
    forum = get_object_or_404(Forum.objects.restrict(request.user, CHANGE), pk=forum_id)
    created = services.meeting_series_plan(
        actor=request.user, forum=forum, start=payload.start, until=payload.until
    )
    return Status(201, list(_meeting_queryset(request.user).filter(pk__in=[m.pk for m in created])))


@router.post("/forums/{forum_id}/calendar-feeds", response={201: CalendarFeedOut})
def create_calendar_feed(request, forum_id: int):
    """A personal secret .ics address for the forum (for Outlook); returned only once."""
    forum = get_object_or_404(Forum.objects.restrict(request.user, VIEW), pk=forum_id)
    feed, key = services.calendar_feed_create(actor=request.user, forum=forum)
    url = request.build_absolute_uri(reverse("forums:calendar_feed", args=[key]))
    return Status(201, {"id": feed.pk, "forum_id": forum.pk, "url": url})


# Meetings


@router.get("/meetings", response=list[MeetingOut])
@paginate(PageNumberPagination)
def list_meetings(request, filters: MeetingQuery = Query(...)):  # type: ignore[valid-type]
    form = MeetingFilter(query_data(filters), user=request.user)
    return form.filter_queryset(_meeting_queryset(request.user)).order_by("starts_at", "pk")


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def get_meeting(request, meeting_id: int):
    return get_object_or_404(_meeting_queryset(request.user), pk=meeting_id)


@router.post("/meetings", response={201: MeetingOut})
def create_meeting(request, payload: MeetingIn):
    data = payload.model_dump()
    forum = get_object_or_404(Forum.objects.restrict(request.user, CHANGE), pk=data.pop("forum_id"))
    allowed = services.forum_organisation_ids(forum)
    participants = _people(data.pop("participant_ids"), allowed, "participants")
    represented = _organisations(
        request.user, data.pop("represented_organisation_ids"), "represented_organisations"
    )
    meeting = services.meeting_create(
        actor=request.user,
        forum=forum,
        participants=participants,
        represented_organisations=represented,
        **data,
    )
    return Status(201, _meeting_queryset(request.user).get(pk=meeting.pk))


@router.patch("/meetings/{meeting_id}", response=MeetingOut)
def update_meeting(request, meeting_id: int, payload: MeetingPatch):
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, CHANGE).select_related("forum"), pk=meeting_id
    )
    data = payload.model_dump(exclude_unset=True)
    allowed = services.forum_organisation_ids(meeting.forum)
    if "participant_ids" in data:
        data["participants"] = _people(data.pop("participant_ids") or [], allowed, "participants")
    if "represented_organisation_ids" in data:
        data["represented_organisations"] = _organisations(
            request.user,
            data.pop("represented_organisation_ids") or [],
            "represented_organisations",
        )
    services.meeting_update(actor=request.user, meeting=meeting, **data)
    return _meeting_queryset(request.user).get(pk=meeting.pk)


@router.delete("/meetings/{meeting_id}", response={204: None})
def delete_meeting(request, meeting_id: int):
    """Delete a meeting and its attachments; a meeting with decisions is kept (422)."""
    meeting = get_object_or_404(Meeting.objects.restrict(request.user, DELETE), pk=meeting_id)
    services.meeting_delete(actor=request.user, meeting=meeting)
    return Status(204, None)


@router.post("/meetings/{meeting_id}/attachments", response={201: AttachmentOut})
def upload_attachment(request, meeting_id: int, file: UploadedFile = File(...)):
    """Attach a file (pdf, docx, xlsx, odt, png, jpg; size limited). Download it from ``url``."""
    meeting = get_object_or_404(Meeting.objects.restrict(request.user, CHANGE), pk=meeting_id)
    try:
        attachment = services.attachment_add(actor=request.user, meeting=meeting, upload=file)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.messages}) from error
    return Status(201, attachment)


@router.delete("/attachments/{attachment_id}", response={204: None})
def delete_attachment(request, attachment_id: int):
    attachment = get_object_or_404(
        MeetingAttachment.objects.restrict(request.user, CHANGE), pk=attachment_id
    )
    services.attachment_delete(actor=request.user, attachment=attachment)
    return Status(204, None)


# Decisions


@router.get("/decisions", response=list[DecisionOut])
@paginate(PageNumberPagination)
def list_decisions(request, filters: DecisionQuery = Query(...)):  # type: ignore[valid-type]
    """Open decisions unless ``status`` says otherwise (done, struck or all)."""
    form = DecisionFilter(query_data(filters), user=request.user)
    return form.filter_queryset(_decision_queryset(request.user)).order_by("due_date", "pk")


@router.get("/decisions/{decision_id}", response=DecisionOut)
def get_decision(request, decision_id: int):
    return get_object_or_404(_decision_queryset(request.user), pk=decision_id)


@router.post("/decisions", response={201: DecisionOut})
def create_decision(request, payload: DecisionIn):
    data = payload.model_dump()
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, CHANGE).select_related("forum"),
        pk=data.pop("meeting_id"),
    )
    owners = _owner(meeting.forum, data)
    measures = _measures(request.user, data.pop("measure_ids"))
    decision = services.decision_create(
        actor=request.user, meeting=meeting, measures=measures, **owners, **data
    )
    return Status(201, _decision_queryset(request.user).get(pk=decision.pk))


@router.patch("/decisions/{decision_id}", response=DecisionOut)
def update_decision(request, decision_id: int, payload: DecisionPatch):
    decision = get_object_or_404(
        Decision.objects.restrict(request.user, CHANGE).select_related("meeting__forum"),
        pk=decision_id,
    )
    data = payload.model_dump(exclude_unset=True)
    data.update(_owner(decision.meeting.forum, data))
    if "measure_ids" in data:
        data["measures"] = _measures(request.user, data.pop("measure_ids") or [])
    services.decision_update(actor=request.user, decision=decision, **data)
    return _decision_queryset(request.user).get(pk=decision.pk)


@router.post("/decisions/{decision_id}/status", response=DecisionOut)
def set_decision_status(request, decision_id: int, payload: DecisionStatusIn):
    """Mark the decision done, struck or open. The forum's members and the owner may."""
    decision = get_object_or_404(Decision.objects.restrict(request.user, STATUS), pk=decision_id)
    services.decision_set_status(
        actor=request.user,
        decision=decision,
        status=payload.status,
        note=payload.note,
        completed_on=payload.completed_on,
    )
    return _decision_queryset(request.user).get(pk=decision.pk)


@router.post("/decisions/{decision_id}/measures", response={201: MeasureRef})
def create_measure_from_decision(request, decision_id: int, payload: DecisionMeasureIn):
    """Create a new measure in a plan from the decision, linked to it."""
    from trygg.plans.models import Plan

    decision = get_object_or_404(
        Decision.objects.restrict(request.user, CHANGE).select_related("meeting__forum__area"),
        pk=decision_id,
    )
    # Only plans the user may add measures to; any other plan is a 404.
    plans = Plan.objects.restrict(request.user, VIEW).filter(
        organisation__in=organisations_for(request.user, ADD, whole_organisation=False)
    )
    plan = get_object_or_404(plans, pk=payload.plan_id)
    area = decision.meeting.forum.area
    areas = [area] if area is not None and area.organisation_id == plan.organisation_id else []
    measure = services.decision_measure_create(
        actor=request.user,
        decision=decision,
        plan=plan,
        title=payload.title,
        action=payload.action,
        areas=areas,
    )
    return Status(201, measure)
