"""Login and the shared list page in chromium, on a phone and a desktop, checked with axe."""

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_user_logs_in_and_filters_places(browser_page, world, width):
    page = browser_page(width)
    page.goto("/logga-in/")
    axe_check(page)
    screenshot(page, f"core-login-{width}")
    browser_login(page, "samordnare")
    expect(page.get_by_role("heading", name="Välkommen, Sara Samordnare")).to_be_visible()
    axe_check(page)
    screenshot(page, f"core-home-{width}")
    if width < 760:
        expect(page.get_by_role("link", name="Platser")).to_be_hidden()
        page.get_by_role("button", name="Meny").click()
    page.get_by_role("link", name="Platser").click()
    page.wait_for_url("**/platser/")
    page.get_by_text("Filtrera").click()
    page.get_by_label("Sök").fill("centrum")
    page.get_by_role("button", name="Använd").click()
    expect(page.get_by_role("link", name="Fisksätra centrum")).to_be_visible()
    expect(page.get_by_role("link", name="Nacka Forum")).to_have_count(0)
    axe_check(page)
    screenshot(page, f"core-places-{width}")


def test_a_wrong_password_shows_a_swedish_error(browser_page, world):
    page = browser_page(390)
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Ange ett korrekt användarnamn och lösenord")).to_be_visible()
    axe_check(page)
