"""One filter definition for the list page, the API and the export.

A FilterSet is a Django form over GET parameters. The page renders it, the export reuses it
with the same parameters, and the API builds its query schema from it with ``as_schema()``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from pydantic import BaseModel, Field, create_model

if TYPE_CHECKING:
    from trygg.core.actors import Viewer

_QS = TypeVar("_QS", bound=QuerySet[Any])


class FilterSet(forms.Form):
    """Subclasses declare form fields and ``lookups = {field: orm lookup}``; a method
    ``filter_<field>(queryset, value)`` takes over where a lookup is not enough."""

    lookups: dict[str, str] = {}

    def __init__(self, data: Any = None, *, user: Viewer | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(data=data if data is not None else {}, **kwargs)
        for field in self.fields.values():
            field.required = False

    def filter_queryset(self, queryset: _QS) -> _QS:
        if not self.is_valid():
            return queryset.none()
        for name, value in self.cleaned_data.items():
            if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
                continue
            method = getattr(self, f"filter_{name}", None)
            if method is not None:
                queryset = method(queryset, value)
            elif name in self.lookups:
                queryset = queryset.filter(**{self.lookups[name]: value})
        return queryset

    @property
    def active(self) -> bool:
        return self.is_valid() and any(
            v not in (None, "", [], ()) for v in self.cleaned_data.values()
        )

    def checked(self) -> FilterSet:
        """The filters of an API call, valid, or the answer why not: a choice of an object the
        user may not see (or that does not exist), or of a value not in their data, is a 404,
        as a path to it would be; any other bad value a ``ValidationError`` (422) with the
        field's message (the API description rules those out: see :meth:`as_schema`)."""
        if self.is_valid():
            return self
        errors = self.errors.as_data()
        for name, field_errors in errors.items():
            field = self.base_fields.get(name)
            # Choices that follow what the user sees (objects, values found in their data).
            follows_data = isinstance(field, forms.ModelChoiceField) or (
                isinstance(field, forms.ChoiceField) and not _static_choices(field)
            )
            if follows_data and any(
                e.code in {"invalid_choice", "invalid_pk_value"} for e in field_errors
            ):
                raise Http404
        raise ValidationError(
            {
                name: [m for e in field_errors for m in e.messages]
                for name, field_errors in errors.items()
            }
        )

    @classmethod
    def as_schema(cls, name: str) -> type[BaseModel]:
        """A pydantic model with the same parameters, for django-ninja's ``Query``: each typed
        as its field reads it (ids as integers, dates as dates, fixed choices as an enum, text
        no longer than the field takes), so that the API description says what is valid."""
        fields: dict[str, Any] = {}
        for field_name, field in cls.base_fields.items():
            fields[field_name] = (_annotation(field) | None, None)
        return create_model(name, **fields)


def _annotation(field: forms.Field) -> Any:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list[Annotated[int, Field(ge=1, le=MAX_ID)]]
    if isinstance(field, forms.ModelChoiceField):
        return Annotated[int, Field(ge=1, le=MAX_ID)]
    if isinstance(field, forms.MultipleChoiceField):
        values = _static_choices(field)
        return list[Literal[values]] if values else list[str]  # type: ignore[valid-type]
    if isinstance(field, forms.ChoiceField):
        values = _static_choices(field)
        return Literal[values] if values else str  # type: ignore[valid-type]
    if isinstance(field, forms.DateField):
        return dt.date
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.IntegerField):
        return Annotated[
            int,
            Field(
                ge=field.min_value if field.min_value is not None else -MAX_ID,
                le=field.max_value if field.max_value is not None else MAX_ID,
            ),
        ]
    if isinstance(field, forms.CharField) and field.max_length:
        return Annotated[str, Field(max_length=field.max_length)]
    return str


#: The largest id or number a filter takes: what a database's bigint column holds.
MAX_ID = 2**63 - 1


def _static_choices(field: forms.ChoiceField) -> tuple:
    """The values of a field whose choices are fixed in its class (not set per user)."""
    choices = field.choices
    if callable(choices) or not isinstance(choices, list | tuple):
        return ()
    values: list[str] = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group
            values.extend(str(v) for v, _label in label)
        else:
            values.append(str(value))
    return tuple(values)


def query_data(query: Any) -> dict[str, Any]:
    """The parameters set in an API query made from ``FilterSet.as_schema()``.

    The schema class is made at run time, so an endpoint's annotation with it is opaque to the
    type checker (hence ``# type: ignore[valid-type]`` there); this reads it as any pydantic
    model."""
    data: dict[str, Any] = query.model_dump(exclude_none=True)
    return data
