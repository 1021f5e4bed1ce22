"""Funding and categories of measures: the form, its errors and the panel on the measure page."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from trygg.budget import demo, services
from trygg.budget.models import BudgetLine, MeasureFunding, MeasureTag
from trygg.budget.panels import measure_panel
from trygg.plans import services as plan_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(world):
    demo.load_nacka_budget(world)
    plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["nacka"], title="Plan för samverkan"
    )
    return plan_services.measure_create(actor=None, plan=plan, title="Trygghetsvärdar i Orminge")


def _line(measure, year=2024, name="Trygghetsvärdar"):
    return BudgetLine.objects.get(
        organisation_id=measure.organisation_id, budget__year=year, name=name
    )


def test_funding_from_a_safety_package_line_is_recorded_on_the_measure(measure, login):
    line = _line(measure)
    response = login("samordnare").post(
        reverse("budget:funding_create", args=[measure.pk]),
        {
            "source": "trygghetspaket",
            "budget_line": line.pk,
            "amount": "400 000",
            "year": "2024",
            "next": "/insatser/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/insatser/"
    funding = MeasureFunding.objects.get(measure=measure)
    assert (funding.budget_line, funding.amount) == (line, Decimal("400000"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "-400"}, "amount", "Beloppet får inte vara negativt."),
        (
            {"amount": "fyrahundra"},
            "amount",
            "Ange ett belopp i kronor, till exempel 1 250 000 eller 1,6 mkr.",
        ),
        ({"budget_line": ""}, "budget_line", "Välj posten i trygghetspaketet som betalar."),
        ({"year": "2023"}, "budget_line", "Budgetposten gäller 2024, inte 2023."),
        (
            {"source": "bra"},
            "budget_line",
            "En budgetpost väljs bara för pengar ur trygghetspaketet.",
        ),
    ],
)
def test_bad_funding_gets_a_swedish_error_next_to_the_field_and_nothing_is_written(
    measure, login, data, field, message
):
    line = _line(measure)
    post = {"source": "trygghetspaket", "budget_line": line.pk, "amount": "400", "year": "2024"}
    response = login("samordnare").post(
        reverse("budget:funding_create", args=[measure.pk]), {**post, **data}
    )
    assert response.status_code == 200
    assert f'<p class="error" id="id_{field}_error">{message}</p>' in response.content.decode()
    assert not MeasureFunding.objects.exists()


def test_a_line_of_another_organisation_is_refused_as_a_forged_choice(measure, world, login):
    other = services.budget_create(
        actor=None, organisation=world.organisations["varmdo"], year=2024
    )
    foreign = services.budget_line_create(actor=None, budget=other, name="Värmdö", amount=1)
    response = login("samordnare").post(
        reverse("budget:funding_create", args=[measure.pk]),
        {"source": "trygghetspaket", "budget_line": foreign.pk, "amount": "1", "year": "2024"},
    )
    assert response.status_code == 200
    assert 'id="id_budget_line_error"' in response.content.decode()
    assert not MeasureFunding.objects.exists()


def test_the_measure_panel_shows_funding_total_and_categories(measure, world, login):
    services.measure_funding_create(
        actor=None,
        measure=measure,
        source="trygghetspaket",
        budget_line=_line(measure),
        amount=Decimal("400000"),
        year=2024,
    )
    services.measure_funding_create(
        actor=None, measure=measure, source="bra", amount=None, year=2024, note="Sökt"
    )
    client = login("samordnare")
    client.post(
        reverse("budget:measure_tags", args=[measure.pk]),
        {"kinds": ["staff_training"], "next": "/insatser/"},
    )
    assert list(MeasureTag.objects.values_list("kind", flat=True)) == ["staff_training"]
    request = RequestFactory().get(f"/planer/atgarder/{measure.pk}/")
    request.user = world.users["samordnare"]
    html = measure_panel(request, measure)
    assert "Finansiering och kostnad" in html
    assert "Post i trygghetspaketet" in html and "Trygghetsvärdar" in html
    assert "ej angivet" in html
    assert "400\u00a0tkr" in html
    assert 'value="staff_training" checked' in html
    request.user = world.users["polis"]
    assert measure_panel(request, measure) == ""
    page = client.get(reverse("plans:measure_detail", args=[measure.pk]))
    assert "Finansiering och kostnad" in page.content.decode()


def test_the_budget_page_lists_funded_measures_without_inventing_an_amount(measure, login):
    line = _line(measure)
    services.measure_funding_create(
        actor=None,
        measure=measure,
        source="trygghetspaket",
        budget_line=line,
        amount=None,
        year=2024,
    )
    body = login("samordnare").get(line.budget.get_absolute_url()).content.decode()
    assert "Trygghetsvärdar i Orminge" in body
    assert "1 insats, belopp ej angivet" in body
    assert "Ingen insats finansieras av posterna än." not in body


def test_a_budget_whose_lines_fund_measures_keeps_its_year(measure, login):
    line = _line(measure)
    services.measure_funding_create(
        actor=None, measure=measure, source="trygghetspaket", budget_line=line, amount=1, year=2024
    )
    budget = line.budget
    response = login("samordnare").post(
        reverse("budget:budget_edit", args=[budget.pk]),
        {"name": budget.name, "year": "2025", "frame": "5 mkr"},
    )
    assert response.status_code == 200
    assert 'id="id_year_error"' in response.content.decode()
    budget.refresh_from_db()
    assert budget.year == 2024
