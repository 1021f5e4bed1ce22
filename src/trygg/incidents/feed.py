"""Parse the police public events feed ("polisens händelser").

Pure Python: no Django, no database. The importer (a Django task) calls these
functions and stores the result.

The feed comes in three shapes, all accepted by :func:`iter_feed_records`:

* a raw API response: a JSON array of events (``events_latest_window.json``),
* JSON Lines, one event per line (``*.jsonl``),
* gzip-compressed JSON Lines (``*.jsonl.gz``).

Each event ("händelse") carries:

* ``datetime``: publiceringstid, not the time of the incident; the hour is often
  not zero-padded ("2026-08-22 9:48:12 +02:00");
* ``name``: "<dag> <månad> <HH:MM eller HH.MM>, <händelsetyp>, <plats>"; the only
  place the incident time (händelsetid) is given, and without a year;
* ``location``: ``{name, gps}``, where ``name`` is a kommun or a län and ``gps``
  is the centre of that kommun or län (never the scene of the incident).

:class:`KommunResolver` maps an event to a kommunkod from the reference lists
of kommuner and län.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "STOCKHOLM",
    "County",
    "FeedError",
    "Kommun",
    "KommunResolver",
    "PoliceEventData",
    "Resolution",
    "iter_feed_records",
    "normalise_place_name",
    "parse_event",
    "parse_feed",
    "parse_name",
    "parse_published_at",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

GZIP_MAGIC = b"\x1f\x8b"
#: What one file may unpack to: a line of JSON Lines, and a whole JSON array. A gzip file
#: that would unpack to more is refused as it is read, not after.
MAX_LINE_BYTES = 1024 * 1024
MAX_ARRAY_BYTES = 256 * 1024 * 1024
# A stream that cannot be unpacked: gzip raises these for a damaged file.
_UNREADABLE = (OSError, EOFError, zlib.error)

SWEDISH_MONTHS: dict[str, int] = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    # Abbreviations, in case the feed ever shortens them.
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}

Source = str | os.PathLike[str] | bytes | bytearray | memoryview


class FeedError(ValueError):
    """A malformed event or feed file ("felaktig händelse").

    ``line`` is the 1-based line number (JSON Lines) or item number (JSON
    array), or ``None`` when the record was parsed on its own. ``message`` is
    in Swedish, ready to show to a user.
    """

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"rad {line}: {message}" if line is not None else message)


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------


def _iter_raw(source: Source) -> Iterator[tuple[int, Any]]:
    """Yield (number, parsed object or FeedError) without stopping at bad lines."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield from _iter_maybe_gzip(io.BufferedReader(io.BytesIO(bytes(source))))
        return
    with open(source, "rb") as handle:
        yield from _iter_maybe_gzip(handle)


def _iter_maybe_gzip(stream: io.BufferedReader) -> Iterator[tuple[int, Any]]:
    if stream.peek(2)[:2] == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=stream) as unpacked:
            yield from _iter_stream(unpacked)
    else:
        yield from _iter_stream(stream)


def _iter_stream(stream: io.BufferedIOBase) -> Iterator[tuple[int, Any]]:
    try:
        head = stream.peek(4096)  # type: ignore[attr-defined]
    except _UNREADABLE as exc:
        yield 1, FeedError(1, f"Filen kunde inte läsas (gzip): {exc}")
        return
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        try:
            data = stream.read(MAX_ARRAY_BYTES + 1)
        except _UNREADABLE as exc:
            yield 1, FeedError(1, f"Filen kunde inte läsas (gzip): {exc}")
            return
        if len(data) > MAX_ARRAY_BYTES:
            yield 1, FeedError(1, f"Filen är större än {MAX_ARRAY_BYTES // 2**20} MB uppackad.")
            return
        yield from _iter_array(data)
    else:
        yield from _iter_lines(stream)


