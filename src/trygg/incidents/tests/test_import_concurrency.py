"""Other users keep working while a large import runs: a login and the lägesbild answer
while the import's transaction is open, and the import completes."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.test_import_background import big_csv

ROWS = 6000


@pytest.mark.django_db(transaction=True)
def test_users_log_in_and_read_the_lagesbild_while_an_import_runs(
    world, categories, monkeypatch, request
):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the in-memory SQLite test database locks tables, not the file; run with "
            "TRYGG_TEST_SQLITE_FILE=/tmp/test.sqlite3 for a file"
        )
    if connection.vendor == "sqlite":
        # Known limit, kept visible: SQLite has one writer, the import writes the whole file
        # in one transaction (all or nothing), and a login writes (session, last login), so
        # it waits for the lock and fails after the timeout. PostgreSQL passes.
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="SQLite: a login cannot write while an import holds the write lock",
            )
        )
    from trygg.core import personas

    monkeypatch.setattr(services, "IMPORT_CHUNK", 500)
    started, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def progress(percent: int) -> None:
        started.set()
        release.wait(timeout=30)  # hold the import's transaction open while others work

    def run_import() -> None:
        try:
            outcome["counts"] = services.reports_import(
                actor=world.users["samordnare"],
                organisation=world.organisations["nacka"],
                data=big_csv(ROWS),
                filename="stor.csv",
                progress=progress,
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = error
        finally:
            connections.close_all()

    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        assert started.wait(timeout=60), "the import never reached its first chunk"
        client = Client()
        response = client.post(
            reverse("login"),
            {"username": "samordnare", "password": personas.DEMO_PASSWORD},
        )
        assert response.status_code == 302, response.content[:500]
        assert client.get(reverse("situation:overview")).status_code == 200
        other = Client()
        other.force_login(world.users["arbetsgrupp"])
        assert other.get(reverse("situation:overview")).status_code == 200
        # The import is not visible until it commits: all or nothing.
        assert not IncidentReport.objects.filter(external_ref="EST-1").exists()
    finally:
        release.set()
        worker.join(timeout=120)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["counts"]["created"] == ROWS
    assert IncidentReport.objects.count() == ROWS
