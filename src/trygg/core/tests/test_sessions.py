"""The session store (core.sessions): Django's database sessions, read in SQL."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from trygg.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_engine_is_this_store():
    assert settings.SESSION_ENGINE == "trygg.core.sessions"


def test_reads_what_djangos_store_wrote():
    written = DjangoStore()
    written["trygg"] = {"ett": 1, "två": "å"}
    written.save()
    read = SessionStore(written.session_key)
    assert read["trygg"] == {"ett": 1, "två": "å"}
    assert read.session_key == written.session_key


def test_an_expired_or_unknown_session_is_empty_and_loses_its_key():
    written = SessionStore()
    written["trygg"] = 1
    written.save()
    Session.objects.filter(session_key=written.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(written.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert "trygg" not in unknown
    assert unknown.session_key is None


def test_a_session_that_expires_later_is_read():
    written = SessionStore()
    written["trygg"] = 2
    written.set_expiry(60)
    written.save()
    assert SessionStore(written.session_key)["trygg"] == 2


def test_a_signed_in_page_ends_with_its_session(client, world):
    client.force_login(world.users["samordnare"])
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")
