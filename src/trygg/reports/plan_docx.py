"""A plan in the Word layout that :func:`trygg.plans.parsing.parse_plan_docx` reads: the
exchange format of a plan för samverkan (export, edit in Word, import again).

The plan as a decided document (diarienummer, decision, period, roll-up, targets with their
outcomes) is the ``plan`` kind of :mod:`trygg.reports.kinds`.
"""

from __future__ import annotations

import io
from os import PathLike
from typing import IO, Any

from trygg.plans.parsing import BULLET, COLUMNS, MeasureData, PlanDocument, _split_lines


def plan_exchange_docx(user, plan) -> bytes:
    """The plan as the user may see it, in the importable Word layout."""
    from trygg.plans.selectors import plan_document

    return write_plan_docx(plan_document(user, plan)).getvalue()


def _add_lines(container: Any, text: str, first: Any = None) -> None:
    """Add the lines of ``text`` as paragraphs (``"• "`` lines as bullets) to ``container``."""
    for line, bullet in _split_lines(text):
        style = "List Bullet" if bullet else None
        if first is not None:
            first.text = line
            if style:
                first.style = style
            first = None
        else:
            container.add_paragraph(line, style=style)


def _action_text(measure: MeasureData) -> str:
    lines = measure.action.split("\n")
    if measure.action_items and not any(line.startswith(BULLET) for line in lines):
        lines += [BULLET + item for item in measure.action_items]
    return "\n".join(lines)


def write_plan_docx(
    doc: PlanDocument, path_or_stream: str | PathLike[str] | IO[bytes] | None = None
) -> Any:
    """Write ``doc`` as a Word document and return ``path_or_stream``.

    Layout: title (style "Title"), "Syfte och bakgrund" with the introduction, "Prioriterade
    samverkansområden" with a bulleted list of the areas, then per focus area a "Heading 1",
    "Syfte" and "Mål för aktiviteten" (style "Heading 3") with their text, per activity a
    "Heading 2" ``Aktivitet: <title>`` and a table with a bold, repeating header row
    Utmaning/Åtgärd/Ansvarig/Status and one row per measure (list items as bullet paragraphs,
    one responsible party per line as ``Organisation/Unit``).  When ``path_or_stream`` is
    None a new :class:`io.BytesIO` is written and returned (positioned at the start).  The
    result reads back with :func:`parse_plan_docx` to an equal :class:`PlanDocument`.
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = docx.Document()
    document.core_properties.title = doc.title
    document.add_heading(doc.title, level=0)
    if doc.purpose:
        document.add_heading("Syfte och bakgrund", level=1)
        _add_lines(document, doc.purpose)
    document.add_heading("Prioriterade samverkansområden", level=1)
    for area in doc.focus_areas:
        document.add_paragraph(area.title, style="List Bullet")

    widths = (Cm(5), Cm(6), Cm(4), Cm(2.5))
    for area in doc.focus_areas:
        document.add_heading(area.title, level=1)
        if area.purpose:
            document.add_heading("Syfte", level=3)
            _add_lines(document, area.purpose)
        if area.goal:
            document.add_heading("Mål för aktiviteten", level=3)
            _add_lines(document, area.goal)
        for activity in area.activities:
            document.add_heading(f"Aktivitet: {activity.title}", level=2)
            if not activity.measures:
                continue
            table = document.add_table(rows=1, cols=len(COLUMNS))
            table.style = "Table Grid"
            header = table.rows[0]
            tr_pr = header._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
            for cell, title in zip(header.cells, COLUMNS, strict=True):
                cell.paragraphs[0].add_run(title).bold = True
            for measure in activity.measures:
                cells = table.add_row().cells
                texts = (
                    measure.challenge,
                    _action_text(measure),
                    "\n".join(r.label for r in measure.responsibles),
                    measure.status,
                )
                for cell, text in zip(cells, texts, strict=True):
                    _add_lines(cell, text, first=cell.paragraphs[0])
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = width

    if path_or_stream is None:
        stream = io.BytesIO()
        document.save(stream)
        stream.seek(0)
        return stream
    document.save(path_or_stream)
    return path_or_stream
