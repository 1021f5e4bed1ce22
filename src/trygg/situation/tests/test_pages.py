"""The lägesbild pages: what they show, their exports, and the forms for pictures,
problems, cause analyses and measure links, with Swedish errors and nothing written on
bad input."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from trygg.core.models import AuditEntry
from trygg.incidents.models import IncidentReport
from trygg.plans import services as plan_services
from trygg.situation import services
from trygg.situation.models import CauseAnalysis, Problem, ProblemMeasure, SituationPicture


@pytest.fixture
def measure(world):
    plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["nacka"], title="Åtgärdsplan 2024"
    )
    return plan_services.measure_create(actor=None, plan=plan, title="Trygghetsvandringar")


def test_the_overview_shows_every_analysis_with_its_source(world, generated, picture, login):
    response = login("samordnare").get(reverse("situation:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    for marker in (
        'data-chart="chart-heatmap"',
        'data-chart="chart-trend"',
        'id="area-map"',
        'id="map-data"',
        "Bedrägerier mot äldre",
        "Fisksätra centrum",
    ):
        assert marker in html, marker
    assert html.count('class="source"') >= 6  # a source line under each figure and table
    assert "Nacka kommun" in html
    period = response.context["period"]
    start, end = period.bounds()
    in_period = IncidentReport.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    assert response.context["generated"] == in_period.count() > 1000
    # The charts and the map come from JSON data blocks, never from inline script.
    assert "<script>" not in html and 'style="' not in html


def test_the_overview_flags_a_problem_without_a_measure(world, picture, login, measure):
    # The demo's åtgärdsplan answers every prioritised problem.
    response = login("samordnare").get(reverse("situation:overview"))
    assert response.context["problems_without_measure"] == 0
    problem = services.problem_create(
        actor=None, situation_picture=picture, title="Nytt problem", priority=5
    )
    response = login("samordnare").get(reverse("situation:overview"))
    assert response.context["problems_without_measure"] == 1
    services.problem_measure_link(actor=None, problem=problem, measure=measure)
    response = login("samordnare").get(reverse("situation:overview"))
    assert response.context["problems_without_measure"] == 0
    assert "Trygghetsvandringar" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("overview", "areas"),
        ("overview", "places"),
        ("overview", "trend"),
        ("overview", "police"),
        ("overview", "heatmap"),
        ("weekly", "weekly"),
        ("weekly", "focus"),
        ("weekly", "quarter"),
        ("time_of_week", "reports"),
        ("places", "places"),
    ],
)
def test_each_table_exports_what_it_shows_as_csv_and_xlsx(world, generated, login, name, key):
    client = login("samordnare")
    page = client.get(reverse(f"situation:{name}"))
    table = page.context["tables"][key]
    headers = [str(c.label) for c in table["table"].columns]
    response = client.get(reverse(f"situation:{name}"), {"export": key, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == headers
    assert len(rows) - 1 == len(table["rows"])
    response = client.get(reverse(f"situation:{name}"), {"export": key, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0]) == headers
    assert len(values) - 1 == len(table["rows"])


def test_exported_counts_are_numbers_and_suppressed_ones_stay_under_five(
    world, nacka_week_of_three, login
):
    client = login("samordnare")
    response = client.get(reverse("situation:weekly"), {"export": "areas", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    counts = [row[1] for row in list(sheet.values)[1:]]
    assert 3 in counts and all(isinstance(c, int) for c in counts)
    partner = login("polis")
    response = partner.get(
        reverse("situation:weekly"),
        {"organisation": world.organisations["nacka"].pk, "export": "areas", "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    counts = [row[1] for row in list(sheet.values)[1:]]
    assert "<5" in counts and 3 not in counts
    assert (
        partner.get(reverse("situation:weekly"), {"export": "focus", "format": "csv"}).status_code
        == 404
    )  # no place tables for a partner


@pytest.fixture
def nacka_week_of_three(world):
    from trygg.incidents.services import categories_ensure_defaults
    from trygg.situation.selectors import last_complete_week
    from trygg.situation.tests.test_selectors import add, at

    nacka = world.organisations["nacka"]
    categories_ensure_defaults(nacka)
    week = last_complete_week()
    add(nacka, world.places["Älta centrum"], "Klotter", [at(week, 1), at(week, 2), at(week, 3)])
    return week


def test_a_partner_sees_the_lagesbild_blurred(world, nacka_week_of_three, login):
    response = login("polis").get(reverse("situation:weekly"))
    assert response.context["organisation"] == world.organisations["nacka"]
    html = response.content.decode()
    assert "&lt;5" in html
    assert "Älta centrum" not in html
    response = login("polis").get(reverse("situation:places"))
    assert response.context["map_data"]["points"] == []
    assert "places" not in response.context["tables"]
    assert "Älta centrum" not in response.content.decode()


def test_a_bad_week_or_period_is_a_swedish_error_not_a_crash(world, login):
    client = login("samordnare")
    response = client.get(reverse("situation:weekly"), {"week": "vecka 12"})
    assert response.status_code == 200
    assert "2024-W12" in response.content.decode()  # the error explains the format
    response = client.get(
        reverse("situation:overview"), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["filterset"].errors["end"]
    response = client.get(reverse("situation:overview"), {"category": "999999"})
    assert response.status_code == 200
    assert response.context["filterset"].errors["category"]
    response = client.get(reverse("situation:overview"), {"export": "nonsense", "format": "csv"})
    assert response.status_code == 404


def test_a_picture_is_created_edited_and_deleted_with_audit(world, login):
    client = login("samordnare")
    nacka = world.organisations["nacka"]
    response = client.post(
        reverse("situation:picture_create"),
        {"organisation": nacka.pk, "year": 2025, "title": "Lägesbild 2025", "state": "utkast"},
    )
    picture = SituationPicture.objects.get(title="Lägesbild 2025")
    assert response.status_code == 302
    response = client.post(
        reverse("situation:picture_edit", args=[picture.pk]),
        {"year": 2025, "title": "Lägesbild 2025 (reviderad)", "state": "beslutad", "summary": ""},
    )
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.title == "Lägesbild 2025 (reviderad)"
    assert AuditEntry.objects.filter(object_id=str(picture.pk), action="update").exists()
    response = client.post(reverse("situation:picture_delete", args=[picture.pk]))
    assert response.status_code == 302
    assert not SituationPicture.objects.filter(pk=picture.pk).exists()


def test_a_second_picture_for_the_same_year_is_refused_in_swedish(world, picture, login):
    client = login("samordnare")
    response = client.post(
        reverse("situation:picture_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "year": 2024,
            "title": "Ännu en",
            "state": "utkast",
        },
    )
    assert response.status_code == 200
    assert "redan en lägesbild" in response.content.decode()
    assert SituationPicture.objects.count() == 1


def test_a_forged_organisation_is_refused_and_nothing_is_written(world, login):
    client = login("samordnare")
    response = client.post(
        reverse("situation:picture_create"),
        {
            "organisation": world.organisations["varmdo"].pk,
            "year": 2025,
            "title": "Fel kommun",
            "state": "utkast",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not SituationPicture.objects.filter(title="Fel kommun").exists()


def test_a_problem_gets_a_cause_analysis_and_a_measure(world, picture, login, measure):
    client = login("samordnare")
    response = client.post(
        reverse("situation:problem_create", args=[picture.pk]),
        {
            "title": "Skadegörelse i Älta centrum",
            "priority": 4,
            "areas": [world.areas["Älta"].pk],
            "places": [world.places["Älta centrum"].pk],
        },
    )
    problem = Problem.objects.get(title="Skadegörelse i Älta centrum")
    assert response.status_code == 302
    response = client.post(
        reverse("situation:cause_analysis_edit", args=[problem.pk]),
        {
            "victim": "Fastighetsägare",
            "offender": "Unga, nattetid",
            "place": "Gångtunneln",
            "causes_place": "Mörkt\n\nSkymd sikt",
            "causes_society": "",
            "conclusion": "Belysning",
        },
    )
    assert response.status_code == 302
    analysis = CauseAnalysis.objects.get(problem=problem)
    assert analysis.causes == {"place": ["Mörkt", "Skymd sikt"]}
    response = client.post(
        reverse("situation:problem_measure_add", args=[problem.pk]),
        {"measure": measure.pk, "note": "Trygghetsvandring i tunneln"},
    )
    assert response.status_code == 302
    link = ProblemMeasure.objects.get(problem=problem)
    page = client.get(reverse("situation:problem_detail", args=[problem.pk])).content.decode()
    assert "Trygghetsvandringar" in page and "Mörkt" in page and "Gångtunneln" in page
    client.post(reverse("situation:problem_measure_remove", args=[problem.pk, link.pk]))
    assert not ProblemMeasure.objects.filter(pk=link.pk).exists()


def test_a_measure_of_another_kommun_cannot_be_linked(world, picture, login):
    other_plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["varmdo"], title="Värmdös plan"
    )
    other = plan_services.measure_create(actor=None, plan=other_plan, title="Värmdö-insats")
    problem = Problem.objects.get(situation_picture=picture, priority=1)
    response = login("samordnare").post(
        reverse("situation:problem_measure_add", args=[problem.pk]), {"measure": other.pk}
    )
    assert response.status_code == 400
    assert not ProblemMeasure.objects.filter(problem=problem, measure=other).exists()
    with pytest.raises(ValidationError):
        services.problem_measure_link(actor=None, problem=problem, measure=other)


def test_the_alta_member_writes_problems_only_in_alta(world, picture, login):
    client = login("arbetsgrupp")
    response = client.post(
        reverse("situation:problem_create", args=[picture.pk]),
        {"title": "Boo-problem", "priority": 5, "areas": [world.areas["Boo"].pk]},
    )
    assert response.status_code == 200
    assert not Problem.objects.filter(title="Boo-problem").exists()
    response = client.post(
        reverse("situation:problem_create", args=[picture.pk]),
        {"title": "Älta-problem", "priority": 5, "areas": [world.areas["Älta"].pk]},
    )
    assert response.status_code == 302
    assert Problem.objects.filter(title="Älta-problem").exists()


def test_an_unknown_fishbone_category_is_refused(world, picture):
    problem = Problem.objects.get(situation_picture=picture, priority=1)
    with pytest.raises(ValidationError):
        services.cause_analysis_save(actor=None, problem=problem, causes={"weather": ["Regn"]})


def test_the_generated_bulk_load_refuses_a_report_of_another_organisation(world):
    from trygg.incidents.services import categories_ensure_defaults
    from trygg.situation.generator import GeneratedReport
    from trygg.situation.selectors import last_complete_week
    from trygg.situation.tests.test_selectors import at

    nacka = world.organisations["nacka"]
    varmdo_categories = categories_ensure_defaults(world.organisations["varmdo"])
    categories_ensure_defaults(nacka)
    bad = GeneratedReport(
        occurred_at=at(last_complete_week()),
        category_id=varmdo_categories[0].pk,
        area_id=None,
        place_id=None,
        lat=None,
        lon=None,
        assessment=1,
        description="",
        status="ny",
    )
    with pytest.raises(ValidationError):
        services.generated_reports_create(
            actor=None, organisation=nacka, reports=[bad], description="fel"
        )
    assert not IncidentReport.objects.exists()
