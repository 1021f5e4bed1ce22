"""The insatsregister's rows kept in the cache (reports.register_rows.page_rows): a change
shows on the next view, and a viewer of another scope never gets another viewer's rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.budget import services as budget_services
from trygg.core import services as core_services
from trygg.core.access import forget_scope
from trygg.core.models import Membership
from trygg.plans import services as plan_services
from trygg.plans.tests.test_permissions import build
from trygg.reports.tests.test_register import _page_rows

pytestmark = pytest.mark.django_db

#: The page's columns: title, status, areas, period, parties, sources, cost.
TITLE, STATUS, AREAS, PERIOD, PARTIES, SOURCES, COST = range(7)


def _rows(client) -> dict[str, list[str]]:
    return {row[TITLE]: row for row in _page_rows(client.get(reverse("register:index")))}


@pytest.fixture
def objects(world):
    objects = build(world)
    objects["funding"] = budget_services.measure_funding_create(
        actor=None,
        measure=objects["m_alta"],
        source="statsbidrag",
        amount=125000,
        year=2024,
        note="Beslut 2024",
    )
    return objects


def test_a_change_after_the_rows_were_kept_shows_on_the_next_view(objects, world, login):
    client = login("samordnare")
    first = _rows(client)
    alta = first["Trygghetsvandring Älta"]
    assert alta[AREAS] == "Älta"
    assert alta[COST] == "125 tkr"
    assert "Beslut 2024" in alta[SOURCES]
    # The next view is read from the cache: no funding, area or party is read again.
    with CaptureQueriesContext(connection) as queries:
        assert _rows(client) == first
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "budget_measurefunding" not in read
    assert "plans_measureresponsible" in read  # the live filter's collaboration, not the rows
    assert "plans_measure_areas" not in read
    # Every part of a row follows its data.
    budget_services.measure_funding_update(
        actor=None, funding=objects["funding"], amount=90000, note="Nytt beslut"
    )
    alta = _rows(client)["Trygghetsvandring Älta"]
    assert alta[COST] == "90 000 kr"
    assert "Nytt beslut" in alta[SOURCES]
    core_services.area_update(actor=None, area=world.areas["Älta"], name="Älta centrum")
    assert _rows(client)["Trygghetsvandring Älta"][AREAS] == "Älta centrum"
    plan_services.status_update(actor=None, status=objects["m_alta"].status, name="Pågår nu")
    plan_services.measure_update(
        actor=None, measure=objects["m_alta"], responsibles=[("Föreningen Älta", "")]
    )
    alta = _rows(client)["Trygghetsvandring Älta"]
    assert alta[STATUS] == "Pågår nu"
    assert alta[PARTIES] == "Föreningen Älta"
    plan_services.measure_update(actor=None, measure=objects["m_alta"], title="Vandring i Älta")
    assert "Vandring i Älta" in _rows(client)


def test_viewers_of_another_scope_never_get_the_rows_kept_for_another(objects, world, login):
    # Nacka's samordnare reads the fundings of Nacka's measures and fills the cache first.
    assert _rows(login("samordnare"))["Trygghetsvandring Älta"][COST] == "125 tkr"
    # The police, a partner, sees the same measures (the same page of keys) but not their
    # money: a row of their own, without the funding.
    police = _rows(login("polis"))
    assert set(police) == {"Trygghetsvandring Älta", "Trygghetsvandring Orminge"}
    assert police["Trygghetsvandring Älta"][COST] == "–"
    assert police["Trygghetsvandring Älta"][SOURCES] == "–"
    # The Älta group sees Älta's measure only, with its money (a member of Nacka).
    group = _rows(login("arbetsgrupp"))
    assert set(group) == {"Trygghetsvandring Älta"}
    assert group["Trygghetsvandring Älta"][COST] == "125 tkr"
    # A changed scope of the same viewer is another key: the samordnare moved to the police
    # sees the measures as the police does, at once.
    membership = Membership.objects.get(user__username="samordnare")
    membership.organisation = world.organisations["lpo_nacka"]
    membership.save()
    forget_scope(membership.user)
    moved = _rows(login("samordnare"))
    assert moved["Trygghetsvandring Älta"][COST] == "–"
    # And back: the money again (its own kept rows, still valid).
    membership.organisation = world.organisations["nacka"]
    membership.save()
    assert _rows(login("samordnare"))["Trygghetsvandring Älta"][COST] == "125 tkr"
