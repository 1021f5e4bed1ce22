"""Roll-ups, target fulfilment, review dates and the rules the services keep."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.plans import panels, selectors, services
from trygg.plans.choices import Fulfilment, StatusCategory
from trygg.plans.models import MeasureStatus, Plan, add_months


def status(plan, category):
    return MeasureStatus.objects.get(organisation=plan.organisation, category=category)


@pytest.fixture
def plan(world):
    plan = services.plan_create(
        actor=None,
        organisation=world.organisations["nacka"],
        title="Plan",
        partner_organisations=[world.organisations["lpo_nacka"]],
    )
    focus_area = services.focus_area_create(actor=None, plan=plan, title="Unga")
    for title, categories in [
        ("SSPF", ["ongoing", "not_started"]),
        ("Krog", ["done"]),
        ("Klotter", ["done", "cancelled"]),
        ("Valår", ["cancelled"]),
        ("Polar", ["not_started"]),
    ]:
        activity = services.activity_create(
            actor=None, plan=plan, focus_area=focus_area, title=title
        )
        for category in categories:
            measure = services.measure_create(actor=None, plan=plan, activity=activity, title=title)
            services.measure_set_status(actor=None, measure=measure, status=status(plan, category))
    return plan


def test_an_activity_takes_its_status_from_its_measures(plan):
    rollup = selectors.plan_rollup(plan)
    assert rollup.activities == 5
    assert rollup.activity_counts == {
        "not_started": 1,  # Polar
        "ongoing": 1,  # SSPF: one ongoing, one not started
        "done": 2,  # Krog; Klotter (the cancelled measure does not count)
        "cancelled": 1,  # Valår: every measure cancelled
    }
    assert rollup.measure_counts == {"not_started": 2, "ongoing": 1, "done": 2, "cancelled": 2}
    assert rollup.activity_summary == (
        "5 aktiviteter: 2 slutförda, 1 pågående, 1 ej påbörjad, 1 inställd"
    )


def test_progress_is_a_plain_and_an_activity_weighted_mean(plan):
    rollup = selectors.plan_rollup(plan)
    # Measures (cancelled left out): SSPF 50 and 0, Krog 100, Klotter 100, Polar 0.
    assert rollup.progress == 50.0
    # Activities: SSPF 25, Krog 100, Klotter 100, Polar 0 (Valår has no progress).
    assert rollup.progress_weighted == 56.2


def test_a_measure_progress_of_its_own_overrides_the_status_default(plan):
    measure = plan.measures.filter(title="SSPF").first()
    services.measure_set_status(
        actor=None, measure=measure, status=measure.status, progress=80, note="Nästan"
    )
    measure.refresh_from_db()
    assert measure.effective_progress == 80
    services.measure_set_status(actor=None, measure=measure, status=status(plan, "done"))
    measure.refresh_from_db()
    assert measure.progress is None and measure.effective_progress == 100


def test_target_fulfilment_follows_the_latest_outcome(plan):
    measure = plan.measures.get(title="Krog")
    target = services.target_create(
        actor=None, measure=measure, description="Minst 2 krogkontroller per år", value=2
    )
    assert selectors.fulfilment(target) == Fulfilment.NO_OUTCOME
    services.outcome_record(actor=None, target=target, period_start=dt.date(2022, 1, 1), actual=1)
    assert selectors.fulfilment(target) == Fulfilment.NOT_MET
    services.outcome_record(actor=None, target=target, period_start=dt.date(2023, 1, 1), actual=3)
    assert selectors.fulfilment(target) == Fulfilment.MET
    assert target.outcomes.get(period_start=dt.date(2023, 1, 1)).period_label == "2023"
    # Recording the same period again corrects it instead of adding a second outcome.
    services.outcome_record(
        actor=None, target=target, period_start=dt.date(2023, 1, 1), actual=Decimal("1")
    )
    assert target.outcomes.count() == 2
    assert selectors.fulfilment(target) == Fulfilment.NOT_MET
    rollup = selectors.plan_rollup(plan)
    assert (rollup.targets, rollup.targets_met, rollup.targets_not_met) == (1, 0, 1)


def test_the_next_review_is_the_earlier_of_evaluation_and_revision():
    plan = Plan(decided_on=dt.date(2022, 2, 28), last_evaluated_on=dt.date(2023, 8, 31))
    assert plan.next_evaluation_on == dt.date(2024, 8, 31)
    assert plan.next_revision_on == dt.date(2024, 2, 28)
    assert plan.next_review_on == dt.date(2024, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_a_measure_must_belong_to_an_activity_of_the_same_plan(plan, world):
    other = services.plan_create(actor=None, organisation=world.organisations["nacka"], title="B")
    activity = plan.activities.first()
    with pytest.raises(ValidationError) as error:
        services.measure_create(actor=None, plan=other, activity=activity, title="Fel")
    assert error.value.message_dict["activity"] == [
        "En åtgärd måste höra till en aktivitet i samma plan."
    ]


def test_an_area_limited_member_adds_measures_only_in_their_areas(plan, world):
    user = world.users["arbetsgrupp"]
    activity = plan.activities.first()
    with pytest.raises(ValidationError):
        services.measure_create(actor=user, plan=plan, activity=activity, title="Utan område")
    with pytest.raises(ValidationError):
        services.measure_create(
            actor=user, plan=plan, activity=activity, title="Boo", areas=[world.areas["Boo"]]
        )
    measure = services.measure_create(
        actor=user, plan=plan, activity=activity, title="Älta", areas=[world.areas["Älta"]]
    )
    assert list(measure.areas.all()) == [world.areas["Älta"]]


def test_a_partner_sets_the_status_only_of_measures_it_is_responsible_for(plan, world):
    police = world.users["polis"]
    activity = plan.activities.first()
    shared = services.measure_create(
        actor=None, plan=plan, activity=activity, title="Gemensam", responsibles=[("Polis", "")]
    )
    own = services.measure_create(
        actor=None, plan=plan, activity=activity, title="Kommunens", responsibles=[("Kommun", "")]
    )
    assert services.measure_set_status(actor=police, measure=shared, status=status(plan, "done"))
    with pytest.raises(PermissionDenied):
        services.measure_set_status(actor=police, measure=own, status=status(plan, "done"))
    with pytest.raises(PermissionDenied):
        services.plan_update(actor=police, plan=plan, title="Polisens plan")


def test_default_statuses_are_created_once(world):
    organisation = world.organisations["varmdo"]
    first = services.statuses_ensure_defaults(organisation)
    again = services.statuses_ensure_defaults(organisation)
    assert [s.name for s in first] == ["Ej påbörjad", "Pågående", "Slutförd", "Inställd"]
    assert {s.pk for s in again} == {s.pk for s in first}
    assert [s.default_progress for s in first] == [0, 50, 100, None]
    assert first[3].category == StatusCategory.CANCELLED


def test_the_measure_page_skips_panels_whose_module_does_not_exist(plan, rf, world):
    request = rf.get("/")
    request.user = world.users["samordnare"]
    measure = plan.measures.first()
    rendered = panels.render_measure_panels(
        request, measure, ["trygg.nowhere.panels.measure_panel"]
    )
    assert rendered == []
    with pytest.raises(ModuleNotFoundError):
        # A missing module inside an existing panel module is a bug and is raised.
        panels._load("trygg.plans.tests.broken_panel.measure_panel")
