"""Importing a plan from text, Word, CSV and XLSX: counts, idempotency, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from trygg.core.models import AuditEntry
from trygg.plans import importers, services
from trygg.plans.choices import StatusCategory
from trygg.plans.models import (
    Activity,
    FocusArea,
    Measure,
    MeasureResponsible,
    MeasureStatus,
    Outcome,
    Plan,
    StatusUpdate,
    Target,
)
from trygg.plans.parsing import parse_plan_text
from trygg.reports.plan_docx import plan_exchange_docx, write_plan_docx

SEED = Path(__file__).parent / "data" / "plan_for_samverkan_nacka.txt"
SHARED_SEED = Path("/work/shared/seeds/002_7afaad1d1abdb047.txt")
PLAN_TABLES = [
    Plan,
    FocusArea,
    Activity,
    Measure,
    MeasureResponsible,
    MeasureStatus,
    StatusUpdate,
    Target,
    Outcome,
]


def seed_path() -> Path:
    return SHARED_SEED if SHARED_SEED.exists() else SEED


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PLAN_TABLES} | {
        "audit": AuditEntry.objects.count()
    }


def import_seed(world, **kwargs):
    document = parse_plan_text(seed_path().read_text(encoding="utf-8"))
    return importers.import_plan_document(
        actor=kwargs.pop("actor", None),
        organisation=world.organisations["nacka"],
        document=document,
        partners=[world.organisations["lpo_nacka"]],
        **kwargs,
    )


def test_the_command_imports_the_seed_and_a_second_run_changes_nothing(world, capsys):
    call_command(
        "import_plan",
        str(seed_path()),
        "--organisation",
        "Nacka kommun",
        "--partner",
        "Lokalpolisområde Nacka",
    )
    out = capsys.readouterr().out
    assert "Fokusområden: 5 nya" in out
    assert "Aktiviteter: 27 nya" in out
    assert "Åtgärder: 28 nya" in out
    plan = Plan.objects.get()
    assert plan.focus_areas.count() == 5
    assert plan.activities.count() == 27
    assert plan.measures.count() == 28
    assert list(plan.partner_organisations.all()) == [world.organisations["lpo_nacka"]]
    before = counts()
    last_audit = AuditEntry.objects.order_by("-pk").first().pk

    organisation_id = str(world.organisations["nacka"].pk)
    call_command("import_plan", str(seed_path()), "--organisation", organisation_id)
    out = capsys.readouterr().out
    assert "Åtgärder: 0 nya, 0 ändrade, 28 oförändrade" in out
    assert "Inget ändrades." in out
    assert counts() == before
    assert not AuditEntry.objects.filter(pk__gt=last_audit).exists()


def test_it_resolves_responsible_parties_to_organisations(world):
    report = import_seed(world)
    measure = report.plan.measures.get(title="Avhopparverksamhet")
    parties = list(measure.responsibles.all())
    assert [p.display for p in parties] == [
        "Polis/Avhopparsamordnare",
        "Kommun/Sociala omsorgsprocessen",
    ]
    assert parties[0].organisation_ref == world.organisations["lpo_nacka"]
    assert parties[1].organisation_ref == world.organisations["nacka"]
    other = report.plan.measures.get(title="Öppen narkotikahandel").responsibles.last()
    assert other.label == "Fastighetsägare och andra aktörer i området"
    assert other.organisation_ref is None
    assert report.plan.measures.filter(title="SSPF").count() == 2


def test_the_command_refuses_an_unknown_organisation(world):
    with pytest.raises(CommandError):
        call_command("import_plan", str(seed_path()), "--organisation", "Ingen kommun")
    assert Plan.objects.count() == 0


def test_a_docx_of_the_plan_imports_to_the_same_structure(world, tmp_path):
    report = import_seed(world)
    content = plan_exchange_docx(world.users["samordnare"], report.plan)
    # A real Word file: python-docx reads its tables back.
    assert len(docx.Document(io.BytesIO(content)).tables) == 27
    path = tmp_path / "plan.docx"
    path.write_bytes(content)
    call_command(
        "import_plan",
        str(path),
        "--organisation",
        "Värmdö kommun",
        "--title",
        "Kopia",
    )
    copy = Plan.objects.get(organisation=world.organisations["varmdo"])
    assert copy.focus_areas.count() == 5
    assert copy.activities.count() == 27
    assert copy.measures.count() == 28
    assert list(copy.focus_areas.values_list("title", flat=True)) == list(
        report.plan.focus_areas.values_list("title", flat=True)
    )
    assert list(copy.activities.values_list("title", flat=True)) == list(
        report.plan.activities.values_list("title", flat=True)
    )


def test_a_docx_written_from_the_seed_imports_to_the_same_counts(world):
    document = parse_plan_text(seed_path().read_text(encoding="utf-8"))
    content = write_plan_docx(document).getvalue()
    parsed = importers.read_plan_document("plan.docx", content)
    report = importers.import_plan_document(
        actor=None, organisation=world.organisations["nacka"], document=parsed
    )
    assert (report.focus_areas.created, report.activities.created, report.measures.created) == (
        5,
        27,
        28,
    )


def test_it_refuses_a_plan_text_with_an_unknown_status_and_writes_nothing(world):
    text = seed_path().read_text(encoding="utf-8")
    bad = text.replace(
        "Minst två krogkontroller/ år\tPolis Kommun/Alkoholhandläggare\t",
        "Minst två krogkontroller/ år\tPolis Kommun/Alkoholhandläggare\tHalvklar",
    )
    assert bad != text
    before = counts()
    with pytest.raises(importers.ImportRejected) as error:
        importers.import_plan_document(
            actor=None,
            organisation=world.organisations["nacka"],
            document=parse_plan_text(bad),
        )
    assert "okänd status ”Halvklar”" in error.value.messages[0].replace("“", "”")
    assert counts() == before


def test_it_refuses_a_broken_plan_text_with_the_line(world):
    with pytest.raises(importers.ImportRejected) as error:
        importers.read_plan_document(
            "plan.txt", "Plan\n\nAktivitet: Ensam\n\nUtmaning\tÅtgärd\tAnsvarig\tStatus\n".encode()
        )
    assert "Rad 3: ”Aktivitet:” står före det första samverkansområdet." in error.value.messages
    assert "Rad 5: tabellen hör inte till någon aktivitet." in error.value.messages


# CSV and XLSX ---------------------------------------------------------------------------------


def export_file(user, plan, fmt: str) -> bytes:
    from trygg.core.exports import export_rows

    headers, rows = importers.measure_rows(user, plan)
    return export_rows(headers, rows, fmt, "plan").content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_back_changes_nothing(world, fmt):
    user = world.users["samordnare"]
    report = import_seed(world)
    plan = report.plan
    measure = plan.measures.get(title="Krogkontroller")
    services.measure_update(
        actor=user,
        measure=measure,
        areas=[world.areas["Boo"]],
        places=[world.places["Orminge centrum"]],
        starts_on=__import__("datetime").date(2022, 1, 1),
        prevention_type="situationell",
    )
    content = export_file(user, plan, fmt)
    before = counts()
    rows = importers.read_rows(f"plan.{fmt}", content)
    assert len(rows) == 28
    result = importers.import_measure_rows(actor=user, plan=plan, rows=rows)
    assert result.measures.unchanged == 28
    assert not result.changed
    assert counts() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_edited_status_updates_exactly_that_measure_with_history(world, fmt):
    user = world.users["samordnare"]
    plan = import_seed(world).plan
    target = plan.measures.get(title="Tobakstillsyner")
    content = export_file(user, plan, fmt)
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.active
        header = [c.value for c in sheet[1]]
        id_col, status_col = header.index("ID"), header.index("Status")
        for row in sheet.iter_rows(min_row=2):
            if row[id_col].value == target.pk:
                row[status_col].value = "Slutförd"
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        lines = content.decode("utf-8-sig").split("\r\n")
        lines = [
            line.replace(";Ej påbörjad;", ";Slutförd;")
            if line.startswith(f"{target.pk};")
            else line
            for line in lines
        ]
        content = "\r\n".join(lines).encode("utf-8-sig")
    audit_before = AuditEntry.objects.count()
    result = importers.import_measure_rows(
        actor=user, plan=plan, rows=importers.read_rows(f"plan.{fmt}", content), source="x"
    )
    assert result.statuses_changed == 1
    assert result.measures.updated == 1
    assert result.measures.unchanged == 27
    target.refresh_from_db()
    assert target.status.category == StatusCategory.DONE
    assert plan.measures.filter(status__category=StatusCategory.DONE).get() == target
    update = target.status_updates.get()
    assert update.author == user
    assert update.previous_status.name == "Ej påbörjad"
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == audit_before + 1
    assert entry.changes["status"] == ["Ej påbörjad", "Slutförd"]
    assert entry.changes["progress"] == [0, 100]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_with_bad_rows_is_refused_whole_with_rows_and_reasons(world, fmt):
    user = world.users["samordnare"]
    plan = import_seed(world).plan
    content = export_file(user, plan, fmt)
    workbook_rows = importers.read_rows(f"plan.{fmt}", content)
    # Row 2 gets a good change (which must not be written), rows 3 and 5 bad values.
    workbook_rows[0][1]["status"] = "Slutförd"
    workbook_rows[1][1]["status"] = "Nästan klar"
    workbook_rows[3][1]["progress"] = "150"
    workbook_rows[3][1]["starts_on"] = "2022-13-01"
    before = counts()
    with pytest.raises(importers.ImportRejected) as error:
        importers.import_measure_rows(actor=user, plan=plan, rows=workbook_rows)
    messages = error.value.messages
    assert [p.row for p in error.value.problems] == [3, 5, 5]
    assert messages[0].startswith("Rad 3: okänd status")
    assert "Rad 5: framsteg ”150” måste vara ett heltal från 0 till 100." in [
        m.replace("“", "”") for m in messages
    ]
    assert any("inte ett datum" in m for m in messages)
    assert counts() == before


def test_a_row_with_an_id_of_another_organisations_measure_is_refused(world):
    user = world.users["samordnare"]
    plan = import_seed(world).plan
    other = importers.import_plan_document(
        actor=None,
        organisation=world.organisations["varmdo"],
        document=parse_plan_text(seed_path().read_text(encoding="utf-8")),
    ).plan
    forged = other.measures.first()
    rows = [(2, {"id": str(forged.pk), "status": "Slutförd"})]
    before = counts()
    with pytest.raises(importers.ImportRejected) as error:
        importers.import_measure_rows(actor=user, plan=plan, rows=rows)
    assert error.value.messages == [f"Rad 2: det finns ingen åtgärd med id {forged.pk} i planen."]
    assert counts() == before


def test_a_new_row_without_id_is_added_once(world):
    user = world.users["samordnare"]
    plan = import_seed(world).plan
    rows = [
        (
            2,
            {
                "id": "",
                "focus_area": "Platssamverkan",
                "activity": "Trygghetsvandringar",
                "action": "Trygghetsvandring i Älta centrum",
                "responsibles": "Kommun/Brå; Polis",
                "status": "Pågående",
                "areas": "Älta",
            },
        )
    ]
    first = importers.import_measure_rows(actor=user, plan=plan, rows=rows)
    assert first.measures.created == 1
    second = importers.import_measure_rows(actor=user, plan=plan, rows=rows)
    assert second.measures.unchanged == 1
    added = plan.measures.get(action="Trygghetsvandring i Älta centrum")
    assert added.activity.title == "Trygghetsvandringar"
    assert [r.display for r in added.responsibles.all()] == ["Kommun/Brå", "Polis"]
    assert added.status.category == StatusCategory.ONGOING
    assert list(added.areas.all()) == [world.areas["Älta"]]


def test_it_refuses_a_file_with_unknown_columns(world):
    plan = import_seed(world).plan
    with pytest.raises(importers.ImportRejected) as error:
        importers.read_rows("plan.csv", "ID;Färg\r\n1;blå\r\n".encode())
    assert error.value.messages == ["Rad 1: okända kolumner: Färg."]
    assert plan.measures.count() == 28
