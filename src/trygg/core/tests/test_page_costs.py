"""What every signed-in page costs, and pages that show areas by name without their boundaries.

The query counts are baselines (src/trygg/query_counts.json); a boundary is GeoJSON that a
list or a select never shows, and decoding a few hundred of them cost more than the rest of
such a page.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["samordnare", "arbetsgrupp", "rapportor"])
def test_a_signed_in_page_costs_few_queries(world, login, persona, count_queries):
    # Session, user, memberships with their area limits (one query), the organisation tree,
    # the youth-cases check (asked by two-factor and the navigation, once) and the
    # authenticator check; an area-limited membership adds its areas' parts.
    client = login(persona)
    count_queries(f"core.signed_in_page.{persona}", lambda: client.get(reverse("core:two_factor")))


def test_the_start_page_has_few_queries(world, login, count_queries):
    client = login("samordnare")
    count_queries("core.home", lambda: client.get(reverse("core:home")))


@pytest.mark.parametrize(
    "name", ["reports:index", "stats:survey_value_set", "stats:population_set", "stats:series_list"]
)
def test_report_and_statistics_pages_have_few_queries(world, login, count_queries, name):
    # Their selects are read once each, as names; the reports page reads the organisations
    # once for the choices and the preselected one.
    client = login("samordnare")
    count_queries(name.replace(":", "."), lambda: client.get(reverse(name)))


@pytest.mark.parametrize(
    "name",
    [
        "core:area_list",
        "core:area_create",
        "core:place_create",
        "incidents:report_list",
        "register:index",
        "forums:forum_list",
        "stats:population_set",
        "stats:survey_value_set",
        "core:place_list",
        "reports:index",  # the organisations with their kommun's area
    ],
)
def test_pages_that_name_areas_read_no_boundaries(world, login, name):
    client = login("samordnare")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"<select" in response.content or b"<table" in response.content
    reading = [q["sql"] for q in queries.captured_queries if '"geometry"' in q["sql"]]
    assert not reading, reading
