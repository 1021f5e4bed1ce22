"""The follow-up page at desktop and phone width: every status button is visible in full, striking
a decision asks first, and scrollable tables are reachable by keyboard."""

import pytest

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.forums.models import Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTONS_OUTSIDE_THEIR_BOX = """() => [...document.querySelectorAll('.status-buttons button')]
  .filter(b => {
    const r = b.getBoundingClientRect();
    const box = b.closest('.table-wrap').getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1;
  }).map(b => b.innerText)"""

UNREACHABLE_SCROLL_REGIONS = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter(el => el.tabIndex < 0).map(el => el.className)"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_follow_up_buttons_are_whole_and_striking_asks_first(browser_page, data, width):
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/samverkan/uppfoljning/?status=all")
    assert page.locator(".status-buttons button").count() > 0
    assert page.evaluate(BUTTONS_OUTSIDE_THEIR_BOX) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNREACHABLE_SCROLL_REGIONS) == []
    axe_check(page)
    screenshot(page, f"forums-followup-layout-{width}")

    strike = page.get_by_role("button", name="Stryk").first
    open_before = Decision.objects.filter(status="open").count()
    page.once("dialog", lambda dialog: dialog.dismiss())
    strike.click()
    page.wait_for_timeout(300)
    assert Decision.objects.filter(status="open").count() == open_before
    page.once("dialog", lambda dialog: dialog.accept())
    strike.click()
    page.wait_for_load_state()
    assert Decision.objects.filter(status="open").count() == open_before - 1


def test_the_calendar_subscriptions_table_is_reachable_by_keyboard(browser_page, data):
    page = browser_page(390)
    browser_login(page, "samordnare")
    page.goto("/samverkan/kalender/")
    region = page.get_by_role("region", name="Mina kalenderprenumerationer")
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate(UNREACHABLE_SCROLL_REGIONS) == []
    axe_check(page)
