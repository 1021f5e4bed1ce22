"""Every kind of document in every format, read back: Word opened with python-docx, PDF rendered
with pdftoppm and read with pdftotext; and every document walked as every persona."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from trygg.core.models import Organisation
from trygg.reports import kinds
from trygg.reports.tests.conftest import docx_text, pdf_pages, plain

pytestmark = pytest.mark.django_db

KINDS = ["annual", "situation", "action_plan", "budget", "weekly", "skrivelse", "plan", "law"]
PERSONAS = ["samordnare", "admin", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende"]


def test_the_kinds_are_those_of_the_command_line():
    assert [k.name for k in kinds.all_kinds()] == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_generates_in_every_format(demo, tmp_path, kind):
    texts = {}
    for fmt in ("html", "docx", "pdf"):
        output = tmp_path / f"{kind}.{fmt}"
        call_command(
            "generate_report",
            kind,
            "--organisation",
            "Nacka kommun",
            "--year",
            "2023",
            "--format",
            fmt,
            "--output",
            str(output),
            stdout=io.StringIO(),
        )
        content = output.read_bytes()
        if fmt == "docx":
            texts[fmt] = docx_text(content)
        elif fmt == "pdf":
            pages, texts[fmt] = pdf_pages(content, tmp_path)
            assert pages >= 1
            assert "Sida 1 av" in texts[fmt]
            assert "Nacka kommun" in texts[fmt]
        else:
            texts[fmt] = content.decode()
            assert texts[fmt].startswith("<!doctype html>")
        assert "Källor och beräkningar" in texts[fmt], fmt
    # The same first heading in all three.
    title = plain(texts["docx"]).split("\n")[0]
    assert title and title in plain(texts["pdf"]) and title in plain(texts["html"])


def test_a_bad_week_is_a_clear_error(demo):
    with pytest.raises(CommandError, match="2024-W14"):
        call_command(
            "generate_report",
            "weekly",
            "--organisation",
            "Nacka kommun",
            "--week",
            "vecka 14",
            "--format",
            "html",
            "--output",
            "/dev/null",
        )


def test_an_unknown_organisation_is_a_clear_error(demo):
    # The commands' one --organisation resolver names what was asked for and near matches.
    with pytest.raises(CommandError, match="Ingen organisation ”Ingen kommun”.*Menade du"):
        call_command("generate_report", "annual", "--organisation", "Ingen kommun")


def _page(client, kind, **params):
    nacka = Organisation.objects.get(name="Nacka kommun")
    return client.get(
        reverse("reports:document"),
        {"kind": kind, "organisation": nacka.pk, "year": 2023, **params},
    )


@pytest.mark.parametrize("kind", KINDS)
def test_every_document_as_every_persona(demo, login, kind):
    """Another kommun (utomstaende) and a reporter without view access get 404; a partner
    (polis) sees only what is shared with them."""
    statuses = {}
    bodies = {}
    for persona in PERSONAS:
        response = _page(login(persona), kind)
        statuses[persona] = response.status_code
        bodies[persona] = response.content.decode() if response.status_code == 200 else ""
    assert statuses["utomstaende"] == 404
    assert statuses["rapportor"] == 404
    assert statuses["samordnare"] == 200
    assert statuses["admin"] == 200
    if kind == "budget":
        assert statuses["polis"] == 404  # the budget is not shared with the police
    else:
        assert statuses["polis"] == 200
    if kind == "annual":
        assert "4,29" in bodies["samordnare"]
        assert "4,29" not in bodies["polis"]


def test_small_counts_are_suppressed_for_a_partner(demo, login):
    from django.contrib.auth import get_user_model

    from trygg.reports.generation import generate, params_from

    users = get_user_model().objects
    nacka = Organisation.objects.get(name="Nacka kommun")
    own = generate(users.get(username="samordnare"), "weekly", params_from({"year": 2023}, nacka))
    partner = generate(users.get(username="polis"), "weekly", params_from({"year": 2023}, nacka))
    # Counts of reports; the number of deviations is a count of areas and categories (a
    # deviation is shown to a partner only where its own count is shown, see
    # situation.selectors.weekly), so it is no count of reports to suppress.
    small = [f for f in own.figures if f.text in {"1", "2", "3", "4"} and f.key != "weekly.flagged"]
    assert small, "the demo week has small counts"
    shown = partner.figure_map()
    for figure in small:
        if figure.key in shown:
            assert shown[figure.key].text == "<5", figure.key
    assert "<5" not in own.text()
    assert all(not f.key.startswith("weekly.place.") for f in partner.figures)


def test_the_budget_proposal_follows_seed_001(demo, tmp_path):
    output = tmp_path / "budget.pdf"
    call_command(
        "generate_report",
        "budget",
        "--organisation",
        "Nacka kommun",
        "--year",
        "2023",
        "--format",
        "pdf",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    _pages, text = pdf_pages(output.read_bytes(), tmp_path)
    text = plain(text)
    assert "Trygghetspaketet 2024 – förslag till fördelning" in text
    assert "Dnr KFKS-2024-00430" in text  # in the running header
    assert "Förslag 2024" in text and "Utfall 2023" in text and "Budget 2023" in text
    assert "Summa 5,0 mkr" in text and "4,29 mkr" in text
    assert "Statsbidrag för brottsförebyggande arbete 2024" in text


def test_the_plan_is_an_a4_word_document_with_its_decision(demo, tmp_path):
    import docx
    from docx.shared import Cm

    output = tmp_path / "plan.docx"
    call_command(
        "generate_report",
        "plan",
        "--organisation",
        "Nacka kommun",
        "--year",
        "2023",
        "--format",
        "docx",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    word = docx.Document(str(output))
    section = word.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.05)
    text = docx_text(output.read_bytes())
    assert "KFKS-2021-00932" in text and "Kommunstyrelsen 2022-02-21" in text
    assert "2022-01-01 – 2023-12-31" in text
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Beslut och period" in headings and "Framsteg" in headings
    # Every table repeats its header row on a new page.
    for table in word.tables:
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader"), "header row repeats"


def test_the_command_reads_as_a_given_user(demo, tmp_path):
    output = tmp_path / "vb.html"
    call_command(
        "generate_report",
        "annual",
        "--organisation",
        "Nacka kommun",
        "--year",
        "2023",
        "--format",
        "html",
        "--output",
        str(output),
        "--user",
        "polis",
        stdout=io.StringIO(),
    )
    text = plain(output.read_text())
    assert "24" in text  # the working groups' meetings are shared with the partner
    assert "4,29 mkr" not in text  # the budget is not
    with pytest.raises(CommandError, match="får inte se"):
        call_command(
            "generate_report",
            "annual",
            "--organisation",
            "Nacka kommun",
            "--user",
            "utomstaende",
            "--output",
            str(output),
        )
