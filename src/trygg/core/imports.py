"""The import kit: read an uploaded table (CSV or XLSX) safely, and refuse a file with reasons.

Every importer reads its rows with :func:`read_table` (the whole table, up to a row limit)
or :func:`open_table` (a stream of rows, for files of any length) and refuses a file by raising
:class:`ImportRejected` with one :class:`Problem` per bad row. The reader guards the server
against hostile files before they are parsed:

* a zip-based file (.xlsx, .docx) is checked by :func:`check_zip` from its directory alone:
  number of members, each member's unpacked size, the total and the compression ratio;
* rows are counted while the file is read and reading stops at the limit, so a sheet of a
  million rows costs no more than one of ``max_rows``;
* a CSV cell is limited in length, bytes that are neither UTF-8 nor Windows-1252 text are
  refused, and control characters are removed from every cell.

Messages are codes here (:class:`Message`) and translated when they are shown, so that an
English user reads English errors and a Swedish user Swedish ones.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ImportRejected",
    "Message",
    "Problem",
    "Table",
    "ZipLimits",
    "check_zip",
    "clean_text",
    "decode_text",
    "open_table",
    "read_csv_rows",
    "read_table",
    "sniff_delimiter",
]

#: Rows read from a table unless the importer says otherwise (the header included).
DEFAULT_MAX_ROWS = 100_000
#: Columns in a table; trailing empty cells do not count.
MAX_COLUMNS = 500
#: Characters in one CSV cell (Python's own default field limit).
MAX_CELL = 131_072

#: Codes and their messages. ``%(row)s`` etc. are filled from the problem's parameters.
MESSAGES: dict[str, Promise] = {
    "empty": _("The file is empty."),
    "encoding": _("The file is not text in UTF-8 or Windows-1252. Save it as CSV (UTF-8)."),
    "binary": _("The file holds binary data, not text. Save it as CSV (UTF-8) or .xlsx."),
    "csv": _("Row %(row)s could not be read as CSV: check quotes and separators."),
    "cell_too_long": _("Row %(row)s has a cell longer than %(max)s characters."),
    "too_many_rows": _("The file has more than %(max)s rows. Split it into smaller files."),
    "too_many_columns": _("Row %(row)s has more than %(max)s columns."),
    "not_xlsx": _("The file could not be read as an Excel workbook (.xlsx)."),
    "not_zip": _("The file is not a valid %(kind)s file."),
    "zip_members": _("The file holds more than %(max)s parts; it is refused."),
    "zip_member_size": _(
        "A part of the file unpacks to more than %(max)s MB; the file is refused."
    ),
    "zip_total_size": _("The file unpacks to more than %(max)s MB; the file is refused."),
    "zip_ratio": _(
        "The file is compressed more than %(max)s times; it looks like a zip bomb and is refused."
    ),
    "zip_encrypted": _("The file is encrypted; it cannot be read."),
}


@dataclass(frozen=True)
class Message:
    """A message code with its parameters, translated each time it is shown."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        template = str(MESSAGES[self.code])
        return template % dict(self.params) if self.params else template


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: the row (1 = the header row; None = the whole file),
    the column (may be empty) and the message (a translated text or a :class:`Message`).

    The message is whole as it stands: where it names a row, it says so itself."""

    row: int | None
    column: str = ""
    message: Any = ""

    def __str__(self) -> str:
        return str(self.message)


class ImportRejected(ValidationError):
    """The file was refused ("filen avvisades"); ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem | tuple[int | None, Any]]) -> None:
        # A parser that knows no Django (stats, plans) reports ``(row, message)`` pairs.
        found = [p if isinstance(p, Problem) else Problem(p[0], "", p[1]) for p in problems]
        self.problems: list[Problem] = sorted(found, key=lambda p: (p.row is not None, p.row or 0))
        super().__init__([_Shown(p) for p in self.problems] or [Message("empty")])


class _Shown:
    """A problem as a ValidationError message: translated when it is turned into text."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem.message)

    def __mod__(self, params: Any) -> str:  # ValidationError formats messages with params
        return str(self)


def reject(code: str, *, row: int | None = None, column: str = "", **params: Any) -> ImportRejected:
    """An ImportRejected for one problem given by its code."""
    return ImportRejected([Problem(row, column, Message(code, {"row": row, **params}))])


# ---------------------------------------------------------------------------
# Zip-based files (.xlsx, .docx)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    """What a zip-based upload may unpack to. Sizes are declared in the zip's directory,
    and Python's zip reader never returns more than a member declares."""

    members: int = 2_000
    member_bytes: int = 64 * 1024 * 1024
    total_bytes: int = 128 * 1024 * 1024
    ratio: int = 100
    # Small members compress very well (an empty sheet); the ratio applies above this size.
    ratio_from_bytes: int = 1024 * 1024


