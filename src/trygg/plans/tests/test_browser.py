"""The coordinator's journey through a plan in chromium, on a phone and a desktop, with axe."""

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.plans import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _Quiet:
    def write(self, text):
        pass


@pytest.mark.parametrize("width", [390, 1280])
def test_the_coordinator_completes_a_measure_and_sees_the_rollup_change(browser_page, world, width):
    demo.load(world, _Quiet())
    page = browser_page(width)
    browser_login(page, "samordnare")

    if width < 760:
        page.get_by_role("button", name="Meny").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Planer").click()
    page.wait_for_url("**/planer/")
    axe_check(page)
    screenshot(page, f"plans-list-{width}")

    page.get_by_role("link", name="Plan för samverkan Nacka kommun / polisen").click()
    summary = page.get_by_test_id("activity-summary")
    expect(summary).to_have_text("27 aktiviteter: 16 slutförda, 11 pågående, 0 ej påbörjade")
    expect(page.get_by_role("note")).to_contain_text("Demodata")
    axe_check(page)
    screenshot(page, f"plans-detail-{width}")

    row = page.locator("tr.measure-row").filter(has_text="narkotikahandel").first
    expect(row.get_by_test_id("measure-status")).to_have_text("Pågående")
    row.get_by_role("link", name="Öppen narkotikahandel", exact=True).click()
    page.wait_for_url("**/planer/atgarder/*/")
    page.locator("#id_status").select_option(label="Slutförd")  # the "Rapportera status" form
    page.get_by_role("button", name="Spara status").click()
    expect(page.get_by_role("status")).to_contain_text("är nu slutförd")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Pågående")
    expect(timeline).to_contain_text("Slutförd")
    expect(timeline).to_contain_text("Sara Samordnare")
    axe_check(page)
    screenshot(page, f"plans-measure-{width}")

    page.get_by_role("link", name="Plan för samverkan Nacka kommun / polisen").first.click()
    expect(summary).to_have_text("27 aktiviteter: 17 slutförda, 10 pågående, 0 ej påbörjade")
    row = page.locator("tr.measure-row").filter(has_text="narkotikahandel").first
    expect(row.get_by_test_id("measure-status")).to_have_text("Slutförd")
    axe_check(page)
    page.get_by_role("link", name="Öppen narkotikahandel", exact=True).click()

    # "Edit" reads "Ändra" across the whole product now (the core catalogue's wording).
    page.get_by_role("link", name="Ändra", exact=True).click()
    expect(page.get_by_label("Utmaning")).to_be_visible()
    axe_check(page)
    screenshot(page, f"plans-measure-form-{width}")
    page.go_back()

    page.get_by_role("link", name="Historik").first.click()
    expect(page.locator("main")).to_contain_text("Slutförd")
    axe_check(page)

    page.goto("/planer/")
    page.get_by_role("link", name="Plan för samverkan Nacka kommun / polisen").click()
    page.get_by_role("link", name="Importera", exact=True).click()
    page.get_by_role("button", name="Importera").click()
    expect(page.locator(".field--error")).to_contain_text("Detta fält måste fyllas i.")
    axe_check(page)
    screenshot(page, f"plans-import-{width}")
