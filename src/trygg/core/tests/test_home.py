"""The personal start page: my decisions due, reports waiting for my review, my measures and
upcoming meetings – each read through restrict(), so nobody sees another's work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from trygg.forums import services as forum_services
from trygg.forums.choices import ForumKind
from trygg.incidents import services as incident_services
from trygg.incidents.models import IncidentCategory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parents[2] / "plans" / "tests" / "data" / "plan_for_samverkan_nacka.txt"


@pytest.fixture
def work(world):
    nacka = world.organisations["nacka"]
    users = world.users
    forum = forum_services.forum_create(
        actor=None,
        organisation=nacka,
        name="Trygg och säker Älta",
        kind=ForumKind.ARBETSGRUPP,
        area=world.areas["Älta"],
        members=[users["arbetsgrupp"], users["samordnare"]],
    )
    now = timezone.now()
    past = forum_services.meeting_create(
        actor=None, forum=forum, starts_at=now - dt.timedelta(days=30)
    )
    forum_services.meeting_create(
        actor=None,
        forum=forum,
        starts_at=now + dt.timedelta(days=7),
        participants=[users["samordnare"]],
    )
    today = timezone.localdate()
    forum_services.decision_create(
        actor=None,
        meeting=past,
        text="Kontakta fastighetsägaren om belysningen i Älta centrum",
        due_date=today - dt.timedelta(days=2),
        owner_user=users["samordnare"],
    )
    forum_services.decision_create(
        actor=None,
        meeting=past,
        text="Boka trygghetsvandring",
        due_date=today + dt.timedelta(days=10),
        owner_user=users["arbetsgrupp"],
    )
    # A new organisation comes with the default categories (incidents.services.categories).
    category = IncidentCategory.objects.get(organisation=nacka, name="Skadegörelse")
    incident_services.report_create(
        actor=users["rapportor"],
        organisation=nacka,
        category=category,
        occurred_at=now - dt.timedelta(hours=3),
        assessment=2,
        area=world.areas["Boo"],
    )
    from trygg.plans.importers import import_plan_document
    from trygg.plans.parsing import parse_plan_text

    import_plan_document(
        actor=None,
        organisation=nacka,
        document=parse_plan_text(SEED.read_text(encoding="utf-8")),
        partners=[world.organisations["lpo_nacka"]],
        source="plan.txt",
    )
    return world


def page(username: str) -> str:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.get("/").content.decode()


def test_the_start_page_shows_my_own_work(work):
    html = page("samordnare")
    assert "Mina beslut att följa upp" in html
    assert "Kontakta fastighetsägaren om belysningen" in html
    assert "försenat sedan" in html
    assert "Boka trygghetsvandring" not in html  # another person's decision
    assert "Rapporter som väntar på min granskning" in html and "Skadegörelse" in html
    assert "Mina åtgärder" in html and "Avhopparverksamhet" in html
    assert "Kommande möten" in html and "Trygg och säker Älta" in html


def test_the_panels_follow_scope(work):
    html = page("arbetsgrupp")
    assert "Boka trygghetsvandring" in html
    assert "Kontakta fastighetsägaren" not in html
    # The Älta group does not review a report in Boo.
    assert "Inga rapporter väntar." in html
    outsider = page("utomstaende")
    for text in [
        "Kontakta fastighetsägaren",
        "Skadegörelse",
        "Avhopparverksamhet",
        "Trygg och säker Älta",
    ]:
        assert text not in outsider
    reporter = page("rapportor")
    assert "Rapporter som väntar på min granskning" not in reporter


def test_the_start_page_reads_a_bounded_number_of_queries(work, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="samordnare"))
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200


def test_my_organisations_link_only_where_i_may_look_and_name_my_area_limits(world):
    from django.urls import reverse

    detail = reverse("core:organisation_detail", args=[world.organisations["nacka"].pk])
    # A member limited to Älta: the organisation opens, the limit is named.
    limited = page("arbetsgrupp")
    assert f'href="{detail}"' in limited
    assert "begränsad till Älta" in limited
    # A reporter files reports for the kommun but may not open its page: named, no link.
    reporter = page("rapportor")
    assert "Nacka kommun" in reporter
    assert f'href="{detail}"' not in reporter
    assert "begränsad till" not in reporter
    # A samordnare's membership has no area limit.
    assert "begränsad till" not in page("samordnare")


def test_the_panels_show_a_change_on_the_next_view(work):
    """The panels are kept in the cache under their data's version and the person's scope:
    every change below is made after a view filled the cache, and shows on the next one."""
    from trygg.forums.choices import DecisionStatus, MeetingStatus
    from trygg.forums.models import Decision, Meeting
    from trygg.incidents.choices import ReportStatus
    from trygg.incidents.models import IncidentReport
    from trygg.plans import services as plan_services
    from trygg.plans.choices import StatusCategory
    from trygg.plans.models import Measure, MeasureStatus

    users = work.users
    assert "Kontakta fastighetsägaren" in page("samordnare")
    decision = Decision.objects.get(text__startswith="Kontakta fastighetsägaren")
    forum_services.decision_set_status(
        actor=users["samordnare"], decision=decision, status=DecisionStatus.DONE
    )
    assert "Kontakta fastighetsägaren" not in page("samordnare")

    assert "Skadegörelse" in page("samordnare")
    report = IncidentReport.objects.get(status=ReportStatus.NY)
    incident_services.report_review(
        actor=users["samordnare"], report=report, status=ReportStatus.GRANSKAD
    )
    assert "Skadegörelse" not in page("samordnare")

    html = page("samordnare")
    measure = Measure.objects.filter(title__contains="Avhopparverksamhet").first()
    assert measure is not None and measure.title in html
    done = MeasureStatus.objects.filter(
        organisation=measure.plan.organisation, category=StatusCategory.DONE
    ).first()
    plan_services.measure_set_status(actor=users["samordnare"], measure=measure, status=done)
    assert measure.title not in page("samordnare")

    assert "Trygg och säker Älta" in page("samordnare")
    meeting = Meeting.objects.get(starts_at__gt=timezone.now())
    forum_services.meeting_update(
        actor=users["samordnare"], meeting=meeting, status=MeetingStatus.CANCELLED
    )
    assert "Trygg och säker Älta" not in page("samordnare")


def test_a_meeting_leaves_the_panel_when_it_starts_without_a_new_reading(work, monkeypatch):
    from django.test import RequestFactory

    from trygg.forums.panels import home_meetings

    request = RequestFactory().get("/")
    request.user = work.users["samordnare"]
    panel = home_meetings(request)
    assert panel.total == 1 and "Trygg och säker Älta" in panel.items[0][0]
    later = timezone.now() + dt.timedelta(days=8)
    monkeypatch.setattr(timezone, "now", lambda: later)
    panel = home_meetings(request)
    assert panel.total == 0 and panel.items == []
