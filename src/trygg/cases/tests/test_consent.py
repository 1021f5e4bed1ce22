"""Consent as data: a withdrawn consent or a removed participant ends access in the next
request; a case without valid consent shows it and is seen by the coordinator only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.cases import services
from trygg.cases.choices import ConsentGiver

pytestmark = pytest.mark.django_db


def test_withdrawn_consent_ends_access_in_the_next_request(cases, login):
    police = login("ungdomspolis")
    url = reverse("cases:case_detail", args=[cases.alva.pk])
    assert police.get(url).status_code == 200
    assert police.get("/api/cases/").json()["count"] == 1
    coordinator = login("sspf")
    response = coordinator.post(reverse("cases:consent_withdraw", args=[cases.consent.pk]))
    assert response.status_code == 302
    assert police.get(url).status_code == 404
    assert police.get(f"/api/cases/{cases.alva.pk}").status_code == 404
    assert police.get("/api/cases/").json()["count"] == 0
    assert "Alva" not in police.get(reverse("cases:case_list")).content.decode()
    # The coordinator still has the case, and it says there is no valid consent.
    page = coordinator.get(url).content.decode()
    assert "Inget giltigt samtycke" in page


def test_a_removed_participant_loses_access_in_the_next_request(cases, login):
    kurator = login("kurator")
    url = reverse("cases:case_detail", args=[cases.omar.pk])
    assert kurator.get(url).status_code == 200
    participant = cases.omar.participants.get(user__username="kurator")
    assert (
        login("sspf").post(reverse("cases:participant_remove", args=[participant.pk])).status_code
        == 302
    )
    assert kurator.get(url).status_code == 404
    assert kurator.get(reverse("cases:plan_entry_add", args=[cases.omar.pk])).status_code == 404


def test_without_valid_consent_only_the_coordinator_sees_the_case(cases, login):
    url = reverse("cases:case_detail", args=[cases.nils.pk])
    assert login("kurator").get(url).status_code == 404  # named, but no consent
    page = login("sspf").get(url).content.decode()
    assert "Inget giltigt samtycke" in page


def test_consent_covers_a_kommun_across_the_border(cases, login):
    # Värmdö's SSPF sees the case only because the consent names the kommun Värmdö.
    url = reverse("cases:case_detail", args=[cases.alva.pk])
    assert login("varmdo_sspf").get(url).status_code == 200
    services.consent_withdraw(actor=cases.users["sspf"], consent=cases.consent)
    services.consent_add(
        actor=cases.users["sspf"],
        case=cases.alva,
        given_by=ConsentGiver.GUARDIANS,
        valid_from=dt.date(2023, 2, 1),
        organisations=[cases.nacka],
    )
    assert login("varmdo_sspf").get(url).status_code == 404
    assert login("kurator").get(url).status_code == 200


def test_an_expired_consent_no_longer_grants_access(cases, login):
    services.consent_withdraw(actor=cases.users["sspf"], consent=cases.omar_consent)
    services.consent_add(
        actor=cases.users["sspf"],
        case=cases.omar,
        given_by=ConsentGiver.GUARDIANS,
        valid_from=dt.date(2023, 3, 1),
        valid_until=dt.date(2023, 12, 31),
        organisations=[cases.nacka],
    )
    assert (
        login("kurator").get(reverse("cases:case_detail", args=[cases.omar.pk])).status_code == 404
    )


def test_a_young_youth_cannot_consent_alone(cases, login):
    response = login("sspf").post(
        reverse("cases:consent_add", args=[cases.nils.pk]),
        {"given_by": "ungdomen", "valid_from": "2023-04-01", "organisations": [cases.nacka.pk]},
    )
    assert response.status_code == 200
    assert "vårdnadshavarna" in response.content.decode()
    assert not cases.nils.consents.exists()
