"""The Ninja API root. Each app adds its router from <app>/api.py.

Authentication is a personal API token (``Authorization: Bearer trygg_…``) or the browser
session. Every endpoint reads through restrict(), so an object out of scope is a 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from trygg.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Trygg API",
    version="1",
    description="Trygg – brottsförebyggande och trygghetsskapande arbete.",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
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


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _register_routers() -> None:
    from trygg.core.api import router as core_router

    api.add_router("/", core_router)
    for app in ["plans", "forums", "budget", "incidents", "stats", "situation", "cases", "reports"]:
        module = __import__(f"trygg.{app}.api", fromlist=["router"])
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{app}/", router)


_register_routers()
