"""The forums journey in chromium: create a forum, plan its meetings from the cadence, hold
one, record a decision linked to a plan measure, mark it done and see the year's count – on a phone and a desktop, with axe
on every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def measure(world):
    from trygg.plans import services as plan_services

    plan = plan_services.plan_create(
        actor=None,
        organisation=world.organisations["nacka"],
        title="Plan för samverkan",
        partner_organisations=[world.organisations["lpo_nacka"]],
    )
    return plan_services.measure_create(
        actor=None, plan=plan, title="Trygghetsvandringar", areas=[world.areas["Älta"]]
    )


def field(page, label: str):
    """The form field with exactly this label (a required field's label ends in " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def visit(page, name):
    axe_check(page)
    screenshot(page, name)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_coordinator_runs_a_forum_from_meeting_to_done_decision(browser_page, measure, width):
    today = timezone.localdate()
    page = browser_page(width)
    browser_login(page, "samordnare")
    page.goto("/samverkan/")
    expect(page.get_by_role("heading", name="Samverkansforum och möten")).to_be_visible()
    visit(page, f"forums-list-empty-{width}")

    # The empty list now says what to do first and links to it, next to the page's own
    # "Nytt forum" button; follow the link in the empty row.
    page.locator("tr.empty-row").get_by_role("link", name="Nytt forum").click()
    field(page, "Namn").fill("Trygg och säker Älta")
    field(page, "Typ").select_option(label="Arbetsgrupp")
    field(page, "Område").select_option(label="Älta")
    page.get_by_label("Lokalpolisområde Nacka").check()
    page.get_by_label("Ett antal gånger per år").check()
    field(page, "Antal").fill("6")
    field(page, "Veckodag").select_option(label="onsdag")
    field(page, "Tid").fill("15:00")
    visit(page, f"forums-forum-form-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Trygg och säker Älta")).to_be_visible()
    expect(page.get_by_text("6 per år").first).to_be_visible()
    visit(page, f"forums-forum-new-{width}")

    page.get_by_role("link", name="Planera möten").first.click()
    field(page, "Från").fill(f"{today.year}-01-01")
    field(page, "Till").fill(f"{today.year}-12-31")
    visit(page, f"forums-series-form-{width}")
    page.get_by_role("button", name="Planera möten").click()
    expect(page.get_by_text("6 möten planerades.")).to_be_visible()
    meetings = page.locator("table.meetings tbody tr")
    expect(meetings).to_have_count(6)
    expect(meetings.first.get_by_text("Planerat")).to_be_visible()

    meetings.first.get_by_role("link").click()
    page.get_by_role("link", name="Ändra möte och minnesanteckningar").click()
    field(page, "Plats").fill("Älta bibliotek")
    field(page, "Status").select_option(label="Genomfört")
    page.get_by_label("Per Polis").check()
    field(page, "Minnesanteckningar").fill(
        "Lägesbild från polisen.\n\n- Klotter vid centrum\n- Trasig belysning"
    )
    visit(page, f"forums-meeting-form-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Mötet sparades.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Trasig belysning")).to_be_visible()

    page.get_by_role("link", name="Nytt beslut").click()
    field(page, "Beslut").fill("Genomföra en trygghetsvandring i Älta centrum.")
    field(page, "Ansvarig organisation").select_option(label="Lokalpolisområde Nacka")
    field(page, "Ansvarig person").select_option(label="Per Polis")
    field(page, "Klart senast").fill(today.replace(day=28).isoformat())
    page.get_by_label("Kopplade åtgärder i planer").select_option(
        label="Plan för samverkan: Trygghetsvandringar"
    )
    visit(page, f"forums-decision-form-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Beslutet registrerades.")).to_be_visible()
    decisions = page.locator("#decisions")
    expect(decisions.get_by_text("Trygghetsvandringar")).to_be_visible()
    visit(page, f"forums-meeting-{width}")

    decisions.get_by_role("button", name=re.compile("Markera som klar")).click()
    expect(page.get_by_text("Beslutet är nu markerat som ”klar”.")).to_be_visible()
    expect(page.locator("#decisions .badge--decision-done")).to_have_text("Klar")

    page.get_by_role("link", name="Genomföra en trygghetsvandring i Älta centrum.").click()
    expect(page.get_by_role("heading", name="Kopplade åtgärder")).to_be_visible()
    visit(page, f"forums-decision-{width}")

    page.get_by_role("navigation", name="Du är här").get_by_role(
        "link", name="Trygg och säker Älta"
    ).click()
    year_card = page.locator("section", has=page.get_by_role("heading", name=f"Möten {today.year}"))
    expect(year_card.locator(".year-figure strong")).to_have_text("1 av 6")
    expect(year_card.get_by_text("Beslut: 1 fattade, 1 klara, 0 öppna.")).to_be_visible()
    visit(page, f"forums-forum-{width}")

    page.goto("/samverkan/uppfoljning/?status=all")
    expect(
        page.get_by_role("link", name="Genomföra en trygghetsvandring i Älta centrum.")
    ).to_be_visible()
    visit(page, f"forums-followup-{width}")

    page.goto("/samverkan/")
    expect(page.get_by_role("link", name="Trygg och säker Älta")).to_be_visible()
    visit(page, f"forums-list-{width}")
