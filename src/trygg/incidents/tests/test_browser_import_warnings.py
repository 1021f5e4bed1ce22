"""The warnings page of an incident file that may hold personal data, in chromium at phone
and desktop width with axe: each warning names its row and column, "Importera ändå" imports
the file and "Avbryt" writes nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.core.models import ImportBatch
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.test_import_personal_data import WITH_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, tmp_path):
    file = tmp_path / "est.csv"
    file.write_bytes(WITH_WARNINGS)
    page.goto("/handelser/importera/")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(file))
    page.get_by_role("button", name="Importera").click()
    expect(
        page.get_by_role("heading", name="Importera händelserapporter: kontrollera personuppgifter")
    ).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_warnings_name_row_and_column_and_importing_anyway_imports(
    browser_page, world, categories, width, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    page = browser_page(width)
    browser_login(page, "samordnare")
    _upload(page, tmp_path)

    # Up to a thousand rows: the list scrolls in a labelled box of its own.
    box = page.get_by_role("region", name="Rader att kontrollera")
    expect(box).to_have_css("overflow-y", "auto")
    warnings = box.get_by_role("listitem")
    expect(warnings).to_have_count(3)
    expect(warnings.nth(0)).to_contain_text(
        "Rad 3, kolumnen ”beskrivning”: Texten kan innehålla ett namn (A…)"
    )
    expect(warnings.nth(1)).to_contain_text("Rad 4, kolumnen ”beskrivning”")
    expect(warnings.nth(2)).to_contain_text("Rad 4, kolumnen ”adress”")
    expect(page.locator("main")).not_to_contain_text("Anna Svensson")
    expect(page.get_by_text("Ingenting har importerats än.")).to_be_visible()
    assert not IncidentReport.objects.exists() and not ImportBatch.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    screenshot(page, f"incidents-import-warnings-{width}")

    page.get_by_role("button", name="Importera ändå").click()
    page.wait_for_url("**/handelser/")
    expect(page.locator(".messages")).to_contain_text("Importerade 3 nya rapporter")
    assert IncidentReport.objects.count() == 3
    axe_check(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_cancelling_the_warnings_writes_nothing(
    browser_page, world, categories, width, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    page = browser_page(width)
    browser_login(page, "samordnare")
    _upload(page, tmp_path)

    page.get_by_role("button", name="Avbryt").click()
    page.wait_for_url("**/handelser/importera/")
    expect(page.locator(".messages")).to_contain_text("Ingenting importerades.")
    assert not IncidentReport.objects.exists() and not ImportBatch.objects.exists()
    assert not list(tmp_path.rglob("pending-*"))
    axe_check(page)
    screenshot(page, f"incidents-import-warnings-cancelled-{width}")
