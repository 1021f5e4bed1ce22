"""The prioritised problems of a lägesbild (and the organisation's newest lägesbild) are
kept in the cache (situation.selectors.problems), and never show stale or foreign ones: a
change shows on the next view, and a viewer whose restriction lets through other problems,
links or measures never gets another viewer's reading."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from trygg.core.access import CHANGE, DELETE, VIEW, forget_scope, scope_for
from trygg.plans import services as plan_services
from trygg.situation import chain, selectors, services
from trygg.situation.models import Problem, SituationPicture
from trygg.situation.selectors.problems import _read

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "samordnare", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende"]


@pytest.fixture
def linked(world, picture):
    """A measure of Nacka's own plan (not shared) linked to the first problem."""
    plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["nacka"], title="Egen plan"
    )
    measure = plan_services.measure_create(actor=None, plan=plan, title="Trygghetsvandringar")
    problem = Problem.objects.get(situation_picture=picture, priority=1)
    services.problem_measure_link(actor=None, problem=problem, measure=measure)
    return plan, measure, problem


def _shown(views) -> list[tuple]:
    return [
        (
            v.problem.pk,
            v.problem.title,
            v.has_analysis,
            [a.name for a in v.areas],
            [p.name for p in v.places],
            [link.measure.title for link in v.measures],
            v.hidden_measures,
        )
        for v in views
    ]


def _user(name):
    user = get_user_model().objects.get(username=name)
    forget_scope(user)
    return user


def test_every_viewer_gets_their_own_reading_after_the_others_warmed_the_cache(
    world, picture, linked
):
    for name in PERSONAS:  # each warms the cache in turn
        selectors.problems_of(_user(name), picture)
        selectors.problems_of(_user(name), picture, analyses=False)
    seen = {}
    for name in PERSONAS:
        user = _user(name)
        direct = _read(user, picture, problem_id=None, analyses=True, history=False).views()
        assert _shown(selectors.problems_of(user, picture)) == _shown(direct), name
        restricted = Problem.objects.restrict(user, VIEW).filter(situation_picture=picture)
        assert {v.problem.pk for v in direct} == set(restricted.values_list("pk", flat=True))
        seen[name] = _shown(direct)
    # The restrictions differ, so the test means something: the Älta working group misses
    # problems of other areas, the police sees the link but not the measure of a plan
    # that is not shared with it, and the strategist of another kommun sees nothing.
    assert len(seen["arbetsgrupp"]) < len(seen["samordnare"])
    polis = next(row for row in seen["polis"] if row[0] == linked[2].pk)
    assert "Trygghetsvandringar" not in polis[5] and polis[6] >= 1
    assert seen["utomstaende"] == []


def test_a_measure_shared_with_the_police_shows_on_the_next_view(world, picture, linked):
    plan, _measure, problem = linked

    def police_view():
        views = selectors.problems_of(_user("polis"), picture)
        return next(v for v in views if v.problem.pk == problem.pk)

    hidden = police_view().hidden_measures
    assert hidden >= 1
    assert police_view().hidden_measures == hidden  # now from the cache
    plan_services.plan_update(
        actor=None, plan=plan, partner_organisations=[world.organisations["lpo_nacka"]]
    )
    view = police_view()
    assert "Trygghetsvandringar" in [link.measure.title for link in view.measures]
    assert view.hidden_measures == hidden - 1


def test_a_renamed_measure_and_a_new_analysis_show_on_the_next_view(world, picture, linked, login):
    _plan, measure, problem = linked
    client = login("samordnare")
    assert "Trygghetsvandringar" in client.get(reverse("situation:overview")).content.decode()
    plan_services.measure_update(actor=None, measure=measure, title="Nattvandringar")
    html = client.get(reverse("situation:overview")).content.decode()
    assert "Nattvandringar" in html and "Trygghetsvandringar" not in html
    new = services.problem_create(
        actor=None, situation_picture=picture, title="Klotter vid skolan", priority=9
    )
    views = selectors.problems_of(_user("samordnare"), picture, analyses=False)
    assert not next(v for v in views if v.problem.pk == new.pk).has_analysis
    services.cause_analysis_save(actor=None, problem=new, victim="Skolan")
    views = selectors.problems_of(_user("samordnare"), picture, analyses=False)
    assert next(v for v in views if v.problem.pk == new.pk).has_analysis
    items, _views = chain.picture_problems(user=_user("samordnare"), picture=picture)
    assert next(i for i in items if i.problem.pk == new.pk).analysis.victim == "Skolan"


