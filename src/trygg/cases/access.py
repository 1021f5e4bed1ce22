"""Need-to-know access to youth cases (behovsprövad åtkomst).

A case is seen by
- its coordinator, while they hold the coordinator role in the case's organisation;
- its named participants, while they are not removed and a valid consent covers their
  organisation (by name, or by the kommun the organisation belongs to, e.g. Värmdö);
- a holder of the emergency role who opened it with a reason, until the access expires.

Nobody else: not a member of the organisation, not an administrator, not a superuser.
The rule is evaluated on every request, so a withdrawn consent or a removed participant
ends access at the next request. Only ``cases.selectors`` apply it.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from trygg.cases.choices import CaseRoleKind

VIEW = "view"
CHANGE = "change"  # add plan entries, follow-ups, notes and satisfaction answers
MANAGE = "manage"  # consent, participants, closing: the coordinator only


def _user_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.pk


def role_organisation_ids(user, role: str) -> list[int]:
    user_id = _user_id(user)
    return [] if user_id is None else _role_orgs(user_id, role)


def _role_orgs(user_id: int, role: str) -> list[int]:
    from trygg.cases.models import CaseRole

    # A role counts only while the user is an active member of the organisation.
    return list(
        CaseRole.objects.filter(
            user_id=user_id,
            role=role,
            organisation__memberships__user_id=user_id,
            organisation__memberships__is_active=True,
        ).values_list("organisation_id", flat=True)
    )


def participant_case_ids(user):
    """Cases where the user is a current participant covered by a valid consent."""
    from trygg.cases.models import CaseParticipant, Consent

    user_id = _user_id(user)
    if user_id is None:
        return CaseParticipant.objects.none().values("case_id")
    covering = Consent.objects.filter(Consent.valid_q(), case_id=OuterRef("case_id")).filter(
        Q(organisations=OuterRef("organisation_id")) | Q(kommuner=OuterRef("organisation__area_id"))
    )
    return (
        CaseParticipant.objects.filter(user_id=user_id, removed_at__isnull=True)
        .filter(Exists(covering))
        .values("case_id")
    )


def emergency_case_ids(user):
    from trygg.cases.models import EmergencyAccess

    user_id = _user_id(user)
    if user_id is None:
        return EmergencyAccess.objects.none().values("case_id")
    return EmergencyAccess.objects.filter(
        user_id=user_id,
        expires_at__gt=timezone.now(),
        case__organisation_id__in=_role_orgs(user_id, CaseRoleKind.EMERGENCY),
    ).values("case_id")


def case_q(user, action: str = VIEW) -> Q:
    """The cases the user may see (VIEW), work in (CHANGE) or manage (MANAGE)."""
    user_id = _user_id(user)
    if user_id is None:
        return Q(pk__in=[])
    q = Q(coordinator_id=user_id, organisation_id__in=_role_orgs(user_id, CaseRoleKind.COORDINATOR))
    if action in (VIEW, CHANGE):
        q |= Q(pk__in=participant_case_ids(user))
    if action == VIEW:
        q |= Q(pk__in=emergency_case_ids(user))
    return q


def can_use_cases(user) -> bool:
    """Whether the user may read any case data (navigation entry, two-factor requirement)."""
    from trygg.cases.models import CaseParticipant, CaseRole

    user_id = _user_id(user)
    if user_id is None:
        return False
    # Asked by the two-factor check and the navigation on every page: the answer is kept on
    # the user object, which lives for one request (as core.access keeps the scope;
    # core.access.forget_scope drops it).
    cached = getattr(user, "_trygg_can_use_cases", None)
    if cached is not None:
        return cached
    # One query for both, in SQL (core.sql): asked on every page, where building the same
    # query through the ORM (two correlated EXISTS) cost seventy times as much as running it.
    from trygg.core import sql

    def build(quote) -> str:
        def name(model, field: str) -> str:
            return quote(sql.column(model, field))

        text = (
            "SELECT EXISTS(SELECT 1 FROM {roles} WHERE {role_user} = %s)"
            " OR EXISTS(SELECT 1 FROM {participants}"
            " WHERE {participant_user} = %s AND {removed} IS NULL)"
        )
        return text.format(
            roles=quote(sql.table(CaseRole)),
            role_user=name(CaseRole, "user"),
            participants=quote(sql.table(CaseParticipant)),
            participant_user=name(CaseParticipant, "user"),
            removed=name(CaseParticipant, "removed_at"),
        )

    answer = bool(sql.rows("can-use-cases", build, [user_id, user_id])[0][0])
    if getattr(user, "pk", None) is not None:
        user._trygg_can_use_cases = answer
    return answer


def user_needs_two_factor(user) -> bool:
    """True for everyone who can read cases: coordinators, participants, unit managers and the
    emergency role. Registered with the two-factor requirement registry when it exists."""
    return can_use_cases(user)


def two_factor_enforced() -> bool:
    return apps.is_installed("django_otp")


def two_factor_missing(request) -> bool:
    """Whether a case page or endpoint must refuse this request until the user has verified a
    second factor. Core's middleware already sends such a session to verification; this is the
    cases module's own last line of defence. An API token (no session sign-in) of such a user
    works only while the user has two-factor turned on."""
    if not two_factor_enforced():
        return False
    user = request.user
    if not user_needs_two_factor(user):
        return False
    try:
        from trygg.core import twofactor
    except ImportError:  # TOTP installed without core's module: django-otp's own verification
        is_verified = getattr(user, "is_verified", None)
        return not (callable(is_verified) and is_verified())
    session = getattr(request, "session", None)
    if session is None or "_auth_user_id" not in session:
        return not twofactor.has_two_factor(user)
    return not twofactor.session_is_verified(request)
