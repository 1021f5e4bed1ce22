"""PC-Axis ("PX-fil"), the format of SCB and PX-Web."""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from trygg.stats.parsers.common import (
    Problem,
    Source,
    StatsFileError,
    _decode,
    _read_bytes,
    _to_decimal,
    _to_int,
)

# ---------------------------------------------------------------------------
# PC-Axis
# ---------------------------------------------------------------------------

#: The PX symbols for a missing value. "." to "......" are DATASYMBOL1–6
#: (their meaning is given by the file's DATASYMBOL1–6 keywords); "-" is
#: DATASYMBOLNIL, which SCB uses for "nothing to report" (magnitude nil).
PX_MISSING_SYMBOLS: frozenset[str] = frozenset({".", "..", "...", "....", ".....", "......", "-"})

_PX_DATASYMBOL_KEYWORDS = {
    "DATASYMBOL1": ".",
    "DATASYMBOL2": "..",
    "DATASYMBOL3": "...",
    "DATASYMBOL4": "....",
    "DATASYMBOL5": ".....",
    "DATASYMBOL6": "......",
    "DATASYMBOLNIL": "-",
}

_PX_KEY_RE = re.compile(
    r"\s*(?P<kw>[A-Za-z][A-Za-z0-9_-]*)\s*(?:\[\s*(?P<lang>[^\]]*?)\s*\])?\s*"
    r'(?:\((?P<sub>\s*"[^"]*"\s*(?:,\s*"[^"]*"\s*)*)\))?\s*='
)
_PX_TOKEN_RE = re.compile(
    r'\s*(?:(?P<str>"[^"]*")|(?P<tlist>TLIST\s*\([^)]*\))|(?P<comma>,)|(?P<semi>;)'
    r'|(?P<bare>[^\s",;]+))',
    re.IGNORECASE,
)
_PX_QUOTED_RE = re.compile(r'"([^"]*)"')
_PX_CODEPAGE_RE = re.compile(rb'CODEPAGE\s*=\s*"([^"]*)"', re.IGNORECASE)
_PX_DATA_TOKEN_RE = re.compile(r'"[^"]*"|[^\s,;"]+')


@dataclass(frozen=True, slots=True)
class PxKeyword:
    """One PX statement: ``KEYWORD[lang]("sub","keys")=items;``.

    ``items`` holds the comma-separated items; quoted strings on several
    lines ("abc" "def") are already concatenated. ``line`` is where it starts.
    """

    keyword: str
    language: str | None
    subkeys: tuple[str, ...]
    items: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        """The value as one string (items joined by ", ")."""
        return ", ".join(self.items)


@dataclass(frozen=True, slots=True)
class PxRecord:
    """One cell of a PX table ("cell").

    ``labels``: variabel → värdetext, ``codes``: variabel → kod (``None`` if
    the file gives no code). ``value`` is ``None`` for a missing value, whose
    PX symbol ("..") is in ``symbol``.
    """

    labels: dict[str, str]
    codes: dict[str, str | None]
    value: Decimal | None
    symbol: str | None = None


@dataclass
class PxTable:
    """A parsed PX file ("PX-tabell").

    The main fields come from the statements without a language suffix;
    every statement, including translations (``TITLE[en]``), is kept in
    ``keywords``. ``records`` expands DATA in PX order: the STUB variables
    then the HEADING variables, the last one varying fastest.
    """

    title: str | None
    contents: str | None
    units: str | None
    source: str | None
    matrix: str | None
    language: str | None
    encoding: str
    decimals: int | None
    stub: list[str]
    heading: list[str]
    values: dict[str, list[str]]
    codes: dict[str, list[str | None]]
    records: list[PxRecord]
    keywords: list[PxKeyword] = field(repr=False)
    symbol_labels: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def variables(self) -> list[str]:
        return [*self.stub, *self.heading]

    @property
    def cell_count(self) -> int:
        return math.prod(len(self.values[v]) for v in self.variables)

    def keyword(self, name: str, *subkeys: str, language: str | None = None) -> PxKeyword | None:
        """The statement ``name[language](subkeys)``, or ``None``."""
        upper = name.upper()
        for entry in self.keywords:
            if entry.keyword == upper and entry.language == language and entry.subkeys == subkeys:
                return entry
        return None

    def languages(self) -> set[str]:
        """Languages with translated statements (``TITLE[en]`` → "en")."""
        return {k.language for k in self.keywords if k.language}


