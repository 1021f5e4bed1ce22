"""The insatsregister's rows kept in the cache (reports.register_rows.page_rows): a change
shows on the next view, and a viewer of another scope never gets another viewer's rows; the
same for the answer to a skrivelse (register_rows.answers_page)."""

from __future__ import annotations

import re

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


# The answer to a skrivelse (register_rows.answers_page): the same two properties.

SKRIVELSE = {"year": "2024", "as_of": "2024-06-30"}


def _answers(client, **params) -> list[str]:
    """The text of the four answers on the skrivelse page."""
    body = client.get(reverse("register:skrivelse"), {**SKRIVELSE, **params}).content.decode()
    sections = re.findall(r'<section class="card answer".*?</section>', body, flags=re.S)
    assert len(sections) == 4
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", s)) for s in sections]


@pytest.fixture
def ongoing(objects):
    """Älta's measure ongoing (carried out: its resources are in the second answer)."""
    plan_services.measure_set_status(
        actor=None, measure=objects["m_alta"], status=objects["status"]
    )
    return objects


def test_a_change_after_the_answers_were_kept_shows_on_the_next_view(ongoing, world, login):
    client = login("samordnare")
    first = _answers(client)
    assert "Trygghetsvandring Älta" in first[0] and "Beslut 2024" in first[1]
    assert "Älta" in first[0]
    # The next view is read from the cache: no funding, tag, area or party is read again.
    with CaptureQueriesContext(connection) as queries:
        assert _answers(client) == first
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "budget_measurefunding" not in read
    assert "budget_measuretag" not in read
    assert "plans_measure_areas" not in read
    assert "plans_measureresponsible" in read  # the live selection's collaboration
    # Every part of an answer follows its data.
    budget_services.measure_funding_update(
        actor=None, funding=ongoing["funding"], amount=90000, note="Nytt beslut"
    )
    assert "Nytt beslut" in _answers(client)[1]
    core_services.area_update(actor=None, area=world.areas["Älta"], name="Älta centrum")
    assert "Älta centrum" in _answers(client)[0]
    plan_services.status_update(actor=None, status=ongoing["status"], name="Pågår nu")
    assert "Pågår nu" in _answers(client)[0]
    plan_services.measure_update(
        actor=None, measure=ongoing["m_alta"], responsibles=[("Föreningen Älta", "")]
    )
    assert "Föreningen Älta" in _answers(client)[1]
    budget_services.measure_tags_set(
        actor=None, measure=ongoing["m_alta"], kinds=["staff_training"]
    )
    moved = _answers(client)
    assert "Trygghetsvandring Älta" not in moved[0]
    assert "Trygghetsvandring Älta" in moved[3]
    plan_services.measure_update(actor=None, measure=ongoing["m_alta"], title="Vandring i Älta")
    assert "Vandring i Älta" in _answers(client)[3]
    # Another as-of date is another answer: after the year's end nothing is planned.
    assert _answers(client, as_of="2024-12-31") != _answers(client)


def test_viewers_of_another_scope_never_get_the_answers_kept_for_another(ongoing, world, login):
    assert "Beslut 2024" in _answers(login("samordnare"))[1]
    # The police sees the same measures, in the same collaboration, but not their money.
    police = _answers(login("polis"))
    assert "Trygghetsvandring Älta" in police[1]
    assert "Trygghetsvandring Orminge" in "".join(police)
    assert "Beslut 2024" not in "".join(police)
    # The Älta group sees Älta's measure only, with its money.
    group = _answers(login("arbetsgrupp"))
    assert "Beslut 2024" in group[1]
    assert "Trygghetsvandring Orminge" not in "".join(group)
    # The samordnare moved to the police sees what the police sees, at once.
    membership = Membership.objects.get(user__username="samordnare")
    membership.organisation = world.organisations["lpo_nacka"]
    membership.save()
    forget_scope(membership.user)
    assert "Beslut 2024" not in "".join(_answers(login("samordnare")))
    membership.organisation = world.organisations["nacka"]
    membership.save()
    assert "Beslut 2024" in _answers(login("samordnare"))[1]
