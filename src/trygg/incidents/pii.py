"""Find personal data in free text ("personuppgifter i fritext").

A description of an incident ("händelserapport") must not identify a person.
:func:`find_personal_data` scans a text for four kinds of personal data and
returns one :class:`Finding` per occurrence:

``"personnummer"``
    Ten or twelve digits, with or without the century, with or without a
    separator: ``811218-9876``, ``8112189876``, ``19811218-9876``,
    ``198112189876``; ``+`` instead of ``-`` (people aged 100 or more) is
    accepted too, as are the dashes word processors substitute for ``-``.
    The date must exist (month 1–12, day valid for that month) and the last
    digit must be the Luhn check digit over the ten-digit form. A ten-digit
    number that fails the Luhn check is *not* a personnummer. A twelve-digit
    form must start with century 18, 19 or 20.
``"samordningsnummer"``
    As a personnummer, but with 60 added to the day (day 61–91).
``"telefonnummer"``
    Swedish phone numbers: ``070-123 45 67``, ``070 123 45 67``,
    ``08-123 456 78``, ``031-12 34 56``, ``+46 70 123 45 67``,
    ``0046 70 123 45 67``, ``+46 (0)70-123 45 67``, ``+46701234567`` and a
    bare ``0701234567``. See "Telephone numbers" below for the rules.
``"e-post"``
    An e-mail address (``namn@example.se``).

Telephone numbers
-----------------
A candidate starts with the trunk prefix ``0`` followed by a non-zero digit,
or with ``+46``/``0046``; it continues with digit groups separated by single
spaces, at most one dash (for the area code) and nothing else. The national
significant number (without ``0`` or ``+46``) must have 7–9 digits.

* Written **without any separator** after a ``0`` (``0701234567``,
  ``0812345678``) the number must be *exactly ten digits* to count: short
  unseparated strings starting with 0 are too often something else.
* A string that is both a valid personnummer and phone-shaped (a bare
  ``07…`` number that happens to pass the date and Luhn checks) is reported
  once, as a personnummer: personnummer findings take precedence. So a
  ten-digit string starting with ``07`` that *fails* Luhn is a phone number,
  one that passes is a personnummer; either way the text is refused.
* Numbers that do not start with ``0``, ``+46`` or ``0046`` are never phone
  numbers, so ``8112189875`` (ten digits, failing Luhn) is no finding at all.
* Dates (``2024-03-25``), times (``08.30``, ``08:30``) and amounts
  (``1 250 kr``) are not flagged: a candidate may not be glued to a
  preceding digit, letter, ``-``, ``.``, ``,`` or ``/``; dots and colons
  never separate phone groups; only one dash is allowed, right after an area
  code of 1–3 digits (so ``05-03-2024`` and ``011218-9876`` are not phone
  numbers); and the digit-count rules exclude short fragments.
  A date written day first with spaces (``05 12 2024``) is a known,
  accepted false positive.

Findings never contain the matched text itself (so a ``repr`` in a log does
not leak it): they carry the span, a masked form that keeps only the first
two digits (``19XXXXXX-XXXX``, ``07X-XXX XX XX``) or the first letter of an
e-mail address (``a***@example.se``) and a Swedish explanation from
:data:`MESSAGES`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = [
    "KIND_EMAIL",
    "KIND_PERSONNUMMER",
    "KIND_PHONE",
    "KIND_SAMORDNINGSNUMMER",
    "MESSAGES",
    "Finding",
    "contains_personal_data",
    "find_personal_data",
    "find_possible_personal_data",
    "is_valid_personnummer",
    "luhn_check_digit",
]

KIND_PERSONNUMMER = "personnummer"
KIND_SAMORDNINGSNUMMER = "samordningsnummer"
KIND_PHONE = "telefonnummer"
KIND_EMAIL = "e-post"

#: Swedish explanations, one per kind; ``{masked}`` is the masked match.
MESSAGES: dict[str, str] = {
    KIND_PERSONNUMMER: (
        "Texten ser ut att innehålla ett personnummer ({masked}). "
        "Skriv inte personuppgifter i en händelserapport."
    ),
    KIND_SAMORDNINGSNUMMER: (
        "Texten ser ut att innehålla ett samordningsnummer ({masked}). "
        "Skriv inte personuppgifter i en händelserapport."
    ),
    KIND_PHONE: (
        "Texten ser ut att innehålla ett telefonnummer ({masked}). "
        "Skriv inte personuppgifter i en händelserapport."
    ),
    KIND_EMAIL: (
        "Texten ser ut att innehålla en e-postadress ({masked}). "
        "Skriv inte personuppgifter i en händelserapport."
    ),
    "namn": (
        "Texten kan innehålla ett namn ({masked}). Kontrollera att ingen person kan identifieras."
    ),
    "adress": (
        "Texten kan innehålla en bostadsadress ({masked}). "
        "Kontrollera att ingen person kan identifieras."
    ),
    "registreringsnummer": (
        "Texten kan innehålla ett registreringsnummer ({masked}). "
        "Kontrollera att ingen person kan identifieras."
    ),
}

_DIGIT_OR_AT_RE = re.compile(r"[0-9@]")
_DIGIT_RE = re.compile(r"[0-9]")

# "-" and the characters word processors and phones put in its place.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2212"
# Spaces that may separate digit groups: space, no-break space, narrow no-break space.
_SPACES = " \u00a0\u202f"


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence of personal data ("personuppgift") in a text.

    ``start``/``end`` index the original text (``text[start:end]`` is the
    match); ``masked`` is safe to show and log; ``message`` is the Swedish
    explanation for the user.
    """

    kind: str
    start: int
    end: int
    masked: str
    message: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def luhn_check_digit(digits: str) -> int:
    """Return the Luhn check digit ("kontrollsiffra") for a string of digits.

    For a personnummer pass the first nine digits of the ten-digit form
    (YYMMDDNNN).
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError("digits must be a non-empty string of ASCII digits")
    total = 0
    # The rightmost digit of the payload is doubled (the check digit follows it).
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


# A date written as YYMMDD or in pairs "YY MM DD"; the separator before the last four digits may
# be a dash, a plus, spaces, or a dash with spaces around it ("811218 9876", "81 12 18-9876").
_S = f"[{_SPACES}]"
_DATE6 = rf"[0-9]{{6}}|[0-9]{{2}}{_S}[0-9]{{2}}{_S}[0-9]{{2}}"
_PNR_SEP = rf"{_S}?[+{_DASHES}]?{_S}?"
_PNR_RE = re.compile(
    rf"""
    (?<![0-9])
    (?:
        (?P<century>[0-9]{{2}})(?P<date12>[0-9]{{6}}){_PNR_SEP}(?P<tail12>[0-9]{{4}})
      | (?P<date10>{_DATE6}){_PNR_SEP}(?P<tail10>[0-9]{{4}})
    )
    (?![0-9])
    """,
    re.VERBOSE,
)
_NOT_DIGIT_RE = re.compile("[^0-9]")

_CENTURIES = (18, 19, 20)


def _classify_pnr(century: int | None, date6: str, tail4: str) -> str | None:
    """Return the kind of identity number, or None if the digits are not one."""
    if century is not None and century not in _CENTURIES:
        return None
    yy, month, day = int(date6[0:2]), int(date6[2:4]), int(date6[4:6])
    kind = KIND_PERSONNUMMER
    if day > 60:
        kind = KIND_SAMORDNINGSNUMMER
        day -= 60
    if not 1 <= month <= 12 or day < 1:
        return None
    years = [century * 100 + yy] if century is not None else [c * 100 + yy for c in _CENTURIES]
    if not any(day <= calendar.monthrange(year, month)[1] for year in years):
        return None
    if luhn_check_digit(date6 + tail4[:3]) != int(tail4[3]):
        return None
    return kind


def is_valid_personnummer(text: str) -> bool:
    """True if ``text`` is exactly one valid personnummer or samordningsnummer.

    Accepts the same forms as :func:`find_personal_data`, surrounding
    whitespace allowed.
    """
    match = _PNR_RE.fullmatch(text.strip())
    return match is not None and _pnr_kind(match) is not None


def _pnr_kind(match: re.Match[str]) -> str | None:
    if match.group("date12") is not None:
        return _classify_pnr(int(match["century"]), match["date12"], match["tail12"])
    return _classify_pnr(None, _NOT_DIGIT_RE.sub("", match["date10"]), match["tail10"])


_PHONE_RE = re.compile(
    rf"""
    (?<![0-9A-Za-z_+{_DASHES}/.,])
    (?P<prefix>
        (?:\+|00)46[{_SPACES}]?(?:\(0\)[{_SPACES}]?)?
      | 0
    )
    (?P<rest>
        [1-9][0-9]*
        (?:
            (?:[{_SPACES}]?[{_DASHES}][{_SPACES}]?|[{_SPACES}])
            [0-9]+
        )*
    )
    (?![0-9])
    """,
    re.VERBOSE,
)
_GROUP_SPLIT_RE = re.compile(rf"([{_SPACES}]?[{_DASHES}][{_SPACES}]?|[{_SPACES}])")
_DASH_RE = re.compile(f"[{_DASHES}]")


def _phone_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Validate a phone candidate; return the span of the phone number or None.

    Trailing digit groups are dropped one by one if the whole candidate has too
    many digits ("ring 070-123 45 67 12 gånger" → the number without "12").
    """
    international = match["prefix"] != "0"
    rest_start = match.start("rest")
    parts = _GROUP_SPLIT_RE.split(match["rest"])
    groups = parts[0::2]
    separators = parts[1::2]
    if any(_DASH_RE.search(sep) for sep in separators[1:]):
        # The only dash allowed separates the area code from the rest, so
        # "05-03-2024" (a date) is no phone number.
        return None
    if separators and _DASH_RE.search(separators[0]) and len(groups[0]) > 3:
        # Area codes are 1-3 digits after the 0: "011218-9876" is no phone number.
        return None
    for count in range(len(groups), 0, -1):
        used_groups = groups[:count]
        digits = "".join(used_groups)
        if count == 1 and not international and len(digits) + 1 != 10:
            # Unseparated national numbers must be exactly ten digits.
            continue
        if 7 <= len(digits) <= 9:
            end = rest_start + sum(len(g) for g in used_groups)
            end += sum(len(s) for s in separators[: count - 1])
            return (match.start(), end)
    return None