def _iter_array(data: bytes) -> Iterator[tuple[int, Any]]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield 0, FeedError(None, f"Filen är inte giltig UTF-8: {exc}")
        return
    except json.JSONDecodeError as exc:
        yield exc.lineno, FeedError(exc.lineno, f"Ogiltig JSON: {exc.msg} (kolumn {exc.colno})")
        return
    except RecursionError:
        yield 1, FeedError(1, "Ogiltig JSON: för djupt nästlad.")
        return
    if not isinstance(items, list):
        yield 1, FeedError(1, "Filen ska innehålla en JSON-lista med händelser.")
        return
    yield from enumerate(items, start=1)


def _lines(stream: Any) -> Iterator[bytes]:
    """The lines of a stream, none longer than :data:`MAX_LINE_BYTES` (a longer one is cut
    there, so it fails as JSON instead of filling the memory)."""
    if not hasattr(stream, "readline"):
        yield from stream
        return
    while line := stream.readline(MAX_LINE_BYTES):
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield line


def _iter_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    number = 0
    try:
        for number, raw in enumerate(_lines(stream), start=1):  # noqa: B007 - used after
            line = raw.strip()
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line:
                continue
            try:
                yield number, json.loads(line)
            except UnicodeDecodeError as exc:
                yield number, FeedError(number, f"Raden är inte giltig UTF-8: {exc}")
            except json.JSONDecodeError as exc:
                yield number, FeedError(number, f"Ogiltig JSON: {exc.msg} (kolumn {exc.colno})")
            except RecursionError:
                yield number, FeedError(number, "Ogiltig JSON: för djupt nästlad.")
    except _UNREADABLE as exc:
        # A truncated or corrupt gzip stream.
        yield number + 1, FeedError(number + 1, f"Filen kunde inte läsas (gzip): {exc}")


