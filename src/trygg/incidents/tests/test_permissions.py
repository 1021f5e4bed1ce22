"""Permission matrix for the incidents pages and API: every URL × every persona.

Expected status per persona; "anonymous" is not logged in (302: sent to the login page; the
API answers 401). 404 means out of scope: the object's existence is never confirmed.

The personas: admin, samordnare (Nacka, everything), arbetsgrupp (Nacka, limited to Älta),
polis (LPO Nacka, a partner: sees Nacka's reports blurred), rapportor (Nacka, REPORT only:
files reports and sees their own), sspf (Nacka member), utomstaende (Värmdö: nothing of
Nacka).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve, reverse

from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "admin",
    "samordnare",
    "arbetsgrupp",
    "polis",
    "rapportor",
    "sspf",
    "utomstaende",
]


def everyone(code, anonymous=302):
    return {p: (anonymous if p == "anonymous" else code) for p in PERSONAS}


def only(allowed: dict, default=404, anonymous=302):
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(allowed)
    return result


@pytest.fixture
def police_event(world):
    from trygg.incidents.tests.test_police_import import _event, _jsonl

    services.police_events_import(actor=None, source=_jsonl(_event(id=4711)), filename="x.jsonl")
    return 4711


def matrix(world, reports, categories, police_event):
    fisksatra = reports["fisksatra"]  # filed by rapportor, Fisksätra/Saltsjöbaden
    alta = reports["alta"]  # filed by samordnare, Älta
    category = categories["Klotter"]
    nacka_full = {"admin": 200, "samordnare": 200, "sspf": 200}
    viewers = {**nacka_full, "arbetsgrupp": 200, "polis": 200, "utomstaende": 200}
    # A queued import of Nacka's: its page is for those who see Nacka's imports.
    batch = services.report_import_queue(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        filename="est.csv",
        content=b"extern_id;kategori\n",
    )
    batch_viewers = {**nacka_full, "arbetsgrupp": 200}
    return [
        # The list: each sees what is theirs (contents are checked below).
        (reverse("incidents:report_list"), everyone(200)),
        (reverse("incidents:report_list") + "?format=csv", everyone(200)),
        (reverse("incidents:report_create"), everyone(200)),
        (reverse("incidents:report_import"), only(viewers)),
        (
            reverse("incidents:report_detail", args=[fisksatra.pk]),
            only({**nacka_full, "polis": 200, "rapportor": 200}),
        ),
        (
            reverse("incidents:report_detail", args=[alta.pk]),
            only({**nacka_full, "polis": 200, "arbetsgrupp": 200}),
        ),
        (reverse("incidents:report_review", args=[fisksatra.pk]), everyone(405)),
        (
            reverse("incidents:category_list"),
            only({**nacka_full, "polis": 200, "utomstaende": 200}),
        ),
        (
            reverse("incidents:category_create"),
            only({**nacka_full, "polis": 200, "utomstaende": 200}),
        ),
        (reverse("incidents:category_defaults"), everyone(405)),
        (reverse("incidents:category_edit", args=[category.pk]), only(nacka_full)),
        (reverse("incidents:import_detail", args=[batch.pk]), only(batch_viewers)),
        (reverse("incidents:import_status", args=[batch.pk]), only(batch_viewers)),
        (reverse("incidents:police_event_list"), only(viewers)),
        (reverse("incidents:police_event_detail", args=[police_event]), only(viewers)),
        ("/api/incidents/categories", everyone(200, anonymous=401)),
        ("/api/incidents/reports", everyone(200, anonymous=401)),
        (
            f"/api/incidents/reports/{fisksatra.pk}",
            only({**nacka_full, "polis": 200, "rapportor": 200}, anonymous=401),
        ),
        (
            f"/api/incidents/reports/{alta.pk}",
            only({**nacka_full, "polis": 200, "arbetsgrupp": 200}, anonymous=401),
        ),
        ("/api/incidents/police-events", everyone(200, anonymous=401)),
        (f"/api/incidents/police-events/{police_event}", only(viewers, anonymous=401)),
    ]


def client_for(persona) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    return client


def test_every_incidents_url_answers_each_persona_as_expected(
    world, reports, categories, police_event
):
    failures = []
    for url, expected in matrix(world, reports, categories, police_event):
        for persona in PERSONAS:
            status = client_for(persona).get(url).status_code
            if status != expected[persona]:
                failures.append(f"{persona} GET {url}: {status}, expected {expected[persona]}")
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_incidents_url_and_endpoint(
    world, reports, categories, police_event
):
    from trygg.incidents import api as incidents_api
    from trygg.incidents import urls as incidents_urls

    covered = [url for url, _expected in matrix(world, reports, categories, police_event)]
    names = {p.name for p in incidents_urls.urlpatterns}
    resolved = set()
    for url in covered:
        match = resolve(url.split("?")[0])
        if match.namespace == "incidents":
            resolved.add(match.url_name)
    assert names == resolved, f"incidents pages without a matrix row: {names - resolved}"
    # Read from this app's router (the full OpenAPI schema depends on every other app).
    schema_paths = {
        "/api/incidents" + path
        for path, view in incidents_api.router.path_operations.items()
        if any("GET" in op.methods for op in view.operations)
    }
    assert schema_paths
    covered_api = {u for u in covered if u.startswith("/api/")}
    # POST endpoints have their own tests below.
    for path in schema_paths:
        prefix = path.split("{")[0]
        assert any(
            c == path or ("{" in path and c.startswith(prefix) and c != prefix) for c in covered_api
        ), f"no matrix row for {path}"


def test_each_persona_lists_only_what_they_may_see(world, reports):
    expected = {
        "samordnare": {"fisksatra", "alta", "boo"},
        "admin": {"fisksatra", "alta", "boo"},
        "sspf": {"fisksatra", "alta", "boo"},
        "arbetsgrupp": {"alta"},
        "polis": {"fisksatra", "alta", "boo"},
        "rapportor": {"fisksatra"},
        "utomstaende": set(),
    }
    ids = {r.pk: key for key, r in reports.items()}
    for persona, keys in expected.items():
        items = client_for(persona).get("/api/incidents/reports").json()["items"]
        assert {ids[i["id"]] for i in items} == keys, persona
        details = {ids[i["id"]]: i["detail"] for i in items}
        if persona == "polis":
            assert not any(details.values())
        elif keys:
            assert all(details.values()), persona


REVIEW_EXPECTED = {
    # persona: (status for the Fisksätra report, status for the Älta report)
    "anonymous": (302, 302),
    "admin": (302, 302),
    "samordnare": (302, 302),
    "arbetsgrupp": (404, 302),
    "polis": (404, 404),
    "rapportor": (404, 404),
    "sspf": (302, 302),
    "utomstaende": (404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_reviewers_in_scope_may_review(world, reports, persona):
    for key, expected in zip(("fisksatra", "alta"), REVIEW_EXPECTED[persona], strict=True):
        report = reports[key]
        response = client_for(persona).post(
            reverse("incidents:report_review", args=[report.pk]),
            {"status": "granskad", "note": "", "measure": ""},
        )
        assert response.status_code == expected, (persona, key)
        report.refresh_from_db()
        reviewed = expected == 302 and persona != "anonymous"
        assert (report.status == "granskad") == reviewed, (persona, key)


API_REVIEW_EXPECTED = {
    "anonymous": 401,
    "admin": 200,
    "samordnare": 200,
    "arbetsgrupp": 404,
    "polis": 404,
    "rapportor": 404,
    "sspf": 200,
    "utomstaende": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_endpoint_follows_the_same_rules(world, reports, persona):
    report = reports["fisksatra"]
    response = client_for(persona).post(
        f"/api/incidents/reports/{report.pk}/review",
        {"status": "granskad"},
        content_type="application/json",
    )
    assert response.status_code == API_REVIEW_EXPECTED[persona]


CREATE_EXPECTED = {
    # Filing under Nacka's category: only those with REPORT in Nacka.
    "anonymous": 401,
    "admin": 201,
    "samordnare": 201,
    "arbetsgrupp": 201,  # Älta centrum is in their area
    "polis": 404,
    "rapportor": 201,
    "sspf": 201,
    "utomstaende": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_filing_through_the_api_needs_the_report_right(world, categories, persona):
    payload = {
        "category_id": categories["Klotter"].pk,
        "occurred_at": when(1, 20, 0).isoformat(),
        "place_id": world.places["Älta centrum"].pk,
        "assessment": 2,
        "description": "Klotter på elskåpet.",
    }
    response = client_for(persona).post(
        "/api/incidents/reports", payload, content_type="application/json"
    )
    assert response.status_code == CREATE_EXPECTED[persona], response.content
    assert IncidentReport.objects.exists() == (CREATE_EXPECTED[persona] == 201)


@pytest.mark.parametrize("persona", ["admin", "samordnare", "sspf", "polis", "utomstaende"])
def test_default_categories_only_for_own_organisations(world, persona):
    nacka = world.organisations["nacka"]
    response = client_for(persona).post(
        reverse("incidents:category_defaults"), {"organisation": nacka.pk}
    )
    allowed = persona in {"admin", "samordnare", "sspf"}
    assert response.status_code == (302 if allowed else 404)
    from trygg.incidents.models import IncidentCategory

    assert IncidentCategory.objects.filter(organisation=nacka).exists() == allowed


def test_utomstaende_cannot_file_under_nackas_category_with_a_forged_form(world, categories):
    client = client_for("utomstaende")
    response = client.post(
        reverse("incidents:report_create"),
        {
            "category": categories["Klotter"].pk,
            "date": when().date().isoformat(),
            "time": "21:00",
            "assessment": "1",
        },
    )
    assert response.status_code == 200  # the form answers with an error, nothing written
    assert not IncidentReport.objects.exists()


def test_the_area_limited_member_cannot_review_outside_their_area_by_service(world, reports):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_review(
            actor=world.users["arbetsgrupp"], report=reports["boo"], status="granskad"
        )
    report = services.report_create(
        actor=world.users["arbetsgrupp"],
        organisation=world.organisations["nacka"],
        category=reports["alta"].category,
        occurred_at=when(),
        place=world.places["Älta centrum"],
        assessment=1,
    )
    assert report.area == world.areas["Älta"]
