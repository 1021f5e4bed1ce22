"""The law checklist kept in the cache (situation.law.remembered_checklist and
home_checklists): a change to one of its sources shows on the next view, and a viewer with
another scope never gets someone else's reading."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from trygg.core import services as core_services
from trygg.core.choices import Role
from trygg.situation import law
from trygg.situation.models import CoordinationFunction
from trygg.situation.tests.test_law import TODAY, chain_world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def _reading(checklist) -> list[tuple[str, bool, str]]:
    return [(item.key, item.met, item.detail) for item in checklist.items]


def _home(user):
    return [_reading(c) for c in law.home_checklists(user=user, today=TODAY)]


def test_the_second_view_reads_nothing(chain_world, world):  # noqa: F811
    user = world.users["samordnare"]
    first = _home(user)
    with CaptureQueriesContext(connection) as queries:
        assert _home(user) == first
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_a_change_to_a_source_shows_on_the_next_view(chain_world, world):  # noqa: F811
    _picture, plan, _problem, _measure = chain_world
    user = world.users["samordnare"]
    nacka = world.organisations["nacka"]
    (checklist,) = law.home_checklists(user=user, today=TODAY)
    assert checklist.item("coordination_function").met
    assert law.remembered_checklist(user=user, organisation=nacka, today=TODAY).all_met

    # The samordningsfunktion is read by the checklist alone: only its own version knows.
    CoordinationFunction.objects.get(organisation=nacka).delete()
    (checklist,) = law.home_checklists(user=user, today=TODAY)
    assert not checklist.item("coordination_function").met
    page = law.remembered_checklist(user=user, organisation=nacka, today=TODAY)
    assert not page.item("coordination_function").met

    plan.decided_by = "Kommunstyrelsen"
    plan.save()
    (checklist,) = law.home_checklists(user=user, today=TODAY)
    assert not checklist.item("plan_decided").met
    assert _reading(checklist) == _reading(
        law.law_checklist(user=user, organisation=nacka, today=TODAY)
    )


def test_another_scope_gets_its_own_reading(chain_world, world):  # noqa: F811
    nacka = world.organisations["nacka"]
    whole = world.users["samordnare"]
    # A samordnare of Nacka limited to an area without the problem: their restriction lets
    # through less of the same kommun.
    limited = core_services.user_create(
        actor=None, username="delsamordnare", password="trygg-demo-2026", first_name="Del"
    )
    membership = core_services.membership_create(
        actor=None, user=limited, organisation=nacka, role=Role.SAMORDNARE
    )
    membership.areas.set([world.areas["Älta"]])
    fresh_whole = _reading(law.law_checklist(user=whole, organisation=nacka, today=TODAY))
    fresh_limited = _reading(law.law_checklist(user=limited, organisation=nacka, today=TODAY))
    assert fresh_whole != fresh_limited  # the two scopes read differently

    assert _home(whole) == [fresh_whole]
    assert _home(limited) == []  # the start page's panel is for those who run the whole kommun
    (varmdo,) = law.home_checklists(user=world.users["utomstaende"], today=TODAY)
    assert varmdo.organisation == world.organisations["varmdo"]
    page = law.remembered_checklist(user=whole, organisation=nacka, today=TODAY)
    assert _reading(page) == fresh_whole
    page = law.remembered_checklist(user=limited, organisation=nacka, today=TODAY)
    assert _reading(page) == fresh_limited


def test_each_language_and_day_has_its_own(chain_world, world):  # noqa: F811
    import datetime as dt

    user = world.users["samordnare"]
    with translation.override("sv"):
        swedish = _home(user)
    with translation.override("en"):
        english = _home(user)
    assert swedish != english
    later = law.home_checklists(user=user, today=TODAY + dt.timedelta(days=3 * 366))
    assert _reading(later[0]) != swedish[0]  # the follow-up is more than a year old by then


def test_the_start_page_shows_the_kept_panels_and_their_changes(chain_world, world, login):  # noqa: F811
    from django.template.loader import render_to_string

    user = world.users["samordnare"]
    nacka = world.organisations["nacka"]

    def written() -> str:
        return "".join(
            render_to_string(law.CHECKLIST_TEMPLATE, {"checklist": c, "compact": True})
            for c in law.home_checklists(user=user, today=TODAY)
        )

    with translation.override("sv"):
        html = law.home_checklists_html(user=user, today=TODAY)
        assert html == written() and "2023:196" in html
        CoordinationFunction.objects.get(organisation=nacka).delete()
        changed = law.home_checklists_html(user=user, today=TODAY)
        assert changed != html
        assert changed == written()
    assert law.home_checklists_html(user=world.users["polis"]) == ""
    page = login("samordnare").get("/").content.decode()
    assert "law-checklist" in page and nacka.name in page
    assert "law-checklist" not in login("polis").get("/").content.decode()


def test_no_reading_for_those_who_run_no_kommun(chain_world, world):  # noqa: F811
    # Members who may not delete anywhere (the police partner runs LPO Nacka, no kommun: its
    # reading finds no kommun and is kept like any other).
    for persona in ["arbetsgrupp", "rapportor"]:
        with CaptureQueriesContext(connection) as queries:
            assert law.home_checklists_html(user=world.users[persona], today=TODAY) == ""
            assert law.home_checklists(user=world.users[persona], today=TODAY) == []
        assert len(queries) == 0, (persona, [q["sql"] for q in queries])
