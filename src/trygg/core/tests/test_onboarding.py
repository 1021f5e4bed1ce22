"""Onboarding a kommun from nothing: create_kommun, the --organisation resolver, invitations,
leavers and password reset."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trygg.core import services
from trygg.core.choices import AreaKind, OrganisationKind, Role
from trygg.core.models import ApiToken, AuditEntry, Invitation, Membership, Organisation
from trygg.core.reference import load_reference_geography
from trygg.core.selectors import organisation_from_reference

pytestmark = pytest.mark.django_db

SEED_002 = sorted(Path("/work/shared/seeds").glob("002*"))
LINK = re.compile(r"http://testserver/inbjudan/(inv_[\w-]+)/")


@pytest.fixture
def geography(db):
    load_reference_geography()


def can_log_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_kommun_makes_goteborgs_stad_and_prints_a_one_time_link(geography, settings):
    settings.SITE_URL = "http://testserver"
    out = run("create_kommun", "1480", "--admin-email", "strateg@goteborg.example")
    organisation = Organisation.objects.get(name="Göteborgs stad")
    assert organisation.kind == OrganisationKind.KOMMUN
    assert organisation.area.code == "1480" and organisation.area.geometry
    key = LINK.search(out).group(1)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == Invitation.hash_key(key)
    assert key not in str(list(Invitation.objects.values_list()))  # only the hash is stored
    assert (invitation.email, invitation.role) == ("strateg@goteborg.example", Role.ADMINISTRATOR)
    assert AuditEntry.objects.filter(object_id=str(organisation.pk)).exists()

    before = (Organisation.objects.count(), Invitation.objects.count(), AuditEntry.objects.count())
    again = run("create_kommun", "1480", "--admin-email", "strateg@goteborg.example")
    assert "finns redan" in again and "Inget ändrades." in again
    assert not LINK.search(again)
    after = (Organisation.objects.count(), Invitation.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_the_default_name_is_the_official_one_and_can_be_given(geography):
    run("create_kommun", "0182", "--admin-email", "a@nacka.example")
    run("create_kommun", "0120", "--admin-email", "a@varmdo.example", "--name", "Värmdö")
    assert Organisation.objects.filter(name="Nacka kommun", area__code="0182").exists()
    assert Organisation.objects.filter(name="Värmdö", area__code="0120").exists()


def test_an_unknown_code_is_refused_in_swedish_with_near_matches(geography):
    with pytest.raises(CommandError) as error:
        run("create_kommun", "1479", "--admin-email", "x@example.se")
    message = str(error.value)
    assert "Okänd kommunkod ”1479”" in message and "Menade du: 1470 Vara" in message
    with pytest.raises(CommandError) as error:
        run("create_kommun", "Göteborj", "--admin-email", "x@example.se")
    assert "1480 Göteborg" in str(error.value)
    assert not Organisation.objects.exists()


def test_a_bad_email_is_refused_and_nothing_is_created(geography):
    with pytest.raises(CommandError) as error:
        run("create_kommun", "1480", "--admin-email", "inte-en-adress")
    assert "e-postadress" in str(error.value)
    assert not Organisation.objects.exists()


def test_an_existing_login_becomes_administrator_without_an_invitation(geography):
    services.user_create(actor=None, username="eva", password="x" * 14, email="eva@lund.example")
    out = run("create_kommun", "1281", "--admin-email", "EVA@lund.example")
    membership = Membership.objects.get(user__username="eva")
    assert membership.role == Role.ADMINISTRATOR and membership.organisation.name == "Lunds kommun"
    assert "loggar in som vanligt" in out
    assert not Invitation.objects.exists()


def test_new_link_replaces_an_unused_invitation(geography, settings):
    settings.SITE_URL = "http://testserver"
    first = LINK.search(run("create_kommun", "1480", "--admin-email", "s@g.example")).group(1)
    second = LINK.search(
        run("create_kommun", "1480", "--admin-email", "s@g.example", "--new-link")
    ).group(1)
    assert first != second
    assert services.invitation_for_key(first) is None
    assert services.invitation_for_key(second) is not None


def test_the_organisation_option_takes_name_id_or_kommun_code(geography):
    run("create_kommun", "1480", "--admin-email", "s@g.example")
    goteborg = Organisation.objects.get(name="Göteborgs stad")
    assert organisation_from_reference("1480") == goteborg
    assert organisation_from_reference("göteborgs STAD") == goteborg
    assert organisation_from_reference(str(goteborg.pk)) == goteborg
    with pytest.raises(LookupError) as error:
        organisation_from_reference("Göteborgs sta")
    assert "Ingen organisation" in str(error.value) and "Göteborgs stad" in str(error.value)


@pytest.mark.skipif(not SEED_002, reason="the shared seeds are not here")
def test_import_plan_into_a_new_kommun_by_its_code(geography):
    run("create_kommun", "1480", "--admin-email", "strateg@goteborg.example")
    out = run("import_plan", str(SEED_002[0]), "--organisation", "1480")
    assert "Fokusområden: 5 nya" in out
    assert "Aktiviteter: 27 nya" in out
    assert "Åtgärder: 28 nya" in out
    from trygg.plans.models import Plan

    plan = Plan.objects.get()
    assert plan.organisation.name == "Göteborgs stad"
    assert (plan.focus_areas.count(), plan.activities.count(), plan.measures.count()) == (5, 27, 28)


def test_every_command_with_organisation_uses_the_one_resolver():
    from trygg import core

    root = Path(core.__file__).parent.parent
    for path in root.glob("*/management/commands/*.py"):
        text = path.read_text(encoding="utf-8")
        if '"--organisation"' in text:
            assert "organisation_option" in text, path


# Invitations and leavers


def invite(world, email="ny@nacka.example", **kwargs):
    return services.invitation_create(
        actor=world.users["admin"],
        organisation=world.organisations["nacka"],
        email=email,
        role=kwargs.pop("role", Role.MEDLEM),
        **kwargs,
    )


def test_an_invitation_is_mailed_after_commit_and_works_once(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, key = invite(world, areas=[world.areas["Boo"]])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@nacka.example"]
    assert key in mail.outbox[0].body and "Nacka kommun" in mail.outbox[0].subject
    user, membership = services.invitation_accept_with_password(
        invitation=invitation, first_name="Nina", last_name="Ny", password="ett-långt-lösenord-42"
    )
    assert user.username == "ny@nacka.example" and user.check_password("ett-långt-lösenord-42")
    assert list(membership.areas.all()) == [world.areas["Boo"]]
    assert services.invitation_for_key(key) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=user)


def test_an_expired_or_revoked_invitation_does_not_work(world):
    invitation, key = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.invitation_for_key(key) is None
    other, other_key = invite(world, email="b@nacka.example")
    services.invitation_revoke(actor=world.users["admin"], invitation=other)
    assert services.invitation_for_key(other_key) is None


def test_a_weak_password_is_refused_and_nothing_is_created(world):
    invitation, key = invite(world)
    with pytest.raises(ValidationError):
        services.invitation_accept_with_password(
            invitation=invitation, first_name="N", last_name="N", password="kort"
        )
    assert not get_user_model().objects.filter(email="ny@nacka.example").exists()
    assert services.invitation_for_key(key) is not None


def test_another_kommuns_administrator_cannot_invite_into_nacka(world):
    varmdo_admin = services.user_create(actor=None, username="va", password="x" * 14)
    services.membership_create(
        actor=None,
        user=varmdo_admin,
        organisation=world.organisations["varmdo"],
        role=Role.ADMINISTRATOR,
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=varmdo_admin,
            organisation=world.organisations["nacka"],
            email="x@example.se",
            role=Role.ADMINISTRATOR,
        )
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.users["samordnare"],
            organisation=world.organisations["nacka"],
            email="x@example.se",
            role=Role.ADMINISTRATOR,
        )


def test_a_leaver_loses_sessions_and_api_tokens_at_once(world):
    leaver = world.users["sspf"]
    _token, key = services.api_token_create(actor=leaver, name="script")
    browser = Client()
    browser.force_login(leaver)
    assert browser.get("/").status_code == 200
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/organisations").status_code == 200

    membership = Membership.objects.get(user=leaver)
    services.membership_deactivate(actor=world.users["admin"], membership=membership)

    leaver.refresh_from_db()
    assert not leaver.is_active
    assert browser.get("/").status_code == 302  # the session is gone
    assert api.get("/api/organisations").status_code == 401
    assert not ApiToken.objects.filter(user=leaver).exists()
    assert not can_log_in("sspf", "trygg-demo-2026")
    assert AuditEntry.objects.filter(object_id=str(leaver.pk), action="status").exists()


def test_an_administrator_cannot_deactivate_themselves(world):
    membership = Membership.objects.get(user=world.users["admin"])
    with pytest.raises(ValidationError):
        services.membership_deactivate(actor=world.users["admin"], membership=membership)


def test_a_partner_organisation_gets_a_partnership_and_its_steward_administers_it(world):
    admin = world.users["admin"]
    nacka = world.organisations["nacka"]
    housing = services.organisation_register(
        actor=admin, name="Nacka Bostäder AB", kind=OrganisationKind.BOSTADSBOLAG, steward=nacka
    )
    assert housing.partnerships.count() == 0
    assert nacka.partnerships.filter(partner=housing).exists()
    invitation, _key = services.invitation_create(
        actor=admin, organisation=housing, email="kontakt@bostader.example", role=Role.MEDLEM
    )
    assert invitation.organisation == housing
    with pytest.raises(ValidationError):
        services.organisation_register(
            actor=admin, name="Fel", kind=OrganisationKind.POLIS, parent=nacka
        )


def test_deactivating_an_organisation_ends_access_invitations_and_partnerships(world):
    admin = world.users["admin"]
    nacka = world.organisations["nacka"]
    unit = services.organisation_register(
        actor=admin, name="Nacka Vatten AB", kind=OrganisationKind.BOLAG, parent=nacka
    )
    person = services.user_create(actor=None, username="vatten", password="x" * 14)
    services.membership_create(actor=None, user=person, organisation=unit, role=Role.MEDLEM)
    invitation, key = services.invitation_create(
        actor=admin, organisation=unit, email="v@vatten.example", role=Role.MEDLEM
    )
    services.organisation_deactivate(actor=admin, organisation=unit)
    unit.refresh_from_db()
    person.refresh_from_db()
    assert not unit.is_active and not person.is_active
    assert services.invitation_for_key(key) is None
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: nobody deactivates their top
        services.organisation_deactivate(actor=admin, organisation=nacka)


def test_ending_and_renewing_a_partnership(world):
    admin = world.users["admin"]
    partnership = world.organisations["nacka"].partnerships.get()
    lpo = world.organisations["lpo_nacka"]
    from trygg.core.models import Partnership

    assert lpo.pk in Partnership.partner_ids([world.organisations["nacka"].pk])
    services.partnership_end(actor=admin, partnership=partnership)
    assert lpo.pk not in Partnership.partner_ids([world.organisations["nacka"].pk])
    today = timezone.localdate()
    services.partnership_renew(
        actor=admin,
        partnership=partnership,
        starts_on=today,
        ends_on=today.replace(year=today.year + 2),
    )
    assert lpo.pk in Partnership.partner_ids([world.organisations["nacka"].pk])
    with pytest.raises(ValidationError):
        services.partnership_renew(
            actor=admin,
            partnership=partnership,
            starts_on=today,
            ends_on=today - dt.timedelta(days=3),
        )


# Password reset


def test_password_reset_mails_a_link_that_works_once(world, settings):
    settings.SITE_URL = "http://testserver"
    client = Client()
    page = client.get(reverse("login"))
    assert reverse("password_reset") in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": "samordnare@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/losenord/nytt/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    url = form_page.redirect_chain[-1][0]
    done = client.post(
        url, {"new_password1": "ett-nytt-lösenord-77", "new_password2": "ett-nytt-lösenord-77"}
    )
    assert done.status_code == 302
    assert can_log_in("samordnare", "ett-nytt-lösenord-77")
    again = Client().get(link, follow=True)
    assert "fungerar inte längre" in again.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(world):
    response = Client().post(reverse("password_reset"), {"email": "okand@example.se"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_kommun_areas_exist_for_every_reference_code(geography):
    from trygg.core.models import Area

    assert Area.objects.filter(kind=AreaKind.KOMMUN).count() == 290
