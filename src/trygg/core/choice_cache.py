"""Options of a filter form kept in the cache (the organisations, plans, areas, forums … a
user may choose from), so that a list page does not read them again on every view.

What a user may choose is what ``restrict(user, VIEW)`` lets through, so the options are kept
under :func:`scope_key` (the user, their memberships with the organisations and areas they
reach, their organisations' current partners) and under a version of the data they are read
from (core.versioning), which the caller bumps on every save and delete of that data through
:func:`trygg.core.versioning.bump_on_change`. A change that sends no signal (a bulk update) shows after
``TIMEOUT`` at the latest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from trygg.core import versioning
from trygg.core.access import scope_for

T = TypeVar("T")

TIMEOUT = 600


def _grants(scope: Any) -> list[tuple]:
    return sorted(
        (
            grant.role,
            tuple(sorted(grant.organisation_ids)),
            None if grant.area_ids is None else tuple(sorted(grant.area_ids)),
        )
        for grant in scope.grants
    )


def scope_key(user: Any) -> str | None:
    """Everything ``restrict(user, …)`` decides by, as a digest; None for no one."""
    scope = scope_for(user)
    if scope.user_id is None:
        return None
    partners = tuple(sorted(scope.partner_ids())) if scope.grants else ()
    text = repr((scope.user_id, scope.is_superuser, _grants(scope), partners))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def grants_key(user: Any) -> str | None:
    """The user, their memberships with the organisations and areas they reach, as a
    digest (None for no one): :func:`scope_key` without the partners, which cost a query.
    For what is read by membership alone (budget.models.budget_readable) or by a row the
    request has read through ``restrict()`` itself."""
    scope = scope_for(user)
    if scope.user_id is None:
        return None
    text = repr(("grants", scope.user_id, scope.is_superuser, _grants(scope)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def remembered(version_key: str, user: Any, compute: Callable[[], T], *, name: str = "") -> T:
    """``compute()`` (the options of the form ``name``) for this user, from the cache while
    neither their scope nor the data under ``version_key`` has changed. Not kept for an
    anonymous viewer."""
    digest = scope_key(user)
    if digest is None:
        return compute()
    return _kept(
        f"choices:{version_key}:{name}:{versioning.current(version_key)}:{digest}", compute
    )


def shared(version_key: str, compute: Callable[[], T], *, name: str) -> T:
    """``compute()`` (the options ``name``, the same for every viewer: the kommuner of the
    country) from the cache while the data under ``version_key`` has not changed."""
    return _kept(f"choices:{version_key}:{name}:{versioning.current(version_key)}", compute)


def _kept(key: str, compute: Callable[[], T]) -> T:
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found
