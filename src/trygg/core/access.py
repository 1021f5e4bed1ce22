"""Who may see and change what (behörighet).

Every domain queryset has ``restrict(user, action)``. It is the one place where scope is
decided, and every view, API endpoint, export, count and chart reads through it. An object
outside the user's scope is simply not in the queryset, so views answer 404 and never
confirm that it exists.

Scope comes from memberships (user ↔ organisation, with a role and optional area limits):
- A membership gives access to its organisation and to the organisations below it
  (Stockholm stad → Hägersten-Älvsjö stadsdelsförvaltning).
- A membership limited to areas (the Älta working group) sees the organisation's objects
  that are in those areas or not tied to any area, and may change only those in its areas.
- Data shared through a partnership (a plan with partner organisations) is added by the
  model's own ``access_q``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from trygg.core.choices import Role

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
REPORT = "report"  # file an incident report (händelserapport)
MANAGE = "manage"  # users, memberships and the audit log of an organisation

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset({VIEW, ADD, CHANGE, DELETE, REPORT, MANAGE}),
    Role.SAMORDNARE: frozenset({VIEW, ADD, CHANGE, DELETE, REPORT}),
    Role.MEDLEM: frozenset({VIEW, ADD, CHANGE, REPORT}),
    Role.RAPPORTOR: frozenset({REPORT}),
    Role.LASARE: frozenset({VIEW}),
}


@dataclass(frozen=True)
class Grant:
    """What one membership allows: a set of organisations, optionally limited to areas."""

    organisation_ids: frozenset[int]
    area_ids: frozenset[int] | None  # None: the whole organisation
    role: str


@dataclass
class Scope:
    """The access of one user, computed once per request from their memberships."""

    user_id: int | None
    is_superuser: bool = False
    grants: list[Grant] = field(default_factory=list)

    def grants_for(self, action: str) -> list[Grant]:
        return [g for g in self.grants if action in ROLE_ACTIONS.get(g.role, frozenset())]

    def organisation_ids(self, action: str = VIEW) -> frozenset[int]:
        ids: set[int] = set()
        for grant in self.grants_for(action):
            ids |= grant.organisation_ids
        return frozenset(ids)

    def unlimited_organisation_ids(self, action: str = VIEW) -> frozenset[int]:
        ids: set[int] = set()
        for grant in self.grants_for(action):
            if grant.area_ids is None:
                ids |= grant.organisation_ids
        return frozenset(ids)

    def can(
        self, action: str, organisation_id: int | None, *, whole_organisation: bool = False
    ) -> bool:
        """Whether the user may do ``action`` for the organisation; with ``whole_organisation``,
        only through a membership that is not limited to some areas."""
        if self.is_superuser:
            return True
        if whole_organisation:
            return organisation_id in self.unlimited_organisation_ids(action)
        return organisation_id in self.organisation_ids(action)

    def owned_q(
        self,
        action: str,
        *,
        organisation_field: str = "organisation",
        area_field: str | None = None,
    ) -> Q:
        """Rows owned by an organisation the user may act for, honouring area limits.

        With ``area_field`` (a path to an Area FK or M2M), an area-limited membership sees
        rows in its areas plus rows tied to no area; for any action other than view it must
        be in its areas.
        """
        q = Q(pk__in=[])
        for grant in self.grants_for(action):
            grant_q = Q(**{f"{organisation_field}__in": grant.organisation_ids})
            if grant.area_ids is not None and area_field is not None:
                in_area = Q(**{f"{area_field}__in": grant.area_ids})
                if action == VIEW:
                    in_area |= Q(**{f"{area_field}__isnull": True})
                grant_q &= in_area
            q |= grant_q
        return q


def _descendants(organisation_ids: Iterable[int]) -> frozenset[int]:
    from trygg.core.models import Organisation

    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(org_id)
    result: set[int] = set()
    stack = list(organisation_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return frozenset(result)


def _area_descendants(area_ids: Iterable[int]) -> frozenset[int]:
    from trygg.core.models import Area

    result: set[int] = set(area_ids)
    frontier = set(result)
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier -= result
        result |= frontier
    return frozenset(result)


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user_id=None)
    cached = getattr(user, "_trygg_scope", None)
    if cached is not None:
        return cached
    from trygg.core.models import Membership

    grants = []
    memberships = Membership.objects.filter(user=user, is_active=True).prefetch_related("areas")
    for membership in memberships:
        area_ids = [a.id for a in membership.areas.all()]
        grants.append(
            Grant(
                organisation_ids=_descendants([membership.organisation_id]),
                area_ids=_area_descendants(area_ids) if area_ids else None,
                role=membership.role,
            )
        )
    scope = Scope(user_id=user.pk, is_superuser=user.is_superuser, grants=grants)
    user._trygg_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after memberships change within the same request or test."""
    if hasattr(user, "_trygg_scope"):
        del user._trygg_scope


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may see or change."""

    def restrict(self, user, action: str = VIEW):
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        if scope.is_superuser:
            return self
        q = self.model.access_q(scope, action)
        if getattr(self.model, "access_q_is_multivalued", False):
            # The rule follows a many-valued relation; filter by key so that a row is
            # counted once and aggregates stay right.
            return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))
        return self.filter(q)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
