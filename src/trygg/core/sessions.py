"""The sessions: Django's, in the database, read with one query written in SQL.

Every signed-in page reads its session first. Django's database store asks for it through
the ORM (``Session.objects.get(session_key=…, expire_date__gt=now)``), which here cost about
ten times as much to build as to run; this store asks the same question of the same table in
SQL (core.sql). Writing, creating, deleting and clearing expired sessions are Django's.
``SESSION_ENGINE = "trygg.core.sessions"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The session under this key that has not expired (None, and no key, otherwise): the
        same question as Django's, asked in SQL."""
        from trygg.core import sql

        model = self.model

        def build(quote: Callable[[str], str]) -> str:
            return "SELECT {} FROM {} WHERE {} = %s AND {} > %s".format(  # noqa: S608 - names from the model
                quote(sql.column(model, "session_data")),
                quote(sql.table(model)),
                quote(sql.column(model, "session_key")),
                quote(sql.column(model, "expire_date")),
            )

        key = self.session_key
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = sql.rows("session", build, [key, now]) if key is not None else []
        if key is None or not found:
            self._session_key = None
            return None
        return model(session_key=key, session_data=found[0][0])
