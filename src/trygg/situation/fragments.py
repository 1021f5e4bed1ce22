"""Rendered parts of the lägesbild pages, kept in the cache.

The analyses of a page (the time of week, the areas, places and map, the trend, the
weekly picture, the police's events) are the same for every viewer who sees the same
counts. Their figures already come from the cache (situation.selectors.counts); what is
left of a warm view is reading the names, shaping the rows and rendering the tables,
charts and map, and that is kept here as rendered HTML, under a key of everything the
fragment is made of:

- the organisation's counts version (situation.rollup, bumped whenever its counts change,
  which every change of a report through the services does);
- what the viewer's restriction lets through (the same scope tag as the counts' cache),
  whether they have detail access, and for an area-limited member the user themself (their
  own reports outside their areas are theirs alone);
- the version of the reference data (areas, places, categories, organisations, bumped by
  their saves and deletes, see :func:`connect`), the statistics version (the populations
  behind the rates), and the police's events of the kommun (inserted only, so their number
  and highest id say whether any came);
- the period, category, area, week, the query of the page's links, the language, today's
  date (the default period and week move with it), the settings the fragments show (the
  small-count threshold, the map tiles), and a digest of the code and templates that
  render the fragment.

The parts that are the user's own (the filter form, the prioritised problems and their
measures, the statistics block) are rendered on every view. The problems and the newest
lägesbild are read from the cache under the version of their data and what the viewer's
restriction follows (situation.selectors.problems), the statistics block likewise
(situation.selectors.statistics).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from trygg.core import versioning as cache_versions
from trygg.situation.selectors import Analysis, today

CACHE_SECONDS = 6 * 3600
REFERENCE_KEY = "trygg:lb-reference:version"
_HERE = Path(__file__).resolve().parent


def _code_digest() -> str:
    """The code and templates that shape a fragment: a new release never serves fragments
    rendered by the old one."""
    digest = hashlib.sha256()
    files = sorted(
        [
            *(_HERE / "templates" / "situation").rglob("*.html"),
            *(_HERE / "selectors").glob("*.py"),
            *(_HERE / name for name in ("fragments.py", "views.py", "charts.py", "tables.py")),
        ]
    )
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_digest()


def reference_version() -> int:
    """The version of the names and shapes the fragments show beside the counts."""
    return cache_versions.current(REFERENCE_KEY)


def reference_changed(**_kwargs: Any) -> None:
    """Bump the reference version now (the transaction's own reads) and at the commit."""
    cache_versions.bump(REFERENCE_KEY)


def connect() -> None:
    """Saves and deletes of areas, places, categories, organisations and partnerships bump
    the reference version (called from the app's ready())."""
    from django.db.models.signals import post_delete, post_save

    from trygg.core.models import Area, Organisation, Partnership, Place
    from trygg.incidents.models import IncidentCategory

    for model in (Area, Place, Organisation, Partnership, IncidentCategory):
        name = model.__name__
        post_save.connect(reference_changed, sender=model, dispatch_uid=f"lb-ref-save-{name}")
        post_delete.connect(reference_changed, sender=model, dispatch_uid=f"lb-ref-del-{name}")


def _police_mark(a: Analysis) -> str:
    """The number and highest id of the kommun's police events (inserted, never changed)."""
    from trygg.incidents.models import PoliceEvent

    kommun_id = a.organisation.area_id
    if kommun_id is None:
        return "-"
    marks = PoliceEvent.objects.filter(kommun_id=kommun_id).aggregate(n=Count("id"), m=Max("id"))
    return f"{marks['n']}-{marks['m']}"


def key(name: str, a: Analysis, *extra: object) -> str:
    """The cache key of page ``name``'s fragments for the analysis ``a`` (see above)."""
    from trygg.situation import rollup
    from trygg.situation.selectors.counts import _scope_tag
    from trygg.stats import versioning as stats_versions

    scope = _scope_tag(a)
    # An area-limited member also sees the reports they made themselves outside their
    # areas (on the map, in the first report day): their fragments are their own.
    viewer = getattr(a.user, "pk", "") if scope.startswith("areas-") else ""
    parts = (
        "trygg:lb-page",
        name,
        CODE,
        a.organisation.pk,
        rollup.version(a.organisation.pk),
        scope,
        int(a.detail),
        viewer,
        reference_version(),
        stats_versions.version(),
        _police_mark(a),
        a.period.start,
        a.period.end,
        getattr(a.category, "pk", ""),
        getattr(a.area, "pk", ""),
        get_language(),
        today(),
        settings.SMALL_COUNT_THRESHOLD,
        settings.MAP_TILE_URL,
        *extra,
    )
    text = ":".join(str(part) for part in parts)
    return "trygg:lb-page:" + hashlib.sha256(text.encode()).hexdigest()


def remembered(cache_key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The fragments under ``cache_key``, computed and kept when missing.

    ``compute`` returns a dict whose ``"html"`` entry maps names to HTML rendered by the
    template engine (given back safe for the page), beside plain values that are kept too,
    and an optional ``"context"`` of the objects it was made from, which is not kept (the
    page's context has them on the view that computed the fragments)."""
    value: dict[str, Any] | None = cache.get(cache_key)
    if value is None:
        value = compute()
        stored = {k: v for k, v in value.items() if k != "context"}
        stored["html"] = {k: str(v) for k, v in value["html"].items()}
        cache.set(cache_key, stored, CACHE_SECONDS)
        return value
    # Only what the template engine rendered (and escaped) is stored under "html".
    value["html"] = {k: mark_safe(v) for k, v in value["html"].items()}  # noqa: S308
    return value
