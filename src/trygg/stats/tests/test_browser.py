"""The samordnare imports Brå figures, follows a background import and reads the trend
(chromium + axe, at phone and desktop width)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.core.models import ImportBatch
from trygg.stats import tasks, views
from trygg.stats.tests.conftest import GOTEBORG_CSV, MONTHLY_CSV, PX_SYMBOLS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_coordinator_imports_brå_figures_and_reads_the_trend(
    browser_page, geography, world, width, monkeypatch, settings, tmp_path
):
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/statistik/")
    expect(page.get_by_role("heading", name="Statistik")).to_be_visible()
    axe_check(page)

    # A file with a bad row is refused with its row number; nothing is saved.
    page.goto("/statistik/import/")
    axe_check(page)
    screenshot(page, f"stats-import-index-{width}")
    page.get_by_role("link", name=re.compile("Brå anmälda brott per område och år")).click()
    bad = tmp_path / "fel.csv"
    bad.write_text(GOTEBORG_CSV.read_text("utf-8").replace(",1259,", ",tolv,"), "utf-8")
    page.get_by_label("Fil").set_input_files(str(bad))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Filen avvisades: 1 fel. Inget sparades.")).to_be_visible()
    expect(page.get_by_text("Rad 61:")).to_be_visible()
    axe_check(page)
    screenshot(page, f"stats-import-refused-{width}")

    # The right file imports at once.
    page.get_by_label("Fil").set_input_files(str(GOTEBORG_CSV))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("90 rader lästa: 90 nya")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Anmälda brott per område och år (Brå)").click()

    # The trend: Nordost assaults 2025 against 2024.
    page.get_by_label("Från period").select_option("2024")
    page.get_by_label("Till period").select_option("2025")
    page.get_by_label("Kategori").select_option("Misshandel")
    page.get_by_role("button", name="Jämför").click()
    row = page.locator("table.trend tbody tr", has=page.get_by_role("rowheader", name="Nordost"))
    expect(row).to_contain_text("1 282")
    expect(row).to_contain_text("1 259")
    expect(row).to_contain_text("ingen säker förändring")
    expect(row).to_contain_text("(0,91–1,06)")
    expect(page.locator(".chart svg").first).to_be_visible()
    expect(page.locator("tfoot tr.total")).to_contain_text("100,0")
    axe_check(page)
    screenshot(page, f"stats-series-trend-{width}")

    page.get_by_role("link", name="Alla värden").click()
    expect(page.locator("table.data tbody tr")).to_have_count(50)
    axe_check(page)
    screenshot(page, f"stats-values-{width}")

    # A large file goes to the background; the batch page polls until it is done.
    monkeypatch.setattr(views, "BACKGROUND_BYTES", 100)
    settings.VAR_DIR = tmp_path
    page.goto("/statistik/import/bra-manad/")
    page.get_by_label("Fil").set_input_files(str(MONTHLY_CSV))
    page.get_by_role("button", name="Importera").click()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_text("Importen körs i bakgrunden.")).to_be_visible()
    axe_check(page)
    screenshot(page, f"stats-import-queued-{width}")
    batch = ImportBatch.objects.get(kind="stats.bra_monthly")
    stored = next(tasks.upload_dir().glob(f"{batch.pk}-*.upload"))
    tasks.import_statistics.call(batch.pk, str(stored), {}, world.users["samordnare"].pk)
    expect(page.get_by_text("7 rader lästa: 7 nya")).to_be_visible(timeout=10000)
    expect(page.locator("progress")).to_have_count(0)
    axe_check(page)
    screenshot(page, f"stats-import-done-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_coordinator_maps_a_px_table_and_compares_areas(browser_page, geography, world, width):
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/statistik/import/px/")
    axe_check(page)
    page.get_by_label("Fil").set_input_files(str(PX_SYMBOLS))
    page.get_by_role("button", name="Importera").click()

    # Step 2: the defaults come from the variable names; the user confirms them.
    expect(page.get_by_role("heading", name="Importera PX-fil: välj variabler")).to_be_visible()
    expect(page.get_by_label("Områdesvariabel")).to_have_value("region")
    expect(page.get_by_label("Periodvariabel")).to_have_value("period")
    axe_check(page)
    screenshot(page, f"stats-px-mapping-{width}")
    page.get_by_label("Serie").fill("Inflyttade 2003")
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("24 rader lästa: 24 nya")).to_be_visible()
    page.get_by_role("link", name="Inflyttade 2003").click()

    # Missing cells keep their symbol in the table of values.
    overview = page.locator("table.overview")
    expect(overview.get_by_role("rowheader", name="Riket")).to_be_visible()
    expect(overview.locator("td", has_text=re.compile(r"^\.\.$"))).to_have_count(1)
    axe_check(page)
    screenshot(page, f"stats-px-series-{width}")

    page.get_by_role("link", name="Jämför områden").click()
    page.get_by_label("Område").select_option(label="Upplands Väsby")
    page.get_by_role("button", name="Jämför").click()
    table = page.locator("table.data tbody")
    expect(table.get_by_role("rowheader")).to_have_text(
        ["Upplands Väsby", "Stockholms län", "Riket"]
    )
    axe_check(page)
    screenshot(page, f"stats-comparison-{width}")
