"""Writes for organisations, partnerships, areas, places, memberships and API tokens.

Every function here is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one transaction, validates
with ``full_clean()`` and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import geo
from trygg.core.access import CHANGE, MANAGE, forget_scope, require, require_own_areas, scope_for
from trygg.core.actors import Actor, User, Viewer
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import CHILD_KINDS, PARTNER_KINDS, AuditAction
from trygg.core.models import (
    ApiToken,
    Area,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    Place,
    UserPreferences,
)


def save_validated(obj: Model, *, exclude: Collection[str] | None = None) -> None:
    """Validate, then save. Beside ``full_clean()``: a None where the column holds no NULL
    (full_clean lets it through for a blank-allowed text) and a time of day with a time zone
    (no database column keeps one) are refused with a message, not a database error."""
    import datetime as dt

    problems: dict[str, list[str]] = {}
    for model_field in obj._meta.concrete_fields:
        if (exclude and model_field.name in exclude) or model_field.primary_key:
            continue
        value = getattr(obj, model_field.attname, None)
        if value is None and not model_field.null:
            if not getattr(model_field, "auto_now", False) and not getattr(
                model_field, "auto_now_add", False
            ):
                problems.setdefault(model_field.name, []).append(_("This field cannot be empty."))
        elif isinstance(value, dt.time) and value.tzinfo is not None:
            problems.setdefault(model_field.name, []).append(
                _("Give the time of day without a time zone, for example 09:30.")
            )
    if problems:
        raise ValidationError(problems)
    obj.full_clean(exclude=exclude)
    obj.save()


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    area: Area | None = None,
) -> Organisation:
    if parent is not None:
        require(actor, MANAGE, parent.pk)
    elif actor is not None and not actor.is_superuser:
        raise PermissionDenied(
            _("Only a system administrator can create a top-level organisation.")
        )
    organisation = Organisation(name=name, kind=kind, parent=parent, area=area)
    save_validated(organisation)
    record_change(
        actor=actor, obj=organisation, action=AuditAction.CREATE, after=snapshot(organisation)
    )
    return organisation


@transaction.atomic
def partnership_create(
    *,
    actor: Actor,
    organisation: Organisation,
    partner: Organisation,
    name: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    diarienummer: str = "",
) -> Partnership:
    require(actor, MANAGE, organisation.pk)
    partnership = Partnership(
        organisation=organisation,
        partner=partner,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        diarienummer=diarienummer,
    )
    save_validated(partnership)
    record_change(
        actor=actor,
        obj=partnership,
        action=AuditAction.CREATE,
        after=snapshot(partnership),
        organisation_id=organisation.pk,
    )
    return partnership


def _centre(geometry: dict[str, Any] | None) -> tuple[float | None, float | None]:
    if not geometry:
        return None, None
    return geo.centre(geometry)


@transaction.atomic
def area_create(
    *,
    actor: Actor,
    organisation: Organisation | None,
    kind: str,
    name: str,
    parent: Area | None = None,
    code: str = "",
    geometry: dict[str, Any] | None = None,
) -> Area:
    if organisation is not None:
        require(actor, CHANGE, organisation.pk)
    if geometry is not None:
        geo.validate_geometry(geometry)
    lat, lon = _centre(geometry)
    area = Area(
        organisation=organisation,
        kind=kind,
        name=name,
        parent=parent,
        code=code,
        geometry=geometry,
        centre_lat=lat,
        centre_lon=lon,
    )
    save_validated(area)
    record_change(
        actor=actor,
        obj=area,
        action=AuditAction.CREATE,
        after=snapshot(area, ["organisation", "parent", "kind", "name", "code"]),
        organisation_id=organisation.pk if organisation else None,
    )
    return area


@transaction.atomic
def area_update(*, actor: Actor, area: Area, **fields: Any) -> Area:
    require(actor, CHANGE, area.organisation_id)
    tracked = ["parent", "kind", "name", "code"]
    before = snapshot(area, tracked)
    for key, value in fields.items():
        setattr(area, key, value)
    if "geometry" in fields:
        if area.geometry is not None:
            geo.validate_geometry(area.geometry)
        area.centre_lat, area.centre_lon = _centre(area.geometry)
    save_validated(area)
    record_change(
        actor=actor,
        obj=area,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(area, tracked),
    )
    return area


@transaction.atomic
def areas_import_geojson(
    *,
    actor: Actor,
    organisation: Organisation,
    parent: Area,
    kind: str,
    data: bytes,
    name_property: str = "name",
) -> dict[str, int]:
    """Import kommundelar from a GeoJSON FeatureCollection, all or nothing.

    A feature whose name already exists under the parent updates that area's boundary, so
    that importing the same file twice changes nothing.
    """
    require(actor, CHANGE, organisation.pk)
    features = geo.read_feature_collection(data, name_property=name_property)
    created = updated = unchanged = 0
    for feature in features:
        existing = Area.objects.filter(parent=parent, name=feature.name).first()
        if existing is None:
            area_create(
                actor=actor,
                organisation=organisation,
                kind=kind,
                name=feature.name,
                parent=parent,
                geometry=feature.geometry,
            )
            created += 1
        elif existing.geometry != feature.geometry:
            area_update(actor=actor, area=existing, geometry=feature.geometry)
            updated += 1
        else:
            unchanged += 1
    return {"created": created, "updated": updated, "unchanged": unchanged}


PLACE_FIELDS = ["area", "name", "description", "lat", "lon"]


@transaction.atomic
def place_create(
    *,
    actor: Actor,
    organisation: Organisation,
    area: Area,
    name: str,
    description: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> Place:
    require(actor, CHANGE, organisation.pk)
    place = Place(
        organisation=organisation, area=area, name=name, description=description, lat=lat, lon=lon
    )
    _check_area_belongs(place)
    _check_own_area(actor, place)
    save_validated(place)
    record_change(
        actor=actor, obj=place, action=AuditAction.CREATE, after=snapshot(place, PLACE_FIELDS)
    )
    return place


@transaction.atomic
def place_update(*, actor: Actor, place: Place, **fields: Any) -> Place:
    require(actor, CHANGE, place.organisation_id)
    before = snapshot(place, PLACE_FIELDS)
    for key, value in fields.items():
        if key not in PLACE_FIELDS:
            raise ValueError(key)
        setattr(place, key, value)
    _check_area_belongs(place)
    _check_own_area(actor, place)
    save_validated(place)
    record_change(
        actor=actor,
        obj=place,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(place, PLACE_FIELDS),
    )
    return place


def _check_own_area(actor: Actor, place: Place) -> None:
    """A member limited to some areas keeps places in them: creates none elsewhere and moves
    none out (the same rule as for measures and forums)."""
    require_own_areas(
        actor,
        CHANGE,
        place.organisation_id,
        [place.area_id],
        field="area",
        message=_("You may only place places in your own areas. Choose one of them."),
    )


def _check_area_belongs(place: Place) -> None:
    """A place lies in the organisation's own areas or in the kommun it covers."""
    area = place.area
    organisation = place.organisation
    allowed = area.organisation_id in (None, organisation.pk) or (
        organisation.parent_id is not None and area.organisation_id == organisation.parent_id
    )
    if not allowed:
        raise ValidationError({"area": _("The area does not belong to the organisation.")})


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    user: User,
    organisation: Organisation,
    role: str,
    title: str = "",
    areas: Sequence[Area] = (),
) -> Membership:
    require(actor, MANAGE, organisation.pk)
    membership = Membership(user=user, organisation=organisation, role=role, title=title)
    save_validated(membership)
    if areas:
        foreign = [a for a in areas if a.organisation_id not in (None, organisation.pk)]
        if foreign:
            raise ValidationError(
                {"areas": _("An area limit must be one of the organisation's areas.")}
            )
        membership.areas.set(areas)
    record_change(
        actor=actor,
        obj=membership,
        action=AuditAction.CREATE,
        after=snapshot(membership, ["user", "organisation", "role", "title", "areas"]),
        organisation_id=organisation.pk,
    )
    forget_scope(user)
    return membership


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a login. Memberships are given separately with membership_create."""
    if (
        actor is not None
        and not actor.is_superuser
        and not scope_for(actor).organisation_ids(MANAGE)
    ):
        raise PermissionDenied(_("You do not have permission to do this."))
    User = get_user_model()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        actor=actor,
        obj=user,
        action=AuditAction.CREATE,
        after=snapshot(user, ["username", "first_name", "last_name", "email"]),
    )
    return user


@transaction.atomic
def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the token and the key, which is shown only once.

    A user who must have two-factor gets a token only once two-factor is on (the page that
    calls this is reachable only in a verified session, see core.twofactor).
    """
    from trygg.core.twofactor import has_two_factor, two_factor_required

    if two_factor_required(actor) and not has_two_factor(actor):
        raise PermissionDenied(_("Turn on two-factor authentication before creating an API token."))
    key = ApiToken.new_key()
    token = ApiToken(user=actor, name=name, prefix=key[:12], key_hash=ApiToken.hash_key(key))
    save_validated(token)
    record_change(actor=actor, obj=token, action=AuditAction.CREATE, after={"name": name})
    return token, key