def test_a_membership_limited_to_areas_changes_what_the_next_view_reads(world, picture):
    from trygg.core.models import Membership

    user = _user("arbetsgrupp")
    before = {v.problem.pk for v in selectors.problems_of(user, picture)}
    membership = Membership.objects.get(user=user, organisation=world.organisations["nacka"])
    membership.areas.clear()  # now the whole of Nacka
    after = {v.problem.pk for v in selectors.problems_of(_user("arbetsgrupp"), picture)}
    every = set(Problem.objects.filter(situation_picture=picture).values_list("pk", flat=True))
    assert before < after == every


def test_the_newest_picture_follows_a_new_picture_and_the_restriction(world, picture):
    nacka = world.organisations["nacka"]
    assert selectors.current_picture(_user("samordnare"), nacka) == picture
    assert selectors.current_picture(_user("utomstaende"), nacka) is None
    newer = services.picture_create(
        actor=None, organisation=nacka, year=picture.year + 1, title="Lägesbild nästa år"
    )
    assert selectors.current_picture(_user("samordnare"), nacka) == newer
    assert selectors.current_picture(_user("utomstaende"), nacka) is None


@pytest.mark.parametrize("name", PERSONAS)
def test_the_pictures_own_answer_is_the_restrictions(world, picture, name):
    user = _user(name)
    for action in (CHANGE, DELETE):
        restricted = SituationPicture.objects.restrict(user, action).filter(pk=picture.pk)
        assert picture.allows(scope_for(user), action) == restricted.exists(), action


@pytest.mark.parametrize("name", PERSONAS)
def test_the_problems_own_answer_is_the_restrictions(world, picture, name):
    user = _user(name)
    problems = list(Problem.objects.filter(situation_picture=picture).prefetch_related("areas"))
    assert any(p.areas.all() for p in problems) and any(not p.areas.all() for p in problems)
    for problem in problems:
        areas = [area.pk for area in problem.areas.all()]
        for action in (CHANGE, DELETE):
            restricted = Problem.objects.restrict(user, action).filter(pk=problem.pk)
            assert problem.allows(scope_for(user), action, areas) == restricted.exists(), (
                problem.title,
                action,
            )


def test_a_measure_moved_out_of_the_viewers_areas_leaves_the_next_view(world, picture):
    """measure_update with only new areas saves no Measure (it changes the relation and
    updates a timestamp), so the relation's own change must bump the version."""
    from trygg.plans.models import Measure

    nacka = world.organisations["nacka"]
    plan = plan_services.plan_create(actor=None, organisation=nacka, title="Egen plan")
    measure = plan_services.measure_create(
        actor=None, plan=plan, title="Kameror i Älta centrum", areas=[world.areas["Älta"]]
    )
    problem = services.problem_create(
        actor=None,
        situation_picture=picture,
        title="Oro i Älta",
        priority=9,
        areas=[world.areas["Älta"]],
    )
    services.problem_measure_link(actor=None, problem=problem, measure=measure)

    def titles(user):
        view = next(v for v in selectors.problems_of(user, picture) if v.problem.pk == problem.pk)
        return [link.measure.title for link in view.measures]

    assert titles(_user("arbetsgrupp")) == ["Kameror i Älta centrum"]
    plan_services.measure_update(actor=None, measure=measure, areas=[world.areas["Sicklaön"]])
    user = _user("arbetsgrupp")
    assert not Measure.objects.restrict(user, VIEW).filter(pk=measure.pk).exists()
    assert titles(user) == []
