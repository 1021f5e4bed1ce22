"""Permission matrix for the reports page and API: every URL and endpoint × every persona.

The page lists only the documents each persona may generate (the contents are checked in
test_index.py); here every persona gets the page, anonymous is sent to the login page, and
another kommun's plan document is a 404 for everyone but its own.
"""

import pytest
from django.urls import reverse

from trygg.core.testing import (
    PERSONAS,
    Row,
    assert_covers,
    assert_matrix,
    everyone,
    foreign_organisation,
    forged,
)
from trygg.plans import services as plan_services
from trygg.reports.api import router

pytestmark = pytest.mark.django_db


def matrix(tyreso_plan=None) -> list[Row]:
    rows = [Row("get", reverse("reports:index"), everyone(200))]
    if tyreso_plan is not None:
        # The page links each plan's document; Tyresö's is no persona's.
        rows.append(forged("get", reverse("plans:plan_export", args=[tyreso_plan.pk, "docx"])))
    return rows


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reports_page_answers_each_persona_as_expected(world, persona):
    organisation, _area, _place = foreign_organisation()
    plan = plan_services.plan_create(actor=None, organisation=organisation, title="Tyresö")
    assert_matrix(matrix(plan), persona)


def test_the_matrix_covers_every_reports_url_and_endpoint(world):
    assert_covers(
        matrix(), namespace="reports", read_only={"index"}, router=router, api_prefix="/api/reports"
    )
