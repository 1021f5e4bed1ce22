"""The coordinator's journey in chromium, on a phone and a desktop, with axe on every page:
open a case, add a plan entry, write a note from the SSPF forum's individual part, close a
case with a satisfaction answer, and read the access log and the figures."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trygg.cases.models import Case, CaseNote, SatisfactionAnswer
from trygg.conftest import axe_check, browser_login, screenshot
from trygg.forums import services as forum_services
from trygg.forums.choices import ForumKind, MeetingStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def visit(page, name):
    axe_check(page)
    screenshot(page, name)


@pytest.fixture
def sspf_meeting(cases):
    forum = forum_services.forum_create(
        actor=None,
        organisation=cases.nacka,
        name="SSPF-forum",
        kind=ForumKind.SSPF,
        area=cases.world.areas["Nacka"],
        members=[cases.users["sspf"]],
    )
    return forum_services.meeting_create(
        actor=None,
        forum=forum,
        starts_at=timezone.now() - dt.timedelta(days=2),
        status=MeetingStatus.HELD,
        minutes="Allmän del: lägesbild för Fisksätra.",
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_coordinator_works_a_case_from_plan_to_closing(
    browser_page, cases, sspf_meeting, width
):
    today = timezone.localdate()
    page = browser_page(width)
    page.set_default_timeout(60000)  # a loaded machine can be slow to serve the first page
    browser_login(page, "sspf")
    page.goto("/ungdomar/")
    expect(page.get_by_role("heading", name="Ungdomssamordning")).to_be_visible()
    expect(page.get_by_role("link", name=cases.alva.reference)).to_be_visible()
    visit(page, f"cases-list-{width}")

    page.get_by_role("link", name=cases.alva.reference).click()
    expect(page.get_by_role("heading", name=re.compile("Alva Exempelsson"))).to_be_visible()
    visit(page, f"cases-detail-{width}")

    page.get_by_role("link", name="Ny planpunkt").click()
    field(page, "Vad har hänt").fill("Skolk två veckor i rad.")
    field(page, "Vad behöver hända").fill("Samtal med vårdnadshavare.")
    field(page, "Vem gör vad").fill("Samordnaren kallar till nätverksmöte.")
    visit(page, f"cases-plan-form-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(
        page.get_by_text("Ange ett datum", exact=False).or_(page.locator(".error"))
    ).to_be_visible()
    field(page, "Till när").fill(f"{today + dt.timedelta(days=14):%Y-%m-%d}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Planpunkten lades till.")).to_be_visible()
    expect(page.get_by_text("Samordnaren kallar till nätverksmöte.")).to_be_visible()

    # The SSPF forum's individual part: from the meeting page into the case.
    page.goto(f"/samverkan/moten/{sspf_meeting.pk}/")
    expect(page.get_by_role("heading", name="Individuell del")).to_be_visible()
    visit(page, f"cases-meeting-{width}")
    page.get_by_role("link", name="Skriv en individuell anteckning").click()
    field(page, "Ärende").select_option(label=f"{cases.alva.reference} – Alva Exempelsson")
    field(page, "Anteckning").fill(
        "Skolan rapporterar bättre närvaro; fältassistenten har träffat henne."
    )
    visit(page, f"cases-meeting-note-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(f"Anteckningen lades till i {cases.alva.reference}.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(cases.alva.reference))).to_be_visible()
    note = CaseNote.objects.get(case=cases.alva, meeting=sspf_meeting)
    assert note.kind == "sspf"
    assert "närvaro" not in sspf_meeting.minutes

    # Close Omar's case with the youth's answer.
    page.goto(f"/ungdomar/{cases.omar.pk}/")
    page.get_by_role("link", name="Avsluta ärendet").click()
    field(page, "Orsak till avslut").select_option(label="Målen uppnådda")
    field(page, "Hur nöjd är ungdomen med stödet?").select_option(label="Mycket nöjd")
    visit(page, f"cases-close-form-{width}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Ärendet avslutades.")).to_be_visible()
    expect(page.get_by_text("Ungdomen – Mycket nöjd")).to_be_visible()
    assert Case.objects.get(pk=cases.omar.pk).status == "avslutad"
    assert SatisfactionAnswer.objects.filter(case=cases.omar, answer=4).exists()

    page.get_by_role("link", name="Åtkomstlogg").click()
    expect(page.get_by_role("heading", name=f"Åtkomstlogg {cases.omar.reference}")).to_be_visible()
    visit(page, f"cases-access-log-{width}")

    page.goto(
        f"/ungdomar/statistik/?organisation={cases.nacka.pk}&year={today.year}&programme=sspf"
    )
    expect(page.get_by_text("avslutade under året")).to_be_visible()
    visit(page, f"cases-statistics-{width}")


def test_the_emergency_role_breaks_the_glass(browser_page, cases):
    page = browser_page(390)
    page.set_default_timeout(60000)
    browser_login(page, "socjour")
    page.goto("/ungdomar/")
    page.get_by_role("link", name="Nödåtkomst").click()
    visit(page, "cases-emergency-form-390")
    field(page, "Ärendenummer").fill(cases.nils.reference)
    field(page, "Skäl").fill("Ungdomen omhändertogs i natt och jouren behöver planen.")
    page.get_by_role("button", name="Öppna ärendet").click()
    expect(page.get_by_text("Du deltar inte i ärendet.", exact=False)).to_be_visible()
    visit(page, "cases-emergency-detail-390")
