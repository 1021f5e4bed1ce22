"""Incident categories (händelsekategorier): the default set a new organisation gets, and the
category page's writes. Re-exported by trygg.incidents.services, where services are called from."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import transaction

from trygg.core.access import CHANGE, require
from trygg.core.actors import Actor
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import PARTNER_KINDS, AuditAction
from trygg.core.models import Organisation
from trygg.core.services import save_validated
from trygg.incidents.choices import CategoryGroup
from trygg.incidents.models import IncidentCategory

# Stored as data (each organisation may rename them), so the names are Swedish.
DEFAULT_CATEGORIES: list[tuple[str, str]] = [
    ("Skadegörelse", CategoryGroup.MILJO),
    ("Klotter", CategoryGroup.MILJO),
    ("Nedskräpning", CategoryGroup.MILJO),
    ("Bristande belysning", CategoryGroup.MILJO),
    ("Otrygg plats", CategoryGroup.MILJO),
    ("Brand/anlagd brand", CategoryGroup.MILJO),
    ("Ungdomar som samlas/stök", CategoryGroup.ORDNING),
    ("Misstänkt narkotikahandel", CategoryGroup.ORDNING),
    ("Ordningsstörning", CategoryGroup.ORDNING),
    ("Inbrott", CategoryGroup.ORDNING),
    ("Stöld", CategoryGroup.ORDNING),
    ("Hot/våld mot personal", CategoryGroup.PERSON),
    ("Övrigt", CategoryGroup.ORDNING),
]

CATEGORY_FIELDS = ["name", "group", "order", "is_active"]


class CategoryChanges(TypedDict, total=False):
    """The fields of a category that category_update may change (CATEGORY_FIELDS)."""

    name: str
    group: str
    order: int
    is_active: bool


@transaction.atomic
def categories_ensure_defaults(
    organisation: Organisation | None = None, *, actor: Actor = None
) -> list[IncidentCategory]:
    """The organisation's categories, creating the default set when it has none (idempotent).

    The button "Lägg till standardkategorierna" for an organisation whose categories were all
    removed; a new organisation gets them when it is created (:func:`categories_create_defaults`).
    """
    if organisation is None:
        raise TypeError("organisation is required")
    require(actor, CHANGE, organisation.pk, whole_organisation=True)
    return _categories_create(organisation, actor=actor)


@transaction.atomic
def categories_create_defaults(
    organisation: Organisation, *, actor: Actor = None
) -> list[IncidentCategory]:
    """Standardkategorierna for a new organisation, created with it (core/defaults.py): the
    organisation service has checked the permission. Creates nothing when it has categories.

    A partner organisation (polis, bostadsbolag, förening, företag) gets none: its people
    report under the kommun's categories, so that their reports reach the kommun; it may add
    its own with the button on the category page (:func:`categories_ensure_defaults`)."""
    if organisation.kind in PARTNER_KINDS:
        return []
    return _categories_create(organisation, actor=actor)


def _categories_create(organisation: Organisation, *, actor: Actor) -> list[IncidentCategory]:
    existing = list(IncidentCategory.objects.filter(organisation=organisation))
    if existing:
        return existing
    created = []
    for order, (name, group) in enumerate(DEFAULT_CATEGORIES, start=1):
        category = IncidentCategory(
            organisation=organisation, name=name, group=group, order=order * 10
        )
        save_validated(category)
        record_change(
            actor=actor, obj=category, action=AuditAction.CREATE, after=snapshot(category)
        )
        created.append(category)
    return created


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    group: str,
    order: int = 0,
    is_active: bool = True,
) -> IncidentCategory:
    require(actor, CHANGE, organisation.pk, whole_organisation=True)
    category = IncidentCategory(
        organisation=organisation, name=name.strip(), group=group, order=order, is_active=is_active
    )
    save_validated(category)
    record_change(actor=actor, obj=category, action=AuditAction.CREATE, after=snapshot(category))
    return category


@transaction.atomic
def category_update(
    *, actor: Actor, category: IncidentCategory, **fields: Unpack[CategoryChanges]
) -> IncidentCategory:
    require(actor, CHANGE, category.organisation_id, whole_organisation=True)
    before = snapshot(category, CATEGORY_FIELDS)
    for key, value in fields.items():
        if key not in CATEGORY_FIELDS:
            raise ValueError(key)
        setattr(category, key, value.strip() if isinstance(value, str) and key == "name" else value)
    save_validated(category)
    record_change(
        actor=actor,
        obj=category,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(category, CATEGORY_FIELDS),
    )
    return category
