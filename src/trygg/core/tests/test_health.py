"""The health endpoint a load balancer asks: no login, no cookie, nothing written."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_health_answers_without_login_and_writes_nothing(client, db):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    assert [q["sql"] for q in captured] == ["SELECT 1"]
    assert client.post("/health/").status_code == 405


def test_health_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    from django.db import DatabaseError

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr(connection, "cursor", broken)
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
