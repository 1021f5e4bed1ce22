"""The budget table of seed 001, its computed sums and checks, the state grant and bad input."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from trygg.budget import demo, selectors, services
from trygg.budget.models import Budget, BudgetLine
from trygg.core.formatting import NBSP
from trygg.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def nacka_budget(world):
    budget_2023, budget_2024 = demo.load_nacka_budget(world)
    return budget_2023


def _text(response) -> str:
    """The page's visible text, with tags removed and spaces (also no-break) collapsed."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main).replace(NBSP, " "))


def _table_rows(response) -> list[list[str]]:
    """The cells of the budget table, row by row (header, body and foot)."""
    body = response.content.decode()
    table = body[body.index('<table class="data budget-table"') : body.index("</table>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append(
            [
                re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c).replace(NBSP, " ")).strip()
                for c in cells
            ]
        )
    return rows


def test_the_demo_budget_page_shows_seed_001s_table_with_computed_sums(world, login):
    demo.load(world, io.StringIO())
    budget = Budget.objects.get(organisation=world.organisations["nacka"], year=2023)
    response = login("samordnare").get(reverse("budget:budget_detail", args=[budget.pk]))
    assert response.status_code == 200
    rows = _table_rows(response)
    assert rows[0][:4] == ["Trygghetspaketet", "Förslag 2024", "Utfall 2023", "Budget 2023"]
    body = [r[:4] for r in rows[1:-1]]
    assert body == [
        ["Trygghetsvärdar", "1,6 mkr", "1,2 mkr", "1,4 mkr"],
        ["SSPF (skola, socialtjänst, polis, fritid)", "1,5 mkr", "1,6 mkr", "1,5 mkr"],
        ["Stöd till lokala arbetsgrupper", "0,6 mkr", "0,6 mkr", "0,9 mkr"],
        ["Kameraövervakning – centrala funktioner", "0,1 mkr", "0,0 mkr", "0,2 mkr"],
        ["Insatser i samverkan med lokala aktörer", "1,1 mkr", "0,8 mkr", "0,4 mkr"],
        [
            "Övriga insatser Exempelvis insatser mot unga i riskzon.",
            "0,1 mkr",
            "0,09 mkr",
            "0,6 mkr",
        ],
    ]
    assert rows[-1][:4] == ["SUMMA", "5,0 mkr", "4,29 mkr", "5,0 mkr"]
    text = _text(response)
    assert "Summan av Budget 2023 (5,0 mkr) är lika med ramen (5,0 mkr)." in text
    assert "Summan av Förslag 2024 (5,0 mkr) är lika med ramen (5,0 mkr)." in text
    assert "Statsbidrag 2024: 2,51 mkr" in text
    assert "23 kr × 109 166 invånare (Nacka, 31 december 2023) = 2 510 818 kr" in text


def test_the_sums_come_from_the_lines_not_from_typed_totals(nacka_budget, world):
    table = selectors.budget_table(world.users["samordnare"], nacka_budget)
    assert table.totals.amount == Decimal("5000000")
    assert table.totals.outcome == Decimal("4290000")
    assert table.totals.proposal == Decimal("5000000")
    assert table.totals.variance == Decimal("-710000")
    assert table.totals.variance_pct == Decimal("-14.2")


def test_changing_a_lines_outcome_changes_every_total_that_depends_on_it(
    nacka_budget, world, login
):
    samordnare = world.users["samordnare"]
    line = BudgetLine.objects.get(budget=nacka_budget, name="Trygghetsvärdar")
    response = login("samordnare").post(
        reverse("budget:line_edit", args=[line.pk]),
        {"name": line.name, "amount": "1 400 000", "outcome": "1,5 mkr", "proposal": "1600000"},
    )
    assert response.status_code == 302
    table = selectors.budget_table(samordnare, nacka_budget)
    row = next(r for r in table.rows if r.line.pk == line.pk)
    assert row.line.outcome == Decimal("1500000")
    assert (row.variance, row.variance_pct) == (Decimal("100000"), Decimal("7.1"))
    assert row.variance_kind == "over"
    assert table.totals.outcome == Decimal("4590000")
    assert table.totals.variance == Decimal("-410000")
    listed = selectors.budgets_for(samordnare).get(pk=nacka_budget.pk)
    assert listed.total_outcome == Decimal("4590000")
    page = _table_rows(login("samordnare").get(nacka_budget.get_absolute_url()))
    assert page[-1][:4] == ["SUMMA", "5,0 mkr", "4,59 mkr", "5,0 mkr"]
    api = login("samordnare").get(f"/api/budget/budgets/{nacka_budget.pk}").json()
    assert Decimal(api["totals"]["outcome"]) == Decimal("4590000")


