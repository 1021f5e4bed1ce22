"""The API: token authentication, scope, filters, pagination and Swedish validation errors."""

import pytest

from trygg.core import services
from trygg.core.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_for(world):
    def _token(username):
        _obj, key = services.api_token_create(actor=world.users[username], name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return _token


def test_it_refuses_requests_without_credentials(client, world):
    assert client.get("/api/places").status_code == 401
    assert client.get("/api/places", HTTP_AUTHORIZATION="Bearer trygg_forged").status_code == 401


def test_a_token_sees_its_own_scope_only(client, world, token_for):
    nacka = client.get("/api/places", **token_for("samordnare")).json()
    assert nacka["count"] == 8
    other = client.get("/api/places", **token_for("utomstaende")).json()
    assert other == {"items": [], "count": 0}
    place = world.places["Fisksätra centrum"]
    assert client.get(f"/api/places/{place.pk}", **token_for("utomstaende")).status_code == 404


def test_lists_filter_and_paginate(client, world, token_for):
    response = client.get(
        "/api/places", {"q": "centrum", "page_size": 2}, **token_for("samordnare")
    )
    body = response.json()
    assert body["count"] == 4 and len(body["items"]) == 2


def test_create_and_update_go_through_services_with_audit(client, world, token_for):
    headers = token_for("samordnare")
    response = client.post(
        "/api/places",
        {
            "organisation_id": world.organisations["nacka"].pk,
            "area_id": world.areas["Boo"].pk,
            "name": "Orminge bussterminal",
            "lat": 59.328,
            "lon": 18.256,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    place_id = response.json()["id"]
    response = client.patch(
        f"/api/places/{place_id}",
        {"description": "Bytespunkt"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert Place.objects.get(pk=place_id).description == "Bytespunkt"
    from trygg.core.models import AuditEntry

    assert (
        AuditEntry.objects.filter(content_type__model="place", object_id=str(place_id)).count() == 2
    )


def test_it_refuses_a_write_into_another_kommun(client, world, token_for):
    response = client.post(
        "/api/places",
        {
            "organisation_id": world.organisations["nacka"].pk,
            "area_id": world.areas["Boo"].pk,
            "name": "X",
        },
        content_type="application/json",
        **token_for("utomstaende"),
    )
    assert response.status_code == 404
    assert not Place.objects.filter(name="X").exists()


def test_a_duplicate_name_gets_a_swedish_422(client, world, token_for):
    response = client.post(
        "/api/places",
        {
            "organisation_id": world.organisations["nacka"].pk,
            "area_id": world.areas["Boo"].pk,
            "name": "Nacka Forum",
        },
        content_type="application/json",
        **token_for("samordnare"),
    )
    assert response.status_code == 422
    assert "Organisationen har redan en plats med det namnet." in str(response.json())


def test_the_openapi_document_is_served(client, world, login):
    response = login("samordnare").get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/places" in response.json()["paths"]


def test_reads_record_the_token_use_at_most_once_a_minute(client, world):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.core.models import ApiToken

    token, key = services.api_token_create(actor=world.users["samordnare"], name="loop")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/places", **auth).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/places", **auth).status_code == 200
    writes = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    assert client.get("/api/places", **auth).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - dt.timedelta(minutes=1)
