"""Importing a plan in chromium, on a phone and a desktop, with axe: a refused file, the
mapping page for an unknown column, the preview, and nothing written before confirming."""

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.plans.models import Measure, Plan
from trygg.plans.tests.test_import import import_seed
from trygg.plans.tests.test_import_steps import SHEET_HEADER, SHEET_ROWS, word_plan, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_word_plan_with_an_unknown_column_is_mapped_previewed_and_then_imported(
    browser_page, world, width
):
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/planer/importera/")

    # A file that is not a Word document is refused on the upload page, with the reason.
    page.get_by_label("Fil").set_input_files(
        {"name": "plan.docx", "mimeType": DOCX, "buffer": b"PK\x03\x04 trasig"}
    )
    page.get_by_role("button", name="Importera").click()
    expect(page.locator(".field--error")).to_contain_text("Filen avvisades; inget importerades.")
    expect(page.locator("#import-problems")).to_contain_text("inte en giltig .docx-fil")
    axe_check(page)

    page.get_by_label("Fil").set_input_files(
        {"name": "plan.docx", "mimeType": DOCX, "buffer": word_plan()}
    )
    page.get_by_role("button", name="Importera").click()
    page.wait_for_url("**/kolumner/")
    expect(page.get_by_role("heading", name="Vilken kolumn är vad?")).to_be_visible()
    expect(page.get_by_role("region", name="Filens första rader")).to_contain_text("HT 2025")
    axe_check(page)
    screenshot(page, f"plans-import-columns-{width}")

    # Without a choice, the error stands next to the field.
    page.get_by_role("button", name="Fortsätt till förhandsgranskning").click()
    expect(page.locator(".field--error")).to_contain_text("Detta fält måste fyllas i.")
    axe_check(page)
    page.get_by_label("Kolumnen ”Tidsplan”").select_option(label="Anteckning (läggs till åtgärden)")
    page.get_by_role("button", name="Fortsätt till förhandsgranskning").click()
    page.wait_for_url("**/granska/")
    expect(page.get_by_test_id("row-outcome")).to_have_text(["Ny", "Ny", "Ny"])
    expect(page.get_by_test_id("import-summary")).to_contain_text(
        "Åtgärder: 3 nya, 0 ändrade, 0 oförändrade"
    )
    assert Plan.objects.count() == 0 and Measure.objects.count() == 0
    axe_check(page)
    screenshot(page, f"plans-import-preview-{width}")

    page.get_by_role("button", name="Importera").click()
    page.wait_for_url("**/planer/*/")
    expect(page.get_by_role("status")).to_contain_text("Skapade planen")
    assert Plan.objects.get().measures.count() == 3


def test_a_hand_made_sheet_shows_what_it_changes_and_adds(browser_page, world):
    plan = import_seed(world).plan
    page = browser_page(1280)
    browser_login(page, "samordnare")
    page.goto(f"/planer/{plan.pk}/importera/")
    page.get_by_label("Fil").set_input_files(
        {"name": "egen.xlsx", "mimeType": XLSX, "buffer": workbook(SHEET_HEADER, SHEET_ROWS)}
    )
    page.get_by_role("button", name="Importera").click()
    page.wait_for_url("**/granska/")
    expect(page.get_by_test_id("row-outcome")).to_have_text(["Ändras", "Ny"])
    assert plan.measures.count() == 28
    axe_check(page)
    page.get_by_role("button", name="Importera").click()
    page.wait_for_url(f"**/planer/{plan.pk}/")
    assert plan.measures.count() == 29
