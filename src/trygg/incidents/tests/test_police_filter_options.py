"""The police events' kommun filter offers the country's kommuner from the cache, and a new
or renamed kommun shows on the next view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.core import services
from trygg.core.choices import AreaKind
from trygg.incidents.filters import PoliceEventFilter

pytestmark = pytest.mark.django_db


def _kommun_select(user) -> str:
    return str(PoliceEventFilter(None, user=user)["kommun"])


def test_the_kommuner_are_read_once_and_a_change_shows_on_the_next_view(world):
    user = world.users["samordnare"]
    first = _kommun_select(user)
    assert "Nacka" in first and "Värmdö" in first and "Tyresö" not in first
    with CaptureQueriesContext(connection) as queries:
        again = _kommun_select(user)
    assert again == first
    assert not [q for q in queries.captured_queries if "core_area" in q["sql"]]

    services.area_create(
        actor=None, organisation=None, kind=AreaKind.KOMMUN, name="Tyresö", code="0138"
    )
    assert "Tyresö" in _kommun_select(user)
    services.area_update(actor=None, area=world.areas["Nacka"], name="Nacka stad")
    assert "Nacka stad" in _kommun_select(user)


def test_a_kommun_chosen_is_still_checked_against_the_kommuner(world):
    user = world.users["samordnare"]
    _kommun_select(user)  # the options kept
    assert PoliceEventFilter({"kommun": world.areas["Nacka"].pk}, user=user).is_valid()
    assert not PoliceEventFilter({"kommun": world.areas["Älta"].pk}, user=user).is_valid()


def test_the_page_opens_on_the_kommun_of_the_users_memberships_as_they_change(world):
    from django.urls import reverse

    from trygg.core.models import Membership
    from trygg.core.testing import client_for
    from trygg.incidents.selectors import home_kommun_area, home_kommun_id

    url = reverse("incidents:police_event_list")
    user = world.users["samordnare"]
    nacka, varmdo = world.areas["Nacka"], world.organisations["varmdo"].area

    def opened_on():
        page = client_for("samordnare").get(url)
        return page.context["filterset"]["kommun"].value()

    assert opened_on() == str(nacka.pk) == str(home_kommun_area(user).pk)
    assert home_kommun_id(user) == nacka.pk  # kept
    services.membership_create(
        actor=None, user=user, organisation=world.organisations["varmdo"], role="samordnare"
    )
    for membership in Membership.objects.filter(user=user).exclude(
        organisation=world.organisations["varmdo"]
    ):
        services.membership_deactivate(actor=None, membership=membership)
    assert opened_on() == str(varmdo.pk) == str(home_kommun_area(user).pk)
