"""Plans from real files that differ from the export: other column names and orders, extra
columns, sheets without ids; the mapping step, the preview and the dry run."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from trygg.plans import importers
from trygg.plans.models import Measure, Plan
from trygg.plans.tests.test_import import counts, import_seed

HEADER = ["Åtgärd", "Utmaning", "Ansvar", "Tidsplan", "Status"]
ROWS = [
    [
        "Minst två krogkontroller/år",
        "Överservering på pubar",
        "Polis Kommun/Alkoholhandläggare",
        "HT 2025",
        "Pågående",
    ],
    [
        "Trygghetsvandring i centrum",
        "Otrygghet kvällstid",
        "Kommun/Brå; Polis",
        "VT 2026",
        "Ej påbörjad",
    ],
    ["Riktade insatser mot langning", "Langning till unga", "Polisen", "Löpande", "Slutförd"],
]


def word_plan(header=HEADER, rows=ROWS) -> bytes:
    """A plan as Word writes it by hand: headings, a list of areas and a table."""
    document = docx.Document()
    document.add_paragraph("Plan för samverkan Testkommun", style="Title")
    document.add_paragraph("Syftet är att minska brottsligheten.")
    document.add_paragraph("Prioriterade samverkansområden", style="Heading 1")
    document.add_paragraph("Alkohol och narkotika", style="List Bullet")
    document.add_paragraph("Alkohol och narkotika", style="Heading 1")
    document.add_paragraph("Vi arbetar mot överservering och langning.")
    document.add_paragraph("Mål för aktiviteten")
    document.add_paragraph("Färre brott under påverkan.")
    document.add_paragraph("Aktivitet: Krogkontroller")
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def import_word(world, content, column_map=None, **kwargs):
    return importers.import_plan_document(
        actor=None,
        organisation=world.organisations["nacka"],
        document=importers.read_plan_document("plan.docx", content, column_map),
        partners=[world.organisations["lpo_nacka"]],
        **kwargs,
    )


def workbook(header, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Word tables -----------------------------------------------------------------------------------


def test_a_word_table_with_other_columns_asks_for_the_unknown_one_and_nothing_else(world):
    with pytest.raises(importers.ColumnsUnknown) as error:
        importers.read_plan_document("plan.docx", word_plan())
    assert list(error.value.columns) == ["Tidsplan"]
    # The rows under the header come along for the mapping page's preview.
    assert error.value.columns["Tidsplan"][0][3] == "HT 2025"
    assert error.value.messages == ["Okända kolumner i tabellerna: Tidsplan."]
    assert Plan.objects.count() == 0


def test_a_word_table_in_another_order_imports_every_row_and_party_once(world):
    content = word_plan()
    report = import_word(world, content, {"tidsplan": "note"})
    assert report.plan_created
    measures = list(report.plan.measures.order_by("order"))
    assert [m.action.split("\n\n")[0] for m in measures] == [r[0] for r in ROWS]
    assert [m.challenge for m in measures] == [r[1] for r in ROWS]
    assert [[r.display for r in m.responsibles.all()] for m in measures] == [
        ["Polis", "Kommun/Alkoholhandläggare"],
        ["Kommun/Brå", "Polis"],
        ["Polis"],
    ]
    # Parties are linked to the organisations they stand for.
    first = measures[0].responsibles.all()
    assert [r.organisation_ref for r in first] == [
        world.organisations["lpo_nacka"],
        world.organisations["nacka"],
    ]
    # The extra column is kept with the measure.
    assert measures[0].action == "Minst två krogkontroller/år\n\nTidsplan: HT 2025"
    assert [m.status.name for m in measures] == ["Pågående", "Ej påbörjad", "Slutförd"]
    assert [row.outcome for row in report.rows] == ["created"] * 3

    before = counts()
    again = import_word(world, content, {"tidsplan": "note"})
    assert not again.changed
    assert [row.outcome for row in again.rows] == ["unchanged"] * 3
    assert counts() == before


def test_a_column_left_out_is_not_kept_and_a_known_synonym_fills_its_field(world):
    header = ["Utmaning", "Insats", "Ansvariga", "Målgrupp", "Tidsplan", "Status"]
    rows = [["Otrygghet", "Vandring", "Kommun", "Unga", "HT", "Pågående"]]
    report = import_word(world, word_plan(header, rows), {"tidsplan": "ignore"})
    measure = report.plan.measures.get()
    assert (measure.action, measure.target_group) == ("Vandring", "Unga")


def test_a_table_naming_one_column_twice_is_refused_with_the_place(world):
    header = ["Åtgärd", "Ansvar", "Ansvarig", "Status"]
    with pytest.raises(importers.ImportRejected) as error:
        importers.read_plan_document("plan.docx", word_plan(header, [["a", "b", "c", "d"]]))
    assert error.value.messages == [
        "Tabell 1: tabellens rubrikrad ska vara Utmaning, Åtgärd, Ansvarig, Status."
    ]


# Hand-made sheets --------------------------------------------------------------------------------


SHEET_HEADER = ["Aktivitet", "Åtgärd", "Ansvarig", "Status"]
SHEET_ROWS = [
    # The seed's Krogkontroller row as a person retypes it: parties with spaces, no id.
    [
        "Krogkontroller",
        "Minst två krogkontroller/ år",
        "Polis Kommun / Alkoholhandläggare",
        "Slutförd",
    ],
    [
        "Krogkontroller",
        "Utbildning i ansvarsfull alkoholservering",
        "Kommun/Alkoholhandläggare",
        "",
    ],
]


def _krog(plan) -> Measure:
    return plan.measures.get(
        activity__title="Krogkontroller", action="Minst två krogkontroller/ år"
    )


@pytest.mark.parametrize("with_id_column", [False, True])
def test_a_hand_made_sheet_without_ids_updates_what_it_matches_and_adds_the_rest(
    world, with_id_column
):
    user = world.users["samordnare"]
    plan = import_seed(world).plan
    krog = _krog(plan)
    linked = [(r.label, r.unit, r.organisation_ref_id) for r in krog.responsibles.all()]
    assert [(label, unit) for label, unit, _ref in linked] == [
        ("Polis", ""),
        ("Kommun", "Alkoholhandläggare"),
    ]
    header, rows = SHEET_HEADER, SHEET_ROWS
    if with_id_column:
        header, rows = ["ID", *header], [["", *row] for row in rows]
    content = workbook(header, rows)
    parsed = importers.read_rows("egen.xlsx", content)

    before = counts()
    shown = importers.preview(importers.import_measure_rows, actor=user, plan=plan, rows=parsed)
    assert [(r.where, r.outcome) for r in shown.rows] == [
        ("Rad 2", "updated"),
        ("Rad 3", "created"),
    ]
    assert counts() == before  # the preview wrote nothing

    report = importers.import_measure_rows(actor=user, plan=plan, rows=parsed)
    assert [r.outcome for r in report.rows] == ["updated", "created"]
    assert report.measures.created == 1
    krog.refresh_from_db()
    assert krog.status.name == "Slutförd"
    assert [(r.label, r.unit, r.organisation_ref_id) for r in krog.responsibles.all()] == linked
    assert plan.measures.count() == 29
    added = plan.measures.get(action="Utbildning i ansvarsfull alkoholservering")
    assert added.activity == krog.activity
    assert [r.organisation_ref for r in added.responsibles.all()] == [world.organisations["nacka"]]

    # The same sheet again changes nothing.
    again = importers.import_measure_rows(
        actor=user, plan=plan, rows=importers.read_rows("egen.xlsx", content)
    )
    assert [r.outcome for r in again.rows] == ["unchanged", "unchanged"]
    assert plan.measures.count() == 29


def test_a_sheet_with_an_unknown_column_is_read_once_the_column_is_named(world):
    content = workbook([*SHEET_HEADER, "Kontaktperson"], [[*SHEET_ROWS[0], "Eva"]])
    with pytest.raises(importers.ColumnsUnknown) as error:
        importers.read_rows("egen.xlsx", content)
    assert list(error.value.columns) == ["Kontaktperson"]
    rows = importers.read_rows("egen.xlsx", content, {"kontaktperson": "note"})
    assert rows[0][1]["action"] == "Minst två krogkontroller/ år\n\nKontaktperson: Eva"
    rows = importers.read_rows("egen.xlsx", content, {"kontaktperson": "ignore"})
    assert "Kontaktperson" not in str(rows)


def test_the_dry_run_on_the_command_line_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "plan.docx"
    path.write_bytes(word_plan())
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), "--organisation", "Nacka kommun", "--dry-run")
    assert "--column" in capsys.readouterr().err
    call_command(
        "import_plan",
        str(path),
        "--organisation",
        "Nacka kommun",
        "--dry-run",
        "--column",
        "Tidsplan=note",
    )
    out = capsys.readouterr().out
    assert "Tabell 1, rad 2: Ny: Minst två krogkontroller/år" in out
    assert "Torrkörning: inget skrevs." in out
    assert Plan.objects.count() == 0
    call_command(
        "import_plan", str(path), "--organisation", "Nacka kommun", "--column", "Tidsplan=note"
    )
    assert Plan.objects.get().measures.count() == 3


# The pages ----------------------------------------------------------------------------------------


def _upload(client, url, name, content, **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


def test_the_word_plan_goes_through_mapping_and_preview_before_anything_is_written(world, login):
    client = login("samordnare")
    response = _upload(
        client,
        reverse("plans:plan_import_new"),
        "plan.docx",
        word_plan(),
        organisation=world.organisations["nacka"].pk,
        kind="plan_for_samverkan",
    )
    assert response.status_code == 302 and "/kolumner/" in response.url
    columns_url = response.url
    page = client.get(columns_url)
    assert "Kolumnen ”Tidsplan”" in page.content.decode() or "Tidsplan" in page.content.decode()
    assert "HT 2025" in page.content.decode()
    # No choice: the error stands next to the field.
    page = client.post(columns_url, {})
    assert page.status_code == 200
    assert 'id="id_column_0_error">Detta fält måste fyllas i.' in page.content.decode()
    response = client.post(columns_url, {"column_0": "note"})
    assert response.status_code == 302 and "/granska/" in response.url
    preview = client.get(response.url)
    text = preview.content.decode()
    assert text.count('data-testid="row-outcome">Ny<') == 3
    assert Plan.objects.count() == 0 and Measure.objects.count() == 0
    done = client.post(response.url)
    assert done.status_code == 302
    plan = Plan.objects.get()
    assert plan.measures.count() == 3
    # The file is forgotten once imported.
    assert client.post(response.url).status_code == 404


def test_a_malformed_file_is_refused_on_the_upload_page(world, login):
    client = login("samordnare")
    response = _upload(
        client,
        reverse("plans:plan_import_new"),
        "plan.docx",
        b"PK\x03\x04 not really a Word file",
        organisation=world.organisations["nacka"].pk,
        kind="plan_for_samverkan",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Filen avvisades; inget importerades." in text
    assert Plan.objects.count() == 0
    assert "plans_pending_imports" not in client.session


def test_another_user_cannot_open_a_pending_import(world, login):
    client = login("samordnare")
    plan = import_seed(world).plan
    response = _upload(
        client,
        reverse("plans:plan_import", args=[plan.pk]),
        "egen.xlsx",
        workbook(SHEET_HEADER, SHEET_ROWS),
    )
    assert response.status_code == 302 and "/granska/" in response.url
    page = client.get(response.url).content.decode()
    assert page.count('data-testid="row-outcome">Ändras<') == 1
    assert page.count('data-testid="row-outcome">Ny<') == 1
    other = Client()
    other.force_login(get_user_model().objects.get(username="polis"))
    assert other.get(response.url).status_code == 404
