"""A PX table of index figures without a region variable, mapped and imported in chromium at
phone and desktop width with axe: Riket and "index" are preselected, the file's own word for
its figures is named, and the series page gives no increase/decrease verdict for an index."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.stats.models import IndicatorSeries, Observation
from trygg.stats.tests.test_measure_type import swedish_px

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# UNITS says "index"; CONTENTS does not, so the preselection comes from UNITS.
INDEX_PX = swedish_px("Bostadspriser", "index", (100, 104))


@pytest.mark.parametrize("width", [390, 1280])
def test_an_index_table_without_a_region_is_imported_as_riket_without_a_verdict(
    browser_page, world, width, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/statistik/import/px/")
    page.get_by_label("Fil").set_input_files(
        {"name": "bostadspriser.px", "mimeType": "text/plain", "buffer": INDEX_PX}
    )
    page.get_by_role("button", name="Importera").click()

    page.wait_for_url("**/import/px/variabler/")
    expect(page.get_by_role("heading", name="Importera PX-fil: välj variabler")).to_be_visible()
    # The measure type the file states, and Riket for a table that names no region.
    notice = page.locator(".px-measure")
    expect(notice).to_contain_text("Filens UNITS och CONTENTS anger att siffrorna är av typen")
    expect(notice).to_contain_text("index")
    expect(notice).to_contain_text("Tabellen saknar regionvariabel")
    expect(page.get_by_label("Måttyp")).to_have_value("index")
    expect(page.get_by_label("Område för hela tabellen")).to_have_value("national")
    expect(page.get_by_label("Områdesvariabel")).to_have_value("")
    expect(page.get_by_label("Periodvariabel")).to_have_value("år")
    assert not IndicatorSeries.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    screenshot(page, f"stats-px-index-mapping-{width}")

    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("2 rader lästa: 2 nya")).to_be_visible()
    series = IndicatorSeries.objects.get()
    assert series.measure_type == "index"
    assert {o.area.name for o in Observation.objects.all()} == {"Riket"}
    axe_check(page)
    page.get_by_role("link", name=series.name).click()

    # 2022 against 2023: the change is shown, the verdict is not, and the page says why.
    expect(page.get_by_role("heading", name=series.name)).to_be_visible()
    expect(page.locator("table.trend")).to_be_visible()
    expect(page.locator("table.trend .verdict")).to_have_count(0)
    expect(page.locator(".verdict-note")).to_contain_text(
        "Ingen bedömning: serien innehåller siffror av typen ”index”"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    screenshot(page, f"stats-px-index-series-{width}")