def check_zip(data: bytes, *, kind: str, limits: ZipLimits | None = None) -> None:
    """Refuse a zip-based file that would unpack to too much, before anything parses it."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a zip version or feature Python cannot read.
        raise reject("not_zip", kind=kind) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            raise reject("zip_members", max=limits.members)
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise reject("zip_encrypted")
            if member.file_size > limits.member_bytes:
                raise reject("zip_member_size", max=limits.member_bytes // (1024 * 1024))
            total += member.file_size
            if total > limits.total_bytes:
                raise reject("zip_total_size", max=limits.total_bytes // (1024 * 1024))
            if member.file_size > limits.ratio_from_bytes and member.file_size > limits.ratio * max(
                member.compress_size, 1
            ):
                raise reject("zip_ratio", max=limits.ratio)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

# C0 and C1 control characters except tab, line feed and carriage return, and the
# non-characters XML cannot hold.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """The text without control characters (tab and line breaks are kept)."""
    return _CONTROL.sub("", text)


def stored_problems(problems: Iterable[tuple[int | None, object]]) -> list[dict[str, Any]]:
    """An import's problems as its batch keeps them: ``{"line", "message"}`` with the message
    cleaned of control characters, since a message may quote the file (PostgreSQL's JSON
    cannot hold a NUL)."""
    return [{"line": line, "message": clean_text(str(message))} for line, message in problems]


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Swedish Excel saves it.

    Refuses (ImportRejected) bytes that are neither, and binary data (NUL bytes).
    """
    if b"\x00" in data[:65536]:
        raise reject("binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise reject("encoding") from exc
    # Many control characters in Windows-1252 mean it was not text at all.
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise reject("binary")
    return text


def sniff_delimiter(header: str) -> str:
    """The separator of a CSV header line: ";" (Swedish Excel), "," or tab.

    Separators inside quotes do not count; a tie goes to ";".
    """
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv_rows(
    text: str, *, max_rows: int = DEFAULT_MAX_ROWS
) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for every record of a CSV text; line is where the record starts.

    Raises ImportRejected for a record that cannot be read, a cell longer than
    :data:`MAX_CELL` characters or more than ``max_rows`` records.
    """
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    previous_end = 0
    count = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            code = "cell_too_long" if "field limit" in str(exc) else "csv"
            raise reject(code, row=previous_end + 1, max=MAX_CELL) from exc
        line = previous_end + 1
        previous_end = reader.line_num
        count += 1
        if count > max_rows:
            raise reject("too_many_rows", max=max_rows - 1)
        if len(cells) > MAX_COLUMNS:
            raise reject("too_many_columns", row=line, max=MAX_COLUMNS)
        yield line, [clean_text(cell) for cell in cells]


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

Cell = str | int | float | dt.date | dt.datetime | dt.time | None


def read_table(name: str, data: bytes, *, max_rows: int = DEFAULT_MAX_ROWS) -> list[list[Cell]]:
    """The rows of a CSV or XLSX file (the first sheet), header first.

    ``max_rows`` counts every row, the header included; a longer file is refused while it is
    read. Trailing empty rows are dropped. Raises :class:`ImportRejected`.
    """
    if Path(name or "").suffix.lower() == ".xlsx":
        table = _read_xlsx(data, max_rows=max_rows)
    else:
        table = [cells for _line, cells in read_csv_rows(decode_text(data), max_rows=max_rows)]
    while table and all(cell in (None, "") for cell in table[-1]):
        table.pop()
    if not table:
        raise reject("empty")
    return table


def _read_xlsx(data: bytes, *, max_rows: int) -> list[list[Cell]]:
    from openpyxl import load_workbook

    check_zip(data, kind=".xlsx")
    table: list[list[Cell]] = []
    try:
        _count_sheet_rows(data, max_rows=max_rows)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The declared dimension may claim a million columns; read what is there.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                if len(table) >= max_rows:
                    raise reject("too_many_rows", max=max_rows - 1)
                cells = list(row)
                while cells and cells[-1] is None:
                    cells.pop()
                if len(cells) > MAX_COLUMNS:
                    raise reject("too_many_columns", row=len(table) + 1, max=MAX_COLUMNS)
                table.append([clean_text(c) if isinstance(c, str) else c for c in cells])
        finally:
            workbook.close()
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl and its XML parser raise many kinds
        raise reject("not_xlsx") from exc
    return table


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_sheet_rows(data: bytes, *, max_rows: int) -> None:
    """Refuse a workbook with a sheet of more than ``max_rows`` rows by counting row tags in
    the unpacked stream, stopping at the limit.

    openpyxl's read-only mode parses a whole sheet before its first row when the sheet does
    not declare its dimension; this bounds that work by the row limit.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/") or member.is_dir():
                continue
            count, tail = 0, b""
            with archive.open(member) as stream:
                while chunk := stream.read(1024 * 1024):
                    # Tags wholly inside the tail were counted with the previous chunk.
                    count += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
                    if count > max_rows:
                        raise reject("too_many_rows", max=max_rows - 1)
                    tail = chunk[-16:]


# ---------------------------------------------------------------------------
# Streaming tables (a file of any length, read row by row)
# ---------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of an opened file, read as they are needed, and how far the reading has
    got (0–1)."""

    rows: Iterator[list[Any]]
    done: Callable[[], float]


def _encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the start of the file is UTF-8, else Windows-1252
    (Swedish Excel's "CSV")."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def open_table(file: IO[bytes], filename: str, *, size: int | None = None) -> Table:
    """Open a binary file (CSV or XLSX) as a stream of raw rows (lists of cells), read as
    they are needed: a file of a million rows takes no more memory than one of a thousand.
    ``size`` (bytes) lets :attr:`Table.done` tell the progress of a CSV.

    The same refusals as :func:`read_table` (binary data, text that is neither UTF-8 nor
    Windows-1252, a record that cannot be read, a cell or a row too long), with no limit on
    the number of rows: the caller decides. Control characters are removed, line by line
    before the CSV is parsed (one substitution per line, not per cell).
    """
    if Path(filename or "").suffix.lower() == ".xlsx":
        return _open_xlsx(file)
    sample = file.read(65536)
    file.seek(0)
    encoding = _encoding(sample)
    if b"\x00" in sample:
        raise reject("binary")
    if encoding == "cp1252":
        decode_text(sample)  # raises ImportRejected for what is not text
    text = io.TextIOWrapper(file, encoding=encoding, errors="replace", newline="")
    head = sample.decode(encoding, errors="replace")
    first = head.split("\n", 1)[0]
    delimiter = ";" if head[:4096].count(";") >= head[:4096].count(",") else ","
    if "\t" in first and delimiter not in first:
        delimiter = "\t"
    lines = (_CONTROL.sub("", line) if _CONTROL.search(line) else line for line in text)
    reader = csv.reader(lines, delimiter=delimiter)
    total = size or 0
    return Table(
        _csv_records(reader),
        lambda: min(file.tell() / total, 1.0) if total else 0.0,
    )


def _open_xlsx(file: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise reject("not_xlsx") from exc
    total = max(sheet.max_row or 1, 1)
    state = {"row": 0}

    def rows() -> Iterator[list[Any]]:
        try:
            for row in sheet.iter_rows(values_only=True):
                state["row"] += 1
                if len(row) > MAX_COLUMNS and any(c is not None for c in row[MAX_COLUMNS:]):
                    raise reject("too_many_columns", row=state["row"], max=MAX_COLUMNS)
                yield [clean_text(c) if isinstance(c, str) else c for c in row]
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet part
            raise reject("not_xlsx") from exc
        finally:
            workbook.close()

    return Table(rows(), lambda: min(state["row"] / total, 1.0))


def _csv_records(reader) -> Iterator[list[Any]]:
    """The records of a CSV reader, with the kit's limits and refusals: a record that cannot
    be read, a cell longer than :data:`MAX_CELL` characters (the csv module's field limit) or
    more than :data:`MAX_COLUMNS` cells."""
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            code = "cell_too_long" if "field limit" in str(exc) else "csv"
            raise reject(code, row=previous_end + 1, max=MAX_CELL) from exc
        line, previous_end = previous_end + 1, reader.line_num
        if len(cells) > MAX_COLUMNS:
            raise reject("too_many_columns", row=line, max=MAX_COLUMNS)
        yield cells
