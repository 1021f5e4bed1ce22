"""The budget page and the register of measures in chromium, on a phone and a desktop."""

import io

import pytest
from django.utils import translation
from playwright.sync_api import expect

from trygg.budget import demo
from trygg.budget.models import Budget
from trygg.conftest import axe_check, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sv(msgid: str, **values) -> str:
    """The Swedish the pages show for a message, from whichever catalogue translates it."""
    with translation.override("sv"):
        text = translation.gettext(msgid)
    return text % values if values else text


@pytest.mark.parametrize("width", [390, 1280])
def test_a_coordinator_reads_the_budget_and_changes_an_outcome(browser_page, world, width):
    demo.load(world, io.StringIO())
    budget = Budget.objects.get(organisation=world.organisations["nacka"], year=2023)
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/budget/")
    expect(page.get_by_role("heading", name="Trygghetsbudgetar")).to_be_visible()
    axe_check(page)
    screenshot(page, f"budget-list-{width}")
    page.locator(f'a[href="/budget/{budget.pk}/"]').click()
    page.wait_for_url(f"**/budget/{budget.pk}/")
    total = page.locator("table.budget-table tfoot tr")
    expect(total).to_contain_text("SUMMA")
    expect(total).to_contain_text("4,29\u00a0mkr")
    expect(page.get_by_text("Under budget").first).to_be_visible()
    axe_check(page)
    screenshot(page, f"budget-detail-{width}")
    # "Edit" reads "Ändra" across the whole product now (the core catalogue's wording).
    page.get_by_role("link", name="Ändra Trygghetsvärdar").click()
    page.get_by_label("Utfall (kr)").fill("-5")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Beloppet får inte vara negativt.")).to_be_visible()
    axe_check(page)
    screenshot(page, f"budget-line-error-{width}")
    page.get_by_label("Utfall (kr)").fill("1,5 mkr")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**/budget/{budget.pk}/")
    expect(total).to_contain_text("4,59\u00a0mkr")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_district_coordinator_filters_the_register_and_answers_the_skrivelse(
    browser_page, world, width
):
    hagersten = demo.load_hagersten()
    page = browser_page(width)
    browser_login(page, "hagersten")
    page.goto("/insatser/")
    expect(page.get_by_role("heading", name=sv("Register of measures"))).to_be_visible()
    page.get_by_text(sv("Filter"), exact=True).click()
    page.get_by_label(sv("Year"), exact=True).fill("2024")
    page.get_by_label(sv("Area"), exact=True).select_option(label=hagersten.area.name)
    page.get_by_label(sv("Own work or in collaboration")).select_option(
        label=sv("In collaboration")
    )
    page.get_by_role("button", name=sv("Apply")).click()
    expect(page.get_by_text("13 rader")).to_be_visible()
    axe_check(page)
    screenshot(page, f"register-{width}")
    page.get_by_role("link", name=sv("Answer a written question")).click()
    title = sv("Answer to a written question: measures %(year)s", year=2024)
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    question = "4. " + sv("How is the staff who meet young people trained?")
    expect(page.get_by_role("heading", name=question)).to_be_visible()
    axe_check(page)
    screenshot(page, f"register-skrivelse-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name=sv("Download as Word (.docx)")).click()
    assert download.value.suggested_filename == "svar-pa-skrivelse-2024.docx"
