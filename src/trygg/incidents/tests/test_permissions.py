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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.core.testing import (
    PERSONAS,
    Row,
    assert_covers,
    assert_csrf_required,
    assert_matrix,
    client_for,
    everyone,
    foreign_organisation,
    forged,
    only,
    with_status,
)
from trygg.incidents import services
from trygg.incidents.api import router
from trygg.incidents.models import IncidentCategory, IncidentReport
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo(world, report):
    """A photo on ``report``, added by Nacka's coordinator."""
    from trygg.incidents.tests.test_photos import jpeg_with_gps

    upload = SimpleUploadedFile("klotter.jpg", jpeg_with_gps(), "image/jpeg")
    return services.report_add_photo(actor=world.users["samordnare"], report=report, upload=upload)


@pytest.fixture
def police_event(world):
    from trygg.incidents.tests.test_police_import import _event, _jsonl

    services.police_events_import(actor=None, source=_jsonl(_event(id=4711)), filename="x.jsonl")
    return 4711


def foreign():
    """A category and a report of Tyresö kommun, which no persona belongs to."""
    organisation, area, place = foreign_organisation()
    services.categories_ensure_defaults(organisation)
    category = IncidentCategory.objects.filter(organisation=organisation).first()
    report = services.report_create(
        actor=None,
        organisation=organisation,
        category=category,
        occurred_at=when(),
        place=place,
        assessment=1,
    )
    return {"organisation": organisation, "category": category, "report": report}


