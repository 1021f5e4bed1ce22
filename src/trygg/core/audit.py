"""Ändringslogg and åtkomstlogg, written by services and selectors in their own transaction.

Services call :func:`record_change` with a snapshot taken before and after the change; the
entry is written in the same transaction as the change, so there is no change without its
entry. Signals are not used: they silently miss bulk work done outside a request.

Work that no person does – a management command, a data migration – is done inside
:func:`system_actor`: its entries have no ``actor`` but an ``actor_label`` such as
"system: import_police_events", so the change log says which command made them (ADR 0018).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from trygg.core.choices import AccessPurpose, AuditAction
from trygg.core.system_actor import (  # noqa: F401 (re-exported: the audit API)
    SYSTEM_PREFIX,
    current_system_actor,
    system_actor,
)


def actor_fields(actor) -> dict:
    """The ``actor`` and ``actor_label`` of an entry: the person, or the system actor."""
    if getattr(actor, "pk", None):
        return {"actor": actor, "actor_label": ""}
    return {"actor": None, "actor_label": current_system_actor()}


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The object's field values as JSON-friendly data (foreign keys as ids, M2M as id lists)."""
    if obj is None or obj.pk is None:
        return {}
    result = {}
    meta = obj._meta
    names = (
        list(fields)
        if fields is not None
        else [f.name for f in meta.concrete_fields if f.name not in {"id"}]
    )
    for name in names:
        field = meta.get_field(name)
        if field.many_to_many:
            result[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
        elif field.is_relation:
            result[name] = getattr(obj, field.attname)
        else:
            result[name] = _plain(getattr(obj, name))
    return result


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value differs."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [old, new]
    return changes


def record_change(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    organisation_id: int | None = None,
):
    """Write one audit entry. Returns it, or None for an update that changed nothing."""
    from trygg.core.models import AuditEntry

    changes = diff(before or {}, after or {})
    if action == AuditAction.UPDATE and not changes:
        return None
    if organisation_id is None:
        organisation_id = getattr(obj, "organisation_id", None)
        if organisation_id is None and obj.__class__.__name__ == "Organisation":
            organisation_id = obj.pk
    if action == AuditAction.DELETE and obj.pk is not None:
        record_cascade(actor=actor, obj=obj, organisation_id=organisation_id)
    return AuditEntry.objects.create(
        **actor_fields(actor),
        organisation_id=organisation_id,
        action=action,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
        note=note,
    )


#: Rows of a cascade recorded one by one; beyond this, one entry counts the rest per kind.
CASCADE_DETAIL_LIMIT = 500


def record_cascade(*, actor, obj: models.Model, organisation_id: int | None) -> int:
    """Record what deleting ``obj`` takes with it, before it is deleted.

    Django's deletion Collector finds every row a delete cascades to (a measure's funding,
    its links to problems and decisions, its status timeline …); each gets a DELETE entry
    with its values and a note naming what it went with. Called by :func:`record_change` for
    every deletion, so no delete service can forget it. Returns the number of rows.
    """
    from django.db import router
    from django.db.models.deletion import Collector, ProtectedError, RestrictedError

    from trygg.core.models import AccessLogEntry, AuditEntry

    collector = Collector(using=router.db_for_write(obj.__class__))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError):
        return 0  # the delete itself is refused, as it would be without this record
    taken: list[models.Model] = []
    for model, instances in collector.data.items():
        taken += [i for i in instances if not (model is obj.__class__ and i.pk == obj.pk)]
    for queryset in collector.fast_deletes:
        taken += list(queryset[: CASCADE_DETAIL_LIMIT + 1])
    taken = [i for i in taken if not isinstance(i, AuditEntry | AccessLogEntry)]
    note = f"{obj._meta.verbose_name}: {str(obj)[:200]}"
    entries = []
    for item in taken[:CASCADE_DETAIL_LIMIT]:
        model, object_id, object_repr = item.__class__, str(item.pk), str(item)[:300]
        owner = model._meta.auto_created
        if owner:
            # A link row of a many-to-many field (a measure's areas) has no content type of
            # its own: it is recorded on the object that holds the field.
            link = next(
                f for f in model._meta.concrete_fields if getattr(f, "related_model", None) is owner
            )
            model, object_id = owner, str(getattr(item, link.attname))
            object_repr = f"{owner._meta.verbose_name} {object_id}: {item._meta.verbose_name}"[:300]
        entries.append(
            AuditEntry(
                **actor_fields(actor),
                organisation_id=getattr(item, "organisation_id", None) or organisation_id,
                action=AuditAction.DELETE,
                content_type=ContentType.objects.get_for_model(model),
                object_id=object_id,
                object_repr=object_repr,
                changes=diff(snapshot(item), {}),
                note=note,
            )
        )
    AuditEntry.objects.bulk_create(entries)
    return len(taken)


def record_read(
    *,
    actor,
    model: type[models.Model],
    objects: Iterable[models.Model] = (),
    purpose: str = AccessPurpose.DETAIL,
    path: str = "",
    organisation_id=None,
    description: str = "",
) -> None:
    """Log a read of sensitive data: one entry per object, or one for an empty list."""
    from trygg.core.models import AccessLogEntry

    content_type = ContentType.objects.get_for_model(model)
    actor = actor if getattr(actor, "pk", None) else None
    entries = [
        AccessLogEntry(
            actor=actor,
            organisation_id=getattr(obj, "organisation_id", organisation_id),
            purpose=purpose,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            path=path[:500],
        )
        for obj in objects
    ]
    if not entries:
        entries = [
            AccessLogEntry(
                actor=actor,
                organisation_id=organisation_id,
                purpose=purpose,
                content_type=content_type,
                object_repr=description[:300],
                path=path[:500],
            )
        ]
    AccessLogEntry.objects.bulk_create(entries)
