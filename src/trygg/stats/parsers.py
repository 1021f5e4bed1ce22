"""Parse statistics files: PC-Axis tables and Brå exports of reported crime.

Pure Python: no Django, no database. The importers call these functions and
store the result.

* :func:`parse_px`: PC-Axis ("PX-fil"), the format of SCB and PX-Web.
* :func:`parse_bra_monthly_csv`: Brå-derived monthly file per kommun
  ("anmälda brott per månad"), with the crime-category hierarchy
  (Brott_ID / Förälder_ID); see :func:`crime_hierarchy`.
* :func:`parse_bra_yearly_area_csv`: yearly counts per stadsområde and
  kommun.

Every parser reads the whole file, collects each problem as (rad, meddelande)
and raises a single :class:`StatsFileError` if there was any, so that a user
can fix all rows at once. Messages are in Swedish.

Missing values are never turned into 0: an empty count, or a PX symbol such
as "..", gives ``None`` (with the symbol kept); 0 is a real zero.
"""

from __future__ import annotations

import codecs
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import product
from pathlib import Path
from typing import Any

from trygg.core.imports import ImportRejected, read_csv_rows

__all__ = [
    "PX_MISSING_SYMBOLS",
    "BraAreaYearRow",
    "BraMonthlyRow",
    "CrimeCategory",
    "PxKeyword",
    "PxRecord",
    "PxTable",
    "StatsFileError",
    "crime_hierarchy",
    "parse_bra_monthly_csv",
    "parse_bra_yearly_area_csv",
    "parse_px",
]

Problem = tuple[int | None, str]
Source = str | os.PathLike[str] | bytes | bytearray | memoryview

MIN_YEAR = 1900
#: Records in one CSV file, the header included.
MAX_CSV_ROWS = 1_000_000
MAX_YEAR = 2100


class StatsFileError(ValueError):
    """A statistics file with one or more bad rows ("felaktig statistikfil").

    ``problems`` is a list of (rad, meddelande): 1-based line number (or
    ``None`` for the file as a whole) and a Swedish message.
    """

    MAX_SHOWN = 20

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._describe())

    def _describe(self) -> str:
        count = len(self.problems)
        head = "Filen innehåller 1 fel:" if count == 1 else f"Filen innehåller {count} fel:"
        lines = [head]
        for line, message in self.problems[: self.MAX_SHOWN]:
            lines.append(f"rad {line}: {message}" if line is not None else message)
        if count > self.MAX_SHOWN:
            lines.append(f"… och {count - self.MAX_SHOWN} fel till.")
        return "\n".join(lines)

    @property
    def lines(self) -> list[int | None]:
        return [line for line, _ in self.problems]


# ---------------------------------------------------------------------------
# Reading sources
# ---------------------------------------------------------------------------


