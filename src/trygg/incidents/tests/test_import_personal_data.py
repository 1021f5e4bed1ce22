"""Personal data in an imported file of incident reports: refused as the report form refuses
it (a personnummer in any spacing, with its row and column), warned about as the form warns
(names, home addresses, registration numbers), with a step to go on or cancel."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from trygg.core.models import ImportBatch
from trygg.incidents import services, views
from trygg.incidents.import_pii import PersonalDataWarnings
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.conftest import when
from trygg.incidents.tests.test_import_background import IMMEDIATE, big_csv

pytestmark = pytest.mark.django_db

HEADER = "extern_id;kategori;datum;tid;plats/adress;adress;område;bedömning;beskrivning"


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode()


def _day() -> str:
    return when(5).date().isoformat()


WITH_WARNINGS = _csv(
    f"EST-1;Klotter;{_day()};21:30;Fisksätra centrum;;;2;Tags på väggen",
    f"EST-2;Klotter;{_day()};21:30;;;;2;Anna Svensson sågs måla på väggen",
    f"EST-3;Klotter;{_day()};21:30;;Storgatan 5;;2;Bil ABC 123 stod parkerad",
)


def _import(world, data: bytes, **options):
    return services.reports_import(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        data=data,
        filename="est.csv",
        **options,
    )


@pytest.mark.parametrize(
    "personnummer", ["19811218-9876", "811218-9876", "8112189876", "811218 9876", "81 12 18-9876"]
)
def test_a_personnummer_in_any_spacing_refuses_the_file_naming_row_and_column(
    world, categories, personnummer
):
    data = _csv(
        f"EST-1;Klotter;{_day()};21:30;;;;2;Tags på väggen",
        f"EST-2;Klotter;{_day()};21:30;;Ringvägen 3, {personnummer};;2;",
    )
    with pytest.raises(ValidationError) as error:
        _import(world, data)
    text = "\n".join(error.value.messages)
    assert "Rad 3: kolumnen ”adress”: Texten ser ut att innehålla ett personnummer" in text
    assert "9876" not in text
    assert not IncidentReport.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_personnummer_in_the_place_column_is_named_by_that_column(world, categories):
    data = _csv(f"EST-1;Klotter;{_day()};21:30;Hos 811218-9876;;;2;")
    with pytest.raises(ValidationError) as error:
        _import(world, data)
    assert "Rad 2: kolumnen ”plats/adress”: Texten ser ut" in error.value.messages[0]


def test_likely_personal_data_is_listed_by_row_and_column_and_nothing_is_written(world, categories):
    with pytest.raises(PersonalDataWarnings) as error:
        _import(world, WITH_WARNINGS, accept_warnings=False)
    warnings = error.value.messages
    assert warnings == [
        "Rad 3, kolumnen ”beskrivning”: Texten kan innehålla ett namn (A…). "
        "Kontrollera att ingen person kan identifieras.",
        "Rad 4, kolumnen ”beskrivning”: Texten kan innehålla ett registreringsnummer "
        "(AXX XXX). Kontrollera att ingen person kan identifieras.",
        "Rad 4, kolumnen ”adress”: Texten kan innehålla en bostadsadress (Storgatan X). "
        "Kontrollera att ingen person kan identifieras.",
    ]
    assert not IncidentReport.objects.exists()
    assert not ImportBatch.objects.exists()


def test_the_user_may_go_on_despite_warnings_and_the_audit_says_so(world, categories):
    seen = []
    counts = _import(world, WITH_WARNINGS, accept_warnings=True, on_warnings=seen.append)
    assert counts["created"] == 3
    assert len(seen[0]) == 3
    from trygg.core.models import AuditEntry

    entry = AuditEntry.objects.filter(content_type__model="importbatch").latest("pk")
    assert entry.changes["personal_data_warnings"] == [None, 2]  # rows with warnings


def test_a_file_without_personal_data_is_imported_at_once(world, categories, login):
    client = login("samordnare")
    data = _csv(f"EST-1;Klotter;{_day()};21:30;Fisksätra centrum;;;2;Tags på väggen")
    response = client.post(
        reverse("incidents:report_import"),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": SimpleUploadedFile("e.csv", data),
        },
    )
    assert response.status_code == 302
    assert IncidentReport.objects.count() == 1


def _upload(client, world, data=WITH_WARNINGS):
    return client.post(
        reverse("incidents:report_import"),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": SimpleUploadedFile("e.csv", data),
        },
    )


def test_the_page_shows_the_warnings_and_imports_when_the_user_goes_on(
    world, categories, login, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = login("samordnare")
    response = _upload(client, world)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rad 3, kolumnen ”beskrivning”: Texten kan innehålla ett namn (A…)" in html
    assert "Anna" not in html and "Svensson" not in html
    assert "Importera ändå" in html
    assert not IncidentReport.objects.exists()
    assert len(list(tmp_path.rglob("pending-*"))) == 1
    response = client.post(reverse("incidents:import_warnings"), {"decision": "go_on"})
    assert response.status_code == 302 and response["Location"] == reverse("incidents:report_list")
    assert IncidentReport.objects.count() == 3
    assert not list(tmp_path.rglob("pending-*"))


def test_the_page_imports_nothing_when_the_user_cancels(
    world, categories, login, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = login("samordnare")
    _upload(client, world)
    response = client.post(reverse("incidents:import_warnings"), {"decision": "cancel"})
    assert response["Location"] == reverse("incidents:report_import")
    assert not IncidentReport.objects.exists()
    assert not list(tmp_path.rglob("pending-*"))
    # The decision cannot be replayed.
    client.post(reverse("incidents:import_warnings"), {"decision": "go_on"})
    assert not IncidentReport.objects.exists()


def test_a_get_does_not_import(world, categories, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = login("samordnare")
    _upload(client, world)
    assert client.get(reverse("incidents:import_warnings")).status_code == 405
    assert not IncidentReport.objects.exists()


def test_a_queued_file_with_warnings_waits_for_the_user(
    world,
    categories,
    login,
    tmp_path,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(views, "BACKGROUND_BYTES", 10_000)
    client = login("samordnare")
    data = big_csv(500).replace(b"Rapport nummer 3\n", b"Rapport nummer 3, Anna Svensson\n", 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(client, world, data)
    with override_settings(TASKS=IMMEDIATE):
        for callback in callbacks:
            callback()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED and batch.counts["warnings"] > 1
    assert not IncidentReport.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "kolumnen ”beskrivning”: Texten kan innehålla ett namn" in html
    assert "Importera ändå" in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("incidents:import_batch_warnings", args=[batch.pk]), {"decision": "go_on"}
        )
    with override_settings(TASKS=IMMEDIATE):
        for callback in callbacks:
            callback()
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert response["Location"] == reverse("incidents:import_detail", args=[again.pk])
    assert again.status == ImportBatch.Status.DONE
    assert IncidentReport.objects.count() == 500
    assert not list(tmp_path.glob("imports/incidents/*"))
    # The first batch no longer offers to go on.
    assert (
        "Importera ändå"
        not in client.get(reverse("incidents:import_detail", args=[batch.pk])).content.decode()
    )


def test_the_command_prints_the_warnings_and_imports(world, categories, tmp_path):
    path = tmp_path / "est.csv"
    path.write_bytes(WITH_WARNINGS)
    out, err = StringIO(), StringIO()
    call_command(
        "import_incident_reports",
        str(path),
        "--organisation",
        "Nacka kommun",
        stdout=out,
        stderr=err,
    )
    assert "Rad 3, kolumnen ”beskrivning”: Texten kan innehålla ett namn (A…)" in err.getvalue()
    assert "3 rader: 3 nya" in out.getvalue()


def test_the_command_refuses_on_warnings_when_asked(world, categories, tmp_path):
    path = tmp_path / "est.csv"
    path.write_bytes(WITH_WARNINGS)
    err = StringIO()
    with pytest.raises(CommandError, match="personuppgifter"):
        call_command(
            "import_incident_reports",
            str(path),
            "--organisation",
            "Nacka kommun",
            "--refuse-on-warnings",
            stderr=err,
        )
    assert "Rad 4, kolumnen ”adress”" in err.getvalue()
    assert not IncidentReport.objects.exists()
