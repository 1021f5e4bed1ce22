"""The Ninja API root. Each app adds its router from <app>/api.py.

Authentication is a personal API token (``Authorization: Bearer trygg_…``) or the browser
session. Every endpoint reads through restrict(), so an object out of scope is a 404.
"""

import functools
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from trygg.core.imports import clean_text
from trygg.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


class CleanParser(Parser):
    """JSON bodies without control characters: what no form lets in, no API call does."""

    def parse_body(self, request: Any) -> Any:
        try:
            return _clean(json.loads(request.body))
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


def docs_login_required(view: Any) -> Any:
    """The API description is for logged-in users unless ``API_DOCS_PUBLIC`` publishes it."""

    @functools.wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


ERROR_RESPONSES = {
    "401": "Not logged in: no valid token or session.",
    "403": "Not permitted.",
    "404": "Not found, or outside what the user may see.",
    "422": "The request is not valid; ``detail`` says why.",
    "429": "Too many requests.",
}


class TryggAPI(NinjaAPI):
    """The API, whose description names the error answers every operation can give."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {
            "type": "object",
            "properties": {"detail": {}},
            "required": ["detail"],
        }
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                # Django Ninja keys an operation's own answers by int (404), these by str
                # ("404"): key them all by str, or the JSON would hold "404" twice.
                responses = {
                    str(code): answer for code, answer in operation.get("responses", {}).items()
                }
                operation["responses"] = responses
                for code, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": error}},
                        },
                    )
        return schema


api = TryggAPI(
    title="Trygg API",
    version="1",
    description="Trygg – brottsförebyggande och trygghetsskapande arbete.",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    docs_decorator=docs_login_required,
    parser=CleanParser(),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def number_out_of_range(request, exc):
    # A number in the query or body that no database column can hold (ids, years, pages).
    return api.create_response(
        request, {"detail": _("A number in the request is too large.")}, status=422
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    # A referenced id in a body (core.api.UnknownReference) names its field.
    detail = getattr(exc, "detail", None) or _("Not found.")
    return api.create_response(request, {"detail": detail}, status=404)


def _register_routers() -> None:
    from trygg.core.api import router as core_router

    api.add_router("/", core_router)
    for app in ["plans", "forums", "budget", "incidents", "stats", "situation", "cases", "reports"]:
        module = __import__(f"trygg.{app}.api", fromlist=["router"])
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{app}/", router)


_register_routers()