def iter_feed_records(source: Source) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(number, record)`` for every event in a feed file ("händelseflöde").

    ``source`` is a path (str or :class:`os.PathLike`) or the raw bytes of a
    file. Gzip is detected from its magic bytes and a JSON array from its first
    non-blank character ``[``; anything else is read as JSON Lines. ``number``
    is the 1-based line number (JSON Lines, blank lines skipped but counted) or
    item number (JSON array).

    Raises :class:`FeedError` at the first line that is not valid JSON or not
    a JSON object. Use :func:`parse_feed` to collect all errors instead.
    """
    for number, item in _iter_raw(source):
        if isinstance(item, FeedError):
            raise item
        if not isinstance(item, dict):
            raise FeedError(number, "Händelsen ska vara ett JSON-objekt.")
        yield number, item


# ---------------------------------------------------------------------------
# Parsing one event
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PoliceEventData:
    """One police event ("händelse") as published in the feed.

    * ``published_at``: publiceringstid, aware, in Europe/Stockholm.
    * ``occurred_at``: händelsetid from ``name``, aware, in Europe/Stockholm.
      The year is inferred from ``published_at`` (see :func:`parse_name`).
    * ``event_type``: händelsetyp from the ``type`` field, e.g. "Misshandel".
    * ``place_name``: the last comma-separated part of ``name``: usually a
      kommun, sometimes a län, ``None`` when empty.
    * ``location_name``: ``location.name``: a kommun or a län ("Skåne län").
    * ``area_centre_lat``/``area_centre_lon``: the centre of the kommun or län
      in ``location_name``. Never the scene of the incident.
    * ``is_summary``: a "Sammanfattning natt/kväll …" post that summarises
      several incidents; keep it but count it apart.
    * ``county_only``: ``location_name`` names only a län.
    * ``name``: the heading as published, whitespace collapsed.
    """

    id: int
    published_at: datetime
    occurred_at: datetime
    event_type: str
    place_name: str | None
    location_name: str
    area_centre_lat: float | None
    area_centre_lon: float | None
    summary: str
    url: str
    is_summary: bool
    county_only: bool
    line: int | None = None
    name: str = ""


_PUBLISHED_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?"
    r"\s*(?:(Z)|([+-])(\d{1,2}):?(\d{2}))?\s*$"
)

_NAME_RE = re.compile(
    r"^\s*(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?\s+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"\s*(?:,(?P<rest>.*))?$",
    re.DOTALL,
)


def parse_published_at(value: Any, line: int | None = None) -> datetime:
    """Parse the feed's ``datetime`` (publiceringstid) to an aware datetime.

    Accepts unpadded hours ("2026-08-22 9:48:12 +02:00"). Without an offset
    the time is taken as Swedish local time. The result is in Europe/Stockholm.
    """
    if not isinstance(value, str) or not value.strip():
        raise FeedError(line, "Publiceringstid (datetime) saknas.")
    m = _PUBLISHED_RE.match(value)
    if not m:
        raise FeedError(line, f"Publiceringstiden {value!r} kunde inte tolkas.")
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    if m.group(7):
        tz: timezone | ZoneInfo = UTC
    elif m.group(8):
        offset = timedelta(hours=int(m.group(9)), minutes=int(m.group(10)))
        tz = timezone(-offset if m.group(8) == "-" else offset)
    else:
        tz = STOCKHOLM
    try:
        parsed = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        raise FeedError(line, f"Publiceringstiden {value!r} är inte ett giltigt datum.") from None
    return parsed.astimezone(STOCKHOLM)


def parse_name(
    name: Any, published_at: datetime, line: int | None = None
) -> tuple[datetime, str, str | None]:
    """Split ``name`` into (händelsetid, händelsetyp, plats).

    ``name`` is "<dag> <månad> <HH:MM eller HH.MM>, <typ>, <plats>", e.g.
    "31 december 23.50, Rån, Malmö". The type may itself contain commas
    ("Trafikolycka, personskada"); the place is the last part.

    The year is not in ``name``. Of the candidate years around the year of
    ``published_at``, the one that puts the incident closest in time to the
    publication wins: "31 december 23.50" published on 1 January is the
    previous year, while a planned operation announced on 28 April for
    "01 maj 08:00" stays in the same year (the rule "previous year if more
    than a day after publication" would move it back a whole year).
    """
    if not isinstance(name, str) or not name.strip():
        raise FeedError(line, "Rubrik (name) saknas.")
    m = _NAME_RE.match(name)
    if not m:
        raise FeedError(
            line,
            f"Händelsetiden i rubriken {name!r} kunde inte tolkas; "
            "väntade t.ex. '22 augusti 17.59, Brand, Kävlinge'.",
        )
    month = SWEDISH_MONTHS.get(m.group("month").casefold())
    if month is None:
        raise FeedError(line, f"Okänd månad {m.group('month')!r} i rubriken {name!r}.")
    day, hour, minute = int(m.group("day")), int(m.group("hour")), int(m.group("minute"))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise FeedError(
            line, f"Ogiltigt klockslag {m.group('hour')}.{m.group('minute')} i {name!r}."
        )
    local_pub = published_at.astimezone(STOCKHOLM)
    best: datetime | None = None
    for year in (local_pub.year - 1, local_pub.year, local_pub.year + 1):
        try:
            candidate = datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)
        except ValueError:  # 29 februari in a non-leap year, 31 april …
            continue
        if best is None or abs(candidate - local_pub) < abs(best - local_pub):
            best = candidate
    if best is None:
        raise FeedError(line, f"Ogiltigt datum {day} {m.group('month')} i rubriken {name!r}.")
    rest = m.group("rest") or ""
    if "," in rest:
        type_part, place = rest.rsplit(",", 1)
    else:
        type_part, place = rest, ""
    place = " ".join(place.split())
    return best, type_part.strip(), place or None


def _parse_gps(value: Any, line: int | None) -> tuple[float | None, float | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str):
        parts = value.split(",")
        if len(parts) == 2:
            try:
                lat, lon = float(parts[0]), float(parts[1])
            except ValueError:
                pass
            else:
                if -90 <= lat <= 90 and -180 <= lon <= 180:
                    return lat, lon
    raise FeedError(
        line, f"Koordinaten {value!r} i location.gps kunde inte tolkas (väntade 'lat,lon')."
    )


def _required_str(record: dict[str, Any], key: str, label: str, line: int | None) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FeedError(line, f"Fältet {key} ({label}) saknas eller är tomt.")
    return value.strip()


def parse_event(record: dict[str, Any], line: int | None = None) -> PoliceEventData:
    """Parse one feed record into :class:`PoliceEventData`.

    Raises :class:`FeedError` (with ``line``) and a Swedish message when a
    required field is missing or cannot be parsed.
    """
    if not isinstance(record, dict):
        raise FeedError(line, "Händelsen ska vara ett JSON-objekt.")
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or raw_id is None:
        raise FeedError(line, "Händelsen saknar id.")
    if isinstance(raw_id, int):
        event_id = raw_id
    elif isinstance(raw_id, str) and raw_id.strip().isdigit():
        event_id = int(raw_id)
    else:
        raise FeedError(line, f"Händelsens id {raw_id!r} är inte ett heltal.")

    published_at = parse_published_at(record.get("datetime"), line)
    occurred_at, name_type, place_name = parse_name(record.get("name"), published_at, line)

    event_type = record.get("type")
    if not isinstance(event_type, str) or not event_type.strip():
        # Fall back on the type given in the heading.
        if not name_type:
            raise FeedError(line, "Händelsetyp (type) saknas.")
        event_type = name_type
    event_type = " ".join(event_type.split())

    location = record.get("location")
    if not isinstance(location, dict):
        raise FeedError(line, "Fältet location (plats) saknas.")
    location_name = _required_str(location, "name", "platsens namn", line)
    location_name = " ".join(location_name.split())
    lat, lon = _parse_gps(location.get("gps"), line)

    summary = record.get("summary") or ""
    url = record.get("url") or ""
    if not isinstance(summary, str) or not isinstance(url, str):
        raise FeedError(line, "Fälten summary och url ska vara text.")

    return PoliceEventData(
        id=event_id,
        published_at=published_at,
        occurred_at=occurred_at,
        event_type=event_type,
        place_name=place_name,
        location_name=location_name,
        area_centre_lat=lat,
        area_centre_lon=lon,
        summary=summary.strip(),
        url=url.strip(),
        is_summary=event_type.casefold().startswith("sammanfattning"),
        county_only=location_name.casefold().endswith(" län"),
        line=line,
        name=" ".join(str(record.get("name")).split()),
    )


def parse_feed(source: Source) -> tuple[list[PoliceEventData], list[FeedError]]:
    """Parse a whole feed file, collecting errors instead of stopping.

    Returns (händelser, fel). Each error carries its line number.
    """
    events: list[PoliceEventData] = []
    errors: list[FeedError] = []
    for number, item in _iter_raw(source):
        if isinstance(item, FeedError):
            errors.append(item)
            continue
        try:
            events.append(parse_event(item, number))
        except FeedError as exc:
            errors.append(exc)
    return events, errors


# ---------------------------------------------------------------------------
# Kommun resolution
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kommun:
    """A kommun: kommunkod ("0182"), namn ("Nacka") and länskod ("01")."""

    code: str
    name: str
    county_code: str


@dataclass(frozen=True, slots=True)
class County:
    """A län: länskod ("01") and namn ("Stockholms län")."""

    code: str
    name: str


How = Literal["location", "name", "county", "unknown"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Result of :meth:`KommunResolver.resolve_names`.

    ``how``: "location" (location.name is a kommun), "name" (location is a
    län; the kommun comes from the last part of ``name``), "county" (only the
    län is known) or "unknown".
    """

    kommun_code: str | None
    how: How
    county_code: str | None


_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


def normalise_place_name(name: str) -> str:
    """Matching key for a place name: NFC, casefolded, single spaces, tight hyphens."""
    text = unicodedata.normalize("NFC", name).translate(_DASHES).casefold()
    text = " ".join(text.split())
    return re.sub(r"\s*-\s*", "-", text)


# Official names whose genitive is irregular ("Falu kommun" is Falun).
_IRREGULAR_GENITIVES = {"falu": "falun"}
_KOMMUN_SUFFIXES = (" kommun", " stad", " municipality", " kommune")
_COUNTY_SUFFIXES = (" län", " county", " lan")


class KommunResolver:
    """Map place names in the feed to kommunkod and länskod.

    Build it with :meth:`from_csv` from ``swedish_admin_areas_dnouri.csv``
    (kommunkod, kommunnamn, länskod, länsnamn); the sjbrg lists can be added
    for their long forms ("Upplands Väsby kommun") and short län names
    ("Skåne").

    Matching is case-insensitive and tolerant of extra whitespace, of the
    suffixes "kommun"/"stad"/"län" and of the genitive -s ("Göteborgs stad",
    "Stockholms län", "Stockholm län").
    """

    def __init__(self, kommuner: Iterable[Kommun], counties: Iterable[County]) -> None:
        self.kommuner: dict[str, Kommun] = {}
        self.counties: dict[str, County] = {}
        self._kommun_keys: dict[str, str] = {}
        self._county_keys: dict[str, str] = {}
        for county in counties:
            self.add_county(county)
        for kommun in kommuner:
            self.add_kommun(kommun)
        self._refresh_single_kommun_counties()

    # -- construction ------------------------------------------------------

    def add_kommun(self, kommun: Kommun, *aliases: str) -> None:
        existing = self.kommuner.get(kommun.code)
        if existing is None:
            self.kommuner[kommun.code] = kommun
        for alias in (kommun.name, *aliases):
            key = normalise_place_name(alias)
            if key:
                self._kommun_keys.setdefault(key, kommun.code)

    def add_county(self, county: County, *aliases: str) -> None:
        self.counties.setdefault(county.code, county)
        for alias in (county.name, *aliases):
            key = normalise_place_name(alias)
            if key:
                self._county_keys.setdefault(key, county.code)
                stem = _strip_suffix(key, _COUNTY_SUFFIXES)
                if stem != key:
                    # "stockholms län" -> also "stockholms" and "stockholm län".
                    self._county_keys.setdefault(stem, county.code)

    def _refresh_single_kommun_counties(self) -> None:
        per_county: dict[str, list[str]] = {}
        for kommun in self.kommuner.values():
            per_county.setdefault(kommun.county_code, []).append(kommun.code)
        self._single_kommun = {cc: codes[0] for cc, codes in per_county.items() if len(codes) == 1}

    @classmethod
    def from_csv(
        cls,
        admin_areas: str | os.PathLike[str],
        municipalities: str | os.PathLike[str] | None = None,
        counties: str | os.PathLike[str] | None = None,
    ) -> KommunResolver:
        """Build from the reference CSV files.

        ``admin_areas``: municipality_code, municipality_name, county_code,
        county_name (``swedish_admin_areas_dnouri.csv``). Optional
        ``municipalities`` (``sjbrg_municipalities.csv``: adds the long
        names) and ``counties`` (``sjbrg_counties.csv``: adds short län
        names such as "Skåne").
        """
        kommuner: list[Kommun] = []
        county_map: dict[str, County] = {}
        for row in _read_csv(admin_areas):
            code = row["municipality_code"].strip().zfill(4)
            county_code = row["county_code"].strip().zfill(2)
            kommuner.append(Kommun(code, row["municipality_name"].strip(), county_code))
            county_map.setdefault(county_code, County(county_code, row["county_name"].strip()))
        resolver = cls(kommuner, county_map.values())
        if municipalities is not None:
            for row in _read_csv(municipalities):
                code = row["municipality_code"].strip().zfill(4)
                kommun = resolver.kommuner.get(code) or Kommun(
                    code,
                    row["municipality_name_short"].strip(),
                    row["county_code"].strip().zfill(2),
                )
                resolver.add_kommun(
                    kommun, row["municipality_name"], row.get("municipality_name_short") or ""
                )
        if counties is not None:
            for row in _read_csv(counties):
                code = row["county_code"].strip().zfill(2)
                county = resolver.counties.get(code) or County(code, row["county_name"].strip())
                resolver.add_county(county, row["county_name"], row.get("county_name_short") or "")
        resolver._refresh_single_kommun_counties()
        return resolver

    # -- lookup -------------------------------------------------------------

    def kommun_code(self, name: str | None) -> str | None:
        """Kommunkod for a kommun name, or ``None``. Never matches a län name."""
        if not name:
            return None
        key = normalise_place_name(name)
        if key in self._kommun_keys:
            return self._kommun_keys[key]
        if key.startswith("region "):  # "Region Gotland"
            key = key[len("region ") :]
            if key in self._kommun_keys:
                return self._kommun_keys[key]
        stem = _strip_suffix(key, _KOMMUN_SUFFIXES)
        for candidate in (stem, _IRREGULAR_GENITIVES.get(stem, "")):
            if candidate in self._kommun_keys:
                return self._kommun_keys[candidate]
        if stem != key and stem.endswith("s") and stem[:-1] in self._kommun_keys:
            # Genitive before "kommun"/"stad": "Göteborgs stad", "Nackas kommun".
            return self._kommun_keys[stem[:-1]]
        return None

    def resolve_county(self, name: str | None) -> str | None:
        """Länskod for a län name ("Stockholms län", "stockholms län", "Skåne län"), or ``None``.

        Short forms without "län" ("Skåne", "Västra Götaland") match when the
        sjbrg county list was loaded, or when they are the stem of a loaded
        name ("Stockholms").
        """
        if not name:
            return None
        key = normalise_place_name(name)
        if key.startswith("region "):
            key = key[len("region ") :]
        if key in self._county_keys:
            return self._county_keys[key]
        stem = _strip_suffix(key, _COUNTY_SUFFIXES)
        if stem in self._county_keys:
            return self._county_keys[stem]
        if stem.endswith("s") and stem[:-1] in self._county_keys:
            return self._county_keys[stem[:-1]]
        if stem + "s" in self._county_keys:  # "Stockholm län"
            return self._county_keys[stem + "s"]
        return None

    def county_of(self, kommun_code: str | None) -> str | None:
        """Länskod of a kommun."""
        kommun = self.kommuner.get(kommun_code or "")
        return kommun.county_code if kommun else None

    def resolve_names(self, location_name: str | None, place_name: str | None) -> Resolution:
        """Resolve from ``location.name`` and the last part of ``name``.

        When the last part of ``name`` is a kommun it decides, even where
        ``location.name`` names another kommun: the heading names the scene
        ("…, Upplands-Bro" with location "Järfälla" happened in Upplands-Bro),
        while the location is sometimes the reporting police station's kommun.
        When only the län is known and that län has a single kommun
        (Gotlands län: Gotland, 0980) the kommun code is returned too, with
        ``how="county"``.
        """
        code = self.kommun_code(location_name)
        named = self.kommun_code(place_name)
        if named is not None and named != code:
            return Resolution(named, "name", self.county_of(named))
        if code is not None:
            return Resolution(code, "location", self.county_of(code))
        county = self.resolve_county(location_name)
        if county is None:
            county = self.resolve_county(place_name)
        if county is not None:
            return Resolution(self._single_kommun.get(county), "county", county)
        return Resolution(None, "unknown", None)

    def resolve(self, event: PoliceEventData) -> tuple[str | None, How]:
        """Return (kommunkod or ``None``, how) for an event.

        how is "location", "name", "county" or "unknown"; see
        :meth:`resolve_names`.
        """
        result = self.resolve_names(event.location_name, event.place_name)
        return result.kommun_code, result.how


def _strip_suffix(key: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def _read_csv(path: str | os.PathLike[str]) -> Iterator[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)
