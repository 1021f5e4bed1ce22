"""The API answers bad input with a 4xx and a message, never a 500."""

from __future__ import annotations

import pytest

from trygg.core import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    _token, key = services.api_token_create(actor=world.users["samordnare"], name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def call(method: str, path: str, data=None, **params):
        kwargs = dict(headers)
        if method in ("post", "patch", "put"):
            kwargs["content_type"] = "application/json"
        response = getattr(client, method)(path, data if data is not None else params, **kwargs)
        return response

    return call


@pytest.mark.parametrize(
    "path",
    ["/api/places", "/api/areas", "/api/plans/plans", "/api/plans/measures"],
)
def test_a_huge_page_number_is_a_4xx(api, path):
    response = api("get", path, page=10**20)
    assert 400 <= response.status_code < 500, response.content
    response = api("get", path, page=2**62)
    assert response.status_code in (200, 422), response.content


def test_a_huge_id_in_a_filter_is_a_4xx(api):
    response = api("get", "/api/budget/fundings", budget_line=99999999999999999999)
    # SQLite cannot hold the number (422 with a reason); PostgreSQL compares it and finds none.
    assert response.status_code in (200, 422), response.content
    body = response.json()
    assert body["count"] == 0 if response.status_code == 200 else "detail" in body


def test_year_zero_on_population_is_a_4xx(api, world):
    response = api("get", "/api/stats/population", area_id=world.areas["Nacka"].pk, year=0)
    assert 400 <= response.status_code < 500, response.content


def test_a_null_for_a_required_text_is_a_4xx(api, world):
    from trygg.plans import services as plans

    plan = plans.plan_create(
        actor=world.users["samordnare"], organisation=world.organisations["nacka"], title="P"
    )
    response = api("patch", f"/api/plans/plans/{plan.pk}", {"decided_by": None})
    assert 400 <= response.status_code < 500, response.content
    assert "detail" in response.json()


def test_a_time_with_a_zone_is_a_4xx(api, world):
    response = api(
        "post",
        "/api/forums/forums",
        {
            "organisation_id": world.organisations["nacka"].pk,
            "name": "Veckoavstämning",
            "kind": "arbetsgrupp",
            "cadence_kind": "weekly",
            "cadence_weekday": 1,
            "cadence_time": "09:00:00+02:00",
        },
    )
    assert 400 <= response.status_code < 500, response.content
