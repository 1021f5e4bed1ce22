"""What every statistics parser shares: the error, reading a source, numbers and CSV rows."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from trygg.core.imports import ImportRejected, read_csv_rows

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