def test_it_warns_on_the_page_when_the_lines_exceed_the_frame(nacka_budget, world, login):
    services.budget_line_create(
        actor=world.users["samordnare"], budget=nacka_budget, name="Extra", amount=250_000
    )
    text = _text(login("samordnare").get(nacka_budget.get_absolute_url()))
    assert (
        "Varning: summan av Budget 2023 (5,25 mkr) överstiger ramen (5,0 mkr) med 250 tkr." in text
    )


def test_it_refuses_a_negative_frame(nacka_budget, world, login):
    with pytest.raises(ValidationError) as error:
        services.budget_update(actor=world.users["samordnare"], budget=nacka_budget, frame=-1)
    assert "Ramen får inte vara negativ." in str(error.value)
    nacka_budget.refresh_from_db()
    assert nacka_budget.frame == Decimal("5000000")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-100", "Beloppet får inte vara negativt."),
        ("tusen kronor", "Ange ett belopp i kronor, till exempel 1 250 000 eller 1,6 mkr."),
        ("12,345", "Ange beloppet i kronor och öre (högst två decimaler)."),
    ],
)
def test_a_bad_amount_gets_a_swedish_error_next_to_the_field_and_nothing_is_written(
    nacka_budget, login, value, message
):
    line = BudgetLine.objects.get(budget=nacka_budget, name="Trygghetsvärdar")
    entries = AuditEntry.objects.count()
    response = login("samordnare").post(
        reverse("budget:line_edit", args=[line.pk]),
        {"name": line.name, "amount": "1400000", "outcome": value, "proposal": "1600000"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<p class="error" id="id_outcome_error">{message}</p>' in body
    line.refresh_from_db()
    assert line.outcome == Decimal("1200000")
    assert AuditEntry.objects.count() == entries


def test_a_negative_frame_in_the_form_gets_a_swedish_error(nacka_budget, login):
    response = login("samordnare").post(
        reverse("budget:budget_edit", args=[nacka_budget.pk]),
        {"name": nacka_budget.name, "year": 2023, "frame": "-5 mkr"},
    )
    assert '<p class="error" id="id_frame_error">Beloppet får inte vara negativt.</p>' in (
        response.content.decode()
    )
    nacka_budget.refresh_from_db()
    assert nacka_budget.frame == Decimal("5000000")


def test_the_api_refuses_a_negative_amount_with_a_swedish_message(nacka_budget, login):
    client = login("samordnare")
    response = client.post(
        "/api/budget/lines",
        {"budget_id": nacka_budget.pk, "name": "Ny post", "amount": "-1"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "En posts budget får inte vara negativ." in str(response.json())
    assert not BudgetLine.objects.filter(name="Ny post").exists()
    response = client.post(
        "/api/budget/lines",
        {"budget_id": nacka_budget.pk, "name": "Ny post", "amount": "mycket"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not BudgetLine.objects.filter(name="Ny post").exists()


def test_an_area_limited_member_reads_but_cannot_change_the_budget(nacka_budget, world, login):
    client = login("arbetsgrupp")
    assert client.get(nacka_budget.get_absolute_url()).status_code == 200
    line = nacka_budget.lines.first()
    assert client.get(reverse("budget:line_edit", args=[line.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.budget_line_update(actor=world.users["arbetsgrupp"], line=line, outcome=0)


def test_the_state_grant_is_23_kr_per_inhabitant_of_a_kommun_only(world):
    from trygg.stats.services import population_set

    nacka = world.organisations["nacka"]
    population_set(
        actor=None, organisation=nacka, area=nacka.area, year=2023, count=109_166, source="SCB"
    )
    grant = selectors.state_grant(nacka, 2024)
    assert (grant.population, grant.population_year, grant.amount) == (
        109_166,
        2023,
        Decimal("2510818"),
    )
    assert selectors.state_grant(nacka, 2025).amount is None
    hagersten = demo.ensure_hagersten_organisation()
    assert selectors.state_grant(hagersten.organisation, 2024) is None
    assert selectors.state_grant(world.organisations["lpo_nacka"], 2024) is None


def test_the_population_can_be_entered_on_the_budget_page(nacka_budget, world, login):
    client = login("samordnare")
    response = client.post(
        reverse("budget:population_set", args=[nacka_budget.pk]),
        {"year": "2022", "count": "105 000"},
    )
    assert response.status_code == 302
    assert selectors.state_grant(world.organisations["nacka"], 2023).amount == Decimal("2415000")
    response = client.post(
        reverse("budget:population_set", args=[nacka_budget.pk]), {"year": "2022", "count": "-3"}
    )
    assert response.status_code == 200
    assert "id_count_error" in response.content.decode()


def test_next_years_budget_is_made_from_the_proposal(world, login):
    samordnare = world.users["samordnare"]
    budget = services.budget_create(
        actor=samordnare, organisation=world.organisations["nacka"], year=2030, frame=100
    )
    services.budget_line_create(actor=samordnare, budget=budget, name="A", amount=60, proposal=70)
    services.budget_line_create(actor=samordnare, budget=budget, name="B", amount=40, proposal=50)
    response = login("samordnare").post(
        reverse("budget:budget_next_year", args=[budget.pk]), {"frame": "100"}
    )
    following = Budget.objects.get(year=2031)
    assert response.status_code == 302
    assert [(line.name, line.amount) for line in following.lines.all()] == [
        ("A", Decimal("70")),
        ("B", Decimal("50")),
    ]
    text = _text(login("samordnare").get(budget.get_absolute_url()))
    assert "Varning: summan av Förslag 2031 (120 kr) överstiger ramen (100 kr) med 20 kr." in text


def test_the_budget_table_exports_what_is_shown(nacka_budget, login):
    response = login("samordnare").get(nacka_budget.get_absolute_url(), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Trygghetspaketet", "Förslag 2024", "Utfall 2023", "Budget 2023")
    assert rows[1][:4] == ("Trygghetsvärdar", 1600000, 1200000, 1400000)
    assert rows[-1][:4] == ("SUMMA", 5000000, 4290000, 5000000)


def test_a_line_that_funds_measures_cannot_be_deleted(nacka_budget, world, login):
    from trygg.plans import services as plan_services

    samordnare = world.users["samordnare"]
    plan = plan_services.plan_create(
        actor=samordnare, organisation=world.organisations["nacka"], title="Plan"
    )
    measure = plan_services.measure_create(actor=samordnare, plan=plan, title="Trygghetsvärdar")
    line = nacka_budget.lines.get(name="Trygghetsvärdar")
    services.measure_funding_create(
        actor=samordnare,
        measure=measure,
        source="trygghetspaket",
        budget_line=line,
        amount=Decimal("800000"),
        year=2023,
    )
    response = login("samordnare").post(reverse("budget:line_delete", args=[line.pk]))
    assert response.status_code == 302
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    table = selectors.budget_table(samordnare, nacka_budget)
    assert table.totals.funded == Decimal("800000")
    with pytest.raises(ValidationError):
        services.measure_funding_create(
            actor=samordnare,
            measure=measure,
            source="trygghetspaket",
            budget_line=line,
            amount=1,
            year=2024,
        )


def test_the_budget_list_has_no_n_plus_one(nacka_budget, world, login, count_queries):
    for year in range(2010, 2020):
        budget = services.budget_create(
            actor=None, organisation=world.organisations["nacka"], year=year, frame=10
        )
        services.budget_line_create(actor=None, budget=budget, name="A", amount=5)
    client = login("samordnare")
    client.get(reverse("budget:budget_list"))
    response = count_queries(
        "budget.budget_list", lambda: client.get(reverse("budget:budget_list"))
    )
    assert _text(response).count("Trygghetspaketet") >= 12


def test_the_budget_page_has_no_n_plus_one(nacka_budget, login, count_queries):
    client = login("samordnare")
    client.get(nacka_budget.get_absolute_url())
    url = nacka_budget.get_absolute_url()
    count_queries("budget.budget_detail", lambda: client.get(url))
