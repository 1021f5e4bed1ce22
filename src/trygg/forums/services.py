"""Writes for forums, meetings, attachments, decisions, reminders and calendar feeds.

Every function is ``<noun>_<verb>(*, actor: Actor, ...)``: it runs in one transaction, checks that
the actor may do it, validates with ``full_clean()`` and writes its audit entry in the same
transaction. Mail goes out on commit, so a rolled-back change never sends anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, require, require_in
from trygg.core.actors import Actor, User
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Area, Organisation, Partnership
from trygg.core.services import save_validated
from trygg.core.uploads import read_upload
from trygg.forums import cadence, richtext
from trygg.forums.choices import CadenceKind, DecisionStatus, MeetingStatus, ReminderStage
from trygg.forums.models import (
    STATUS,
    CalendarFeed,
    Decision,
    DecisionReminder,
    Forum,
    Meeting,
    MeetingAttachment,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

    from trygg.plans.models import Measure, Plan
    from trygg.plans.services import MeasureArguments

logger = logging.getLogger(__name__)

FORUM_FIELDS = [
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
MEETING_FIELDS = ["title", "starts_at", "ends_at", "location", "status", "agenda", "minutes"]
DECISION_FIELDS = ["text", "reference", "owner_user", "owner_organisation", "due_date"]


class ForumFields(TypedDict, total=False):
    """The fields of a forum beside its name, kind and area (FORUM_FIELDS)."""

    description: str
    cadence_kind: str
    cadence_count: int | None
    cadence_weekday: int | None
    cadence_time: dt.time | None
    cadence_text: str
    is_active: bool


class ForumChanges(ForumFields, total=False):
    name: str
    kind: str
    area: Area | None


class MeetingFields(TypedDict, total=False):
    """The fields of a meeting beside its start (MEETING_FIELDS)."""

    title: str
    ends_at: dt.datetime | None
    location: str
    status: str
    agenda: str
    minutes: str


class MeetingChanges(MeetingFields, total=False):
    starts_at: dt.datetime


class DecisionChanges(TypedDict, total=False):
    """The fields of a decision that decision_update may change (DECISION_FIELDS)."""

    text: str
    reference: str
    owner_user: User | None
    owner_organisation: Organisation | None
    due_date: dt.date


# Planning further ahead than this is refused: a typo in the year would create hundreds.
SERIES_MAX_DAYS = 2 * 366

# The "due" reminder goes out this many days before the due date (and on it, if missed).
DUE_REMINDER_DAYS_BEFORE = getattr(settings, "TRYGG_DECISION_REMINDER_DAYS_BEFORE", 2)

# Attachment types: extension → (MIME type, accepted leading bytes). The content is checked
# too, so that a renamed program is not stored as a "pdf".
ZIP = (b"PK\x03\x04",)
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


# Access checks


def _areas(area: Area | None) -> list[Area]:
    """A forum lies in its area; a forum of no area is the whole organisation's."""
    return [area] if area is not None else []


# Who may take part: the forum's organisation, its partners and its member organisations


def eligible_organisation_ids(organisation_id: int, member_ids: Iterable[int] = ()) -> set[int]:
    """The owning organisation, organisations in a current partnership with it, and members."""
    return {organisation_id} | set(Partnership.partner_ids([organisation_id])) | set(member_ids)


def forum_organisation_ids(forum: Forum) -> set[int]:
    return eligible_organisation_ids(
        forum.organisation_id, forum.member_organisations.values_list("pk", flat=True)
    )


def eligible_people(organisation_ids: Iterable[int]) -> QuerySet[User]:
    """Active users with an active membership in one of the organisations."""
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation_id__in=list(organisation_ids),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _check_people(field: str, people: Iterable[User], organisation_ids: set[int]) -> None:
    people = list(people)
    if not people:
        return
    allowed = set(eligible_people(organisation_ids).values_list("pk", flat=True))
    strangers = [p for p in people if p.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                field: _("%(names)s is not a member of an organisation in the forum's partnership.")
                % {"names": ", ".join(p.get_full_name() or p.get_username() for p in strangers)}
            }
        )


