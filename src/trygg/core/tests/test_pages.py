"""Login, lock-out, the start page, lists with filters and exports, and the error pages."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from trygg.core.personas import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_swedish(client):
    page = client.get("/logga-in/")
    assert page.status_code == 200
    assert "Logga in" in page.content.decode()
    policy = page["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_pages_need_login(client):
    response = client.get(reverse("core:place_list"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_repeated_failed_logins_lock_the_account(world, client):
    for _ in range(5):
        client.post("/logga-in/", {"username": "samordnare", "password": "wrong"})
    response = client.post("/logga-in/", {"username": "samordnare", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_the_place_list_filters_sorts_and_exports_what_is_shown(world, login):
    c = login("samordnare")
    page = c.get(reverse("core:place_list"), {"q": "centrum", "sort": "-name"})
    body = page.content.decode()
    assert body.index("Älta centrum") < body.index("Fisksätra centrum")
    assert "Nacka Forum" not in body
    export = c.get(reverse("core:place_list"), {"q": "centrum", "sort": "-name", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [
        "Älta centrum",
        "Saltsjöbadens centrum",
        "Orminge centrum",
        "Fisksätra centrum",
    ]


def test_a_place_form_shows_swedish_errors_next_to_the_field(world, login):
    c = login("samordnare")
    response = c.post(
        reverse("core:place_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "area": world.areas["Boo"].pk,
            "name": "",
            "lat": "abc",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in body
    assert "Fyll i ett tal." in body


def test_english_is_available(world, login):
    c = login("samordnare")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get("/").content.decode()
    assert "Log out" in body and "Logga ut" not in body


def test_the_browser_language_does_not_decide(world, login):
    """A Swedish user with an English browser gets Swedish; before login too."""
    body = login("samordnare").get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Logga ut" in body and "Log out" not in body
    from django.test import Client

    anonymous = Client().get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="sv">' in anonymous.content.decode()


def test_the_chosen_language_is_remembered_as_the_users_setting(world, login):
    from trygg.core.models import AuditEntry, UserPreferences

    login("samordnare").post("/i18n/setlang/", {"language": "en", "next": "/"})
    user = world.users["samordnare"]
    assert UserPreferences.objects.get(user=user).language == "en"
    assert AuditEntry.objects.filter(object_id=str(user.preferences.pk), action="update").exists()
    # A new session (another browser) opens in English, whatever the browser says.
    body = login("samordnare").get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Log out" in body
    # Others are untouched.
    assert "Logga ut" in login("admin").get("/").content.decode()


def test_language_choice_refuses_unknown_languages_and_foreign_redirects(world, login):
    client = login("samordnare")
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not hasattr(world.users["samordnare"], "preferences") or (
        world.users["samordnare"].preferences.language == "sv"
    )


def test_unknown_pages_get_a_swedish_404(world, login):
    response = login("samordnare").get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


def test_make_run_serves_the_products_error_pages_not_djangos():
    """`make run` serves without DEBUG (own 404 page) and still serves static files."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    recipe = subprocess.run(
        ["make", "-n", "-W", "demo", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in recipe.splitlines() if "runserver" in line)
    assert "TRYGG_DEBUG=0" in serve and "--insecure" in serve


def test_empty_lists_say_what_to_do_first_and_link_to_it(world, login):
    """Värmdö has nothing yet: each list says what to do first, with the link to do it."""
    client = login("utomstaende")
    expectations = {
        "/planer/": ("Det finns inga planer ännu.", "/planer/ny/"),
        "/handelser/": ("Det finns inga händelserapporter ännu.", "/handelser/ny/"),
        "/samverkan/": ("Det finns inga forum ännu.", "/samverkan/ny/"),
        "/platser/": ("Det finns inga platser ännu.", "/platser/ny/"),
    }
    for url, (text, link) in expectations.items():
        body = client.get(url).content.decode()
        row = body.split('class="empty-row"', 1)[1].split("</tr>", 1)[0]
        assert text in row, url
        assert f'href="{link}' in row, url
    filtered = client.get("/planer/", {"q": "finns inte"}).content.decode()
    assert "Inget matchar filtren." in filtered and "Rensa filtren" in filtered


def test_the_reporters_start_page_leads_to_a_new_report_and_links_no_404(world, login):
    from django.urls import reverse

    body = login("rapportor").get("/").content.decode()
    assert f'href="{reverse("incidents:report_create")}"' in body
    assert "button--large" in body
    nacka = world.organisations["nacka"]
    assert reverse("core:organisation_detail", args=[nacka.pk]) not in body
    assert (
        login("rapportor").get(reverse("core:organisation_detail", args=[nacka.pk])).status_code
        == 404
    )
    # The coordinator still gets the link to the organisation.
    assert (
        reverse("core:organisation_detail", args=[nacka.pk])
        in login("samordnare").get("/").content.decode()
    )
