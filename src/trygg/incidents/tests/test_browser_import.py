"""The import page of a large file: queued, its progress, then its result (chromium + axe)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.core.models import ImportBatch
from trygg.incidents import services, tasks, views
from trygg.incidents.tests.test_import_background import big_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_large_import_shows_its_progress_and_then_its_result(
    browser_page, world, width, tmp_path, settings, monkeypatch
):
    services.categories_ensure_defaults(world.organisations["nacka"])
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(views, "BACKGROUND_BYTES", 10_000)
    file = tmp_path / "est.csv"
    file.write_bytes(big_csv(1200))
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/handelser/importera/")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(file))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("heading", name="Import: est.csv")).to_be_visible()
    expect(page.get_by_text("Importen körs i bakgrunden.")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-import-running-{width}")

    # The worker imports it (the database task backend: run the queued task here).
    batch = ImportBatch.objects.get(kind="incident_reports")
    path = next((tmp_path / "imports" / "incidents").glob("*.upload"))
    assert tasks.import_reports.call(batch.pk, str(path), "est.csv", None) == "done"
    # The page polls its status and shows the result without a reload.
    expect(page.get_by_text("1200 rader lästa: 1200 nya rapporter")).to_be_visible(timeout=15_000)
    axe_check(page)
    screenshot(page, f"incidents-import-done-{width}")
