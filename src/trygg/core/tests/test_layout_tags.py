"""The layout's header written in Python (core.templatetags.trygg: main_navigation,
language_buttons, layout_url, layout_static) gives exactly the markup of the template code it
replaced: the layout is compared, byte for byte, with itself with each tag put back as the
template code it stands for, for every persona and in both languages."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from trygg.core.context_processors import navigation

pytestmark = pytest.mark.django_db

LAYOUT = Path(__file__).resolve().parents[1] / "templates" / "base.html"
# What each tag stands for, as the layout wrote it before.
NAVIGATION = """{% if user.is_authenticated and nav_items %}
      <button type="button" class="menu-toggle" aria-expanded="false" aria-controls="main-nav">{% translate "Menu" %}</button>
      <nav aria-label="{% translate 'Main' %}" class="main-nav" id="main-nav">
        <ul>
          {% for item in nav_items %}
          <li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
          {% endfor %}
        </ul>
        <ul class="secondary">
          {% for item in admin_nav_items %}
          <li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
          {% endfor %}
        </ul>
      </nav>
      {% endif %}"""
LANGUAGES = """{% get_available_languages as LANGUAGES %}
          {% for code, name in LANGUAGES %}{% if code != LANGUAGE_CODE %}
          <button type="submit" name="language" value="{{ code }}" class="link-button" lang="{{ code }}">{% if code == "sv" %}Svenska{% else %}English{% endif %}</button>
          {% endif %}{% endfor %}"""


def _as_template_code(source: str) -> str:
    assert source.count("{% main_navigation %}") == 1
    assert source.count("{% language_buttons %}") == 1
    source = source.replace("{% main_navigation %}", NAVIGATION)
    source = source.replace("{% language_buttons %}", LANGUAGES)
    source = re.sub(r"\{% layout_url ('[^']+') %\}", r"{% url \1 %}", source)
    source = re.sub(r"\{% layout_static ('[^']+') %\}", r"{% static \1 %}", source)
    assert "layout_" not in source
    return source.replace("{% load i18n %}", "{% load i18n static %}", 1)


REFERENCE = _as_template_code(LAYOUT.read_text(encoding="utf-8"))
# A page with blocks of its own, as the layout's children have.
CHILD = '{%% extends %s %%}{%% block title %%}Sida & "titel"{%% endblock %%}{%% block content %%}<p>innehåll</p>{%% endblock %%}'


def _request(user, path, *, verified=True):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get(path)
    request.user = user if user is not None else AnonymousUser()
    request.session = SessionStore()
    if user is not None and verified:  # signed in with the second factor where it is needed
        from trygg.core.twofactor import mark_session_verified

        mark_session_verified(request, "test")
    request._messages = FallbackStorage(request)
    return request


def _both(request, monkeypatch):
    # One CSRF token for both renders (each render masks it anew).
    monkeypatch.setattr("django.template.context_processors.get_token", lambda _r: "TOKEN")
    engine = engines["django"]
    reference = engine.from_string(CHILD % "reference").render(
        {"reference": engine.from_string(REFERENCE)}, request
    )
    now = get_template("base.html")
    page = engine.from_string(CHILD % "layout").render({"layout": now}, request)
    return reference, page


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("persona", "path"),
    [
        (None, "/logga-in/"),
        ("samordnare", "/"),
        ("samordnare", '/planer/?q=<b>&x="1"'),
        ("admin", "/personer/"),
        ("polis", "/lagesbild/"),
        ("rapportor", "/handelser/"),
        ("sspf", "/"),
    ],
)
def test_the_header_is_the_templates_markup(world, monkeypatch, language, persona, path):
    user = world.users[persona] if persona else None
    request = _request(user, path)
    with translation.override(language):
        reference, page = _both(request, monkeypatch)
    assert page == reference
    if persona:
        assert navigation(request)["nav_items"], "a signed-in persona has a navigation"
        assert 'id="main-nav"' in page
    assert f'lang="{"en" if language == "sv" else "sv"}"' in page


def test_no_navigation_before_the_second_step(world, monkeypatch):
    request = _request(world.users["admin"], "/", verified=False)
    with translation.override("sv"):
        reference, page = _both(request, monkeypatch)
    assert page == reference
    assert "main-nav" not in page
    assert "Logga ut" in page


def test_the_current_section_is_marked(world, monkeypatch):
    request = _request(world.users["samordnare"], "/planer/")
    with translation.override("sv"):
        reference, page = _both(request, monkeypatch)
    assert page == reference
    assert page.count('aria-current="page"') == 1
    assert 'href="/planer/" aria-current="page"' in page
