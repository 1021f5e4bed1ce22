"""The reports page on a phone and a desktop, checked with axe."""

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.reports.tests.test_index import plan  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_coordinator_finds_the_plan_documents(browser_page, world, plan, width):  # noqa: F811
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/rapporter/")
    expect(page.get_by_role("heading", name="Rapporter", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Word (.docx)").first).to_be_visible()
    axe_check(page)
    screenshot(page, f"reports-index-{width}")
