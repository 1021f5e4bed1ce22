"""What every kind of document shares: its parameters and how figures name their sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from trygg.core.models import ImportBatch, Organisation
from trygg.core.provenance import Source


@dataclass(frozen=True)
class Params:
    """The parameters a document is generated from (what a saved version records)."""

    organisation: Organisation
    year: int
    forum_id: int | None = None
    week: str = ""  # ISO week, "2024-W14"
    plan_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"organisation": self.organisation.pk, "year": self.year}
        if self.forum_id:
            data["forum"] = self.forum_id
        if self.week:
            data["week"] = self.week
        if self.plan_id:
            data["plan"] = self.plan_id
        return data

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def model_label(model: type[Model] | Model) -> str:
    meta = model._meta
    return f"{meta.verbose_name_plural} ({meta.app_label}.{meta.object_name})"


def batch_text(batch: ImportBatch | None) -> str:
    if batch is None:
        return ""
    return f"#{batch.pk} {batch.filename}, {batch.created_at:%Y-%m-%d}"


def source(
    model: type[Model] | Model,
    what: str = "",
    *,
    filters: str = "",
    period: str = "",
    batch: ImportBatch | None = None,
    link: str = "",
) -> Source:
    data = model_label(model) + (f": {what}" if what else "")
    return Source(data=data, filters=filters, period=period, batch=batch_text(batch), url=link)
