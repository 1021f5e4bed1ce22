"""The forums API: lists with the pages' filters and pagination, detail, create, update and
decision status; out of scope is a 404; bad input a 422 with a Swedish message."""

import datetime as dt

import pytest

from trygg.forums.models import Decision, Forum, Meeting

pytestmark = pytest.mark.django_db


def test_the_forum_list_takes_the_page_filters_and_is_paginated(data, login):
    c = login("samordnare")
    body = c.get("/api/forums/forums", {"kind": "arbetsgrupp"}).json()
    assert body["count"] == 2
    assert {item["name"] for item in body["items"]} == {
        "Trygg och säker Älta",
        "Trygg och säker Boo",
    }
    alta = next(i for i in body["items"] if i["name"] == "Trygg och säker Älta")
    assert alta["member_organisation_ids"] == [data.lpo.pk]
    assert alta["cadence_label"] == "6 per år"
    assert c.get("/api/forums/forums", {"page": 2}).status_code in (200, 404)


def test_the_alta_member_lists_only_the_alta_forum_and_gets_404_for_boo(data, login):
    c = login("arbetsgrupp")
    assert [f["name"] for f in c.get("/api/forums/forums").json()["items"]] == [
        "Trygg och säker Älta"
    ]
    assert c.get(f"/api/forums/forums/{data.boo.pk}").status_code == 404
    assert c.get(f"/api/forums/meetings/{data.boo_meeting.pk}").status_code == 404
    assert c.get(f"/api/forums/decisions/{data.boo_decision.pk}").status_code == 404


def test_the_yearly_counts_come_from_the_api_too(data, login):
    years = login("polis").get(f"/api/forums/forums/{data.alta.pk}/years").json()
    y2023 = next(y for y in years if y["year"] == 2023)
    assert (y2023["held"], y2023["expected"], y2023["decisions_open"]) == (1, 6, 1)
    assert y2023["text"] == "Trygg och säker Älta: 1 av 6 möten 2023"


def test_a_forum_meeting_and_decision_are_created_and_updated(data, login):
    c = login("samordnare")
    forum = c.post(
        "/api/forums/forums",
        {
            "organisation_id": data.nacka.pk,
            "name": "SSPF-forum",
            "kind": "sspf",
            "area_id": data.world.areas["Nacka"].pk,
            "member_organisation_ids": [data.lpo.pk],
            "cadence_kind": "per_year",
            "cadence_count": 12,
        },
        content_type="application/json",
    )
    assert forum.status_code == 201, forum.content
    forum_id = forum.json()["id"]
    patched = c.patch(
        f"/api/forums/forums/{forum_id}",
        {"cadence_text": "en gång per månad"},
        content_type="application/json",
    ).json()
    assert patched["cadence_label"] == "en gång per månad"
    meeting = c.post(
        "/api/forums/meetings",
        {
            "forum_id": forum_id,
            "starts_at": "2024-02-08T13:00:00+01:00",
            "location": "Stadshuset",
            "agenda": "<p>Lägesbild</p><script>x</script>",
            "participant_ids": [data.users["polis"].pk],
            "represented_organisation_ids": [data.lpo.pk],
        },
        content_type="application/json",
    )
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["agenda"] == "<p>Lägesbild</p>"
    meeting_id = meeting.json()["id"]
    held = c.patch(
        f"/api/forums/meetings/{meeting_id}", {"status": "held"}, content_type="application/json"
    )
    assert held.json()["status"] == "held"
    decision = c.post(
        "/api/forums/decisions",
        {
            "meeting_id": meeting_id,
            "text": "Bjuda in skolorna i Älta.",
            "due_date": "2024-03-01",
            "owner_user_id": data.users["polis"].pk,
            "owner_organisation_id": data.lpo.pk,
            "measure_ids": [data.measure.pk],
        },
        content_type="application/json",
    )
    assert decision.status_code == 201, decision.content
    body = decision.json()
    assert body["measure_ids"] == [data.measure.pk] and body["forum_id"] == forum_id
    updated = c.patch(
        f"/api/forums/decisions/{body['id']}",
        {"due_date": "2024-04-01"},
        content_type="application/json",
    ).json()
    assert updated["due_date"] == "2024-04-01"
    done = login("polis").post(
        f"/api/forums/decisions/{body['id']}/status",
        {"status": "done", "note": "Genomfört"},
        content_type="application/json",
    )
    assert done.json()["status"] == "done" and done.json()["completed_on"]


