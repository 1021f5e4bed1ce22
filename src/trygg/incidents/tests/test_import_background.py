"""A large incident-report file is stored and imported by the worker, in chunks with a
constant number of queries each, while the page shows its progress."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.core.models import ImportBatch
from trygg.incidents import services, tasks, views
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.conftest import when
from trygg.situation.models import DayCount

pytestmark = pytest.mark.django_db

HEADER = "extern_id;kategori;datum;tid;plats/adress;område;bedömning;beskrivning"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PLACES = ["Fisksätra centrum", "Orminge centrum", "Älta centrum", "Ältavägen 12", ""]
CATEGORIES = ["Klotter", "Skadegörelse", "Nedskräpning", "Stöld"]


def big_csv(rows: int, *, bad_row: int | None = None, start: int = 1) -> bytes:
    lines = [HEADER]
    for n in range(start, start + rows):
        moment = when(1 + n % 300, n % 24, n % 60)
        assessment = "9" if n == bad_row else str(1 + n % 3)
        lines.append(
            f"EST-{n};{CATEGORIES[n % 4]};{moment:%Y-%m-%d};{moment:%H:%M};"
            f"{PLACES[n % 5]};;{assessment};Rapport nummer {n % 7}"
        )
    return ("\n".join(lines) + "\n").encode()


def test_the_page_queues_a_large_file_and_the_worker_imports_it(
    world, categories, login, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(views, "BACKGROUND_BYTES", 10_000)
    client = login("samordnare")
    # Without the street address, which would stop the file for the user's decision
    # (test_import_personal_data covers that).
    data = big_csv(2000).replace("Ältavägen 12".encode(), b"")
    nacka = world.organisations["nacka"].pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("incidents:report_import"),
            {"organisation": nacka, "file": SimpleUploadedFile("est.csv", data)},
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="incident_reports")
    assert response["Location"] == reverse("incidents:import_detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.QUEUED
    assert not IncidentReport.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "hx-get" in page.content.decode()
    # The request is over; the worker takes the queued task.
    with override_settings(TASKS=IMMEDIATE):
        for callback in callbacks:
            callback()
    batch.refresh_from_db()
    assert batch.counts == {"rows": 2000, "created": 2000, "unchanged": 0}
    assert IncidentReport.objects.filter(import_batch=batch).count() == 2000
    # The lägesbild's counts came with the import, not with the next page.
    assert sum(DayCount.objects.values_list("count", flat=True)) == 2000
    assert not list(tmp_path.glob("imports/incidents/*"))
    page = client.get(reverse("incidents:import_detail", args=[batch.pk]))
    assert "2000" in page.content.decode() and "hx-get" not in page.content.decode()
    # Another user's organisation cannot see the batch.
    assert login("utomstaende").get(response["Location"]).status_code == 404


def test_a_refused_file_in_the_worker_leaves_the_problems_on_the_batch(
    world, categories, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    actor = world.users["samordnare"]
    data = big_csv(1500, bad_row=1400)
    batch = services.report_import_queue(
        actor=actor, organisation=world.organisations["nacka"], filename="x.csv", content=data
    )
    path = tasks.store_upload(batch, data)
    assert tasks.import_reports.call(batch.pk, str(path), "x.csv", actor.pk) == "rejected"
    batch.refresh_from_db()
    assert "Rad 1401" in batch.problems[0]["message"]
    assert not IncidentReport.objects.exists()  # all or nothing
    assert not path.exists()


def test_the_import_runs_a_constant_number_of_queries_per_chunk(world, categories, monkeypatch):
    """Queries grow with the number of chunks, not of rows: twice the rows in chunks of
    the same size is twice the chunk queries, and nothing per row."""
    monkeypatch.setattr(services, "IMPORT_CHUNK", 500)
    actor = world.users["samordnare"]
    nacka = world.organisations["nacka"]

    def queries(data: bytes) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.reports_import(actor=actor, organisation=nacka, data=data, filename="x.csv")
        # SQLite's page-cache PRAGMAs around each bulk insert are settings, not reads or
        # writes of data.
        return sum(1 for q in captured.captured_queries if not q["sql"].startswith("PRAGMA"))

    small = queries(big_csv(1000, start=1))  # 2 chunks
    large = queries(big_csv(4000, start=10_000))  # 8 chunks
    per_chunk = (large - small) / 6
    assert per_chunk <= 4, (small, large)
    assert large < 100, (small, large)  # 4 000 rows
    assert IncidentReport.objects.count() == 5000


def test_a_million_row_import_is_not_limited_by_the_command(world, categories, tmp_path):
    """The page refuses files over MAX_ROWS; the command takes any number (here a few)."""
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "reports.csv"
    path.write_bytes(big_csv(300))
    out = StringIO()
    call_command("import_incident_reports", str(path), "--organisation", "Nacka kommun", stdout=out)
    assert "300 rader: 300 nya" in out.getvalue()
    call_command("import_incident_reports", str(path), "--organisation", "Nacka kommun", stdout=out)
    assert "300 rader: 0 nya, 300 fanns redan" in out.getvalue()
    assert IncidentReport.objects.count() == 300
