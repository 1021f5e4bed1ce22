"""Pages for tvåstegsverifiering: overview, enrolment with a QR code, verification after
sign-in, recovery codes. The logic is in core.twofactor."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.core import twofactor
from trygg.core.editing import next_url, submit

# The secret being enrolled lives in the session until a code from it is right, so that
# opening the enrolment page writes nothing to the database.
ENROL_SECRET_KEY = "trygg_two_factor_enrol_secret"
NEW_CODES_KEY = "trygg_two_factor_new_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    return next_url(request, "/")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Tvåstegsverifiering: status, recovery codes left, turn on / off."""
    user = request.user
    return render(
        request,
        "core/two_factor.html",
        {
            "title": _("Two-factor authentication"),
            "enabled": twofactor.has_two_factor(user),
            "required": twofactor.two_factor_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Show a QR code for a new secret; turn two-factor on when a code from it is right."""
    secret = request.session.get(ENROL_SECRET_KEY)
    if not secret:
        secret = twofactor.new_secret()
        request.session[ENROL_SECRET_KEY] = secret
    form = CodeForm(request.POST or None)
    codes = submit(
        form,
        lambda data: twofactor.two_factor_enable(
            actor=request.user, secret=secret, code=data["code"]
        ),
        request=request,
    )
    if codes is not None:
        del request.session[ENROL_SECRET_KEY]
        twofactor.mark_session_verified(request, "totp")
        request.session[NEW_CODES_KEY] = codes
        messages.success(request, _("Two-factor authentication is on."))
        return redirect(
            f"{reverse('core:two_factor_recovery_codes')}?next={quote(_next_url(request), safe='/')}"
        )
    url = twofactor.otpauth_url(secret, request.user.get_username())
    return render(
        request,
        "core/two_factor_enrol.html",
        {
            "title": _("Turn on two-factor authentication"),
            "form": form,
            "qr_code": twofactor.qr_code_data_uri(url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": twofactor.two_factor_required(request.user),
            "next": _next_url(request),
        },
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step after signing in: a code from the app or a recovery code."""
    if not twofactor.has_two_factor(request.user):
        return redirect("core:two_factor_enrol")
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("Six digits from the app, or one of your recovery codes.")

    def verify_code(data):
        reason = twofactor.two_factor_verify(request, data["code"])
        if reason is not None:
            raise ValidationError({"code": reason})
        return request.session[twofactor.SESSION_KEY]["how"]

    how = submit(form, verify_code, request=request)
    if how is not None:
        if how == "recovery":
            left = twofactor.recovery_codes_left(request.user)
            messages.warning(
                request,
                _("You signed in with a recovery code; %(left)s are left.") % {"left": left},
            )
        return redirect(_next_url(request))
    return render(
        request,
        "core/two_factor_verify.html",
        {"title": _("Two-factor authentication"), "form": form, "next": _next_url(request)},
    )


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows newly made recovery codes once."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("core:two_factor")
    return render(
        request,
        "core/two_factor_recovery_codes.html",
        {"title": _("Recovery codes"), "codes": codes, "next": _next_url(request)},
    )


@login_required
@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = twofactor.recovery_codes_regenerate(actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("core:two_factor")
    request.session[NEW_CODES_KEY] = codes
    return redirect("core:two_factor_recovery_codes")


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    try:
        twofactor.two_factor_disable(actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        request.session.pop(twofactor.SESSION_KEY, None)
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("core:two_factor")
