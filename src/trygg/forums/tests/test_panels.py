"""The measure page's panel: the forum decisions linked to a measure, as the user may see them."""

import pytest
from django.test import RequestFactory

from trygg.forums import services
from trygg.forums.panels import measure_panel

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_panel_lists_the_linked_decision_for_those_who_see_its_forum(data):
    html = measure_panel(_request(data.users["polis"]), data.measure)
    assert "Polisen genomför en trygghetsvandring" in html
    assert "Trygg och säker Älta" in html and "Försenad" in html


def test_the_panel_hides_decisions_from_forums_the_user_cannot_see(data):
    services.decision_update(actor=None, decision=data.boo_decision, measures=[data.measure])
    alta_member = measure_panel(_request(data.users["arbetsgrupp"]), data.measure)
    assert "Polisen genomför" in alta_member and "Kartlägga mötesplatser" not in alta_member
    coordinator = measure_panel(_request(data.users["samordnare"]), data.measure)
    assert "Kartlägga mötesplatser" in coordinator


def test_the_panel_is_empty_when_nothing_is_linked_or_visible(data):
    from trygg.plans import services as plan_services

    other = plan_services.measure_create(actor=None, plan=data.plan, title="Krogkontroller")
    assert measure_panel(_request(data.users["samordnare"]), other) == ""
    assert measure_panel(_request(data.users["utomstaende"]), data.measure) == ""


def test_the_measure_page_shows_the_decision(data, login):
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("plans:measure_detail", args=[data.measure.pk])
    except NoReverseMatch:
        pytest.skip("the plans pages are not there")
    body = login("samordnare").get(url).content.decode()
    assert "Beslut i samverkansforum" in body
    assert "Polisen genomför en trygghetsvandring" in body
