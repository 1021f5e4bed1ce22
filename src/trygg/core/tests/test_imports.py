"""The import kit: one table reader for CSV and XLSX, zip checks before parsing, one refusal."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from trygg.core.imports import (
    ImportRejected,
    Problem,
    check_zip,
    read_table,
    sniff_delimiter,
)

# ---------------------------------------------------------------------------
# Files built here, as an attacker would
# ---------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx_with_sheet(chunks, *, prologue: str = "", dimension: str = "") -> bytes:
    """A minimal workbook whose first sheet's XML is written from ``chunks`` (streamed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    + prologue
                    + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    'main">'
                    + (f'<dimension ref="{dimension}"/>' if dimension else "")
                    + "<sheetData>"
                ).encode()
            )
            for chunk in chunks:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def big_sheet_rows(count: int):
    rng = random.Random(8)
    for start in range(1, count + 1, 10_000):
        yield "".join(
            f"<row><c><v>{rng.randint(0, 10**6)}</v></c></row>"
            for _n in range(start, min(start + 10_000, count + 1))
        )


def docx_bomb(unpacked_mb: int = 400) -> bytes:
    """A Word file whose document.xml is ``unpacked_mb`` MB of XML, a few MB packed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"/>',
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body>')
            block = b"<w:p><w:r><w:t>Trygg</w:t></w:r></w:p>" * (1024 * 1024 // 38)
            for _ in range(unpacked_mb):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def codes(error: ImportRejected) -> list[str]:
    return [p.message.code for p in error.problems]


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_it_reads_swedish_excel_csv_with_bom_and_semicolons():
    data = '\ufeffOmråde;Antal;Text\r\nÄlta;3;"a;b"\r\n'.encode()
    assert read_table("fil.csv", data) == [["Område", "Antal", "Text"], ["Älta", "3", "a;b"]]


def test_it_reads_windows_1252():
    data = "Område;Värde\r\nÄlta;1\r\n".encode("cp1252")
    assert read_table("fil.csv", data)[1] == ["Älta", "1"]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("a;b;c", ";"),
        ("a,b,c", ","),
        ("a\tb\tc", "\t"),
        ('"x;y",b,c', ","),  # separators inside quotes do not count
        ("enda", ";"),
    ],
)
def test_it_sniffs_the_separator_from_the_header(header, expected):
    assert sniff_delimiter(header) == expected


def test_it_removes_control_characters_from_cells():
    data = b"a;b\r\nx\x0by;z\x07\r\n"
    assert read_table("fil.csv", data)[1] == ["xy", "z"]


def test_it_refuses_random_bytes_with_a_reason():
    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(4000))
    with pytest.raises(ImportRejected) as raised:
        read_table("fil.csv", data)
    assert codes(raised.value)[0] in {"binary", "encoding", "csv"}


def test_it_refuses_a_ten_megabyte_line():
    data = b"a;b\r\n" + b"x" * (10 * 1024 * 1024) + b";y\r\n"
    with pytest.raises(ImportRejected) as raised:
        read_table("fil.csv", data)
    assert codes(raised.value) == ["cell_too_long"]
    assert raised.value.problems[0].row == 2


def test_it_stops_reading_csv_at_the_row_limit():
    data = b"a\r\n" + b"1\r\n" * 50
    with pytest.raises(ImportRejected) as raised:
        read_table("fil.csv", data, max_rows=11)
    assert codes(raised.value) == ["too_many_rows"]
    assert "10" in raised.value.messages[0]


def test_messages_are_translated_when_shown():
    with pytest.raises(ImportRejected) as raised:
        read_table("fil.csv", b"")
    with translation.override("en"):
        assert raised.value.messages == ["The file is empty."]
    with translation.override("sv"):
        assert raised.value.messages == ["Filen är tom."]


def test_a_problem_has_a_row_a_column_and_a_message():
    error = ImportRejected([Problem(3, "kategori", "okänd"), Problem(None, "", "hela filen")])
    assert [(p.row, p.column) for p in error.problems] == [(None, ""), (3, "kategori")]
    assert error.messages == ["hela filen", "okänd"]


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def test_it_reads_the_first_sheet_of_a_workbook():
    data = workbook([["Område", "Antal"], ["Älta", 3], [None, None]])
    assert read_table("fil.xlsx", data) == [["Område", "Antal"], ["Älta", 3]]


def test_it_refuses_a_workbook_with_a_doctype():
    data = xlsx_with_sheet(
        ['<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'],
        prologue='<!DOCTYPE worksheet [<!ENTITY x "boom">]>',
    )
    with pytest.raises(ImportRejected) as raised:
        read_table("fil.xlsx", data)
    assert codes(raised.value) == ["not_xlsx"]


def test_it_refuses_bytes_that_are_not_a_workbook():
    with pytest.raises(ImportRejected) as raised:
        read_table("fil.xlsx", b"PK\x03\x04 not really")
    assert codes(raised.value) == ["not_zip"]


@pytest.mark.parametrize("dimension", ["A1:A600000", ""], ids=["declared", "undeclared"])
def test_a_workbook_of_600000_rows_is_refused_while_streaming(dimension):
    data = xlsx_with_sheet(big_sheet_rows(600_000), dimension=dimension)
    assert len(data) < 12 * 1024 * 1024
    check_zip(data, kind=".xlsx")  # an honest file: it passes the zip checks
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as raised:
            read_table("fil.xlsx", data, max_rows=20_001)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(raised.value) == ["too_many_rows"]
    assert "20000" in raised.value.messages[0]
    # Reading stopped at the limit: never 600 000 rows in memory.
    assert peak < 40 * 1024 * 1024


def test_rows_are_counted_across_chunk_boundaries():
    data = xlsx_with_sheet(big_sheet_rows(120_000))  # ~3 MB unpacked: several chunks
    with pytest.raises(ImportRejected):
        read_table("fil.xlsx", data, max_rows=119_999)
    from trygg.core.imports import _count_sheet_rows

    _count_sheet_rows(data, max_rows=120_000)


# ---------------------------------------------------------------------------
# Zip bombs
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb()


def test_a_docx_zip_bomb_is_refused_within_2_s_and_100_mb(bomb):
    assert len(bomb) < 3 * 1024 * 1024
    from trygg.plans.importers import read_plan_document

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as raised:
            read_plan_document("plan.docx", bomb)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(raised.value) in (["zip_member_size"], ["zip_total_size"], ["zip_ratio"])
    assert elapsed < 2
    assert peak < 100 * 1024 * 1024


def test_it_refuses_a_member_compressed_too_many_times():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a/>" * (1024 * 1024))
    with pytest.raises(ImportRejected) as raised:
        check_zip(buffer.getvalue(), kind=".xlsx")
    assert codes(raised.value) == ["zip_ratio"]


def test_it_refuses_too_many_members():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(2001):
            archive.writestr(f"m{n}.xml", b"")
    with pytest.raises(ImportRejected) as raised:
        check_zip(buffer.getvalue(), kind=".docx")
    assert codes(raised.value) == ["zip_members"]


def test_an_ordinary_workbook_passes_the_zip_checks():
    check_zip(workbook([["a"], [1]]), kind=".xlsx")


def test_the_streaming_reader_reads_rows_as_they_are_needed_and_removes_control_characters():
    from trygg.core.imports import open_table

    data = "a;b\n" + "".join(f"{n};x\x07y\n" for n in range(1000))
    table = open_table(io.BytesIO(data.encode()), "rader.csv", size=len(data))
    rows = table.rows
    assert next(rows) == ["a", "b"]
    assert next(rows) == ["0", "xy"]
    assert 0 < table.done() <= 1
    assert sum(1 for _ in rows) == 999


def test_the_streaming_reader_refuses_binary_data_at_once():
    from trygg.core.imports import open_table

    with pytest.raises(ImportRejected):
        open_table(io.BytesIO(b"a;b\n\x00\x01\x02"), "rader.csv")
