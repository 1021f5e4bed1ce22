"""Scope: who sees which organisations, areas and places."""

import pytest
from django.urls import reverse

from trygg.core import services
from trygg.core.access import CHANGE, VIEW, forget_scope
from trygg.core.models import Area, Organisation, Place

pytestmark = pytest.mark.django_db


def test_it_shows_partners_but_not_other_kommuner(world):
    samordnare = world.users["samordnare"]
    visible = set(Organisation.objects.restrict(samordnare, VIEW).values_list("name", flat=True))
    assert visible == {"Nacka kommun", "Lokalpolisområde Nacka"}


def test_it_hides_nacka_places_from_another_kommun(world, login):
    place = world.places["Fisksätra centrum"]
    assert not Place.objects.restrict(world.users["utomstaende"], VIEW).filter(pk=place.pk).exists()
    response = login("utomstaende").get(reverse("core:place_edit", args=[place.pk]))
    assert response.status_code == 404


def test_an_area_limited_member_sees_kommun_wide_and_own_area_only(world):
    member = world.users["arbetsgrupp"]
    places = set(Place.objects.restrict(member, VIEW).values_list("name", flat=True))
    assert places == {"Älta centrum"}
    # may change places in Älta, not elsewhere
    assert Place.objects.restrict(member, CHANGE).filter(name="Älta centrum").exists()
    assert not Place.objects.restrict(member, CHANGE).filter(name="Nacka Forum").exists()


def test_a_reporter_cannot_see_places_or_change_anything(world):
    reporter = world.users["rapportor"]
    assert Place.objects.restrict(reporter, VIEW).count() == 0
    assert Area.objects.restrict(reporter, CHANGE).count() == 0


def test_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert Organisation.objects.restrict(AnonymousUser(), VIEW).count() == 0


def test_a_parent_organisation_sees_its_children(world):
    stockholm = services.organisation_create(actor=None, name="Stockholms stad", kind="kommun")
    hagersten = services.organisation_create(
        actor=None,
        name="Hägersten-Älvsjö stadsdelsförvaltning",
        kind="stadsdelsforvaltning",
        parent=stockholm,
    )
    user = services.user_create(actor=None, username="sthlm", password="x-long-password-1")
    services.membership_create(actor=None, user=user, organisation=stockholm, role="samordnare")
    forget_scope(user)
    assert Organisation.objects.restrict(user, VIEW).filter(pk=hagersten.pk).exists()


def test_services_refuse_a_forged_organisation(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.place_create(
            actor=world.users["utomstaende"],
            organisation=world.organisations["nacka"],
            area=world.areas["Boo"],
            name="Forged",
        )
    assert not Place.objects.filter(name="Forged").exists()
