"""Situation pictures (lägesbilder) and their prioritised problems with linked measures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.core.models import Organisation
from trygg.situation.models import Problem, ProblemMeasure, SituationPicture


def pictures_for(
    user: Viewer, organisation: Organisation | None = None
) -> QuerySet[SituationPicture]:
    queryset = SituationPicture.objects.restrict(user, VIEW).select_related("organisation")
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-year", "title")


def current_picture(user: Viewer, organisation: Organisation) -> SituationPicture | None:
    """The newest lägesbild of the organisation that the user may see."""
    return pictures_for(user, organisation).first()


@dataclass
class ProblemView:
    problem: Problem
    analysis: object | None
    measures: list[Any]  # the linked measures the user may see
    hidden_measures: int  # linked measures the user may not see
    areas: list[Any]
    places: list[Any]

    @property
    def has_measure(self) -> bool:
        return bool(self.measures or self.hidden_measures)


def problems_of(user: Viewer, picture: SituationPicture) -> list[ProblemView]:
    """The picture's prioritised problems with their analysis and measures, in order.

    A problem with no linked measure at all is what Brå warns about (measures not tied to
    problems); the page flags it.
    """
    from trygg.plans.models import Measure

    problems = list(
        Problem.objects.restrict(user, VIEW)
        .filter(situation_picture=picture)
        .prefetch_related("areas", "places", "cause_analyses")
        .order_by("priority", "id")
    )
    links = list(
        ProblemMeasure.objects.restrict(user, VIEW)
        .filter(problem__in=problems)
        .select_related("measure", "measure__status", "measure__plan")
        .order_by("measure__plan__title", "measure__order", "measure_id")
    )
    visible = set(
        Measure.objects.restrict(user, VIEW)
        .filter(pk__in=[link.measure_id for link in links])
        .values_list("pk", flat=True)
    )
    by_problem: dict[int, list[ProblemMeasure]] = defaultdict(list)
    for link in links:
        by_problem[link.problem_id].append(link)
    result = []
    for problem in problems:
        own = by_problem[problem.pk]
        analyses = list(problem.cause_analyses.all())
        result.append(
            ProblemView(
                problem=problem,
                analysis=analyses[0] if analyses else None,
                measures=[link for link in own if link.measure_id in visible],
                hidden_measures=sum(1 for link in own if link.measure_id not in visible),
                areas=list(problem.areas.all()),
                places=list(problem.places.all()),
            )
        )
    return result


def problem_view(user: Viewer, problem: Problem) -> ProblemView:
    return next(
        v for v in problems_of(user, problem.situation_picture) if v.problem.pk == problem.pk
    )


def measures_to_link(user: Viewer, problem: Problem) -> QuerySet[Any]:
    """Measures the user may see in plans of the problem's organisation or shared with it,
    not yet linked to the problem."""
    from trygg.plans.models import Measure

    return (
        Measure.objects.restrict(user, VIEW)
        .filter(
            Q(plan__organisation_id=problem.organisation_id)
            | Q(plan__partner_organisations=problem.organisation_id)
        )
        .exclude(problem_links__problem=problem)
        .select_related("plan")
        .distinct()
        .order_by("plan__title", "order", "id")
    )
