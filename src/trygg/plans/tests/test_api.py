"""The plans API: lists with filters and pagination, detail with roll-up, writes, status."""

import json

import pytest
from django.test import Client

from trygg.core.models import AuditEntry
from trygg.core.services import api_token_create
from trygg.plans import importers, services
from trygg.plans.models import Measure, MeasureStatus, StatusUpdate
from trygg.plans.tests.test_import import import_seed


@pytest.fixture
def plan(world):
    return import_seed(world).plan


def token_client(world, username="samordnare") -> Client:
    _token, key = api_token_create(actor=world.users[username], name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_plan_detail_has_the_rollup(world, plan):
    body = token_client(world).get(f"/api/plans/plans/{plan.pk}").json()
    assert body["title"] == plan.title
    assert body["partner_organisation_ids"] == [world.organisations["lpo_nacka"].pk]
    assert body["rollup"]["activities"] == 27
    assert body["rollup"]["measures"] == 28
    assert body["rollup"]["activity_summary"] == (
        "27 aktiviteter: 0 slutförda, 0 pågående, 27 ej påbörjade"
    )


def test_measures_are_filtered_and_paginated(world, plan):
    client = token_client(world)
    first = client.get("/api/plans/measures", {"plan": plan.pk, "page": 1}).json()
    assert first["count"] == 28
    assert len(first["items"]) == 28
    assert [m["title"] for m in first["items"]][:2] == [
        "Avhopparverksamhet",
        "Ökad socialisering (Social resistens)",
    ]
    sspf = client.get("/api/plans/measures", {"q": "riskzon", "plan": plan.pk}).json()
    assert {m["title"] for m in sspf["items"]} >= {"SSPF"}
    polis = client.get("/api/plans/measures", {"responsible": "Alkoholhandläggare"}).json()
    assert sorted(m["title"] for m in polis["items"]) == ["Krogkontroller", "Tobakstillsyner"]
    activities = client.get("/api/plans/activities", {"plan": plan.pk}).json()
    assert activities["count"] == 27
    focus_areas = client.get("/api/plans/focus-areas", {"plan": plan.pk}).json()
    assert [f["title"] for f in focus_areas["items"]][0] == "Områden med kriminell påverkan"


def test_setting_a_status_through_the_api_is_on_the_timeline_and_in_the_history(world, plan):
    client = token_client(world, "polis")
    measure = plan.measures.get(title="Krogkontroller")
    done = MeasureStatus.objects.get(organisation=plan.organisation, category="done")
    response = client.post(
        f"/api/plans/measures/{measure.pk}/status",
        data=json.dumps({"status_id": done.pk, "note": "Två kontroller gjorda."}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["author_id"] == world.users["polis"].pk
    timeline = client.get(f"/api/plans/measures/{measure.pk}/timeline").json()
    assert timeline[0]["note"] == "Två kontroller gjorda."
    entry = AuditEntry.objects.filter(object_id=str(measure.pk), action="status").get()
    assert entry.actor == world.users["polis"]
    assert entry.changes["status"] == ["Ej påbörjad", "Slutförd"]
    detail = client.get(f"/api/plans/measures/{measure.pk}").json()
    assert detail["status_category"] == "done"
    assert detail["effective_progress"] == 100


def test_a_status_of_another_organisation_is_refused(world, plan):
    other = services.statuses_ensure_defaults(world.organisations["varmdo"])[0]
    measure = plan.measures.first()
    response = token_client(world).post(
        f"/api/plans/measures/{measure.pk}/status",
        data=json.dumps({"status_id": other.pk}),
        content_type="application/json",
    )
    # Not one of the plan's statuses: as if it did not exist, naming the field.
    assert response.status_code == 404
    assert "status_id" in response.json()["detail"]
    assert not StatusUpdate.objects.exists()


def test_a_measure_is_created_and_updated(world, plan):
    client = token_client(world)
    activity = plan.activities.get(title="Trygghetsvandringar")
    response = client.post(
        "/api/plans/measures",
        data=json.dumps(
            {
                "plan_id": plan.pk,
                "activity_id": activity.pk,
                "title": "Vandring i Älta",
                "responsibles": [{"label": "Kommun", "unit": "Brå"}, {"label": "Polis"}],
                "area_ids": [world.areas["Älta"].pk],
                "prevention_type": "situationell",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "Ej påbörjad"
    assert [r["display"] for r in body["responsibles"]] == ["Kommun/Brå", "Polis"]
    assert body["responsibles"][1]["organisation_id"] == world.organisations["lpo_nacka"].pk
    patched = client.patch(
        f"/api/plans/measures/{body['id']}",
        data=json.dumps(
            {"target_group": "Boende", "ends_on": "2022-01-01", "starts_on": "2023-01-01"}
        ),
        content_type="application/json",
    )
    assert patched.status_code == 422
    assert "Åtgärden kan inte sluta innan den börjar." in json.dumps(
        patched.json(), ensure_ascii=False
    )
    assert Measure.objects.get(pk=body["id"]).target_group == ""


def test_the_api_refuses_an_area_of_another_organisation(world, plan):
    from trygg.core import services as core_services

    varmdo_area = core_services.area_create(
        actor=None,
        organisation=world.organisations["varmdo"],
        kind="kommundel",
        name="Gustavsberg",
        parent=world.areas["Nacka"],
    )
    measure = plan.measures.first()
    response = token_client(world).patch(
        f"/api/plans/measures/{measure.pk}",
        data=json.dumps({"area_ids": [varmdo_area.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert "area_ids" in response.json()["detail"]
    assert not measure.areas.exists()


def test_a_plan_is_created_with_a_valid_reference_number_only(world):
    client = token_client(world)
    bad = client.post(
        "/api/plans/plans",
        data=json.dumps(
            {
                "organisation_id": world.organisations["nacka"].pk,
                "title": "Åtgärdsplan",
                "kind": "atgardsplan",
                "diarienummer": "KS 2024",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "diarienummer" in bad.json()["detail"]
    good = client.post(
        "/api/plans/plans",
        data=json.dumps(
            {
                "organisation_id": world.organisations["nacka"].pk,
                "title": "Åtgärdsplan",
                "kind": "atgardsplan",
                "diarienummer": "KFKS-2024-00431",
            }
        ),
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["rollup"]["measures"] == 0


def test_the_area_limited_member_sees_only_measures_in_their_areas_or_without_area(world, plan):
    user = world.users["samordnare"]
    alta = plan.measures.get(title="Krogkontroller")
    boo = plan.measures.get(title="Tobakstillsyner")
    services.measure_update(actor=user, measure=alta, areas=[world.areas["Älta"]])
    services.measure_update(actor=user, measure=boo, areas=[world.areas["Boo"]])
    body = token_client(world, "arbetsgrupp").get("/api/plans/measures", {"plan": plan.pk}).json()
    titles = {m["title"] for m in body["items"]}
    assert body["count"] == 27
    assert "Krogkontroller" in titles and "Tobakstillsyner" not in titles
    rollup = token_client(world, "arbetsgrupp").get(f"/api/plans/plans/{plan.pk}").json()
    assert rollup["rollup"]["measures"] == 27


def test_rows_import_refuses_a_change_by_someone_who_may_only_view(world, plan):
    user = world.users["polis"]
    measure = plan.measures.get(title="Arbetsgrupperna Trygg och säker (4 st, á 6ggr/år)")
    measure.responsibles.filter(label="Polis").delete()
    rows = [(2, {"id": str(measure.pk), "status": "Slutförd"})]
    with pytest.raises(importers.ImportRejected) as error:
        importers.import_measure_rows(actor=user, plan=plan, rows=rows)
    assert error.value.messages == [f"Rad 2: du får inte ändra åtgärden med id {measure.pk}."]
