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
class Source:
    """Källa: where a figure comes from – the data, its filters and period, its import batch
    and the page in Trygg that shows it. A document numbers its sources in the appendix."""

    data: str  # "Budgetrader (budget.BudgetLine): Trygghetspaketet 2023"
    filters: str = ""  # "organisation Nacka kommun; år 2023"
    period: str = ""
    batch: str = ""  # "import 12: fil.csv, 2024-03-01" when the data came from a file
    url: str = ""  # the page in Trygg that shows the data

    def as_dict(self) -> dict[str, str]:
        return {
            "data": self.data,
            "filters": self.filters,
            "period": self.period,
            "batch": self.batch,
            "url": self.url,
        }


@dataclass(frozen=True)
class Figure:
    """Siffra med källa: one value with its source, filters, period and computation time.

    The same figure serves a page, a selector's result and a generated document; in a
    document it also has its ``key`` (stable within the kind, so that versions can be
    compared: "budget.outcome"), its ``label`` ("Utfall 2023") and the number ``ref`` of its
    source in the appendix (reports/document.py, ``Document.figure``).
    """

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
    key: str = ""  # in a document: "budget.outcome"
    label: str = ""  # in a document: "Utfall 2023"
    ref: int = 0  # in a document: the number of its source in the appendix

    def __str__(self) -> str:
        if self.text:
            return self.text
        return "–" if self.value is None else str(self.value)

    @property
    def filters_dict(self) -> dict[str, str]:
        return dict(self.filters)

    @property
    def filters_text(self) -> str:
        """The filters as one line: "organisation Nacka kommun; år 2023"."""
        return "; ".join(f"{key} {value}".strip() for key, value in self.filters)

    def source_dict(self) -> dict[str, str]:
        """The source as the documents' appendix lists it: data, filters, period, batch, url
        (the fields of :class:`Source`); ``typed`` is for the document to mark."""
        return self.as_source().as_dict()

    def as_source(self) -> Source:
        """The figure's :class:`Source`, as a document's appendix lists it."""
        return Source(
            data=self.source,
            filters=self.filters_text,
            period=self.period,
            batch=self.batch,
            url=self.url,
        )

    @classmethod
    def from_source(cls, source: Source, **fields) -> Figure:
        """A figure whose provenance is ``source`` (its filters kept as the one line they are
        written as there)."""
        return cls(
            source=source.data,
            filters=(("", source.filters),) if source.filters else (),
            period=source.period,
            batch=source.batch,
            url=source.url,
            **fields,
        )

    def as_dict(self) -> dict:
        """A document's figure as a saved version keeps it (reports.models)."""
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "text": self.text,
            "ref": self.ref,
            "computed_at": self.computed_at.isoformat(),
            "source": self.source_dict(),
        }

    @property
    def source_line(self) -> str:
        """One line for a "Källor" appendix: source, period and filters."""
        parts = [self.source]
        if self.period:
            parts.append(self.period)
        parts += [f"{key}: {value}" if key else value for key, value in self.filters]
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
