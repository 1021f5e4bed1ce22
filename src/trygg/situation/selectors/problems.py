"""Situation pictures (lägesbilder) and their prioritised problems with linked measures.

A picture's problems as a user may see them (:func:`read_problems`) are kept in the cache
under a key of everything they are made of:

- what the viewer's restriction lets through: the organisations and areas of their
  memberships that allow viewing and their organisations' current partners (read for the
  request anyway), or that they are a superuser. The problems, the links, the status
  history and the measures are restricted by these alone (their ``access_q``) and the
  data below;
- the version of the problems' data (:data:`VERSION_KEY`), bumped by every save and delete
  of a lägesbild, a problem, cause analysis, status change, link to a measure, measure, measure status
  and plan, by the changes of a problem's areas and places and of a plan's partner
  organisations, and by a change of a user's name (the status history shows its authors);
- the version of the reference data (the names of areas and places, situation.fragments);
- the picture, the problem asked for, what was asked to be read, and the models' fields.

The organisation's newest lägesbild the user may see (:func:`current_picture`) is kept the
same way. So a viewer never gets what another restriction let through, and a change shows
on the next view.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet

from trygg.core import versioning
from trygg.core.access import VIEW, limited_area_ids, organisation_ids_for, scope_for
from trygg.core.actors import Viewer
from trygg.core.models import Organisation
from trygg.situation.models import Problem, ProblemMeasure, SituationPicture

VERSION_KEY = "trygg:lb-problems:version"
CACHE_SECONDS = 6 * 3600


def pictures_for(
    user: Viewer, organisation: Organisation | None = None
) -> QuerySet[SituationPicture]:
    queryset = SituationPicture.objects.restrict(user, VIEW).select_related("organisation")
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-year", "title")


def current_picture(user: Viewer, organisation: Organisation) -> SituationPicture | None:
    """The newest lägesbild of the organisation that the user may see (kept in the cache
    like the problems, see the module's doc)."""
    from trygg.situation import fragments

    key = "trygg:lb-picture:" + ":".join(
        str(part)
        for part in (
            _fields(),
            version(),
            fragments.reference_version(),
            restriction(user),
            organisation.pk,
        )
    )
    found: tuple[SituationPicture | None] | None = cache.get(key)
    if found is None:
        found = (pictures_for(user, organisation).first(),)
        cache.set(key, found, CACHE_SECONDS)
    return found[0]


@dataclass(frozen=True)
class Named:
    """An area or place of a problem as the pages show it: its key and name (and for a
    place, the name of its area)."""

    pk: int
    name: str
    area: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass
class ProblemView:
    problem: Problem
    analysis: object | None  # the cause analysis, when it was read (see read_problems)
    measures: list[Any]  # the linked measures the user may see
    hidden_measures: int  # linked measures the user may not see
    areas: list[Named]
    places: list[Named]
    analysed: bool = False  # whether the problem has a cause analysis

    @property
    def has_measure(self) -> bool:
        return bool(self.measures or self.hidden_measures)

    @property
    def has_analysis(self) -> bool:
        return self.analysed or self.analysis is not None


@dataclass
class ProblemReading:
    """A picture's problems as one user may see them, read once (:func:`read_problems`)."""

    problems: list[Problem]
    areas: dict[int, list[Named]]
    places: dict[int, list[Named]]
    analyses: dict[int, Any]  # the first cause analysis of each problem, when read
    links: dict[int, list[ProblemMeasure]]  # the visible links, each with measure_visible
    history: dict[int, list[Any]] = field(default_factory=dict)  # status changes, when read

    def views(self) -> list[ProblemView]:
        result = []
        for problem in self.problems:
            own = self.links.get(problem.pk, [])
            shown = [link for link in own if getattr(link, "measure_visible", False)]
            result.append(
                ProblemView(
                    problem=problem,
                    analysis=self.analyses.get(problem.pk),
                    measures=shown,
                    hidden_measures=len(own) - len(shown),
                    areas=self.areas.get(problem.pk, []),
                    places=self.places.get(problem.pk, []),
                    analysed=bool(getattr(problem, "analysed", False))
                    or problem.pk in self.analyses,
                )
            )
        return result


def version() -> int:
    """The version of the problems' data (see the module's doc)."""
    return versioning.current(VERSION_KEY)


def changed(**_kwargs: Any) -> None:
    """Bump the problems' version now (the transaction's own reads) and at the commit."""
    versioning.bump(VERSION_KEY)


def connect() -> None:
    """Writes of what the problems are read from bump their version (called from the app's
    ready()): a measure's areas decide who may see it, a user's name shows in the status
    history."""
    from django.contrib.auth import get_user_model

    from trygg.plans.models import Measure, MeasureStatus, Plan
    from trygg.situation.models import CauseAnalysis, ProblemStatusChange

    versioning.bump_on_change(
        VERSION_KEY,
        [
            SituationPicture,
            Problem,
            CauseAnalysis,
            ProblemStatusChange,
            ProblemMeasure,
            Measure,
            MeasureStatus,
            Plan,
            Problem.areas.through,
            Problem.places.through,
            Measure.areas.through,
            Measure.places.through,
            Plan.partner_organisations.through,
            get_user_model(),
        ],
    )


_FIELDS: list[str] = []


def _fields() -> str:
    """A digest of the fields of the models kept in the cache: a changed model never
    meets instances kept before the change."""
    if not _FIELDS:
        from trygg.plans.models import Measure, MeasureStatus, Plan
        from trygg.situation.models import CauseAnalysis, ProblemStatusChange

        digest = hashlib.sha256()
        for model in (
            SituationPicture,
            Organisation,
            Problem,
            CauseAnalysis,
            ProblemStatusChange,
            ProblemMeasure,
            Measure,
            MeasureStatus,
            Plan,
        ):
            names = ",".join(f.attname for f in model._meta.concrete_fields)
            digest.update(f"{model._meta.label}:{names};".encode())
        _FIELDS.append(digest.hexdigest()[:16])
    return _FIELDS[0]


def restriction(user: Viewer) -> str:
    """What the user's restriction of the problems, links, status changes and measures
    follows: per organisation they may view for, the whole of it or the areas their
    memberships are limited to, and the current partners of those organisations (or
    everything, for a superuser). Their access rules read nothing else of the user (the
    incident reports' do: a reporter sees their own reports).
    A digest, for the keys of what is kept in the cache per restriction (also the
    statistics block)."""
    scope = scope_for(user)
    if scope.user_id is None:
        return "none"  # not signed in (or inactive): restrict() lets nothing through
    organisations = organisation_ids_for(user, VIEW, whole_organisation=False)
    if organisations is None:
        return "all"
    areas = [
        (pk, None if limited is None else sorted(limited))
        for pk in sorted(organisations)
        for limited in [limited_area_ids(user, VIEW, pk)]
    ]
    partners = sorted(scope.partner_ids()) if areas else []
    return hashlib.sha256(repr((areas, partners)).encode()).hexdigest()


def _key(
    user: Viewer,
    picture: SituationPicture,
    problem_id: int | None,
    analyses: bool,
    history: bool,
) -> str:
    from trygg.situation import fragments

    parts = (
        _fields(),
        version(),
        fragments.reference_version(),
        restriction(user),
        picture.pk,
        problem_id or "",
        int(analyses),
        int(history),
    )
    return "trygg:lb-problems:" + ":".join(str(part) for part in parts)


def read_problems(
    user: Viewer,
    picture: SituationPicture,
    *,
    problem_id: int | None = None,
    analyses: bool = True,
    history: bool = False,
) -> ProblemReading:
    """The picture's problems the user may see, by priority, with their areas, places, cause
    analyses (``analyses``: the analyses themselves; otherwise only whether there is one),
    the links to measures the user may see, each link marked ``measure_visible`` when the
    user may also see the measure (by the measure's plan's sharing, which the link's
    restriction does not follow), and with ``history`` the status changes with their
    authors. ``problem_id``: only that problem.

    The one reading behind the lägesbild, the picture, the problem pages and the documents,
    kept in the cache (see the module's doc).
    """
    if scope_for(user).user_id is None:
        return ProblemReading([], {}, {}, {}, {})
    key = _key(user, picture, problem_id, analyses, history)
    reading: ProblemReading | None = cache.get(key)
    if reading is None:
        reading = _read(user, picture, problem_id=problem_id, analyses=analyses, history=history)
        cache.set(key, reading, CACHE_SECONDS)
    return reading


def _read(
    user: Viewer,
    picture: SituationPicture,
    *,
    problem_id: int | None,
    analyses: bool,
    history: bool,
) -> ProblemReading:
    """The reading of :func:`read_problems` from the database: the areas and places as
    names (not as objects with their boundaries), the measures' visibility in the same
    query as the links."""
    from trygg.plans.models import Measure
    from trygg.situation.models import CauseAnalysis, ProblemStatusChange

    queryset: QuerySet[Any] = (
        Problem.objects.restrict(user, VIEW)
        .filter(situation_picture=picture)
        .order_by("priority", "id")
    )
    if problem_id is not None:
        queryset = queryset.filter(pk=problem_id)
    if not analyses:
        queryset = queryset.annotate(
            analysed=Exists(CauseAnalysis.objects.filter(problem=OuterRef("pk")))
        )
    problems = list(queryset)
    if not problems:
        return ProblemReading([], {}, {}, {}, {})
    ids = [problem.pk for problem in problems]
    areas: dict[int, list[Named]] = defaultdict(list)
    for problem_pk, pk, name in (
        Problem.areas.through.objects.filter(problem_id__in=ids)
        .order_by("area__name", "area_id")
        .values_list("problem_id", "area_id", "area__name")
    ):
        areas[problem_pk].append(Named(pk, name))
    places: dict[int, list[Named]] = defaultdict(list)
    for problem_pk, pk, name, area in (
        Problem.places.through.objects.filter(problem_id__in=ids)
        .order_by("place__name", "place_id")
        .values_list("problem_id", "place_id", "place__name", "place__area__name")
    ):
        places[problem_pk].append(Named(pk, name, area or ""))
    found: dict[int, Any] = {}
    if analyses:
        for analysis in CauseAnalysis.objects.filter(problem_id__in=ids).order_by("problem", "id"):
            found.setdefault(analysis.problem_id, analysis)
    links: dict[int, list[ProblemMeasure]] = defaultdict(list)
    for link in (
        ProblemMeasure.objects.restrict(user, VIEW)
        .filter(problem_id__in=ids)
        .select_related("measure", "measure__status", "measure__plan")
        .annotate(
            measure_visible=Exists(
                Measure.objects.restrict(user, VIEW).filter(pk=OuterRef("measure_id"))
            )
        )
        .order_by("measure__plan__title", "measure__order", "measure_id")
    ):
        links[link.problem_id].append(link)
    steps: dict[int, list[Any]] = defaultdict(list)
    if history:
        for step in (
            ProblemStatusChange.objects.restrict(user, VIEW)
            .filter(problem_id__in=ids)
            .select_related("author")
            .order_by("on", "id")
        ):
            steps[step.problem_id].append(step)
    return ProblemReading(problems, dict(areas), dict(places), found, dict(links), dict(steps))


def problems_of(
    user: Viewer, picture: SituationPicture, *, analyses: bool = True
) -> list[ProblemView]:
    """The picture's prioritised problems with their analysis and measures, in order.

    A problem with no linked measure at all is what Brå warns about (measures not tied to
    problems); the page flags it. ``analyses``: read the cause analyses themselves (without,
    a view says only whether there is one: ``has_analysis``).
    """
    return read_problems(user, picture, analyses=analyses).views()


def problem_view(user: Viewer, problem: Problem) -> ProblemView:
    return next(
        v
        for v in read_problems(user, problem.situation_picture, problem_id=problem.pk).views()
        if v.problem.pk == problem.pk
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