def _check_organisations(
    field: str, organisations: Iterable[Organisation], allowed: set[int]
) -> None:
    outside = [o for o in organisations if o.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                field: _(
                    "%(names)s is not in the partnership: choose the forum's organisation, "
                    "one of its partners or a member organisation."
                )
                % {"names": ", ".join(o.name for o in outside)}
            }
        )


def _check_area(organisation: Organisation, area: Area | None) -> None:
    if area is None:
        return
    allowed = area.organisation_id == organisation.pk or area.pk == organisation.area_id
    if not allowed and area.organisation_id is not None:
        allowed = area.organisation_id in Partnership.partner_ids([organisation.pk])
    if not allowed:
        raise ValidationError({"area": _("The area does not belong to the organisation.")})


# Forums


def _forum_snapshot(forum: Forum) -> dict[str, Any]:
    return snapshot(forum, [*FORUM_FIELDS, "member_organisations", "members"])


def _normalise_cadence(fields: dict[str, Any]) -> None:
    """Drop the parts a cadence kind does not use, so that the stored cadence is clean."""
    kind = fields.get("cadence_kind")
    if kind == CadenceKind.AS_NEEDED:
        fields.update(cadence_count=None, cadence_weekday=None, cadence_time=None)
    elif kind == CadenceKind.WEEKLY:
        fields["cadence_count"] = None


@transaction.atomic
def forum_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    area: Area | None = None,
    member_organisations: Iterable[Organisation] = (),
    members: Iterable[User] = (),
    **fields: Unpack[ForumFields],
) -> Forum:
    require(actor, ADD, organisation.pk, areas=_areas(area))
    _check_area(organisation, area)
    member_organisations = list(member_organisations)
    _check_organisations(
        "member_organisations",
        member_organisations,
        eligible_organisation_ids(organisation.pk) - {organisation.pk},
    )
    values: dict[str, Any] = {"cadence_kind": CadenceKind.AS_NEEDED, **fields}
    _normalise_cadence(values)
    forum = Forum(organisation=organisation, name=name, kind=kind, area=area)
    for key, value in values.items():
        if key not in FORUM_FIELDS:
            raise TypeError(key)
        setattr(forum, key, value)
    save_validated(forum)
    forum.member_organisations.set(member_organisations)
    members = list(members)
    _check_people("members", members, forum_organisation_ids(forum))
    forum.members.set(members)
    record_change(actor=actor, obj=forum, action=AuditAction.CREATE, after=_forum_snapshot(forum))
    return forum


@transaction.atomic
def forum_update(
    *,
    actor: Actor,
    forum: Forum,
    member_organisations: Iterable[Organisation] | None = None,
    members: Iterable[User] | None = None,
    **fields: Unpack[ForumChanges],
) -> Forum:
    require_in(actor, Forum.objects.restrict(actor, CHANGE), forum)
    before = _forum_snapshot(forum)
    values: dict[str, Any] = dict(fields)
    if "cadence_kind" in values:
        _normalise_cadence(values)
    for key, value in values.items():
        if key not in FORUM_FIELDS:
            raise TypeError(key)
        setattr(forum, key, value)
    if "area" in values:
        _check_area(forum.organisation, forum.area)
        # An area-limited member may not move the forum out of their own areas.
        require(actor, CHANGE, forum.organisation_id, areas=_areas(forum.area))
    save_validated(forum)
    if member_organisations is not None:
        member_organisations = list(member_organisations)
        _check_organisations(
            "member_organisations",
            member_organisations,
            eligible_organisation_ids(forum.organisation_id) - {forum.organisation_id},
        )
        forum.member_organisations.set(member_organisations)
    if members is not None:
        members = list(members)
        _check_people("members", members, forum_organisation_ids(forum))
        forum.members.set(members)
    record_change(
        actor=actor,
        obj=forum,
        action=AuditAction.UPDATE,
        before=before,
        after=_forum_snapshot(forum),
    )
    return forum


# Meetings


def _meeting_snapshot(meeting: Meeting) -> dict[str, Any]:
    return snapshot(meeting, [*MEETING_FIELDS, "participants", "represented_organisations"])


