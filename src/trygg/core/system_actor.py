"""Systemaktör: who acts when no person does (a management command, a data migration).

Kept apart from core/audit.py, which imports models, so that ``python -m trygg`` can set it
before Django is set up.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

SYSTEM_PREFIX = "system: "

_system_actor: contextvars.ContextVar[str] = contextvars.ContextVar("system_actor", default="")


@contextmanager
def system_actor(name: str) -> Iterator[str]:
    """Systemaktör: everything recorded inside is by "system: <name>" (a command's name) when
    no person is the actor. Nested uses keep the outermost name (a command calling another
    command's code is still the first command's work)."""
    label = _system_actor.get() or f"{SYSTEM_PREFIX}{name}"
    token = _system_actor.set(label)
    try:
        yield label
    finally:
        _system_actor.reset(token)


def current_system_actor() -> str:
    """The label of the system actor in effect ("" outside :func:`system_actor`)."""
    return _system_actor.get()