def _px_encoding(data: bytes) -> tuple[str, list[Problem]]:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", []
    data_at = data.find(b"DATA=")
    header = data if data_at < 0 else data[:data_at]
    m = _PX_CODEPAGE_RE.search(header)
    if not m:
        return "iso-8859-1", []
    name = m.group(1).decode("ascii", "replace").strip()
    try:
        codecs.lookup(name)
        return name.lower(), []
    except LookupError:
        line = data.count(b"\n", 0, m.start()) + 1
        return "iso-8859-1", [(line, f"Okänd teckenkodning CODEPAGE={name!r}.")]


def _split_px_statements(text: str, problems: list[Problem]) -> tuple[list[PxKeyword], int | None]:
    """Parse the statements before DATA. Returns (statements, offset of DATA's value)."""
    keywords: list[PxKeyword] = []
    pos = 0
    line = 1
    length = len(text)
    while pos < length:
        # Skip whitespace (and stray semicolons) between statements.
        while pos < length and (text[pos].isspace() or text[pos] == ";"):
            if text[pos] == "\n":
                line += 1
            pos += 1
        if pos >= length:
            break
        m = _PX_KEY_RE.match(text, pos)
        if not m:
            end = text.find(";", pos)
            end = length if end < 0 else end + 1
            snippet = text[pos : min(end, pos + 40)].strip()
            problems.append((line, f"Raden kunde inte tolkas som ett PX-nyckelord: {snippet!r}."))
            line += text.count("\n", pos, end)
            pos = end
            continue
        start_line = line + text.count("\n", pos, m.start("kw"))
        keyword = m.group("kw").upper()
        language = m.group("lang") or None
        subkeys = tuple(_PX_QUOTED_RE.findall(m.group("sub") or ""))
        line += text.count("\n", pos, m.end())
        pos = m.end()
        if keyword == "DATA":
            return keywords, pos
        items, pos, line, ok = _read_px_value(text, pos, line)
        if not ok:
            problems.append((start_line, f"Värdet för {keyword} avslutas inte med semikolon."))
        keywords.append(PxKeyword(keyword, language, subkeys, tuple(items), start_line))
    return keywords, None


def _read_px_value(text: str, pos: int, line: int) -> tuple[list[str], int, int, bool]:
    items: list[str] = []
    current: list[str] | None = None  # pieces of the item being built
    while True:
        # A new statement on a later line means this one lacks its ';'.
        gap = pos
        while gap < len(text) and text[gap].isspace():
            gap += 1
        if current is not None and "\n" in text[pos:gap] and _PX_KEY_RE.match(text, gap):
            items.append("".join(current))
            return items, pos, line, False
        m = _PX_TOKEN_RE.match(text, pos)
        if not m:
            # End of text without ';'.
            line += text.count("\n", pos)
            if current is not None:
                items.append("".join(current))
            return items, len(text), line, False
        line += text.count("\n", pos, m.end())
        pos = m.end()
        kind = m.lastgroup
        token = m.group(kind) if kind else ""
        if kind == "semi":
            if current is not None:
                items.append("".join(current))
            return items, pos, line, True
        if kind == "comma":
            if current is not None:
                items.append("".join(current))
            current = None
            continue
        piece = token[1:-1] if kind == "str" else token
        if current is None:
            current = [piece]
        else:
            current.append(piece)  # "abc" "def" on two lines: one string


