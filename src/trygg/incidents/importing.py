"""Read incident reports exported from another tool (CSV or XLSX) into checked rows.

The columns are those of a typical EST export, matched without regard to case, accents or
spacing: extern_id, kategori, datum, tid, plats (or plats/adress), adress, område, bedömning,
beskrivning. Every row is checked, and every problem is reported with its row number (the
header is row 1, as in a spreadsheet).

The file is read as a stream, row by row, so that a file of a million rows takes no more
memory than one of a thousand: :func:`open_table` yields the raw rows and
:class:`RowChecker` turns one raw row into a checked :class:`ReportRow` or its problems,
with the organisation's categories, places and areas looked up in memory (no query per
row). The writing is done by ``services.reports_import``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import imports
from trygg.core.models import Organisation
from trygg.incidents.import_pii import PersonalDataFindings
from trygg.situation.bulk import datetime_storer

MAX_ROWS = 20000  # per uploaded file (page); the import command takes any number

# Normalised header → field. "plats/adress" is a place name or, if no place has that name,
# an address.
HEADERS = {
    "extern_id": "external_ref",
    "externid": "external_ref",
    "externt_id": "external_ref",
    "id": "external_ref",
    "kategori": "category",
    "datum": "date",
    "tid": "time",
    "klockslag": "time",
    "plats": "place",
    "plats/adress": "place",
    "adress": "address",
    "omrade": "area",
    "bedomning": "assessment",
    "beskrivning": "description",
}
REQUIRED = ["external_ref", "category", "date", "time", "assessment"]
LABELS = {
    "external_ref": "extern_id",
    "category": "kategori",
    "date": "datum",
    "time": "tid",
    "assessment": "bedömning",
}


@dataclass(slots=True)
class ReportRow:
    """A checked row, with the ids of what it refers to."""

    number: int
    external_ref: str
    category_id: int
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    local: tuple[dt.date, int]  # the local day and hour (for the lägesbild's counts)
    stored_at: dt.datetime | str  # occurred_at as the database stores it (situation.bulk)
    place_id: int | None
    area_id: int | None  # the chosen area, or the place's
    address: str
    assessment: int
    description: str


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", "_", text.strip().casefold()).replace("_/_", "/")


def _name_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


# Reading the table


@dataclass
class Table:
    """The rows of an opened file and how far the reading has got (0–1)."""

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


def _delimiter(first_line: str, sample: str) -> str:
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    if "\t" in first_line and delimiter not in first_line:
        delimiter = "\t"
    return delimiter


def open_table(file: IO[bytes], filename: str, *, size: int | None = None) -> Table:
    """Open a binary file as a table of raw rows (lists of cells), read as they are
    needed. ``size`` (bytes) lets :attr:`Table.done` tell the progress of a CSV."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise ValidationError(
                _("The file could not be read as an Excel workbook (.xlsx).")
            ) from exc
        total = max(sheet.max_row or 1, 1)
        state = {"row": 0}

        def xlsx_rows() -> Iterator[list[Any]]:
            try:
                for row in sheet.iter_rows(values_only=True):
                    state["row"] += 1
                    yield list(row)
            except ValidationError:
                raise
            except Exception as exc:  # noqa: BLE001 - a broken sheet part
                raise ValidationError(
                    _("The file could not be read as an Excel workbook (.xlsx).")
                ) from exc
            finally:
                workbook.close()

        return Table(xlsx_rows(), lambda: min(state["row"] / total, 1.0))
    sample = file.read(65536)
    file.seek(0)
    encoding = _encoding(sample)
    _refuse_binary(sample, encoding)
    text = io.TextIOWrapper(file, encoding=encoding, errors="replace", newline="")
    head = sample.decode(encoding, errors="replace")
    delimiter = _delimiter(head.split("\n", 1)[0], head[:4096])
    reader = csv.reader(text, delimiter=delimiter)
    total = size or 0
    return Table(
        _csv_rows(reader),
        lambda: min(file.tell() / total, 1.0) if total else 0.0,
    )


def _refuse_binary(sample: bytes, encoding: str) -> None:
    """Refuse, as core.imports does, a file whose start is no text: NUL bytes, or bytes that
    are neither UTF-8 nor Windows-1252 text."""
    if b"\x00" in sample:
        raise imports.reject("binary")
    if encoding == "cp1252":
        imports.decode_text(sample)  # raises ImportRejected for what is not text


