"""The Rapporter page in the browser: the annual report made in the background with its
progress, downloaded; the document as a web page; axe on every page, at phone and desktop
width."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.reports.tests.conftest import load_demo_subset
from trygg.reports.tests.test_index import plan  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_coordinator_finds_the_plan_documents(browser_page, world, plan, width):  # noqa: F811
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/rapporter/")
    expect(page.get_by_role("heading", name="Rapporter", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Word för import").first).to_be_visible()
    axe_check(page)
    screenshot(page, f"reports-index-{width}")


def test_the_annual_report_is_made_in_the_background_and_downloaded(browser_page, tmp_path):
    load_demo_subset()
    page = browser_page(1280)
    browser_login(page, "samordnare")
    page.goto("/rapporter/")
    axe_check(page)
    page.locator("#id_kind").select_option("annual")
    page.locator("#id_organisation").select_option(label="Nacka kommun")
    page.locator("#id_year").fill("2023")
    page.locator("#id_format").select_option("pdf")
    page.get_by_role("button", name="Skapa filen i bakgrunden").click()

    # Queued: the page shows the progress and asks for it again until the file is ready.
    progress = page.locator("progress#job-progress")
    expect(progress).to_be_visible()
    expect(page.get_by_text("Dokumentet skapas i bakgrunden")).to_be_visible()
    axe_check(page)
    screenshot(page, "reports-job-queued-1280")

    call_command("db_worker", "--batch", verbosity=0)  # the worker, as `make run` starts it

    download_link = page.get_by_role("link", name="Hämta")
    expect(download_link).to_be_visible(timeout=20000)
    axe_check(page)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "vb.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    # The same document as a web page, with its sources on demand.
    page.goto("/rapporter/")
    page.locator("#id_kind").select_option("annual")
    page.locator("#id_year").fill("2023")
    page.get_by_role("button", name="Visa som webbsida").click()
    expect(page.get_by_role("heading", name="Verksamhetsberättelse 2023")).to_be_visible()
    expect(page.get_by_text("4,29 mkr").first).to_be_visible()
    page.locator(".figure-ref a").first.click()
    expect(page.locator(".document__sources li:target")).to_be_visible()
    axe_check(page)
    screenshot(page, "reports-document-1280")

    phone = browser_page(390)
    browser_login(phone, "samordnare")
    phone.goto(page.url)
    expect(phone.get_by_role("heading", name="Verksamhetsberättelse 2023")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, width
    axe_check(phone)
    screenshot(phone, "reports-document-390")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_large_export_is_made_in_the_background_and_downloaded(
    browser_page, world, settings, tmp_path, width
):
    import io

    from openpyxl import load_workbook

    from trygg.core.models import Place

    settings.XLSX_INLINE_ROWS = 2  # Nacka's places are a large export here
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/platser/")
    page.get_by_role("link", name="XLSX").click()

    # The export link offers the background build instead of a file.
    expect(page.get_by_role("heading", name="Stor export")).to_be_visible()
    axe_check(page)
    screenshot(page, f"export-offer-{width}")
    page.get_by_role("button", name="Skapa filen i bakgrunden").click()

    expect(page.locator("progress#job-progress")).to_be_visible()
    expect(page.get_by_text("Exporten skapas i bakgrunden")).to_be_visible()
    axe_check(page)
    screenshot(page, f"export-queued-{width}")

    call_command("db_worker", "--batch", verbosity=0)  # the worker, as `make run` starts it

    download_link = page.get_by_role("link", name="Hämta")
    expect(download_link).to_be_visible(timeout=20000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2
    axe_check(page)
    screenshot(page, f"export-done-{width}")
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "platser.xlsx"
    info.value.save_as(path)
    names = [row[0] for row in list(load_workbook(io.BytesIO(path.read_bytes())).active.values)[1:]]
    nacka = world.organisations["nacka"]
    assert sorted(names) == sorted(
        Place.objects.filter(organisation=nacka).values_list("name", flat=True)
    )