def matrix(world, reports, categories, police_event, f=None):
    fisksatra = reports["fisksatra"]  # filed by rapportor, Fisksätra/Saltsjöbaden
    alta = reports["alta"]  # filed by samordnare, Älta
    category = categories["Klotter"]
    nacka = world.organisations["nacka"]
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
    # A queued import stopped by its warnings about personal data: those who see it may
    # cancel it (or go on); the file is gone here, so every decision ends in a redirect.
    stopped = services.report_import_queue(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        filename="namn.csv",
        content=b"extern_id;kategori\n",
    )
    services.report_import_reject(
        actor=None, batch=stopped, problems=["Rad 2: namn"], warnings=True
    )
    # A photo on the Fisksätra report: only those who see that report in detail get it; the
    # police partner, who sees it blurred, gets a 404 as everyone else.
    photo = _photo(world, fisksatra)
    # Those who may file reports for Nacka; the Älta group only in Älta.
    nacka_reporters = {"admin", "samordnare", "arbetsgrupp", "rapportor", "sspf"}
    report_form = {
        "category": category.pk,
        "date": when().date().isoformat(),
        "time": "21:00",
        "assessment": "2",
        "place": world.places["Älta centrum"].pk,
        "description": "Klotter på elskåpet.",
    }
    est = (
        "\ufeffextern_id;kategori;datum;tid;plats/adress;område;bedömning;beskrivning\n"
        f"EST-1;Klotter;{when().date().isoformat()};21:30;;;2;\n"
    ).encode()
    rows = [
        # The list: each sees what is theirs (contents are checked below).
        Row("get", reverse("incidents:report_list"), everyone(200)),
        Row("get", reverse("incidents:report_list") + "?format=csv", everyone(200)),
        Row("get", reverse("incidents:report_create"), everyone(200)),
        # The offline form's service worker: a script, served to everyone.
        Row("get", reverse("incidents:service_worker"), everyone(200, anonymous=200)),
        # Others find Nacka's category not among their choices: the form answers with an error.
        Row(
            "post",
            reverse("incidents:report_create"),
            only(with_status(nacka_reporters, 302), default=200),
            payload=report_form,
        ),
        Row("get", reverse("incidents:report_import"), only(viewers)),
        Row(
            "post",
            reverse("incidents:report_import"),
            # A report in no area is the whole kommun's: the Älta group is refused row by
            # row; the police and Värmdö find Nacka not among their choices.
            only(
                {
                    **with_status({"admin", "samordnare", "sspf"}, 302),
                    **with_status({"arbetsgrupp", "polis", "utomstaende"}, 200),
                }
            ),
            payload={"organisation": nacka.pk},
            files={"file": SimpleUploadedFile("est.csv", est)},
        ),
        Row(
            "get",
            reverse("incidents:report_detail", args=[fisksatra.pk]),
            only({**nacka_full, "polis": 200, "rapportor": 200}),
        ),
        Row(
            "get",
            reverse("incidents:report_detail", args=[alta.pk]),
            only({**nacka_full, "polis": 200, "arbetsgrupp": 200}),
        ),
        Row(
            "get",
            reverse("incidents:report_photo", args=[photo.pk]),
            only({**nacka_full, "rapportor": 200}),
        ),
        Row("get", reverse("incidents:report_review", args=[fisksatra.pk]), everyone(405)),
        Row(
            "post",
            reverse("incidents:report_review", args=[alta.pk]),
            only(with_status({"admin", "samordnare", "sspf", "arbetsgrupp"}, 302)),
            payload={"status": "granskad", "note": "", "measure": ""},
        ),
        Row(
            "get",
            reverse("incidents:category_list"),
            only({**nacka_full, "polis": 200, "utomstaende": 200}),
        ),
        Row(
            "get",
            reverse("incidents:category_create"),
            only({**nacka_full, "polis": 200, "utomstaende": 200}),
        ),
        Row(
            "post",
            reverse("incidents:category_create"),
            only({**with_status(nacka_full, 302), "polis": 200, "utomstaende": 200}),
            payload={
                "organisation": nacka.pk,
                "name": "Olovlig camping",
                "group": "ordning",
                "order": 100,
                "is_active": "on",
            },
        ),
        Row("get", reverse("incidents:category_defaults"), everyone(405)),
        Row(
            "post",
            reverse("incidents:category_defaults"),
            only(with_status(nacka_full, 302)),
            payload={"organisation": nacka.pk},
        ),
        Row("get", reverse("incidents:category_edit", args=[category.pk]), only(nacka_full)),
        Row(
            "post",
            reverse("incidents:category_edit", args=[category.pk]),
            only(with_status(nacka_full, 302)),
            payload={
                "name": category.name,
                "group": category.group,
                "order": category.order,
                "is_active": "on",
            },
        ),
        Row("get", reverse("incidents:import_detail", args=[batch.pk]), only(batch_viewers)),
        Row("get", reverse("incidents:import_status", args=[batch.pk]), only(batch_viewers)),
        Row(
            "post",
            reverse("incidents:import_batch_warnings", args=[stopped.pk]),
            only(with_status(batch_viewers, 302)),
            payload={"decision": "cancel"},
        ),
        # The decision on an uploaded file with warnings: nothing is kept in these sessions,
        # so those who may import are sent back to the import page.
        Row(
            "post",
            reverse("incidents:import_warnings"),
            only(with_status(viewers, 302)),
            payload={"decision": "go_on"},
        ),
        Row("get", reverse("incidents:police_event_list"), only(viewers)),
        Row("get", reverse("incidents:police_event_detail", args=[police_event]), only(viewers)),
        Row("get", "/api/incidents/categories", everyone(200, anonymous=401)),
        Row("get", "/api/incidents/reports", everyone(200, anonymous=401)),
        Row(
            "post",
            "/api/incidents/reports",
            only(with_status(nacka_reporters, 201), anonymous=401),
            payload={
                "category_id": category.pk,
                "occurred_at": when(1, 20, 0).isoformat(),
                "place_id": world.places["Älta centrum"].pk,
                "assessment": 2,
                "description": "Klotter på elskåpet.",
            },
        ),
        Row(
            "get",
            f"/api/incidents/reports/{fisksatra.pk}",
            only({**nacka_full, "polis": 200, "rapportor": 200}, anonymous=401),
        ),
        Row(
            "get",
            f"/api/incidents/reports/{alta.pk}",
            only({**nacka_full, "polis": 200, "arbetsgrupp": 200}, anonymous=401),
        ),
        Row(
            "post",
            f"/api/incidents/reports/{alta.pk}/review",
            only(with_status({"admin", "samordnare", "sspf", "arbetsgrupp"}, 200), anonymous=401),
            payload={"status": "granskad"},
        ),
        Row("get", "/api/incidents/police-events", everyone(200, anonymous=401)),
        Row("get", f"/api/incidents/police-events/{police_event}", only(viewers, anonymous=401)),
    ]
    if f is not None:
        rows += [
            forged(
                "post",
                reverse("incidents:report_review", args=[f["report"].pk]),
                {"status": "granskad"},
            ),
            forged(
                "post",
                reverse("incidents:category_edit", args=[f["category"].pk]),
                {"name": "x", "group": "ordning", "order": 1},
            ),
            forged(
                "post", f"/api/incidents/reports/{f['report'].pk}/review", {"status": "granskad"}
            ),
            forged(
                "post",
                "/api/incidents/reports",
                {
                    "category_id": f["category"].pk,
                    "occurred_at": when().isoformat(),
                    "assessment": 1,
                },
            ),
            Row(
                "post",
                reverse("incidents:category_defaults"),
                only({}),
                payload={"organisation": f["organisation"].pk},
                note="forged organisation",
            ),
            Row(
                "post",
                reverse("incidents:report_create"),
                only({}, default=200),
                payload={**report_form, "category": f["category"].pk},
                note="another kommun's category: an error on the form",
            ),
        ]
    return rows


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_incidents_url_and_endpoint_answers_each_persona_as_expected(
    world, reports, categories, police_event, persona
):
    assert_matrix(matrix(world, reports, categories, police_event, foreign()), persona)


