"""The content of a generated document (rapport), independent of its format.

A document is a list of blocks (headings, paragraphs, tables, charts, free-text sections)
built by one of the kinds in :mod:`trygg.reports.kinds` from selector results. Every figure
in it is a :class:`~trygg.core.provenance.Figure` (the one kind of figure with its source,
also used by pages and selectors) that carries its :class:`~trygg.core.provenance.Source`; the renderers in
:mod:`trygg.reports.render` turn the same document into a web page, a .docx and a PDF, and
number the sources in the appendix "Källor och beräkningar".

Figures are never typed: a kind creates them from what a selector returned, and the
free-text sections (:class:`Draft`) are the only text a person writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from trygg.core.formatting import format_money, format_number, format_percent
from trygg.core.provenance import Figure, Source

NBSP = "\u00a0"
TYPED = gettext_lazy("(typed)")


Part = str | Figure


@dataclass
class Heading:
    level: int
    text: str
    type: str = "heading"


@dataclass
class Paragraph:
    parts: list[Part]
    style: str = ""  # "", "lead", "note"
    type: str = "paragraph"


@dataclass
class Bullets:
    items: list[list[Part]]
    type: str = "bullets"


@dataclass
class Table:
    """A table with one header row (repeated on every page) and optional total row."""

    columns: list[str]
    rows: list[list[Part]]
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    total: list[Part] | None = None
    caption: str = ""
    type: str = "table"


@dataclass
class Chart:
    """A Vega-Lite chart: the web page draws the spec, PDF and Word get it as SVG/PNG."""

    title: str
    spec: dict[str, Any]
    description: str = ""  # text alternative
    type: str = "chart"


@dataclass
class Draft:
    """A section a person writes (bedömning, "Utmaningar för kommande år" …), saved with the
    report as a draft; the computed figures around it are never part of it."""

    key: str
    title: str
    text: str
    hint: str = ""
    level: int = 2
    type: str = "draft"


Block = Heading | Paragraph | Bullets | Table | Chart | Draft


@dataclass
class Document:
    """One generated document (rapport) in one language."""

    kind: str
    title: str
    organisation: str
    parameters: dict[str, Any]
    diarienummer: str = ""
    date: dt.date = field(default_factory=timezone.localdate)
    subtitle: str = ""
    language: str = field(default_factory=lambda: get_language() or "sv")
    blocks: list[Block] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=timezone.now)

    # Building

    def figure(
        self,
        key: str,
        label: str,
        value: Any,
        text: str,
        source: Source,
        *,
        computed_at: dt.datetime | None = None,
    ) -> Figure:
        """Register a computed figure; its source gets a number in the appendix. Its value is
        kept as the exact text ("4290000.00", "24") that versions are compared by."""
        if source not in self.sources:
            self.sources.append(source)
        figure = Figure.from_source(
            source,
            key=key,
            label=label,
            value=_value_text(value),
            text=text,
            computed_at=computed_at or timezone.now(),
            ref=self.sources.index(source) + 1,
        )
        self.figures.append(figure)
        return figure

    def adopt(self, key: str, label: str, figure: Figure) -> Figure:
        """A figure a selector built with its provenance, registered in the document."""
        filters = "; ".join(f"{k}: {v}" for k, v in figure.filters)
        text = str(figure)
        if figure.typed:
            text += " " + str(TYPED)
        return self.figure(
            key,
            label,
            figure.value,
            text,
            Source(data=figure.source, filters=filters, period=figure.period, url=figure.url),
            computed_at=figure.computed_at,
        )

    def money(self, key: str, label: str, amount: Decimal | int, source: Source) -> Figure:
        return self.figure(key, label, amount, money(amount), source)

    def count(self, key: str, label: str, value: int, source: Source) -> Figure:
        return self.figure(key, label, value, number(value), source)

    def percent(self, key: str, label: str, value: Decimal | float, source: Source) -> Figure:
        return self.figure(key, label, value, percent(value), source)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(level, str(text)))

    def paragraph(self, *parts: Part, style: str = "") -> None:
        self.blocks.append(Paragraph([_part(p) for p in parts], style))

    def bullets(self, items: list[list[Part]]) -> None:
        if items:
            self.blocks.append(Bullets([[_part(p) for p in item] for item in items]))

    def table(
        self,
        columns: list[str],
        rows: list[list[Part]],
        *,
        numeric: set[int] | frozenset[int] = frozenset(),
        total: list[Part] | None = None,
        caption: str = "",
    ) -> None:
        self.blocks.append(
            Table(
                [str(c) for c in columns],
                [[_part(p) for p in row] for row in rows],
                frozenset(numeric),
                [_part(p) for p in total] if total is not None else None,
                str(caption),
            )
        )

    def chart(self, title: str, spec: dict[str, Any], description: str = "") -> None:
        self.blocks.append(Chart(str(title), spec, str(description)))

    def draft(self, key: str, title: str, text: str, hint: str = "", level: int = 2) -> None:
        self.blocks.append(Draft(key, str(title), text, str(hint), level))

    # Reading

    def drafts(self) -> list[Draft]:
        return [b for b in self.blocks if isinstance(b, Draft)]

    def text(self) -> str:
        """All text of the document, in reading order (for search, tests and the hash)."""
        lines = [self.title, self.subtitle, self.organisation, self.diarienummer]
        for block in self.blocks:
            if isinstance(block, Heading):
                lines.append(block.text)
            elif isinstance(block, Paragraph):
                lines.append(join(block.parts))
            elif isinstance(block, Bullets):
                lines.extend(join(item) for item in block.items)
            elif isinstance(block, Table):
                lines.append(" | ".join(block.columns))
                lines.extend(" | ".join(join([c]) for c in row) for row in block.rows)
                if block.total:
                    lines.append(" | ".join(join([c]) for c in block.total))
            elif isinstance(block, Chart):
                lines.append(block.title)
            elif isinstance(block, Draft):
                lines.extend([block.title, block.text])
        return "\n".join(line for line in lines if line)

    def content_hash(self) -> str:
        """SHA-256 of the content: the text, every figure's value and the parameters, so that
        two documents with the same hash say the same thing (the time of building excluded)."""
        payload = {
            "kind": self.kind,
            "parameters": self.parameters,
            "language": self.language,
            "text": self.text(),
            "figures": [(f.key, f.value, f.text, f.source_dict()) for f in self.figures],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def figure_map(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    def figures_by_source(self) -> list[tuple[int, Source, list[Figure]]]:
        return [
            (index, source, [f for f in self.figures if f.ref == index])
            for index, source in enumerate(self.sources, start=1)
        ]


def join(parts: list[Part]) -> str:
    return "".join(str(p) for p in parts)


def _part(part: Any) -> Part:
    return part if isinstance(part, Figure) else str(part)


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


# Numbers as the document's language writes them. Swedish: "4,29 mkr", "83,5 %", "1 234".
# English keeps the units and uses a decimal point and a comma between thousands.

_THOUSANDS = re.compile(r"(?<=\d)\u00a0(?=\d{3}(?!\d))")


def _localised(text: str) -> str:
    if (get_language() or "sv").startswith("en"):
        text = text.replace(",", ".")
        text = _THOUSANDS.sub(",", text)
    return text


def money(amount: Decimal | int, style: str = "auto") -> str:
    return _localised(format_money(amount, style))


def number(value: int | Decimal, decimals: int = 0) -> str:
    return _localised(format_number(value, decimals))


def percent(value: Decimal | float, decimals: int | None = None) -> str:
    """ "83,5 %", and a whole percentage without decimals ("75 %")."""
    if decimals is None:
        decimals = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral() else 1
    return _localised(format_percent(value, decimals))
