"""The periodic fetch of the police's events feed, against a local HTTP server."""

from __future__ import annotations

import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from trygg.core.reference import load_reference_geography
from trygg.incidents import tasks
from trygg.incidents.models import PoliceEvent
from trygg.incidents.tests.test_police_import import DATA


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def feed_server():
    """http://127.0.0.1:<random port>/events_latest_window.json serving the real API response."""
    handler = functools.partial(QuietHandler, directory=str(DATA))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def geography(db):
    load_reference_geography()


@pytest.mark.django_db
def test_the_task_fetches_the_feed_and_a_second_run_adds_nothing(geography, feed_server, settings):
    settings.POLICE_FEED_URL = f"{feed_server}/events_latest_window.json"
    first = tasks.fetch_police_events.call()
    assert first["created"] == 500
    assert PoliceEvent.objects.count() == 500
    assert PoliceEvent.objects.filter(kommun__isnull=False).count() > 0
    second = tasks.fetch_police_events.call()
    assert second["created"] == 0 and second["existing"] == 500
    assert PoliceEvent.objects.count() == 500


@pytest.mark.django_db
def test_the_command_takes_a_url_and_prints_the_outcomes(geography, feed_server):
    out = io.StringIO()
    call_command("fetch_police_events", url=f"{feed_server}/events_latest_window.json", stdout=out)
    text = out.getvalue()
    assert "nya: 500" in text and "Sammanfattningar" in text
    assert PoliceEvent.objects.count() == 500


@pytest.mark.django_db
def test_the_command_reports_a_missing_feed_and_a_wrong_scheme(geography, feed_server):
    with pytest.raises(CommandError, match="404"):
        call_command("fetch_police_events", url=f"{feed_server}/nothing.json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="http"):
        call_command("fetch_police_events", url="file:///etc/passwd", stdout=io.StringIO())
    assert PoliceEvent.objects.count() == 0
