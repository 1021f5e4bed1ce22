"""The options of the register's filters that are the user's own data (organisations,
plans, areas, places, partners), kept in the cache under the viewer's scope and the version
of the data they are read from (core.choice_cache)."""

from __future__ import annotations

from django.db.models import Q

from trygg.core import choice_cache, versioning
from trygg.core.access import VIEW, organisations_for
from trygg.core.forms import area_choices
from trygg.core.models import Area, Organisation, Partnership, Place
from trygg.plans.models import Measure, MeasureResponsible, Plan


def choice_queryset(user, name: str):
    """What the user may choose in the filter ``name`` (organisation, plan, area, place,
    partner): only what they may see, and only what has measures where that is the point."""
    measures = Measure.objects.restrict(user, VIEW)
    if name == "organisation":
        return Organisation.objects.filter(id__in=measures.values("organisation_id"))
    if name == "plan":
        return Plan.objects.restrict(user, VIEW).order_by("title")
    if name == "area":
        own_areas = Area.objects.filter(
            organisation__in=organisations_for(user, VIEW, whole_organisation=False)
        )
        return area_choices(
            Area.objects.restrict(user, VIEW).filter(
                Q(id__in=own_areas.values("id"))
                | Q(id__in=own_areas.values("parent_id"))
                | Q(id__in=measures.values("areas"))
            )
        )
    if name == "place":
        return Place.objects.restrict(user, VIEW)
    if name == "partner":
        return Organisation.objects.filter(
            id__in=MeasureResponsible.objects.restrict(user, VIEW).values("organisation_ref")
        )
    raise ValueError(name)


#: The filters whose options are the user's own data, with the field each option shows.
CHOICE_FIELDS = {
    "organisation": "name",
    "plan": "title",
    "area": "name",
    "place": "name",
    "partner": "name",
}
VERSION = "register-choices"


def choice_lists(user) -> dict[str, list[tuple[int, str]]]:
    """The options of the filters that list the user's data, as ``(pk, label)``: five
    restricted queries, read again only when the viewer's scope or that data changes."""

    def compute() -> dict[str, list[tuple[int, str]]]:
        return {
            name: [
                (pk, str(label))
                for pk, label in choice_queryset(user, name).values_list("pk", label_field)
            ]
            for name, label_field in CHOICE_FIELDS.items()
        }

    return choice_cache.remembered(VERSION, user, compute, name="register")


def connect() -> None:
    """Saves and deletes of what the options are read from, and of what decides who sees it
    (partnerships, a plan's partners, a measure's areas), bump the options' version.
    Memberships are not here: they change the viewer's scope, which is in the key."""
    versioning.bump_on_change(
        VERSION,
        [
            Organisation,
            Area,
            Place,
            Partnership,
            Plan,
            Measure,
            MeasureResponsible,
            Measure.areas.through,
            Measure.places.through,
            Plan.partner_organisations.through,
        ],
    )
