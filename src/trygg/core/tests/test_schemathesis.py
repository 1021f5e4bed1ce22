"""schemathesis against the running application: every operation of the OpenAPI document
is called with generated data, authenticated with a personal token, and every answer must
be no server error and match the schema. The run is bounded in examples and in time."""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import ignored_auth, positive_data_acceptance

from trygg.core import services

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 5
TIME_BOX_SECONDS = 180
# Every check ("--checks all") but two. ignored_auth replays a call with a broken token and
# here carries the real one (test_api.py checks refusals without a token). positive_data_
# acceptance expects every schema-valid body to be accepted, but choices, dates in order and
# names unique per organisation are checked by the services with a 422 and a Swedish reason,
# not in the schema.
EXCLUDED = [ignored_auth, positive_data_acceptance]


@pytest.fixture
def connection_kept():
    """Requests through the WSGI app stay in the test's transaction: as Django's test client
    does, the connection is not closed at the start and end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_gives_no_server_error_and_keeps_its_schema(world, login, connection_kept):
    from django.db import connection

    if connection.vendor != "sqlite":
        # The in-process WSGI transport finds the test's PostgreSQL connection closed; the
        # API code under test is the same on both databases.
        pytest.skip("runs on SQLite: the WSGI transport loses PostgreSQL's test connection")
    document = login("samordnare").get("/api/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    _token, key = services.api_token_create(actor=world.users["samordnare"], name="fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    failures: list[str] = []
    started = time.monotonic()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > TIME_BOX_SECONDS:
            break
        operations += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            try:
                case.validate_response(response, excluded_checks=EXCLUDED)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - any check's failure
                text = str(error)
                kinds = [line.strip() for line in text.splitlines() if line.strip()[:4] == "- ST"]
                details = " | ".join(line.strip() for line in text.splitlines()[2:6])
                failures.append(f"{case.method} {case.path}: {', '.join(kinds)} {details}")

        run()
    assert operations >= 50
    assert not failures, "\n\n".join(failures[:15]) + f"\n\n({len(failures)} in all)"
