"""Computed targets: meetings counted from the forums, values read from a series, reports
counted; typed outcomes only for what Trygg cannot see, and marked as typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.forums import services as forum_services
from trygg.forums.choices import ForumKind, MeetingStatus
from trygg.plans import selectors, services
from trygg.plans.choices import Fulfilment, TargetSource
from trygg.plans.targets import target_result, targets_for_measure


@pytest.fixture
def measure(world):
    plan = services.plan_create(
        actor=None,
        organisation=world.organisations["nacka"],
        title="Plan",
        partner_organisations=[world.organisations["lpo_nacka"]],
    )
    services.plan_update(
        actor=None, plan=plan, starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2023, 12, 31)
    )
    return services.measure_create(actor=None, plan=plan, title="Arbetsgrupperna")


def held(forum, day: dt.date):
    meeting = forum_services.meeting_create(
        actor=None,
        forum=forum,
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))),
    )
    return forum_services.meeting_update(actor=None, meeting=meeting, status=MeetingStatus.HELD)


@pytest.fixture
def groups(world):
    forums = []
    for name in ("Älta", "Boo"):
        forum = forum_services.forum_create(
            actor=None,
            organisation=world.organisations["nacka"],
            name=f"Trygg och säker {name}",
            kind=ForumKind.ARBETSGRUPP,
            area=world.areas[name],
        )
        for month in (2, 4, 6, 8, 10):
            held(forum, dt.date(2023, month, 8))
        forums.append(forum)
    return forums


def meetings_target(measure, forums):
    return services.target_create(
        actor=None,
        measure=measure,
        description="Minst 6 möten per arbetsgrupp och år",
        value=6,
        unit="möten",
        source=TargetSource.MEETINGS,
        forums=forums,
        per_forum=True,
    )


def test_a_meetings_target_counts_the_held_meetings_and_changes_when_one_is_added(
    measure, groups, world
):
    target = meetings_target(measure, groups)
    result = target_result(user=world.users["samordnare"], target=target)
    outcome = result.outcomes[0]
    assert outcome.period_label == "2023"
    assert outcome.actual.value == 5 and not outcome.actual.typed
    assert dict(outcome.per_forum) == {"Trygg och säker Boo": 5, "Trygg och säker Älta": 5}
    assert result.fulfilment == Fulfilment.NOT_MET

    held(groups[0], dt.date(2023, 12, 6))  # Älta's sixth: Boo still has five
    target.refresh_from_db()
    result = target_result(user=world.users["samordnare"], target=target)
    assert result.outcomes[0].actual.value == 5 and result.fulfilment == Fulfilment.NOT_MET

    held(groups[1], dt.date(2023, 12, 7))
    target.refresh_from_db()
    result = target_result(user=world.users["samordnare"], target=target)
    assert result.outcomes[0].actual.value == 6
    assert result.fulfilment == Fulfilment.MET
    assert "Trygg och säker Älta" in result.outcomes[0].actual.source


def test_planned_and_cancelled_meetings_are_not_counted(measure, groups):
    meeting = forum_services.meeting_create(
        actor=None,
        forum=groups[0],
        starts_at=timezone.make_aware(dt.datetime(2023, 11, 1, 15)),
    )
    forum_services.meeting_update(actor=None, meeting=meeting, status=MeetingStatus.CANCELLED)
    target = services.target_create(
        actor=None,
        measure=measure,
        description="Möten totalt",
        value=10,
        source=TargetSource.MEETINGS,
        forums=groups,
    )
    result = target_result(user=None, target=target)
    assert result.outcomes[0].actual.value == 10  # 5 + 5 held, all forums together


def test_the_plan_rollup_uses_the_computed_outcome(measure, groups):
    target = meetings_target(measure, groups)
    rollup = selectors.plan_rollup(measure.plan)
    assert (rollup.targets, rollup.targets_not_met) == (1, 1)
    for forum in groups:
        held(forum, dt.date(2023, 12, 1))
    target.refresh_from_db()
    rollup = selectors.plan_rollup(measure.plan)
    assert (rollup.targets, rollup.targets_met) == (1, 1)


def test_a_computed_target_refuses_a_typed_outcome(measure, groups):
    target = meetings_target(measure, groups)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=None, target=target, period_start=dt.date(2023, 1, 1), actual=6
        )
    assert "actual" in error.value.message_dict


def test_a_meetings_target_needs_its_forums(measure):
    with pytest.raises(ValidationError) as error:
        services.target_create(
            actor=None, measure=measure, description="Möten", value=6, source="meetings"
        )
    assert "forums" in error.value.message_dict


def test_a_period_before_any_recorded_meeting_has_no_outcome_rather_than_zero(measure, groups):
    services.plan_update(actor=None, plan=measure.plan, starts_on=dt.date(2022, 1, 1))
    measure.refresh_from_db()
    target = meetings_target(measure, groups)
    result = target_result(user=None, target=target)
    labels = {o.period_label: o for o in result.outcomes}
    assert labels["2022"].actual.value is None and labels["2022"].met is None
    assert labels["2023"].actual.value == 5


def test_an_indicator_target_reads_the_series(measure, world):
    from trygg.stats import services as stats_services

    nacka = world.organisations["nacka"]
    observation = stats_services.survey_value_set(
        actor=None,
        organisation=nacka,
        indicator="Trygg utomhus när det är mörkt",
        area=world.areas["Nacka"],
        year=2023,
        value=Decimal("83.5"),
        source="SCB",
    )
    target = services.target_create(
        actor=None,
        measure=measure,
        description="Minst 80 % trygga",
        value=80,
        source=TargetSource.INDICATOR,
        series=observation.series,
    )
    result = target_result(user=world.users["samordnare"], target=target)
    outcome = result.outcomes[0]
    assert outcome.actual.value == Decimal("83.5")
    assert outcome.actual.text == "83,5\u00a0%"
    assert outcome.actual.source == "SCB"
    assert result.fulfilment == Fulfilment.MET
    stats_services.survey_value_set(
        actor=None,
        organisation=nacka,
        indicator="Trygg utomhus när det är mörkt",
        area=world.areas["Nacka"],
        year=2023,
        value=Decimal("79.0"),
    )
    target.refresh_from_db()
    assert target_result(user=None, target=target).fulfilment == Fulfilment.NOT_MET


def test_a_reports_target_counts_the_reports_and_suppresses_small_counts(measure, world):
    from trygg.incidents import services as incident_services
    from trygg.incidents.models import IncidentCategory

    nacka = world.organisations["nacka"]
    incident_services.categories_ensure_defaults(nacka)
    category = IncidentCategory.objects.filter(organisation=nacka).first()
    services.plan_update(
        actor=None,
        plan=measure.plan,
        starts_on=timezone.localdate().replace(month=1, day=1),
        ends_on=None,
    )
    measure.refresh_from_db()
    target = services.target_create(
        actor=None,
        measure=measure,
        description="Högst 10 rapporter",
        value=10,
        comparison="at_most",
        source=TargetSource.REPORTS,
        report_category=category,
    )
    for hours in (2, 3, 4):
        incident_services.report_create(
            actor=world.users["samordnare"],
            organisation=nacka,
            category=category,
            occurred_at=timezone.now() - dt.timedelta(hours=hours),
            description="Klotter på fasaden",
            assessment=1,
        )
    target.refresh_from_db()
    own = target_result(user=world.users["samordnare"], target=target).outcomes[0]
    assert own.actual.value == 3 and own.ongoing
    target.refresh_from_db()
    partner = target_result(user=world.users["polis"], target=target).outcomes[0]
    assert partner.actual.suppressed and partner.actual.value is None


def test_typed_outcomes_are_marked_as_typed(measure, world):
    target = services.target_create(
        actor=None, measure=measure, description="Minst 2 krogkontroller", value=2
    )
    services.outcome_record(actor=None, target=target, period_start=dt.date(2023, 1, 1), actual=3)
    (result,) = targets_for_measure(user=world.users["samordnare"], measure=measure)
    assert not result.computed
    assert result.outcomes[0].actual.typed and result.outcomes[0].actual.value == 3
    assert result.fulfilment == Fulfilment.MET


def test_the_demo_working_group_target_agrees_with_the_forums(world):
    """Seed 000: four working groups, six meetings each in 2023 (24 together). The demo's
    target counts them instead of typing an outcome."""
    from io import StringIO

    from trygg.forums import demo as forums_demo
    from trygg.plans import demo as plans_demo
    from trygg.plans.models import Outcome, Target

    plans_demo.load(world, StringIO())
    forums_demo.load(world, StringIO())
    target = Target.objects.get(description="Minst 6 möten per arbetsgrupp och år")
    assert target.is_computed and target.per_forum and target.forums.count() == 4
    result = target_result(user=world.users["samordnare"], target=target)
    year = {o.period_label: o for o in result.outcomes}["2023"]
    assert set(dict(year.per_forum).values()) == {6}
    assert sum(dict(year.per_forum).values()) == 24
    assert year.actual.value == 6 and year.met and result.fulfilment == Fulfilment.MET
    # Nothing Trygg computes is typed in the demo.
    assert not Outcome.objects.filter(target__source__in=["meetings", "indicator", "reports"])
