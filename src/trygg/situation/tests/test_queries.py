"""The lägesbild pages make a fixed number of queries, however many reports, areas and
problems there are (no N+1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.plans import services as plan_services
from trygg.situation import services
from trygg.situation.models import Problem


@pytest.fixture
def linked(world, picture):
    plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["nacka"], title="Åtgärdsplan"
    )
    for problem in Problem.objects.filter(situation_picture=picture):
        for n in range(3):
            measure = plan_services.measure_create(
                actor=None, plan=plan, title=f"{problem.title} – insats {n}"
            )
            services.problem_measure_link(actor=None, problem=problem, measure=measure)
    return picture


@pytest.mark.parametrize("username", ["samordnare", "polis", "arbetsgrupp"])
def test_the_lagesbild_page_makes_a_bounded_number_of_queries(
    world, generated, linked, login, django_assert_max_num_queries, username
):
    client = login(username)
    client.get(reverse("situation:overview"))  # the counts are brought up to date once
    with django_assert_max_num_queries(60):
        response = client.get(reverse("situation:overview"))
    assert response.status_code == 200


def test_more_problems_and_measures_do_not_add_queries(world, generated, linked, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.situation.selectors import problems as kept

    client = login("samordnare")
    client.get(reverse("situation:overview"))

    def queries(*, fresh: bool) -> int:
        if fresh:
            kept.changed()  # the problems read from the database, not from the cache
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("situation:overview"))
        return len(captured.captured_queries)

    before, kept_before = queries(fresh=True), queries(fresh=False)
    assert kept_before < before
    picture = linked
    plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["nacka"], title="Ännu en plan"
    )
    for n in range(5):
        problem = services.problem_create(
            actor=None, situation_picture=picture, title=f"Nytt problem {n}", priority=5 + n
        )
        services.cause_analysis_save(actor=None, problem=problem, victim="Boende")
        measure = plan_services.measure_create(actor=None, plan=plan, title=f"Insats {n}")
        services.problem_measure_link(actor=None, problem=problem, measure=measure)
    assert queries(fresh=True) == before
    assert queries(fresh=False) == kept_before


@pytest.mark.parametrize("name", ["weekly", "time_of_week", "places", "picture_list"])
def test_the_other_pages_make_a_bounded_number_of_queries(
    world, generated, linked, login, django_assert_max_num_queries, name
):
    client = login("samordnare")
    client.get(reverse(f"situation:{name}"))
    with django_assert_max_num_queries(45):
        assert client.get(reverse(f"situation:{name}")).status_code == 200


def test_the_picture_page_does_not_grow_with_its_problems(
    world, linked, login, django_assert_max_num_queries
):
    # The page alone, not the sign-in before it (which grew with the two-factor session mark
    # and the language setting read once per session). 31: the session, the user and their
    # scope (7), the picture (1), the problems with their areas, places, analyses and measures
    # (6), the law's chain: the problems' items with their status history (6), the plan (1),
    # the areas and the sources that cover them (6), the sources (1), the change and delete
    # checks (2) and the navigation's youth-cases entry (1) – none of them per problem.
    client = login("samordnare")
    with django_assert_max_num_queries(31):
        response = client.get(reverse("situation:picture_detail", args=[linked.pk]))
    assert response.status_code == 200
    assert len(response.context["problems"]) == 3
