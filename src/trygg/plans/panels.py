"""Panels other apps add to the measure page (linked decisions, funding …).

Each entry is the dotted path of a function ``(request, measure) -> safe HTML string``. An
entry whose module is not there (the app is not built or not installed) is skipped; any
other import error is a bug and is raised.
"""

from __future__ import annotations

import importlib

from django.utils.safestring import SafeString, mark_safe

MEASURE_PANELS = [
    "trygg.forums.panels.measure_panel",
    "trygg.budget.panels.measure_panel",
]


def _load(path: str):
    module_name, _dot, attribute = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        # Only the panel's own module (or its app package) being absent is skipped.
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            return None
        raise
    return getattr(module, attribute, None)


def render_measure_panels(request, measure, panels: list[str] | None = None) -> list[SafeString]:
    """The HTML of every panel that exists and has something to show."""
    rendered = []
    for path in MEASURE_PANELS if panels is None else panels:
        function = _load(path)
        if function is None:
            continue
        html = function(request, measure)
        if html:
            rendered.append(mark_safe(html))  # noqa: S308 – panels return escaped, safe HTML
    return rendered


def home_measures(request):
    """Start page: open measures (not completed, not cancelled) that the person's own
    organisations are responsible for, across every plan they can see."""
    from django.db.models import F
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from trygg.core.access import own_organisation_ids
    from trygg.core.choice_cache import remembered
    from trygg.core.home import HomePanel, first_and_total
    from trygg.plans import reading
    from trygg.plans.choices import StatusCategory
    from trygg.plans.models import Measure

    own = own_organisation_ids(request.user)  # the active memberships', read with the scope
    if not own:
        return None

    def read() -> tuple[list[tuple], int]:
        queryset = (
            Measure.objects.restrict(request.user, "view")
            # By key, not by a join and DISTINCT over every column of every measure.
            .filter(
                pk__in=Measure.objects.filter(responsibles__organisation_ref__in=own).values("pk")
            )
            .exclude(status__category__in=[StatusCategory.DONE, StatusCategory.CANCELLED])
        )
        return first_and_total(
            # Only what the panel shows (a status is shown by its name), not whole measures.
            queryset.order_by(F("ends_on").asc(nulls_last=True), "plan__title", "order", "pk"),
            "pk",
            "title",
            "status__name",
            "plan__title",
        )

    # Kept under the plans' version (plans, measures, their statuses and responsibles) and
    # the person's scope, which holds their own organisations (core.choice_cache).
    rows, total = remembered(reading.VERSION_KEY, request.user, read, name="home-measures")
    items = [
        (title, reverse("plans:measure_detail", args=[pk]), f"{status} · {plan_title}")
        for pk, title, status, plan_title in rows
    ]
    return HomePanel(
        key="measures",
        title=_("My measures"),
        items=items,
        total=total,
        more_url=reverse("register:index"),
        empty=_("Your organisation is responsible for no open measure."),
    )
