"""The law's chain in the data: the checklist of lag 2023:196, the lägesbild and
åtgärdsplan document data, problem status history, and the comparison with a previous
period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from trygg.plans import services as plan_services
from trygg.plans.choices import PlanKind, PlanState
from trygg.situation import chain, law, services
from trygg.situation.choices import ProblemStatus, SourceKind
from trygg.situation.models import Problem

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def chain_world(world):
    """Nacka with a lägesbild, an åtgärdsplan decided by KF whose every measure addresses a
    problem, a samordningsfunktion and a recent follow-up: every item met."""
    nacka = world.organisations["nacka"]
    picture = services.picture_create(
        actor=None,
        organisation=nacka,
        year=2025,
        title="Lägesbild 2025",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        coverage_note="Inga händelserapporter ännu; polisens och SCB:s underlag gäller hela kommunen.",
        consequences="Otrygghet kvällstid i centrumen.",
    )
    problem = services.problem_create(
        actor=None,
        situation_picture=picture,
        title="Öppen drogscen vid Fisksätra centrum",
        areas=[world.areas["Fisksätra/Saltsjöbaden"]],
        places=[world.places["Fisksätra centrum"]],
        status_since=dt.date(2025, 3, 1),
    )
    services.cause_analysis_save(
        actor=None, problem=problem, place="Skymd plats", causes={"place": ["Dålig belysning"]}
    )
    plan = plan_services.plan_create(
        actor=None, organisation=nacka, title="Åtgärdsplan 2025–2028", kind=PlanKind.ATGARDSPLAN
    )
    plan = plan_services.plan_update(
        actor=None,
        plan=plan,
        state=PlanState.BESLUTAD,
        starts_on=dt.date(2025, 7, 1),
        ends_on=dt.date(2028, 12, 31),
        decided_on=dt.date(2025, 6, 16),
        decided_by="Kommunfullmäktige",
        diarienummer="KFKS-2025-00123",
        revision_interval_months=48,
        last_evaluated_on=dt.date(2026, 6, 1),
    )
    measure = plan_services.measure_create(actor=None, plan=plan, title="Belysning vid centrum")
    services.problem_measure_link(actor=None, problem=problem, measure=measure, cause="place")
    services.picture_update(actor=None, picture=picture, plan=plan)
    services.coordination_function_set(
        actor=None,
        organisation=nacka,
        title="Säkerhetsstrateg",
        unit="Kommunledningskontoret",
        person=world.users["samordnare"],
    )
    return picture, plan, problem, measure


def test_the_checklist_names_the_law_and_every_item_is_met_with_evidence(chain_world, world):
    picture, plan, _problem, _measure = chain_world
    checklist = law.law_checklist(
        user=world.users["samordnare"], organisation=world.organisations["nacka"], today=TODAY
    )
    assert checklist.law == "2023:196" and "2023:196" in checklist.law_title
    assert [i.key for i in checklist.items] == [
        "picture_exists",
        "picture_current",
        "picture_whole_area",
        "cause_analysis",
        "plan_based_on_picture",
        "plan_decided",
        "measures_linked",
        "coordination_function",
        "followed_up",
        "revision_due",
    ]
    assert [i.key for i in checklist.items if not i.met] == []
    assert checklist.all_met
    assert all(i.evidence_url for i in checklist.items)
    assert checklist.item("plan_decided").evidence_url == plan.get_absolute_url()
    assert "KFKS-2025-00123" in checklist.item("plan_decided").detail
    assert checklist.item("picture_exists").evidence_url == picture.get_absolute_url()
    assert (checklist.mandate_start, checklist.mandate_end) == (
        dt.date(2026, 10, 15),
        dt.date(2030, 10, 14),
    )


def test_removing_the_plan_decision_date_turns_its_item_red(chain_world, world):
    _picture, plan, _problem, _measure = chain_world
    plan_services.plan_update(actor=None, plan=plan, state=PlanState.UTKAST, decided_on=None)
    checklist = law.law_checklist(
        user=world.users["samordnare"], organisation=world.organisations["nacka"], today=TODAY
    )
    item = checklist.item("plan_decided")
    assert not item.met
    assert "beslutsdatum" in item.detail
    assert not checklist.all_met


def test_a_plan_decided_by_the_kommunstyrelse_is_not_enough(chain_world, world):
    _picture, plan, _problem, _measure = chain_world
    plan_services.plan_update(actor=None, plan=plan, decided_by="Kommunstyrelsen")
    checklist = law.law_checklist(
        user=world.users["samordnare"], organisation=world.organisations["nacka"], today=TODAY
    )
    assert not checklist.item("plan_decided").met


def test_items_turn_red_for_a_measure_without_problem_an_old_follow_up_and_no_function(
    chain_world, world
):
    from trygg.situation.models import CoordinationFunction

    _picture, plan, _problem, _measure = chain_world
    plan_services.measure_create(actor=None, plan=plan, title="Kampanj utan problem")
    plan_services.plan_update(actor=None, plan=plan, last_evaluated_on=dt.date(2025, 9, 1))
    CoordinationFunction.objects.all().delete()
    checklist = law.law_checklist(
        user=world.users["samordnare"], organisation=world.organisations["nacka"], today=TODAY
    )
    assert not checklist.item("measures_linked").met
    assert "Kampanj utan problem" in checklist.item("measures_linked").detail
    assert not checklist.item("followed_up").met
    assert not checklist.item("coordination_function").met


def test_an_old_picture_is_not_current_and_a_missing_area_must_be_explained(chain_world, world):
    picture, _plan, _problem, _measure = chain_world
    services.picture_update(actor=None, picture=picture, year=2021, coverage_note="")
    checklist = law.law_checklist(
        user=world.users["samordnare"], organisation=world.organisations["nacka"], today=TODAY
    )
    assert not checklist.item("picture_current").met
    whole = checklist.item("picture_whole_area")
    assert not whole.met and "Boo" in whole.detail


def test_the_mandate_period_starts_on_15_october_of_an_election_year():
    assert law.mandate_period(dt.date(2026, 10, 14)) == (
        dt.date(2022, 10, 15),
        dt.date(2026, 10, 14),
    )
    assert law.mandate_period(dt.date(2026, 10, 15)) == (
        dt.date(2026, 10, 15),
        dt.date(2030, 10, 14),
    )
    assert law.mandate_period(dt.date(2024, 1, 1))[0] == dt.date(2022, 10, 15)


def test_another_kommun_gets_404(chain_world, world):
    with pytest.raises(Http404):
        law.law_checklist(
            user=world.users["utomstaende"], organisation=world.organisations["nacka"]
        )
    with pytest.raises(Http404):
        chain.situation_document(user=world.users["utomstaende"], picture=chain_world[0])


# Problem status and history


def test_a_problem_status_change_is_kept_in_its_history(chain_world, world):
    _picture, _plan, problem, _measure = chain_world
    coordinator = world.users["samordnare"]
    services.problem_set_status(
        actor=coordinator,
        problem=problem,
        status=ProblemStatus.BEVAKAS,
        on=dt.date(2025, 10, 1),
        note="Färre larm efter belysningen.",
    )
    services.problem_set_status(
        actor=coordinator,
        problem=problem,
        status=ProblemStatus.LOST,
        on=dt.date(2026, 2, 1),
        note="Drogscenen är borta.",
    )
    problem.refresh_from_db()
    assert (problem.status, problem.status_since) == (ProblemStatus.LOST, dt.date(2026, 2, 1))
    steps = list(problem.status_changes.order_by("on", "id"))
    assert [(s.previous_status, s.status) for s in steps] == [
        ("", "aktivt"),
        ("aktivt", "bevakas"),
        ("bevakas", "lost"),
    ]
    assert steps[-1].author == coordinator and steps[-1].note == "Drogscenen är borta."
    document = chain.situation_document(user=coordinator, picture=problem.situation_picture)
    assert [p.title for p in document.problems] == []
    assert [p.title for p in document.solved_problems] == [problem.title]
    (place,) = document.places
    assert place.name == "Fisksätra centrum" and not place.on_the_list
    assert [s.status for s in place.problems[0].history] == ["aktivt", "bevakas", "lost"]
    # A solved problem no longer needs a cause analysis for the checklist: none is active.
    checklist = law.law_checklist(
        user=coordinator, organisation=world.organisations["nacka"], today=TODAY
    )
    assert not checklist.item("cause_analysis").met


def test_a_status_change_refuses_the_same_status_and_a_future_date(chain_world):
    problem = chain_world[2]
    with pytest.raises(ValidationError):
        services.problem_set_status(actor=None, problem=problem, status=ProblemStatus.AKTIVT)
    with pytest.raises(ValidationError):
        services.problem_set_status(
            actor=None,
            problem=problem,
            status=ProblemStatus.LOST,
            on=timezone.localdate() + dt.timedelta(days=1),
        )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.AKTIVT and problem.status_changes.count() == 1


def test_problem_update_cannot_change_the_status(chain_world):
    with pytest.raises(ValueError):
        services.problem_update(actor=None, problem=chain_world[2], status=ProblemStatus.LOST)
    assert Problem.objects.get(pk=chain_world[2].pk).status == ProblemStatus.AKTIVT


# The documents' data


def test_the_situation_document_has_sources_areas_problems_and_the_decision(chain_world, world):
    picture, plan, problem, _measure = chain_world
    services.picture_source_create(
        actor=None,
        picture=picture,
        kind=SourceKind.STAFF_DIALOGUE,
        title="Medarbetardialog med fältassistenterna",
        findings="Oro kring centrum fredagskvällar.",
    )
    services.picture_source_create(
        actor=None,
        picture=picture,
        kind=SourceKind.PARTNER_PICTURE,
        title="Polisens lägesbild LPO Nacka",
        provider="Polisen, LPO Nacka",
    )
    services.picture_update(
        actor=None,
        picture=picture,
        decided_by="Kommunstyrelsen",
        decided_on=dt.date(2026, 2, 10),
        diarienummer="KFKS-2026-00010",
    )
    document = chain.situation_document(user=world.users["samordnare"], picture=picture)
    assert document.period == "2025"
    assert document.decision.is_decided and "KFKS-2026-00010" in document.decision.label
    assert [s.title for s in document.qualitative_sources] == [
        "Medarbetardialog med fältassistenterna",
        "Polisens lägesbild LPO Nacka",
    ]
    names = {a.area.name: a for a in document.areas}
    assert {"Boo", "Älta", "Sicklaön", "Fisksätra/Saltsjöbaden"} <= set(names)
    assert names["Fisksätra/Saltsjöbaden"].covered  # its problem is there
    assert not names["Boo"].covered
    assert document.covers_whole_area  # the coverage note states the absence
    (item,) = document.problems
    assert item.analysis is not None and item.analysis.place == "Skymd plats"
    assert ("place", "Plats och fysisk miljö", ("Dålig belysning",)) in item.analysis.causes
    assert document.plan_title == plan.title
    assert document.incidents.change == "ingen jämförbar period"
    assert all(f.source for f in document.figures())


def test_the_action_plan_document_groups_measures_by_problem_and_cause(chain_world, world):
    picture, plan, problem, measure = chain_world
    loose = plan_services.measure_create(actor=None, plan=plan, title="Kampanj utan problem")
    document = chain.action_plan_document(user=world.users["samordnare"], plan=plan)
    (group,) = document.groups
    assert group.problem.title == problem.title
    (cause,) = group.causes
    assert cause.cause == "place" and cause.causes == ("Dålig belysning",)
    assert [m.title for m in cause.measures] == [measure.title]
    assert [m.title for m in document.unlinked] == [loose.title]
    assert document.decision.decided_by == "Kommunfullmäktige"
    assert document.picture == picture
    assert document.measure_total.value == 2 and document.linked_total.value == 1


def test_a_partner_sees_the_plan_document_only_when_the_plan_is_shared(chain_world, world):
    _picture, plan, _problem, _measure = chain_world
    with pytest.raises(Http404):
        chain.action_plan_document(user=world.users["polis"], plan=plan)
    plan_services.plan_update(
        actor=None, plan=plan, partner_organisations=[world.organisations["lpo_nacka"]]
    )
    document = chain.action_plan_document(user=world.users["polis"], plan=plan)
    assert document.measure_total.value == 1


# The comparison with the previous period


def test_the_overview_says_no_comparable_period_when_the_previous_period_has_no_data(
    generated, login
):
    """The generated reports cover the last 12 months: the 12 months before hold only the
    reports of the first day, and "+36 509 %" over them would be nonsense."""
    response = login("samordnare").get("/lagesbild/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ingen jämförbar period" in text
    assert response.context["headline"].change == "ingen jämförbar period"


def test_a_period_whose_previous_period_has_data_gets_a_percentage(generated, world):
    from trygg.situation import selectors
    from trygg.situation.comparison import comparison_text, has_comparable_period

    nacka = world.organisations["nacka"]
    user = world.users["samordnare"]
    today = timezone.localdate()
    recent = selectors.Period(today - dt.timedelta(days=27), today)
    assert has_comparable_period(user, nacka, recent)
    assert comparison_text(user, nacka, recent, 120, 100) == "+20\u00a0%"
    whole = selectors.default_period()
    assert not has_comparable_period(user, nacka, whole)
    assert comparison_text(user, nacka, whole, 3661, 10) == "ingen jämförbar period"


def test_the_demo_texts_name_only_the_periods_the_series_store_and_type_no_figure():
    """The lägesbild's texts (demo) name the survey years and the reported-crime periods as
    stats.demo stores them, and leave the figures to the series."""
    import re

    from trygg.situation import demo
    from trygg.stats import demo as stats_demo

    stored = {"2020–2023", "2020–2024"}  # the change series: per kommundel, whole kommun
    survey_years = {str(year) for _i, year, _v, _r in stats_demo.NACKA_SURVEY}
    texts = [demo.SUMMARY, demo.CONSEQUENCES, *(p["description"] for p in demo.PROBLEMS)]
    texts += [source[1] for source in demo.SOURCES if source[4]]  # sources with a series
    for text in texts:
        assert not re.search(r"\d\s*%", text), text
        for span in re.findall(r"\b\d{4}–\d{4}\b", text):
            assert span in stored, span
    assert {"2022", "2023"} <= survey_years
    assert "från 2022 till 2023" in demo.SUMMARY and "2020–2024" in demo.SUMMARY


def test_the_start_page_panel_is_for_the_samordnare_of_a_kommun(chain_world, world):
    from django.template.loader import render_to_string

    (checklist,) = law.home_checklists(user=world.users["samordnare"], today=TODAY)
    assert checklist.organisation == world.organisations["nacka"]
    assert law.home_checklists(user=world.users["polis"]) == []
    assert law.home_checklists(user=world.users["arbetsgrupp"]) == []
    html = render_to_string(
        "situation/includes/law_checklist.html", {"checklist": checklist, "compact": True}
    )
    assert "2023:196" in html and checklist.plan.get_absolute_url() in html
