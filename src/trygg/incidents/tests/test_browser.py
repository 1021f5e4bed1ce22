"""A trygghetsvärd files a report on a phone; the samordnare reviews it (chromium + axe)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.incidents import services
from trygg.incidents.models import IncidentReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reporter_files_a_report_and_the_coordinator_reviews_it(browser_page, world, width):

    # The trygghetsvärd on a phone (and the same journey on a desktop).
    page = browser_page(width)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 59.2946, "longitude": 18.2561, "accuracy": 12})
    browser_login(page, "rapportor")
    page.goto("/handelser/ny/")
    expect(page.get_by_role("heading", name="Ny händelserapport")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-report-form-{width}")

    page.get_by_label("Vad hände?").select_option(label="Klotter")
    page.get_by_label("Plats", exact=True).select_option(label="Fisksätra centrum")
    # A tap on the map sets the position; the device's position then replaces it.
    map_element = page.locator("[data-report-map]")
    expect(map_element).to_be_visible()
    box = map_element.bounding_box()  # away from the zoom buttons in the top left corner
    map_element.click(position={"x": box["width"] * 0.7, "y": box["height"] * 0.6})
    expect(page.get_by_text("Positionen är satt från kartan.")).to_be_visible()
    assert page.locator("#id_lat").input_value() != ""
    page.get_by_role("button", name="Använd min position").click()
    expect(page.get_by_text("Din position är sparad (noggrannhet cirka 12 m).")).to_be_visible()
    page.get_by_label("2 – allvarlig").check()
    # A personnummer is refused, with the reason next to the field.
    page.get_by_label("Kort beskrivning").fill("Klottret gjordes av 811218-9876 igen.")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.get_by_text("Texten ser ut att innehålla ett personnummer")).to_be_visible()
    assert not IncidentReport.objects.exists()
    axe_check(page)
    screenshot(page, f"incidents-report-refused-{width}")

    page.get_by_label("Kort beskrivning").fill("Nytt klotter på gångtunneln vid busshållplatsen.")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.get_by_text("Tack! Rapporten är inskickad.")).to_be_visible()
    report = IncidentReport.objects.get()
    assert report.reporter == world.users["rapportor"]
    assert (round(report.lat, 4), round(report.lon, 4)) == (59.2946, 18.2561)
    assert report.area == world.areas["Fisksätra/Saltsjöbaden"]
    expect(page.get_by_text("Fisksätra centrum")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-report-filed-{width}")

    # The reporter's list shows their own report only.
    page.goto("/handelser/")
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    expect(page.locator("table.data td", has_text="Klotter")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-reporter-list-{width}")

    # The samordnare reviews it.
    reviewer = browser_page(width)
    browser_login(reviewer, "samordnare")
    reviewer.goto("/handelser/")
    reviewer.get_by_text("Filtrera").click()
    reviewer.get_by_role("combobox", name="Status").select_option(label="Ny")
    reviewer.get_by_role("button", name="Använd").click()
    expect(reviewer.get_by_text("1 rad")).to_be_visible()
    axe_check(reviewer)
    screenshot(reviewer, f"incidents-review-list-{width}")
    reviewer.locator("table.data tbody a").first.click()
    expect(reviewer.get_by_role("heading", name="Klotter")).to_be_visible()
    expect(reviewer.get_by_text("Nytt klotter på gångtunneln")).to_be_visible()
    reviewer.get_by_role("combobox", name="Status", exact=True).select_option(label="Granskad")
    reviewer.get_by_label("Granskningsanteckning").fill("Sanering beställd av fastighetsenheten.")
    reviewer.get_by_role("button", name="Spara granskningen").click()
    expect(reviewer.get_by_text("Rapporten sparades.")).to_be_visible()
    axe_check(reviewer)
    screenshot(reviewer, f"incidents-reviewed-{width}")
    report.refresh_from_db()
    assert report.status == "granskad" and report.reviewed_by == world.users["samordnare"]


def test_the_police_partner_sees_the_report_blurred(browser_page, world):
    from trygg.incidents.models import IncidentCategory
    from trygg.incidents.tests.conftest import when

    report = services.report_create(
        actor=world.users["rapportor"],
        organisation=world.organisations["nacka"],
        category=IncidentCategory.objects.get(
            organisation=world.organisations["nacka"], name="Klotter"
        ),
        occurred_at=when(2, 21, 37),
        place=world.places["Orminge centrum"],
        assessment=2,
        description="Klotter på skolans gavel.",
    )
    page = browser_page(390)
    browser_login(page, "polis")
    page.goto(f"/handelser/{report.pk}/")
    expect(page.get_by_text("Du ser rapporten förgrovad")).to_be_visible()
    expect(page.get_by_text("mellan 21:00 och 21:59")).to_be_visible()
    expect(page.get_by_text("Orminge centrum")).to_have_count(0)
    expect(page.get_by_text("skolans gavel")).to_have_count(0)
    axe_check(page)
    screenshot(page, "incidents-partner-blurred-390")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_coordinator_browses_police_events_categories_and_the_import(
    browser_page, world, width
):
    from trygg.incidents.tests.test_police_import import _event, _jsonl

    services.police_events_import(
        actor=None,
        source=_jsonl(
            _event(id=1),
            _event(
                id=2, name="25 mars 09.15, Sammanfattning natt, Nacka", type="Sammanfattning natt"
            ),
            _event(
                id=3,
                name="25 mars 10.15, Stöld, Värmdö",
                type="Stöld",
                location={"name": "Värmdö", "gps": "59.3,18.5"},
            ),
        ),
        filename="x.jsonl",
    )
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/handelser/polisen/")
    # The page now opens on the user's own kommun: the filter is active, so it is already
    # open and Nacka is chosen ("Hela landet" is the empty choice).
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    expect(page.get_by_label("Kommun").locator("option:checked")).to_have_text("Nacka")
    page.get_by_label("Sammanfattningar", exact=True).select_option(label="Utan")
    page.get_by_role("button", name="Använd").click()
    expect(page.get_by_text("1 rad")).to_be_visible()
    expect(page.get_by_text("Klotter på en skola.")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-police-events-{width}")
    page.locator("table.data tbody a").first.click()
    expect(page.get_by_role("link", name="Läs mer på polisen.se")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-police-event-{width}")

    page.goto("/handelser/kategorier/")  # the kommun got the default set when it was created
    expect(page.get_by_role("link", name="Hot/våld mot personal")).to_be_visible()
    axe_check(page)
    screenshot(page, f"incidents-categories-{width}")
    page.goto("/handelser/importera/")
    axe_check(page)
    screenshot(page, f"incidents-import-{width}")
