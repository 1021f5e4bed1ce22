"""What the plan page keeps in the cache besides the plan's reading (plans.selectors
._kept_rollups, plans.targets._meeting_rows, plans.measure_page.empty_filters): a change
shows on the next view, and a viewer of another scope never gets another viewer's value."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from trygg.core import services as core_services
from trygg.core.access import forget_scope
from trygg.core.models import Membership
from trygg.core.testing import client_for
from trygg.plans import services
from trygg.plans.models import MeasureStatus
from trygg.plans.selectors import plan_view
from trygg.plans.targets import target_result
from trygg.plans.tests.test_permissions import build
from trygg.plans.tests.test_targets import groups, held, measure, meetings_target  # noqa: F401

pytestmark = pytest.mark.django_db


def _user(name):
    user = get_user_model().objects.get(username=name)
    forget_scope(user)
    return user


def test_the_rollups_follow_the_data_and_the_viewer(world):
    objects = build(world)
    plan, m_boo = objects["plan"], objects["m_boo"]
    samordnare, arbetsgrupp = _user("samordnare"), _user("arbetsgrupp")
    view = plan_view(samordnare, plan)
    assert view.rollup.measures == 2 and view.rollup.measure_counts["done"] == 0
    assert view.focus_areas[0].activities[0].rollup.measures == 2
    # The working group, after the samordnare's roll-ups were kept, counts its own measure.
    group = plan_view(arbetsgrupp, plan)
    assert group.rollup.measures == 1
    assert group.focus_areas[0].rollup.measures == 1
    # A status change shows on the next view, in every roll-up.
    done = MeasureStatus.objects.get(organisation=plan.organisation, category="done")
    services.measure_set_status(actor=None, measure=m_boo, status=done)
    view = plan_view(samordnare, plan)
    assert view.rollup.measure_counts["done"] == 1
    assert view.focus_areas[0].rollup.measure_counts["done"] == 1
    assert view.focus_areas[0].activities[0].category == "ongoing"
    # A target's outcome changes the counts of targets met.
    assert (view.rollup.targets, view.rollup.targets_met) == (1, 0)
    services.outcome_record(
        actor=None, target=objects["target"], period_start=dt.date(2025, 1, 1), actual=3
    )
    assert plan_view(samordnare, plan).rollup.targets_met == 1
    assert plan_view(arbetsgrupp, plan).rollup.targets_met == 1


def _per_forum(user, target) -> dict:
    target.refresh_from_db()
    return dict(target_result(user=user, target=target).outcomes[0].per_forum or ())


def test_the_meetings_a_target_counts_follow_the_data_and_the_viewer(measure, groups, world):  # noqa: F811
    target = meetings_target(measure, groups)
    samordnare = _user("samordnare")
    both = {"Trygg och säker Älta": 5, "Trygg och säker Boo": 5}
    assert _per_forum(samordnare, target) == both
    # Another viewer never gets the samordnare's forums: the working group of Älta sees
    # its own forum's meetings only, the police none.
    assert _per_forum(_user("arbetsgrupp"), target) == {"Trygg och säker Älta": 5}
    assert _per_forum(_user("polis"), target) == {}
    # A held meeting, and the target's forums, show on the next count.
    held(groups[1], dt.date(2023, 11, 8))
    assert _per_forum(samordnare, target)["Trygg och säker Boo"] == 6
    target.forums.remove(groups[0])  # the forums alone, without a save of the target
    assert _per_forum(samordnare, target) == {"Trygg och säker Boo": 6}
    # A changed scope of the same viewer counts what it sees now.
    membership = Membership.objects.get(user__username="samordnare")
    membership.organisation = world.organisations["lpo_nacka"]
    membership.save()
    assert _per_forum(_user("samordnare"), target) == {}


def _area_options(client, plan) -> list[str]:
    body = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    select = re.search(r'<select name="area".*?</select>', body, flags=re.S)
    assert select is not None
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select.group(0))


def test_the_filter_form_follows_the_data_and_the_viewer(world):
    objects = build(world)
    plan = objects["plan"]
    samordnare = client_for("samordnare")
    first = _area_options(samordnare, plan)
    assert "Älta" in first and "Boo" in first
    # The police, a partner who sees the plan, after the samordnare's fields were kept:
    # none of Nacka's areas to choose from (restrict() on the areas), not the samordnare's.
    assert _area_options(client_for("polis"), plan) == []
    core_services.area_update(actor=None, area=world.areas["Älta"], name="Älta centrum")
    assert "Älta centrum" in _area_options(samordnare, plan)
