"""One document, three formats: the web page (HTML), PDF (WeasyPrint from the same HTML) and
Word (python-docx).

Swedish municipal form: A4, the organisation's name, the document's title and diarienummer in
the header, the date and "Sida 1 av 4" in the footer, real headings (Word's navigation pane
shows them), tables whose header row repeats on every page, and an appendix "Källor och
beräkningar" that numbers every source the figures refer to.

Charts: the same Vega-Lite spec is drawn by vl-convert, as SVG on the page and in the PDF
and as PNG in Word.
"""

from __future__ import annotations

import base64
import copy
import io
import json
from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from trygg.core.provenance import Figure
from trygg.reports.document import (
    Bullets,
    Chart,
    Document,
    Draft,
    Heading,
    Paragraph,
    Part,
    Table,
)

FORMATS = ("html", "pdf", "docx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# Charts


def _static_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The page's spec with a fixed width (a document has no container to fill)."""
    spec = copy.deepcopy(spec)
    if spec.get("width") == "container":
        spec["width"] = 480
    spec["height"] = min(int(spec.get("height", 200)), 200)
    spec.setdefault("config", {}).setdefault("font", "DejaVu Sans")
    return spec


def _key(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, default=str)


@lru_cache(maxsize=64)
def _svg(key: str) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(_static_spec(json.loads(key)))


@lru_cache(maxsize=64)
def _png(key: str) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(_static_spec(json.loads(key)), scale=2)


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG (the web page). The same spec gives the same drawing, so it is kept."""
    return _svg(_key(spec))


def chart_png(spec: dict[str, Any]) -> bytes:
    """The chart as PNG at twice the size (Word and PDF: a picture prints the same everywhere
    and keeps WeasyPrint from laying out the chart's SVG text)."""
    return _png(_key(spec))


def chart_data_uri(spec: dict[str, Any], *, raster: bool = False) -> str:
    if raster:
        return "data:image/png;base64," + base64.b64encode(chart_png(spec)).decode()
    svg = chart_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# HTML and PDF


def context(document: Document, *, for_print: bool = False) -> dict[str, Any]:
    charts = {
        id(block): chart_data_uri(block.spec)
        for block in document.blocks
        if isinstance(block, Chart)
    }
    return {
        "document": document,
        "blocks": [(block, charts.get(id(block))) for block in document.blocks],
        "for_print": for_print,
    }


def html_body(document: Document) -> str:
    """The document's content, for the web page inside Trygg's layout."""
    return render_to_string("reports/_document.html", context(document))


def html_standalone(document: Document) -> str:
    """The whole document as one HTML file with its print style (what the PDF is made of)."""
    return render_to_string("reports/print.html", context(document, for_print=True))


def pdf(document: Document) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html_standalone(document)).write_pdf()


# Word


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    value = OxmlElement("w:t")
    value.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, value, end):
        run._r.append(element)


def _add_parts(paragraph, parts: list[Part]) -> None:
    for part in parts:
        if isinstance(part, Figure):
            paragraph.add_run(part.text)
            ref = paragraph.add_run(f"[{part.ref}]")
            ref.font.superscript = True
        else:
            paragraph.add_run(part)


def _cell(cell, part: Part, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    _add_parts(paragraph, [part])
    if bold:
        for run in paragraph.runs:
            run.bold = True
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx(document: Document) -> bytes:
    import docx as python_docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    word = python_docx.Document()
    word.core_properties.title = document.title
    word.core_properties.subject = document.subtitle
    word.core_properties.author = document.organisation
    word.core_properties.language = document.language
    word.styles["Normal"].font.name = "Calibri"
    word.styles["Normal"].font.size = Pt(11)

    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)

    header = section.header.paragraphs[0]
    header.text = document.organisation
    header.add_run("\t\t" + document.title)
    if document.diarienummer:
        line = section.header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.add_run(_("Reg. no. %(number)s") % {"number": document.diarienummer})
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{document.date:%Y-%m-%d}\t\t" + _("Page") + " ")
    _field(footer, "PAGE")
    footer.add_run(" " + _("of") + " ")
    _field(footer, "NUMPAGES")

    word.add_heading(document.title, level=0)
    meta = word.add_paragraph()
    meta.add_run(document.organisation).bold = True
    if document.subtitle:
        meta.add_run("\n" + document.subtitle)
    meta.add_run(
        "\n"
        + _("Date: %(date)s") % {"date": f"{document.date:%Y-%m-%d}"}
        + (
            "\n" + _("Reg. no. %(number)s") % {"number": document.diarienummer}
            if document.diarienummer
            else ""
        )
    )

    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(block.level, 4))
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph()
            _add_parts(paragraph, block.parts)
            if block.style == "note":
                for run in paragraph.runs:
                    run.italic = True
        elif isinstance(block, Bullets):
            for item in block.items:
                _add_parts(word.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Table):
            table = word.add_table(rows=1, cols=len(block.columns))
            table.style = "Table Grid"
            _repeat_header(table.rows[0])
            for index, (cell, title) in enumerate(
                zip(table.rows[0].cells, block.columns, strict=False)
            ):
                _cell(cell, title, bold=True, right=index in block.numeric)
            for row in block.rows:
                for index, (cell, part) in enumerate(zip(table.add_row().cells, row, strict=False)):
                    _cell(cell, part, right=index in block.numeric)
            if block.total:
                for index, (cell, part) in enumerate(
                    zip(table.add_row().cells, block.total, strict=False)
                ):
                    _cell(cell, part, bold=True, right=index in block.numeric)
            if block.caption:
                word.add_paragraph(block.caption).runs[0].italic = True
            else:
                word.add_paragraph()
        elif isinstance(block, Chart):
            word.add_paragraph(block.title).runs[0].bold = True
            word.add_picture(io.BytesIO(chart_png(block.spec)), width=Cm(16))
            if block.description:
                word.add_paragraph(block.description).runs[0].italic = True
        elif isinstance(block, Draft):
            word.add_heading(block.title, level=min(block.level, 4))
            if block.text.strip():
                for line in block.text.strip().split("\n"):
                    if line.strip():
                        word.add_paragraph(line.strip())
            else:
                note = word.add_paragraph(_("[To be written]") + " " + block.hint)
                note.runs[0].italic = True

    word.add_heading(_("Sources and calculations"), level=1)
    word.add_paragraph(
        _(
            "Every figure in this document is computed by Trygg from the data below; the number "
            "in brackets after a figure refers to its source. Generated %(when)s."
        )
        % {"when": f"{document.generated_at:%Y-%m-%d %H:%M}"}
    )
    for index, source, figures in document.figures_by_source():
        paragraph = word.add_paragraph()
        paragraph.add_run(f"[{index}] ").bold = True
        paragraph.add_run(source_text(source))
        if figures:
            paragraph.add_run(
                "\n" + _("Figures: %(list)s") % {"list": "; ".join(figure_text(f) for f in figures)}
            )
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def source_text(source) -> str:
    parts = [source.data]
    if source.filters:
        parts.append(_("selection: %(filters)s") % {"filters": source.filters})
    if source.period:
        parts.append(_("period: %(period)s") % {"period": source.period})
    if source.batch:
        parts.append(_("import: %(batch)s") % {"batch": source.batch})
    return "; ".join(parts) + "."


def figure_text(figure: Figure) -> str:
    return f"{figure.label} = {figure.text}"


def render(document: Document, fmt: str) -> bytes:
    if fmt == "html":
        return html_standalone(document).encode()
    if fmt == "pdf":
        return pdf(document)
    if fmt == "docx":
        return docx(document)
    raise ValueError(fmt)
