"""Two-factor authentication: who must have it, enrolment, verification, recovery codes and
the API, through the real sign-in pages."""

import time

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.core import services, twofactor
from trygg.core.models import AuditEntry
from trygg.core.personas import DEMO_PASSWORD
from trygg.core.twofactor import DEMO_TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db


def password_login(username: str) -> tuple[Client, str]:
    """Sign in with the password; returns the client and where the user is sent next."""
    client = Client()
    response = client.post("/logga-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    if location == "/":
        follow = client.get("/")
        if follow.status_code == 302:
            location = follow["Location"]
    return client, location


def enrol(client: Client) -> list[str]:
    """Turn on two-factor through the enrolment page; returns the recovery codes shown."""
    page = client.get("/konto/tvastegsverifiering/aktivera/")
    assert page.status_code == 200
    secret = client.session["trygg_two_factor_enrol_secret"]
    response = client.post("/konto/tvastegsverifiering/aktivera/", {"code": totp_code(secret)})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    return codes_page.context["codes"]


def test_administrators_and_superusers_must_have_two_factor(world, django_user_model):
    assert twofactor.two_factor_required(world.users["admin"])
    for persona in ["samordnare", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende"]:
        assert not twofactor.two_factor_required(world.users[persona]), persona
    root = django_user_model.objects.create_superuser("root", "root@example.se", "x" * 14)
    assert twofactor.two_factor_required(root)


def test_another_app_can_add_a_requirement(world, monkeypatch):
    monkeypatch.setattr(twofactor, "_requirements", list(twofactor._requirements))
    sspf = world.users["sspf"]
    assert not twofactor.two_factor_required(sspf)
    twofactor.add_requirement(lambda user: user.username == "sspf")
    assert twofactor.two_factor_required(sspf)
    assert not twofactor.two_factor_required(world.users["samordnare"])


def test_a_requirement_can_be_named_in_settings(world, settings, monkeypatch):
    monkeypatch.setattr(twofactor, "_requirements", list(twofactor._requirements))
    monkeypatch.setattr(twofactor, "_settings_loaded", False)
    settings.TWO_FACTOR_REQUIRED_BY = [
        "trygg.core.tests.test_two_factor.polis_needs_two_factor",
        "trygg.not_built_yet.access.rule",
    ]
    assert twofactor.two_factor_required(world.users["polis"])
    assert not twofactor.two_factor_required(world.users["samordnare"])


def polis_needs_two_factor(user) -> bool:
    return user.username == "polis"


def test_demo_administrator_has_the_documented_demo_secret(world):
    device = TOTPDevice.objects.get(user=world.users["admin"])
    assert device.verify_token(totp_code(DEMO_TOTP_SECRET))
    assert not TOTPDevice.objects.filter(user=world.users["samordnare"]).exists()


def test_an_administrator_without_a_device_reaches_nothing_but_enrolment(world):
    TOTPDevice.objects.filter(user=world.users["admin"]).delete()
    client, location = password_login("admin")
    assert location.startswith("/konto/tvastegsverifiering/aktivera/")
    for path in ["/", "/planer/", "/andringslogg/", "/konto/api-nycklar/", "/organisationer/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/konto/tvastegsverifiering/aktivera/"), path
    api = client.get("/api/plans/plans")
    assert api.status_code == 403
    assert "Tvåstegsverifiering krävs" in api.json()["detail"]
    codes = enrol(client)
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert client.get("/andringslogg/").status_code == 200
    entry = AuditEntry.objects.filter(object_id=str(world.users["admin"].pk)).first()
    assert entry.changes == {"two_factor": [False, True]}


def test_a_wrong_code_is_refused_in_swedish_and_a_right_one_lets_in(world):
    client, location = password_login("admin")
    assert location == "/konto/tvastegsverifiering/verifiera/?next=%2F"
    response = client.post(location, {"code": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get("/").status_code == 302
    time.sleep(1.1)  # the wait after one wrong code
    response = client.post(location, {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_same_code_cannot_be_used_twice(world):
    code = totp_code(DEMO_TOTP_SECRET)
    first, location = password_login("admin")
    assert first.post(location, {"code": code}).status_code == 302
    second, location = password_login("admin")
    response = second.post(location, {"code": code})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()


def test_repeated_wrong_codes_make_the_user_wait(world):
    client, location = password_login("admin")
    client.post(location, {"code": "000000"})
    response = client.post(location, {"code": totp_code(DEMO_TOTP_SECRET)})
    assert "För många felaktiga koder" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(world):
    TOTPDevice.objects.filter(user=world.users["admin"]).delete()
    client, _location = password_login("admin")
    codes = enrol(client)
    client.post("/logga-ut/")
    client, location = password_login("admin")
    response = client.post(location, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=world.users["admin"]).count() == 9
    client.post("/logga-ut/")
    time.sleep(1.1)
    client, location = password_login("admin")
    response = client.post(location, {"code": codes[0]})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()


def test_others_may_turn_it_on_and_are_then_asked_for_a_code(world):
    client, location = password_login("samordnare")
    assert location == "/"
    overview = client.get("/konto/tvastegsverifiering/")
    assert "Aktivera tvåstegsverifiering" in overview.content.decode()
    enrol(client)
    client.post("/logga-ut/")
    _client, location = password_login("samordnare")
    assert location.startswith("/konto/tvastegsverifiering/verifiera/")


def test_others_may_turn_it_off_but_an_administrator_may_not(world, login):
    samordnare = login("samordnare")
    enrol(samordnare)
    samordnare.post("/konto/tvastegsverifiering/stang-av/")
    assert not twofactor.has_two_factor(world.users["samordnare"])
    admin = login("admin")
    response = admin.post("/konto/tvastegsverifiering/stang-av/", follow=True)
    assert "kräver tvåstegsverifiering" in response.content.decode()
    assert twofactor.has_two_factor(world.users["admin"])


def test_enrolment_refuses_a_wrong_code_and_writes_nothing_on_get(world, login):
    client = login("samordnare")
    client.get("/konto/tvastegsverifiering/aktivera/")
    assert not TOTPDevice.objects.filter(user=world.users["samordnare"]).exists()
    response = client.post("/konto/tvastegsverifiering/aktivera/", {"code": "123"})
    assert "Koden stämmer inte" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.users["samordnare"]).exists()


def test_api_tokens_of_users_who_must_have_two_factor_need_a_device(world):
    admin = world.users["admin"]
    _token, key = services.api_token_create(actor=admin, name="script")
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/plans/plans", headers=headers).status_code == 200
    TOTPDevice.objects.filter(user=admin).delete()
    assert client.get("/api/plans/plans", headers=headers).status_code == 401
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=admin, name="another")
    samordnare_key = services.api_token_create(actor=world.users["samordnare"], name="s")[1]
    headers = {"Authorization": f"Bearer {samordnare_key}"}
    assert client.get("/api/plans/plans", headers=headers).status_code == 200


def test_a_verified_session_does_not_carry_over_to_another_user(world):
    client, location = password_login("admin")
    client.post(location, {"code": totp_code(DEMO_TOTP_SECRET)})
    session = client.session
    assert session[twofactor.SESSION_KEY]["user"] == world.users["admin"].pk
    client.post("/logga-ut/")
    assert twofactor.SESSION_KEY not in client.session


def test_demo_totp_prints_the_secret_and_a_current_code(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_totp", stdout=out)
    assert "admin" in out.getvalue()
    assert DEMO_TOTP_SECRET in out.getvalue()


def test_a_lost_phone_is_reset_by_a_documented_command(world):
    """No shell needed: the command removes the devices and leaves a change-log entry."""
    import io

    from django.core.management import call_command

    admin = world.users["admin"]
    assert TOTPDevice.objects.filter(user=admin).exists()
    out = io.StringIO()
    call_command("reset_two_factor", "admin", stdout=out)
    assert "återställd" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert AuditEntry.objects.filter(object_id=str(admin.pk), note__icontains="reset").exists() or (
        AuditEntry.objects.filter(object_id=str(admin.pk), note__icontains="återställd").exists()
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reset_two_factor", "finns-inte", stdout=io.StringIO())
