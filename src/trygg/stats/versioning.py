"""The version of the statistics (statistikversion): a number in the cache that changes
whenever a series or an observation is written, so that aggregates read from them (the
lägesbild's statistics block) can be kept in the cache under it.

Saves and deletes bump it through signals (a cascade from a deleted series included);
the import's bulk writes bump it themselves (``changed()``), since ``bulk_create`` and
``bulk_update`` send no signals.
"""

from __future__ import annotations

from trygg.core import versioning

KEY = "trygg:stats:version"


def version() -> int:
    return versioning.current(KEY)


def changed(**_kwargs) -> None:
    """Bump the version now (the transaction's own reads) and again at the commit."""
    versioning.bump(KEY)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from trygg.stats.models import IndicatorSeries, Observation

    for model in (IndicatorSeries, Observation):
        post_save.connect(changed, sender=model, dispatch_uid=f"stats-version-save-{model}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"stats-version-del-{model}")
