"""The lägesbild pages keep their rendered analyses in the cache (situation.fragments), and
never show stale or foreign ones: a change shows on the next view, and a viewer whose
restriction lets through other reports never gets another viewer's fragments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.incidents.models import PoliceEvent
from trygg.situation.selectors import last_complete_week
from trygg.situation.tests.test_selectors import add, at

pytestmark = pytest.mark.django_db

PLACE_PAGES = ["overview", "weekly", "places"]


def _html(client, name: str, **query) -> str:
    response = client.get(reverse(f"situation:{name}"), query)
    assert response.status_code == 200
    return response.content.decode()


def _reports(world, place: str, n: int = 3) -> None:
    nacka = world.organisations["nacka"]
    week = last_complete_week()
    add(nacka, world.places[place], "Klotter", [at(week, h) for h in range(10, 10 + n)])


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_a_new_report_shows_on_the_next_view(world, login, name):
    _reports(world, "Fisksätra centrum")
    client = login("samordnare")
    assert "Älta centrum" not in _html(client, name)
    assert "Älta centrum" not in _html(client, name)  # now from the cache
    _reports(world, "Älta centrum")
    assert "Älta centrum" in _html(client, name)


def _figures(html: str) -> str:
    """The page from its key figures on (the page's own head and layout left out)."""
    return html[html.index('<section class="stats-row"') : html.index("</main>")]


def test_a_new_report_changes_the_time_of_week_on_the_next_view(world, login):
    client = login("samordnare")
    before = _figures(_html(client, "time_of_week"))
    assert _figures(_html(client, "time_of_week")) == before  # from the cache, unchanged
    _reports(world, "Älta centrum")
    assert _figures(_html(client, "time_of_week")) != before


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_a_partner_never_gets_the_owners_cached_fragments(world, login, name):
    _reports(world, "Älta centrum")
    nacka = world.organisations["nacka"].pk
    owner = _html(login("samordnare"), name, organisation=nacka)
    assert "Älta centrum" in owner and "&lt;5" not in owner
    partner = _html(login("polis"), name, organisation=nacka)
    assert "Älta centrum" not in partner
    assert "&lt;5" in partner


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_an_area_limited_member_never_gets_the_whole_kommuns_fragments(world, login, name):
    _reports(world, "Älta centrum")
    _reports(world, "Fisksätra centrum")
    everything = _html(login("samordnare"), name)
    assert "Fisksätra centrum" in everything and "Älta centrum" in everything
    limited = _html(login("arbetsgrupp"), name)  # their areas: Älta
    assert "Älta centrum" in limited
    assert "Fisksätra centrum" not in limited
    # and the other way round: what the limited member cached is not the kommun's
    assert "Fisksätra centrum" in _html(login("admin"), name)


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_a_renamed_place_shows_on_the_next_view(world, login, name):
    _reports(world, "Älta centrum")
    client = login("samordnare")
    assert "Älta centrum" in _html(client, name)
    place = world.places["Älta centrum"]
    place.name = "Älta torg"
    place.save()
    html = _html(client, name)
    assert "Älta torg" in html and "Älta centrum" not in html


def test_a_new_police_event_shows_on_the_next_view(world, login):
    client = login("samordnare")
    week = last_complete_week()
    assert "Bråk" not in _html(client, "overview")
    assert "Bråk" not in _html(client, "weekly")
    moment = at(week + dt.timedelta(days=2))
    PoliceEvent.objects.create(
        id=4711,
        published_at=moment,
        occurred_at=moment,
        event_type="Bråk",
        name="Bråk, Nacka",
        location_name="Nacka",
        kommun=world.areas["Nacka"],
    )
    assert "Bråk" in _html(client, "overview")
    assert "Bråk" in _html(client, "weekly")


def test_each_language_gets_its_own_fragments(world, login):
    _reports(world, "Älta centrum")
    client = login("samordnare")
    assert "Polisens händelser" in _html(client, "overview")
    client.post(reverse("set_language"), {"language": "en"})
    html = _html(client, "overview")
    assert "Police events" in html and "Polisens händelser" not in html
