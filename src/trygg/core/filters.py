"""One filter definition for the list page, the API and the export.

A FilterSet is a Django form over GET parameters. The page renders it, the export reuses it
with the same parameters, and the API builds its query schema from it with ``as_schema()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import QuerySet
from pydantic import BaseModel, create_model

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

    @classmethod
    def as_schema(cls, name: str) -> type[BaseModel]:
        """A pydantic model with the same parameters, for django-ninja's ``Query``."""
        fields: dict[str, Any] = {}
        for field_name, field in cls.base_fields.items():
            annotation: Any = str | None
            if isinstance(field, forms.IntegerField):
                annotation = int | None
            elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
                annotation = list[str] | None
            fields[field_name] = (annotation, None)
        return create_model(name, **fields)


def query_data(query: Any) -> dict[str, Any]:
    """The parameters set in an API query made from ``FilterSet.as_schema()``.

    The schema class is made at run time, so an endpoint's annotation with it is opaque to the
    type checker (hence ``# type: ignore[valid-type]`` there); this reads it as any pydantic
    model."""
    data: dict[str, Any] = query.model_dump(exclude_none=True)
    return data
