"""Read incident reports exported from another tool (CSV or XLSX) into checked rows.

The columns are those of a typical EST export, matched without regard to case, accents or
spacing: extern_id, kategori, datum, tid, plats (or plats/adress), adress, område, bedömning,
beskrivning. Every row is checked, and every problem is reported with its row number (the
header is row 1, as in a spreadsheet).

The file is read as a stream, row by row, so that a file of a million rows takes no more
memory than one of a thousand: the import kit's streaming reader
(:func:`trygg.core.imports.open_table`) yields the raw rows and
:class:`RowChecker` turns one raw row into a checked :class:`ReportRow` or its problems,
with the organisation's categories, places and areas looked up in memory (no query per
row). The writing is done by ``services.reports_import``.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def check_file(data: bytes, filename: str) -> None:
    """Read a whole file once without checking its rows, so that a file that cannot be read
    at all is refused at once instead of in the background (ImportRejected/ValidationError)."""
    if Path(filename or "").suffix.lower() == ".xlsx":
        return  # the workbook is opened and checked when it is imported
    for _row in imports.open_table(io.BytesIO(data), filename).rows:
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


_MISSING = object()

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
        # Each field's column (past the end of every row when the file has no such column).
        index = {field: i for i, field in self.columns}
        absent = 1 << 30
        self._slots = tuple(
            index.get(field, absent)
            for field in (
                "external_ref",
                "category",
                "date",
                "time",
                "assessment",
                "place",
                "address",
                "area",
                "description",
            )
        )
        # The cells present in the file, taken from a row at once, and spread over the
        # nine fields ("" for a column the file does not have).
        present = [(slot, i) for slot, i in enumerate(self._slots) if i < absent]
        self._present = [i for _slot, i in present]
        self._widest = max(self._present)
        self._take = operator.itemgetter(*self._present)
        order = {slot: position for position, (slot, _i) in enumerate(present)}
        self._spread = operator.itemgetter(
            *(order.get(slot, len(present)) for slot in range(len(self._slots)))
        )
        # Each distinct name of a category, place or area is looked up once.
        self._found: dict[str, dict[str, Any]] = {"category": {}, "place": {}, "area": {}}
        self._dates: dict[str, dt.date] = {}
        self._times: dict[str, tuple[dt.time, dt.time | None]] = {}
        self._moments: dict[dt.datetime, tuple[dt.datetime, tuple[dt.date, int], Any]] = {}

    @staticmethod
    def blank(raw: list[Any]) -> bool:
        for cell in raw:
            if type(cell) is str:  # every cell of a CSV
                if cell and not cell.isspace():
                    return False
            elif _text(cell):
                return False
        return True

    def _offset(self, day: dt.date) -> dt.timedelta | None:
        """The zone's offset on ``day``, or None on a day when daylight saving time begins
        or ends. The zone's rules are asked once per day: on a day without a change the
        offset is the same all day."""
        first = timezone.make_aware(dt.datetime.combine(day, dt.time(0)), self.tz)
        last = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)), self.tz)
        offset = first.utcoffset()
        self._offsets[day] = offset = offset if offset == last.utcoffset() else None
        return offset

    def _moment(self, moment: dt.datetime) -> tuple[dt.datetime, tuple[dt.date, int], Any]:
        """The aware time, its local day and hour, and its stored form."""
        day = moment.date()
        offset = self._offsets.get(day, False)
        if offset is False:
            offset = self._offset(day)
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

    def _find(self, kind: str, table: dict[str, Any], text: str) -> Any:
        """What ``table`` holds for the name ``text`` (None: nothing), the name matched
        without regard to case and spacing; each distinct text is looked up once."""
        found = self._found[kind]
        if len(found) > 50_000:
            found.clear()  # a file of unique addresses
        found[text] = table.get(_name_key(text))
        return found[text]

    def _when(self, raw_date: Any, raw_time: Any) -> tuple[dt.date, dt.time, dt.time | None]:
        """The parsed date, start and end; each distinct text is parsed once. Raises
        ValueError (translated) for a date or time that cannot be read."""
        dates, times = self._dates, self._times
        day = dates.get(raw_date) if type(raw_date) is str else None
        if day is None:
            day = _parse_date(raw_date)
            if type(raw_date) is str:
                if len(dates) > 50_000:
                    dates.clear()
                dates[raw_date] = day
        clock = times.get(raw_time) if type(raw_time) is str else None
        if clock is None:
            clock = _parse_time(raw_time)
            if type(raw_time) is str:
                if len(times) > 50_000:
                    times.clear()
                times[raw_time] = clock
        return day, clock[0], clock[1]

    def check(self, number: int, raw: list[Any]) -> tuple[ReportRow | None, list[str], str]:
        """The checked row (or None), the row's problems (translated) and its extern_id."""
        width = len(raw)
        if width > self._widest:
            taken = self._take(raw)
            try:
                cells = [value.strip() for value in taken]  # a CSV's cells are all text
            except AttributeError:  # a workbook's numbers, dates and empty cells
                cells = [_text(value) for value in taken]
        else:
            cells = [_text(raw[i]) if i < width else "" for i in self._present]
        cells.append("")
        (
            external_ref,
            category_name,
            _date,
            _time,
            assessment_text,
            place_text,
            own_address,
            area_text,
            description,
        ) = self._spread(cells)
        external_ref = external_ref[:100]
        i_date, i_time = self._slots[2], self._slots[3]
        found = self._found
        missing = _MISSING

        problems: list[str] = []

        if not external_ref:
            problems.append(_("extern_id is missing"))

        category = None
        if not category_name:
            problems.append(_("the category is missing"))
        else:
            category = found["category"].get(category_name, missing)
            if category is missing:
                category = self._find("category", self.categories, category_name)
            if category is None:
                problems.append(_("unknown category “%(name)s”") % {"name": category_name})
            elif not category.is_active:
                problems.append(
                    _("the category “%(name)s” is no longer in use") % {"name": category.name}
                )

        occurred_at = occurred_until = stored_at = None
        local = (dt.date.min, 0)
        try:
            day, start, end = self._when(
                raw[i_date] if i_date < width else None, raw[i_time] if i_time < width else None
            )
            occurred_at, local, stored_at = self._moment(dt.datetime.combine(day, start))
            if end is not None:
                end_day = day + dt.timedelta(days=1) if end <= start else day
                occurred_until = self._make_aware(dt.datetime.combine(end_day, end))
            if occurred_at > self.now:
                problems.append(_("the time is in the future"))
        except ValueError as exc:
            problems.append(str(exc))

        assessment = 0
        if assessment_text == "1" or assessment_text == "2" or assessment_text == "3":
            assessment = int(assessment_text)
        else:
            problems.append(
                _("the assessment must be 1, 2 or 3, not “%(value)s”") % {"value": assessment_text}
            )

        place_id = area_id = None
        address = own_address
        if place_text:
            place = found["place"].get(place_text, missing)
            if place is missing:
                place = self._find("place", self.places, place_text)
            if place is None:
                address = ", ".join(part for part in (place_text, address) if part)
            else:
                place_id, area_id = place
        if area_text:
            chosen = found["area"].get(area_text, missing)
            if chosen is missing:
                chosen = self._find("area", self.areas, area_text)
            if chosen is None:
                problems.append(_("unknown area “%(name)s”") % {"name": area_text})
            elif place_id is None:
                area_id = chosen  # a place's own area wins, as when a report is filed

        if len(description) > 2000:
            problems.append(_("the description is longer than 2000 characters"))
        warnings, names = self.warnings, self.column_names
        if description:
            warnings.check(number, names["description"], description, problems)
        if place_text and place_id is None:
            warnings.check(number, names["place"], place_text, problems)
        if own_address:
            warnings.check(number, names["address"], own_address, problems)

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
