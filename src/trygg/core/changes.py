"""The change log as a person reads it ("ändringshistorik i klartext").

An :class:`~trygg.core.models.AuditEntry` stores its changes as raw snapshot values: field names,
ids of related objects, ISO timestamps, stored HTML. This module turns them into what the pages
show: the field's label in the user's language, the related object's name, dates and amounts in
the local format, choice labels, plain text. Related names are read in one query per model for a
whole page of entries.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from trygg.core.models import AuditEntry

EMPTY = "–"
TEXT_LIMIT = 160


@dataclass(frozen=True, slots=True)
class ReadableChange:
    """One changed field: its label and its value before and after, formatted for the page."""

    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} → {self.after}"


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _reverse_label(model: type[models.Model] | None, name: str) -> str | None:
    """The label of a reverse relation stored as text ("responsibles": the responsibles' names)."""
    if model is None:
        return None
    try:
        relation = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(relation, models.ForeignObjectRel) and relation.related_model is not None:
        return str(relation.related_model._meta.verbose_name_plural)
    return None


def _related_ids(field: models.Field, value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if field.many_to_many:
        return list(value) if isinstance(value, list | tuple) else [value]
    return [value]


def _names(entries: Sequence[AuditEntry]) -> dict[type[models.Model], dict[str, str]]:
    """The names of every related object the entries mention, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for key, values in (entry.changes or {}).items():
            field = _field(model, key)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for value in values if isinstance(values, list) else []:
                wanted[field.related_model].update(_related_ids(field, value))
    names: dict[type[models.Model], dict[str, str]] = {}
    for related, ids in wanted.items():
        # Names of objects the entry's own object points at: seen on that object's page already.
        rows = related._base_manager.filter(pk__in=[i for i in ids if str(i).isdigit()])
        names[related] = {str(obj.pk): str(obj) for obj in rows}
    return names


def _format_datetime(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _format_date(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value[:10]), "DATE_FORMAT")
    except ValueError:
        return value


def _format_number(value: Any) -> str:
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)
    return formats.number_format(number, use_l10n=True, force_grouping=True)


def format_value(
    field: models.Field | None, value: Any, names: dict[type[models.Model], dict[str, str]]
) -> str:
    """One stored value as the page shows it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field is None:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or EMPTY
        return Truncator(strip_tags(str(value))).chars(TEXT_LIMIT)
    if field.is_relation and field.related_model is not None:
        known = names.get(field.related_model, {})
        # Older entries and some services store the related object's name rather than its id.
        labels = [
            known.get(str(i))
            or (_("#%(id)s (removed)") % {"id": i} if str(i).isdigit() else str(i))
            for i in _related_ids(field, value)
        ]
        return ", ".join(labels) or EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        return _format_datetime(str(value))
    if isinstance(field, models.DateField):
        return _format_date(str(value))
    if isinstance(field, models.TimeField):
        return str(value)[:5]
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        return _format_number(value)
    if isinstance(value, list | dict):
        items = value if isinstance(value, list) else [f"{k}: {v}" for k, v in value.items()]
        return ", ".join(str(v) for v in items) or EMPTY
    return Truncator(strip_tags(str(value))).chars(TEXT_LIMIT)


def _label(model: type[models.Model] | None, field: models.Field | None, key: str) -> str:
    if field is not None:
        return capfirst(str(field.verbose_name))
    return capfirst(_reverse_label(model, key) or key.replace("_", " "))


def readable_changes(entries: Iterable[AuditEntry]) -> dict[int, list[ReadableChange]]:
    """{entry id: its changes in readable form}, for a page of entries."""
    entries = list(entries)
    names = _names(entries)
    result: dict[int, list[ReadableChange]] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        rows = []
        for key, values in (entry.changes or {}).items():
            before, after = (
                values if isinstance(values, list) and len(values) == 2 else (None, values)
            )
            field = _field(model, key)
            change = ReadableChange(
                label=_label(model, field, key),
                before=format_value(field, before, names),
                after=format_value(field, after, names),
            )
            if change.before != change.after:  # "" and None read the same
                rows.append(change)
        result[entry.pk] = rows
    return result


def with_readable_changes(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries, each with ``readable`` (its :class:`ReadableChange` list) attached."""
    entries = list(entries)
    readable = readable_changes(entries)
    for entry in entries:
        entry.readable = readable[entry.pk]  # type: ignore[attr-defined]
    return entries
