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
def test_the_report_list_has_no_n_plus_one(world, many_reports, login, persona, count_queries):
    client = login(persona)
    url = reverse("incidents:report_list")
    count_queries(f"incidents.report_list.{persona}", lambda: client.get(url))
    count_queries(f"incidents.report_list.xlsx.{persona}", lambda: client.get(url + "?format=xlsx"))
    # Viewed again, the filters' options (categories, areas, places) and the unfiltered
    # counts come from the cache.
    count_queries(f"incidents.report_list.again.{persona}", lambda: client.get(url))


def test_the_report_detail_has_few_queries(world, reports, login, count_queries):
    # The baseline holds, besides the report and the scope: the review check and the next
    # report to review, the map's area outline (the report's kommundel has none, so its
    # kommun's is read: 2), the report's photos (1) and the navigation's youth-cases entry (1).
    client = login("samordnare")
    url = reverse("incidents:report_detail", args=[reports["boo"].pk])
    count_queries("incidents.report_detail", lambda: client.get(url))


def test_the_police_event_list_has_no_n_plus_one(world, login, count_queries):
    from trygg.incidents.tests.test_police_import import _event, _jsonl

    records = [_event(id=i, name=f"25 mars 08.{i % 60:02d}, Stöld, Nacka") for i in range(1, 120)]
    services.police_events_import(actor=None, source=_jsonl(*records), filename="x.jsonl")
    client = login("samordnare")
    url = reverse("incidents:police_event_list")
    count_queries("incidents.police_event_list", lambda: client.get(url))
    count_queries("incidents.police_event_list.csv", lambda: client.get(url + "?format=csv"))


def test_the_kept_filter_options_follow_changes_and_the_viewer(world, login):
    # The options are kept in the cache per viewer scope and data version: a new category
    # shows at the next view, and a viewer outside its organisation never gets it.
    from trygg.incidents.choices import CategoryGroup
    from trygg.incidents.models import IncidentCategory

    url = reverse("incidents:report_list")
    samordnare, rapportor = login("samordnare"), login("rapportor")
    samordnare.get(url)
    rapportor.get(url)
    IncidentCategory.objects.create(
        organisation=world.organisations["varmdo"],
        name="Värmdös nya kategori",
        group=CategoryGroup.choices[0][0],
    )
    assert "Värmdös nya kategori" not in samordnare.get(url).content.decode()
    category = IncidentCategory.objects.create(
        organisation=world.organisations["nacka"],
        name="Nackas nya kategori",
        group=CategoryGroup.choices[0][0],
    )
    assert "Nackas nya kategori" in samordnare.get(url).content.decode()
    category.name = "Omdöpt kategori"
    category.save()
    page = samordnare.get(url).content.decode()
    assert "Omdöpt kategori" in page and "Nackas nya kategori" not in page
    assert "Värmdös nya kategori" not in rapportor.get(url).content.decode()
