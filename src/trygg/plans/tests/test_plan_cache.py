"""The plan page's reading of a plan and its tables of measures are kept in the cache
(plans.reading, plans.overview), and never show stale or foreign ones: a change shows on the
next view, and a viewer whose restriction lets through other measures never gets another
viewer's reading."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from trygg.core.access import VIEW, forget_scope
from trygg.core.testing import client_for
from trygg.plans import services
from trygg.plans.models import Measure, MeasureStatus
from trygg.plans.reading import _read
from trygg.plans.selectors import plan_view
from trygg.plans.tests.test_permissions import build

pytestmark = pytest.mark.django_db

PERSONAS = ["samordnare", "admin", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende"]


def _user(name):
    user = get_user_model().objects.get(username=name)
    forget_scope(user)
    return user


def _shown(view) -> list[tuple]:
    return [
        (
            a.activity.pk,
            [
                (m.pk, m.title, m.status.name, [r.display for r in m.responsible_list])
                for m in a.measures
            ],
        )
        for f in view.focus_areas
        for a in f.activities
    ] + [(m.pk, m.title) for m in view.loose_measures]


def test_every_viewer_gets_their_own_reading_after_the_others_warmed_the_cache(world):
    objects = build(world)
    plan = objects["plan"]
    for name in PERSONAS:  # each warms the cache in turn, the widest restriction first
        plan_view(_user(name), plan)
    seen = {}
    for name in PERSONAS:
        user = _user(name)
        view = plan_view(user, plan)
        assert view.reading_key is not None  # read from the cache
        direct = _read(user, plan, None)
        assert [m.pk for m in direct.measures] == [
            m.pk for f in view.focus_areas for a in f.activities for m in a.measures
        ], name
        restricted = Measure.objects.restrict(user, VIEW).filter(plan=plan)
        assert {m.pk for m in direct.measures} == set(restricted.values_list("pk", flat=True))
        seen[name] = {m.pk for m in direct.measures}
    # The restrictions differ, so the test means something: the Älta working group does not
    # see the measure in Boo, the police sees both (the plan is shared with it), someone of
    # another organisation sees none.
    assert seen["arbetsgrupp"] == {objects["m_alta"].pk}
    assert seen["polis"] == seen["samordnare"] == {objects["m_alta"].pk, objects["m_boo"].pk}
    assert seen["utomstaende"] == set()


def test_changes_show_on_the_next_view(world):
    objects = build(world)
    plan, m_alta, m_boo = objects["plan"], objects["m_alta"], objects["m_boo"]
    samordnare, polis, arbetsgrupp = _user("samordnare"), _user("polis"), _user("arbetsgrupp")
    for user in (samordnare, polis, arbetsgrupp):
        plan_view(user, plan)

    # A status change and a rename.
    done = MeasureStatus.objects.get(organisation=plan.organisation, category="done")
    services.measure_set_status(actor=None, measure=m_boo, status=done)
    services.measure_update(actor=None, measure=m_boo, title="Vandring i Orminge")
    measures = {m.pk: m for m in _read(samordnare, plan, None).measures}
    view = plan_view(samordnare, plan)
    shown = {m.pk: m for f in view.focus_areas for a in f.activities for m in a.measures}
    assert shown[m_boo.pk].title == "Vandring i Orminge" == measures[m_boo.pk].title
    assert shown[m_boo.pk].status.pk == done.pk

    # An outcome decides a typed target.
    target = objects["target"]
    assert plan_view(samordnare, plan).target_states[target.pk] == "no_outcome"
    services.outcome_record(actor=None, target=target, period_start=dt.date(2025, 1, 1), actual=3)
    assert plan_view(samordnare, plan).target_states[target.pk] == "met"

    # A measure moved out of the working group's area leaves its page.
    services.measure_update(actor=None, measure=m_alta, areas=[world.areas["Boo"]])
    assert _shown(plan_view(arbetsgrupp, plan)) == [(objects["activity"].pk, [])]

    # The plan no longer shared with the police: its measures leave the police's page.
    assert len(_shown(plan_view(polis, plan))[0][1]) == 2
    services.plan_update(actor=None, plan=plan, partner_organisations=[])
    assert _shown(plan_view(polis, plan)) == [(objects["activity"].pk, [])]


def test_the_page_shows_a_change_and_each_viewer_its_own_rows(world):
    objects = build(world)
    plan, m_boo = objects["plan"], objects["m_boo"]
    url = reverse("plans:plan_detail", args=[plan.pk])
    edit = reverse("plans:activity_edit", args=[objects["activity"].pk])
    samordnare, arbetsgrupp = client_for("samordnare"), client_for("arbetsgrupp")
    page = samordnare.get(url).content.decode()
    assert "Trygghetsvandring Orminge" in page and edit in page
    page = arbetsgrupp.get(url).content.decode()  # after the samordnare's view was kept
    assert "Trygghetsvandring Älta" in page and "Trygghetsvandring Orminge" not in page
    assert edit not in page  # the working group may not change the plan
    services.measure_update(actor=None, measure=m_boo, title="Vandring i Orminge")
    page = samordnare.get(url).content.decode()
    assert "Vandring i Orminge" in page and "Trygghetsvandring Orminge" not in page
    # A filtered page is read from the database, not from the unfiltered reading.
    page = samordnare.get(url, {"q": "Älta"}).content.decode()
    assert "Trygghetsvandring Älta" in page and "Vandring i Orminge" not in page