_EMAIL_RE = re.compile(
    r"""
    (?<![\w.%+\-])
    [\w%+\-]+(?:\.[\w%+\-]+)*
    @
    (?:[^\W_](?:[\w\-]*[^\W_])?\.)+
    [^\W\d_]{2,}
    (?![\w\-])
    """,
    re.VERBOSE,
)


def _mask_digits(text: str, keep: int = 2) -> str:
    """Keep the first ``keep`` digits, replace later digits by X, keep the rest."""
    out = []
    seen = 0
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep else "X")
        else:
            out.append(char)
    return "".join(out)


def _mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    return f"{local[0]}***@{domain}"


def _finding(kind: str, start: int, end: int, masked: str) -> Finding:
    return Finding(
        kind=kind, start=start, end=end, masked=masked, message=MESSAGES[kind].format(masked=masked)
    )


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def find_personal_data(text: str) -> list[Finding]:
    """Return the personal data found in ``text``, ordered by position.

    Order of precedence for overlapping matches: e-mail address, then
    personnummer/samordningsnummer, then phone number. An empty list means
    nothing was found.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if not _DIGIT_OR_AT_RE.search(text):
        return []  # every kind needs a digit or an "@": most free text is done here
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    for match in _EMAIL_RE.finditer(text):
        findings.append(
            _finding(KIND_EMAIL, match.start(), match.end(), _mask_email(match.group()))
        )
        taken.append(match.span())

    for match in _PNR_RE.finditer(text):
        kind = _pnr_kind(match)
        if kind is None or _overlaps(match.start(), match.end(), taken):
            continue
        findings.append(_finding(kind, match.start(), match.end(), _mask_digits(match.group())))
        taken.append(match.span())

    for match in _PHONE_RE.finditer(text):
        span = _phone_span(match)
        if span is None or _overlaps(*span, taken):
            continue
        start, end = span
        number = text[start:end]
        keep = 4 if number.startswith("0046") else 2  # keep the country code visible
        findings.append(_finding(KIND_PHONE, start, end, _mask_digits(number, keep)))
        taken.append(span)

    findings.sort(key=lambda finding: finding.start)
    return findings


def contains_personal_data(text: str) -> bool:
    """True if :func:`find_personal_data` finds anything in ``text``."""
    return bool(find_personal_data(text))


# Warnings ("varningar"): data that is likely, but not surely, personal. A text holding one is
# not refused; the reporter is asked to look again. Names come from the lists of common Swedish
# first names and surnames that the Faker package ships for sv_SE.

KIND_NAME = "namn"
KIND_ADDRESS = "adress"
KIND_REGISTRATION = "registreringsnummer"

WARNING_KINDS = (KIND_NAME, KIND_ADDRESS, KIND_REGISTRATION)

# First names that are also ordinary Swedish words ("per år", "hans bil", "en björn"): they count
# as a name only when a surname follows.
_NAME_WORDS = frozenset(
    [
        "Alla",
        "Alva",
        "Axel",
        "Bo",
        "Björn",
        "Dag",
        "Frost",
        "Hans",
        "Klara",
        "Lo",
        "Liv",
        "Maj",
        "Max",
        "Mina",
        "Per",
        "Ros",
        "Rosa",
        "Siv",
        "Sol",
        "Sten",
        "Stig",
        "Storm",
        "Tor",
        "Vide",
        "Vera",
        "Ask",
        "Bris",
        "Ull",
        "Viktoria",
        "Linnea",
        "Ronja",
        "Iris",
        "Hugo",
        "Elias",
        "Juni",
        "Juli",
        "Augusti",
        "Saga",
        "Malm",
        "Berg",
        "Asp",
        "Alm",
        "Björk",
        "Lind",
        "Sjö",
        "Holm",
        "Ström",
        "Dahl",
    ]
)
# Surname endings that mark a Swedish surname even when it is not in the list.
_SURNAME_ENDINGS = (
    "sson",
    "son",
    "berg",
    "ström",
    "lund",
    "qvist",
    "kvist",
    "gren",
    "din",
    "ander",
)
# Place words that follow a name in street and place names ("Erik Dahlbergsgatan", "Olof Palmes
# plats"): a name followed by one of them is a place, not a person.
_STREET_SUFFIXES = (
    "gatan|gata|vägen|väg|gränd|gränden|stigen|stig|backen|backe|torget|torg|allén|allé|"
    "plan|leden|led|stråket|gången|slingan|platsen|plats|parken|park|kajen|skolan|hallen|"
    "badet|centrum|huset|bron|tunneln|terrassen|esplanaden|promenaden|udden|hamnen"
)
_STREET_RE = re.compile(
    rf"""
    (?<![\w])
    (?P<street>[A-ZÅÄÖÉ][\wåäöéü\-]*(?:{_STREET_SUFFIXES})
      |[A-ZÅÄÖÉ][\wåäöéü\-]*[ ](?:{_STREET_SUFFIXES}))
    [ ](?P<number>[0-9]{{1,4}}(?:[ ]?[A-Za-z](?![\wåäö]))?)(?![0-9])
    (?P<flat>,?[ ]*(?:lgh|lägenhet)[ ]*[0-9]{{1,5}})?
    """,
    re.VERBOSE,
)
# A Swedish registration number: three letters and three characters, the last of which may be a
# letter ("ABC 123", "XYZ12A"). I, Q, V, Å, Ä and Ö are never used in the letters.
_REGISTRATION_RE = re.compile(
    r"(?<![\wÅÄÖåäö])(?P<letters>[A-HJ-PR-UW-Z]{3})[ ]?(?P<digits>[0-9]{2}[0-9A-HJ-NP-UW-Z])(?![\wÅÄÖåäö/])"
)
_WORD_RE = re.compile(r"[A-ZÅÄÖÉ][a-zåäöéüè]+(?:-[A-ZÅÄÖÉ][a-zåäöéüè]+)?")


def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    from faker.providers.person.sv_SE import Provider

    first = frozenset(Provider.first_names_female) | frozenset(Provider.first_names_male)
    return first, frozenset(Provider.last_names)


_NAMES: tuple[frozenset[str], frozenset[str]] | None = None


def _names() -> tuple[frozenset[str], frozenset[str]]:
    global _NAMES
    if _NAMES is None:
        _NAMES = _name_lists()
    return _NAMES


def _is_surname(word: str, surnames: frozenset[str]) -> bool:
    return word in surnames or (len(word) > 4 and word.lower().endswith(_SURNAME_ENDINGS))


def _name_findings(text: str, taken: list[tuple[int, int]]) -> list[Finding]:
    first_names, surnames = _names()
    words = list(_WORD_RE.finditer(text))
    findings = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        adjacent = following is not None and text[word.end() : following.start()] == " "
        if word.group() in first_names and adjacent and _is_surname(following.group(), surnames):
            start, end = word.start(), following.end()
            index += 2
        elif word.group() in first_names and word.group() not in _NAME_WORDS:
            start, end = word.span()
            index += 1
        else:
            index += 1
            continue
        if _names_a_place(text[end : end + 40]) or _overlaps(start, end, taken):
            continue
        findings.append(_finding(KIND_NAME, start, end, text[start] + "…"))
    return findings


_PLACE_AFTER_NAME_RE = re.compile(
    rf"[ ]?(?:[\w\-]*(?:{_STREET_SUFFIXES})\b|[\w\-]+[ ](?:{_STREET_SUFFIXES})\b)", re.IGNORECASE
)


def _names_a_place(following: str) -> bool:
    """Whether the words after a name make it a street or place name ("Erik Dahlbergsgatan")."""
    return _PLACE_AFTER_NAME_RE.match(following) is not None


def find_possible_personal_data(text: str) -> list[Finding]:
    """Return what is likely personal data in ``text``: names, street addresses, registration numbers.

    These are warnings, not refusals: a name may be a street's, and "ABC 123" a part number.
    Personal data that :func:`find_personal_data` finds is not repeated here.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    taken = [finding.span for finding in find_personal_data(text)]
    findings: list[Finding] = []
    if _DIGIT_RE.search(text):  # a street address and a registration number hold digits
        findings.extend(_numbered_findings(text, taken))
    findings.extend(_name_findings(text, taken))
    findings.sort(key=lambda finding: finding.start)
    return findings


def _numbered_findings(text: str, taken: list[tuple[int, int]]) -> list[Finding]:
    findings: list[Finding] = []
    for match in _STREET_RE.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        masked = f"{match['street']} {_mask_digits(match['number'], 0)}"
        findings.append(_finding(KIND_ADDRESS, match.start(), match.end(), masked))
        taken.append(match.span())
    for match in _REGISTRATION_RE.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        findings.append(_finding(KIND_REGISTRATION, *match.span(), match["letters"][0] + "XX XXX"))
        taken.append(match.span())
    return findings
