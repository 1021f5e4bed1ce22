"""Tvåstegsverifiering: TOTP (an authenticator app) with single-use reservkoder, via django-otp.

Who must have it is decided by :func:`two_factor_required`: administratörer and superusers,
plus whatever other apps register with :func:`add_requirement` (the youth-cases module
registers the roles that can read cases). Others may turn it on themselves.

A session counts as verified when the user has entered a code from their device or a
recovery code in this session, or signed in through the kommun's single sign-on with a
provider that asserted multi-factor authentication (see core.oidc). The middleware
:class:`TwoFactorMiddleware` sends a user who must verify to the verification page (or to
enrolment, if they have no device yet) and lets them reach nothing else.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.core.access import scope_for
from trygg.core.audit import record_change
from trygg.core.choices import AuditAction, Role

Requirement = Callable[[Any], bool]

RECOVERY_CODE_COUNT = 10
# The session records who verified and how: {"user": pk, "how": "totp" | "recovery" | "sso"}.
SESSION_KEY = "trygg_two_factor"
# The secret the demo's users who must have two-factor share, printed by `make run`. Base32,
# as an authenticator app takes it. Only ever given to demo users (core.personas).
DEMO_TOTP_SECRET = "TRYGGDEMOTRYGGDEMOTRYGGDEMOTRYGG"

_requirements: list[Requirement] = []


def add_requirement(requirement: Requirement) -> Requirement:
    """Register ``requirement(user) -> bool``: True makes two-factor compulsory for the user.

    Apps call this from their AppConfig.ready(); usable as a decorator. Registering the same
    function twice has no effect.
    """
    if requirement not in _requirements:
        _requirements.append(requirement)
    return requirement


def _is_administrator(user: Any) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or any(g.role == Role.ADMINISTRATOR for g in scope.grants)


add_requirement(_is_administrator)


_settings_loaded = False


def _load_from_settings() -> None:
    """Register the rules named in settings.TWO_FACTOR_REQUIRED_BY (dotted paths); a module
    not built yet is skipped, as the navigation does."""
    global _settings_loaded
    if _settings_loaded:
        return
    for path in getattr(settings, "TWO_FACTOR_REQUIRED_BY", []):
        try:
            add_requirement(import_string(path))
        except ImportError:
            continue
    _settings_loaded = True


def two_factor_required(user: Any) -> bool:
    """Whether the user must use two-factor: an administratör, or any registered rule says so."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    _load_from_settings()
    return any(requirement(user) for requirement in _requirements)


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    if user is None or getattr(user, "pk", None) is None:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_two_factor(user: Any) -> bool:
    """Whether the user has turned on two-factor (has a confirmed authenticator): asked of
    the database as EXISTS, without reading the device (asked on every page by must_verify)."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    # In SQL (core.sql): asked on every page, where building the same EXISTS through the
    # ORM cost twenty times as much as running it.
    from trygg.core import sql

    def build(quote: Callable[[str], str]) -> str:
        return "SELECT 1 FROM {} WHERE {} = %s AND {} = %s LIMIT 1".format(  # noqa: S608 - names from the model
            quote(sql.table(TOTPDevice)),
            quote(sql.column(TOTPDevice, "user")),
            quote(sql.column(TOTPDevice, "confirmed")),
        )

    return bool(sql.rows("has-two-factor", build, [user.pk, True]))


def must_verify(user: Any) -> bool:
    """Whether a session of this user must be verified with a second factor.

    Asked by the middleware and again by the page's navigation: the answer is kept on the
    user object, which lives for one request (as core.access keeps the scope)."""
    cached = getattr(user, "_trygg_must_verify", None)
    if cached is not None:
        return cached
    answer = two_factor_required(user) or has_two_factor(user)
    if user is not None and getattr(user, "pk", None) is not None:
        user._trygg_must_verify = answer
    return answer


def session_is_verified(request: HttpRequest) -> bool:
    # A request without a session (a panel rendered outside a page) has verified nothing.
    session = getattr(request, "session", None)
    state = session.get(SESSION_KEY) if session is not None else None
    return isinstance(state, dict) and state.get("user") == request.user.pk


def mark_session_verified(request: HttpRequest, how: str) -> None:
    request.session[SESSION_KEY] = {"user": request.user.pk, "how": how}


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Secrets and codes


def new_secret() -> str:
    """A new random TOTP secret, base32 (160 bits, as RFC 4226 recommends)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _secret_bytes(secret: str) -> bytes:
    try:
        return base64.b32decode(secret.upper(), casefold=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(_("The secret is not valid.")) from exc


def otpauth_url(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Trygg")
    label = f"{issuer}:{username}"
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6})
    return f"otpauth://totp/{label}?{query}"


QR_MASK = 0


