"""Read incident reports exported from another tool (CSV or XLSX) into checked rows.

The columns are those of a typical EST export, matched without regard to case, accents or
spacing: extern_id, kategori, datum, tid, plats (or plats/adress), adress, område, bedömning,
beskrivning. Every row is checked before anything is written, and every problem is reported
with its row number (the header is row 1, as in a spreadsheet).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.imports import ImportRejected, Problem, read_table
from trygg.core.models import Area, Organisation, Place
from trygg.incidents.models import IncidentCategory

MAX_ROWS = 20000

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


@dataclass
class ReportRow:
    number: int
    external_ref: str
    category: IncidentCategory
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    place: Place | None
    area: Area | None
    address: str
    assessment: int
    description: str


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", "_", text.strip().casefold()).replace("_/_", "/")


def _name_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
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


def _parse_time(value) -> tuple[dt.time, dt.time | None]:
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


def read_report_rows(data: bytes, filename: str, *, organisation: Organisation) -> list[ReportRow]:
    """Checked rows, or a ValidationError listing every bad row with its number."""
    from trygg.incidents.services import _personal_data_messages, organisation_areas

    table = read_table(filename, data, max_rows=MAX_ROWS + 1)
    while table and not any(_text(c) for c in table[-1]):
        table.pop()
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [HEADERS.get(_key(_text(cell))) for cell in table[0]]
    missing = [LABELS[f] for f in REQUIRED if f not in header]
    if missing:
        raise ValidationError(
            _("The file lacks the columns: %(columns)s. The first row must hold the column names.")
            % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )

    categories = {
        _name_key(c.name): c for c in IncidentCategory.objects.filter(organisation=organisation)
    }
    places = {_name_key(p.name): p for p in Place.objects.filter(organisation=organisation)}
    areas = {_name_key(a.name): a for a in organisation_areas(organisation)}
    now = timezone.now()
    tz = timezone.get_current_timezone()

    rows: list[ReportRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        if not any(_text(c) for c in raw):
            continue
        values: dict[str, object] = {}
        for index, field in enumerate(header):
            if field and index < len(raw) and field not in values:
                values[field] = raw[index]
        row_problems: list[str] = []

        def problem(message: str, row_problems=row_problems) -> None:
            row_problems.append(message)

        external_ref = _text(values.get("external_ref"))[:100]
        if not external_ref:
            problem(_("extern_id is missing"))
        elif external_ref in seen:
            problem(
                _("extern_id “%(id)s” also occurs on row %(other)s")
                % {"id": external_ref, "other": seen[external_ref]}
            )
        else:
            seen[external_ref] = number

        category = None
        category_name = _text(values.get("category"))
        if not category_name:
            problem(_("the category is missing"))
        else:
            category = categories.get(_name_key(category_name))
            if category is None:
                problem(_("unknown category “%(name)s”") % {"name": category_name})
            elif not category.is_active:
                problem(_("the category “%(name)s” is no longer in use") % {"name": category.name})

        occurred_at = occurred_until = None
        try:
            day = _parse_date(values.get("date"))
            start, end = _parse_time(values.get("time"))
            occurred_at = timezone.make_aware(dt.datetime.combine(day, start), tz)
            if end is not None:
                end_day = day + dt.timedelta(days=1) if end <= start else day
                occurred_until = timezone.make_aware(dt.datetime.combine(end_day, end), tz)
            if occurred_at > now:
                problem(_("the time is in the future"))
        except ValueError as exc:
            problem(str(exc))

        assessment = None
        text = _text(values.get("assessment"))
        if text not in {"1", "2", "3"}:
            problem(_("the assessment must be 1, 2 or 3, not “%(value)s”") % {"value": text})
        else:
            assessment = int(text)

        place = None
        address = _text(values.get("address"))
        place_text = _text(values.get("place"))
        if place_text:
            place = places.get(_name_key(place_text))
            if place is None:
                address = ", ".join(part for part in (place_text, address) if part)
        area = None
        area_text = _text(values.get("area"))
        if area_text:
            area = areas.get(_name_key(area_text))
            if area is None:
                problem(_("unknown area “%(name)s”") % {"name": area_text})

        description = _text(values.get("description"))
        if len(description) > 2000:
            problem(_("the description is longer than 2000 characters"))
        row_problems.extend(_personal_data_messages(description))
        row_problems.extend(_personal_data_messages(address))

        if row_problems:
            problems.append(
                Problem(
                    number,
                    "",
                    _("Row %(row)s: %(reason)s")
                    % {"row": number, "reason": "; ".join(str(p) for p in row_problems)},
                )
            )
            continue
        rows.append(
            ReportRow(
                number=number,
                external_ref=external_ref,
                category=category,
                occurred_at=occurred_at,
                occurred_until=occurred_until,
                place=place,
                area=area,
                address=address[:300],
                assessment=assessment,
                description=description,
            )
        )
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ValidationError(_("The file holds no reports."))
    return rows
