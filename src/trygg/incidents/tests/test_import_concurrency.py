"""Other users keep working while a large import runs: a login (which writes the session,
the last login and the access log) and the lägesbild answer while the import checks its
rows, on SQLite (one writer at a time) as on PostgreSQL, and the import completes, all or
nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.test_import_background import big_csv

ROWS = 6000


def run_on_a_sqlite_file(tmp_path: Path) -> None:
    """This test in a process of its own, with the test database in a file."""
    env = {
        **os.environ,
        "TRYGG_ENV": "test",
        "TRYGG_TEST_SQLITE_FILE": str(tmp_path / "test.sqlite3"),
    }
    env.pop("TRYGG_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", f"{__file__}::{NAME}"],
        env=env,
        cwd=Path(__file__).resolve().parents[4],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 passed" in run.stdout, run.stdout[-3000:]


@pytest.mark.django_db(transaction=True)
def test_users_log_in_and_read_the_lagesbild_while_an_import_runs(
    world, categories, monkeypatch, tmp_path
):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # An in-memory database locks tables, not a file, and cannot show SQLite's one
        # writer: run this test again in its own process on a test database in a file.
        run_on_a_sqlite_file(tmp_path)
        return
    from trygg.core import personas

    monkeypatch.setattr(services, "IMPORT_CHUNK", 500)
    started, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def progress(percent: int) -> None:
        started.set()
        release.wait(timeout=30)  # hold the import in its checking step while others work

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


NAME = test_users_log_in_and_read_the_lagesbild_while_an_import_runs.__name__
