"""Pages of the law's chain: the checklist, the samordningsfunktion, sources, a problem's
status and the measures by problem; who may see and change them."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.models import AuditEntry
from trygg.situation.choices import ProblemStatus
from trygg.situation.models import CoordinationFunction, PictureSource, Problem


@pytest.fixture
def nacka(world):
    return world.organisations["nacka"]


def test_the_checklist_page_names_the_law_and_links_the_evidence(picture, login, nacka):
    response = login("samordnare").get(f"/lagesbild/lag/?organisation={nacka.pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "2023:196" in text
    assert picture.get_absolute_url() in text
    checklist = response.context["checklist"]
    assert checklist.item("picture_exists").met
    assert checklist.item("coordination_function").met
    assert checklist.item("plan_decided").met  # the demo's åtgärdsplan, decided by KF


def test_the_checklist_is_404_for_another_kommun(picture, login, nacka):
    assert login("utomstaende").get(f"/lagesbild/lag/?organisation={nacka.pk}").status_code == 404


def test_the_picture_page_shows_sources_areas_and_problem_places(picture, login):
    response = login("samordnare").get(picture.get_absolute_url())
    text = response.content.decode()
    assert "Sammanfattning av medarbetardialoger" in text
    assert "Samverkanspartners bild: lokalpolisområde Nacka" in text
    assert "Problemplatser" in text
    assert "Borttagna från listan" in text
    assert "Öppen drogscen vid Saltsjöbadens centrum" in text
    assert "Åtgärdsplan för brottsförebyggande arbete 2024–2027" in text


def test_a_source_with_a_missing_title_is_refused_next_to_the_field(picture, login):
    before = PictureSource.objects.count()
    response = login("samordnare").post(
        f"/lagesbild/lagesbilder/{picture.pk}/kallor/ny/",
        {"kind": "staff_dialogue", "title": "", "findings": "Oro"},
    )
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert PictureSource.objects.count() == before


def test_a_source_is_added_edited_and_removed_with_audit(picture, login):
    client = login("samordnare")
    response = client.post(
        f"/lagesbild/lagesbilder/{picture.pk}/kallor/ny/",
        {"kind": "partner_picture", "title": "Bostadsbolagets bild", "provider": "Nacka Hem"},
    )
    assert response.status_code == 302
    source = PictureSource.objects.get(title="Bostadsbolagets bild")
    assert source.provider == "Nacka Hem" and source.is_qualitative
    client.post(
        f"/lagesbild/kallor/{source.pk}/andra/",
        {"kind": "partner_picture", "title": "Bostadsbolagens bild"},
    )
    source.refresh_from_db()
    assert source.title == "Bostadsbolagens bild"
    client.post(f"/lagesbild/kallor/{source.pk}/ta-bort/")
    assert not PictureSource.objects.filter(pk=source.pk).exists()
    actions = list(
        AuditEntry.objects.filter(content_type__model="picturesource", object_id=str(source.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_a_partner_sees_the_sources_but_cannot_add_one(picture, login):
    client = login("polis")
    assert client.get(picture.get_absolute_url()).status_code == 200
    response = client.post(
        f"/lagesbild/lagesbilder/{picture.pk}/kallor/ny/", {"kind": "other", "title": "X"}
    )
    assert response.status_code == 404


def test_the_status_form_moves_a_problem_off_the_list(picture, login):
    problem = picture.problems.get(priority=3)
    response = login("samordnare").post(
        f"/lagesbild/problem/{problem.pk}/status/",
        {"status": ProblemStatus.LOST, "on": "2025-06-01", "note": "Klottret är borta."},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.LOST
    page = login("samordnare").get(problem.get_absolute_url()).content.decode()
    assert "Klottret är borta." in page and "2025-06-01" in page


def test_a_status_in_the_future_is_refused_and_nothing_changes(picture, login):
    problem = picture.problems.get(priority=3)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = login("samordnare").post(
        f"/lagesbild/problem/{problem.pk}/status/", {"status": "bevakas", "on": future}
    )
    assert response.status_code == 400
    assert "Datumet kan inte ligga i framtiden." in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.AKTIVT


def test_the_coordination_function_is_named_by_the_samordnare_and_read_by_the_partner(
    picture, login, nacka
):
    url = f"/lagesbild/samordningsfunktion/?organisation={nacka.pk}"
    response = login("samordnare").post(
        url, {"title": "Brottsförebyggande samordnare", "unit": "Stadsledningskontoret"}
    )
    assert response.status_code == 302
    assert CoordinationFunction.objects.get(organisation=nacka).title == (
        "Brottsförebyggande samordnare"
    )
    partner = login("polis")
    assert "Brottsförebyggande samordnare" in partner.get(url).content.decode()
    assert partner.post(url, {"title": "Polisen"}).status_code == 404
    assert login("utomstaende").get(url).status_code == 404


def test_the_measures_by_problem_page_lists_groups_and_unlinked_measures(picture, login):
    plan = picture.plan
    response = login("samordnare").get(f"/lagesbild/planer/{plan.pk}/per-problem/")
    assert response.status_code == 200
    document = response.context["document"]
    assert [g.problem.priority for g in document.groups] == [1, 2, 3]
    assert document.unlinked == []
    text = response.content.decode()
    assert "Kommunfullmäktige" in text and "KFKS-2024-00512" in text
    assert login("utomstaende").get(f"/lagesbild/planer/{plan.pk}/per-problem/").status_code == 404
