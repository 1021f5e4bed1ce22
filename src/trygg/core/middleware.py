"""Request middleware of core."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_SESSION_KEY = "trygg_language"


def chosen_language(request: HttpRequest) -> str:
    """The language a person chose ("språk"): their setting, else Swedish.

    The browser's Accept-Language is not consulted: a Swedish user with an English browser still
    gets the Swedish interface. Before login, the language chosen on the login page (kept in the
    session) applies.
    """
    supported = {code for code, _name in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # No row yet raises RelatedObjectDoesNotExist, an AttributeError: the default applies.
        preferences = getattr(user, "preferences", None)
        language = preferences.language if preferences is not None else None
        return language if language in supported else settings.LANGUAGE_CODE
    language = request.session.get(LANGUAGE_SESSION_KEY) if hasattr(request, "session") else None
    return language if language in supported else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activate the person's chosen language for the request (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
