"""iCalendar (RFC 5545) for a forum's meetings, so that people can subscribe in Outlook.

Written by hand: the format is small, and the parts that matter are exact here – CRLF line
endings, text escaping, folding at 75 octets without splitting a UTF-8 character, a UID that
stays the same for a meeting, and times in UTC (``...Z``) so that no VTIMEZONE is needed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PRODID = "-//Trygg//Samverkan//SV"
LINE_LIMIT = 75  # octets, excluding the CRLF (RFC 5545 3.1)


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    stamp: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


# Control characters other than tab; RFC 5545 allows none of them in a value (3.1).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks are
    escaped; any other control character is dropped, so no value can start a new line."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )
    return _CONTROL.sub("", escaped)


def escape_uri(value: str) -> str:
    """A URI or UID value: no control character and no space can break the content line."""
    return _CONTROL.sub("", value).replace(" ", "%20")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets joined by CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_LIMIT:
        return line
    pieces: list[str] = []
    current = b""
    limit = LINE_LIMIT
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
            limit = LINE_LIMIT - 1  # the leading space of a continuation line counts
        current += octets
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[Event]) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Stockholm",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_uri(event.uid)}",
            f"DTSTAMP:{utc(event.stamp)}",
            f"DTSTART:{utc(event.starts_at)}",
            f"DTEND:{utc(event.ends_at)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{escape_uri(event.url)}")
        lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
