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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from trygg.core.choices import Role

if TYPE_CHECKING:
    from trygg.core.actors import Actor, Viewer
    from trygg.core.models import Organisation

_M = TypeVar("_M", bound=models.Model)

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
    # The organisation the membership itself is in (organisation_ids adds those below it).
    membership_organisation_id: int | None = field(default=None, compare=False)


@dataclass
class Scope:
    """The access of one user, computed once per request from their memberships."""

    user_id: int | None
    is_superuser: bool = False
    grants: list[Grant] = field(default_factory=list)
    _partners: tuple[int, frozenset[int]] | None = field(default=None, repr=False, compare=False)

    def partner_ids(self) -> frozenset[int]:
        """The current partners of the organisations the user may view, read once per scope
        (a request) unless a partnership is written meanwhile: every table shared through
        partnerships asks for them."""
        from trygg.core.models import Partnership

        if self._partners is None or self._partners[0] != Partnership.generation:
            found = Partnership.partner_ids(self.organisation_ids(VIEW))
            self._partners = (Partnership.generation, found)
        return self._partners[1]

    def shared_q(self, *, organisation_field: str = "organisation") -> Q:
        """Rows owned by an organisation that shares its data with one of the user's
        organisations (a current partner, :meth:`partner_ids`)."""
        return Q(**{f"{organisation_field}__in": self.partner_ids()})

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
        return self.allows(action, organisation_id, whole_organisation=whole_organisation)

    def allows(
        self,
        action: str,
        organisation: Organisation | int | None,
        *,
        area_ids: Iterable[int] | None = None,
        whole_organisation: bool = False,
        any_area: bool = False,
    ) -> bool:
        """Whether the user may do ``action`` for the organisation.

        - ``whole_organisation``: the thing belongs to the whole organisation (a plan's
          structure, the budget, the lägesbild); only a membership that is not limited to
          some areas allows it.
        - ``area_ids``: the thing lies in these areas. ``None`` means it has no place at all
          (any membership of the organisation allows it); an iterable, even an empty one,
          means an area-limited membership allows it only when every area is one of its own
          (``any_area``: when at least one is). A thing in no area is the whole
          organisation's, so an area-limited membership may not write it.
        """
        if self.is_superuser:
            return True
        organisation_id = (
            organisation.pk if isinstance(organisation, models.Model) else organisation
        )
        if organisation_id is None:
            return False
        limited_to: set[int] = set()
        limited = False
        for grant in self.grants_for(action):
            if organisation_id not in grant.organisation_ids:
                continue
            if grant.area_ids is None:
                return True
            limited = True
            limited_to |= grant.area_ids
        if not limited or whole_organisation:
            return False
        if area_ids is None:
            return True
        wanted = set(area_ids)
        if not wanted:
            return False
        return bool(wanted & limited_to) if any_area else wanted <= limited_to

    def allows_somewhere(self, action: str, *, whole_organisation: bool = False) -> bool:
        """Whether the user may do ``action`` for at least one organisation (to show a
        "new" button or a form whose organisation is chosen in it)."""
        if self.is_superuser:
            return True
        if whole_organisation:
            return bool(self.unlimited_organisation_ids(action))
        return bool(self.organisation_ids(action))

    def owned_q(
        self,
        action: str,
        *,
        organisation_field: str = "organisation",
        area_field: str | None = None,
        whole_organisation: bool = False,
    ) -> Q:
        """Rows owned by an organisation the user may act for, honouring area limits.

        With ``area_field`` (a path to an Area FK or M2M), an area-limited membership sees
        rows in its areas plus rows tied to no area; for any action other than view it must
        be in its areas. With ``whole_organisation``, only memberships that are not limited
        to some areas count (for rows that hold no area to limit by).
        """
        q = Q(pk__in=[])
        for grant in self.grants_for(action):
            if whole_organisation and grant.area_ids is not None:
                continue
            grant_q = Q(**{f"{organisation_field}__in": grant.organisation_ids})
            if grant.area_ids is not None and area_field is not None:
                in_area = Q(**{f"{area_field}__in": grant.area_ids})
                if action == VIEW:
                    in_area |= Q(**{f"{area_field}__isnull": True})
                grant_q &= in_area
            q |= grant_q
        return q