def test_every_incidents_write_needs_the_csrf_token(world, reports, categories, police_event):
    assert_csrf_required(matrix(world, reports, categories, police_event))


def test_the_matrix_covers_every_incidents_url_and_endpoint(
    world, reports, categories, police_event
):
    assert_covers(
        matrix(world, reports, categories, police_event),
        namespace="incidents",
        read_only={
            "service_worker",
            "report_list",
            "report_detail",
            "category_list",
            "police_event_list",
            "police_event_detail",
            "report_photo",
            "import_detail",
            "import_status",
        },
        router=router,
        api_prefix="/api/incidents",
    )


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
        if persona == "polis":
            keys = set()  # three blurred reports are fewer than five: none are listed
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


def _alta_reports(world, categories, count):
    return [
        services.report_create(
            actor=None,
            organisation=world.organisations["nacka"],
            category=categories["Klotter"],
            occurred_at=when(2 + n, 21, 0),
            place=world.places["Älta centrum"],
            assessment=2,
        )
        for n in range(count)
    ]


def test_a_partner_gets_no_rows_where_the_lagesbild_shows_fewer_than_five(world, categories):
    """The police partner sees "<5" for Älta on the lägesbild; the API list, its total, a
    filtered list and the CSV export must not give the count away."""
    _alta_reports(world, categories, 3)
    alta = world.areas["Älta"]
    since = when(30).date().isoformat()
    until = when(0).date().isoformat()
    polis = client_for("polis")
    query = f"?area={alta.pk}&since={since}&until={until}"
    body = polis.get("/api/incidents/reports" + query).json()
    assert body["count"] == 0 and body["items"] == []
    assert polis.get("/api/incidents/reports").json()["count"] == 0
    export = polis.get(reverse("incidents:report_list") + query + "&format=csv")
    assert export.status_code == 200
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 1  # the header
    page = polis.get(reverse("incidents:report_list") + query)
    assert page.context["paginator"].count == 0 and page.context["blurred_count"] == 0
    assert sum(page.context["status_counts"].values()) == 0
    # The kommun's own coordinator sees the exact rows.
    samordnare = client_for("samordnare").get("/api/incidents/reports" + query).json()
    assert samordnare["count"] == 3


def test_a_partner_sees_blurred_rows_once_there_are_enough(world, categories):
    _alta_reports(world, categories, 6)
    body = client_for("polis").get("/api/incidents/reports").json()
    assert body["count"] == 6
    assert not any(item["detail"] for item in body["items"])
