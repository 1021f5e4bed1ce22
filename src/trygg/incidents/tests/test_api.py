"""The incidents API: filing with the personal-data check, filters shared with the page."""

from __future__ import annotations

import pytest

from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db


def _payload(world, categories, description):
    return {
        "category_id": categories["Klotter"].pk,
        "occurred_at": when(1, 20, 0).isoformat(),
        "place_id": world.places["Fisksätra centrum"].pk,
        "assessment": 2,
        "description": description,
    }


def test_the_api_refuses_a_description_with_a_valid_personnummer(world, categories, login):
    response = login("rapportor").post(
        "/api/incidents/reports",
        _payload(world, categories, "Personen 198112189876 sprejade"),
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]["description"][0]
    assert "personnummer" in detail and "9876" not in detail
    assert not IncidentReport.objects.exists()


def test_the_api_accepts_a_ten_digit_number_that_fails_luhn(world, categories, login):
    response = login("rapportor").post(
        "/api/incidents/reports",
        _payload(world, categories, "Ärende 8112189875 hos vaktbolaget"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["description"] == "Ärende 8112189875 hos vaktbolaget"
    assert body["area"] == "Fisksätra/Saltsjöbaden" and body["detail"] is True


def test_the_api_refuses_a_naive_time_and_a_bad_assessment(world, categories, login):
    client = login("rapportor")
    payload = _payload(world, categories, "")
    payload["occurred_at"] = "2024-03-25T21:30"
    assert (
        client.post("/api/incidents/reports", payload, content_type="application/json").status_code
        == 422
    )
    payload = _payload(world, categories, "")
    payload["assessment"] = 9
    assert (
        client.post("/api/incidents/reports", payload, content_type="application/json").status_code
        == 422
    )
    assert not IncidentReport.objects.exists()


def test_the_api_filters_like_the_page(world, reports, login):
    client = login("samordnare")
    boo = world.areas["Boo"].pk
    items = client.get(f"/api/incidents/reports?area={boo}").json()["items"]
    assert [i["id"] for i in items] == [reports["boo"].pk]
    items = client.get("/api/incidents/reports?assessment=1").json()["items"]
    assert [i["id"] for i in items] == [reports["alta"].pk]
    nacka = world.areas["Nacka"].pk  # a kommun includes its kommundelar
    assert len(client.get(f"/api/incidents/reports?area={nacka}").json()["items"]) == 3
    response = client.get("/api/incidents/reports?since=2024-05-01&until=2024-04-01")
    assert response.status_code == 422


def test_the_api_reviews_and_links_a_measure_only_when_asked(world, reports, login):
    client = login("samordnare")
    report = reports["boo"]
    response = client.post(
        f"/api/incidents/reports/{report.pk}/review",
        {"status": "granskad", "note": "Belysningen anmäld till gatuenheten."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "granskad"
    response = client.post(
        f"/api/incidents/reports/{report.pk}/review",
        {"status": "ny_status"},
        content_type="application/json",
    )
    assert response.status_code == 422
    report.refresh_from_db()
    assert report.status == "granskad"


def test_the_api_refuses_an_overlong_description_and_a_foreign_area(world, categories, login):
    client = login("rapportor")
    payload = _payload(world, categories, "x" * 2001)
    response = client.post("/api/incidents/reports", payload, content_type="application/json")
    assert response.status_code == 422
    assert "2000" in response.json()["detail"]["description"][0]
    payload = _payload(world, categories, "")
    del payload["place_id"]
    payload["area_id"] = world.organisations["varmdo"].area_id
    response = client.post("/api/incidents/reports", payload, content_type="application/json")
    assert response.status_code == 422
    assert "area" in response.json()["detail"]
    assert not IncidentReport.objects.exists()


def test_the_api_files_a_likely_name_with_a_warning_and_a_device_key_once(world, categories, login):
    client = login("rapportor")
    payload = {**_payload(world, categories, "Kalle Andersson klottrade."), "client_key": "k-1"}
    first = client.post("/api/incidents/reports", payload, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["warnings"] == [
        "Texten kan innehålla ett namn (K…). Kontrollera att ingen person kan identifieras."
    ]
    again = client.post("/api/incidents/reports", payload, content_type="application/json")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert IncidentReport.objects.count() == 1