def _organisation_children() -> dict[int | None, list[int]]:
    from trygg.core import sql
    from trygg.core.models import Organisation

    def build(quote: Callable[[str], str]) -> str:
        return "SELECT {}, {} FROM {}".format(  # noqa: S608 - names from the model
            quote(sql.column(Organisation, "pk")),
            quote(sql.column(Organisation, "parent")),
            quote(sql.table(Organisation)),
        )

    # In SQL (core.sql), as the memberships in scope_for: read on every page.
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in sql.rows("organisation-tree", build):
        children.setdefault(parent_id, []).append(org_id)
    return children


def _descendants(
    organisation_ids: Iterable[int], children: dict[int | None, list[int]] | None = None
) -> frozenset[int]:
    if children is None:
        children = _organisation_children()
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
        frontier = set(
            Area.objects.filter(parent_id__in=frontier).order_by().values_list("id", flat=True)
        )
        frontier -= result
        result |= frontier
    return frozenset(result)


def _membership_rows(user_id: int) -> list[tuple[Any, ...]]:
    """(membership, organisation, role, area or None) of the user's active memberships, by
    membership: the rows of ``Membership.objects.filter(user=…, is_active=True)
    .order_by("pk").values_list("pk", "organisation_id", "role", "areas__id")``, in SQL
    (core.sql): read on every page, where the ORM took longer to build it than to run it."""
    from trygg.core import sql
    from trygg.core.models import Membership

    through = Membership._meta.get_field("areas").remote_field.through

    def build(quote: Callable[[str], str]) -> str:
        def name(model: Any, field: str) -> str:
            return quote(sql.column(model, field))

        text = (
            "SELECT m.{pk}, m.{organisation}, m.{role}, a.{area} FROM {membership} m"
            " LEFT OUTER JOIN {areas} a ON a.{through_membership} = m.{pk}"
            " WHERE m.{user} = %s AND m.{active} = %s ORDER BY m.{pk}"
        )
        return text.format(
            pk=name(Membership, "pk"),
            organisation=name(Membership, "organisation"),
            role=name(Membership, "role"),
            area=name(through, "area"),
            membership=quote(sql.table(Membership)),
            areas=quote(sql.table(through)),
            through_membership=name(through, "membership"),
            user=name(Membership, "user"),
            active=name(Membership, "is_active"),
        )

    return sql.rows("memberships", build, [user_id, True])


def scope_for(user: Viewer | None) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user_id=None)
    cached = getattr(user, "_trygg_scope", None)
    if cached is not None:
        return cached
    # One query for the memberships and their area limits (a row per area, or one with None).
    memberships: dict[int, tuple[int, str, list[int]]] = {}
    rows = _membership_rows(user.pk)
    for pk, organisation_id, role, area_id in rows:
        entry = memberships.setdefault(pk, (organisation_id, role, []))
        if area_id is not None:
            entry[2].append(area_id)
    grants = []
    children = _organisation_children() if memberships else {}  # one read for all of them
    for organisation_id, role, area_ids in memberships.values():
        grants.append(
            Grant(
                organisation_ids=_descendants([organisation_id], children),
                area_ids=_area_descendants(area_ids) if area_ids else None,
                role=role,
                membership_organisation_id=organisation_id,
            )
        )
    scope = Scope(user_id=user.pk, is_superuser=user.is_superuser, grants=grants)
    setattr(user, "_trygg_scope", scope)  # noqa: B010  (no such attribute on User's type)
    return scope


def own_organisation_ids(user: Viewer | None) -> list[int]:
    """The organisations of the user's active memberships themselves (not those below them),
    from the scope: no query of its own."""
    return sorted(
        {
            g.membership_organisation_id
            for g in scope_for(user).grants
            if g.membership_organisation_id is not None
        }
    )


def forget_scope(user: Viewer | None) -> None:
    """Drop the cached scope after memberships change within the same request or test."""
    if hasattr(user, "_trygg_scope"):
        delattr(user, "_trygg_scope")
    if hasattr(user, "_trygg_must_verify"):  # core.twofactor.must_verify follows the roles
        delattr(user, "_trygg_must_verify")
    if hasattr(user, "_trygg_can_use_cases"):  # cases.access.can_use_cases
        delattr(user, "_trygg_can_use_cases")


class RestrictedQuerySet(models.QuerySet[_M]):
    """A queryset that knows how to narrow itself to what a user may see or change."""

    def restrict(self, user: Viewer | None, action: str = VIEW) -> Self:
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        if scope.is_superuser:
            return self
        # Every model managed by a RestrictedManager defines access_q (a classmethod); the
        # queryset's model type, bound to Model, cannot say so.
        q = self.model.access_q(scope, action)  # type: ignore[attr-defined]
        if getattr(self.model, "access_q_is_multivalued", False):
            # The rule follows a many-valued relation; filter by key so that a row is
            # counted once and aggregates stay right.
            return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))
        return self.filter(q)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


