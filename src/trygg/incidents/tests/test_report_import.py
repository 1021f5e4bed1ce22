"""Bulk import of incident reports from another tool's CSV/XLSX export."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from trygg.core.models import ImportBatch
from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db

HEADER = "extern_id;kategori;datum;tid;plats/adress;område;bedömning;beskrivning"


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode()


def _day(days_ago=5) -> str:
    return when(days_ago).date().isoformat()


def test_it_imports_a_csv_and_a_second_import_changes_nothing(world, categories):
    data = _csv(
        f"EST-1;Klotter;{_day()};21:30;Fisksätra centrum;;2;Tags på väggen",
        f"EST-2;skadegörelse;{_day()};21.05;Ältavägen 12;Älta;1;Krossad ruta",
        f"EST-3;Ungdomar som samlas/stök;{_day()};22:00-01:30;;Boo;3;",
    )
    nacka = world.organisations["nacka"]
    counts = services.reports_import(
        actor=world.users["samordnare"], organisation=nacka, data=data, filename="est.csv"
    )
    assert counts == {"rows": 3, "created": 3, "unchanged": 0}
    reports = {r.external_ref: r for r in IncidentReport.objects.all()}
    assert reports["EST-1"].place == world.places["Fisksätra centrum"]
    assert reports["EST-1"].area == world.areas["Fisksätra/Saltsjöbaden"]
    assert reports["EST-2"].place is None and reports["EST-2"].address == "Ältavägen 12"
    assert reports["EST-2"].area == world.areas["Älta"]
    assert timezone.localtime(reports["EST-2"].occurred_at).strftime("%H:%M") == "21:05"
    window = reports["EST-3"].occurred_until - reports["EST-3"].occurred_at
    assert window.total_seconds() == 3.5 * 3600
    assert all(r.import_batch is not None and r.reporter is None for r in reports.values())

    again = services.reports_import(
        actor=world.users["samordnare"], organisation=nacka, data=data, filename="est.csv"
    )
    assert again == {"rows": 3, "created": 0, "unchanged": 3}
    assert IncidentReport.objects.count() == 3
    assert ImportBatch.objects.filter(kind="incident_reports").count() == 1


def test_it_refuses_the_whole_file_and_names_every_bad_row(world, categories):
    data = _csv(
        f"EST-1;Klotter;{_day()};21:30;Fisksätra centrum;;2;Helt i sin ordning",
        f"EST-2;Okänd sak;{_day()};21:30;;;2;",
        "EST-3;Klotter;2024-02-30;21:30;;;2;",
        f"EST-4;Klotter;{_day()};25:61;;;2;",
        f"EST-5;Klotter;{_day()};21:30;;;5;",
        f"EST-6;Klotter;{_day()};21:30;;;2;Killen heter 19811218-9876",
        f"EST-1;Klotter;{_day()};21:30;;;2;",
        f";Klotter;{_day()};21:30;;Gotland;2;",
    )
    with pytest.raises(ValidationError) as error:
        services.reports_import(
            actor=world.users["samordnare"],
            organisation=world.organisations["nacka"],
            data=data,
            filename="est.csv",
        )
    messages = error.value.messages
    text = "\n".join(messages)
    assert len(messages) == 7
    assert "Rad 3: okänd kategori ”Okänd sak”" in text
    assert "Rad 4: datumet ”2024-02-30”" in text
    assert "Rad 5: tiden ”25:61”" in text
    assert "Rad 6: bedömningen ska vara 1, 2 eller 3" in text
    assert (
        "Rad 7: kolumnen ”beskrivning”: Texten ser ut att innehålla ett personnummer "
        "(19XXXXXX-XXXX)" in text
    )
    assert "Rad 8: extern_id ”EST-1” finns också på rad 2" in text
    assert "Rad 9: extern_id saknas; okänt område ”Gotland”" in text
    assert "9876" not in text
    assert not IncidentReport.objects.exists()
    assert not ImportBatch.objects.exists()


def test_it_reads_an_xlsx_export_with_date_and_time_cells(world, categories):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Extern_ID",
            "Kategori",
            "Datum",
            "Tid",
            "Plats",
            "Adress",
            "Område",
            "Bedömning",
            "Beskrivning",
        ]
    )
    moment = timezone.localtime(when(6, 19, 45)).replace(tzinfo=None)
    sheet.append(
        [
            101,
            "Nedskräpning",
            moment,
            moment.time(),
            "Orminge centrum",
            "",
            "",
            1,
            "Sopor vid återvinningen",
        ]
    )
    sheet.append(["102", "Klotter", moment.date(), "20:10", "", "Skogsvägen 3", "Boo", 2.0, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    counts = services.reports_import(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        data=buffer.getvalue(),
        filename="export.xlsx",
    )
    assert counts["created"] == 2
    first = IncidentReport.objects.get(external_ref="101")
    assert first.place == world.places["Orminge centrum"]
    assert timezone.localtime(first.occurred_at).strftime("%H:%M") == "19:45"
    assert IncidentReport.objects.get(external_ref="102").assessment == 2


def test_it_names_missing_columns(world, categories):
    with pytest.raises(ValidationError) as error:
        services.reports_import(
            actor=world.users["samordnare"],
            organisation=world.organisations["nacka"],
            data=b"kategori;datum\nKlotter;2024-01-01\n",
            filename="x.csv",
        )
    assert "extern_id, tid, bedömning" in error.value.messages[0]


def test_the_import_page_shows_every_problem_and_refuses_a_wrong_file_type(
    world, categories, login
):
    client = login("samordnare")
    url = reverse("incidents:report_import")
    nacka = world.organisations["nacka"].pk
    response = client.post(
        url, {"organisation": nacka, "file": SimpleUploadedFile("est.txt", b"hello")}
    )
    assert response.status_code == 200
    assert "Filtypen är inte tillåten" in response.content.decode()
    bad = _csv(f"EST-1;Okänd;{_day()};21:30;;;2;", f"EST-2;Klotter;{_day()};21:30;;;9;")
    response = client.post(url, {"organisation": nacka, "file": SimpleUploadedFile("est.csv", bad)})
    content = response.content.decode()
    assert "Rad 2: okänd kategori" in content and "Rad 3: bedömningen" in content
    good = _csv(f"EST-1;Klotter;{_day()};21:30;;;2;")
    response = client.post(
        url, {"organisation": nacka, "file": SimpleUploadedFile("est.csv", good)}
    )
    assert response.status_code == 302
    assert IncidentReport.objects.count() == 1


def test_the_reporter_cannot_import(world, categories):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reports_import(
            actor=world.users["rapportor"],
            organisation=world.organisations["nacka"],
            data=_csv(f"EST-1;Klotter;{_day()};21:30;;;2;"),
            filename="x.csv",
        )
