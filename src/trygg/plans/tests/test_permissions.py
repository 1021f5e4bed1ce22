"""Permission matrix for the plans pages and API: every URL and endpoint × every persona.

The plan is Nacka kommun's, shared with LPO Nacka. ``m_alta`` is in Älta with Kommun and
Polis responsible; ``m_boo`` is in Boo with only Kommun responsible. Expected status per
persona; "anonymous" is not logged in (302 to the login page, 401 from the API). Writes use
values that change nothing where the same row runs for several personas.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve, reverse

from trygg.plans import services
from trygg.plans.models import MeasureStatus

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


def build(world):
    nacka, lpo = world.organisations["nacka"], world.organisations["lpo_nacka"]
    plan = services.plan_create(
        actor=None,
        organisation=nacka,
        title="Plan för samverkan",
        partner_organisations=[lpo],
    )
    focus_area = services.focus_area_create(actor=None, plan=plan, title="Platssamverkan")
    activity = services.activity_create(
        actor=None, plan=plan, focus_area=focus_area, title="Trygghetsvandringar"
    )
    m_alta = services.measure_create(
        actor=None,
        plan=plan,
        activity=activity,
        title="Trygghetsvandring Älta",
        action="Vandring i Älta centrum",
        responsibles=[("Kommun", "Brå"), ("Polis", "")],
        areas=[world.areas["Älta"]],
    )
    m_boo = services.measure_create(
        actor=None,
        plan=plan,
        activity=activity,
        title="Trygghetsvandring Orminge",
        responsibles=[("Kommun", "Brå")],
        areas=[world.areas["Boo"]],
    )
    target = services.target_create(
        actor=None, measure=m_alta, description="Minst 2 vandringar per år", value=2
    )
    status = MeasureStatus.objects.get(organisation=nacka, category="ongoing")
    return {
        "plan": plan,
        "focus_area": focus_area,
        "activity": activity,
        "m_alta": m_alta,
        "m_boo": m_boo,
        "target": target,
        "status": status,
        "world": world,
    }


# Who may do what on Nacka's plan.
VIEWERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "polis": 200, "sspf": 200}
BOO_VIEWERS = {"admin": 200, "samordnare": 200, "polis": 200, "sspf": 200}
PLAN_EDITORS = {"admin": 200, "samordnare": 200, "sspf": 200}
# m_alta: Nacka's unlimited members, the Älta group (its area) and LPO Nacka (responsible).
ALTA_CHANGERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "polis": 200, "sspf": 200}
ADDERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}
# Roles that may add plans somewhere (without area limits).
PLAN_CREATORS = {"admin": 200, "samordnare": 200, "polis": 200, "sspf": 200, "utomstaende": 200}
STATUS_EDITORS_ANYWHERE = {"admin": 200, "samordnare": 200, "polis": 200, "utomstaende": 200}


def matrix(o):
    plan, fa, act = o["plan"], o["focus_area"], o["activity"]
    alta, boo, target, status = o["m_alta"], o["m_boo"], o["target"], o["status"]
    world = o["world"]

    def page(name, *args):
        return reverse(f"plans:{name}", args=args)

    def redirected(codes):
        return {k: 302 for k in codes}

    return [
        # method, url, payload, expected
        ("get", page("plan_list"), None, everyone(200)),
        ("get", page("plan_create"), None, only(PLAN_CREATORS)),
        ("get", page("plan_import_new"), None, only(PLAN_CREATORS)),
        ("get", page("plan_detail", plan.pk), None, only(VIEWERS)),
        ("get", page("plan_edit", plan.pk), None, only(PLAN_EDITORS)),
        ("get", page("plan_export", plan.pk, "csv"), None, only(VIEWERS)),
        ("get", page("plan_export", plan.pk, "xlsx"), None, only(VIEWERS)),
        ("get", page("plan_export", plan.pk, "docx"), None, only({})),
        ("get", page("plan_export", plan.pk, "pdf"), None, only({})),
        ("get", page("plan_import", plan.pk), None, only(ALTA_CHANGERS)),
        ("get", page("focus_area_create", plan.pk), None, only(PLAN_EDITORS)),
        ("get", page("focus_area_edit", fa.pk), None, only(PLAN_EDITORS)),
        ("get", page("activity_create", plan.pk), None, only(PLAN_EDITORS)),
        ("get", page("activity_edit", act.pk), None, only(PLAN_EDITORS)),
        ("get", page("measure_create", plan.pk), None, only(ADDERS)),
        ("get", page("measure_detail", alta.pk), None, only(VIEWERS)),
        ("get", page("measure_detail", boo.pk), None, only(BOO_VIEWERS)),
        ("get", page("measure_edit", alta.pk), None, only(ALTA_CHANGERS)),
        ("get", page("measure_edit", boo.pk), None, only(PLAN_EDITORS)),
        ("get", page("measure_delete", alta.pk), None, only({"admin": 200, "samordnare": 200})),
        ("get", page("measure_status", alta.pk), None, only(ALTA_CHANGERS)),
        (
            "post",
            page("measure_status", alta.pk),
            {"status": status.pk},
            only(redirected(ALTA_CHANGERS)),
        ),
        (
            "post",
            page("measure_status", boo.pk),
            {"status": status.pk},
            only(redirected(PLAN_EDITORS)),
        ),
        ("get", page("target_create", alta.pk), None, only(ALTA_CHANGERS)),
        ("get", page("outcome_create", target.pk), None, only(ALTA_CHANGERS)),
        ("get", page("status_list"), None, everyone(200)),
        ("get", page("status_create"), None, only(STATUS_EDITORS_ANYWHERE)),
        ("get", page("status_edit", status.pk), None, only({"admin": 200, "samordnare": 200})),
        ("get", reverse("core:history", args=["plans", "plan", plan.pk]), None, only(VIEWERS)),
        (
            "get",
            reverse("core:history", args=["plans", "measure", boo.pk]),
            None,
            only(BOO_VIEWERS),
        ),
        # API
        ("get", "/api/plans/plans", None, everyone(200, anonymous=401)),
        ("get", f"/api/plans/plans/{plan.pk}", None, only(VIEWERS, anonymous=401)),
        (
            "post",
            "/api/plans/plans",
            {"organisation_id": plan.organisation_id, "title": "Ny plan"},
            only({"admin": 201, "samordnare": 201, "sspf": 201}, default=422, anonymous=401),
        ),
        (
            "patch",
            f"/api/plans/plans/{plan.pk}",
            {"title": plan.title},
            only(PLAN_EDITORS, anonymous=401),
        ),
        ("get", "/api/plans/focus-areas", None, everyone(200, anonymous=401)),
        ("get", f"/api/plans/focus-areas/{fa.pk}", None, only(VIEWERS, anonymous=401)),
        (
            "post",
            "/api/plans/focus-areas",
            {"plan_id": plan.pk, "title": "Nytt område"},
            only({"admin": 201, "samordnare": 201, "sspf": 201}, default=422, anonymous=401),
        ),
        (
            "patch",
            f"/api/plans/focus-areas/{fa.pk}",
            {"title": fa.title},
            only(PLAN_EDITORS, anonymous=401),
        ),
        ("get", "/api/plans/activities", None, everyone(200, anonymous=401)),
        ("get", f"/api/plans/activities/{act.pk}", None, only(VIEWERS, anonymous=401)),
        (
            "post",
            "/api/plans/activities",
            {"plan_id": plan.pk, "title": "Ny aktivitet", "focus_area_id": fa.pk},
            only({"admin": 201, "samordnare": 201, "sspf": 201}, default=422, anonymous=401),
        ),
        (
            "patch",
            f"/api/plans/activities/{act.pk}",
            {"title": act.title},
            only(PLAN_EDITORS, anonymous=401),
        ),
        ("get", "/api/plans/measures", None, everyone(200, anonymous=401)),
        ("get", f"/api/plans/measures/{alta.pk}", None, only(VIEWERS, anonymous=401)),
        ("get", f"/api/plans/measures/{boo.pk}", None, only(BOO_VIEWERS, anonymous=401)),
        (
            "post",
            "/api/plans/measures",
            {
                "plan_id": plan.pk,
                "activity_id": act.pk,
                "title": "Ny vandring",
                "area_ids": [world.areas["Älta"].pk],
            },
            only(
                {"admin": 201, "samordnare": 201, "arbetsgrupp": 201, "sspf": 201},
                default=422,
                anonymous=401,
            ),
        ),
        (
            "patch",
            f"/api/plans/measures/{alta.pk}",
            {"title": alta.title},
            only(ALTA_CHANGERS, anonymous=401),
        ),
        (
            "patch",
            f"/api/plans/measures/{boo.pk}",
            {"title": boo.title},
            only(PLAN_EDITORS, anonymous=401),
        ),
        (
            "post",
            f"/api/plans/measures/{alta.pk}/status",
            {"status_id": status.pk},
            only(ALTA_CHANGERS, anonymous=401),
        ),
        (
            "get",
            f"/api/plans/measures/{alta.pk}/timeline",
            None,
            only(VIEWERS, anonymous=401),
        ),
        ("get", "/api/plans/statuses", None, everyone(200, anonymous=401)),
    ]


def client_for(persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    return client


def call(client: Client, method: str, url: str, payload):
    if url.startswith("/api/"):
        if method == "get":
            return client.get(url)
        return getattr(client, method)(
            url, data=json.dumps(payload), content_type="application/json"
        )
    if method == "get":
        return client.get(url)
    return client.post(url, payload)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_plans_url_and_endpoint_answers_the_persona_as_expected(world, persona):
    objects = build(world)
    client = client_for(persona)
    failures = []
    for method, url, payload, expected in matrix(objects):
        status = call(client, method, url, payload).status_code
        if status != expected[persona]:
            failures.append(
                f"{persona} {method.upper()} {url}: {status}, expected {expected[persona]}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", ["rapportor", "utomstaende"])
def test_outsiders_get_empty_lists_from_the_api(world, persona):
    build(world)
    client = client_for(persona)
    for url in [
        "/api/plans/plans",
        "/api/plans/focus-areas",
        "/api/plans/activities",
        "/api/plans/measures",
    ]:
        body = client.get(url).json()
        assert body["count"] == 0 and body["items"] == [], url


def test_the_matrix_covers_every_plans_url_and_endpoint(world):
    from trygg.plans import urls as plan_urls
    from trygg.plans.api import router

    rows = matrix(build(world))
    names = {p.name for p in plan_urls.urlpatterns}
    covered_names = set()
    for _method, url, _payload, _expected in rows:
        if not url.startswith("/api/"):
            match = resolve(url)
            if match.namespace == "plans":
                covered_names.add(match.url_name)
    assert names == covered_names, f"pages without a row: {names - covered_names}"

    # The plans router's own operations (the whole schema also needs the other apps).
    endpoints = {
        (method.lower(), "/api/plans" + path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    covered = set()
    for method, url, _payload, _expected in rows:
        if not url.startswith("/api/plans/"):
            continue
        for m, path in endpoints:
            pattern = path.split("/")
            parts = url.split("/")
            if (
                m == method
                and len(pattern) == len(parts)
                and all(p.startswith("{") or p == q for p, q in zip(pattern, parts, strict=True))
            ):
                covered.add((m, path))
    assert endpoints == covered, f"endpoints without a row: {endpoints - covered}"


@pytest.mark.parametrize(
    "persona,expected",
    [("admin", 302), ("samordnare", 302), ("sspf", 404), ("arbetsgrupp", 404), ("polis", 404)],
)
def test_only_those_who_may_delete_can_delete_a_measure(world, persona, expected):
    objects = build(world)
    url = reverse("plans:measure_delete", args=[objects["m_alta"].pk])
    assert client_for(persona).post(url).status_code == expected
