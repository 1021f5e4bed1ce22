"""The form flow every page that writes uses (the write kit's form half).

A page that changes data shows a form, and on a valid POST calls one service. What the
service refuses – a ``ValidationError`` (bad input, an invariant) or a ``PermissionDenied``
(a forged or stale request the view's restrict() did not already turn into a 404) – is shown
on the form, next to its field where the error names one, in the same way on every page.
Nothing is written when the service refuses: services are atomic.

- ``submit(form, call)``: validate the form, run ``call(cleaned_data)``; the result, or
  ``None`` when the form or the service refused (the errors are on the form).
- ``form_page(request, form, call, ...)``: the whole create/edit page – the form, the
  service, the success message and the redirect – for the pages that differ only in these.
- ``next_url(request, default)``: where to go after the write (``?next=`` on this site only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

T = TypeVar("T")


def add_form_errors(form: forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal on the form, next to its field where it names one."""
    if isinstance(error, PermissionDenied):
        error = ValidationError(str(error) or _("You do not have permission to do this."))
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def attempt(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Run ``call`` (a service call); its refusal goes on the form and the result is None."""
    try:
        return call()
    except (ValidationError, PermissionDenied) as error:
        add_form_errors(form, error)
        return None


def submit(
    form: forms.BaseForm, call: Callable[[dict[str, Any]], T], *, request: HttpRequest | None = None
) -> T | None:
    """On a POST with a valid form, run the service with the cleaned data.

    Returns the service's result, or ``None`` when there was nothing to do (a GET), the form
    was invalid or the service refused; the errors are then on the form. With ``request``,
    a GET returns ``None`` at once (the form is unbound then anyway).
    """
    if request is not None and request.method != "POST":
        return None
    if not form.is_bound or not form.is_valid():
        return None
    return attempt(form, lambda: call(dict(form.cleaned_data)))


def next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` address of the request when it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: str,
    done: str | Callable[[Any], str],
    cancel_url: str,
    template: str = "core/form.html",
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A create or edit page: the form; on a valid POST, the service, the message and the
    redirect to ``done`` (an address, or made from the service's result); ``?next=`` wins."""
    if request.method == "POST":
        result = submit(form, call)
        if form.is_valid():  # the service did not refuse either
            messages.success(request, success)
            target = done(result) if callable(done) else done
            return redirect(next_url(request, target))
    return render(
        request,
        template,
        {"form": form, "title": title, "cancel_url": cancel_url, **(context or {})},
    )
