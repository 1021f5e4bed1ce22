"""The reads every signed-in page makes, in SQL (core.sql): the same rows as the ORM's."""

import pytest
from django.contrib.auth import get_user_model

from trygg.core import services
from trygg.core.access import _membership_rows, _organisation_children, forget_scope, scope_for
from trygg.core.choices import Role
from trygg.core.models import Membership, Organisation
from trygg.core.twofactor import has_two_factor

pytestmark = pytest.mark.django_db


def _orm_rows(user):
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .order_by("pk")
        .values_list("pk", "organisation_id", "role", "areas__id")
    )


def test_memberships_as_the_orm_reads_them(world):
    # An inactive membership and one limited to two areas beside the personas' own.
    user = world.users["polis"]
    limited = services.membership_create(
        actor=None, user=user, organisation=world.organisations["nacka"], role=Role.LASARE
    )
    limited.areas.set(list(world.areas.values())[:2])
    Membership.objects.create(
        user=user, organisation=world.organisations["varmdo"], role=Role.MEDLEM, is_active=False
    )
    for person in get_user_model().objects.all():
        assert sorted(_membership_rows(person.pk), key=repr) == sorted(
            _orm_rows(person), key=repr
        ), person.username
    assert [row for row in _membership_rows(user.pk) if row[0] == limited.pk and row[3]]


def test_the_organisation_tree_as_the_orm_reads_it(world):
    expected: dict = {}
    for pk, parent in Organisation.objects.values_list("id", "parent_id"):
        expected.setdefault(parent, []).append(pk)
    found = _organisation_children()
    assert {k: sorted(v) for k, v in found.items()} == {k: sorted(v) for k, v in expected.items()}


def test_a_deactivated_membership_leaves_the_scope(world):
    user = world.users["arbetsgrupp"]
    assert scope_for(user).grants
    Membership.objects.filter(user=user).update(is_active=False)
    forget_scope(user)
    assert not scope_for(user).grants


def test_has_two_factor_follows_confirmed_devices(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.users["samordnare"]
    assert not has_two_factor(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    assert not has_two_factor(user)
    device.confirmed = True
    device.save()
    assert has_two_factor(user)
    assert not has_two_factor(world.users["polis"])


def test_partners_as_the_orm_reads_them(world):
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    from trygg.core.models import Partnership

    def orm(ids):
        today = timezone.localdate()
        found = set()
        for organisation_id, partner_id in Partnership.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        ).values_list("organisation_id", "partner_id"):
            if organisation_id in ids:
                found.add(partner_id)
            if partner_id in ids:
                found.add(organisation_id)
        return frozenset(found)

    organisations = world.organisations
    today = timezone.localdate()
    # One that ended yesterday (no longer counts) and one that ends today (still counts).
    Partnership.objects.create(
        organisation=organisations["varmdo"],
        partner=organisations["lpo_nacka"],
        ends_on=today - dt.timedelta(days=1),
    )
    Partnership.objects.create(
        organisation=organisations["nacka"], partner=organisations["varmdo"], ends_on=today
    )
    everyone = [o.pk for o in Organisation.objects.all()]
    for ids in [[], [organisations["nacka"].pk], [organisations["varmdo"].pk], everyone]:
        assert Partnership.partner_ids(ids) == orm(set(ids)), ids
    assert organisations["varmdo"].pk in Partnership.partner_ids([organisations["nacka"].pk])
    assert organisations["lpo_nacka"].pk not in Partnership.partner_ids(
        [organisations["varmdo"].pk]
    )
