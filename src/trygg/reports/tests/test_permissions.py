"""Permission matrix for the reports page and API: every URL and endpoint × every persona.

The page lists only the documents each persona may generate (the contents are checked in
test_index.py); here every persona gets the page, anonymous is sent to the login page, and
another kommun's plan document is a 404 for everyone but its own.
"""

from urllib.parse import urlencode

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
    only,
)
from trygg.plans import services as plan_services
from trygg.reports import services
from trygg.reports.api import router
from trygg.reports.generation import generate, params_from

pytestmark = pytest.mark.django_db


def matrix(world=None, tyreso_plan=None) -> list[Row]:
    rows = [Row("get", reverse("reports:index"), everyone(200))]
    if world is not None:
        rows += document_rows(world)
    if tyreso_plan is not None:
        # The page links each plan's document; Tyresö's is no persona's.
        rows.append(forged("get", reverse("plans:plan_export", args=[tyreso_plan.pk, "docx"])))
        rows.append(forged("get", reverse("reports:plan_exchange", args=[tyreso_plan.pk])))
    return rows


def document_rows(world) -> list[Row]:
    """Nacka's annual report, its drafts, versions and background builds, and a plan's
    Word exchange file. Nacka's members and its police partner may generate Nacka's
    documents (also in the background); only those who may change the whole organisation
    write drafts and versions; Värmdö and the reporter find Nacka not among their choices. A saved version is for those who see
    Nacka's versions; a background build is its maker's alone."""
    nacka = world.organisations["nacka"]
    samordnare = world.users["samordnare"]
    query = urlencode({"kind": "annual", "organisation": nacka.pk, "year": 2023})
    # The reporter files incident reports only: no documents of Nacka's.
    generators = {p: 200 for p in PERSONAS if p not in {"anonymous", "rapportor", "utomstaende"}}
    writers = {"admin": 302, "samordnare": 302, "sspf": 302}
    document = generate(samordnare, "annual", params_from({"year": 2023}, nacka))
    version = services.report_version_save(
        actor=samordnare, organisation=nacka, document=document, drafts={}
    )
    job = services.report_job_create(
        actor=samordnare,
        organisation=nacka,
        kind="annual",
        fmt="docx",
        parameters={"year": 2023},
        language="sv",
    )
    services.report_job_finish(
        job=job,
        title="Årsrapport",
        filename="arsrapport.docx",
        content=b"PK",
        content_hash="0" * 64,
    )
    plan = plan_services.plan_create(actor=None, organisation=nacka, title="Trygg i Nacka")
    return [
        Row("get", reverse("reports:document") + "?" + query, only(generators)),
        Row(
            "get",
            reverse("reports:document") + "?" + query + "&format=docx&download=1",
            only(generators),
        ),
        Row("get", reverse("reports:draft_save") + "?" + query, everyone(405)),
        Row(
            "post",
            reverse("reports:draft_save") + "?" + query,
            only(writers),
            payload={"section": "children", "text": "Polarna och SSPF når många barn."},
        ),
        Row("get", reverse("reports:version_save") + "?" + query, everyone(405)),
        Row(
            "post",
            reverse("reports:version_save") + "?" + query,
            only(writers),
            payload={"decided_on": "2024-03-25", "decided_by": "KSTU"},
        ),
        Row("get", reverse("reports:version_detail", args=[version.pk]), only(VERSION_VIEWERS)),
        Row("get", reverse("reports:job_create"), everyone(405)),
        Row(
            "post",
            reverse("reports:job_create"),
            only({p: 302 for p in generators}),
            payload={"kind": "annual", "organisation": nacka.pk, "year": 2023, "format": "docx"},
        ),
        # A large export is queued by POST from its list's offer page (reports/tests/test_exports.py
        # follows it through); an address that is no list is nobody's export.
        Row("get", reverse("reports:export_create"), everyone(405)),
        Row(
            "post",
            reverse("reports:export_create"),
            everyone(404),
            payload={"path": "/ingen-lista/", "query": ""},
            note="no list at that address",
        ),
        Row("get", reverse("reports:job_detail", args=[job.pk]), only({"samordnare": 200})),
        Row("get", reverse("reports:job_status", args=[job.pk]), only({"samordnare": 200})),
        Row("get", reverse("reports:job_download", args=[job.pk]), only({"samordnare": 200})),
        Row("get", reverse("reports:plan_exchange", args=[plan.pk]), only(PLAN_VIEWERS)),
    ]


# Who sees Nacka's saved versions and plans: its members but the reporter (the police partner
# sees neither a version nor a plan that is not shared with it).
VERSION_VIEWERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}
PLAN_VIEWERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reports_page_answers_each_persona_as_expected(world, persona):
    organisation, _area, _place = foreign_organisation()
    plan = plan_services.plan_create(actor=None, organisation=organisation, title="Tyresö")
    assert_matrix(matrix(world, plan), persona)


def test_the_matrix_covers_every_reports_url_and_endpoint(world):
    assert_covers(
        matrix(world),
        namespace="reports",
        read_only={
            "index",
            "document",
            "version_detail",
            "job_detail",
            "job_status",
            "job_download",
            "plan_exchange",
        },
        router=router,
        api_prefix="/api/reports",
    )
