"""The measure page's reading kept in the cache (plans.measure_page, budget.panels and the
status form's options): a change shows on the next view, and a viewer of another scope
never gets another viewer's reading."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.budget import services as budget_services
from trygg.core import services as core_services
from trygg.core.access import forget_scope
from trygg.core.models import Membership
from trygg.plans import services
from trygg.plans.models import MeasureStatus
from trygg.plans.tests.test_permissions import build

pytestmark = pytest.mark.django_db


def _page(client, measure) -> str:
    response = client.get(reverse("plans:measure_detail", args=[measure.pk]))
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def _section(html: str, css_class: str) -> str:
    start = html.index(f'class="{css_class}')
    return html[start : html.index("</section>", start)]


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="status"[^>]*>(.*?)</select>', html, flags=re.S)
    assert select
    return re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))


@pytest.fixture
def objects(world):
    objects = build(world)
    objects["funding"] = budget_services.measure_funding_create(
        actor=None, measure=objects["m_alta"], source="statsbidrag", amount=125000, year=2024
    )
    return objects


def test_a_change_after_the_page_was_read_shows_on_the_next_view(objects, world, login):
    measure = objects["m_alta"]
    client = login("samordnare")
    first = _page(client, measure)
    assert "Kommun/Brå" in first
    assert "Älta" in first
    assert "125" in _section(first, "card measure-finance")
    # The next view reads the parties, areas, places, timeline, funding and the status
    # options from the cache, and shows the same page.
    with CaptureQueriesContext(connection) as queries:
        assert _page(client, measure) == first
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in (
        "plans_measureresponsible",
        "plans_measure_areas",
        "plans_statusupdate",
        "budget_measurefunding",
        "plans_measurestatus",
    ):
        assert f'FROM "{table}"' not in read, table
    # The areas' names, the parties and the places.
    core_services.area_update(actor=None, area=world.areas["Älta"], name="Älta gård")
    assert "Älta gård" in _page(client, measure)
    services.measure_update(actor=None, measure=measure, responsibles=[("Föreningen Älta", "")])
    place = core_services.place_create(
        actor=None,
        organisation=world.organisations["nacka"],
        area=world.areas["Älta"],
        name="Torget",
    )
    services.measure_update(actor=None, measure=measure, places=[place])
    html = _page(client, measure)
    assert "Föreningen Älta" in html and "Kommun/Brå" not in html
    assert "Torget" in html
    # The timeline, its author's name and the statuses offered.
    done = MeasureStatus.objects.get(organisation=measure.organisation, category="done")
    samordnare = get_user_model().objects.get(username="samordnare")
    services.measure_set_status(actor=samordnare, measure=measure, status=done, note="Klart nu")
    timeline = _section(_page(client, measure), 'card" aria-labelledby="timeline-heading')
    assert "Klart nu" in timeline
    samordnare.first_name, samordnare.last_name = "Sara", "Samordnarsson"
    samordnare.save()
    assert "Sara Samordnarsson" in _page(client, measure)
    services.status_update(actor=None, status=done, name="Avslutad")
    html = _page(client, measure)
    assert "Avslutad" in _options(html)
    assert "Avslutad" in _section(html, 'card" aria-labelledby="timeline-heading')
    # The funding.
    budget_services.measure_funding_update(
        actor=None, funding=objects["funding"], amount=90000, note="Nytt beslut"
    )
    finance = _section(_page(client, measure), "card measure-finance")
    assert "Nytt beslut" in finance and "90" in finance and "125" not in finance


def test_viewers_of_another_scope_never_get_another_viewers_reading(objects, world, login):
    measure = objects["m_alta"]
    # Nacka's samordnare reads the funding of Nacka's measure and fills the cache first.
    own = _page(login("samordnare"), measure)
    assert "125" in _section(own, "card measure-finance")
    # The police, responsible and a partner, sees the measure but not its money.
    police = _page(login("polis"), measure)
    assert "measure-finance" not in police
    assert "125" not in police
    # The Älta group, members of Nacka limited to Älta, see the money.
    assert "125" in _section(_page(login("arbetsgrupp"), measure), "card measure-finance")
    # The same viewer with another scope: at once as the police sees it, and back.
    membership = Membership.objects.get(user__username="samordnare")
    membership.organisation = world.organisations["lpo_nacka"]
    membership.save()
    forget_scope(membership.user)
    assert "measure-finance" not in _page(login("samordnare"), measure)
    membership.organisation = world.organisations["nacka"]
    membership.save()
    assert "125" in _section(_page(login("samordnare"), measure), "card measure-finance")
