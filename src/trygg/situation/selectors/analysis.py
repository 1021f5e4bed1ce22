"""Who sees what, and the analysis object every selector of the lägesbild takes.

An :class:`Analysis` is one user's question: an organisation, a period, and optionally a
category and an area. It also holds what the selectors of one page share (the user's areas
and categories, the period's cells), so that a page reads each of them once; nothing is
kept on model instances.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet

from trygg.core.access import VIEW, limited_area_ids, member_organisation_ids, scope_for
from trygg.core.actors import Viewer
from trygg.core.models import Area, Organisation
from trygg.situation.models import partner_ids
from trygg.situation.selectors.periods import Period

if TYPE_CHECKING:
    from trygg.incidents.models import IncidentCategory


def organisations_for(user: Viewer) -> QuerySet[Organisation]:
    """The organisations whose lägesbild the user may read: their own and partners'."""
    return Organisation.objects.restrict(user, VIEW).select_related("area").order_by("name")


def default_organisation(
    user: Viewer, organisations: Iterable[Organisation] | None = None
) -> Organisation | None:
    """The user's own kommun first, else a kommun they are a partner of, else their own
    organisation."""
    organisations = list(organisations if organisations is not None else organisations_for(user))
    if not organisations:
        return None
    own = member_organisation_ids(user, VIEW)

    def rank(org: Organisation) -> tuple[bool, bool, str]:
        # The lägesbild is the kommun's: the police land on their partner kommun's picture.
        return (org.kind not in ("kommun", "stadsdelsforvaltning"), org.pk not in own, org.name)

    return sorted(organisations, key=rank)[0]


def has_detail_access(user: Viewer, organisation: Organisation) -> bool:
    """VIEW in the owning organisation: places, points and exact small counts."""
    scope = scope_for(user)
    return scope.is_superuser or organisation.pk in member_organisation_ids(user, VIEW)


def _visible_area_ids(user: Viewer, organisation: Organisation) -> set[int] | None:
    """The areas whose reports the user sees, or None for all of the organisation's."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    own = member_organisation_ids(user, VIEW)
    if organisation.pk not in own and organisation.pk in partner_ids(scope):
        return None  # a partner sees all of the owner's reports (blurred)
    limited = limited_area_ids(user, VIEW, organisation)
    return None if limited is None else set(limited)


def _sees_reports(user: Viewer, organisation: Organisation) -> bool:
    return has_detail_access(user, organisation) or organisation.pk in partner_ids(scope_for(user))


def analysis_areas(user: Viewer, organisation: Organisation) -> list[Area]:
    """The organisation's areas (kommundelar …) that the user's figures cover.

    A partner may not list the owner's areas in general (core.Area's rule), but sees the
    owner's reports and with them their areas; an area-limited member sees their areas.
    """
    if not _sees_reports(user, organisation):
        return []
    areas = list(Area.objects.filter(organisation=organisation).order_by("name"))
    visible = _visible_area_ids(user, organisation)
    if visible is not None:
        areas = [a for a in areas if a.pk in visible]
    return areas


def analysis_categories(user: Viewer, organisation: Organisation) -> QuerySet[IncidentCategory]:
    """The organisation's incident categories, for users who see its reports."""
    from trygg.incidents.models import IncidentCategory

    if not _sees_reports(user, organisation):
        return IncidentCategory.objects.none()
    return IncidentCategory.objects.filter(organisation=organisation).order_by("order", "name")


def _categories(user: Viewer, organisation: Organisation) -> dict[int, tuple[str, str]]:
    """analysis_categories() as {id: (name, group)}, read by a statement written here (every
    selector asks for them; the ORM's compiling would cost more than the read)."""
    from trygg.incidents.models import IncidentCategory

    if not _sees_reports(user, organisation):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the model, the value a parameter.
            f'SELECT "id", "name", "group" FROM "{IncidentCategory._meta.db_table}" '  # noqa: S608
            'WHERE "organisation_id" = %s ORDER BY "order", "name"',
            [organisation.pk],
        )
        return {pk: (name, group) for pk, name, group in cursor.fetchall()}


@dataclass
class Analysis:
    """One user's analysis: organisation, period, category (None: all) and area (None: the
    whole kommun). Derive the same analysis over another period with :meth:`over`; the
    derived one shares what was read."""

    user: Viewer
    organisation: Organisation
    period: Period
    category: IncidentCategory | None = None
    area: Area | None = None
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, user: Viewer, choice: dict[str, Any]) -> Analysis:
        """From the cleaned choices of an analysis filter (situation.filters)."""
        return cls(
            user=user,
            organisation=choice["organisation"],
            period=choice["period"],
            category=choice.get("category"),
            area=choice.get("area"),
        )

    def over(self, period: Period) -> Analysis:
        return dataclasses.replace(self, period=period)

    @cached_property
    def detail(self) -> bool:
        return has_detail_access(self.user, self.organisation)

    def areas(self) -> list[Area]:
        """analysis_areas(), read once per analysis."""
        if "areas" not in self.memo:
            self.memo["areas"] = analysis_areas(self.user, self.organisation)
        result: list[Area] = self.memo["areas"]
        return result

    def categories(self) -> dict[int, tuple[str, str]]:
        """{category id: (name, group)} of the organisation, read once per analysis."""
        if "categories" not in self.memo:
            self.memo["categories"] = _categories(self.user, self.organisation)
        result: dict[int, tuple[str, str]] = self.memo["categories"]
        return result
