"""Every budget and register URL and every budget API endpoint, for every persona.

The budget is its organisation's own: everyone in Nacka kommun who may view reads it (the
Älta working group too), only members over the whole organisation change it, deleting needs
a coordinator or administrator, and partners (the police), other kommuner and Hägersten-Älvsjö
get 404 for Nacka's objects. Anonymous users are sent to the login page (API: 401).
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from trygg.budget import demo, services
from trygg.budget.api import router
from trygg.budget.forms import BudgetEditForm, BudgetForm, BudgetLineForm, MeasureFundingForm
from trygg.budget.models import Budget, MeasureFunding
from trygg.core.testing import (
    Row,
    assert_covers,
    assert_csrf_required,
    assert_matrix,
    client_for,
    foreign_organisation,
    forged,
    form_payload,
)
from trygg.plans import services as plan_services

pytestmark = pytest.mark.django_db

# The personas and the administrator of Hägersten-Älvsjö (a stadsdelsförvaltning with its
# own budget register), last anonymous.
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
    # Deleting needs the delete right, which a member (sspf) does not have.
    "line_delete": _row(200, 200, 404, 404, 404, 404, 404, 404, 302),
    "funding_create": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "funding_edit": _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
    "funding_delete": _row(200, 200, 404, 404, 404, 404, 404, 404, 302),
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
    "DELETE funding": _row(204, 204, 404, 404, 404, 404, 404, 404, 401),
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


def foreign():
    """A budget, a line, a measure and its funding of Tyresö kommun (no persona's)."""
    organisation, _area, _place = foreign_organisation()
    budget = services.budget_create(actor=None, organisation=organisation, year=2024)
    line = services.budget_line_create(actor=None, budget=budget, name="Tyresö", amount=10)
    plan = plan_services.plan_create(actor=None, organisation=organisation, title="Tyresö")
    measure = plan_services.measure_create(actor=None, plan=plan, title="Tyresö insats")
    funding = services.measure_funding_create(
        actor=None, measure=measure, source="bra", amount=1, year=2024
    )
    return {"budget": budget, "line": line, "measure": measure, "funding": funding}


def matrix(o, f=None) -> list[Row]:
    budget, line, measure, funding = o["budget"], o["line"], o["measure"], o["funding"]
    sara = get_user_model().objects.get(username="samordnare")
    nacka_id = budget.organisation_id

    def page(name, *args):
        return reverse(f"budget:{name}", args=args)

    budget_initial = {k: getattr(budget, k) for k in services.BUDGET_FIELDS}
    line_initial = {k: getattr(line, k) for k in services.LINE_FIELDS}
    funding_initial = {k: getattr(funding, k) for k in services.FUNDING_FIELDS}
    rows = [
        Row("get", page("budget_list"), PAGES["budget_list"]),
        Row("get", page("budget_create"), PAGES["budget_create"]),
        Row(
            "post",
            page("budget_create"),
            _row(302, 302, 404, 200, 404, 302, 200, 200, 302),
            payload=form_payload(BudgetForm(user=sara), organisation=nacka_id, year=2040),
            note="for Nacka: others find Nacka not among their choices",
        ),
        Row("get", page("budget_detail", budget.pk), PAGES["budget_detail"]),
        Row("get", page("budget_detail", budget.pk) + "?format=xlsx", PAGES["budget_export"]),
        Row("get", page("budget_edit", budget.pk), PAGES["budget_edit"]),
        Row(
            "post",
            page("budget_edit", budget.pk),
            _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
            payload=form_payload(BudgetEditForm(initial=budget_initial, user=sara)),
        ),
        Row("get", page("budget_delete", budget.pk), PAGES["budget_delete"]),
        Row(
            "post",
            page("budget_delete", budget.pk),
            _row(302, 302, 404, 404, 404, 404, 404, 404, 302),
        ),
        Row("get", page("budget_next_year", budget.pk), PAGES["budget_next_year"]),
        Row(
            "post",
            page("budget_next_year", budget.pk),
            _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
            payload={"organisation": nacka_id},
            note="next year's budget exists: refused next to the field",
        ),
        Row("get", page("population_set", budget.pk), PAGES["population_set"]),
        Row(
            "post",
            page("population_set", budget.pk),
            _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
            payload={"year": 2022, "count": "105 000"},
        ),
        Row("get", page("line_create", budget.pk), PAGES["line_create"]),
        Row(
            "post",
            page("line_create", budget.pk),
            _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
            payload={"name": "Ny post", "amount": "10 000"},
        ),
        Row("get", page("line_edit", line.pk), PAGES["line_edit"]),
        Row(
            "post",
            page("line_edit", line.pk),
            _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
            payload=form_payload(BudgetLineForm(initial=line_initial)),
        ),
        Row("get", page("line_delete", line.pk), PAGES["line_delete"]),
        Row(
            "post",
            page("line_delete", line.pk),
            _row(302, 302, 404, 404, 404, 404, 404, 404, 302),
        ),
        Row("get", page("funding_create", measure.pk), PAGES["funding_create"]),
        Row(
            "post",
            page("funding_create", measure.pk),
            _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
            payload={"source": "bra", "amount": "1 000", "year": 2024},
        ),
        Row("get", page("funding_edit", funding.pk), PAGES["funding_edit"]),
        Row(
            "post",
            page("funding_edit", funding.pk),
            _row(302, 302, 404, 404, 404, 302, 404, 404, 302),
            payload=form_payload(
                MeasureFundingForm(initial=funding_initial, user=sara, measure=measure)
            ),
        ),
        Row("get", page("funding_delete", funding.pk), PAGES["funding_delete"]),
        Row(
            "post",
            page("funding_delete", funding.pk),
            _row(302, 302, 404, 404, 404, 404, 404, 404, 302),
        ),
        Row("get", page("measure_tags", measure.pk), PAGES["measure_tags_get"]),
        Row(
            "post",
            page("measure_tags", measure.pk),
            PAGES["measure_tags_post"],
            payload={"kinds": []},
        ),
        Row(
            "post",
            page("measure_tags", o["hagersten_measure"].pk),
            PAGES["hagersten_measure_tags_post"],
            payload={"kinds": []},
        ),
        Row("get", reverse("register:index"), PAGES["register_index"]),
        Row("get", reverse("register:index") + "?format=xlsx", PAGES["register_export"]),
        Row("get", reverse("register:skrivelse") + "?year=2024", PAGES["register_skrivelse"]),
        Row(
            "get",
            reverse("register:skrivelse") + "?year=2024&format=docx",
            PAGES["register_skrivelse_docx"],
        ),
        # API
        Row("get", "/api/budget/budgets", API["GET budgets"]),
        Row("get", f"/api/budget/budgets/{budget.pk}", API["GET budget"]),
        Row(
            "post",
            "/api/budget/budgets",
            API["POST budgets"],
            payload={"organisation_id": nacka_id, "year": 2040, "name": "Ny"},
        ),
        Row(
            "patch", f"/api/budget/budgets/{budget.pk}", API["PATCH budget"], payload={"note": "x"}
        ),
        Row("get", "/api/budget/lines", API["GET lines"]),
        Row("get", f"/api/budget/lines/{line.pk}", API["GET line"]),
        Row(
            "post",
            "/api/budget/lines",
            API["POST lines"],
            payload={"budget_id": budget.pk, "name": "Post", "amount": "10"},
        ),
        Row("patch", f"/api/budget/lines/{line.pk}", API["PATCH line"], payload={"note": "x"}),
        Row("get", "/api/budget/fundings", API["GET fundings"]),
        Row("get", f"/api/budget/fundings/{funding.pk}", API["GET funding"]),
        Row(
            "post",
            "/api/budget/fundings",
            API["POST fundings"],
            payload={"measure_id": measure.pk, "source": "bra", "amount": "1000", "year": 2024},
        ),
        Row(
            "patch",
            f"/api/budget/fundings/{funding.pk}",
            API["PATCH funding"],
            payload={"note": "x"},
        ),
        Row("delete", f"/api/budget/fundings/{funding.pk}", API["DELETE funding"]),
        Row("get", "/api/budget/register?year=2024", API["GET register"]),
    ]
    if f is not None:
        rows += _forged(f, o)
    return rows


def _forged(f, o) -> list[Row]:
    def page(name, *args):
        return reverse(f"budget:{name}", args=args)

    rows = [
        forged("post", page("budget_edit", f["budget"].pk), {"name": "x", "year": 2024}),
        forged("post", page("budget_delete", f["budget"].pk)),
        forged("post", page("budget_next_year", f["budget"].pk)),
        forged("post", page("population_set", f["budget"].pk), {"year": 2022, "count": 1}),
        forged("post", page("line_create", f["budget"].pk), {"name": "x", "amount": "1"}),
        forged("post", page("line_edit", f["line"].pk), {"name": "x", "amount": "1"}),
        forged("post", page("line_delete", f["line"].pk)),
        forged("post", page("funding_create", f["measure"].pk), {"source": "bra", "year": 2024}),
        forged("post", page("funding_edit", f["funding"].pk), {"source": "bra", "year": 2024}),
        forged("post", page("funding_delete", f["funding"].pk)),
        forged("post", page("measure_tags", f["measure"].pk), {"kinds": []}),
        forged("patch", f"/api/budget/budgets/{f['budget'].pk}", {"note": "x"}),
        forged("patch", f"/api/budget/lines/{f['line'].pk}", {"note": "x"}),
        forged("patch", f"/api/budget/fundings/{f['funding'].pk}", {"note": "x"}),
        forged("delete", f"/api/budget/fundings/{f['funding'].pk}"),
        forged(
            "post",
            "/api/budget/lines",
            {"budget_id": f["budget"].pk, "name": "x", "amount": "1"},
        ),
        forged(
            "post",
            "/api/budget/fundings",
            {"measure_id": f["measure"].pk, "source": "bra", "amount": "1", "year": 2024},
        ),
        # Nacka's measure funded from Tyresö's budget line: refused next to the field.
        Row(
            "post",
            page("funding_create", o["measure"].pk),
            _row(200, 200, 404, 404, 404, 200, 404, 404, 302),
            payload={"source": "trygghetspaket", "budget_line": f["line"].pk, "year": 2024},
            note="another kommun's budget line",
        ),
    ]
    for row in rows:  # the Hägersten administrator is no more Tyresö's than anyone else
        row.expected.setdefault("hagersten", 404)
    return rows


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_budget_and_register_page_and_endpoint_answers_each_persona(world, objects, persona):
    assert_matrix(matrix(objects, foreign()), persona)


def test_every_budget_write_needs_the_csrf_token(world, objects):
    assert_csrf_required(matrix(objects))


def test_the_matrix_covers_every_budget_and_register_page_and_endpoint(world, objects):
    rows = matrix(objects)
    assert_covers(
        rows,
        namespace="budget",
        read_only={"budget_list", "budget_detail"},
        router=router,
        api_prefix="/api/budget",
    )
    assert_covers(rows, namespace="register", read_only={"index", "skrivelse"})


def test_lists_and_the_register_hold_only_what_each_persona_may_see(world, objects):
    nacka_budget = objects["budget"]
    nacka_measure = objects["measure"]
    hagersten_measure = objects["hagersten_measure"]
    for persona in PERSONAS[:-1]:
        client = client_for(persona)
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
    client = client_for("polis")
    register = client.get("/api/budget/register").json()["items"]
    row = next(m for m in register if m["id"] == objects["measure"].pk)
    assert row["funding_sources"] == [] and row["known_cost"] is None
    filtered = client.get("/api/budget/register?source=trygghetspaket").json()["items"]
    assert filtered == []
    assert MeasureFunding.objects.filter(measure=objects["measure"]).exists()
    assert Budget.objects.restrict(world.users["polis"], "view").count() == 0
