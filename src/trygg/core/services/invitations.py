"""Writes for invitations and onboarding a kommun: part of :mod:`trygg.core.services`,
which re-exports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import forget_scope, scope_for
from trygg.core.actors import Actor, User
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import (
    Area,
    Invitation,
    Membership,
    Organisation,
)
from trygg.core.services import (  # the writes these build on
    _check_areas,
    membership_create,
    membership_reactivate,
    membership_update,
    organisation_create,
    require_administer,
    save_validated,
)

# Invitations


def invitation_link(key: str) -> str:
    """The absolute address of an invitation, for mails and the onboarding command."""
    from django.urls import reverse

    return settings.SITE_URL + reverse("core:invitation_accept", args=[key])


def _send_invitation(invitation: Invitation, key: str) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    link = invitation_link(key)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "site_url": settings.SITE_URL}
        subject = _("Invitation to Trygg – %(organisation)s") % {
            "organisation": invitation.organisation
        }
        body = render_to_string("core/mail/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _new_invitation_key(invitation: Invitation) -> str:
    key = Invitation.new_key()
    invitation.token_hash = Invitation.hash_key(key)
    invitation.expires_at = timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.sent_at = timezone.now()
    return key


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    organisation: Organisation,
    email: str,
    role: str,
    title: str = "",
    areas: Iterable[Area] = (),
    send: bool = True,
) -> tuple[Invitation, str]:
    """Bjud in: a single-use link that expires, mailed to the address (after commit).

    Returns the invitation and the link's secret, which is not stored and so is shown or
    sent only now.
    """
    require_administer(actor, organisation)
    if not organisation.is_active:
        raise ValidationError(_("The organisation is no longer active."))
    email = email.strip().lower()
    areas = _check_areas(organisation, areas)
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, is_active=True
    ).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    if Invitation.objects.pending().filter(organisation=organisation, email=email).exists():
        raise ValidationError(
            {"email": _("This address already has an invitation waiting; send it again instead.")}
        )
    invitation = Invitation(
        email=email,
        organisation=organisation,
        role=role,
        title=title.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    key = _new_invitation_key(invitation)
    save_validated(invitation)
    invitation.areas.set(areas)
    record_change(
        actor=actor,
        obj=invitation,
        action=AuditAction.CREATE,
        after=snapshot(invitation, ["email", "organisation", "role", "title", "areas"]),
        organisation_id=organisation.pk,
    )
    if send:
        transaction.on_commit(lambda: _send_invitation(invitation, key))
    return invitation, key


@transaction.atomic
def invitation_resend(*, actor: Actor, invitation: Invitation) -> tuple[Invitation, str]:
    """Skicka igen: a new link with a new expiry; the old link stops working."""
    require_administer(actor, invitation.organisation)
    if invitation.accepted_at is not None or invitation.revoked:
        raise ValidationError(_("The invitation has already been used or revoked."))
    before = snapshot(invitation, ["expires_at"])
    key = _new_invitation_key(invitation)
    save_validated(invitation)
    record_change(
        actor=actor,
        obj=invitation,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(invitation, ["expires_at"]),
        note=_("Sent again"),
        organisation_id=invitation.organisation_id,
    )
    transaction.on_commit(lambda: _send_invitation(invitation, key))
    return invitation, key


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation, by: Any = None) -> Invitation:
    require_administer(actor, invitation.organisation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("The invitation has already been used or revoked."))
    before = snapshot(invitation, ["revoked"])
    invitation.revoked = True
    save_validated(invitation)
    record_change(
        actor=actor or by,
        obj=invitation,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(invitation, ["revoked"]),
        organisation_id=invitation.organisation_id,
    )
    return invitation


def invitation_for_key(key: str) -> Invitation | None:
    """The pending invitation behind a link, or None (unknown, used, revoked or expired)."""
    invitation: Invitation | None = (
        Invitation.objects.pending()
        .select_related("organisation")
        .filter(token_hash=Invitation.hash_key(key))
        .first()
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Take up the invitation as ``user`` (a new login, an existing one, or one signed in by
    single sign-on whose verified e-mail is the invitation's): the membership is created, or
    an old one of the same organisation is opened again with the invited role and areas.

    Single use: the row is locked and must still be pending, so two clicks cannot both win.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("The invitation has expired or has already been used."))
    if (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(_("The invitation was sent to another e-mail address."))
    areas = list(invitation.areas.all())
    existing = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if existing is None:
        membership = membership_create(
            actor=None,
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            title=invitation.title,
            areas=areas,
        )
    else:
        membership = membership_update(
            actor=None,
            membership=existing,
            role=invitation.role,
            title=invitation.title,
            areas=areas,
        )
        if not membership.is_active:
            membership_reactivate(actor=None, membership=membership)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    before = snapshot(invitation, ["accepted_at", "accepted_by"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    save_validated(invitation)
    record_change(
        actor=user,
        obj=invitation,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(invitation, ["accepted_at", "accepted_by"]),
        organisation_id=invitation.organisation_id,
    )
    forget_scope(user)
    return membership


@transaction.atomic
def invitation_accept_with_password(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> tuple[Any, Membership]:
    """A new person takes up the invitation by choosing a password; their user name is
    their e-mail address."""
    User = get_user_model()
    if User.objects.filter(username__iexact=invitation.email).exists():
        raise ValidationError(_("A login with this e-mail address already exists; log in first."))
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        actor=user,
        obj=user,
        action=AuditAction.CREATE,
        after=snapshot(user, ["username", "first_name", "last_name", "email"]),
        organisation_id=invitation.organisation_id,
    )
    return user, invitation_accept(invitation=invitation, user=user)


# Onboarding a kommun


@dataclass
class Onboarding:
    """What ``kommun_onboard`` did: the organisation, and the first administratör's
    membership (an existing login) or invitation (with its one-time link)."""

    organisation: Organisation
    created: bool
    membership: Membership | None = None
    invitation: Invitation | None = None
    link: str = ""
    changed: bool = field(default=False)


def kommun_area_for_code(code: str) -> Area:
    """The reference area of a kommun, or a ValidationError naming near matches."""
    from trygg.core.choices import AreaKind
    from trygg.core.reference import kommun_near_matches

    text = code.strip()
    area = Area.objects.filter(kind=AreaKind.KOMMUN, code=text.zfill(4) if text.isdigit() else text)
    found: Area | None = (
        area.first() or Area.objects.filter(kind=AreaKind.KOMMUN, name__iexact=text).first()
    )
    if found is not None:
        return found
    if not Area.objects.filter(kind=AreaKind.KOMMUN).exists():
        raise ValidationError(_("The list of kommuner is not loaded; run load_geography first."))
    near = kommun_near_matches(text)
    message = _("Unknown kommun code “%(code)s”.") % {"code": text}
    if near:
        message += " " + _("Did you mean: %(names)s?") % {
            "names": ", ".join(f"{a.code} {a.name}" for a in near)
        }
    raise ValidationError(message)


@transaction.atomic
def kommun_onboard(
    *, actor: Actor, code: str, admin_email: str, name: str | None = None, new_link: bool = False
) -> Onboarding:
    """Start a kommun in Trygg: its organisation (with the kommun's area and boundary) and its
    first administratör, invited by a one-time link unless a login with the address exists.

    Running it again changes nothing (``new_link`` issues a fresh link for an invitation that
    was not taken up)."""
    from trygg.core.choices import OrganisationKind, Role
    from trygg.core.reference import official_kommun_name

    if actor is not None and not scope_for(actor).is_superuser:
        raise PermissionDenied(_("Only a system administrator can start a new kommun."))
    area = kommun_area_for_code(code)
    email = admin_email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"admin_email": error.messages}) from error
    organisation = Organisation.objects.filter(
        kind=OrganisationKind.KOMMUN, parent__isnull=True, area=area
    ).first()
    result = Onboarding(organisation=organisation, created=organisation is None)  # type: ignore[arg-type]
    if organisation is None:
        organisation = organisation_create(
            actor=actor,
            name=(name or "").strip() or official_kommun_name(area),
            kind=OrganisationKind.KOMMUN,
            area=area,
        )
        result.organisation = organisation
        result.changed = True
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    membership = Membership.objects.filter(organisation=organisation, user__email__iexact=email)
    result.membership = membership.first()
    if result.membership is not None:
        return result
    if user is not None:
        result.membership = membership_create(
            actor=actor, user=user, organisation=organisation, role=Role.ADMINISTRATOR
        )
        result.changed = True
        return result
    invitation = Invitation.objects.filter(organisation=organisation, email=email).first()
    if invitation is None:
        invitation, key = invitation_create(
            actor=actor,
            organisation=organisation,
            email=email,
            role=Role.ADMINISTRATOR,
            send=False,
        )
        result.link = invitation_link(key)
        result.changed = True
    elif new_link and invitation.accepted_at is None:
        if invitation.revoked:
            raise ValidationError(_("The invitation has already been used or revoked."))
        invitation, key = invitation_resend(actor=actor, invitation=invitation)
        result.link = invitation_link(key)
        result.changed = True
    result.invitation = invitation
    return result
