"""Query counts of the list pages: a page of 50 rows costs the same as a page of 3."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.incidents import services
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_reports(world, categories, reports):
    nacka = world.organisations["nacka"]
    places = list(world.places.values())
    for i in range(60):
        services.report_create(
            actor=None,
            organisation=nacka,
            category=list(categories.values())[i % 13],
            occurred_at=when(1 + i % 20, i % 24, 0),
            place=places[i % len(places)],
            assessment=1 + i % 3,
            reporter=world.users["rapportor"],
        )


@pytest.mark.parametrize("persona", ["samordnare", "polis", "rapportor"])
def test_the_report_list_has_no_n_plus_one(
    world, many_reports, login, persona, django_assert_max_num_queries
):
    client = login(persona)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("incidents:report_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("incidents:report_list") + "?format=xlsx").status_code == 200


def test_the_report_detail_has_few_queries(world, reports, login, django_assert_max_num_queries):
    client = login("samordnare")
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("incidents:report_detail", args=[reports["boo"].pk])).status_code
            == 200
        )


def test_the_police_event_list_has_no_n_plus_one(world, login, django_assert_max_num_queries):
    from trygg.incidents.tests.test_police_import import _event, _jsonl

    records = [_event(id=i, name=f"25 mars 08.{i % 60:02d}, Stöld, Nacka") for i in range(1, 120)]
    services.police_events_import(actor=None, source=_jsonl(*records), filename="x.jsonl")
    client = login("samordnare")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("incidents:police_event_list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("incidents:police_event_list") + "?format=csv").status_code == 200
