"""Audit that misses nothing: commands are named as the system actor, and password changes,
unlocks after failed logins and API keys are recorded with whoever did them (ADR 0018)."""

from __future__ import annotations

import importlib
import inspect
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import trygg
from trygg.__main__ import main as trygg_command
from trygg.core import services
from trygg.core.choices import AuditAction
from trygg.core.commands import AuditedCommand
from trygg.core.models import ApiToken, AuditEntry
from trygg.core.personas import DEMO_PASSWORD
from trygg.core.system_actor import current_system_actor, system_actor
from trygg.core.testing import client_for

pytestmark = pytest.mark.django_db

COMMANDS = sorted(
    path
    for path in Path(trygg.__file__).parent.glob("*/management/commands/*.py")
    if not path.name.startswith("_")
)


def test_every_command_records_its_writes_as_its_system_actor():
    """Architecture: a Trygg command is an AuditedCommand, so nothing it writes is by nobody."""
    assert len(COMMANDS) >= 10
    wrong = []
    for path in COMMANDS:
        app = path.parents[2].name
        module = importlib.import_module(f"trygg.{app}.management.commands.{path.stem}")
        if not (inspect.isclass(module.Command) and issubclass(module.Command, AuditedCommand)):
            wrong.append(f"{app}/{path.stem}")
    assert not wrong, f"commands that are not AuditedCommand: {wrong}"


def test_the_system_actor_names_the_outermost_command_and_ends_with_it():
    assert current_system_actor() == ""
    with system_actor("load_demo") as outer, system_actor("import_plan"):
        assert current_system_actor() == outer == "system: load_demo"
    assert current_system_actor() == ""


def test_a_write_command_records_its_name_and_the_log_shows_it(world):
    admin = world.users["admin"]
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    call_command("reset_two_factor", "admin", stdout=io.StringIO())
    entries = AuditEntry.objects.filter(pk__gt=last)
    assert entries.exists()
    assert {(e.actor_id, e.actor_label) for e in entries} == {(None, "system: reset_two_factor")}
    assert entries.first().actor_display == "System (reset_two_factor)"
    admin.is_superuser = True
    admin.save()
    page = client_for("admin").get(reverse("core:audit_log"), {"actor": "reset_two_factor"})
    text = page.content.decode()
    assert "System (reset_two_factor)" in text
    export = client_for("admin").get(
        reverse("core:audit_log"), {"actor": "reset_two_factor", "format": "csv"}
    )
    assert "System (reset_two_factor)" in export.content.decode("utf-8-sig")


def test_a_person_is_the_actor_and_no_system_label_is_kept(world):
    samordnare = world.users["samordnare"]
    with system_actor("import_plan"):
        token, _key = services.api_token_create(actor=samordnare, name="Power BI")
    entry = AuditEntry.objects.get(
        content_type__model="apitoken", object_id=str(token.pk), action=AuditAction.CREATE
    )
    assert (entry.actor_id, entry.actor_label) == (samordnare.pk, "")


def test_api_keys_are_recorded_when_made_and_removed_with_their_person(world):
    samordnare = world.users["samordnare"]
    client = client_for("samordnare")
    client.post(reverse("core:api_tokens"), {"name": "Power BI"})
    token = ApiToken.objects.get(user=samordnare, name="Power BI")
    client.post(reverse("core:api_token_delete", args=[token.pk]))
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    actions = set(
        AuditEntry.objects.filter(
            content_type__model="apitoken", object_id=str(token.pk), actor=samordnare
        ).values_list("action", flat=True)
    )
    assert actions == {AuditAction.CREATE, AuditAction.DELETE}


def test_a_password_changed_by_the_mailed_link_is_recorded_as_the_persons(world, settings):
    settings.SITE_URL = "http://testserver"
    samordnare = world.users["samordnare"]
    client = Client()
    client.post(reverse("password_reset"), {"email": "samordnare@example.se"})
    link = re.search(r"http://testserver(/losenord/nytt/\S+/)", mail.outbox[0].body).group(1)
    url = client.get(link, follow=True).redirect_chain[-1][0]
    done = client.post(
        url, {"new_password1": "ett-nytt-lösenord-77", "new_password2": "ett-nytt-lösenord-77"}
    )
    assert done.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(samordnare.pk), action=AuditAction.PASSWORD)
    assert (entry.actor_id, entry.actor_label) == (samordnare.pk, "")
    assert "lösenord" not in str(entry.changes) and "pbkdf2" not in str(entry.changes)


def test_a_password_set_by_a_command_is_the_commands_and_a_new_login_is_not_a_change(world):
    user = services.user_create(actor=None, username="ny", password="ett-långt-lösenord-1")
    assert not AuditEntry.objects.filter(object_id=str(user.pk), action=AuditAction.PASSWORD)
    with system_actor("changepassword"):
        user.set_password("ett-annat-lösenord-2")
        user.save()
    user.last_login = None
    user.save(update_fields=["last_login"])  # a save without a new password records nothing
    entry = AuditEntry.objects.get(object_id=str(user.pk), action=AuditAction.PASSWORD)
    assert (entry.actor_id, entry.actor_label) == (None, "system: changepassword")


# Django closes the database connections when a command run from the command line ends; on
# PostgreSQL that would close the test's own transaction, so this test commits instead.
@pytest.mark.django_db(transaction=True)
def test_an_unlock_by_the_axes_command_is_recorded_as_that_command(world):
    """Five wrong passwords lock the name; ``python -m trygg axes_reset_username`` (django-axes'
    own command, run through Trygg's runner) unlocks it and the unlock is in the log."""
    rapportor = get_user_model().objects.get(username="rapportor")
    client = Client()
    for _attempt in range(5):
        client.post(
            "/logga-in/", {"username": "rapportor", "password": "fel"}, REMOTE_ADDR="10.0.0.1"
        )
    login = {"username": "rapportor", "password": DEMO_PASSWORD}
    assert Client().post("/logga-in/", login, REMOTE_ADDR="10.0.0.2").status_code == 429
    trygg_command(["trygg", "axes_reset_username", "rapportor"])
    assert Client().post("/logga-in/", login, REMOTE_ADDR="10.0.0.2").status_code == 302
    entry = AuditEntry.objects.get(object_id=str(rapportor.pk), action=AuditAction.UNLOCK)
    assert (entry.actor_id, entry.actor_label) == (None, "system: axes_reset_username")
    assert current_system_actor() == ""