def test_the_decision_list_filters_open_overdue_and_status(data, login):
    c = login("samordnare")
    assert c.get("/api/forums/decisions").json()["count"] == 2
    assert (
        c.get("/api/forums/decisions", {"overdue": "true", "forum": data.alta.pk}).json()["count"]
        == 1
    )
    c.post(
        f"/api/forums/decisions/{data.boo_decision.pk}/status",
        {"status": "struck"},
        content_type="application/json",
    )
    assert c.get("/api/forums/decisions").json()["count"] == 1
    assert c.get("/api/forums/decisions", {"status": "struck"}).json()["count"] == 1
    assert c.get("/api/forums/decisions", {"status": "all"}).json()["count"] == 2


def test_a_decision_owner_outside_the_partnership_is_a_422_in_swedish(data, login):
    varmdo = data.world.organisations["varmdo"]
    before = Decision.objects.count()
    response = login("samordnare").post(
        "/api/forums/decisions",
        {
            "meeting_id": data.alta_meeting.pk,
            "text": "x",
            "due_date": "2024-03-01",
            "owner_organisation_id": varmdo.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "samverkan" in response.json()["detail"]["owner_organisation"][0]
    assert Decision.objects.count() == before


def test_writes_to_a_forum_out_of_scope_are_a_404_and_write_nothing(data, login):
    before = (Meeting.objects.count(), Forum.objects.count())
    c = login("arbetsgrupp")
    assert (
        c.post(
            "/api/forums/meetings",
            {"forum_id": data.boo.pk, "starts_at": "2024-02-08T13:00:00+01:00"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        login("polis")
        .patch(f"/api/forums/forums/{data.alta.pk}", {"name": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        login("utomstaende")
        .post(
            f"/api/forums/forums/{data.alta.pk}/series",
            {"start": "2024-01-01", "until": "2024-12-31"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert (Meeting.objects.count(), Forum.objects.count()) == before


def test_an_attachment_is_uploaded_and_refused_by_type(data, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trygg.forums.tests.conftest import PNG

    c = login("samordnare")
    url = f"/api/forums/meetings/{data.alta_empty_meeting.pk}/attachments"
    ok = c.post(url, {"file": SimpleUploadedFile("karta.png", PNG)})
    assert ok.status_code == 201 and ok.json()["name"] == "karta.png"
    assert c.get(ok.json()["url"]).status_code == 200
    bad = c.post(url, {"file": SimpleUploadedFile("skript.js", b"alert(1)")})
    assert bad.status_code == 422
    assert "Filtypen är inte tillåten" in bad.json()["detail"]["file"][0]


def test_anonymous_api_calls_need_a_token(data, client):
    assert client.get("/api/forums/forums").status_code == 401


def test_planning_a_series_via_the_api_is_idempotent(data, login):
    c = login("arbetsgrupp")
    url = f"/api/forums/forums/{data.alta.pk}/series"
    first = c.post(
        url, {"start": "2024-01-01", "until": "2024-12-31"}, content_type="application/json"
    )
    again = c.post(
        url, {"start": "2024-01-01", "until": "2024-12-31"}, content_type="application/json"
    )
    assert (len(first.json()), len(again.json())) == (6, 0)
    assert dt.date.fromisoformat(first.json()[0]["starts_at"][:10]) == dt.date(2024, 1, 10)


def test_a_meeting_with_decisions_is_not_deleted_via_the_api(data, login):
    c = login("samordnare")
    response = c.delete(f"/api/forums/meetings/{data.alta_meeting.pk}")
    assert response.status_code == 422
    assert "kan inte tas bort" in response.json()["detail"]["__all__"][0]
    assert c.delete(f"/api/forums/meetings/{data.alta_empty_meeting.pk}").status_code == 204
    assert not Meeting.objects.filter(pk=data.alta_empty_meeting.pk).exists()


def test_a_decision_creates_a_linked_measure_via_the_api(data, login):
    response = login("arbetsgrupp").post(
        f"/api/forums/decisions/{data.alta_decision.pk}/measures",
        {"plan_id": data.plan.pk, "title": "Belysning vid Älta centrum"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    measure_id = response.json()["id"]
    assert set(data.alta_decision.measures.values_list("pk", flat=True)) == {
        data.measure.pk,
        measure_id,
    }
    # The police see the plan but may not add to it: the plan is out of their reach.
    assert (
        login("polis")
        .post(
            f"/api/forums/decisions/{data.alta_decision.pk}/measures",
            {"plan_id": data.plan.pk, "title": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
