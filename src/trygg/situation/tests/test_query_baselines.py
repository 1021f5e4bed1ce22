"""Measured query counts of the lägesbild pages, kept in query_counts.json: a change that
adds queries fails here and has to update the file on purpose
(``TRYGG_UPDATE_QUERY_COUNTS=1``).

"cold" is the first view after the counts changed (the aggregates are computed and
cached), "warm" a later view of the same page by another user with the same scope (the
aggregates and the rendered analyses come from the cache, keyed by the counts' version and
the scope, see situation.fragments). The pages of a situation picture, a problem and the
law checklist read no counts but the problems as the user may see them, kept in the cache
(situation.selectors.problems): "cold" is a view with the cache emptied, "warm" the first
view of another user (another restriction: read again), "view" a second view of the first
user (the problems from the cache)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

BASELINE = Path(__file__).with_name("query_counts.json")
PAGES = ["overview", "weekly", "time_of_week", "places"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_the_page_makes_its_measured_number_of_queries(world, generated, login, name):
    from django.core.cache import cache

    cache.clear()
    url = reverse(f"situation:{name}")
    first, second = login("samordnare"), login("admin")
    first.get(url)  # session and per-user first-visit bookkeeping
    cache.clear()  # the aggregates, not the session, are what is measured
    counts = {"cold": _queries(first, url), "warm": _queries(second, url)}
    assert counts["warm"] < counts["cold"]  # the aggregates were reused
    if os.environ.get("TRYGG_UPDATE_QUERY_COUNTS"):
        stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        stored[name] = counts
        BASELINE.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
        return
    assert counts == json.loads(BASELINE.read_text())[name]


DETAIL_PAGES = ["picture_detail", "problem_detail", "law_checklist"]


@pytest.mark.parametrize("name", DETAIL_PAGES)
def test_the_picture_pages_make_their_measured_number_of_queries(world, picture, login, name):
    args = {
        "picture_detail": [picture.pk],
        "problem_detail": [picture.problems.order_by("priority").first().pk],
        "law_checklist": [],
    }[name]
    from django.core.cache import cache

    url = reverse(f"situation:{name}", args=args)
    client = login("samordnare")
    client.get(url)  # session and per-user first-visit bookkeeping
    cache.clear()  # the problems as read for the user, not the session, are what is measured
    counts = {"cold": _queries(client, url), "warm": _queries(login("admin"), url)}
    counts["view"] = _queries(client, url)
    assert counts["view"] < counts["cold"]  # the problems were reused
    if os.environ.get("TRYGG_UPDATE_QUERY_COUNTS"):
        stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        stored[name] = counts
        BASELINE.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
        return
    assert counts == json.loads(BASELINE.read_text())[name]
