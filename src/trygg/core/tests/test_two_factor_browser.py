"""Two-factor in chromium: an administratör without it is sent to enrolment, scans (reads) the
secret, enters a code and reaches the page; a wrong code is refused; a recovery code works
once. Checked with axe at phone and desktop width."""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from trygg.conftest import axe_check, screenshot
from trygg.core.personas import DEMO_PASSWORD
from trygg.core.twofactor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").first.click()
    page.wait_for_url("**/logga-in/")


@pytest.mark.parametrize("width", [390, 1280])
def test_an_administrator_enrols_then_needs_a_code_and_a_recovery_code_works_once(
    browser_page, world, width
):
    TOTPDevice.objects.filter(user=world.users["admin"]).delete()
    page = browser_page(width)
    sign_in(page, "admin")
    page.wait_for_url("**/tvastegsverifiering/aktivera/**")
    expect(page.get_by_role("heading", name="Aktivera tvåstegsverifiering")).to_be_visible()
    expect(page.get_by_role("img", name="QR-kod för autentiseringsappen")).to_be_visible()
    axe_check(page)
    screenshot(page, f"core-two-factor-enrol-{width}")

    # Nothing else is reachable before enrolment.
    page.goto("/andringslogg/")
    page.wait_for_url("**/tvastegsverifiering/aktivera/**")

    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Kod").fill("123456" if totp_code(secret) != "123456" else "654321")
    page.get_by_role("button", name="Aktivera", exact=True).click()
    expect(page.get_by_text("Koden stämmer inte")).to_be_visible()
    page.get_by_label("Kod").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera", exact=True).click()
    expect(page.get_by_role("heading", name="Reservkoder")).to_be_visible()
    codes = [c.strip() for c in page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    axe_check(page)
    screenshot(page, f"core-two-factor-codes-{width}")
    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    page.goto("/andringslogg/")
    expect(page.get_by_role("heading", name="Ändringslogg")).to_be_visible()

    # Next sign-in: a wrong code is refused, then a recovery code lets in.
    log_out(page)
    sign_in(page, "admin")
    page.wait_for_url("**/tvastegsverifiering/verifiera/**")
    page.get_by_label("Kod").fill("000000")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_text("Koden stämmer inte")).to_be_visible()
    axe_check(page)
    screenshot(page, f"core-two-factor-verify-{width}")
    time.sleep(1.1)  # the wait after a wrong code
    page.get_by_label("Kod").fill(codes[0])
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_text("Du loggade in med en reservkod; 9 återstår.")).to_be_visible()

    # The same recovery code does not work a second time.
    log_out(page)
    sign_in(page, "admin")
    page.wait_for_url("**/tvastegsverifiering/verifiera/**")
    page.get_by_label("Kod").fill(codes[0])
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_text("Koden stämmer inte")).to_be_visible()
    assert "/tvastegsverifiering/verifiera/" in page.url


def test_a_coordinator_turns_two_factor_on_from_the_menu(browser_page, world):
    page = browser_page(1280)
    sign_in(page, "samordnare")
    page.wait_for_url(lambda url: "/logga-in/" not in url)
    page.get_by_role("link", name="Tvåstegsverifiering").click()
    expect(page.get_by_role("heading", name="Tvåstegsverifiering")).to_be_visible()
    axe_check(page)
    screenshot(page, "core-two-factor-overview-1280")
    page.get_by_role("link", name="Aktivera tvåstegsverifiering").click()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Kod").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera", exact=True).click()
    expect(page.get_by_role("heading", name="Reservkoder")).to_be_visible()
