"""The form flow every page that writes uses (the write kit's form half).

A page that changes data shows a form, and on a valid POST calls one service. What the
service refuses – a ``ValidationError`` (bad input, an invariant) or a ``PermissionDenied``
(a forged or stale request the view's restrict() did not already turn into a 404) – is shown
on the form, next to its field where the error names one, in the same way on every page.
Nothing is written when the service refuses: services are atomic.

From the whole page down to the single call, one way for each:

- ``form_page(request, form, call, ...)``: the whole create/edit page – the form, the
  service, the success message and the redirect – for the pages that render the form
  (``template`` and ``context`` for a page of its own).
- ``form_post(request, form, call, ...)``: its POST half – the redirect after a write, or
  ``None`` – for a page that renders itself: a detail page with a form for those who may
  change it, or a page of several forms (the POST names the form; only that one is bound).
- ``submit(form, call)``: validate the form, run ``call(cleaned_data)``; the result, or
  ``None`` when the form or the service refused (the errors are on the form). For the pages
  whose success is more than a message and a redirect (a key shown once, a session step).
- ``attempt(form, call)``: run a service call; its refusal goes on the form.
- ``add_form_errors(form, error)``: put a refusal on the form. A form whose fields are not
  the service's (a date and two times for ``starts_at``) or that has one field the refusals
  belong to (the file of an upload) says so in ``error_fields``::

      error_fields = {"starts_at": "start_time", NON_FIELD_ERRORS: "file"}

- ``refusal_text(error)``: a refusal as a message, where a POST has no form (a delete).
- ``next_url(request, default)``: where to go after the write (``?next=`` on this site only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

T = TypeVar("T")

#: Where to go after the write: an address, a URL name, a model (its get_absolute_url()),
#: or a function of the service's result that gives one of these.
Done = Any
#: The success message, or a function of the service's result that gives it.
Success = str | Callable[[Any], str]


def _field_for(form: forms.BaseForm, name: str) -> str | None:
    """The form field a refusal naming ``name`` is shown next to (None: above the form)."""
    mapping = getattr(form, "error_fields", {})
    name = mapping.get(name, name)
    if name in form.fields:
        return name
    fallback = mapping.get(NON_FIELD_ERRORS)
    return fallback if fallback in form.fields else None


def add_form_errors(form: forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal on the form, next to its field where it names one."""
    if isinstance(error, PermissionDenied):
        error = ValidationError(str(error) or _("You do not have permission to do this."))
    named: list[tuple[str, list[ValidationError]]]
    if hasattr(error, "error_dict"):
        named = list(error.error_dict.items())
    else:
        named = [(NON_FIELD_ERRORS, error.error_list)]
    for name, errors in named:
        form.add_error(_field_for(form, name), errors)


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """A refusal as one line, for the message after a POST that has no form (a delete)."""
    if isinstance(error, PermissionDenied):
        return str(error) or _("You do not have permission to do this.")
    return " ".join(error.messages)


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


def form_post(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: Success,
    done: Done,
) -> HttpResponse | None:
    """The POST half of a form page: on a valid POST the service, the success message and
    the redirect to ``done`` (``?next=`` wins). ``None`` on a GET, or when the form or the
    service refused: the page is then shown again, with the errors on the form."""
    if request.method != "POST":
        return None
    result = submit(form, call)
    if not form.is_bound or not form.is_valid():  # the form or the service refused
        return None
    messages.success(request, success(result) if callable(success) else success)
    target = done(result) if callable(done) else done
    return redirect(next_url(request, resolve_url(target)))


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: Success,
    done: Done,
    cancel_url: str | None = None,
    template: str = "core/form.html",
    context: Mapping[str, Any] | None = None,
    error_status: int = 200,
) -> HttpResponse:
    """A create or edit page: the form; on a valid POST, the service, the message and the
    redirect to ``done`` (see ``form_post``). A refused form is shown again with its errors,
    with ``error_status`` (400 where the page's callers expect it)."""
    response = form_post(request, form, call, success=success, done=done)
    if response is not None:
        return response
    page = {"form": form, "title": title}
    if cancel_url is not None:
        page["cancel_url"] = cancel_url
    return render(
        request,
        template,
        {**page, **(context or {})},
        status=error_status if form.is_bound and form.errors else 200,
    )
