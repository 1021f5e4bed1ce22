"""Standardvärden för en ny organisation: what each app puts in place when an organisation is
created (a plan's measure statuses, the incident categories …).

Core cannot import the apps that build on it, so each app registers its function here from its
``AppConfig.ready()``; :func:`trygg.core.services.organisation_create` calls every registered
function in the same transaction as the organisation itself. A registered function takes the
new organisation and the actor, writes its audit entries, and is idempotent (it creates
nothing when the organisation already has its own values), so the data migration that fills
older organisations may call the same rule. Reads never create defaults: a page that finds
none shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OrganisationDefaults = Callable[..., Any]

_registered: dict[str, OrganisationDefaults] = {}


def register_organisation_defaults(name: str, create: OrganisationDefaults) -> None:
    """Register ``create(organisation, *, actor)`` under ``name`` (an app's label); registering
    the same name again replaces the earlier function, so ``ready()`` may run twice."""
    _registered[name] = create


def registered_organisation_defaults() -> dict[str, OrganisationDefaults]:
    """The registered functions by name, in the order the apps registered them."""
    return dict(_registered)


def create_organisation_defaults(organisation, *, actor) -> None:
    """Put every app's defaults in place for ``organisation`` (called by the organisation
    service; the caller holds the transaction and has checked the permission)."""
    for create in _registered.values():
        create(organisation, actor=actor)


def fill_in_migration(
    apps,
    schema_editor,
    *,
    app_label: str,
    model_name: str,
    rows: list[dict],
    migration: str,
    skip_kinds: tuple[str, ...] = (),
) -> int:
    """Give every organisation that has no ``model_name`` rows the given ones (a data
    migration's work, with the historical models), each recorded in the change log as created
    by "system: migration <migration>"; organisations of ``skip_kinds`` are left as they are.
    Returns the number of organisations filled."""
    from trygg.core.system_actor import SYSTEM_PREFIX

    Organisation = apps.get_model("core", "Organisation")
    Model = apps.get_model(app_label, model_name)
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label=app_label, model=model_name.lower()
    )
    having = Model.objects.values_list("organisation_id", flat=True).distinct()
    filled = 0
    for organisation in (
        Organisation.objects.exclude(pk__in=having).exclude(kind__in=skip_kinds).order_by("pk")
    ):
        for values in rows:
            obj = Model.objects.create(organisation=organisation, **values)
            AuditEntry.objects.create(
                actor=None,
                actor_label=f"{SYSTEM_PREFIX}migration {migration}",
                organisation=organisation,
                action="create",
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(values.get("name", obj.pk))[:300],
                changes={key: [None, value] for key, value in sorted(values.items())},
            )
        filled += 1
    return filled
