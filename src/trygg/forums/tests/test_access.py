"""Who sees which forums: the owner's scope (with area limits) and member organisations."""

import pytest

from trygg.core.access import CHANGE, VIEW
from trygg.forums.models import STATUS, Decision, Forum, Meeting, MeetingAttachment

pytestmark = pytest.mark.django_db


def names(user, action=VIEW):
    return set(Forum.objects.restrict(user, action).values_list("name", flat=True))


def test_the_alta_member_sees_the_alta_group_but_not_boo_or_the_committee(data):
    member = data.users["arbetsgrupp"]
    assert names(member) == {"Trygg och säker Älta"}
    assert names(member, CHANGE) == {"Trygg och säker Älta"}
    assert not Meeting.objects.restrict(member, VIEW).filter(forum=data.boo).exists()
    assert not Decision.objects.restrict(member, VIEW).filter(pk=data.boo_decision.pk).exists()


def test_the_police_see_the_groups_they_are_members_of_but_cannot_change_them(data):
    police = data.users["polis"]
    assert names(police) == {"Trygg och säker Älta", "Trygg och säker Boo"}
    assert names(police, CHANGE) == set()
    assert MeetingAttachment.objects.restrict(police, VIEW).filter(pk=data.attachment.pk).exists()
    assert set(Decision.objects.restrict(police, STATUS)) == {data.alta_decision}


def test_another_kommun_and_a_reporter_see_nothing(data):
    assert names(data.users["utomstaende"]) == set()
    assert names(data.users["rapportor"]) == set()


def test_counts_are_restricted_and_not_doubled_by_member_organisations(data):
    samordnare = data.users["samordnare"]
    assert Forum.objects.restrict(samordnare, VIEW).count() == 3
    assert Forum.objects.restrict(data.users["polis"], VIEW).count() == 2


def test_a_forum_shared_with_a_partner_stops_being_visible_when_the_membership_ends(data):
    from trygg.forums import services

    services.forum_update(actor=None, forum=data.boo, member_organisations=[])
    assert names(data.users["polis"]) == {"Trygg och säker Älta"}
