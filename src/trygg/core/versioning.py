"""Version numbers in the cache (versionsnummer): a number under a key that changes whenever
the data it stands for is written, so that what is computed from that data can be kept in
the cache under the number and is never read again after a change.

Used for the lägesbild's counts (situation.rollup), the statistics (stats.versioning) and
the names and shapes the lägesbild's fragments show (situation.fragments).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> int:
    """The version under ``key``. A key not in the cache (never bumped, or evicted when the
    cache was full) starts from a fresh number, never from one used before: what was kept
    under an earlier number is then never read again."""
    found = cache.get(key)
    if found is None:
        cache.add(key, time.time_ns(), None)
        found = cache.get(key, 0)
    return int(found)


def bump(key: str) -> None:
    """Change the version under ``key`` now, so that the transaction's own reads do not meet
    what was kept under the old one, and again at the commit, so that nothing read before the
    commit is kept."""

    def step() -> None:
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (or evicted): start from a fresh number
            cache.set(key, time.time_ns(), None)

    step()
    transaction.on_commit(step)


def _signal_bumps(key: str, *, update_fields: Any = None, **_kwargs: Any) -> None:
    """A signal's handler: bump ``key``, except for a save that changed only a user's
    last_login (every sign-in writes it; nothing kept under a version shows it)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump(key)


def bump_on_change(key: str, models: Iterable[Any]) -> None:
    """Every save and delete of ``models`` (and every change of a many-to-many relation
    whose ``through`` model is among them) bumps ``key``. Writes that send no signal
    (QuerySet.update(), bulk_create()) must bump it themselves."""
    from functools import partial

    from django.db.models.signals import m2m_changed, post_delete, post_save

    changed = partial(_signal_bumps, key)
    for model in models:
        uid = f"version-{key}-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        m2m_changed.connect(changed, sender=model, dispatch_uid=f"{uid}-m2m", weak=False)