@transaction.atomic
def api_token_delete(*, actor: Actor, token: ApiToken) -> None:
    record_change(actor=actor, obj=token, action=AuditAction.DELETE, before={"name": token.name})
    token.delete()


TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)


def api_token_authenticate(key: str) -> User | None:
    """The user of a valid key, or None. Marks the token as used, at most once a minute:
    a client that reads in a loop does not turn every read into a write."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    from trygg.core.twofactor import has_two_factor, two_factor_required

    if two_factor_required(token.user) and not has_two_factor(token.user):
        return None  # e.g. made before the user's role came to require two-factor
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user: User = token.user
    return user


def load_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc


@transaction.atomic
def preferences_update(*, actor: Actor, language: str) -> UserPreferences:
    """Save the actor's own interface language ("språk")."""
    preferences, _created = UserPreferences.objects.get_or_create(user=actor)
    before = snapshot(preferences, ["language"])
    preferences.language = language
    save_validated(preferences)
    record_change(
        actor=actor,
        obj=preferences,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(preferences, ["language"]),
    )
    return preferences


# Administration: organisations, partnerships, people and invitations (role administratör).


def administers(actor: Actor, organisation: Organisation) -> bool:
    """Whether the actor administers the organisation: through a membership with the right
    to manage it (or an organisation above it), or because their organisation registered it
    as a partner (``steward``). ``None`` is the system (management commands)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    if scope.is_superuser:
        return True
    return scope.can(MANAGE, organisation.pk) or (
        organisation.steward_id is not None and scope.can(MANAGE, organisation.steward_id)
    )


def require_administer(actor: Actor, organisation: Organisation) -> None:
    if not administers(actor, organisation):
        raise PermissionDenied(_("You do not have permission to do this."))


ORGANISATION_FIELDS = ["name", "kind", "parent", "area", "organisation_number", "steward"]


@transaction.atomic
def organisation_register(
    *,
    actor: Actor,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    steward: Organisation | None = None,
    organisation_number: str = "",
    partnership_name: str = "",
) -> Organisation:
    """Create an organisation below ``parent`` (a förvaltning, nämnd or bolag) or, with
    ``steward``, a partner organisation (polis, bostadsbolag, förening, företag) registered by
    the steward's administrators, together with a partnership between the two."""
    if (parent is None) == (steward is None):
        raise ValidationError(_("Give either the parent organisation or the registering one."))
    if parent is not None:
        require_administer(actor, parent)
        if kind not in CHILD_KINDS:
            raise ValidationError({"kind": _("Choose a kind of sub-organisation.")})
    if steward is not None:
        require_administer(actor, steward)
        if kind not in PARTNER_KINDS:
            raise ValidationError({"kind": _("Choose a kind of partner organisation.")})
    for owner in (parent, steward):
        if owner is not None and not owner.is_active:
            raise ValidationError(_("The organisation is no longer active."))
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        parent=parent,
        steward=steward,
        area=parent.area if parent is not None else steward.area if steward else None,
        organisation_number=organisation_number.strip(),
    )
    save_validated(organisation)
    record_change(
        actor=actor,
        obj=organisation,
        action=AuditAction.CREATE,
        after=snapshot(organisation, ORGANISATION_FIELDS),
    )
    if steward is not None:
        partnership_create(
            actor=actor,
            organisation=steward,
            partner=organisation,
            name=partnership_name,
            starts_on=timezone.localdate(),
        )
    if actor is not None:
        forget_scope(actor)  # the new organisation now belongs to the actor's scope
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, name: str, kind: str, organisation_number: str = ""
) -> Organisation:
    require_administer(actor, organisation)
    allowed = (
        CHILD_KINDS
        if organisation.parent_id
        else PARTNER_KINDS
        if organisation.steward_id
        else (organisation.kind,)
    )
    if kind not in allowed:
        raise ValidationError({"kind": _("This kind does not fit the organisation.")})
    before = snapshot(organisation, ORGANISATION_FIELDS)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.organisation_number = organisation_number.strip()
    save_validated(organisation)
    record_change(
        actor=actor,
        obj=organisation,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


def can_deactivate(actor: Actor, organisation: Organisation) -> bool:
    """A sub-organisation is deactivated by the administrators above it, a partner by those
    of the organisation that registered it; nobody deactivates their own top organisation."""
    if not organisation.is_active:
        return False
    owner_id = organisation.parent_id or organisation.steward_id
    if owner_id is None:
        return actor is None or scope_for(actor).is_superuser
    return actor is None or scope_for(actor).can(MANAGE, owner_id)


@transaction.atomic
def organisation_deactivate(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Avaktivera: the organisation's people lose their access at once, its open invitations
    are revoked and its partnerships end today. Its data stays, with its history."""
    if not can_deactivate(actor, organisation):
        raise PermissionDenied(_("You do not have permission to do this."))
    if organisation.children.filter(is_active=True).exists():
        raise ValidationError(_("Deactivate its sub-organisations first."))
    before = snapshot(organisation, ["is_active"])
    organisation.is_active = False
    save_validated(organisation)
    record_change(
        actor=actor,
        obj=organisation,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(organisation, ["is_active"]),
    )
    for membership in organisation.memberships.filter(is_active=True).select_related("user"):
        membership_deactivate(actor=None, membership=membership, by=actor)
    for invitation in Invitation.objects.pending().filter(organisation=organisation):
        invitation_revoke(actor=None, invitation=invitation, by=actor)
    today = timezone.localdate()
    for partnership in Partnership.objects.filter(
        Q(organisation=organisation) | Q(partner=organisation)
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)):
        partnership_end(actor=None, partnership=partnership, by=actor)
    return organisation


PARTNERSHIP_FIELDS = ["name", "starts_on", "ends_on", "diarienummer"]


def _check_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})


@transaction.atomic
def partnership_renew(
    *,
    actor: Actor,
    partnership: Partnership,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    name: str | None = None,
    diarienummer: str | None = None,
) -> Partnership:
    """Förnya: new dates (and optionally a new name or reference number) for a partnership."""
    require(actor, MANAGE, partnership.organisation_id)
    _check_dates(starts_on, ends_on)
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    partnership.starts_on = starts_on
    partnership.ends_on = ends_on
    if name is not None:
        partnership.name = name.strip()
    if diarienummer is not None:
        partnership.diarienummer = diarienummer.strip()
    save_validated(partnership)
    record_change(
        actor=actor,
        obj=partnership,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
        organisation_id=partnership.organisation_id,
    )
    return partnership


@transaction.atomic
def partnership_end(
    *, actor: Actor, partnership: Partnership, ends_on: dt.date | None = None, by: Any = None
) -> Partnership:
    """Avsluta: the partnership's last day is ``ends_on``, by default yesterday, so that the
    sharing stops now. One that had not started yet never takes effect (its start moves to
    its end). ``by`` names the person when the system ends it on their behalf."""
    require(actor, MANAGE, partnership.organisation_id)
    ends_on = ends_on or timezone.localdate() - dt.timedelta(days=1)
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    if partnership.starts_on and partnership.starts_on > ends_on:
        partnership.starts_on = ends_on
    partnership.ends_on = ends_on
    save_validated(partnership)
    record_change(
        actor=actor or by,
        obj=partnership,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
        organisation_id=partnership.organisation_id,
    )
    return partnership


MEMBERSHIP_FIELDS = ["user", "organisation", "role", "title", "areas", "is_active"]


def _check_areas(organisation: Organisation, areas: Iterable[Area]) -> list[Area]:
    areas = list(areas)
    if any(a.organisation_id != organisation.pk for a in areas):
        raise ValidationError(
            {"areas": _("An area limit must be one of the organisation's areas.")}
        )
    return areas


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, role: str, title: str, areas: Iterable[Area]
) -> Membership:
    """Change a person's role, title and area limits in one organisation."""
    require_administer(actor, membership.organisation)
    areas = _check_areas(membership.organisation, areas)
    if membership.user_id == getattr(actor, "pk", None) and role != membership.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.role = role
    membership.title = title.strip()
    save_validated(membership)
    membership.areas.set(areas)
    record_change(
        actor=actor,
        obj=membership,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        organisation_id=membership.organisation_id,
    )
    forget_scope(membership.user)
    return membership


def end_sessions(user: Viewer) -> int:
    """Log the user out everywhere: delete their sessions. Returns how many."""
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    ended = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership, by: Any = None) -> Membership:
    """Avsluta medlemskap (a leaver): access to the organisation ends at once.

    A person with no other active membership is a leaver of the whole system: the login is
    deactivated, every session ends and every API token is deleted, in this transaction.
    """
    require_administer(actor, membership.organisation)
    if membership.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot deactivate yourself."))
    before = snapshot(membership, ["is_active"])
    membership.is_active = False
    save_validated(membership)
    who = actor or by
    record_change(
        actor=who,
        obj=membership,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(membership, ["is_active"]),
        organisation_id=membership.organisation_id,
    )
    user = membership.user
    if not user.memberships.filter(is_active=True).exists() and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        tokens = list(user.api_tokens.all())
        sessions = end_sessions(user)
        for token in tokens:
            record_change(
                actor=who,
                obj=token,
                action=AuditAction.DELETE,
                before={"name": token.name},
                organisation_id=membership.organisation_id,
            )
        user.api_tokens.all().delete()
        record_change(
            actor=who,
            obj=user,
            action=AuditAction.STATUS,
            before={"is_active": True},
            after={"is_active": False},
            note=_("Login deactivated; %(sessions)s sessions and %(tokens)s API tokens ended.")
            % {"sessions": sessions, "tokens": len(tokens)},
            organisation_id=membership.organisation_id,
        )
    forget_scope(user)
    return membership


@transaction.atomic
def membership_reactivate(*, actor: Actor, membership: Membership) -> Membership:
    """Återaktivera: the membership counts again; a deactivated login is opened again too
    (the person uses "Glömt lösenord?" to set a new password)."""
    require_administer(actor, membership.organisation)
    if not membership.organisation.is_active:
        raise ValidationError(_("The organisation is no longer active."))
    before = snapshot(membership, ["is_active"])
    membership.is_active = True
    save_validated(membership)
    record_change(
        actor=actor,
        obj=membership,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(membership, ["is_active"]),
        organisation_id=membership.organisation_id,
    )
    user = membership.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_change(
            actor=actor,
            obj=user,
            action=AuditAction.STATUS,
            before={"is_active": False},
            after={"is_active": True},
            organisation_id=membership.organisation_id,
        )
    forget_scope(user)
    return membership


# Invitations and onboarding (their own module; re-exported here).
from trygg.core.services.invitations import Onboarding as Onboarding  # noqa: E402
from trygg.core.services.invitations import invitation_accept as invitation_accept  # noqa: E402
from trygg.core.services.invitations import (  # noqa: E402
    invitation_accept_with_password as invitation_accept_with_password,
)
from trygg.core.services.invitations import invitation_create as invitation_create  # noqa: E402
from trygg.core.services.invitations import invitation_for_key as invitation_for_key  # noqa: E402
from trygg.core.services.invitations import invitation_link as invitation_link  # noqa: E402
from trygg.core.services.invitations import invitation_resend as invitation_resend  # noqa: E402
from trygg.core.services.invitations import invitation_revoke as invitation_revoke  # noqa: E402
from trygg.core.services.invitations import kommun_area_for_code as kommun_area_for_code  # noqa: E402
from trygg.core.services.invitations import kommun_onboard as kommun_onboard  # noqa: E402
