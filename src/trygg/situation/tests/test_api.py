"""The lägesbild API: the same figures as the pages, small counts suppressed for partners,
bad filters answered with 422 and a Swedish reason."""

from __future__ import annotations

import pytest

from trygg.situation.selectors import last_complete_week, week_param


@pytest.fixture
def week_of_three(world):
    from trygg.incidents.services import categories_ensure_defaults
    from trygg.situation.tests.test_selectors import add, at

    nacka = world.organisations["nacka"]
    categories_ensure_defaults(nacka)
    week = last_complete_week()
    add(nacka, world.places["Älta centrum"], "Klotter", [at(week, 1), at(week, 2), at(week, 3)])
    return week


def test_the_weekly_picture_api_gives_counts_and_places_to_the_coordinator(
    world, week_of_three, login
):
    data = login("samordnare").get("/api/situation/weekly").json()
    assert data["week"] == week_param(week_of_three)
    assert data["total"] == {"value": 3, "label": "3"}
    assert data["meta"]["detail"] is True
    assert data["meta"]["generated"] == 3
    assert data["focus_places"][0]["name"] == "Älta centrum"
    assert data["rows"][0] == {
        "area": "Älta",
        "category": "Klotter",
        "count": {"value": 3, "label": "3"},
        "mean": 0.0,
        "flagged": True,
    }
    assert "Poisson" in data["rule"]


def test_the_partner_gets_suppressed_counts_and_no_places(world, week_of_three, login):
    client = login("polis")
    data = client.get("/api/situation/weekly").json()
    assert data["meta"]["organisation"] == "Nacka kommun"
    assert data["total"] == {"value": None, "label": "<5"}
    assert data["focus_places"] is None and data["quarter_top"] is None
    assert not any(row["flagged"] for row in data["rows"])
    places = client.get("/api/situation/places").json()
    assert places["places"] is None
    assert {a["count"]["label"] for a in places["areas"]} <= {"0", "<5"}
    cells = client.get("/api/situation/time-of-week").json()["cells"]
    assert len(cells) == 168
    assert all(c["reports"]["value"] in (0, None) for c in cells)
    assert client.get("/api/situation/map").json()["points"] == []


def test_the_time_of_week_api_adds_up_to_the_total(world, generated, login):
    data = login("samordnare").get("/api/situation/time-of-week").json()
    assert sum(c["reports"]["value"] for c in data["cells"]) == data["total"]["value"] > 0


def test_bad_filters_are_422_with_a_swedish_reason(world, login):
    client = login("samordnare")
    response = client.get("/api/situation/weekly", {"week": "vecka 12"})
    assert response.status_code == 422
    assert "2024-W12" in str(response.json()["detail"]["week"])
    response = client.get("/api/situation/places", {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"]["end"]


def test_the_picture_api_lists_problems_with_their_analysis_and_measures(world, picture, login):
    client = login("samordnare")
    pictures = client.get("/api/situation/pictures").json()
    assert [p["title"] for p in pictures] == ["Lägesbild 2024 – Nacka kommun"]
    detail = client.get(f"/api/situation/pictures/{picture.pk}").json()
    titles = [p["title"] for p in detail["problems"]]
    assert titles[0] == "Bedrägerier mot äldre" and len(titles) == 4
    assert [p["status"] for p in detail["problems"]] == ["aktivt", "aktivt", "aktivt", "lost"]
    assert detail["diarienummer"] == "KFKS-2024-00431" and detail["plan_id"] == picture.plan_id
    first = detail["problems"][0]
    assert first["has_cause_analysis"] and "individual" in first["causes"]
    assert first["has_measure"] is True  # the åtgärdsplan's measures address it
    problem = client.get(f"/api/situation/problems/{first['id']}").json()
    assert problem["victim"].startswith("Äldre")
