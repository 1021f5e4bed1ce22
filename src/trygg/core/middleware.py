"""Request middleware of core."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_SESSION_KEY = "trygg_language"
# The signed-in person's setting, read once at sign-in: {"user": pk, "language": code}.
USER_LANGUAGE_SESSION_KEY = "trygg_user_language"


def _users_setting(user) -> str | None:
    from trygg.core.models import UserPreferences

    return (
        UserPreferences.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    )


def remember_language(request: HttpRequest, user, language: str | None) -> None:
    """Keep the person's setting in their session, so that a page does not read it again."""
    session = getattr(request, "session", None)
    if session is not None:
        session[USER_LANGUAGE_SESSION_KEY] = {"user": user.pk, "language": language}


def remember_language_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: every new session starts with the person's setting."""
    if request is not None:
        remember_language(request, user, _users_setting(user))


def chosen_language(request: HttpRequest) -> str:
    """The language a person chose ("språk"): their setting, else Swedish.

    The browser's Accept-Language is not consulted: a Swedish user with an English browser still
    gets the Swedish interface. Before login, the language chosen on the login page (kept in the
    session) applies.

    The setting is read at sign-in and kept in the session (changing it updates the session of
    the request that changes it), so that no page pays a query for it. Another open session of
    the same person takes a change made elsewhere at its next sign-in.
    """
    supported = {code for code, _name in settings.LANGUAGES}
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is not None and user.is_authenticated:
        state = session.get(USER_LANGUAGE_SESSION_KEY) if session is not None else None
        if isinstance(state, dict) and state.get("user") == user.pk:
            language = state.get("language")
        else:  # a session from before the setting was kept there, or no session (API)
            language = _users_setting(user)
            remember_language(request, user, language)
        return language if language in supported else settings.LANGUAGE_CODE
    language = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
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


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a logged-in person.

    Pages and exports of a logged-in user hold data that must not stay in a shared browser's
    cache or a proxy. Static files and the anonymous login page may be cached.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class CleanInputMiddleware:
    """Form input without control characters, for every form at once.

    A control character (``\\x0b`` and the like) has no place in any text Trygg keeps, and
    one stored is one that every XLSX export must work around. Tab and line breaks stay.
    The API cleans its JSON bodies the same way (``trygg.api.CleanParser``).
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"POST", "PUT", "PATCH"} and request.content_type in self.FORM_TYPES:
            from trygg.core.imports import clean_text

            cleaned = request.POST.copy()
            for key in list(cleaned):
                cleaned.setlist(key, [clean_text(v) for v in cleaned.getlist(key)])
            cleaned._mutable = False
            # The stubs type POST as immutable; this one is, once cleaned (_mutable above).
            request.POST = cleaned  # type: ignore[assignment]
        return self.get_response(request)
