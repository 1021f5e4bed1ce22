"""Writes for youth cases. Every function is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one
transaction, validates with ``full_clean()`` and writes its change-log row in the same
transaction.

The change log (core.AuditEntry) of a case names only its case number and never holds a
value that identifies the youth or tells what was said: sensitive fields are recorded as
changed, with their values replaced by "[dolt]". The rows carry no organisation, so they do
not appear in the organisation's audit log either: that log is read by administrators who are
not in the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.cases import crypto
from trygg.cases.access import CHANGE, MANAGE, case_q, role_organisation_ids
from trygg.cases.choices import (
    CaseRoleKind,
    CaseStatus,
    ConsentGiver,
    PlanStatus,
    Respondent,
)
from trygg.cases.models import (
    Case,
    CaseNote,
    CaseParticipant,
    CasePlanEntry,
    CasePlanFollowUp,
    CaseRole,
    CaseTombstone,
    Consent,
    EmergencyAccess,
    SatisfactionAnswer,
)
from trygg.core.access import MANAGE as CORE_MANAGE
from trygg.core.access import forget_scope, require
from trygg.core.actors import Actor, User
from trygg.core.audit import actor_fields, diff, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Area, AuditEntry, Organisation

HIDDEN = "[dolt]"
CASE_FIELDS = [
    "programme",
    "youth_name",
    "personnummer_hash",
    "gender",
    "school",
    "home_area",
    "status",
    "start_date",
    "closed_on",
    "closure_reason",
    "closure_note",
    "coordinator",
]
# Values that may stand in the change log; every other field is shown only as changed.
OPEN_FIELDS = {
    "programme",
    "status",
    "start_date",
    "closed_on",
    "closure_reason",
    "coordinator",
    "due_date",
    "followed_up_on",
    "next_date",
    "valid_from",
    "valid_until",
    "withdrawn_at",
    "removed_at",
    "function",
    "kind",
    "meeting",
    "held_on",
    "respondent",
    "answered_on",
    "expires_at",
    "user",
    "organisation",
    "given_by",
    "organisations",
    "kommuner",
}


def _audit(
    *,
    actor: Actor,
    case: Case,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    changes = diff(before or {}, after or {})
    if action == AuditAction.UPDATE and not changes:
        return
    redacted = {
        key: value if key in OPEN_FIELDS else [HIDDEN if v not in (None, "") else v for v in value]
        for key, value in changes.items()
    }
    AuditEntry.objects.create(
        **actor_fields(actor),
        organisation=None,  # see the module docstring
        action=action,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=f"{case.reference} – {obj._meta.verbose_name}"[:300],
        changes=redacted,
        note=note,
    )


def _require_case(actor: Actor, case: Case, action: str) -> None:
    """Last line of defence: the actor must be in the case (views have already checked)."""
    if actor is None:
        return
    if not Case.objects.filter(case_q(actor, action), pk=case.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))


def _save(obj: models.Model) -> None:
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a race past full_clean(): say it in words
        raise ValidationError(_("The change conflicts with another one; try again.")) from exc


def _next_reference(programme: str, year: int) -> str:
    prefix = f"{programme.upper()}-{year}-"
    last = Case.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference")).get("m")
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    if CaseTombstone.objects.filter(reference__startswith=prefix).exists():
        tomb = CaseTombstone.objects.filter(reference__startswith=prefix).aggregate(
            m=Max("reference")
        )["m"]
        number = max(number, int(tomb.rsplit("-", 1)[1]) + 1)
    return f"{prefix}{number:04d}"


# Cases -----------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    organisation: Organisation,
    programme: str,
    youth_name: str,
    personnummer: str,
    gender: str,
    start_date: dt.date,
    coordinator: Any,
    school: str = "",
    home_area: Area | None = None,
    is_demo: bool = False,
) -> Case:
    """Open a case. The personnummer is checked, encrypted and hashed; a youth with an open
    case in the same programme is refused without saying whose case it is."""
    if actor is not None and organisation.pk not in role_organisation_ids(
        actor, CaseRoleKind.COORDINATOR
    ):
        raise PermissionDenied(_("Only a case coordinator can open a case."))
    if organisation.pk not in role_organisation_ids(coordinator, CaseRoleKind.COORDINATOR):
        raise ValidationError(
            {
                "coordinator": _(
                    "The coordinator must have the coordinator role in the organisation."
                )
            }
        )
    try:
        number = crypto.normalise(personnummer)
    except ValidationError as exc:
        raise ValidationError({"personnummer": exc.messages}) from None
    if home_area is not None and home_area.organisation_id not in (None, organisation.pk):
        raise ValidationError({"home_area": _("Choose an area of the organisation.")})
    case = Case(
        organisation=organisation,
        programme=programme,
        reference=_next_reference(programme, start_date.year),
        youth_name=youth_name.strip(),
        personnummer_token=crypto.encrypt(number),
        personnummer_hash=crypto.lookup_hash(number),
        birth_year=crypto.birth_year(number),
        gender=gender,
        school=school,
        home_area=home_area,
        start_date=start_date,
        coordinator=coordinator,
        is_demo=is_demo,
    )
    if Case.objects.filter(
        organisation=organisation,
        programme=programme,
        personnummer_hash=case.personnummer_hash,
        status=CaseStatus.OPEN,
    ).exists():
        raise ValidationError(
            {"personnummer": _("This youth already has an open case in the programme.")}
        )
    _save(case)
    _audit(
        actor=actor,
        case=case,
        obj=case,
        action=AuditAction.CREATE,
        after=snapshot(case, CASE_FIELDS),
    )
    return case


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: Case,
    youth_name: str,
    gender: str,
    school: str,
    home_area: Area | None,
    coordinator: Any,
) -> Case:
    _require_case(actor, case, MANAGE)
    if coordinator.pk != case.coordinator_id and case.organisation_id not in role_organisation_ids(
        coordinator, CaseRoleKind.COORDINATOR
    ):
        raise ValidationError(
            {
                "coordinator": _(
                    "The coordinator must have the coordinator role in the organisation."
                )
            }
        )
    before = snapshot(case, CASE_FIELDS)
    case.youth_name = youth_name.strip()
    case.gender = gender
    case.school = school
    case.home_area = home_area
    case.coordinator = coordinator
    _save(case)
    _audit(
        actor=actor,
        case=case,
        obj=case,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(case, CASE_FIELDS),
    )
    return case


@transaction.atomic
def case_close(
    *,
    actor: Actor,
    case: Case,
    closed_on: dt.date,
    reason: str,
    note: str = "",
    youth_satisfaction: int | None = None,
    guardian_satisfaction: int | None = None,
) -> Case:
    """Avsluta: with a reason, and the youth's and the guardians' satisfaction if they answered."""
    _require_case(actor, case, MANAGE)
    if not case.is_open:
        raise ValidationError(_("The case is already closed."))
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A case cannot be closed in the future.")})
    before = snapshot(case, CASE_FIELDS)
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.closure_reason = reason
    case.closure_note = note
    _save(case)
    _audit(
        actor=actor,
        case=case,
        obj=case,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(case, CASE_FIELDS),
    )
    for respondent, answer in (
        (Respondent.YOUTH, youth_satisfaction),
        (Respondent.GUARDIAN, guardian_satisfaction),
    ):
        if answer is not None:
            satisfaction_record(
                actor=actor, case=case, respondent=respondent, answer=answer, answered_on=closed_on
            )
    return case


@transaction.atomic
def satisfaction_record(
    *, actor: Actor, case: Case, respondent: str, answer: int, answered_on: dt.date
) -> SatisfactionAnswer:
    _require_case(actor, case, CHANGE)
    row = SatisfactionAnswer(
        case=case,
        respondent=respondent,
        answer=answer,
        answered_on=answered_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(row)
    _audit(
        actor=actor,
        case=case,
        obj=row,
        action=AuditAction.CREATE,
        after=snapshot(row, ["respondent", "answer", "answered_on"]),
    )
    return row


# Consent ---------------------------------------------------------------------------------


@transaction.atomic
def consent_add(
    *,
    actor: Actor,
    case: Case,
    given_by: str,
    valid_from: dt.date,
    organisations: Iterable[Organisation] = (),
    kommuner: Iterable[Area] = (),
    valid_until: dt.date | None = None,
    given_by_names: str = "",
    note: str = "",
) -> Consent:
    """Record a consent. A youth alone may consent from the age set by CASES_YOUTH_CONSENT_AGE."""
    _require_case(actor, case, MANAGE)
    organisations, kommuner = list(organisations), list(kommuner)
    if not organisations and not kommuner:
        raise ValidationError(
            {"organisations": _("Say which organisations or municipalities the consent covers.")}
        )
    if any(k.kind != "kommun" for k in kommuner):
        raise ValidationError({"kommuner": _("Choose municipalities only.")})
    minimum = settings.CASES_YOUTH_CONSENT_AGE
    if given_by == ConsentGiver.YOUTH and valid_from.year - case.birth_year < minimum:
        raise ValidationError(
            {
                "given_by": _(
                    "The youth can consent alone from the age of %(age)s; the guardians must "
                    "consent."
                )
                % {"age": minimum}
            }
        )
    consent = Consent(
        case=case,
        given_by=given_by,
        given_by_names=given_by_names,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(consent)
    consent.organisations.set(organisations)
    consent.kommuner.set(kommuner)
    _audit(
        actor=actor,
        case=case,
        obj=consent,
        action=AuditAction.CREATE,
        after=snapshot(
            consent, ["given_by", "valid_from", "valid_until", "organisations", "kommuner"]
        ),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent) -> Consent:
    """Återkalla: the access the consent granted ends at once (the next request)."""
    case = consent.case
    _require_case(actor, case, MANAGE)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("The consent is already withdrawn."))
    before = snapshot(consent, ["withdrawn_at"])
    consent.withdrawn_at = timezone.now()
    _save(consent)
    _audit(
        actor=actor,
        case=case,
        obj=consent,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(consent, ["withdrawn_at"]),
    )
    return consent


# Participants ----------------------------------------------------------------------------


@transaction.atomic
def participant_add(
    *, actor: Actor, case: Case, user: User, function: str, organisation: Organisation
) -> CaseParticipant:
    _require_case(actor, case, MANAGE)
    if not user.memberships.filter(organisation=organisation, is_active=True).exists():
        raise ValidationError(
            {"organisation": _("The person is not a member of the chosen organisation.")}
        )
    if CaseParticipant.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
        raise ValidationError({"user": _("The person already takes part in the case.")})
    participant = CaseParticipant(
        case=case, user=user, function=function, organisation=organisation
    )
    _save(participant)
    forget_scope(user)  # what the person may do, and whether they must verify, changed
    _audit(
        actor=actor,
        case=case,
        obj=participant,
        action=AuditAction.CREATE,
        after=snapshot(participant, ["user", "organisation", "function"]),
    )
    return participant


@transaction.atomic
def participant_remove(*, actor: Actor, participant: CaseParticipant) -> CaseParticipant:
    """The person loses access to the case at their next request; the row stays as history."""
    case = participant.case
    _require_case(actor, case, MANAGE)
    if participant.removed_at is not None:
        raise ValidationError(_("The person was already removed."))
    before = snapshot(participant, ["removed_at"])
    participant.removed_at = timezone.now()
    _save(participant)
    _audit(
        actor=actor,
        case=case,
        obj=participant,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(participant, ["removed_at"]),
    )
    return participant


# Plan and notes --------------------------------------------------------------------------


@transaction.atomic
def plan_entry_add(
    *,
    actor: Actor,
    case: Case,
    what_happened: str,
    what_is_needed: str,
    who_does_what: str,
    due_date: dt.date,
) -> CasePlanEntry:
    """Vad har hänt, vad behöver hända, vem gör vad, till när."""
    _require_case(actor, case, CHANGE)
    entry = CasePlanEntry(
        case=case,
        what_happened=what_happened,
        what_is_needed=what_is_needed,
        who_does_what=who_does_what,
        due_date=due_date,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(entry)
    _audit(
        actor=actor,
        case=case,
        obj=entry,
        action=AuditAction.CREATE,
        after=snapshot(entry, ["what_happened", "what_is_needed", "who_does_what", "due_date"]),
    )
    return entry


@transaction.atomic
def plan_entry_follow_up(
    *,
    actor: Actor,
    entry: CasePlanEntry,
    followed_up_on: dt.date,
    note: str,
    status: str,
    next_date: dt.date | None = None,
) -> CasePlanFollowUp:
    """Follow a plan entry up at a date; the entry takes the new status, history is kept."""
    case = entry.case
    _require_case(actor, case, CHANGE)
    if status == PlanStatus.OPEN and next_date is None:
        raise ValidationError({"next_date": _("Give the date of the next follow-up.")})
    follow_up = CasePlanFollowUp(
        entry=entry,
        followed_up_on=followed_up_on,
        note=note,
        status=status,
        next_date=next_date,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(follow_up)
    before = snapshot(entry, ["status", "due_date"])
    entry.status = status
    if next_date is not None:
        entry.due_date = next_date
    _save(entry)
    _audit(
        actor=actor,
        case=case,
        obj=entry,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(entry, ["status", "due_date"]),
        note=_("Followed up"),
    )
    return follow_up


@transaction.atomic
def note_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    held_on: dt.date,
    text: str,
    meeting: Any = None,
) -> CaseNote:
    """An individual note, e.g. from the SSPF forum's individual part, linked to its meeting."""
    _require_case(actor, case, CHANGE)
    if meeting is not None and meeting.organisation_id != case.organisation_id:
        raise ValidationError({"meeting": _("Choose a meeting of the case's organisation.")})
    note = CaseNote(
        case=case,
        kind=kind,
        meeting=meeting,
        held_on=held_on,
        text=text,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(note)
    _audit(
        actor=actor,
        case=case,
        obj=note,
        action=AuditAction.CREATE,
        after=snapshot(note, ["kind", "meeting", "held_on", "text"]),
    )
    return note


# Emergency access ------------------------------------------------------------------------


@transaction.atomic
def emergency_access_open(*, actor: Actor, case: Case, reason: str) -> EmergencyAccess:
    """Bryt glaset: only for the emergency role, with a reason; it lasts a few hours."""
    if case.organisation_id not in role_organisation_ids(actor, CaseRoleKind.EMERGENCY):
        raise PermissionDenied(_("You do not have permission to do this."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": _("Give the reason in a sentence (at least 10 characters).")}
        )
    now = timezone.now()
    access = EmergencyAccess(
        case=case,
        user=actor,
        reason=reason,
        opened_at=now,
        expires_at=now + dt.timedelta(hours=settings.CASES_EMERGENCY_HOURS),
    )
    _save(access)
    _audit(
        actor=actor,
        case=case,
        obj=access,
        action=AuditAction.CREATE,
        after=snapshot(access, ["user", "expires_at"]),
        note=_("Emergency access"),
    )
    return access


# Roles -----------------------------------------------------------------------------------


@transaction.atomic
def case_role_grant(
    *,
    actor: Actor,
    organisation: Organisation,
    user: User,
    role: str,
    staff: Iterable[Any] = (),
) -> CaseRole:
    """Give a case role (coordinator, unit manager, emergency); administrators only."""
    require(actor, CORE_MANAGE, organisation.pk)
    if not user.memberships.filter(organisation=organisation, is_active=True).exists():
        raise ValidationError({"user": _("The person is not a member of the organisation.")})
    case_role = CaseRole(organisation=organisation, user=user, role=role)
    case_role.full_clean()
    case_role.save()
    case_role.staff.set(list(staff))
    forget_scope(user)  # what the person may do, and whether they must verify, changed
    from trygg.core.audit import record_change

    record_change(
        actor=actor,
        obj=case_role,
        action=AuditAction.CREATE,
        after=snapshot(case_role, ["user", "role", "staff"]),
        organisation_id=organisation.pk,
    )
    return case_role


@transaction.atomic
def case_role_revoke(*, actor: Actor, case_role: CaseRole) -> None:
    require(actor, CORE_MANAGE, case_role.organisation_id)
    from trygg.core.audit import record_change

    record_change(
        actor=actor,
        obj=case_role,
        action=AuditAction.DELETE,
        before=snapshot(case_role, ["user", "role"]),
        organisation_id=case_role.organisation_id,
    )
    case_role.delete()


# Retention -------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    deleted: int
    references: list[str]


def retention_days() -> int:
    """The retention period of closed cases in days: CASES_RETENTION_YEARS years of 365¼ days."""
    return int(settings.CASES_RETENTION_YEARS * 365.25 + 0.5)


def cases_past_retention(cutoff: dt.datetime) -> models.QuerySet[Case]:
    """Closed cases whose closing date lies before the cutoff (the retention rule's select)."""
    return Case.objects.filter(
        status=CaseStatus.CLOSED, closed_on__lt=timezone.localdate(cutoff)
    ).annotate(closed_moment=Cast("closed_on", models.DateTimeField()))


def cases_retire(
    queryset: models.QuerySet[Case], *, actor: Actor = None, now: dt.datetime | None = None
) -> int:
    """Delete the cases, each leaving a tombstone with no personal data. The access log is
    not touched: it is kept by its own, longer, rule."""
    now = now or timezone.now()
    count = 0
    for case in queryset.order_by("pk"):
        assert case.closed_on is not None  # a closed case has a date (database constraint)
        CaseTombstone.objects.create(
            organisation_id=case.organisation_id,
            reference=case.reference,
            programme=case.programme,
            start_date=case.start_date,
            closed_on=case.closed_on,
            deleted_at=now,
        )
        _audit(actor=actor, case=case, obj=case, action=AuditAction.DELETE, note=_("Retention"))
        case.delete()
        count += 1
    return count


@transaction.atomic
def case_apply_retention(*, actor: Actor, now: dt.datetime, dry_run: bool) -> RetentionResult:
    """Delete cases closed more than CASES_RETENTION_YEARS ago, leaving a tombstone. Also run
    nightly as the rule "youth_cases" of core's apply_retention."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a system administrator can apply retention."))
    due = cases_past_retention(now - dt.timedelta(days=retention_days()))
    references = list(due.order_by("pk").values_list("reference", flat=True))
    if dry_run:
        return RetentionResult(deleted=len(references), references=references)
    return RetentionResult(deleted=cases_retire(due, actor=actor, now=now), references=references)
