"""Writes for organisations, partnerships, areas, places, memberships and API tokens.

Every function here is ``<noun>_<verb>(*, actor, ...)``, runs in one transaction, validates
with ``full_clean()`` and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import geo
from trygg.core.access import CHANGE, MANAGE, forget_scope, scope_for
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import (
    ApiToken,
    Area,
    Membership,
    Organisation,
    Partnership,
    Place,
    UserPreferences,
)


def require(
    actor, action: str, organisation_id: int | None, *, whole_organisation: bool = False
) -> None:
    """Refuse the write unless the actor may do ``action`` for the organisation.

    ``whole_organisation`` is for what belongs to the whole organisation (a plan's structure,
    the budget, categories, the lägesbild): a membership limited to some areas reads it but
    may not change it.

    Used by services as the last line of defence; views have already narrowed their
    querysets with restrict(), so a refusal here means a forged or stale request.
    """
    if actor is None:  # system work: demo loader, management commands run by an operator
        return
    if not scope_for(actor).can(action, organisation_id, whole_organisation=whole_organisation):
        raise PermissionDenied(_("You do not have permission to do this."))


def save_validated(obj, *, exclude=None) -> None:
    """Validate, then save. Beside ``full_clean()``: a None where the column holds no NULL
    (full_clean lets it through for a blank-allowed text) and a time of day with a time zone
    (no database column keeps one) are refused with a message, not a database error."""
    import datetime as dt

    problems: dict[str, list[str]] = {}
    for field in obj._meta.concrete_fields:
        if (exclude and field.name in exclude) or field.primary_key:
            continue
        value = getattr(obj, field.attname, None)
        if value is None and not field.null:
            if not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False):
                problems.setdefault(field.name, []).append(_("This field cannot be empty."))
        elif isinstance(value, dt.time) and value.tzinfo is not None:
            problems.setdefault(field.name, []).append(
                _("Give the time of day without a time zone, for example 09:30.")
            )
    if problems:
        raise ValidationError(problems)
    obj.full_clean(exclude=exclude)
    obj.save()


@transaction.atomic
def organisation_create(
    *, actor, name: str, kind: str, parent: Organisation | None = None, area: Area | None = None
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
    actor,
    organisation: Organisation,
    partner: Organisation,
    name: str = "",
    starts_on=None,
    ends_on=None,
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


def _centre(geometry: dict | None) -> tuple[float | None, float | None]:
    if not geometry:
        return None, None
    return geo.centre(geometry)


@transaction.atomic
def area_create(
    *,
    actor,
    organisation: Organisation | None,
    kind: str,
    name: str,
    parent: Area | None = None,
    code: str = "",
    geometry: dict | None = None,
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
def area_update(*, actor, area: Area, **fields: Any) -> Area:
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
    actor,
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
    actor,
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
    save_validated(place)
    record_change(
        actor=actor, obj=place, action=AuditAction.CREATE, after=snapshot(place, PLACE_FIELDS)
    )
    return place


@transaction.atomic
def place_update(*, actor, place: Place, **fields: Any) -> Place:
    require(actor, CHANGE, place.organisation_id)
    before = snapshot(place, PLACE_FIELDS)
    for key, value in fields.items():
        if key not in PLACE_FIELDS:
            raise ValueError(key)
        setattr(place, key, value)
    _check_area_belongs(place)
    save_validated(place)
    record_change(
        actor=actor,
        obj=place,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(place, PLACE_FIELDS),
    )
    return place


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
    *, actor, user, organisation: Organisation, role: str, title: str = "", areas=()
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
    actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
):
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
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
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
def api_token_delete(*, actor, token: ApiToken) -> None:
    record_change(actor=actor, obj=token, action=AuditAction.DELETE, before={"name": token.name})
    token.delete()


def api_token_authenticate(key: str):
    """The user of a valid key, or None. Marks the token as used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    from trygg.core.twofactor import has_two_factor, two_factor_required

    if two_factor_required(token.user) and not has_two_factor(token.user):
        return None  # e.g. made before the user's role came to require two-factor
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def load_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc


@transaction.atomic
def preferences_update(*, actor, language: str) -> UserPreferences:
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
