"""Every budget and register URL and every budget API endpoint, for every persona.

The budget is its organisation's own: everyone in Nacka kommun who may view reads it (the
Älta working group too), only members over the whole organisation change it, deleting needs
a coordinator or administrator, and partners (the police), other kommuner and Hägersten-Älvsjö
get 404 for Nacka's objects. Anonymous users are sent to the login page (API: 401).
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from trygg.budget import demo, services
from trygg.budget.models import Budget, MeasureFunding
from trygg.plans import services as plan_services

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "samordnare",
    "arbetsgrupp",
    "polis",
    "rapportor",
    "sspf",
    "utomstaende",
    "hagersten",
    "anonymous",
]


def _row(admin, samordnare, arbetsgrupp, polis, rapportor, sspf, utomstaende, hagersten, anon):
    return dict(
        zip(
            PERSONAS,
            [admin, samordnare, arbetsgrupp, polis, rapportor, sspf, utomstaende, hagersten, anon],
            strict=True,
        )
    )


# Pages: (name, method, expected status per persona). 302 for anonymous is the login redirect.
PAGES = {
    "budget_list": _row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    "budget_create": _row(200, 200, 404, 200, 404, 200, 200, 200, 302),
    "budget_detail": _row(200, 200, 200, 404, 404, 200, 404, 404, 302),
    "budget_export": _row(200, 200, 200, 404, 404, 200, 404, 404, 302),
    "budget_edit": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "budget_delete": _row(200, 200, 404, 404, 404, 404, 404, 404, 302),
    "budget_next_year": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "population_set": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "line_create": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "line_edit": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "line_delete": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "funding_create": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "funding_edit": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "funding_delete": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "measure_tags_get": _row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    "measure_tags_post": _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
    "hagersten_measure_tags_post": _row(404, 404, 404, 404, 404, 404, 404, 302, 302),
    "register_index": _row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    "register_export": _row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    "register_skrivelse": _row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    "register_skrivelse_docx": _row(200, 200, 200, 200, 200, 200, 200, 200, 302),
}

# API endpoints under /api/budget/.
API = {
    "GET budgets": _row(200, 200, 200, 200, 200, 200, 200, 200, 401),
    "GET budget": _row(200, 200, 200, 404, 404, 200, 404, 404, 401),
    "POST budgets": _row(201, 201, 403, 403, 404, 201, 404, 404, 401),
    "PATCH budget": _row(200, 200, 404, 404, 404, 200, 404, 404, 401),
    "GET lines": _row(200, 200, 200, 200, 200, 200, 200, 200, 401),
    "GET line": _row(200, 200, 200, 404, 404, 200, 404, 404, 401),
    "POST lines": _row(201, 201, 404, 404, 404, 201, 404, 404, 401),
    "PATCH line": _row(200, 200, 404, 404, 404, 200, 404, 404, 401),
    "GET fundings": _row(200, 200, 200, 200, 200, 200, 200, 200, 401),
    "GET funding": _row(200, 200, 200, 404, 404, 200, 404, 404, 401),
    "POST fundings": _row(201, 201, 403, 404, 404, 201, 404, 404, 401),
    "PATCH funding": _row(200, 200, 404, 404, 404, 200, 404, 404, 401),
    "DELETE funding": _row(204, 204, 404, 404, 404, 204, 404, 404, 401),
    "GET register": _row(200, 200, 200, 200, 200, 200, 200, 200, 401),
}

# What each persona finds in the lists (ids of Nacka's objects are hidden from outsiders).
SEES_NACKA_BUDGET = {"admin", "samordnare", "arbetsgrupp", "sspf"}


@pytest.fixture
def objects(world):
    hagersten = demo.load_hagersten()
    budget_2023, budget_2024 = demo.load_nacka_budget(world)
    nacka = world.organisations["nacka"]
    plan = plan_services.plan_create(actor=None, organisation=nacka, title="Plan för samverkan")
    measure = plan_services.measure_create(actor=None, plan=plan, title="Trygghetsvärdar")
    line = budget_2024.lines.get(name="Trygghetsvärdar")
    funding = services.measure_funding_create(
        actor=None,
        measure=measure,
        source="trygghetspaket",
        budget_line=line,
        amount=Decimal("1600000"),
        year=2024,
    )
    return {
        "budget": budget_2023,
        "line": budget_2023.lines.first(),
        "measure": measure,
        "funding": funding,
        "line_2024": line,
        "hagersten_measure": hagersten.measures["spontanfotboll"],
        "hagersten": hagersten,
    }


def _client(persona: str, world, objects) -> Client:
    client = Client()
    if persona != "anonymous":
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=persona))
    return client


def _page(client: Client, key: str, o: dict):
    budget, line, measure, funding = o["budget"], o["line"], o["measure"], o["funding"]
    get = {
        "budget_list": reverse("budget:budget_list"),
        "budget_create": reverse("budget:budget_create"),
        "budget_detail": reverse("budget:budget_detail", args=[budget.pk]),
        "budget_export": reverse("budget:budget_detail", args=[budget.pk]) + "?format=xlsx",
        "budget_edit": reverse("budget:budget_edit", args=[budget.pk]),
        "budget_delete": reverse("budget:budget_delete", args=[budget.pk]),
        "budget_next_year": reverse("budget:budget_next_year", args=[budget.pk]),
        "population_set": reverse("budget:population_set", args=[budget.pk]),
        "line_create": reverse("budget:line_create", args=[budget.pk]),
        "line_edit": reverse("budget:line_edit", args=[line.pk]),
        "line_delete": reverse("budget:line_delete", args=[line.pk]),
        "funding_create": reverse("budget:funding_create", args=[measure.pk]),
        "funding_edit": reverse("budget:funding_edit", args=[funding.pk]),
        "funding_delete": reverse("budget:funding_delete", args=[funding.pk]),
        "measure_tags_get": reverse("budget:measure_tags", args=[measure.pk]),
        "register_index": reverse("register:index"),
        "register_export": reverse("register:index") + "?format=xlsx",
        "register_skrivelse": reverse("register:skrivelse") + "?year=2024",
        "register_skrivelse_docx": reverse("register:skrivelse") + "?year=2024&format=docx",
    }
    if key in get:
        return client.get(get[key])
    if key == "measure_tags_post":
        return client.post(reverse("budget:measure_tags", args=[measure.pk]), {"kinds": []})
    if key == "hagersten_measure_tags_post":
        return client.post(
            reverse("budget:measure_tags", args=[o["hagersten_measure"].pk]), {"kinds": []}
        )
    raise KeyError(key)


def _api(client: Client, key: str, o: dict, persona: str):
    budget, line, funding = o["budget"], o["line"], o["funding"]
    base = "/api/budget"
    json = "application/json"
    if key == "GET budgets":
        return client.get(f"{base}/budgets")
    if key == "GET budget":
        return client.get(f"{base}/budgets/{budget.pk}")
    if key == "POST budgets":
        payload = {"organisation_id": budget.organisation_id, "year": 2040, "name": persona}
        return client.post(f"{base}/budgets", payload, content_type=json)
    if key == "PATCH budget":
        return client.patch(f"{base}/budgets/{budget.pk}", {"note": persona}, content_type=json)
    if key == "GET lines":
        return client.get(f"{base}/lines")
    if key == "GET line":
        return client.get(f"{base}/lines/{line.pk}")
    if key == "POST lines":
        payload = {"budget_id": budget.pk, "name": f"Post {persona}", "amount": "10"}
        return client.post(f"{base}/lines", payload, content_type=json)
    if key == "PATCH line":
        return client.patch(f"{base}/lines/{line.pk}", {"note": persona}, content_type=json)
    if key == "GET fundings":
        return client.get(f"{base}/fundings")
    if key == "GET funding":
        return client.get(f"{base}/fundings/{funding.pk}")
    if key == "POST fundings":
        payload = {
            "measure_id": o["measure"].pk,
            "source": "bra",
            "amount": "1000",
            "year": 2024,
        }
        return client.post(f"{base}/fundings", payload, content_type=json)
    if key == "PATCH funding":
        return client.patch(f"{base}/fundings/{funding.pk}", {"note": persona}, content_type=json)
    if key == "DELETE funding":
        victim = services.measure_funding_create(
            actor=None, measure=o["measure"], source="other", amount=1, year=2024
        )
        return client.delete(f"{base}/fundings/{victim.pk}")
    if key == "GET register":
        return client.get(f"{base}/register?year=2024")
    raise KeyError(key)


def test_every_budget_and_register_page_answers_each_persona_as_expected(world, objects):
    mismatches = []
    for persona in PERSONAS:
        client = _client(persona, world, objects)
        for key, expected in PAGES.items():
            status = _page(client, key, objects).status_code
            if status != expected[persona]:
                mismatches.append(f"{key} as {persona}: {status}, expected {expected[persona]}")
    assert not mismatches, "\n".join(mismatches)


def test_every_budget_api_endpoint_answers_each_persona_as_expected(world, objects):
    mismatches = []
    for persona in PERSONAS:
        client = _client(persona, world, objects)
        for key, expected in API.items():
            status = _api(client, key, objects, persona).status_code
            if status != expected[persona]:
                mismatches.append(f"{key} as {persona}: {status}, expected {expected[persona]}")
    assert not mismatches, "\n".join(mismatches)


def test_lists_and_the_register_hold_only_what_each_persona_may_see(world, objects):
    nacka_budget = objects["budget"]
    nacka_measure = objects["measure"]
    hagersten_measure = objects["hagersten_measure"]
    for persona in PERSONAS[:-1]:
        client = _client(persona, world, objects)
        budgets = {b["id"] for b in client.get("/api/budget/budgets").json()["items"]}
        assert (nacka_budget.pk in budgets) == (persona in SEES_NACKA_BUDGET), persona
        fundings = {f["id"] for f in client.get("/api/budget/fundings").json()["items"]}
        assert (objects["funding"].pk in fundings) == (persona in SEES_NACKA_BUDGET), persona
        register = {m["id"] for m in client.get("/api/budget/register").json()["items"]}
        assert (hagersten_measure.pk in register) == (persona == "hagersten"), persona
        sees_nacka_measure = persona in SEES_NACKA_BUDGET
        assert (nacka_measure.pk in register) == sees_nacka_measure, persona
        page = client.get(reverse("register:index")).content.decode()
        assert (hagersten_measure.title in page) == (persona == "hagersten"), persona


def test_a_partner_who_sees_a_shared_measure_sees_none_of_its_money(world, objects):
    plan = objects["measure"].plan
    plan_services.plan_update(
        actor=None, plan=plan, partner_organisations=[world.organisations["lpo_nacka"]]
    )
    client = _client("polis", world, objects)
    register = client.get("/api/budget/register").json()["items"]
    row = next(m for m in register if m["id"] == objects["measure"].pk)
    assert row["funding_sources"] == [] and row["known_cost"] is None
    filtered = client.get("/api/budget/register?source=trygghetspaket").json()["items"]
    assert filtered == []
    assert MeasureFunding.objects.filter(measure=objects["measure"]).exists()
    assert Budget.objects.restrict(world.users["polis"], "view").count() == 0