def _set_meeting_people(
    meeting: Meeting,
    participants: Iterable[User] | None,
    represented_organisations: Iterable[Organisation] | None,
) -> None:
    allowed = forum_organisation_ids(meeting.forum)
    if participants is not None:
        participants = list(participants)
        _check_people("participants", participants, allowed)
        meeting.participants.set(participants)
    if represented_organisations is not None:
        represented_organisations = list(represented_organisations)
        _check_organisations("represented_organisations", represented_organisations, allowed)
        meeting.represented_organisations.set(represented_organisations)


def _check_meeting_time(meeting: Meeting) -> None:
    # Checked here too, so that the error can stand next to the time field.
    clash = Meeting.objects.filter(forum_id=meeting.forum_id, starts_at=meeting.starts_at)
    if meeting.pk:
        clash = clash.exclude(pk=meeting.pk)
    if meeting.starts_at and clash.exists():
        raise ValidationError({"starts_at": _("The forum already has a meeting at this time.")})


def _clean_meeting_fields(fields: dict[str, Any]) -> None:
    for key in ("agenda", "minutes"):
        if key in fields:
            fields[key] = richtext.sanitise(fields[key])
    for key in ("starts_at", "ends_at"):
        value = fields.get(key)
        if value is not None and timezone.is_naive(value):
            fields[key] = timezone.make_aware(value)


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    forum: Forum,
    starts_at: dt.datetime,
    participants: Iterable[User] | None = None,
    represented_organisations: Iterable[Organisation] | None = None,
    **fields: Unpack[MeetingFields],
) -> Meeting:
    require_in(actor, Forum.objects.restrict(actor, CHANGE), forum)
    values: dict[str, Any] = {**fields, "starts_at": starts_at}
    _clean_meeting_fields(values)
    meeting = Meeting(organisation_id=forum.organisation_id, forum=forum, created_by=_user(actor))
    for key, value in values.items():
        if key not in MEETING_FIELDS:
            raise TypeError(key)
        setattr(meeting, key, value)
    _check_meeting_time(meeting)
    save_validated(meeting)
    _set_meeting_people(meeting, participants, represented_organisations)
    record_change(
        actor=actor, obj=meeting, action=AuditAction.CREATE, after=_meeting_snapshot(meeting)
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    participants: Iterable[User] | None = None,
    represented_organisations: Iterable[Organisation] | None = None,
    **fields: Unpack[MeetingChanges],
) -> Meeting:
    require_in(actor, Meeting.objects.restrict(actor, CHANGE), meeting)
    before = _meeting_snapshot(meeting)
    values: dict[str, Any] = dict(fields)
    _clean_meeting_fields(values)
    for key, value in values.items():
        if key not in MEETING_FIELDS:
            raise TypeError(key)
        setattr(meeting, key, value)
    _check_meeting_time(meeting)
    save_validated(meeting)
    _set_meeting_people(meeting, participants, represented_organisations)
    record_change(
        actor=actor,
        obj=meeting,
        action=AuditAction.UPDATE,
        before=before,
        after=_meeting_snapshot(meeting),
    )
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: Meeting) -> None:
    """Delete a meeting with its attachments; one with decisions is kept for the follow-up."""
    require_in(actor, Meeting.objects.restrict(actor, DELETE), meeting)
    if meeting.decisions.exists():
        raise ValidationError(
            _("The meeting has decisions and cannot be deleted. Mark it as cancelled instead.")
        )
    for attachment in list(meeting.attachments.all()):
        _attachment_remove(actor, attachment)
    record_change(
        actor=actor, obj=meeting, action=AuditAction.DELETE, before=_meeting_snapshot(meeting)
    )
    meeting.delete()


