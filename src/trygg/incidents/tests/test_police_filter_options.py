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
