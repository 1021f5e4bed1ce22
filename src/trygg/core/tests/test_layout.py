"""The API-key page on a phone: nothing overflows sideways and the help text shows the header."""

import pytest

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.core import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_api_key_page_fits_and_explains_the_header(browser_page, world, width):
    services.api_token_create(actor=world.users["samordnare"], name="Rapportexport till Excel")
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/konto/api-nycklar/")
    page.get_by_label("Namn").fill("Statistikhämtning från kommunens BI-verktyg")
    page.get_by_role("button", name="Skapa nyckel").click()
    assert page.locator("code.token").is_visible()
    assert "Authorization: Bearer <nyckel>" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)
    screenshot(page, f"core-api-tokens-{width}")