@transaction.atomic
def meeting_series_plan(
    *, actor: Actor, forum: Forum, start: dt.date, until: dt.date
) -> list[Meeting]:
    """Plan the forum's meetings from its cadence between two dates (both included).

    Idempotent: a day on which the forum already has a meeting gets no second one, so
    planning the same period again creates nothing.
    """
    require_in(actor, Forum.objects.restrict(actor, CHANGE), forum)
    if forum.cadence_kind == CadenceKind.AS_NEEDED:
        raise ValidationError(
            _(
                "The forum meets when needed, so there is no series to plan. Add meetings one by one."
            )
        )
    if until < start:
        raise ValidationError({"until": _("The end date must not be before the start date.")})
    if (until - start).days > SERIES_MAX_DAYS:
        raise ValidationError({"until": _("Plan at most two years at a time.")})
    existing = {
        timezone.localtime(value).date()
        for value in Meeting.objects.filter(forum=forum).values_list("starts_at", flat=True)
    }
    anchor = None
    previous = (
        Meeting.objects.filter(forum=forum, starts_at__date__lt=start)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if previous is not None:
        anchor = timezone.localtime(previous).date()
    at = forum.cadence_time or cadence.DEFAULT_TIME
    created = []
    for day in cadence.series_dates(
        forum.cadence_kind,
        forum.cadence_count,
        forum.cadence_weekday,
        start,
        until,
        anchor=anchor,
    ):
        if day in existing:
            continue
        created.append(
            meeting_create(
                actor=actor,
                forum=forum,
                starts_at=timezone.make_aware(dt.datetime.combine(day, at)),
                status=MeetingStatus.PLANNED,
            )
        )
    return created


# Attachments


def _attachment_type(name: str, data: bytes) -> str:
    from pathlib import Path

    suffix = Path(name).suffix.lower()
    content_type, signatures = ATTACHMENT_TYPES[suffix]
    if not any(data.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("The file's content does not match its type (%(suffix)s).") % {"suffix": suffix}
        )
    return content_type


@transaction.atomic
def attachment_add(*, actor: Actor, meeting: Meeting, upload: UploadedFile) -> MeetingAttachment:
    """Store an uploaded file for the meeting: type and size limited, content checked."""
    require_in(actor, Meeting.objects.restrict(actor, CHANGE), meeting)
    data = read_upload(upload, extensions=set(ATTACHMENT_TYPES))
    if not data:
        raise ValidationError(_("The file is empty."))
    from pathlib import Path

    name = Path(upload.name or "bilaga").name[:200]
    attachment = MeetingAttachment(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        name=name,
        content_type=_attachment_type(name, data),
        size=len(data),
        uploaded_by=_user(actor),
    )
    attachment.file.save(name, ContentFile(data), save=False)
    # The file is on disk now; if the row cannot be written, do not leave it behind.
    try:
        save_validated(attachment)
        record_change(
            actor=actor,
            obj=attachment,
            action=AuditAction.CREATE,
            after={"meeting": meeting.pk, "name": name, "size": len(data)},
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def _attachment_remove(actor: Actor, attachment: MeetingAttachment) -> None:
    record_change(
        actor=actor,
        obj=attachment,
        action=AuditAction.DELETE,
        before={"meeting": attachment.meeting_id, "name": attachment.name},
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # Remove the file only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: MeetingAttachment) -> None:
    require_in(actor, MeetingAttachment.objects.restrict(actor, CHANGE), attachment)
    _attachment_remove(actor, attachment)


# Decisions


def _decision_snapshot(decision: Decision) -> dict[str, Any]:
    return snapshot(decision, [*DECISION_FIELDS, "status", "completed_on", "measures"])


def _check_decision(decision: Decision) -> None:
    forum = decision.meeting.forum
    allowed = forum_organisation_ids(forum)
    errors: dict[str, str] = {}
    if decision.owner_organisation_id and decision.owner_organisation_id not in allowed:
        errors["owner_organisation"] = _(
            "The responsible organisation must be in the forum's partnership: the forum's "
            "organisation, one of its partners or a member organisation."
        )
    if decision.owner_user_id:
        in_partnership = eligible_people(allowed).filter(pk=decision.owner_user_id).exists()
        if not in_partnership:
            errors["owner_user"] = _(
                "The responsible person must be a member of an organisation in the forum's "
                "partnership."
            )
        elif (
            decision.owner_organisation_id
            and not eligible_people([decision.owner_organisation_id])
            .filter(pk=decision.owner_user_id)
            .exists()
        ):
            errors["owner_user"] = _(
                "The responsible person is not a member of the responsible organisation."
            )
    if errors:
        raise ValidationError(errors)


def _check_measures(actor: Actor, measures: list[Measure]) -> None:
    if actor is None or not measures:
        return
    from trygg.plans.models import Measure

    visible = set(
        Measure.objects.restrict(actor, VIEW)
        .filter(pk__in=[m.pk for m in measures])
        .values_list("pk", flat=True)
    )
    if len(visible) != len({m.pk for m in measures}):
        raise ValidationError({"measures": _("Choose measures from plans you can see.")})


@transaction.atomic
def decision_create(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    due_date: dt.date,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    reference: str = "",
    measures: Iterable[Measure] = (),
) -> Decision:
    require_in(actor, Meeting.objects.restrict(actor, CHANGE), meeting)
    decision = Decision(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        text=(text or "").strip(),
        due_date=due_date,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        reference=reference,
        created_by=_user(actor),
    )
    _check_decision(decision)
    save_validated(decision)
    measures = list(measures)
    _check_measures(actor, measures)
    decision.measures.set(measures)
    record_change(
        actor=actor, obj=decision, action=AuditAction.CREATE, after=_decision_snapshot(decision)
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    actor: Actor,
    decision: Decision,
    measures: Iterable[Measure] | None = None,
    **fields: Unpack[DecisionChanges],
) -> Decision:
    require_in(actor, Decision.objects.restrict(actor, CHANGE), decision)
    before = _decision_snapshot(decision)
    for key, value in fields.items():
        if key not in DECISION_FIELDS:
            raise TypeError(key)
        setattr(decision, key, value.strip() if isinstance(value, str) and key == "text" else value)
    _check_decision(decision)
    save_validated(decision)
    if measures is not None:
        measures = list(measures)
        # Links to measures the actor cannot see are kept as they are.
        _check_measures(actor, measures)
        if actor is not None:
            from trygg.plans.models import Measure

            hidden = decision.measures.exclude(
                pk__in=Measure.objects.restrict(actor, VIEW).values("pk")
            )
            measures = [*measures, *hidden]
        decision.measures.set(measures)
    record_change(
        actor=actor,
        obj=decision,
        action=AuditAction.UPDATE,
        before=before,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_set_status(
    *,
    actor: Actor,
    decision: Decision,
    status: str,
    note: str = "",
    completed_on: dt.date | None = None,
) -> Decision:
    """Mark a decision done, struck or open again. The owner may do this as well."""
    require_in(actor, Decision.objects.restrict(actor, STATUS), decision)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    before = _decision_snapshot(decision)
    decision.status = status
    decision.completed_on = (
        (completed_on or timezone.localdate()) if status == DecisionStatus.DONE else None
    )
    if decision.completed_on and decision.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    decision.status_note = note or ""
    save_validated(decision)
    record_change(
        actor=actor,
        obj=decision,
        action=AuditAction.STATUS,
        before=before,
        after=_decision_snapshot(decision),
        note=note,
    )
    return decision


@transaction.atomic
def decision_measure_create(
    *, actor: Actor, decision: Decision, plan: Plan, title: str, **fields: Unpack[MeasureArguments]
) -> Measure:
    """Create a new measure in a plan from a decision, and link the two."""
    from trygg.plans import services as plan_services

    require_in(actor, Decision.objects.restrict(actor, CHANGE), decision)
    measure = plan_services.measure_create(actor=actor, plan=plan, title=title, **fields)
    before = _decision_snapshot(decision)
    decision.measures.add(measure)
    record_change(
        actor=actor,
        obj=decision,
        action=AuditAction.UPDATE,
        before=before,
        after=_decision_snapshot(decision),
        note=_("Created the measure “%(title)s”.") % {"title": measure.title},
    )
    return measure


# Reminders


def reminder_stage(decision: Decision, today: dt.date) -> str | None:
    """Which reminder an open decision is due for today, if any."""
    if decision.status != DecisionStatus.OPEN:
        return None
    if decision.due_date < today:
        return ReminderStage.OVERDUE
    if (decision.due_date - today).days <= DUE_REMINDER_DAYS_BEFORE:
        return ReminderStage.DUE
    return None


def _recipient(decision: Decision) -> str:
    for person in (decision.owner_user, decision.created_by):
        if person is not None and person.is_active and person.email:
            return person.email
    return ""


def _reminder_mail(decision: Decision, stage: str) -> tuple[str, str]:
    base = settings.SITE_URL
    link = base + reverse("forums:decision_detail", args=[decision.pk])
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "forum": decision.meeting.forum.name,
            "meeting": timezone.localtime(decision.meeting.starts_at).strftime("%Y-%m-%d"),
            "due": decision.due_date.isoformat(),
            "text": decision.text,
            "owner": decision.owner_label,
            "link": link,
        }
        if stage == ReminderStage.OVERDUE:
            subject = _("Overdue: a decision from %(forum)s was due %(due)s") % values
            opening = _("A decision you are responsible for is overdue.")
        else:
            subject = _("Reminder: a decision from %(forum)s is due %(due)s") % values
            opening = _("A decision you are responsible for is due soon.")
        body = "\n".join(
            [
                opening,
                "",
                _("Forum: %(forum)s") % values,
                _("Meeting: %(meeting)s") % values,
                _("Responsible: %(owner)s") % values,
                _("Due date: %(due)s") % values,
                "",
                values["text"],
                "",
                _("Mark it as done or update it here: %(link)s") % values,
            ]
        )
    return subject, body


def decision_reminder_send(*, decision: Decision, stage: str, today: dt.date) -> bool:
    """Record and queue one reminder. False when this stage was already sent or has no
    recipient. The row and the mail are one: the mail is sent on commit, and the unique
    constraint on (decision, stage) makes a second or parallel run send nothing."""
    recipient = _recipient(decision)
    if not recipient:
        logger.warning("Decision %s has no one to remind (no e-mail address).", decision.pk)
        return False
    try:
        with transaction.atomic():
            reminder = DecisionReminder.objects.create(
                organisation_id=decision.organisation_id,
                decision=decision,
                stage=stage,
                sent_to=recipient,
            )
            record_change(
                actor=None,
                obj=reminder,
                action=AuditAction.CREATE,
                after={"decision": decision.pk, "stage": stage, "sent_to": recipient},
                note=today.isoformat(),
            )
            subject, body = _reminder_mail(decision, stage)
            transaction.on_commit(
                lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
            )
    except IntegrityError:
        return False  # another run got there first
    return True


def decision_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Send the reminders that are due today: one per decision and stage, ever."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_REMINDER_DAYS_BEFORE)
    candidates = (
        Decision.objects.filter(status=DecisionStatus.OPEN, due_date__lte=horizon)
        .select_related("owner_user", "owner_organisation", "created_by", "meeting__forum")
        .order_by("due_date", "pk")
    )
    sent = {ReminderStage.DUE.value: 0, ReminderStage.OVERDUE.value: 0}
    done = set(DecisionReminder.objects.values_list("decision_id", "stage"))
    for decision in candidates:
        stage = reminder_stage(decision, today)
        if stage is None or (decision.pk, stage) in done:
            continue
        if decision_reminder_send(decision=decision, stage=stage, today=today):
            sent[stage] += 1
    return sent


# Calendar feeds


@transaction.atomic
def calendar_feed_create(*, actor: Actor, forum: Forum) -> tuple[CalendarFeed, str]:
    """A personal secret calendar address for the forum. The key is returned only once."""
    require_in(actor, Forum.objects.restrict(actor, VIEW), forum)
    key = CalendarFeed.new_key()
    feed = CalendarFeed(
        organisation_id=forum.organisation_id,
        user=actor,
        forum=forum,
        prefix=key[:12],
        key_hash=CalendarFeed.hash_key(key),
    )
    save_validated(feed)
    record_change(actor=actor, obj=feed, action=AuditAction.CREATE, after={"forum": forum.pk})
    return feed, key


@transaction.atomic
def calendar_feed_delete(*, actor: Actor, feed: CalendarFeed) -> None:
    require_in(actor, CalendarFeed.objects.restrict(actor, VIEW), feed)
    record_change(actor=actor, obj=feed, action=AuditAction.DELETE, before={"forum": feed.forum_id})
    feed.delete()


def calendar_feed_authenticate(key: str) -> CalendarFeed | None:
    """The feed of a valid key whose user is still active, or None. Marks it as used."""
    feed = (
        CalendarFeed.objects.select_related("user", "forum")
        .filter(key_hash=CalendarFeed.hash_key(key))
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


def _user(actor: Actor) -> User | None:
    return actor if getattr(actor, "pk", None) else None