def _px_data_tokens(text: str, start: int, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (line, token) for the DATA section; stops at ';'."""
    body = text[start:]
    end = body.find(";")
    if end >= 0:
        body = body[:end]
    for offset, raw_line in enumerate(body.split("\n")):
        for token in _PX_DATA_TOKEN_RE.findall(raw_line):
            yield first_line + offset, token


def parse_px(source: Source) -> PxTable:
    """Parse a PC-Axis file ("PX-fil").

    ``source``: a path, the raw bytes, or the text itself (a ``str`` with a
    line break). Bytes are decoded as ISO-8859-1 unless the file has a
    ``CODEPAGE`` keyword ("utf-8", "windows-1252", …) or a UTF-8 BOM.

    Multi-line strings are concatenated; statements with a language suffix
    (``TITLE[en]``) are kept in :attr:`PxTable.keywords` only. The missing
    value symbols "." to "......" and "-", quoted or not, give ``value=None``
    with the symbol kept in :attr:`PxRecord.symbol`.

    Raises :class:`StatsFileError` listing every problem: bad statements,
    missing STUB/HEADING/VALUES/DATA, non-numeric cells, or a DATA cell
    count that is not the product of the value counts.
    """
    problems: list[Problem] = []
    data, text = _read_bytes(source)
    if text is None:
        assert data is not None
        encoding, enc_problems = _px_encoding(data)
        problems.extend(enc_problems)
        text = _decode(data, (encoding,))
    else:
        encoding = "str"
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

    keywords, data_at = _split_px_statements(text, problems)
    main: dict[tuple[str, tuple[str, ...]], PxKeyword] = {}
    for entry in keywords:
        if entry.language is None:
            main.setdefault((entry.keyword, entry.subkeys), entry)

    def single(name: str) -> str | None:
        entry = main.get((name, ()))
        return entry.text if entry is not None else None

    def as_list(name: str) -> list[str]:
        entry = main.get((name, ()))
        return list(entry.items) if entry is not None else []

    stub, heading = as_list("STUB"), as_list("HEADING")
    if not stub and not heading:
        problems.append((None, "Filen saknar både STUB och HEADING."))
    if ("KEYS", ()) in main or any(e.keyword == "KEYS" for e in keywords):
        problems.append((None, "PX-filer med KEYS (glesa tabeller) stöds inte."))

    values: dict[str, list[str]] = {}
    codes: dict[str, list[str | None]] = {}
    warnings: list[Problem] = []
    for variable in [*stub, *heading]:
        entry = main.get(("VALUES", (variable,)))
        if entry is None:
            problems.append((None, f'VALUES("{variable}") saknas.'))
            values[variable] = []
            codes[variable] = []
            continue
        values[variable] = list(entry.items)
        code_entry = main.get(("CODES", (variable,)))
        if code_entry is None:
            codes[variable] = [None] * len(entry.items)
            continue
        var_codes: list[str | None] = list(code_entry.items)
        if len(var_codes) != len(entry.items):
            warnings.append(
                (
                    code_entry.line,
                    f'CODES("{variable}") har {len(var_codes)} koder men VALUES har '
                    f"{len(entry.items)} värden; saknade koder blir tomma.",
                )
            )
            var_codes = (var_codes + [None] * len(entry.items))[: len(entry.items)]
        codes[variable] = var_codes

    decimals_text = single("DECIMALS")
    decimals = _to_int(decimals_text) if decimals_text is not None else None

    symbol_labels = {
        symbol: main[(kw, ())].text
        for kw, symbol in _PX_DATASYMBOL_KEYWORDS.items()
        if (kw, ()) in main
    }

    cells: list[tuple[Decimal | None, str | None]] = []
    if data_at is None:
        problems.append((None, "Nyckelordet DATA saknas."))
    else:
        data_line = text.count("\n", 0, data_at) + 1
        rest = text[data_at:]
        semicolon = rest.find(";")
        if semicolon < 0:
            warnings.append((data_line, "DATA avslutas inte med semikolon."))
        elif rest[semicolon + 1 :].strip():
            warnings.append(
                (data_line + rest.count("\n", 0, semicolon), "Text efter DATA-avsnittet ignoreras.")
            )
        for line_no, token in _px_data_tokens(text, data_at, data_line):
            symbol = token[1:-1].strip() if token.startswith('"') else token
            if symbol in PX_MISSING_SYMBOLS:
                cells.append((None, symbol))
                continue
            number = _to_decimal(symbol) if "," not in symbol else None
            if number is None or not number.is_finite():
                problems.append(
                    (line_no, f"Värdet {token!r} i DATA är varken ett tal eller en symbol.")
                )
                cells.append((None, None))
            else:
                cells.append((number, None))
        variables = [*stub, *heading]
        expected = math.prod(len(values[v]) for v in variables) if variables else 0
        if variables and all(values[v] for v in variables) and len(cells) != expected:
            counts = " × ".join(f"{len(values[v])} ({v})" for v in variables)
            problems.append(
                (
                    data_line,
                    f"DATA innehåller {len(cells)} värden men tabellen har {expected} celler "
                    f"({counts}).",
                )
            )

    if problems:
        raise StatsFileError(problems)

    variables = [*stub, *heading]
    index_product = product(*(range(len(values[v])) for v in variables))
    records = [
        PxRecord(
            labels={v: values[v][i] for v, i in zip(variables, indexes, strict=True)},
            codes={v: codes[v][i] for v, i in zip(variables, indexes, strict=True)},
            value=value,
            symbol=symbol,
        )
        for indexes, (value, symbol) in zip(index_product, cells, strict=True)
    ]
    return PxTable(
        title=single("TITLE"),
        contents=single("CONTENTS"),
        units=single("UNITS"),
        source=single("SOURCE"),
        matrix=single("MATRIX"),
        language=single("LANGUAGE"),
        encoding=encoding,
        decimals=decimals,
        stub=stub,
        heading=heading,
        values=values,
        codes=codes,
        records=records,
        keywords=keywords,
        symbol_labels=symbol_labels,
        warnings=warnings,
    )
