"""Single sign-on end to end against a real OpenID Connect provider: django-oauth-toolkit in
a second process on loopback (core/tests/oidc_provider), driven by chromium.

The provider's users stand for the kommun's accounts; Trygg matches them by verified e-mail
to its own members and never creates a membership.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from trygg.conftest import axe_check, next_totp_code, screenshot
from trygg.core.models import Membership
from trygg.core.oidc import TryggOIDCBackend, asserts_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SRC = Path(__file__).resolve().parents[3]
CLIENT_SECRET = "test-client-secret-" + "z" * 20
PROVIDER_PASSWORD = "provider-pass-2026"
# username at the provider: (e-mail, first name, last name); see oidc_provider/validator.py
PROVIDER_USERS = {
    "sara": ("samordnare@example.se", "Sara", "Samordnare"),
    "alva-mfa": ("admin@example.se", "mfa", "Admin"),
    "alva": ("admin@example.se", "Alva", "Admin"),
    "okand": ("okand@example.se", "Olle", "Okänd"),
    "inbjuden": ("inbjuden@example.se", "Ida", "Inbjuden"),
    "overifierad": ("samordnare@example.se", "Sara", "unverified"),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """Starts the provider for this test session and stops it afterwards."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = folder / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trygg.core.tests.oidc_provider.settings",
        "PROVIDER_DATABASE": str(folder / "provider.sqlite3"),
        "PROVIDER_KEY_FILE": str(key_file),
        "PYTHONPATH": str(SRC),
    }
    run = {"env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)
    users = {u: [*fields, PROVIDER_PASSWORD] for u, fields in PROVIDER_USERS.items()}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "trygg.core.tests.oidc_provider.setup",
            live_server.url,
            CLIENT_SECRET,
            json.dumps(users),
        ],
        **run,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/o/.well-known/openid-configuration") as r:
                    discovery = json.load(r)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((folder / "provider.log").read_text()) from None
                time.sleep(0.3)
        yield {"base": base, **discovery}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def sso(settings, oidc_provider):
    """Trygg configured for the provider, as a deployment would by its environment."""
    settings.TRYGG_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "trygg"
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider["jwks_uri"]
    settings.TRYGG_OIDC_END_SESSION_ENDPOINT = oidc_provider["end_session_endpoint"]
    settings.TRYGG_OIDC_ISSUER = oidc_provider["issuer"]
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(oidc_provider["base"])  # as settings.py does
    settings.CONTENT_SECURITY_POLICY = policy
    return oidc_provider


