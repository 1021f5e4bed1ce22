"""A new organisation has its measure statuses from the start; a page only reads them.

Statuses are made with the organisation (core/defaults.py), by every way an organisation is
created, and by a data migration for the organisations from before; the new-measure form no
longer creates them when it is first opened.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from trygg.core import services as core_services
from trygg.core.access import forget_scope
from trygg.core.choices import AuditAction, OrganisationKind, Role
from trygg.core.defaults import registered_organisation_defaults
from trygg.core.models import AuditEntry, Membership, Organisation
from trygg.core.testing import assert_matrix, client_for, get, only
from trygg.plans.models import MeasureStatus, Plan
from trygg.plans.services import DEFAULT_STATUSES

pytestmark = pytest.mark.django_db

NAMES = [name for name, _category, _progress in DEFAULT_STATUSES]


def status_names(organisation) -> list[str]:
    return list(
        MeasureStatus.objects.filter(organisation=organisation)
        .order_by("order")
        .values_list("name", flat=True)
    )


def test_the_plans_register_their_defaults_with_core():
    assert "plans" in registered_organisation_defaults()


def test_an_organisation_created_by_the_service_has_the_four_statuses(world):
    admin = get_user_model().objects.create_superuser("drift", "drift@trygg.example")
    stockholm = core_services.organisation_create(
        actor=admin, name="Stockholms stad", kind=OrganisationKind.KOMMUN
    )
    assert status_names(stockholm) == NAMES
    created = AuditEntry.objects.filter(
        organisation=stockholm, action=AuditAction.CREATE, content_type__model="measurestatus"
    )
    assert created.count() == 4 and {e.actor_id for e in created} == {admin.pk}


def test_an_organisation_created_on_the_admin_page_has_the_statuses(world):
    nacka = world.organisations["nacka"]
    response = client_for("admin").post(
        reverse("core:organisation_create"),
        {"kind": OrganisationKind.FORENING, "owner": nacka.pk, "name": "Fisksätra IF"},
    )
    assert response.status_code == 302
    assert status_names(Organisation.objects.get(name="Fisksätra IF")) == NAMES


def test_the_new_measure_form_writes_nothing_for_an_organisation_without_statuses(world):
    """An organisation from before the defaults (made here without the service) has no
    statuses: opening the form must not create them (a GET never writes)."""
    bare = Organisation.objects.create(name="Tyresö kommun", kind=OrganisationKind.KOMMUN)
    plan = Plan.objects.create(organisation=bare, title="Plan för samverkan 2026")
    user = get_user_model().objects.get(username="samordnare")
    Membership.objects.create(user=user, organisation=bare, role=Role.SAMORDNARE)
    forget_scope(user)
    row = get(reverse("plans:measure_create", args=[plan.pk]), only({"samordnare": 200}))
    assert_matrix([row], "samordnare")  # fails when the GET writes
    assert status_names(bare) == []


def test_the_migration_gives_statuses_to_an_organisation_without_them(world):
    bare = Organisation.objects.create(name="Tyresö kommun", kind=OrganisationKind.KOMMUN)
    nacka = world.organisations["nacka"]
    before = status_names(nacka)
    migration = importlib.import_module("trygg.plans.migrations.0003_default_statuses")
    migration.fill(apps, connection.schema_editor())
    assert status_names(bare) == NAMES
    assert status_names(nacka) == before  # an organisation with statuses keeps its own
    entries = AuditEntry.objects.filter(organisation=bare, content_type__model="measurestatus")
    assert entries.count() == 4
    assert {e.actor_label for e in entries} == {"system: migration plans.0003_default_statuses"}