def _csv_rows(reader) -> Iterator[list[Any]]:
    """The records of a CSV reader, with core.imports' limits and Swedish refusals: a
    record that cannot be read, a cell longer than imports.MAX_CELL characters (the csv
    module's field limit) or more than imports.MAX_COLUMNS cells."""
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            code = "cell_too_long" if "field limit" in str(exc) else "csv"
            raise imports.reject(code, row=previous_end + 1, max=imports.MAX_CELL) from exc
        line, previous_end = previous_end + 1, reader.line_num
        if len(cells) > imports.MAX_COLUMNS:
            raise imports.reject("too_many_columns", row=line, max=imports.MAX_COLUMNS)
        yield cells


def check_file(data: bytes, filename: str) -> None:
    """Read a whole file once without checking its rows, so that a file that cannot be read
    at all is refused at once instead of in the background (ImportRejected/ValidationError)."""
    if Path(filename or "").suffix.lower() == ".xlsx":
        return  # the workbook is opened and checked when it is imported
    for _row in open_table(io.BytesIO(data), filename).rows:
        pass


# Checking one row


def _text(value: Any) -> str:
    if type(value) is str:  # every cell of a CSV
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = _ISO_DATE.match(text)
    if match:  # the common case, without strptime's cost
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("the date “%(value)s” is not a date like 2024-03-25") % {"value": text})


_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")


def _parse_clock(text: str) -> dt.time:
    match = _TIME_RE.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(_("the time “%(value)s” is not a time like 21:30") % {"value": text})
    return dt.time(int(match[1]), int(match[2]))