def _read_bytes(source: Source) -> tuple[bytes | None, str | None]:
    """Return (bytes, None) for a path or raw bytes, (None, text) for text.

    A ``str`` containing a line break is the content itself; any other
    ``str`` or :class:`os.PathLike` is a path.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return None, source
    try:
        return Path(source).read_bytes(), None
    except OSError as exc:
        raise StatsFileError(
            [(None, f"Filen {os.fspath(source)!r} kunde inte läsas: {exc}")]
        ) from exc


def _decode(data: bytes, encodings: Sequence[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    last_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last_error = exc
    assert last_error is not None
    line = data.count(b"\n", 0, last_error.start) + 1
    raise StatsFileError(
        [(line, f"Filen kunde inte avkodas som {', '.join(encodings)}: {last_error.reason}")]
    )


def _read_text(source: Source, encodings: Sequence[str] = ("utf-8", "cp1252")) -> str:
    data, text = _read_bytes(source)
    if text is not None:
        return text.removeprefix("\ufeff")
    assert data is not None
    return _decode(data, encodings)


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_THOUSANDS = str.maketrans("", "", " \u00a0\u202f")


def _to_decimal(text: str) -> Decimal | None:
    """Parse "12", "12.5", "12,5", "1 234,5"; ``None`` if not a number."""
    value = text.strip().translate(_THOUSANDS)
    if "," in value:
        if "." in value or value.count(",") > 1:
            return None
        value = value.replace(",", ".")
    if not _NUMBER_RE.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def _to_int(text: str) -> int | None:
    """Parse an integer, allowing a zero fraction ("225.0"); ``None`` otherwise."""
    number = _to_decimal(text)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


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


# ---------------------------------------------------------------------------
# CSV helpers
# ---------------------------------------------------------------------------


def _norm_column(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


class _CsvRows:
    """Read a CSV text; yields (line, {normalised column: value}) and records problems.

    The records come from the import kit's reader (:func:`trygg.core.imports.read_csv_rows`):
    the same separator rule, cell limit and control-character cleaning as every import.
    """

    def __init__(self, text: str, problems: list[Problem]) -> None:
        self.problems = problems
        self.records = read_csv_rows(text, max_rows=MAX_CSV_ROWS)
        self.header: list[str] = []
        self.columns: list[str] = []
        try:
            _line, self.header = next(self.records)
        except StopIteration:
            problems.append((1, "Filen är tom."))
        except ImportRejected as error:
            problems.extend((p.row, p.message) for p in error.problems)
        self.columns = [_norm_column(c) for c in self.header]

    def find(self, *aliases: str) -> str | None:
        for alias in aliases:
            key = _norm_column(alias)
            if key in self.columns:
                return key
        return None

    def require(self, required: dict[str, Sequence[str]]) -> dict[str, str] | None:
        """Map logical names to columns; report all missing columns at once."""
        found: dict[str, str] = {}
        missing: list[str] = []
        for logical, aliases in required.items():
            column = self.find(*aliases)
            if column is None:
                missing.append(aliases[0])
            else:
                found[logical] = column
        if missing:
            self.problems.append((1, "Obligatoriska kolumner saknas: " + ", ".join(missing) + "."))
            return None
        return found

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.header)
        if not width:
            return
        while True:
            try:
                line, cells = next(self.records)
            except StopIteration:
                return
            except ImportRejected as error:
                self.problems.extend((p.row, p.message) for p in error.problems)
                return
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != width:
                self.problems.append(
                    (line, f"Raden har {len(cells)} kolumner, rubrikraden har {width}.")
                )
                continue
            yield line, {col: cell.strip() for col, cell in zip(self.columns, cells, strict=True)}


class _RowChecker:
    """Collect problems while reading the fields of one row."""

    def __init__(self, line: int, row: dict[str, str], problems: list[Problem]) -> None:
        self.line = line
        self.row = row
        self.problems = problems
        self.ok = True

    def fail(self, message: str) -> None:
        self.problems.append((self.line, message))
        self.ok = False

    def text(self, column: str | None, label: str, required: bool = True) -> str | None:
        value = self.row.get(column, "") if column else ""
        if not value:
            if required:
                self.fail(f"{label} saknas.")
            return None
        return value

    def year(self, column: str, label: str = "År") -> int | None:
        raw = self.row.get(column, "")
        value = _to_int(raw)
        if value is None or not MIN_YEAR <= value <= MAX_YEAR:
            self.fail(f"Okänt år {raw!r} i kolumnen {label}.")
            return None
        return value

    def integer(
        self,
        column: str | None,
        label: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        raw = self.row.get(column, "") if column else ""
        if not raw:
            if required:
                self.fail(f"{label} saknas.")
            return None
        value = _to_int(raw)
        if value is None:
            self.fail(f"{label} {raw!r} är inte ett heltal.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.fail(f"{label} {raw!r} ligger utanför det tillåtna intervallet.")
            return None
        return value

    def count(self, column: str, label: str = "Antal") -> int | None:
        """An optional count: empty is missing (``None``), 0 is a real zero."""
        return self.integer(column, label, minimum=0)

    def decimal(self, column: str | None, label: str) -> Decimal | None:
        raw = self.row.get(column, "") if column else ""
        if not raw:
            return None
        value = _to_decimal(raw)
        if value is None or not value.is_finite():
            self.fail(f"{label} {raw!r} är inte ett tal.")
            return None
        return value

    def boolean(self, column: str, label: str) -> bool | None:
        raw = self.row.get(column, "")
        value = raw.casefold()
        if value in ("true", "sant", "ja", "j", "1", "1.0", "yes", "prel", "prel."):
            return True
        if value in ("false", "falskt", "nej", "n", "0", "0.0", "no"):
            return False
        self.fail(f"{label} {raw!r} är varken sant eller falskt.")
        return None

    def iso_date(self, column: str | None, label: str) -> date | None:
        raw = self.row.get(column, "") if column else ""
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            self.fail(f"{label} {raw!r} är inte ett datum (ÅÅÅÅ-MM-DD).")
            return None


# ---------------------------------------------------------------------------
# Brå monthly file
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BraMonthlyRow:
    """One row of the Brå monthly file: anmälda brott for a kommun, crime and period.

    * ``period_type``: Periodtyp ("Månad", "Kvartal", "År" …); ``month`` is
      ``None`` when the period is not a month.
    * ``preliminary``: Preliminär: the figures may still change.
    * ``region_id``: Brå's Region_ID, not the kommunkod.
    * ``crime_id``, ``crime_name``, ``level``, ``parent_id``: the crime
      category (Brott_ID, Brott, Brottsnivå, Förälder_ID).
    * ``level_names``: Nivå1..Nivå5, the names along the hierarchy.
    * ``count``: Antal, ``None`` when missing (0 is a real zero).
    * ``per_100k``: Per100000, anmälda brott per 100 000 invånare.
    * ``count_status``/``per_100k_status``: Status_Antal/Status_Per100000,
      Brå's marker for a suppressed or uncertain value.
    """

    line: int
    year: int
    month: int | None
    quarter: int | None
    period_type: str
    period_label: str | None
    period_key: str | None
    period_start: date | None
    period_end: date | None
    preliminary: bool
    kommun: str
    region_id: int
    crime_name: str
    crime_id: int
    level: int
    parent_id: int | None
    parent_name: str | None
    level_names: tuple[str, ...]
    count: int | None
    per_100k: Decimal | None
    count_status: str | None
    per_100k_status: str | None


_MONTHLY_REQUIRED: dict[str, Sequence[str]] = {
    "year": ("År",),
    "month": ("Månad",),
    "period_type": ("Periodtyp",),
    "preliminary": ("Preliminär",),
    "kommun": ("Kommun",),
    "region_id": ("Region_ID",),
    "crime_name": ("Brott",),
    "crime_id": ("Brott_ID",),
    "level": ("Brottsnivå",),
    "parent_id": ("Förälder_ID",),
    "count": ("Antal",),
    "per_100k": ("Per100000", "Per 100000", "Per_100000"),
}
_MONTHLY_OPTIONAL: dict[str, Sequence[str]] = {
    "quarter": ("Kvartal",),
    "period_label": ("Periodetikett",),
    "period_key": ("Periodnyckel",),
    "period_start": ("Period_start",),
    "period_end": ("Period_slut",),
    "parent_name": ("Förälder",),
    "count_status": ("Status_Antal",),
    "per_100k_status": ("Status_Per100000",),
}


def parse_bra_monthly_csv(source: Source) -> list[BraMonthlyRow]:
    """Parse the Brå monthly file (shape of ``lulea_boden_monthly_2026-08_excerpt.csv``).

    ``source``: a path, raw bytes, or the text itself (a ``str`` with a line
    break). UTF-8 (with or without BOM), falling back to Windows-1252. The
    delimiter (",", ";" or tab) is taken from the header; numbers may use a
    decimal point or comma and carry a zero fraction ("225.0").

    Raises :class:`StatsFileError` with every bad row: wrong column count,
    unknown year, non-numeric count, duplicate rows, missing columns.
    """
    problems: list[Problem] = []
    text = _read_text(source)
    reader = _CsvRows(text, problems)
    columns = reader.require(_MONTHLY_REQUIRED) if reader.header else None
    if columns is None:
        raise StatsFileError(problems)
    optional = {name: reader.find(*aliases) for name, aliases in _MONTHLY_OPTIONAL.items()}
    level_columns = [c for n in range(1, 6) if (c := reader.find(f"Nivå{n}")) is not None]

    rows: list[BraMonthlyRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in reader.rows():
        check = _RowChecker(line, row, problems)
        year = check.year(columns["year"])
        period_type = check.text(columns["period_type"], "Periodtyp")
        is_month = (period_type or "").casefold() == "månad"
        month = check.integer(columns["month"], "Månad", required=is_month, minimum=1, maximum=12)
        quarter = check.integer(optional["quarter"], "Kvartal", minimum=1, maximum=4)
        preliminary = check.boolean(columns["preliminary"], "Preliminär")
        kommun = check.text(columns["kommun"], "Kommun")
        region_id = check.integer(columns["region_id"], "Region_ID", required=True)
        crime_name = check.text(columns["crime_name"], "Brott")
        crime_id = check.integer(columns["crime_id"], "Brott_ID", required=True)
        level = check.integer(columns["level"], "Brottsnivå", required=True, minimum=1)
        parent_id = check.integer(columns["parent_id"], "Förälder_ID")
        count = check.count(columns["count"])
        per_100k = check.decimal(columns["per_100k"], "Per100000")
        period_start = check.iso_date(optional["period_start"], "Period_start")
        period_end = check.iso_date(optional["period_end"], "Period_slut")
        if not check.ok:
            continue
        assert year is not None and period_type and preliminary is not None and kommun
        assert region_id is not None and crime_name and crime_id is not None and level is not None
        key = (region_id, crime_id, year, period_type.casefold(), month, quarter)
        if key in seen:
            check.fail(f"Dubblett: samma kommun, brott och period som rad {seen[key]}.")
            continue
        seen[key] = line
        rows.append(
            BraMonthlyRow(
                line=line,
                year=year,
                month=month,
                quarter=quarter,
                period_type=period_type,
                period_label=check.text(optional["period_label"], "", required=False),
                period_key=check.text(optional["period_key"], "", required=False),
                period_start=period_start,
                period_end=period_end,
                preliminary=preliminary,
                kommun=kommun,
                region_id=region_id,
                crime_name=crime_name,
                crime_id=crime_id,
                level=level,
                parent_id=parent_id,
                parent_name=check.text(optional["parent_name"], "", required=False),
                level_names=tuple(row[c] for c in level_columns if row[c]),
                count=count,
                per_100k=per_100k,
                count_status=check.text(optional["count_status"], "", required=False),
                per_100k_status=check.text(optional["per_100k_status"], "", required=False),
            )
        )
    if problems:
        raise StatsFileError(problems)
    return rows


@dataclass(frozen=True, slots=True)
class CrimeCategory:
    """A crime category ("brottskategori") in Brå's hierarchy.

    ``parent_id`` is ``None`` for a top-level category. ``inferred`` is true
    for a category that has no row of its own and is known only as another
    row's Förälder; its name comes from that column and its parent from the
    Nivå columns when that parent has a row (otherwise ``None``).
    Sub-categories named "därav …" are subsets: children do not always sum
    to their parent.
    """

    id: int
    name: str
    parent_id: int | None
    level: int
    inferred: bool = False


def crime_hierarchy(rows: Iterable[BraMonthlyRow]) -> dict[int, CrimeCategory]:
    """The crime-category hierarchy (Brott_ID → name, Förälder_ID, Brottsnivå).

    Raises :class:`StatsFileError` if one Brott_ID is given different names,
    parents or levels on different rows.
    """
    problems: list[Problem] = []
    categories: dict[int, CrimeCategory] = {}
    first_line: dict[int, int] = {}
    paths: dict[int, tuple[str, ...]] = {}
    parents: dict[int, tuple[str | None, int, tuple[str, ...]]] = {}
    for row in rows:
        category = CrimeCategory(row.crime_id, row.crime_name, row.parent_id, row.level)
        known = categories.get(row.crime_id)
        if known is None:
            categories[row.crime_id] = category
            first_line[row.crime_id] = row.line
            paths[row.crime_id] = row.level_names
        elif known != category:
            problems.append(
                (
                    row.line,
                    f"Brott_ID {row.crime_id} har andra uppgifter (namn, förälder eller nivå) "
                    f"än på rad {first_line[row.crime_id]}.",
                )
            )
        if row.parent_id is not None:
            parents.setdefault(
                row.parent_id, (row.parent_name, row.level - 1, row.level_names[:-1])
            )
    if problems:
        raise StatsFileError(problems)
    by_name = {c.name: c.id for c in categories.values()}
    for parent_id, (name, level, path) in parents.items():
        if parent_id in categories:
            continue
        grandparent = by_name.get(path[-2]) if len(path) >= 2 else None
        categories[parent_id] = CrimeCategory(
            parent_id,
            name or (path[-1] if path else f"Brott {parent_id}"),
            grandparent,
            max(level, 1),
            inferred=True,
        )
    return categories


# ---------------------------------------------------------------------------
# Brå yearly counts per area (stadsområde)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BraAreaYearRow:
    """Yearly anmälda brott for one area: a stadsområde or a whole kommun.

    * ``area_name``: as in the file ("Nordost", "Göteborg kommun").
    * ``kommun``: the kommun the area belongs to ("Göteborg").
    * ``is_kommun_total``: the row is for the whole kommun.
    * ``count``: ``None`` when Brå suppressed the value or lacks it; 0 is a
      real zero.
    * ``population``/``per_100k``: only when the file has such columns.
    """

    line: int
    area_name: str
    kommun: str | None
    is_kommun_total: bool
    crime_type: str
    year: int
    count: int | None
    population: int | None = None
    per_100k: Decimal | None = None
    source_url: str | None = None
    exported_at: date | None = None


_AREA_REQUIRED: dict[str, Sequence[str]] = {
    "year": ("year", "år"),
    "area": ("area", "område", "omrade", "stadsområde"),
    "crime_type": ("crime_type", "brottstyp", "brott"),
    "count": ("count", "antal"),
}
_AREA_OPTIONAL: dict[str, Sequence[str]] = {
    "kommun": ("kommun", "municipality"),
    "population": ("population", "befolkning", "folkmängd", "invånare"),
    "per_100k": ("per_100k", "per100000", "per_100000", "antal_per_100000", "rate"),
    "source_url": ("source_url", "källa", "kalla", "source"),
    "exported_at": ("exported_at", "exporterad", "uttagsdatum"),
}
_KOMMUN_AREA_RE = re.compile(r"^(?P<name>.+?)\s+(?:kommun|stad)$", re.IGNORECASE)


def parse_bra_yearly_area_csv(source: Source, kommun: str | None = None) -> list[BraAreaYearRow]:
    """Parse yearly counts per area (shape of ``bra_goteborg_stadsomraden_2023_2025.csv``).

    Columns ``year, area, crime_type, count`` (Swedish names år, område,
    brottstyp, antal also accepted), optionally ``kommun``, ``population``,
    ``per_100k``, ``source_url``, ``exported_at``.

    An area named "<namn> kommun" (or "<namn> stad") is the kommun total. The
    kommun of the other areas comes from a ``kommun`` column, else from the
    ``kommun`` argument, else from the file's single kommun-total area.

    Raises :class:`StatsFileError` with every bad row (wrong column count,
    unknown year, non-numeric or negative count, duplicates) or the missing
    required columns.
    """
    problems: list[Problem] = []
    text = _read_text(source)
    reader = _CsvRows(text, problems)
    columns = reader.require(_AREA_REQUIRED) if reader.header else None
    if columns is None:
        raise StatsFileError(problems)
    optional = {name: reader.find(*aliases) for name, aliases in _AREA_OPTIONAL.items()}

    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for line, row in reader.rows():
        check = _RowChecker(line, row, problems)
        year = check.year(columns["year"], "year")
        area = check.text(columns["area"], "Område (area)")
        crime_type = check.text(columns["crime_type"], "Brottstyp (crime_type)")
        count = check.count(columns["count"], "Antal (count)")
        population = check.integer(optional["population"], "Befolkning", minimum=0)
        per_100k = check.decimal(optional["per_100k"], "Antal per 100 000")
        exported_at = check.iso_date(optional["exported_at"], "Exportdatum")
        if not check.ok:
            continue
        assert year is not None and area and crime_type
        key = (area.casefold(), crime_type.casefold(), year)
        if key in seen:
            check.fail(f"Dubblett: samma område, brottstyp och år som rad {seen[key]}.")
            continue
        seen[key] = line
        total = _KOMMUN_AREA_RE.match(area)
        parsed.append(
            {
                "line": line,
                "area_name": area,
                "kommun": check.text(optional["kommun"], "", required=False),
                "total_of": total.group("name") if total else None,
                "crime_type": crime_type,
                "year": year,
                "count": count,
                "population": population,
                "per_100k": per_100k,
                "source_url": check.text(optional["source_url"], "", required=False),
                "exported_at": exported_at,
            }
        )
    if problems:
        raise StatsFileError(problems)

    totals = {p["total_of"] for p in parsed if p["total_of"]}
    default_kommun = kommun or (next(iter(totals)) if len(totals) == 1 else None)
    rows: list[BraAreaYearRow] = []
    for p in parsed:
        total_of = p.pop("total_of")
        p["is_kommun_total"] = total_of is not None
        p["kommun"] = p["kommun"] or total_of or default_kommun
        rows.append(BraAreaYearRow(**p))
    return rows
