"""Reading a plan för samverkan from Word (.docx): paragraphs and real tables in body order,
turned into the blocks :mod:`trygg.plans.parsing` builds a plan from."""

from __future__ import annotations

import re
from collections.abc import Iterator
from os import PathLike
from typing import IO, Any

from trygg.plans.parsing import (
    _TEXT_BULLET_RE,
    COLUMNS,
    STANDARD_ROLES,
    Cell,
    ParseError,
    PlanDocument,
    _Block,
    _cell_paragraphs,
    _clean,
    _header_roles,
    _Para,
    _PlanBuilder,
    _Row,
    _Table,
)

# Word -----------------------------------------------------------------------------------------


def _iter_body(element: Any) -> Iterator[Any]:
    """Paragraphs and tables of the document body in order, looking inside content controls."""
    from docx.oxml.ns import qn

    for child in element.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _iter_body(content)


def _style_level(paragraph: Any) -> int | None:
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):  # pragma: no cover - broken style references
        name = ""
    name = (name or "").strip()
    if name.casefold() in ("title", "rubrik"):
        return 0
    match = re.fullmatch(r"(?:heading|rubrik)\s*(\d)", name, re.IGNORECASE)
    return int(match[1]) if match else None


def _is_list_paragraph(paragraph: Any) -> bool:
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return True
    try:
        style = paragraph.style
    except (KeyError, ValueError):  # pragma: no cover
        return False
    while style is not None:
        name = (style.name or "").casefold()
        if name.startswith(("list bullet", "list number")):
            return True
        style_p_pr = style.element.pPr
        if style_p_pr is not None and style_p_pr.numPr is not None:
            return True
        style = style.base_style
    return False


def _docx_blocks(document: Any, column_map: dict[str, str] | None = None) -> list[_Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[_Block] = []
    paragraph_count = table_count = 0
    for position, element in enumerate(_iter_body(document.element.body), start=1):
        if element.tag.endswith("}p"):
            paragraph_count += 1
            paragraph = Paragraph(element, document._body)
            location = f"Stycke {paragraph_count}"
            level = _style_level(paragraph)
            is_list = _is_list_paragraph(paragraph)
            for line in paragraph.text.split("\n"):
                text = _clean(line)
                if not text:
                    continue
                match = _TEXT_BULLET_RE.match(text)
                if match and level is None:
                    blocks.append(_Para(_clean(match["text"]), position, location, bullet=True))
                else:
                    bullet = is_list and level is None  # numbered headings are not lists
                    blocks.append(_Para(text, position, location, bullet=bullet, level=level))
            continue
        table_count += 1
        table = Table(element, document._body)
        location = f"Tabell {table_count}"
        rows = list(table.rows)
        header, roles, names = "missing", list(STANDARD_ROLES), list(COLUMNS)
        if rows:
            header, found_roles, found_names = _header_roles(
                [c.text for c in _row_cells(rows[0])], column_map
            )
            if header != "missing":
                roles, names = found_roles, found_names
        block = _Table(position, location, header, roles=roles, names=names)
        for number, row in enumerate(rows, start=1):
            if number == 1 and header != "missing":
                continue
            cells = [_docx_cell(cell) for cell in _row_cells(row)]
            while len(cells) > len(roles) and not cells[-1]:
                cells.pop()
            block.rows.append(_Row(cells, position, f"{location}, rad {number}"))
        blocks.append(block)
    return blocks


def _row_cells(row: Any) -> list[Any]:
    """The cells of a row, each horizontally merged cell once."""
    cells: list[Any] = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def _docx_cell(cell: Any) -> Cell:
    paragraphs: Cell = []
    for paragraph in cell.paragraphs:
        is_list = _is_list_paragraph(paragraph)
        for line in paragraph.text.split("\n"):
            for text, bullet in _cell_paragraphs(line):
                paragraphs.append((text, bullet or is_list))
    return paragraphs


def parse_plan_docx(
    file_or_path: str | PathLike[str] | IO[bytes], column_map: dict[str, str] | None = None
) -> PlanDocument:
    """Parse a *plan för samverkan* from a Word document (.docx).

    The document body is read in order, paragraphs and tables interleaved, and the same rules
    as :func:`parse_plan_text` apply: the title is the paragraph in style "Title" (else as for
    text), focus-area headings are found from the list under "Prioriterade samverkansområden"
    or before "Mål för aktiviteten" (preferring paragraphs in a "Heading" style), falling back
    to "Heading 1" paragraphs followed by activities.  Paragraphs "Aktivitet: …" start
    activities, and real Word tables with the header row Utmaning/Åtgärd/Ansvarig/Status hold
    the measures; the columns may stand in any order and under other known names
    (:data:`COLUMN_SYNONYMS`, e.g. "Ansvar"), and columns with unknown names are named by
    ``column_map`` (else :class:`UnmappedColumns` is raised).  List paragraphs (bullets/numbering) inside cells become list items; each
    paragraph of an Ansvarig cell is split by :func:`parse_responsibles`.

    Problems are located as "Tabell N, rad M" (the header row is row 1) or "Stycke N"; their
    line number is the position of the paragraph or table in the body.
    """
    import docx

    try:
        document = docx.Document(file_or_path)
    except Exception as exc:  # python-docx raises several unrelated types for bad files
        message = f"Filen kunde inte läsas som ett Word-dokument (.docx): {exc}"
        raise ParseError([(0, message)]) from exc
    return _PlanBuilder(_docx_blocks(document, column_map)).build()
