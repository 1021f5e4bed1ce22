"""Kommunens inloggning: single sign-on with OpenID Connect (mozilla-django-oidc).

Off unless a deployment configures it (``TRYGG_OIDC_CLIENT_ID`` and the provider's
endpoints, see docs/operations.md). Sign-in by SSO never creates a membership or changes a
role: the provider's user is matched by a *verified* e-mail address to

1. an active user with an active membership, or else
2. a pending invitation (:func:`accept_pending_invitation`), which gives the role the
   administratör chose when inviting.

Anyone else is refused with a Swedish message. A session counts as two-factor verified only
when the provider asserts multi-factor authentication (``amr`` or ``acr``, see
``TRYGG_OIDC_MFA_AMR`` / ``TRYGG_OIDC_MFA_ACR``); otherwise a user who must have two-factor
enters their code after signing in, as after a password.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from trygg.core.twofactor import mark_session_verified

logger = logging.getLogger(__name__)

ID_TOKEN_SESSION_KEY = "oidc_id_token"  # mozilla-django-oidc's, with OIDC_STORE_ID_TOKEN


def enabled() -> bool:
    return bool(getattr(settings, "TRYGG_OIDC_ENABLED", False))


def asserts_mfa(payload: dict[str, Any]) -> bool:
    """Whether the ID token says the provider used more than one factor."""
    amr = payload.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.TRYGG_OIDC_MFA_AMR):
        return True
    return bool(payload.get("acr")) and payload.get("acr") in settings.TRYGG_OIDC_MFA_ACR


def accept_pending_invitation(email: str, claims: dict[str, Any]) -> Any | None:
    """The user who takes up a pending invitation for ``email``, or None.

    Invitations (core.Invitation) give the role and area limits the administratör chose;
    signing in by SSO with the invited, verified address accepts the invitation. A login is
    created for the address if none exists (with no usable password: it signs in by SSO).
    """
    try:
        Invitation = apps.get_model("core", "Invitation")
    except LookupError:
        return None
    from trygg.core import services

    invitation = Invitation.objects.pending().filter(email__iexact=email).order_by("-id").first()
    if invitation is None:
        return None
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("id").first()
    if user is None:
        user = User(
            username=email,
            email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    services.invitation_accept(invitation=invitation, user=user)
    return user


class TryggOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's verified e-mail to a member or an invitation; never creates a
    membership itself. Every refusal is logged and told to the user in Swedish."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any | None:
        if not enabled() or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, ValueError) as exc:
            # A forged or tampered token, a provider error or an unreachable provider.
            logger.warning("SSO sign-in refused: %s", exc)
            self._refuse(
                request,
                _("The sign-in from the kommun's identity provider could not be verified."),
            )
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (not a signed userinfo answer)
            issuer = settings.TRYGG_OIDC_ISSUER
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation("ID token from another issuer")
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]):
        claims = self.get_userinfo(access_token, id_token, payload)
        if payload.get("sub") and claims.get("sub") not in (None, payload["sub"]):
            raise SuspiciousOperation("userinfo is about another subject")
        email = str(claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is not True:
            self._refuse(
                self.request,
                _(
                    "The kommun's identity provider did not give a verified e-mail address, "
                    "so Trygg cannot tell who you are. Contact your administratör."
                ),
            )
            return None
        User = get_user_model()
        candidates = User.objects.filter(email__iexact=email, is_active=True)
        members = list(candidates.filter(memberships__is_active=True).distinct().order_by("id")[:2])
        if len(members) > 1:
            self._refuse(
                self.request,
                _(
                    "Several accounts in Trygg have the address %(email)s. Contact your administratör."
                )
                % {"email": email},
            )
            return None
        user = members[0] if members else accept_pending_invitation(email, claims)
        if user is None:
            self._refuse(
                self.request,
                _(
                    "You have no membership in Trygg (%(email)s). Ask your kommun's "
                    "administratör for an invitation."
                )
                % {"email": email},
            )
            return None
        user._trygg_sso_mfa = asserts_mfa(payload)
        return user

    def _refuse(self, request: HttpRequest | None, message: str) -> None:
        if request is not None:
            messages.error(request, message)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer; marks the session two-factor verified if the provider did MFA."""

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        if getattr(self.user, "_trygg_sso_mfa", False):
            mark_session_verified(self.request, "sso")
        return response


def sso_start(request: HttpRequest) -> HttpResponse:
    """Sends the browser to the kommun's identity provider."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def sso_callback(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return SSOCallbackView.as_view()(request)


class LogoutView(auth_views.LogoutView):
    """Logs out of Trygg and, after a sign-in by SSO, out of the provider too (RP-initiated
    logout), which then returns to Trygg's login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        end_session = settings.TRYGG_OIDC_END_SESSION_ENDPOINT
        if enabled() and id_token and end_session:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                    "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
                }
            )
            return HttpResponseRedirect(f"{end_session}?{query}")
        return response
