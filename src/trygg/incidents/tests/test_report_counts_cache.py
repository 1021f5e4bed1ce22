"""The report list keeps its unfiltered counts in the cache (ReportFilter.keep_counts), and
never shows stale or foreign ones: a new report, a review and an imported file show on the
next view, and a viewer whose restriction or small-count rule gives other counts never gets
another viewer's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.core.testing import client_for
from trygg.incidents import services
from trygg.incidents.filters import ReportFilter
from trygg.incidents.selectors import reports_visible
from trygg.incidents.tests.conftest import when
from trygg.incidents.tests.test_permissions import _alta_reports

pytestmark = pytest.mark.django_db

URL = reverse("incidents:report_list")
PERSONAS = ["samordnare", "admin", "arbetsgrupp", "polis", "rapportor", "sspf"]


def _counts(persona):
    page = client_for(persona).get(URL)
    assert page.status_code in (200, 404)
    if page.status_code == 404:
        return None
    return page.context["paginator"].count, dict(page.context["status_counts"])


def _direct(user):
    """The counts the filter gives without the cache (as the API and the export read them)."""
    filters = ReportFilter(None, user=user)
    listed = filters.filter_queryset(reports_visible(user))
    return listed.count(), dict(filters.status_counts)


def test_every_viewer_gets_their_own_counts_after_the_others_warmed_the_cache(world, categories):
    _alta_reports(world, categories, 3)
    warm = {persona: _counts(persona) for persona in PERSONAS}  # the widest restriction first
    for persona in PERSONAS:
        assert _counts(persona) == warm[persona], persona  # from the cache
        if warm[persona] is not None:
            assert warm[persona] == _direct(world.users[persona]), persona
    # The counts differ, so the test means something: the police partner gets no rows
    # where the lägesbild shows fewer than five, the kommun's coordinator the three.
    assert warm["samordnare"][0] == 3
    assert warm["polis"][0] == 0


def test_a_new_report_a_review_and_an_import_show_on_the_next_view(world, categories):
    reports = _alta_reports(world, categories, 2)
    assert _counts("samordnare") == (2, {"ny": 2})
    services.report_create(
        actor=None,
        organisation=world.organisations["nacka"],
        category=categories["Klotter"],
        occurred_at=when(3, 12, 0),
        place=world.places["Älta centrum"],
        assessment=1,
    )
    assert _counts("samordnare")[0] == 3
    services.report_review(actor=None, report=reports[0], status="granskad")
    assert _counts("samordnare")[1].get("granskad") == 1
    moment = when(4, 10, 0)
    data = (
        "extern_id;kategori;datum;tid;plats/adress;område;bedömning;beskrivning\n"
        f"EST-1;Klotter;{moment:%Y-%m-%d};{moment:%H:%M};Älta centrum;;2;Klotter på muren\n"
    ).encode()
    services.reports_import(
        actor=None, organisation=world.organisations["nacka"], data=data, filename="x.csv"
    )
    assert _counts("samordnare")[0] == 4
