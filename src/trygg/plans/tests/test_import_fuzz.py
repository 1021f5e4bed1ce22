"""Property tests: any bytes given to a plan import are imported or refused, never a crash."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from trygg.core.imports import ImportRejected
from trygg.core.tests.fuzz import FUZZ, mutated, raw, text_after, zipped
from trygg.plans import importers, services
from trygg.plans.models import Measure, Plan
from trygg.plans.parsing import parse_plan_text
from trygg.reports.plan_docx import write_plan_docx

PLAN_TEXT = """Plan för samverkan Nacka

Prioriterade samverkansområden

- Platssamverkan

Platssamverkan

Mål för aktiviteten

Färre brott i centrum.

Aktivitet: Trygghetsvandringar

Utmaning\tÅtgärd\tAnsvarig\tStatus
Otrygghet i centrum\tVandra varje kvartal\tKommun\tPågående
"""
SEED = Path(__file__).parent / "data" / "plan_for_samverkan_nacka.txt"

CSV_HEADER = "ID;Fokusområde;Aktivitet;Titel;Utmaning;Åtgärd;Ansvarig;Status;Start;Slut\n"


@pytest.fixture
def plan(world):
    return services.plan_create(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        title="Fuzzplan",
    )


def _import_document(world, name: str, data: bytes) -> None:
    before = Plan.objects.count()
    try:
        with transaction.atomic():
            document = importers.read_plan_document(name, data)
            importers.import_plan_document(
                actor=world.users["samordnare"],
                organisation=world.organisations["nacka"],
                document=document,
            )
    except (ImportRejected, ValidationError):
        assert Plan.objects.count() == before


def _docx() -> bytes:
    return write_plan_docx(parse_plan_text(SEED.read_text(encoding="utf-8"))).getvalue()


@FUZZ
@given(data=text_after(PLAN_TEXT))
def test_any_plan_text_is_imported_or_refused(world, data):
    _import_document(world, "plan.txt", data)


@FUZZ
@given(data=st.one_of(raw, mutated(_docx()), zipped("word/document.xml", raw)))
def test_any_word_file_is_imported_or_refused(world, data):
    _import_document(world, "plan.docx", data)


def _import_rows(world, plan, name: str, data: bytes) -> None:
    before = Measure.objects.count()
    try:
        with transaction.atomic():
            importers.import_measure_rows(
                actor=world.users["samordnare"],
                plan=plan,
                rows=importers.read_rows(name, data),
            )
    except (ImportRejected, ValidationError):
        assert Measure.objects.count() == before


@FUZZ
@given(data=text_after(CSV_HEADER))
def test_any_measure_csv_is_imported_or_refused(world, plan, data):
    _import_rows(world, plan, "rader.csv", data)


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _xlsx(
    [CSV_HEADER.strip().split(";"), ["", "Trygg miljö", "Vandringar", "Vandra", "", "", "", ""]]
)


@FUZZ
@given(
    data=st.one_of(raw, mutated(VALID_XLSX), zipped("xl/worksheets/sheet1.xml", raw)),
)
def test_any_measure_workbook_is_imported_or_refused(world, plan, data):
    _import_rows(world, plan, "rader.xlsx", data)


def test_a_plan_text_of_random_bytes_gets_a_swedish_refusal(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    before = Plan.objects.count()
    data = bytes(range(128, 256)) * 8  # not UTF-8, and 0x81 is not Windows-1252 either
    response = login("samordnare").post(
        reverse("plans:plan_import_new"),
        {
            "organisation": world.organisations["nacka"].pk,
            "kind": "plan_for_samverkan",
            "file": SimpleUploadedFile("plan.txt", data),
        },
    )
    assert response.status_code == 200
    assert "inte text i UTF-8" in response.content.decode()
    assert Plan.objects.count() == before


def test_a_word_zip_bomb_is_refused_through_the_page(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from trygg.core.tests.test_imports import docx_bomb

    before = Plan.objects.count()
    response = login("samordnare").post(
        reverse("plans:plan_import_new"),
        {
            "organisation": world.organisations["nacka"].pk,
            "kind": "plan_for_samverkan",
            "file": SimpleUploadedFile("plan.docx", docx_bomb(100)),
        },
    )
    assert response.status_code == 200
    assert "MB uppackad; filen avvisas" in response.content.decode()
    assert Plan.objects.count() == before