def qr_code_data_uri(data: str) -> str:
    """The QR code as an SVG data: URI, made here (no external service; allowed by the CSP).

    With one fixed mask pattern: every mask gives a valid code that every reader decodes;
    letting the encoder choose tries all eight and scores each, two thirds of the page's time.
    """
    return segno.make(data, error="m", mask=QR_MASK).svg_data_uri(scale=5, border=2)


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The six-digit code for ``secret`` at a time (now by default); for the demo and tests."""
    totp = TOTP(_secret_bytes(secret), step=30, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _throttle_message(device: TOTPDevice | StaticDevice) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    seconds = 1
    if data and data.get("locked_until"):
        from django.utils import timezone

        seconds = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": seconds}


# Services (writes)


@transaction.atomic
def two_factor_enable(*, actor: Any, secret: str, code: str) -> list[str]:
    """Turn on two-factor for ``actor`` with the secret shown in the QR code, once a code from
    it is right. Replaces any earlier devices. Returns the new recovery codes (shown once)."""
    totp = TOTP(_secret_bytes(secret), step=30, digits=6)
    totp.time = time.time()
    normalised = _normalise(code)
    if not normalised.isdigit() or not totp.verify(int(normalised), tolerance=1):
        raise ValidationError(
            {"code": _("The code is wrong. Enter the six digits the app shows now.")}
        )
    had = has_two_factor(actor)
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    device = TOTPDevice(
        user=actor,
        name=_("Authenticator app"),
        key=binascii.hexlify(_secret_bytes(secret)).decode("ascii"),
        confirmed=True,
        last_t=totp.t(),  # the code just used cannot be used again
    )
    device.full_clean()
    device.save()
    codes = _new_recovery_codes(actor)
    record_change(
        actor=actor,
        obj=actor,
        action=AuditAction.UPDATE,
        before={"two_factor": had},
        after={"two_factor": True},
        note=_("Two-factor authentication turned on"),
    )
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, actor: Any) -> list[str]:
    """New recovery codes for ``actor``; the old ones stop working."""
    if not has_two_factor(actor):
        raise PermissionDenied(_("Turn on two-factor authentication first."))
    codes = _new_recovery_codes(actor)
    record_change(
        actor=actor,
        obj=actor,
        action=AuditAction.UPDATE,
        before={"recovery_codes": "old"},
        after={"recovery_codes": "new"},
        note=_("New recovery codes"),
    )
    return codes


@transaction.atomic
def two_factor_disable(*, actor: Any) -> None:
    """Turn off two-factor for ``actor``; refused for a user who must have it."""
    if two_factor_required(actor):
        raise PermissionDenied(_("Your role requires two-factor authentication."))
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    record_change(
        actor=actor,
        obj=actor,
        action=AuditAction.UPDATE,
        before={"two_factor": True},
        after={"two_factor": False},
        note=_("Two-factor authentication turned off"),
    )


@transaction.atomic
def two_factor_reset(*, actor: Any, user: Any) -> int:
    """Remove every two-factor device of ``user`` who lost phone and recovery codes; they
    enrol again at their next sign-in. Returns the number of devices removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    record_change(
        actor=actor,
        obj=user,
        action=AuditAction.UPDATE,
        before={"two_factor": bool(removed)},
        after={"two_factor": False},
        note=_("Two-factor authentication reset: the user enrols again"),
    )
    return removed


def two_factor_verify(request: HttpRequest, code: str) -> str | None:
    """Check a code from the app or a recovery code for ``request.user``; mark the session
    verified when right. Returns None on success, else the Swedish reason."""
    user = request.user
    normalised = _normalise(code)
    device = confirmed_totp_device(user)
    if device is None:
        return _("Two-factor authentication is not turned on.")
    if normalised.isdigit() and len(normalised) == 6:
        reason = _throttle_message(device)
        if reason:
            return reason
        if device.verify_token(normalised):
            otp_login(request, device)
            mark_session_verified(request, "totp")
            return None
    else:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None:
            reason = _throttle_message(static)
            if reason:
                return reason
            if static.verify_token(normalised):  # deletes the code: each works once
                otp_login(request, static)
                mark_session_verified(request, "recovery")
                return None
    return _("The code is wrong. Enter the six digits the app shows now, or a recovery code.")


DEMO_DEVICE_NAME = "Demo"


def demo_devices_ensure(users: Any) -> list[Any]:
    """Give each demo user who must have two-factor and has none the documented demo secret.

    Called by the demo loader and the test personas only, never for real users. Returns the
    users given one.
    """
    given = []
    key = binascii.hexlify(_secret_bytes(DEMO_TOTP_SECRET)).decode("ascii")
    from trygg.core.access import forget_scope

    for user in users:
        forget_scope(user)  # the user object may have outlived a change of their roles
        if two_factor_required(user) and not has_two_factor(user):
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)
            given.append(user)
    return given


def demo_device_users() -> list[Any]:
    """The users whose authenticator has the demo secret (for `demo_totp`)."""
    key = binascii.hexlify(_secret_bytes(DEMO_TOTP_SECRET)).decode("ascii")
    devices = TOTPDevice.objects.filter(key=key, confirmed=True).select_related("user")
    return sorted({d.user for d in devices}, key=lambda u: u.get_username())


# Middleware

# Pages a user who still has to verify may reach: signing in and out, the verification and
# enrolment pages themselves, and the language switch.
_OPEN_URL_NAMES = {
    "login",
    "logout",
    "set_language",
    "core:two_factor_verify",
    "core:two_factor_enrol",
    "core:two_factor_recovery_codes",
    "core:sso_start",
    "core:sso_callback",
}


class TwoFactorMiddleware:
    """Sends a signed-in user who must verify to verification or enrolment, until they have."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._check(request)
        return response if response is not None else self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or session_is_verified(request):
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        # Whether the user must verify first (two small queries, asked by the navigation
        # anyway and kept for the request), then which page this is: most people need no
        # second factor, and their pages need not be resolved here.
        if not must_verify(user):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name in _OPEN_URL_NAMES:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Two-factor authentication is required. Sign in in the browser.")},
                status=403,
            )
        target = "core:two_factor_verify" if has_two_factor(user) else "core:two_factor_enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
