"""Measured query counts of the lägesbild pages, kept in query_counts.json: a change that
adds queries fails here and has to update the file on purpose
(``TRYGG_UPDATE_QUERY_COUNTS=1``).

"cold" is the first view after the counts changed (the aggregates are computed and
cached), "warm" a later view of the same page by another user with the same scope (the
aggregates come from the cache, keyed by the counts' version)."""

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
