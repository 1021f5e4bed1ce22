"""Property tests: any bytes given to an incident import are imported or refused, never a crash."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from trygg.core.tests.fuzz import FUZZ, gzipped, mutated, raw, text, text_after, zipped
from trygg.incidents import services
from trygg.incidents.models import IncidentReport, PoliceEvent

pytestmark = pytest.mark.django_db

HEADER = "extern_id;kategori;datum;tid;plats/adress;område;bedömning;beskrivning\n"
EVENT = {
    "id": 371971,
    "datetime": "2022-09-26 15:55:23 +02:00",
    "name": "26 september 14:21, Mord/dråp, försök, Nacka",
    "summary": "Text.",
    "url": "/aktuellt/handelser/2022/september/26/x/",
    "type": "Mord/dråp, försök",
    "location": {"name": "Nacka", "gps": "59.31,18.16"},
}


def _reports(world, name: str, data: bytes) -> None:
    before = IncidentReport.objects.count()
    try:
        with transaction.atomic():
            services.reports_import(
                actor=world.users["samordnare"],
                organisation=world.organisations["nacka"],
                data=data,
                filename=name,
            )
    except ValidationError:
        assert IncidentReport.objects.count() == before


@FUZZ
@given(data=text_after(HEADER + "EST-1;Klotter;2024-03-01;21:30;;;2;"))
def test_any_report_csv_is_imported_or_refused(world, categories, data):
    _reports(world, "est.csv", data)


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(HEADER.strip().split(";"))
    book.active.append(["EST-1", "Klotter", "2024-03-01", "21:30", "", "", 2, "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(data=st.one_of(raw, mutated(_xlsx()), zipped("xl/worksheets/sheet1.xml", raw)))
def test_any_report_workbook_is_imported_or_refused(world, categories, data):
    _reports(world, "est.xlsx", data)


def _events(name: str, data: bytes) -> None:
    before = PoliceEvent.objects.count()
    try:
        with transaction.atomic():
            services.police_events_import(actor=None, source=data, filename=name)
    except ValidationError:
        assert PoliceEvent.objects.count() == before


# An event whose fields are replaced by anything JSON can hold.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=8,
)
events = st.builds(
    lambda changes: {**EVENT, **changes},
    st.dictionaries(st.sampled_from(sorted(EVENT)), json_values, max_size=3),
)


@FUZZ
@given(data=st.one_of(raw, st.builds(lambda e: json.dumps(e).encode(), st.lists(events))))
def test_any_police_json_is_imported_or_refused(world, data):
    _events("events.json", data)


jsonl = st.builds(
    lambda items: "\n".join(json.dumps(e) for e in items).encode(), st.lists(events, max_size=4)
)


@FUZZ
@given(data=st.one_of(raw, jsonl, text_after(json.dumps(EVENT) + "\n")))
def test_any_police_jsonl_is_imported_or_refused(world, data):
    _events("events.jsonl", data)


@FUZZ
@given(data=st.one_of(gzipped(raw), gzipped(jsonl), mutated(__import__("gzip").compress(b"{}"))))
def test_any_police_gzip_is_imported_or_refused(world, data):
    _events("events.jsonl.gz", data)


def _malformed_xlsx_with_doctype() -> bytes:
    from trygg.core.tests.test_imports import xlsx_with_sheet

    return xlsx_with_sheet(
        ['<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'],
        prologue='<!DOCTYPE worksheet [<!ENTITY x "boom">]>',
    )


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("est.csv", bytes(range(256)) * 16, "inte text"),
        ("est.csv", HEADER.encode() + b"x" * (10 * 1024 * 1024) + b"\n", "längre än"),
        ("est.xlsx", None, "Excel"),
    ],
    ids=["random-bytes", "ten-megabyte-line", "xlsx-doctype"],
)
def test_a_malformed_file_gets_a_swedish_refusal_and_nothing_is_written(
    world, categories, login, name, data, reason
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = data if data is not None else _malformed_xlsx_with_doctype()
    response = login("samordnare").post(
        reverse("incidents:report_import"),
        {"organisation": world.organisations["nacka"].pk, "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert IncidentReport.objects.count() == 0
