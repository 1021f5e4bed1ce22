"""The reports page lists the documents each persona may generate, and nothing else."""

import pytest
from django.urls import reverse

from trygg.plans import importers

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world, settings):
    from pathlib import Path

    text = (
        Path(settings.REFERENCE_DATA_DIR).parent / "seeds" / "002_7afaad1d1abdb047.txt"
    ).read_text("utf-8")
    document = importers.read_plan_document("plan.txt", text.encode())
    return importers.import_plan_document(
        actor=None,
        organisation=world.organisations["nacka"],
        document=document,
        partners=[world.organisations["lpo_nacka"]],
    ).plan


def test_it_lists_the_plan_documents_for_nacka_and_its_partner(world, plan, login):
    for persona in ["samordnare", "polis"]:
        body = login(persona).get(reverse("reports:index")).content.decode()
        assert reverse("reports:plan_exchange", args=[plan.pk]) in body, persona
        assert f"plan={plan.pk}" in body, persona


def test_another_kommun_sees_none_of_nackas_documents(world, plan, login):
    body = login("utomstaende").get(reverse("reports:index")).content.decode()
    assert reverse("reports:plan_exchange", args=[plan.pk]) not in body
    assert "Plan för samverkan" not in body


@pytest.mark.parametrize(
    "persona,status",
    [
        ("anonymous", 302),
        ("samordnare", 200),
        ("arbetsgrupp", 200),
        ("polis", 200),
        ("rapportor", 200),
        ("sspf", 200),
        ("utomstaende", 200),
        ("admin", 200),
    ],
)
def test_permission_matrix(world, login, client, persona, status):
    c = client if persona == "anonymous" else login(persona)
    assert c.get(reverse("reports:index")).status_code == status
