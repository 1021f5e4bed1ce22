"""A new organisation has its incident categories from the start; the report form only reads
them (core/defaults.py, migration 0008 for the organisations from before)."""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from trygg.core import services as core_services
from trygg.core.access import forget_scope
from trygg.core.choices import OrganisationKind, Role
from trygg.core.defaults import registered_organisation_defaults
from trygg.core.models import AuditEntry, Membership, Organisation
from trygg.core.reference import load_reference_geography
from trygg.core.testing import assert_matrix, get, only
from trygg.incidents.models import IncidentCategory
from trygg.incidents.services import DEFAULT_CATEGORIES

pytestmark = pytest.mark.django_db

NAMES = [name for name, _group in DEFAULT_CATEGORIES]


def category_names(organisation) -> list[str]:
    return list(
        IncidentCategory.objects.filter(organisation=organisation)
        .order_by("order")
        .values_list("name", flat=True)
    )


def test_the_incidents_register_their_defaults_with_core():
    assert "incidents" in registered_organisation_defaults()


def test_an_organisation_created_by_the_service_has_the_default_categories(db):
    stockholm = core_services.organisation_create(
        actor=None, name="Stockholms stad", kind=OrganisationKind.KOMMUN
    )
    assert category_names(stockholm) == NAMES


def test_a_partner_organisation_reports_under_the_kommuns_categories_and_gets_none(world):
    """LPO Nacka (polis) was created with the personas: its people's report form offers
    Nacka's categories only, so that their reports reach the kommun."""
    from trygg.incidents.selectors import categories_for_reporting

    assert category_names(world.organisations["lpo_nacka"]) == []
    assert category_names(world.organisations["varmdo"]) == NAMES
    polis = get_user_model().objects.get(username="polis")
    organisations = {c.organisation_id for c in categories_for_reporting(polis)}
    assert organisations <= {world.organisations["nacka"].pk}


def test_a_kommun_created_by_the_command_has_the_default_categories(db):
    load_reference_geography()
    call_command(
        "create_kommun", "1480", "--admin-email", "strateg@goteborg.example", stdout=StringIO()
    )
    goteborg = Organisation.objects.get(name="Göteborgs stad")
    assert category_names(goteborg) == NAMES
    entries = AuditEntry.objects.filter(
        organisation=goteborg, content_type__model="incidentcategory"
    )
    assert entries.count() == len(NAMES)
    assert {(e.actor_id, e.actor_label) for e in entries} == {(None, "system: create_kommun")}


def test_the_report_form_writes_nothing_for_an_organisation_without_categories(world):
    bare = Organisation.objects.create(name="Tyresö kommun", kind=OrganisationKind.KOMMUN)
    user = get_user_model().objects.get(username="rapportor")
    Membership.objects.filter(user=user).delete()
    Membership.objects.create(user=user, organisation=bare, role=Role.RAPPORTOR)
    forget_scope(user)
    assert_matrix([get(reverse("incidents:report_create"), only({"rapportor": 200}))], "rapportor")
    assert category_names(bare) == []


def test_the_migration_gives_categories_to_an_organisation_without_them(world):
    bare = Organisation.objects.create(name="Tyresö kommun", kind=OrganisationKind.KOMMUN)
    nacka = world.organisations["nacka"]
    before = list(IncidentCategory.objects.filter(organisation=nacka).values_list("pk", "name"))
    migration = importlib.import_module("trygg.incidents.migrations.0008_default_categories")
    police = Organisation.objects.create(name="LPO Tyresö", kind=OrganisationKind.POLIS)
    migration.fill(apps, connection.schema_editor())
    assert category_names(bare) == NAMES
    assert category_names(police) == []
    after = list(IncidentCategory.objects.filter(organisation=nacka).values_list("pk", "name"))
    assert after == before  # an organisation with categories keeps its own
    assert AuditEntry.objects.filter(
        organisation=bare, actor_label="system: migration incidents.0008_default_categories"
    ).count() == len(NAMES)
