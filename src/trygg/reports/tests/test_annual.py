"""The verksamhetsberättelse 2023 of Nacka, generated from the demo: every figure computed,
with its source, in Word and PDF; a change in the data changes every dependent figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from trygg.core.models import Organisation
from trygg.reports import render
from trygg.reports.generation import generate
from trygg.reports.kinds.base import Params
from trygg.reports.management.commands.generate_report import system_reader
from trygg.reports.tests.conftest import docx_text, pdf_pages, plain

pytestmark = pytest.mark.django_db


def nacka() -> Organisation:
    return Organisation.objects.get(name="Nacka kommun")


def annual(**kwargs):
    return generate(system_reader(), "annual", Params(organisation=nacka(), year=2023), **kwargs)


def test_the_command_writes_the_annual_report_2023_as_word(demo, tmp_path):
    output = tmp_path / "vb.docx"
    call_command(
        "generate_report",
        "annual",
        "--organisation",
        "Nacka kommun",
        "--year",
        "2023",
        "--format",
        "docx",
        "--output",
        str(output),
    )
    text = plain(docx_text(output.read_bytes()))
    assert "Verksamhetsberättelse 2023" in text
    assert "Kommunstyrelsens trygghetsutskott höll 6[1] sammanträden" in text
    assert "träffades 24[" in text
    assert "4,29 mkr" in text and "5,0 mkr" in text
    assert "83,5 %" in text and "81,3 %" in text and "75 %" in text
    assert "Källor och beräkningar" in text


def test_the_command_writes_the_annual_report_2023_as_pdf(demo, tmp_path):
    output = tmp_path / "vb.pdf"
    call_command(
        "generate_report",
        "annual",
        "--organisation",
        "0182",
        "--year",
        "2023",
        "--format",
        "pdf",
        "--output",
        str(output),
    )
    pages, text = pdf_pages(output.read_bytes(), tmp_path)
    text = plain(text)
    assert 3 <= pages <= 12
    assert "Verksamhetsberättelse 2023" in text
    assert "Sida 1 av" in text
    assert "4,29 mkr" in text and "83,5 %" in text and "Källor och beräkningar" in text


def test_the_measures_by_status_add_up_to_the_total(demo):
    document = annual()
    figures = document.figure_map()
    plan_keys = {k.split(".")[1] for k in figures if k.startswith("measures.")}
    assert plan_keys
    for plan in plan_keys:
        parts = [
            int(figures[f"measures.{plan}.{c}"].value)
            for c in ("not_started", "ongoing", "done", "cancelled")
        ]
        assert sum(parts) == int(figures[f"measures.{plan}.total"].value) > 0


def test_every_figure_has_a_numbered_source(demo):
    document = annual()
    assert document.figures
    for figure in document.figures:
        assert 1 <= figure.ref <= len(document.sources)
        assert figure.source
    assert document.figure_map()["meetings.working_groups"].value == "24"
    assert document.figure_map()["meetings.committee"].value == "6"


def test_adding_to_an_outcome_changes_every_dependent_figure(demo, tmp_path):
    from trygg.budget import services
    from trygg.budget.models import BudgetLine

    before = annual()
    line = BudgetLine.objects.filter(budget__year=2023, budget__organisation=nacka()).first()
    services.budget_line_update(actor=None, line=line, outcome=line.outcome + Decimal(100_000))
    after = annual()
    for fmt in ("docx", "pdf", "html"):
        content = render.render(after, fmt)
        if fmt == "docx":
            text = docx_text(content)
        elif fmt == "pdf":
            text = pdf_pages(content, tmp_path)[1]
        else:
            text = content.decode()
        text = plain(text)
        assert "4,39 mkr" in text, fmt
        assert "4,29 mkr" not in text, fmt
    changed = {k for k, f in after.figure_map().items() if before.figure_map()[k].text != f.text}
    assert {k for k in changed if k.startswith("budget.")} == {k for k in changed}
    assert any(k.endswith(".outcome") for k in changed)


def test_the_report_is_in_english_for_an_english_reader(demo):
    document = annual(language="en")
    assert document.title == "Annual report 2023"
    assert "4.29 mkr" in plain(document.text())
