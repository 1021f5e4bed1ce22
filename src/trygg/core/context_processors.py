"""The navigation, built once here for every page, showing only what the user may use."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from trygg.core.access import MANAGE, REPORT, VIEW, scope_for

# (key, label, url name, needed action, optional dotted check(user) -> bool)
NAVIGATION = [
    ("home", _("Start"), "core:home", None, None),
    ("situation", _("Situation picture"), "situation:overview", VIEW, None),
    ("plans", _("Plans"), "plans:plan_list", VIEW, None),
    ("register", _("Measures"), "register:index", VIEW, None),
    ("forums", _("Collaboration"), "forums:forum_list", VIEW, None),
    ("budget", _("Budget"), "budget:budget_list", VIEW, None),
    ("incidents", _("Incident reports"), "incidents:report_list", REPORT, None),
    ("stats", _("Statistics"), "stats:series_list", VIEW, None),
    ("cases", _("Youth coordination"), "cases:case_list", None, "trygg.cases.access.can_use_cases"),
    ("reports", _("Reports"), "reports:index", VIEW, None),
]
ADMIN_NAVIGATION = [
    ("people", _("People"), "core:people", MANAGE, None),
    ("organisations", _("Organisations"), "core:organisation_list", VIEW, None),
    ("areas", _("Areas"), "core:area_list", VIEW, None),
    ("places", _("Places"), "core:place_list", VIEW, None),
    ("audit", _("Audit log"), "core:audit_log", MANAGE, None),
    ("case_roles", _("Case roles"), "cases:case_roles", MANAGE, None),
    ("tokens", _("API tokens"), "core:api_tokens", None, None),
    ("two_factor", _("Two-factor authentication"), "core:two_factor", None, None),
]


# The pages the layout (base.html) links to on every page, beside the sections.
LAYOUT_URLS = ("core:home", "set_language", "logout")

_URLS: dict[tuple[object, ...], dict[str, str | None]] = {}


def _urls() -> dict[str, str | None]:
    """The addresses of the sections under the current URL configuration and script prefix
    (None: not built), reversed once for each rather than on every page: the navigation has
    no argument in its URLs."""
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf

    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    found = _URLS.get(key)
    if found is None:
        found = {}
        names = [entry[2] for entry in NAVIGATION + ADMIN_NAVIGATION] + list(LAYOUT_URLS)
        for url_name in names:
            try:
                found[url_name] = reverse(url_name)
            except NoReverseMatch:
                found[url_name] = None  # the section is not built yet
        _URLS[key] = found
    return found


def _url(url_name: str) -> str | None:
    """The address of a section (None: not built), see :func:`_urls`."""
    return _urls()[url_name]


def layout_url(url_name: str) -> str:
    """The address of a page the layout links to (``LAYOUT_URLS``), as ``{% url %}`` gives
    it; any other name is reversed."""
    url = _urls().get(url_name)
    return url if url is not None else reverse(url_name)


def _items(request, entries):
    user = request.user
    scope = scope_for(user)
    urls = _urls()
    allowed: dict[str, bool] = {}  # whether the user may do an action anywhere
    path = request.path
    items = []
    for key, label, url_name, action, check in entries:
        if action is not None and not scope.is_superuser:
            if action not in allowed:
                allowed[action] = bool(scope.organisation_ids(action))
            if not allowed[action]:
                continue
        if check is not None:
            try:
                if not import_string(check)(user):
                    continue
            except ImportError:
                continue
        url = urls[url_name]
        if url is None:
            continue  # the section is not built yet
        current = path == url or (url != "/" and path.startswith(url))
        items.append({"key": key, "label": label, "url": url, "current": current})
    return items


def nav_items(request):
    return _items(request, NAVIGATION)


def single_sign_on() -> dict:
    from django.conf import settings

    if not settings.TRYGG_OIDC_ENABLED:
        return {}
    return {"sso_label": settings.TRYGG_OIDC_LOGIN_LABEL or _("Log in with your kommun account")}


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "admin_nav_items": [], **single_sign_on()}
    from trygg.core.twofactor import must_verify, session_is_verified

    if not session_is_verified(request) and must_verify(request.user):
        return {"nav_items": [], "admin_nav_items": []}  # nothing to reach before the second step
    return {"nav_items": nav_items(request), "admin_nav_items": _items(request, ADMIN_NAVIGATION)}
