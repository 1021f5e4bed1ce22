"""Read and write a *plan för samverkan* (plan for cooperation between kommun and polis).

A plan för samverkan is the document in which a Swedish municipality (kommun) and the local
police area (lokalpolisområde) agree on what they will do together to prevent crime.  It has
an introduction (*syfte och bakgrund*), a bulleted list of *prioriterade samverkansområden*
(focus areas), and then one section per focus area with a purpose paragraph, a goal (*mål för
aktiviteten*) and a number of activities (*aktiviteter*).  Each activity has one or more table
rows with the columns *Utmaning* (challenge), *Åtgärd* (measure/action), *Ansvarig*
(responsible parties) and *Status*.

This module is pure Python (no Django, no database).  It turns the plain-text form of such a
plan (:func:`parse_plan_text`) or a Word document (:func:`parse_plan_docx`) into plain
dataclasses (Trygg writes them back to Word in :mod:`trygg.reports.plan_docx`).

Both readers first turn their input into the same sequence of *blocks* (paragraphs and tables)
and then share all structural rules, so a plan reads the same from text and from Word.

Structural problems are collected, not raised one at a time: every problem found is listed in a
single :class:`ParseError` with Swedish messages that point at the line (text) or at the table
and row / paragraph (Word).  Content that is merely ignored (for example free text between two
activity tables) is reported in :attr:`PlanDocument.warnings` instead.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from trygg.plans.columns import ROLE_IGNORE, STANDARD_ROLES, column_key, column_role

__all__ = [
    "KIND_KOMMUN",
    "KIND_OTHER",
    "KIND_POLIS",
    "ActivityData",
    "FocusAreaData",
    "MeasureData",
    "ParseError",
    "PlanDocument",
    "Problem",
    "Responsible",
    "UnmappedColumns",
    "parse_plan_docx",
    "parse_plan_text",
    "parse_responsibles",
]

KIND_KOMMUN = "kommun"
KIND_POLIS = "polis"
KIND_OTHER = "other"

#: The table columns, in order, as they are written in the plan.
COLUMNS = ("Utmaning", "Åtgärd", "Ansvarig", "Status")

#: ``(line, message)``.  ``line`` is the 1-based line number for text input and the 1-based
#: position of the paragraph or table in the document body for Word input; the Swedish message
#: itself starts with a readable location ("Rad 57: …", "Tabell 3, rad 2: …", "Stycke 12: …").
Problem = tuple[int, str]

BULLET = "• "


# --------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsible:
    """One responsible party (*ansvarig*) of a measure.

    ``kind`` is ``"kommun"``, ``"polis"`` or ``"other"``.  ``organisation`` is ``"Kommun"`` or
    ``"Polis"`` for the two recognised organisations, otherwise the party as written (for
    example ``"Fastighetsägare och andra aktörer i området"``).  ``unit`` is the unit or role
    inside the organisation (*enhet/funktion*, e.g. ``"Sociala omsorgsprocessen"``) or ``""``.
    """

    kind: str
    organisation: str
    unit: str = ""

    @property
    def label(self) -> str:
        """The party as one line, ``"Organisation/Unit"`` or ``"Organisation"``."""
        return f"{self.organisation}/{self.unit}" if self.unit else self.organisation


@dataclass
class MeasureData:
    """One row of an activity table: a measure (*åtgärd*) with its challenge (*utmaning*).

    ``action`` is the whole *Åtgärd* cell as plain text; list items in the cell appear in it as
    lines starting with ``"• "`` and are also given on their own, without bullets, in
    ``action_items`` (empty when the cell has no list).  ``challenge`` and ``status`` are plain
    text in the same way.  ``line``/``location`` say where the row starts in the source and
    ``responsible_text`` keeps the *Ansvarig* cell as written; these three fields are not part
    of equality.
    """

    challenge: str
    action: str
    action_items: list[str] = field(default_factory=list)
    responsibles: list[Responsible] = field(default_factory=list)
    status: str = ""
    #: Other columns that are fields of a measure (``target_group``, ``outcome``): only those
    #: the table has.
    fields: dict[str, str] = field(default_factory=dict)
    #: Columns kept as notes, ``(header, text)``; the importer adds them to the action.
    notes: list[tuple[str, str]] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    location: str = field(default="", compare=False)
    responsible_text: str = field(default="", compare=False)


@dataclass
class ActivityData:
    """An activity (*aktivitet*, the heading ``Aktivitet: <title>``) and its measures."""

    title: str
    measures: list[MeasureData] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    location: str = field(default="", compare=False)


@dataclass
class FocusAreaData:
    """A focus area (*prioriterat samverkansområde*).

    ``purpose`` is the text between the heading and *Mål för aktiviteten* (the area's *syfte*),
    ``goal`` the text after it (*mål*).  Paragraphs are separated by a blank line, list items
    by a single newline and start with ``"• "``.
    """

    title: str
    purpose: str = ""
    goal: str = ""
    activities: list[ActivityData] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    location: str = field(default="", compare=False)


@dataclass
class PlanDocument:
    """A whole *plan för samverkan*.

    ``purpose`` is the introduction (*syfte och bakgrund*): the text after the title (or after
    the heading "Syfte och bakgrund") up to the heading "Prioriterade samverkansområden" or the
    first focus area.  ``warnings`` lists text that was ignored and other non-fatal remarks
    (Swedish, same form as :attr:`ParseError.problems`); it is not part of equality.
    """

    title: str
    purpose: str = ""
    focus_areas: list[FocusAreaData] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list, compare=False)

    @property
    def activities(self) -> list[ActivityData]:
        return [a for area in self.focus_areas for a in area.activities]

    @property
    def measures(self) -> list[MeasureData]:
        return [m for a in self.activities for m in a.measures]


class ParseError(ValueError):
    """The plan could not be read.  ``problems`` lists every problem found, in document order,
    as ``(line, message)`` with the message in Swedish (see :data:`Problem`)."""

    def __init__(self, problems: list[Problem]):
        self.problems: list[Problem] = sorted(problems, key=lambda p: p[0])
        super().__init__("\n".join(message for _, message in self.problems))


class UnmappedColumns(ParseError):
    """Tables have columns with names that are not known (*okända kolumner*): the user says
    what they are (a ``column_map`` from :func:`column_key` of the header to a role) and the
    plan is read again.  ``columns`` maps each header to up to three rows under it."""

    def __init__(self, columns: dict[str, list[list[str]]], headers: list[str] | None = None):
        self.columns = columns
        self.headers = headers or list(columns)
        names = ", ".join(f"”{name}”" for name in columns)
        super().__init__([(0, f"Okända kolumner i tabellerna: {names}. Ange vad de är.")])


# --------------------------------------------------------------------------------------------
# Text helpers and patterns
# --------------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_AKTIVITET_RE = re.compile(r"^aktivitet\s*:\s*(?P<title>.*)$", re.IGNORECASE)
_MAL_RE = re.compile(
    r"^mål(?:\s+för\s+(?:aktiviteten|aktiviteterna|aktivitet|samverkansområdet|området))?"
    r"\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_SYFTE_RE = re.compile(r"^syfte(?:\s+och\s+bakgrund)?\s*:?$", re.IGNORECASE)
_AREA_LIST_RE = re.compile(
    r"^(?:de\s+)?prioriterade\s+(?:samverkansområden|samverkansområdena|områden|fokusområden)"
    r"\s*:?$",
    re.IGNORECASE,
)
_TEXT_BULLET_RE = re.compile(r"^\s*[-•*–—]\s+(?P<text>\S.*)$")
_SEPARATOR_RE = re.compile(r"^[\t |:\-–—]+$")
_SENTENCE_END = ".!?:;…"


def _clean(text: str) -> str:
    """Collapse all whitespace (including non-breaking spaces) to single spaces and strip."""
    return _WS_RE.sub(" ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()


def _key(text: str) -> str:
    return _clean(text).rstrip(".:;").strip().casefold()


def _is_heading_like(text: str) -> bool:
    """A line that reads like a heading: short, no closing punctuation, not lower-case first."""
    t = _clean(text)
    return (
        0 < len(t) <= 100
        and len(t.split()) <= 14
        and t[-1] not in _SENTENCE_END + ","
        and not t[0].islower()
        and not _AKTIVITET_RE.match(t)
        and not _MAL_RE.match(t)
        and not _SYFTE_RE.match(t)
        and not _AREA_LIST_RE.match(t)
    )


def _is_broken_paragraph(previous: str, following: str) -> bool:
    """True when ``following`` continues ``previous`` (a sentence broken over two paragraphs,
    like "… i kommunen, vilket" / "innefattar arbete mot …")."""
    return bool(previous) and previous[-1] not in _SENTENCE_END and following[:1].islower()


def _join_paragraphs(paragraphs: list[tuple[str, bool]]) -> str:
    """Join ``(text, is_bullet)`` paragraphs into one text.

    Broken sentences are re-joined with a space; other paragraphs are separated by a blank line;
    consecutive list items by a single newline, each starting with ``"• "``.
    """
    merged: list[tuple[str, bool]] = []
    for text, bullet in paragraphs:
        text = _clean(text)
        if not text:
            continue
        if merged and not bullet and not merged[-1][1]:
            previous = merged[-1][0]
            if _is_broken_paragraph(previous, text):
                merged[-1] = (f"{previous} {text}", False)
                continue
        merged.append((text, bullet))
    out = ""
    for i, (text, bullet) in enumerate(merged):
        if i:
            out += "\n" if bullet and merged[i - 1][1] else "\n\n"
        out += BULLET + text if bullet else text
    return out


def _split_lines(text: str) -> list[tuple[str, bool]]:
    """The inverse of :func:`_join_paragraphs` / :func:`_render_cell`: ``(text, is_bullet)``."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(BULLET.strip()):
            out.append((line[1:].strip(), True))
        else:
            out.append((line, False))
    return out


_HTML_BREAK_RE = re.compile(r"<br\s*/?>|</?(?:p|div|ul|ol)\b[^>]*>|</li\s*>", re.IGNORECASE)
_HTML_LI_RE = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_HTML_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")


def _cell_paragraphs(raw: str) -> list[tuple[str, bool]]:
    """Split the text of a table cell into ``(text, is_bullet)`` paragraphs.

    Handles the HTML lists found in exported plans (``<ul …>• item• item</ul>``, ``<li>``),
    ``<br>``, "•"-separated items and lines starting with "- ".
    """
    text = _HTML_BREAK_RE.sub("\n", raw)
    text = _HTML_LI_RE.sub("\n•", text)
    text = html.unescape(_HTML_TAG_RE.sub(" ", text))
    paragraphs: list[tuple[str, bool]] = []
    for chunk in text.split("\n"):
        lead, *items = chunk.split("•")
        lead = _clean(lead)
        if lead:
            match = _TEXT_BULLET_RE.match(lead)
            paragraphs.append((_clean(match["text"]), True) if match else (lead, False))
        paragraphs.extend((_clean(item), True) for item in items if _clean(item))
    return paragraphs


def _render_cell(paragraphs: list[tuple[str, bool]]) -> str:
    return "\n".join(BULLET + text if bullet else text for text, bullet in paragraphs)


def _merge_cell(first: list[tuple[str, bool]], rest: list[tuple[str, bool]]) -> None:
    """Append a continuation cell to ``first`` (in place), re-joining a broken sentence."""
    if first and rest and not first[-1][1] and not rest[0][1]:
        first[-1] = (f"{first[-1][0]} {rest[0][0]}", False)
        rest = rest[1:]
    first.extend(rest)


# --------------------------------------------------------------------------------------------
# Responsible parties (Ansvarig)
# --------------------------------------------------------------------------------------------

# A party starts at "Kommun", "Kommunen", "Kommunens", "Polis", "Polisen", "Polisens", or at a
# named municipality such as "Nacka kommun" / "Nacka kommuns".
_PARTY_RE = re.compile(
    r"(?<![\wÅÄÖåäöÉé-])"
    r"(?:(?P<kommun>Kommun)(?P<ksuffix>en|ens)?"
    r"|(?P<named>[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?\s+kommun)(?P<nsuffix>s)?"
    r"|(?P<polis>Polis)(?P<psuffix>en|ens)?)"
    r"(?![\wÅÄÖåäöÉé-])"
)
# A word broken by a hyphen at a line end: "Näringslivsdir-ektör".
_BROKEN_WORD_RE = re.compile(r"(?<=[a-zåäöé]{2})-(?=[a-zåäöé])")
# A sentence boundary inside a cell: "Polis. Kommunens valadministration."
_SENTENCE_SPLIT_RE = re.compile(r"[.;]\s+(?=[A-ZÅÄÖ])|;|\n")
_CONJUNCTION_RE = re.compile(r"^(?:och|samt|&)(?:\s+|$)|\s+(?:och|samt|&)$", re.IGNORECASE)


def _tidy_party_text(text: str) -> str:
    text = _clean(text).strip(" ,.;:/")
    previous = None
    while previous != text:
        previous = text
        text = _CONJUNCTION_RE.sub("", text).strip(" ,.;:/")
    return text


def _tidy_unit(text: str) -> str:
    text = re.sub(r"\s*/\s*(?=,)", "", text)
    text = re.sub(r"\s*/\s*", "/", text)
    text = _tidy_party_text(text)
    return text[:1].upper() + text[1:]


def _other_parties(text: str) -> list[Responsible]:
    parties = []
    for part in _SENTENCE_SPLIT_RE.split(text):
        label = _tidy_party_text(part)
        if label:
            parties.append(Responsible(KIND_OTHER, label, ""))
    return parties


def parse_responsibles(text: str) -> list[Responsible]:
    """Split an *Ansvarig* cell into responsible parties.

    Rules (general, not a list of known strings):

    * Words broken by a hyphen are re-joined ("Näringslivsdir-ektör" → "Näringslivsdirektör").
    * A party starts at each of the words *Kommun*, *Kommunen*, *Kommunens*, *Polis*,
      *Polisen*, *Polisens* (capitalised, whole words) or at a named municipality ("Nacka
      kommun").  They become ``("kommun", "Kommun", …)`` / ``("polis", "Polis", …)``.
    * The text up to the next party word belongs to that party: if it starts with "/" it is
      the unit ("Kommun/ Sociala omsorgsprocessen och SSPF samordnare"); after a genitive
      ("Kommunens valadministration") it is the unit too; a stray "/" inside the text also
      makes it the unit ("Kommun Sociala omsorgsprocessen /, SSPF samordnare").  Otherwise
      the text is a separate party of kind ``"other"`` ("Polis Kommun Fastighetsägare och
      andra aktörer i området." → Polis, Kommun, "Fastighetsägare och andra aktörer i
      området").
    * Text before the first party word is one or more ``"other"`` parties ("Partiernas
      Säkerhetsansvariga. Kommun Polis").  A unit text is cut at a sentence boundary; what
      follows is again an ``"other"`` party.
    * Separators (",", ".", "/", "och", "samt") at the ends of labels are dropped, units
      start with a capital letter, and exact duplicates are removed.
    """
    text = _clean(_BROKEN_WORD_RE.sub("", text.replace("\u00ad", "")))
    parties: list[Responsible] = []
    matches = list(_PARTY_RE.finditer(text))
    parties.extend(_other_parties(text[: matches[0].start()] if matches else text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        segment = text[match.end() : end].strip()
        if match["polis"]:
            kind, organisation, genitive = KIND_POLIS, "Polis", match["psuffix"] == "ens"
        else:
            kind, organisation = KIND_KOMMUN, "Kommun"
            genitive = match["ksuffix"] == "ens" or bool(match["nsuffix"])
        unit_text, rest = "", ""
        if segment.startswith("/"):
            unit_text = segment[1:]
        elif genitive or "/" in segment:
            unit_text = segment
        else:
            rest = segment
        if unit_text:
            unit_text, *others = _SENTENCE_SPLIT_RE.split(unit_text, maxsplit=1)
            rest = others[0] if others else ""
        parties.append(Responsible(kind, organisation, _tidy_unit(unit_text)))
        parties.extend(_other_parties(rest))
    unique: list[Responsible] = []
    for party in parties:
        if party not in unique:
            unique.append(party)
    return unique


# --------------------------------------------------------------------------------------------
# Blocks: the common intermediate form of text and Word input
# --------------------------------------------------------------------------------------------

Cell = list[tuple[str, bool]]


@dataclass
class _Para:
    text: str
    line: int
    location: str
    bullet: bool = False
    #: 0 for a title, 1.. for "Heading N"/"Rubrik N" styles (Word only), None otherwise.
    level: int | None = None


@dataclass
class _Row:
    cells: list[Cell]
    line: int
    location: str


@dataclass
class _Table:
    line: int
    location: str
    #: "ok", "missing" (no header row) or "wrong" (header row with other columns)
    header: str
    rows: list[_Row] = field(default_factory=list)
    #: The role of each column (see :data:`ROLES`), "" for a column nobody has named yet.
    roles: list[str] = field(default_factory=lambda: list(STANDARD_ROLES))
    #: The header row as written.
    names: list[str] = field(default_factory=lambda: list(COLUMNS))


_Block = _Para | _Table


def _header_roles(
    texts: list[str], column_map: dict[str, str] | None = None
) -> tuple[str, list[str], list[str]]:
    """``(state, roles, names)`` of a table's first row.

    A row is a header when at least two of its cells are known columns and one is the
    *Åtgärd* column; unknown cells then get the role "" (the user maps them). State "wrong"
    is a header that names one role twice.
    """
    names = [_clean(t) for t in texts]
    while names and not names[-1]:
        names.pop()
    roles = [column_role(n, column_map) if n else ROLE_IGNORE for n in names]
    known = [r for r in roles if r and r != ROLE_IGNORE]
    if "action" not in known or len(known) < 2:
        if [column_key(n) for n in names[:2]] == ["utmaning", "åtgärd"]:
            return "wrong", roles, names
        return "missing", roles, names
    single = [r for r in known if r != "note"]
    if len(single) != len(set(single)):
        return "wrong", roles, names
    return "ok", roles, names


def _text_blocks(text: str, column_map: dict[str, str] | None = None) -> list[_Block]:
    """Turn plain text into blocks.

    Lines containing a tab are table rows; a header line ``Utmaning⇥Åtgärd⇥Ansvarig⇥Status``
    (or other known column names, see :data:`COLUMN_SYNONYMS`) starts a new table; a table
    ends at the next non-empty line without a tab (blank lines do not end it).  Lines made
    only of dashes, tabs and spaces are ignored.
    """
    blocks: list[_Block] = []
    table: _Table | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if _SEPARATOR_RE.match(line) and ("\t" in line or line.count("-") >= 2):
            continue
        location = f"Rad {number}"
        if "\t" in line and not _AKTIVITET_RE.match(line.strip()):
            cells = line.split("\t")
            header, roles, names = _header_roles(cells, column_map)
            if header != "missing":
                table = _Table(number, location, header, roles=roles, names=names)
                blocks.append(table)
                continue
            # A single indented text line outside a table is an ordinary paragraph.
            if table is not None or sum(1 for c in cells if c.strip()) > 1:
                width = len(table.roles) if table is not None else len(COLUMNS)
                while len(cells) > width and not cells[-1].strip():
                    cells.pop()
                if table is None:
                    table = _Table(number, location, "missing")
                    blocks.append(table)
                table.rows.append(_Row([_cell_paragraphs(c) for c in cells], number, location))
                continue
        table = None
        match = _TEXT_BULLET_RE.match(line)
        if match:
            blocks.append(_Para(_clean(match["text"]), number, location, bullet=True))
        else:
            blocks.append(_Para(_clean(line), number, location))
    return blocks


# --------------------------------------------------------------------------------------------
# Structure: shared by text and Word
# --------------------------------------------------------------------------------------------


@dataclass
class _PendingMeasure:
    challenge: Cell
    action: Cell
    responsibles: list[str]
    status: Cell
    line: int
    location: str
    #: Cells of the other named columns: role (target_group, outcome) or "note:Header".
    extra: dict[str, Cell] = field(default_factory=dict)


class _PlanBuilder:
    """Builds a :class:`PlanDocument` from blocks; see :func:`parse_plan_text` for the rules."""

    def __init__(self, blocks: list[_Block]):
        self.blocks = blocks
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        #: Header texts of columns nobody has mapped yet, with a few rows under them.
        self.unmapped: dict[str, list[list[str]]] = {}
        #: The header row of the first table with such columns.
        self.unmapped_headers: list[str] = []

    # -- reporting ---------------------------------------------------------------------------

    def error(self, line: int, location: str, message: str) -> None:
        self.errors.append((line, f"{location}: {message}" if location else message))

    def warn(self, line: int, location: str, message: str) -> None:
        self.warnings.append((line, f"{location}: {message}" if location else message))

    # -- helpers -----------------------------------------------------------------------------

    def para(self, index: int) -> _Para | None:
        block = self.blocks[index]
        return block if isinstance(block, _Para) else None

    def is_structural(self, index: int) -> bool:
        block = self.blocks[index]
        return isinstance(block, _Table) or bool(
            _AKTIVITET_RE.match(block.text) or _MAL_RE.match(block.text)
        )

    # -- document parts ----------------------------------------------------------------------

    def find_title(self) -> int | None:
        for i, block in enumerate(self.blocks):
            if isinstance(block, _Para) and block.level == 0:
                return i
        first = None
        for i, block in enumerate(self.blocks):
            if self.is_structural(i):
                break
            if isinstance(block, _Para) and not block.bullet:
                if first is None:
                    first = i
                if _key(block.text).startswith("plan för samverkan"):
                    return i
        return first

    def find_area_list(self, start: int) -> tuple[int | None, int | None, list[str]]:
        """The "Prioriterade samverkansområden" heading, the last bullet of its list, and the
        listed names."""
        for i in range(start, len(self.blocks)):
            para = self.para(i)
            if para is None or para.bullet or not _AREA_LIST_RE.match(para.text):
                continue
            names: list[str] = []
            end = None
            for j in range(i + 1, len(self.blocks)):
                item = self.para(j)
                if item is None or self.is_structural(j):
                    break
                if item.bullet:
                    names.append(item.text.rstrip(".;:").strip())
                    end = j
                elif names or j - i > 3:
                    break
            return i, end, names
        return None, None, []

    def find_headings(self, after: int, names: list[str]) -> list[int]:
        """Indices of the focus-area headings (see :func:`parse_plan_text`)."""
        headings: set[int] = set()
        name_keys = {_key(n) for n in names}
        if name_keys:
            for i in range(after + 1, len(self.blocks)):
                para = self.para(i)
                if para and not para.bullet and para.level != 0 and _key(para.text) in name_keys:
                    headings.add(i)
        for m in range(after + 1, len(self.blocks)):
            para = self.para(m)
            if para is None or not _MAL_RE.match(para.text):
                continue
            styled = plain = None
            j = m - 1
            while j > after and j not in headings and not self.is_structural(j):
                candidate = self.para(j)
                if candidate and not candidate.bullet and _is_heading_like(candidate.text):
                    if styled is None and candidate.level:
                        styled = j
                    if plain is None:
                        plain = j
                j -= 1
            if j in headings:
                continue
            pick = styled if styled is not None else plain
            if pick is not None:
                headings.add(pick)
        if not headings:
            for i in range(after + 1, len(self.blocks)):
                para = self.para(i)
                if para is None or para.level != 1:
                    continue
                for j in range(i + 1, len(self.blocks)):
                    following = self.para(j)
                    if following is None:
                        continue
                    if following.level in (0, 1):
                        break
                    if _AKTIVITET_RE.match(following.text):
                        headings.add(i)
                        break
        return sorted(headings)

    # -- main --------------------------------------------------------------------------------

    def build(self) -> PlanDocument:
        blocks = self.blocks
        title_index = self.find_title()
        if title_index is None:
            raise ParseError([(0, "Dokumentet är tomt.")])
        title = blocks[title_index].text  # type: ignore[union-attr]
        list_index, list_end, names = self.find_area_list(title_index + 1)
        after = list_end if list_end is not None else title_index
        headings = self.find_headings(after, names)
        first_heading = headings[0] if headings else len(blocks)

        # Introduction (syfte och bakgrund).
        intro_end = min(first_heading, list_index if list_index is not None else len(blocks))
        intro_start = title_index + 1
        for i in range(title_index + 1, intro_end):
            para = self.para(i)
            if para and not para.bullet and _SYFTE_RE.match(para.text):
                intro_start = i + 1
                break
        purpose = _join_paragraphs(
            [(p.text, p.bullet) for i in range(intro_start, intro_end) if (p := self.para(i))]
        )

        if not headings:
            self.error(
                0,
                "",
                "Hittade inga prioriterade samverkansområden. Lista områdena i en punktlista "
                "under rubriken ”Prioriterade samverkansområden” och använd samma namn som "
                "rubriker för avsnitten.",
            )
        for i in range(first_heading):
            block = blocks[i]
            if isinstance(block, _Para) and _AKTIVITET_RE.match(block.text):
                self.error(
                    block.line,
                    block.location,
                    "”Aktivitet:” står före det första samverkansområdet.",
                )
            elif isinstance(block, _Table) and block.header != "missing":
                self.error(block.line, block.location, "tabellen hör inte till någon aktivitet.")

        areas = self.walk(headings)
        found = {_key(a.title) for a in areas}
        for name in names:
            if _key(name) not in found:
                self.warn(
                    blocks[list_index].line,  # type: ignore[index]
                    blocks[list_index].location,  # type: ignore[index]
                    f"samverkansområdet ”{name}” finns i listan men har inget eget avsnitt.",
                )
        if self.unmapped:
            raise UnmappedColumns(self.unmapped, self.unmapped_headers)
        if self.errors:
            raise ParseError(self.errors)
        return PlanDocument(title, purpose, areas, sorted(self.warnings, key=lambda w: w[0]))

    def walk(self, headings: list[int]) -> list[FocusAreaData]:
        areas: list[FocusAreaData] = []
        if not headings:
            return areas
        heading_set = set(headings)
        area: FocusAreaData | None = None
        activity: ActivityData | None = None
        pending: list[_PendingMeasure] = []
        purpose: list[tuple[str, bool]] = []
        goal: list[tuple[str, bool]] = []
        mode = "purpose"

        def finish_activity() -> None:
            nonlocal activity, pending
            if activity is not None:
                activity.measures = self.measures(pending)
                if not activity.measures:
                    self.warn(activity.line, activity.location, "aktiviteten har ingen åtgärd.")
            activity, pending = None, []

        def finish_area() -> None:
            finish_activity()
            if area is not None:
                area.purpose = _join_paragraphs(purpose)
                area.goal = _join_paragraphs(goal)
                if not area.activities:
                    self.warn(area.line, area.location, "samverkansområdet har inga aktiviteter.")

        for i in range(headings[0], len(self.blocks)):
            block = self.blocks[i]
            if i in heading_set:
                finish_area()
                assert isinstance(block, _Para)
                area = FocusAreaData(block.text, line=block.line, location=block.location)
                areas.append(area)
                purpose, goal, mode = [], [], "purpose"
                continue
            assert area is not None
            if isinstance(block, _Table):
                self.table(block, activity, pending)
                if activity is not None:
                    mode = "activity"
                continue
            activity_match = _AKTIVITET_RE.match(block.text)
            goal_match = _MAL_RE.match(block.text)
            if activity_match and not block.bullet:
                finish_activity()
                name = _clean(activity_match["title"])
                if not name:
                    self.error(block.line, block.location, "aktiviteten saknar namn.")
                activity = ActivityData(name, line=block.line, location=block.location)
                area.activities.append(activity)
                mode = "activity"
            elif goal_match and not block.bullet:
                if mode != "purpose":
                    self.error(
                        block.line,
                        block.location,
                        f"”{block.text}” står på fel ställe i samverkansområdet ”{area.title}”. "
                        "Saknas rubriken för ett nytt samverkansområde?",
                    )
                mode = "goal"
                if goal_match["rest"]:
                    goal.append((goal_match["rest"], False))
            elif mode == "purpose":
                if not (purpose == [] and _SYFTE_RE.match(block.text)):
                    purpose.append((block.text, block.bullet))
            elif mode == "goal":
                goal.append((block.text, block.bullet))
            else:
                self.warn(
                    block.line,
                    block.location,
                    f"texten ”{_shorten(block.text)}” står utanför aktivitetens tabell och har "
                    "inte lästs in.",
                )
        finish_area()
        return areas

    def table(
        self, table: _Table, activity: ActivityData | None, pending: list[_PendingMeasure]
    ) -> None:
        if activity is None:
            self.error(
                table.line,
                table.location,
                "tabellen hör inte till någon aktivitet (raden ”Aktivitet: …” saknas före "
                "tabellen).",
            )
            return
        if table.header == "missing":
            self.error(
                table.line,
                table.location,
                "tabellen saknar rubrikraden " + ", ".join(COLUMNS) + ".",
            )
            return
        if table.header == "wrong":
            self.error(
                table.line,
                table.location,
                "tabellens rubrikrad ska vara " + ", ".join(COLUMNS) + ".",
            )
            return
        if not all(table.roles) and not self.unmapped_headers:
            self.unmapped_headers = list(table.names)
        for name, role in zip(table.names, table.roles, strict=True):
            if not role:
                samples = self.unmapped.setdefault(name, [])
                for row in table.rows[: 3 - len(samples)]:
                    samples.append([_render_cell(c) for c in row.cells])
        if any(not role for role in table.roles):
            return
        width = len(table.roles)
        for row in table.rows:
            if not any(row.cells):
                continue
            if len(row.cells) != width:
                self.error(
                    row.line,
                    row.location,
                    f"raden har {len(row.cells)} kolumner, väntade {width} "
                    f"({', '.join(table.names)}).",
                )
                continue
            cells: dict[str, Cell] = {}
            for name, role, cell in zip(table.names, table.roles, row.cells, strict=True):
                if role == ROLE_IGNORE:
                    continue
                key = f"note:{name}" if role == "note" else role
                cells[key] = cells.get(key, []) + list(cell)
            challenge = cells.pop("challenge", [])
            action = cells.pop("action", [])
            responsible_text = _render_cell(cells.pop("responsibles", []))
            status = cells.pop("status", [])
            if not challenge and "challenge" in table.roles:
                # Continuation of the previous row (a row broken over a page in the source).
                if not pending:
                    self.error(
                        row.line,
                        row.location,
                        "raden saknar Utmaning och det finns ingen rad före den att fortsätta.",
                    )
                    continue
                previous = pending[-1]
                _merge_cell(previous.action, action)
                _merge_cell(previous.status, status)
                for key, cell in cells.items():
                    _merge_cell(previous.extra.setdefault(key, []), cell)
                if responsible_text:
                    previous.responsibles.append(responsible_text)
                continue
            pending.append(
                _PendingMeasure(
                    list(challenge),
                    list(action),
                    [responsible_text] if responsible_text else [],
                    list(status),
                    row.line,
                    row.location,
                    cells,
                )
            )

    def measures(self, pending: list[_PendingMeasure]) -> list[MeasureData]:
        out = []
        for p in pending:
            if not p.action:
                self.error(p.line, p.location, "raden saknar Åtgärd.")
                continue
            responsibles: list[Responsible] = []
            for text in p.responsibles:
                for line in text.split("\n"):
                    for party in parse_responsibles(line.removeprefix(BULLET)):
                        if party not in responsibles:
                            responsibles.append(party)
            if not responsibles:
                self.warn(p.line, p.location, "raden saknar Ansvarig.")
            fields = {key: _render_cell(cell) for key, cell in p.extra.items() if ":" not in key}
            notes = [
                (key.split(":", 1)[1], _render_cell(cell))
                for key, cell in p.extra.items()
                if key.startswith("note:") and cell
            ]
            out.append(
                MeasureData(
                    challenge=_render_cell(p.challenge),
                    action=_render_cell(p.action),
                    action_items=[text for text, bullet in p.action if bullet],
                    responsibles=responsibles,
                    status=_render_cell(p.status),
                    fields=fields,
                    notes=notes,
                    line=p.line,
                    location=p.location,
                    responsible_text="\n".join(p.responsibles),
                )
            )
        return out


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# Public readers
# --------------------------------------------------------------------------------------------


def parse_plan_text(text: str, column_map: dict[str, str] | None = None) -> PlanDocument:
    """Parse the plain-text form of a *plan för samverkan*.

    Layout, in order:

    * **Title** (*rubrik*): the first line starting with "Plan för samverkan" before the first
      activity, otherwise the first line.  Lines before it ("Bilaga 3: …") are ignored.
    * **Introduction** (*syfte och bakgrund*, :attr:`PlanDocument.purpose`): the lines after the
      title, or after a heading "Syfte och bakgrund" if there is one, up to the heading
      "Prioriterade samverkansområden" (or the first focus area when that heading is missing).
    * **List of focus areas**: the bulleted list ("- …" or "• …") under the heading
      "Prioriterade samverkansområden".  Text between the list and the first focus area is
      ignored.
    * **Focus areas** (*prioriterade samverkansområden*).  A line is the heading of a focus area
      when, after that list,

      1. it equals one of the listed names (ignoring case and a trailing period), or
      2. it is the last heading-like line (short, no closing punctuation, not starting in lower
         case) before a "Mål för aktivitet(en)" line, with no activity, table, goal line or
         other heading in between.  This catches headings that differ from the list and plans
         that have no list.
      3. Only if neither rule finds anything: Word paragraphs in style "Heading 1" that are
         followed by an "Aktivitet:" line before the next "Heading 1".

      The lines after the heading up to "Mål för aktivitet(en)" are the purpose (*syfte*; an
      optional label line "Syfte" is skipped), the lines after it up to the first
      "Aktivitet:" are the goal (*mål*).  A paragraph that ends without punctuation and is
      followed by one starting in lower case is one sentence broken in two and is re-joined.
    * **Activities** (*aktiviteter*): lines ``Aktivitet: <title>``.
    * **Tables**: a header line ``Utmaning⇥Åtgärd⇥Ansvarig⇥Status`` followed by tab-separated
      rows, one measure (*åtgärd*) per row.  An activity may have several tables.  A row whose
      first cell (Utmaning) is empty continues the row before it: its Åtgärd and Status texts
      are appended with a space and its Ansvarig parties are added.  Lines made only of dashes
      and tabs are ignored.  Cells may hold HTML lists (``<ul>• a• b</ul>``); Ansvarig cells
      are split by :func:`parse_responsibles`.

    Raises :class:`ParseError` listing every problem (wrong number of cells, an activity before
    the first focus area, a table without an activity or header row, a row without Åtgärd, …).
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _PlanBuilder(_text_blocks(text, column_map)).build()


# The Word reader (its own module; re-exported here).
from trygg.plans.docx_reader import parse_plan_docx as parse_plan_docx  # noqa: E402
