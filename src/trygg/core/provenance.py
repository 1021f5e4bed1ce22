"""Provenance of a figure (källa och beräkning): what a number in a page or document was
computed from.

Every figure a selector hands to a report is a ``Figure``: the value, the text it is shown
as, and where it came from – the data (model or indicator series, import batch), the
filters and the period, and when it was computed. Documents list these in their appendix
"Källor och beräkningar"; pages show them on demand.

A figure a person typed (an outcome Trygg cannot see) is marked ``typed`` so that a
reader can tell it from a computed one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

FigureValue = int | float | Decimal | str | bool | dt.date | None


@dataclass(frozen=True)
class Figure:
    """Siffra med källa: one value with its source, filters, period and computation time."""

    value: FigureValue
    source: str
    period: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    computed_at: dt.datetime = field(default_factory=timezone.now)
    text: str = ""  # how the value is shown ("4,29 mkr"); empty: str(value)
    url: str = ""  # where the evidence can be seen in Trygg
    typed: bool = False  # entered by a person, not computed from the data
    suppressed: bool = False  # a small count the user may not see in detail
    batch: str = ""  # the import batch the data came from ("fil.csv, 2024-03-01")

    def __str__(self) -> str:
        if self.text:
            return self.text
        return "–" if self.value is None else str(self.value)

    @property
    def filters_dict(self) -> dict[str, str]:
        return dict(self.filters)

    def source_dict(self) -> dict[str, str]:
        """The source as the documents' appendix lists it: data, filters, period, batch, url
        (the fields of reports.document.Source); ``typed`` is for the document to mark."""
        filters = "; ".join(f"{key} {value}" for key, value in self.filters)
        return {
            "data": self.source,
            "filters": filters,
            "period": self.period,
            "batch": self.batch,
            "url": self.url,
        }

    @property
    def source_line(self) -> str:
        """One line for a "Källor" appendix: source, period and filters."""
        parts = [self.source]
        if self.period:
            parts.append(self.period)
        parts += [f"{key}: {value}" for key, value in self.filters]
        return ", ".join(p for p in parts if p)


def figure(
    value: FigureValue,
    *,
    source: str,
    period: str = "",
    filters: Mapping[str, object] | None = None,
    text: str = "",
    url: str = "",
    typed: bool = False,
    suppressed: bool = False,
    batch: str = "",
    computed_at: dt.datetime | None = None,
) -> Figure:
    """Build a Figure; filters are given as a mapping and stored as text pairs."""
    return Figure(
        value=value,
        source=str(source),
        period=str(period),
        filters=tuple((str(k), str(v)) for k, v in (filters or {}).items() if v not in (None, "")),
        computed_at=computed_at or timezone.now(),
        text=str(text),
        url=url,
        typed=typed,
        suppressed=suppressed,
        batch=batch,
    )
