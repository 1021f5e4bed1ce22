"""schemathesis against the running application: every operation of the OpenAPI document
is called over HTTP on the live server with generated data, authenticated with a personal
token, and every answer must be no server error and pass every check ("--checks all"). The
run is bounded in examples per operation and in time, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from trygg.core import services

# Over HTTP the server thread has its own connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 3
TIME_BOX_SECONDS = 120


def test_the_api_gives_no_server_error_and_keeps_its_schema(world, login, live_server):
    document = login("samordnare").get("/api/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.base_url = live_server.url
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
            derandomize=True,  # the same calls each run: a failure is repeatable
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(base_url=live_server.url, headers=headers)
            try:
                case.validate_response(response, headers=headers)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - any check's failure
                text = str(error)
                kinds = [line.strip() for line in text.splitlines() if line.strip()[:4] == "- ST"]
                details = " | ".join(line.strip() for line in text.splitlines()[2:6])
                failures.append(
                    f"{case.method} {case.path}: {', '.join(kinds)} {details}"
                    f" | {response.status_code} {response.text[:300]}"
                )

        run()
    print(f"{operations} operations in {time.monotonic() - started:.0f} s")
    assert not failures, "\n\n".join(failures[:40]) + f"\n\n({len(failures)} in all)"
    assert operations >= 50
