"""Onboarding and administration in chromium, at phone and desktop width, checked with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.core import services
from trygg.core.choices import OrganisationKind, Role
from trygg.core.models import Invitation, Membership, Organisation, Partnership
from trygg.core.reference import load_reference_geography
from trygg.core.twofactor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ett-långt-lösenord-42"


def test_a_new_kommun_starts_from_a_printed_link(browser_page, live_server, settings):
    """migrate (the test database), load_geography, create_kommun 1480 → the link → a
    password → the first-run page."""
    from io import StringIO

    settings.SITE_URL = live_server.url
    load_reference_geography()
    out = StringIO()
    call_command("create_kommun", "1480", "--admin-email", "strateg@goteborg.example", stdout=out)
    link = re.search(r"http://\S+/inbjudan/\S+/", out.getvalue()).group(0)
    assert link.startswith(live_server.url)
    page = browser_page(1280)
    page.goto(link)
    expect(page.get_by_role("heading", name="Inbjudan till Trygg")).to_be_visible()
    expect(page.get_by_text("administratör i Göteborgs stad")).to_be_visible()
    axe_check(page)
    screenshot(page, "admin-invitation-accept-1280")
    page.get_by_label("Förnamn").fill("Greta")
    page.get_by_label("Efternamn").fill("Strateg")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Skapa min inloggning").click()
    # An administratör must have two-factor: enrolment comes first, then the first-run page.
    page.wait_for_url("**/tvastegsverifiering/aktivera/**")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Kod").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera", exact=True).click()
    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    page.wait_for_url("**/kom-igang/")
    expect(page.get_by_role("heading", name="Kom igång med Trygg i Göteborgs stad")).to_be_visible()
    expect(page.get_by_role("link", name="Importera en plan")).to_be_visible()
    expect(page.get_by_role("link", name="Importera GeoJSON")).to_be_visible()
    axe_check(page)
    screenshot(page, "admin-first-run-1280")
    phone = browser_page(390)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Länken fungerar inte längre")).to_be_visible()
    axe_check(phone)
    screenshot(phone, "admin-invitation-used-390")
    # The same person logs in with the e-mail address as user name.
    phone.goto("/logga-in/")
    phone.get_by_label("Användarnamn").fill("strateg@goteborg.example")
    phone.get_by_label("Lösenord").fill(PASSWORD)
    phone.get_by_role("button", name="Logga in").click()
    phone.wait_for_url("**/tvastegsverifiering/verifiera/**")
    import time

    time.sleep(max(0.0, 30 - time.time() % 30) + 0.5)  # a code is accepted once: use the next
    phone.get_by_label("Kod").fill(totp_code(secret))
    phone.get_by_role("button", name="Fortsätt").click()
    phone.wait_for_url(lambda url: "/tvastegsverifiering/" not in url)
    phone.goto("/kom-igang/")
    axe_check(phone)
    screenshot(phone, "admin-first-run-390")
    membership = Membership.objects.get(user__email="strateg@goteborg.example")
    assert membership.role == Role.ADMINISTRATOR
    assert membership.organisation.name == "Göteborgs stad"


def test_an_administrator_invites_changes_and_deactivates_a_person(
    browser_page, world, live_server, settings
):
    settings.SITE_URL = live_server.url
    page = browser_page(1280)
    browser_login(page, "admin")
    page.get_by_role("link", name="Personer").first.click()
    page.wait_for_url("**/personer/")
    axe_check(page)
    page.get_by_role("link", name="Bjud in en person").click()
    page.get_by_label("E-post").fill("kalle@nacka.example")
    page.get_by_label("Organisation").select_option(label="Nacka kommun")
    page.get_by_label("Roll").select_option(label="Medlem")
    page.get_by_label("Titel").fill("Fältassistent")
    page.get_by_label("Boo (Nacka kommun)").check()
    axe_check(page)
    screenshot(page, "admin-invite-1280")
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.wait_for_url("**/inbjudningar/")
    expect(page.get_by_text("En inbjudan skickades till kalle@nacka.example")).to_be_visible()
    axe_check(page)
    screenshot(page, "admin-invitations-1280")

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/inbjudan/\S+/", mail.outbox[0].body).group(0)
    person = browser_page(390)
    person.goto(link)
    person.get_by_label("Förnamn").fill("Kalle")
    person.get_by_label("Efternamn").fill("Fält")
    person.locator("#id_password1").fill(PASSWORD)
    person.locator("#id_password2").fill(PASSWORD)
    person.get_by_role("button", name="Skapa min inloggning").click()
    person.wait_for_url(lambda url: url.rstrip("/") == live_server.url)
    expect(
        person.get_by_text("Välkommen! Ditt användarnamn är kalle@nacka.example.")
    ).to_be_visible()
    axe_check(person)
    screenshot(person, "admin-newcomer-home-390")
    # The link worked once; a second use is refused, as is an expired one.
    person.goto(link)
    expect(person.get_by_role("heading", name="Länken fungerar inte längre")).to_be_visible()
    expired, expired_key = services.invitation_create(
        actor=None,
        organisation=world.organisations["nacka"],
        email="sen@nacka.example",
        role=Role.MEDLEM,
        send=False,
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    person.goto(services.invitation_link(expired_key).replace(settings.SITE_URL, ""))
    expect(person.get_by_role("heading", name="Länken fungerar inte längre")).to_be_visible()

    _token, key = services.api_token_create(
        actor=Membership.objects.get(user__username="kalle@nacka.example").user, name="skript"
    )
    assert person.request.get("/api/areas", headers={"Authorization": f"Bearer {key}"}).ok

    # The administrator gives the role and another area limit.
    page.goto("/personer/?q=kalle")
    page.get_by_role("link", name="Kalle Fält").click()
    page.get_by_label("Roll").select_option(label="Samordnare")
    page.get_by_label("Boo").uncheck()
    page.get_by_label("Älta").check()
    axe_check(page)
    screenshot(page, "admin-membership-1280")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/personer/")
    expect(page.get_by_role("cell", name="Samordnare").first).to_be_visible()
    membership = Membership.objects.get(user__username="kalle@nacka.example")
    assert membership.role == Role.SAMORDNARE
    assert [a.name for a in membership.areas.all()] == ["Älta"]

    # A leaver: deactivated, and then neither the session, a login nor the token works.
    page.get_by_role("link", name="Kalle Fält").click()
    page.get_by_role("link", name="Avaktivera…").click()
    axe_check(page)
    screenshot(page, "admin-deactivate-1280")
    page.get_by_role("button", name="Ja, avsluta").click()
    expect(
        page.get_by_text("Kalle Fält har inte längre åtkomst till Nacka kommun.")
    ).to_be_visible()
    person.goto("/")
    person.wait_for_url("**/logga-in/**")
    person.get_by_label("Användarnamn").fill("kalle@nacka.example")
    person.get_by_label("Lösenord").fill(PASSWORD)
    person.get_by_role("button", name="Logga in").click()
    expect(person.get_by_text("Ange ett korrekt användarnamn och lösenord")).to_be_visible()
    response = person.request.get("/api/areas", headers={"Authorization": f"Bearer {key}"})
    assert response.status == 401


@pytest.mark.parametrize("width", [390, 1280])
def test_every_administration_page_passes_axe(browser_page, world, live_server, width):
    nacka = world.organisations["nacka"]
    club = services.organisation_register(
        actor=None, name="Fisksätra IF", kind=OrganisationKind.FORENING, steward=nacka
    )
    services.invitation_create(
        actor=None, organisation=nacka, email="vantar@nacka.example", role=Role.MEDLEM, send=False
    )
    partnership = Partnership.objects.get(organisation=nacka, partner=club)
    samordnare = Membership.objects.get(user__username="samordnare")
    page = browser_page(width)
    browser_login(page, "admin")
    screenshot(page, f"admin-home-{width}")
    axe_check(page)
    pages = {
        "people": "/personer/",
        "invitations": "/inbjudningar/",
        "invite": "/inbjudningar/ny/",
        "organisations": "/organisationer/",
        "organisation": f"/organisationer/{nacka.pk}/",
        "organisation-new": "/organisationer/ny/",
        "organisation-edit": f"/organisationer/{club.pk}/andra/",
        "organisation-deactivate": f"/organisationer/{club.pk}/avaktivera/",
        "partnership": f"/samverkansavtal/{partnership.pk}/",
        "partnership-new": "/samverkansavtal/ny/",
        "membership": f"/personer/{samordnare.pk}/",
        "first-run": "/kom-igang/",
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
        screenshot(page, f"admin-{name}-{width}")
    # Password reset pages, logged out.
    anonymous = browser_page(width)
    anonymous.goto("/logga-in/")
    anonymous.get_by_role("link", name="Glömt lösenord?").click()
    axe_check(anonymous)
    screenshot(anonymous, f"admin-password-reset-{width}")
    anonymous.get_by_label("E-postadress").fill("samordnare@example.se")
    anonymous.get_by_role("button", name="Skicka länken").click()
    expect(anonymous.get_by_role("heading", name="Titta i din e-post")).to_be_visible()
    axe_check(anonymous)
    # Forms show Swedish errors next to the field and keep what was typed.
    page.goto("/organisationer/ny/")
    page.locator("#id_name").fill("Nacka kommun")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Detta fält måste fyllas i.").first).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Nacka kommun")
    axe_check(page)
    assert Organisation.objects.filter(name="Fisksätra IF", is_active=True).exists()