def sign_in_at_provider(page, username: str) -> None:
    page.goto("/logga-in/")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.wait_for_url("**/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def memberships_snapshot():
    return sorted(Membership.objects.values_list("user_id", "organisation_id", "role", "is_active"))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_member_signs_in_by_sso_and_logs_out_of_both(browser_page, world, sso, width):
    before = memberships_snapshot()
    page = browser_page(width)
    page.goto("/logga-in/")
    axe_check(page)
    screenshot(page, f"core-login-sso-{width}")
    sign_in_at_provider(page, "sara")
    expect(page.get_by_role("heading", name="Välkommen, Sara Samordnare")).to_be_visible()
    assert page.url.rstrip("/") == page.url.split("/", 3)[0] + "//" + page.url.split("/")[2]
    assert memberships_snapshot() == before

    page.get_by_role("button", name="Logga ut").first.click()
    page.wait_for_url("**/logga-in/")
    assert sso["base"] not in page.url
    # Logged out of the provider too: signing in again asks for the password there.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.wait_for_url("**/login/**")
    expect(page.get_by_label("Password")).to_be_visible()
    page.goto("/")
    page.wait_for_url("**/logga-in/**")


def test_a_person_without_membership_is_refused_in_swedish(browser_page, world, sso):
    users_before = get_user_model().objects.count()
    before = memberships_snapshot()
    page = browser_page(390)
    sign_in_at_provider(page, "okand")
    page.wait_for_url("**/logga-in/**")
    expect(page.get_by_text("Du har inget medlemskap i Trygg (okand@example.se)")).to_be_visible()
    axe_check(page)
    screenshot(page, "core-login-sso-refused-390")
    page.goto("/")
    page.wait_for_url("**/logga-in/**")
    assert get_user_model().objects.count() == users_before
    assert memberships_snapshot() == before


def test_an_unverified_email_is_refused(browser_page, world, sso):
    page = browser_page(1280)
    sign_in_at_provider(page, "overifierad")
    page.wait_for_url("**/logga-in/**")
    expect(page.get_by_text("gav ingen verifierad e-postadress")).to_be_visible()


def test_a_deactivated_member_is_refused(browser_page, world, sso):
    Membership.objects.filter(user=world.users["samordnare"]).update(is_active=False)
    page = browser_page(1280)
    sign_in_at_provider(page, "sara")
    page.wait_for_url("**/logga-in/**")
    expect(page.get_by_text("Du har inget medlemskap i Trygg")).to_be_visible()


def _tamper(id_token: str) -> str:
    """Change the e-mail in the signed payload and keep the provider's signature."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "1"
    claims["email"] = "admin@example.se"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_tampered_id_token_is_refused(browser_page, world, sso, monkeypatch):
    real_get_token = TryggOIDCBackend.get_token
    tampered = []

    def get_token_tampered_in_transit(self, payload):
        answer = real_get_token(self, payload)
        answer["id_token"] = _tamper(answer["id_token"])
        tampered.append(answer["id_token"])
        return answer

    monkeypatch.setattr(TryggOIDCBackend, "get_token", get_token_tampered_in_transit)
    page = browser_page(1280)
    sign_in_at_provider(page, "sara")
    page.wait_for_url("**/logga-in/**")
    expect(page.get_by_text("kunde inte verifieras")).to_be_visible()
    assert tampered, "the sign-in did reach the token exchange"
    page.goto("/")
    page.wait_for_url("**/logga-in/**")


def test_a_token_signed_with_another_key_is_refused(browser_page, world, sso, monkeypatch):
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    real_get_token = TryggOIDCBackend.get_token
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def get_token_forged(self, payload):
        answer = real_get_token(self, payload)
        header = jwt.get_unverified_header(answer["id_token"])
        claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
        answer["id_token"] = jwt.encode(
            claims, other_key, algorithm="RS256", headers={"kid": header["kid"]}
        )
        return answer

    monkeypatch.setattr(TryggOIDCBackend, "get_token", get_token_forged)
    page = browser_page(1280)
    sign_in_at_provider(page, "sara")
    page.wait_for_url("**/logga-in/**")
    expect(page.get_by_text("kunde inte verifieras")).to_be_visible()


def test_an_administrator_whose_provider_did_mfa_needs_no_second_code(browser_page, world, sso):
    page = browser_page(1280)
    sign_in_at_provider(page, "alva-mfa")
    expect(page.get_by_role("heading", name="Välkommen, Alva Admin")).to_be_visible()
    page.goto("/andringslogg/")
    expect(page.get_by_role("heading", name="Ändringslogg")).to_be_visible()


def test_an_administrator_signed_in_by_password_at_the_provider_still_enters_a_code(
    browser_page, world, sso
):
    page = browser_page(1280)
    sign_in_at_provider(page, "alva")
    page.wait_for_url("**/tvastegsverifiering/verifiera/**")
    page.goto("/andringslogg/")
    page.wait_for_url("**/tvastegsverifiering/verifiera/**")
    page.get_by_label("Kod").fill(next_totp_code("admin"))
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", name="Ändringslogg")).to_be_visible()


def test_mfa_is_read_from_amr_or_acr(settings):
    settings.TRYGG_OIDC_MFA_ACR = ["https://id.example.se/loa3"]
    assert asserts_mfa({"amr": ["pwd", "mfa"]})
    assert asserts_mfa({"amr": ["hwk"]})
    assert not asserts_mfa({"amr": ["pwd"]})
    assert not asserts_mfa({})
    assert asserts_mfa({"acr": "https://id.example.se/loa3"})
    assert not asserts_mfa({"acr": "https://id.example.se/loa2"})


@pytest.mark.skipif(
    not hasattr(__import__("trygg.core.models", fromlist=["x"]), "Invitation"),
    reason="invitations (core.Invitation) are not part of this build",
)
def test_an_invited_person_signs_in_by_sso_and_gets_the_invited_role(browser_page, world, sso):
    from trygg.core import services
    from trygg.core.models import Invitation

    invitation, _key = services.invitation_create(
        actor=world.users["admin"],
        organisation=world.organisations["nacka"],
        email="inbjuden@example.se",
        role="lasare",
        send=False,
    )
    page = browser_page(1280)
    sign_in_at_provider(page, "inbjuden")
    page.wait_for_url(lambda url: "/logga-in/" not in url and "/login/" not in url)
    user = get_user_model().objects.get(email="inbjuden@example.se")
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (world.organisations["nacka"], "lasare")
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    assert not user.has_usable_password()