# The checks that every app uses. Nothing outside core (apart from the models' access_q)
# reads grants itself: views ask ``may()``, forms ask ``organisations_for()``, services call
# ``require()`` or ``require_in()``.


def _area_ids(areas: Iterable[Any]) -> list[int]:
    return [a if isinstance(a, int) else a.pk for a in areas if a is not None]


def may(
    user: Viewer | None,
    action: str,
    organisation: Organisation | int | None = None,
    *,
    areas: Iterable[Any] | None = None,
    whole_organisation: bool = False,
    any_area: bool = False,
) -> bool:
    """Whether the user may do ``action`` for the organisation (in these areas); without an
    organisation, whether they may do it for at least one organisation."""
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    if organisation is None:
        return scope.allows_somewhere(action, whole_organisation=whole_organisation)
    return scope.allows(
        action,
        organisation,
        area_ids=None if areas is None else _area_ids(areas),
        whole_organisation=whole_organisation,
        any_area=any_area,
    )


def require(
    actor: Actor,
    action: str,
    organisation: Organisation | int | None,
    *,
    areas: Iterable[Any] | None = None,
    whole_organisation: bool = False,
    any_area: bool = False,
    message: str | None = None,
) -> None:
    """Refuse the write unless the actor may do ``action`` for the organisation (see
    ``Scope.allows`` for ``areas``, ``whole_organisation`` and ``any_area``).

    Used by services as the last line of defence; views have already narrowed their
    querysets with restrict(), so a refusal here means a forged or stale request.
    ``actor=None`` is system work (the demo loader, a command run by an operator).
    """
    if actor is None:
        return
    if not may(
        actor,
        action,
        organisation if organisation is not None else 0,
        areas=areas,
        whole_organisation=whole_organisation,
        any_area=any_area,
    ):
        raise PermissionDenied(message or _("You do not have permission to do this."))


def require_own_areas(
    actor: Actor,
    action: str,
    organisation: Organisation | int | None,
    areas: Iterable[Any],
    *,
    field: str,
    message: str,
) -> None:
    """Refuse, as an error on ``field``, a thing placed outside the actor's own areas when
    the actor's membership is limited to some areas (the Älta working group may not put a
    measure or a place in Sicklaön). Whether the actor may act for the organisation at all
    is ``require``'s question, not this one's."""
    if actor is None or organisation is None or not may(actor, action, organisation):
        return
    if not may(actor, action, organisation, areas=areas):
        from django.core.exceptions import ValidationError

        raise ValidationError({field: message})


def require_in(actor: Actor, queryset: models.QuerySet[Any], obj: models.Model) -> None:
    """Refuse unless ``obj`` is in ``queryset``, already narrowed with restrict()."""
    if actor is None:
        return
    if not queryset.filter(pk=obj.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))


def organisation_ids_for(
    user: Viewer | None, action: str, *, whole_organisation: bool = True
) -> frozenset[int] | None:
    """The ids of the organisations the user may do ``action`` for; ``None`` means every
    organisation (a system administrator)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    if whole_organisation:
        return scope.unlimited_organisation_ids(action)
    return scope.organisation_ids(action)


def member_organisation_ids(user: Viewer | None, action: str) -> frozenset[int]:
    """The organisations where a membership (whole or area-limited) gives the user ``action``;
    a system administrator's memberships count like anyone's."""
    return frozenset(scope_for(user).organisation_ids(action))


def organisations_for(
    user: Viewer | None, action: str, *, whole_organisation: bool = True
) -> models.QuerySet[Organisation]:
    """The organisations the user may do ``action`` for – by default only through a
    membership that is not limited to some areas (choices in forms that create
    organisation-wide things)."""
    from trygg.core.models import Organisation

    ids = organisation_ids_for(user, action, whole_organisation=whole_organisation)
    if ids is None:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=ids)


def limited_area_ids(
    user: Viewer | None, action: str, organisation: Organisation | int
) -> frozenset[int] | None:
    """The areas an area-limited membership lets the user ``action`` in, for the
    organisation; ``None`` when the user may act in the whole organisation (or not at all:
    combine with ``may``)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    organisation_id = organisation.pk if isinstance(organisation, models.Model) else organisation
    result: set[int] = set()
    for grant in scope.grants_for(action):
        if organisation_id not in grant.organisation_ids:
            continue
        if grant.area_ids is None:
            return None
        result |= grant.area_ids
    return frozenset(result)
