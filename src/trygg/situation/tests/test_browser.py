"""From a report filed on a phone to the weekly picture and the heatmap, in chromium.

A trygghetsvärd files a report at 390 px through the incidents form, the samordnare reviews
it and finds it in the weekly picture and the time-of-week heatmap; the police partner sees
the same picture blurred (no place, "<5"). Every page is checked with axe, every page must
draw its charts and map without a Content-Security-Policy violation, and is photographed at
390 and 1280 px.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.incidents.models import IncidentReport
from trygg.incidents.services import categories_ensure_defaults
from trygg.situation import services
from trygg.situation.selectors import last_complete_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page) -> list[str]:
    """Collect console errors and CSP violations (a CSP violation is logged as an error)."""
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (
            messages.append(m.text)
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    return messages


def check(page, messages, name: str, *, charts: bool = True) -> None:
    """The charts and the map are drawn, nothing was refused by the CSP, axe is content."""
    if charts and page.locator("[data-chart]").count():
        expect(page.locator("[data-chart].chart--drawn").first).to_be_visible()
        assert page.locator("[data-chart].chart--failed").count() == 0
        assert page.locator("[data-chart] svg").count() == page.locator("[data-chart]").count()
    if page.locator("[data-map]").count():
        expect(page.locator("[data-map].map--drawn")).to_be_visible()
    violations = [m for m in messages if "Content Security Policy" in m or "page error" in m]
    assert not violations, violations
    axe_check(page)
    screenshot(page, name)


def test_a_report_from_the_field_reaches_the_weekly_picture_and_the_heatmap(browser_page, world):
    categories_ensure_defaults(world.organisations["nacka"])
    friday = last_complete_week() + dt.timedelta(days=4)

    # The trygghetsvärd files a report on a phone: Friday evening last week at Älta centrum.
    phone = browser_page(390)
    browser_login(phone, "rapportor")
    phone.goto("/handelser/ny/")
    phone.get_by_label("Vad hände?").select_option(label="Ungdomar som samlas/stök")
    phone.get_by_label("Datum").fill(friday.isoformat())
    phone.get_by_label("Tid", exact=False).first.fill("21:30")
    phone.get_by_label("Plats", exact=True).select_option(label="Älta centrum")
    phone.get_by_label("2 – allvarlig").check()
    phone.get_by_label("Kort beskrivning").fill("Grupp om ca 15 ungdomar vid entrén, smällare.")
    phone.get_by_role("button", name="Skicka rapporten").click()
    expect(phone.get_by_text("Tack! Rapporten är inskickad.")).to_be_visible()
    report = IncidentReport.objects.get()
    assert report.place == world.places["Älta centrum"]

    # The samordnare reviews it.
    for width in (390, 1280):
        page = browser_page(width)
        messages = watch_console(page)
        browser_login(page, "samordnare")
        if width == 390:
            page.goto(f"/handelser/{report.pk}/")
            page.get_by_role("combobox", name="Status", exact=True).select_option(label="Granskad")
            page.get_by_role("button", name="Spara granskningen").click()
            expect(page.get_by_text("Rapporten sparades.")).to_be_visible()
            report.refresh_from_db()
            assert report.status == "granskad"

        # … and finds it in last week's picture: the place to focus on, and its hour.
        page.goto("/lagesbild/vecka/")
        expect(
            page.get_by_role("heading", name="Platser att fokusera på nästa vecka")
        ).to_be_visible()
        focus = page.locator(".focus-list")
        expect(focus.get_by_text("Älta centrum")).to_be_visible()
        expect(focus.get_by_text("fre 20–23")).to_be_visible()
        expect(page.locator(".stat__value").first).to_have_text("1")
        check(page, messages, f"situation-weekly-{width}")

        page.goto("/lagesbild/tid/")
        expect(page.locator(".stat__value").first).to_have_text("1")
        page.get_by_text("Siffrorna som tabell").first.click()
        friday_row = page.locator("#table-reports tbody tr").nth(4)
        expect(friday_row.locator("th")).to_have_text("fre")
        expect(friday_row.locator("td").nth(21)).to_have_text("1")
        check(page, messages, f"situation-time-of-week-{width}")

        # The police partner sees the same week blurred: no place, "<5".
        police = browser_page(width)
        police_messages = watch_console(police)
        browser_login(police, "polis")
        police.goto("/lagesbild/vecka/")
        expect(police.get_by_text("som samverkanspart")).to_be_visible()
        expect(police.locator(".stat__value").first).to_have_text("<5")
        expect(police.get_by_text("Älta centrum")).to_have_count(0)
        expect(
            police.get_by_text(
                "Platser visas bara för den som har detaljbehörighet till rapporterna."
            ).first
        ).to_be_visible()
        check(police, police_messages, f"situation-weekly-partner-{width}")
        police.goto("/lagesbild/platser/")
        expect(
            police.get_by_text("Punkter visas bara för den som har detaljbehörighet.")
        ).to_be_visible()
        assert (
            police.evaluate(
                "JSON.parse(document.getElementById('map-data').textContent).points.length"
            )
            == 0
        )
        check(police, police_messages, f"situation-places-partner-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_lagesbild_pages_draw_under_the_strict_csp(
    browser_page, world, generated, picture, width
):
    page = browser_page(width)
    messages = watch_console(page)
    browser_login(page, "samordnare")
    page.goto("/lagesbild/")
    expect(page.get_by_role("heading", name="Lägesbild – Nacka kommun")).to_be_visible()
    expect(page.get_by_text("genererade demodata").first).to_be_visible()
    expect(page.get_by_role("link", name="Bedrägerier mot äldre")).to_be_visible()
    check(page, messages, f"situation-overview-{width}")
    page.goto("/lagesbild/platser/")
    assert (
        page.evaluate("JSON.parse(document.getElementById('map-data').textContent).points.length")
        > 0
    )
    expect(page.locator("path.leaflet-interactive").first).to_be_attached()
    check(page, messages, f"situation-places-{width}")
    # The demo lägesbild now comes with its åtgärdsplan, whose measures answer all three
    # problems; a fourth problem without a measure shows the page's flag.
    services.problem_create(
        actor=None, situation_picture=picture, title="Otrygghet vid pendelbåtsbryggan", priority=4
    )
    page.goto(f"/lagesbild/lagesbilder/{picture.pk}/")
    expect(page.get_by_text("Åtgärder som svarar mot det:").first).to_be_visible()
    expect(
        page.get_by_text("Ingen åtgärd i åtgärdsplanen svarar ännu mot problemet.").first
    ).to_be_visible()
    check(page, messages, f"situation-picture-{width}", charts=False)
    page.get_by_role("link", name="Bedrägerier mot äldre").click()
    expect(page.get_by_role("heading", name="Brottstriangeln")).to_be_visible()
    check(page, messages, f"situation-problem-{width}", charts=False)
    page.get_by_role("link", name="Ändra orsaksanalysen").click()
    expect(page.get_by_label("Offer")).to_be_visible()
    check(page, messages, f"situation-cause-analysis-{width}", charts=False)
    # The watch can fail: an inline script is refused by the policy and the refusal is seen.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in m for m in messages)