def _parse_time(value: Any) -> tuple[dt.time, dt.time | None]:
    """A time ("21:30", "21.30") or a window ("22:00-02:00"); the end may be past midnight."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0), None
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0), None
    text = _text(value).replace("–", "-").replace("—", "-")
    if "-" in text:
        start, end = (part.strip() for part in text.split("-", 1))
        return _parse_clock(start), _parse_clock(end)
    return _parse_clock(text), None


# Personal data needs a digit or an "@" (personnummer, phone numbers, e-mail addresses).
_MAY_HOLD_PERSONAL_DATA = re.compile(r"[0-9@]")


class RowChecker:
    """Checks raw rows against one organisation's categories, places and areas, read once."""

    def __init__(self, organisation: Organisation, header_row: list[Any]) -> None:
        from trygg.core.models import Place
        from trygg.incidents.models import IncidentCategory
        from trygg.incidents.services import organisation_areas

        header = [HEADERS.get(_key(_text(cell))) for cell in header_row]
        missing = [LABELS[f] for f in REQUIRED if f not in header]
        if missing:
            raise ValidationError(
                _(
                    "The file lacks the columns: %(columns)s. The first row must hold the "
                    "column names."
                )
                % {"columns": ", ".join(missing)}
            )
        self.columns: list[tuple[int, str]] = []
        taken: set[str] = set()
        for index, field in enumerate(header):
            if field and field not in taken:
                self.columns.append((index, field))
                taken.add(field)
        # The columns as the file names them, for messages about personal data in them.
        self.column_names = {field: _text(header_row[index]) for index, field in self.columns}
        self.warnings = PersonalDataFindings()
        self.categories = {
            _name_key(c.name): c for c in IncidentCategory.objects.filter(organisation=organisation)
        }
        self.places = {
            _name_key(name): (pk, area_id)
            for pk, name, area_id in Place.objects.filter(organisation=organisation).values_list(
                "pk", "name", "area_id"
            )
        }
        self.areas = {_name_key(a.name): a.pk for a in organisation_areas(organisation)}
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self._stored = datetime_storer()
        self._sqlite = connection.vendor != "postgresql"
        self._offsets: dict[dt.date, dt.timedelta | None] = {}
        self._keys: dict[str, str] = {}
        self._dates: dict[str, dt.date] = {}
        self._times: dict[str, tuple[dt.time, dt.time | None]] = {}
        self._moments: dict[dt.datetime, tuple[dt.datetime, tuple[dt.date, int], Any]] = {}

    @staticmethod
    def blank(raw: list[Any]) -> bool:
        return not any(_text(c) for c in raw)

    def _moment(self, moment: dt.datetime) -> tuple[dt.datetime, tuple[dt.date, int], Any]:
        """The aware time, its local day and hour, and its stored form. The zone's rules
        are asked once per day: on a day without a change of daylight saving time the
        offset is the same all day."""
        day = moment.date()
        if day not in self._offsets:
            first = timezone.make_aware(dt.datetime.combine(day, dt.time(0)), self.tz)
            last = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)), self.tz)
            offset = first.utcoffset()
            self._offsets[day] = offset if offset == last.utcoffset() else None
        offset = self._offsets[day]
        if offset is not None:
            aware = moment.replace(tzinfo=self.tz)
            stored = (moment - offset).isoformat(" ") if self._sqlite else aware
            return aware, (day, moment.hour), stored
        known = self._moments.get(moment)
        if known is None:
            if len(self._moments) > 100_000:
                self._moments.clear()
            aware = timezone.make_aware(moment, self.tz)
            local = aware.astimezone(self.tz)
            known = (aware, (local.date(), local.hour), self._stored(aware))
            self._moments[moment] = known
        return known

    def _make_aware(self, moment: dt.datetime) -> dt.datetime:
        return self._moment(moment)[0]

    def check(self, number: int, raw: list[Any]) -> tuple[ReportRow | None, list[str], str]:
        """The checked row (or None), the row's problems (translated) and its extern_id."""
        keys, dates, times = self._keys, self._dates, self._times
        if len(keys) > 50_000 or len(dates) > 50_000 or len(times) > 50_000:
            keys.clear(), dates.clear(), times.clear()  # a file of unique addresses
        values: dict[str, Any] = {}
        width = len(raw)
        for index, field in self.columns:
            if index < width:
                values[field] = raw[index]
        problems: list[str] = []

        external_ref = _text(values.get("external_ref"))[:100]
        if not external_ref:
            problems.append(_("extern_id is missing"))

        category = None
        category_name = _text(values.get("category"))
        if not category_name:
            problems.append(_("the category is missing"))
        else:
            key = keys.get(category_name) or keys.setdefault(
                category_name, _name_key(category_name)
            )
            category = self.categories.get(key)
            if category is None:
                problems.append(_("unknown category “%(name)s”") % {"name": category_name})
            elif not category.is_active:
                problems.append(
                    _("the category “%(name)s” is no longer in use") % {"name": category.name}
                )

        occurred_at = occurred_until = stored_at = None
        local = (dt.date.min, 0)
        try:
            raw_date, raw_time = values.get("date"), values.get("time")
            day = dates.get(raw_date) if type(raw_date) is str else None
            if day is None:
                day = _parse_date(raw_date)
                if type(raw_date) is str:
                    dates[raw_date] = day
            clock = times.get(raw_time) if type(raw_time) is str else None
            if clock is None:
                clock = _parse_time(raw_time)
                if type(raw_time) is str:
                    times[raw_time] = clock
            start, end = clock
            occurred_at, local, stored_at = self._moment(dt.datetime.combine(day, start))
            if end is not None:
                end_day = day + dt.timedelta(days=1) if end <= start else day
                occurred_until = self._make_aware(dt.datetime.combine(end_day, end))
            if occurred_at > self.now:
                problems.append(_("the time is in the future"))
        except ValueError as exc:
            problems.append(str(exc))

        assessment = 0
        text = _text(values.get("assessment"))
        if text not in {"1", "2", "3"}:
            problems.append(
                _("the assessment must be 1, 2 or 3, not “%(value)s”") % {"value": text}
            )
        else:
            assessment = int(text)

        place_id = area_id = None
        address = own_address = _text(values.get("address"))
        place_text = _text(values.get("place"))
        if place_text:
            key = keys.get(place_text) or keys.setdefault(place_text, _name_key(place_text))
            place = self.places.get(key)
            if place is None:
                address = ", ".join(part for part in (place_text, address) if part)
            else:
                place_id, area_id = place
        area_text = _text(values.get("area"))
        if area_text:
            key = keys.get(area_text) or keys.setdefault(area_text, _name_key(area_text))
            chosen = self.areas.get(key)
            if chosen is None:
                problems.append(_("unknown area “%(name)s”") % {"name": area_text})
            elif place_id is None:
                area_id = chosen  # a place's own area wins, as when a report is filed

        description = _text(values.get("description"))
        if len(description) > 2000:
            problems.append(_("the description is longer than 2000 characters"))
        for field, cell in (
            ("description", description),
            ("place", place_text if place_id is None else ""),
            ("address", own_address),
        ):
            if cell:
                self.warnings.check(number, self.column_names[field], cell, problems)

        if problems or category is None or occurred_at is None:
            return None, problems, external_ref
        return (
            ReportRow(
                number=number,
                external_ref=external_ref,
                category_id=category.pk,
                occurred_at=occurred_at,
                occurred_until=occurred_until,
                local=local,
                stored_at=stored_at,
                place_id=place_id,
                area_id=area_id,
                address=address[:300],
                assessment=assessment,
                description=description,
            ),
            [],
            external_ref,
        )


def row_problem(number: int, problems: list[str]) -> str:
    return _("Row %(row)s: %(reason)s") % {
        "row": number,
        "reason": "; ".join(str(p) for p in problems),
    }
