"""A report written without network is kept on the phone and sent once when the network returns."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.incidents import services
from trygg.incidents.models import IncidentReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_offline_report_is_sent_once_when_the_network_returns(browser_page, world):
    services.categories_ensure_defaults(world.organisations["nacka"])
    page = browser_page(390)
    browser_login(page, "rapportor")
    page.goto("/handelser/ny/")
    expect(page.get_by_role("heading", name="Ny händelserapport")).to_be_visible()

    page.context.set_offline(True)
    page.get_by_label("Vad hände?").select_option(label="Klotter")
    page.get_by_label("Plats", exact=True).select_option(label="Fisksätra centrum")
    page.get_by_label("1 – lindrig").check()
    page.get_by_label("Kort beskrivning").fill("Nytt klotter på gångtunneln.")
    page.get_by_role("button", name="Skicka rapporten").click()
    queue = page.locator("[data-offline-list]")
    expect(queue.get_by_text("Väntar på nät")).to_be_visible()
    expect(page.get_by_text("Du är offline.")).to_be_visible()
    assert not IncidentReport.objects.exists()
    axe_check(page)
    screenshot(page, "incidents-offline-waiting-390")

    page.context.set_offline(False)
    expect(queue.get_by_text("Skickad")).to_be_visible(timeout=15000)
    report = IncidentReport.objects.get()
    assert report.reporter == world.users["rapportor"]
    assert report.description == "Nytt klotter på gångtunneln."
    assert report.client_key
    screenshot(page, "incidents-offline-sent-390")

    # Sending the same report again (a lost answer, a second tab) files nothing more.
    page.evaluate(
        """() => {
          const queue = JSON.parse(localStorage.getItem('trygg-offline-reports'));
          queue.forEach(item => { item.state = 'waiting'; });
          localStorage.setItem('trygg-offline-reports', JSON.stringify(queue));
        }"""
    )
    page.reload()
    expect(queue.get_by_text("Skickad")).to_be_visible(timeout=15000)
    assert IncidentReport.objects.count() == 1


def test_the_service_sends_a_report_once_per_device_key(world):
    nacka = world.organisations["nacka"]
    category = services.categories_ensure_defaults(nacka)[0]
    from django.utils import timezone

    kwargs = dict(
        actor=world.users["rapportor"],
        organisation=nacka,
        category=category,
        occurred_at=timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1),
        assessment=1,
        area=world.areas["Älta"],
        client_key="a1b2c3",
    )
    first = services.report_create(**kwargs)
    again = services.report_create(**kwargs)
    assert again.pk == first.pk and IncidentReport.objects.count() == 1
    other = services.report_create(**{**kwargs, "actor": world.users["samordnare"]})
    assert other.pk != first.pk
