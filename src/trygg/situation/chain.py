"""The law's chain in the data (lag 2023:196): lägesbild → orsaksanalys → åtgärdsplan →
uppföljning, read as the documents need it.

- ``situation_document`` is the content of the lägesbild (§4): the kommun's whole
  geographic area (every area included, or its absence stated), reported crime, police
  events, incident reports and surveys with their trends, the consequences, the
  prioritised problems with their orsaksanalys (crime triangle and fishbone), the problem
  places and their history, and the sources, qualitative ones included.
- ``action_plan_document`` is the content of the åtgärdsplan (§5): the measures grouped by
  the prioritised problem and the cause they address, with responsibles, timing, targets
  and follow-up; the measures linked to no problem, listed as such; and the decision.

Both read only what the user may see (``restrict``), suppress small counts for users
without detail access, and give every figure as a ``core.provenance.Figure``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.core.formatting import format_change, format_date, format_number, format_percent
from trygg.core.models import Area, Organisation
from trygg.core.provenance import Figure, figure
from trygg.situation.choices import FishboneCategory, ProblemStatus, SourceKind
from trygg.situation.models import (
    CauseAnalysis,
    PictureSource,
    Problem,
    ProblemMeasure,
    SituationPicture,
)
from trygg.situation.selectors import Named, ProblemView

# Common parts


@dataclass(frozen=True)
class Decision:
    """Beslut: who decided the document, when, and under which diarienummer."""

    decided_by: str
    decided_on: dt.date | None
    diarienummer: str

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def label(self) -> str:
        if self.decided_on is None:
            return _("Not decided")
        text = _("Decided by %(body)s on %(date)s") % {
            "body": self.decided_by or _("(body not given)"),
            "date": format_date(self.decided_on),
        }
        return f"{text}, {self.diarienummer}" if self.diarienummer else text


def picture_period(picture: SituationPicture) -> tuple[dt.date, dt.date]:
    """The days the lägesbild covers: its stated period, else its year."""
    start = picture.period_start or dt.date(picture.year, 1, 1)
    end = picture.period_end or dt.date(picture.year, 12, 31)
    return start, end


def period_label(start: dt.date, end: dt.date) -> str:
    if start == dt.date(start.year, 1, 1) and end == dt.date(end.year, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return f"{format_date(start)} – {format_date(end)}"


def _visible_picture(user, picture: SituationPicture) -> SituationPicture:
    found = (
        SituationPicture.objects.restrict(user, VIEW)
        .select_related("organisation__area", "plan")
        .filter(pk=picture.pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


# Areas


@dataclass(frozen=True)
class AreaCoverage:
    """One area of the kommun and the sources that say something about it."""

    area: Area
    sources: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.sources)


def kommun_areas(organisation: Organisation) -> list[Area]:
    """The parts of the kommun's geographic area (kommundelar), the kommun itself excluded
    (without their boundaries, which no list of areas shows)."""
    areas = Area.objects.filter(organisation=organisation).defer("geometry")
    if organisation.area_id:
        areas = areas.exclude(pk=organisation.area_id)
    return list(areas.order_by("name"))


def _covering_sources(
    user, organisation: Organisation, areas: list[Area], start: dt.date, end: dt.date
) -> tuple[set[int | None], dict[int, set[str]]]:
    """The areas with incident reports the user may see in the period, and the names of the
    statistics series with values the user may see per area.

    Kept in the cache under everything they are read from: the user themself (a reporter
    sees their own reports), what their restriction follows (selectors.problems.restriction),
    the organisation's counts version (situation.rollup, bumped by every change of its
    reports), the statistics version, the reference version (the areas), the organisation,
    its areas and the period.
    """
    from django.core.cache import cache

    from trygg.incidents.models import IncidentReport
    from trygg.situation import fragments, rollup
    from trygg.situation.selectors import problems as problem_selectors
    from trygg.stats import versioning as stats_versions
    from trygg.stats.models import Observation

    key = "trygg:lb-coverage:" + ":".join(
        str(part)
        for part in (
            getattr(user, "pk", ""),
            problem_selectors.restriction(user),
            rollup.version(organisation.pk),
            stats_versions.version(),
            fragments.reference_version(),
            organisation.pk,
            start,
            end,
            "-".join(str(area.pk) for area in areas),
        )
    )
    found: tuple[set[int | None], dict[int, set[str]]] | None = cache.get(key)
    if found is not None:
        return found
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    report_areas = set(
        IncidentReport.objects.restrict(user, VIEW)
        .filter(organisation=organisation, occurred_at__gte=begin, occurred_at__lt=stop)
        .order_by()  # the default ordering would make every report a distinct row
        .values_list("area_id", flat=True)
        .distinct()
    )
    series_areas: dict[int, set[str]] = defaultdict(set)
    for area_id, name in (
        Observation.objects.restrict(user, VIEW)
        .filter(series__organisation=organisation, area__in=areas)
        .filter(period_start__lte=end, period_end__gte=start)
        .order_by()
        .values_list("area_id", "series__name")
        .distinct()
    ):
        series_areas[area_id].add(name)
    found = (report_areas, dict(series_areas))
    cache.set(key, found, 6 * 3600)
    return found


def area_coverage(
    *,
    user,
    picture: SituationPicture,
    checked: bool = False,
    problems: list[ProblemView] | None = None,
) -> list[AreaCoverage]:
    """Which sources cover each area of the kommun in the picture's period: incident
    reports placed in the area, observations of a statistics series for the area, and the
    picture's problems located there. An area with none is not covered; the picture then
    has to state why (``coverage_note``). ``problems``: the picture's problems as the page
    already read them for the user (:func:`picture_problems`), all of them."""
    if not checked:
        picture = _visible_picture(user, picture)
    organisation = picture.organisation
    areas = kommun_areas(organisation)
    start, end = picture_period(picture)
    report_areas, series_areas = _covering_sources(user, organisation, areas, start, end)
    if problems is None:
        from trygg.situation.selectors.problems import problems_of

        problems = problems_of(user, picture, analyses=False)
    problem_areas = {area.pk for view in problems for area in view.areas}
    result = []
    for area in areas:
        sources: list[str] = []
        if area.pk in report_areas:
            sources.append(_("incident reports"))
        sources += sorted(series_areas.get(area.pk, ()))
        if area.pk in problem_areas:
            sources.append(_("prioritised problems"))
        result.append(AreaCoverage(area, tuple(sources)))
    return result


# Statistics


@dataclass(frozen=True)
class StatisticRow:
    """One category of a series: the two periods' values and the change, as figures."""

    label: str
    value_a: Figure | None
    value_b: Figure
    change: str
    verdict: str


@dataclass(frozen=True)
class StatisticBlock:
    """A statistics series of the kommun (reported crime or a survey) with its trend."""

    series_id: int
    name: str
    kind: str
    unit: str
    period_a: str  # empty when the series has a single period
    period_b: str
    rows: tuple[StatisticRow, ...]
    source: str
    url: str


def _stat_text(value: Decimal | None, unit: str, symbol: str = "") -> str:
    if value is None:
        return symbol or "–"
    if unit == "percent":
        return format_percent(value, 1)
    return format_number(value, 0 if value == int(value) else 1)


def statistics_blocks(*, user, organisation: Organisation, kinds: tuple[str, ...]) -> list:
    """The kommun's series of the given kinds that have values for the kommun's area: the
    last period against the one before (stats.selectors.trend), or the single period's
    values when the series has one."""
    from trygg.stats import selectors as stats

    kommun = organisation.area
    if kommun is None:
        return []
    series_list = list(
        stats.series_for(user)
        .filter(organisation=organisation, kind__in=kinds, observations__area=kommun)
        .distinct()
        .order_by("kind", "name")
    )
    blocks = []
    for series in series_list:
        url = reverse("stats:series_detail", args=[series.pk])
        source = series.source or series.name
        periods = stats.periods_of(user, series)
        rows: list[StatisticRow] = []
        if len(periods) >= 2:
            result = stats.trend(user, series, area=kommun)
            if result.period_a is None or result.period_b is None:
                continue
            label_a, label_b = result.period_a.label, result.period_b.label
            for row in result.rows:
                if row.change is None:
                    change = "–"
                elif result.change_unit == "points":
                    change = _("%(n)s points") % {"n": format_number(row.change, 1)}
                elif result.change_unit == "difference":  # a net figure: +1 234, −56
                    change = format_change(row.change).replace("\u00a0%", "")
                else:
                    change = format_change(row.change)
                rows.append(
                    StatisticRow(
                        label=row.category or series.name,
                        value_a=figure(
                            row.value_a,
                            source=source,
                            period=label_a,
                            filters={_("area"): kommun.name, _("category"): row.category},
                            text=_stat_text(row.value_a, series.unit, row.symbol_a),
                            url=url,
                        ),
                        value_b=figure(
                            row.value_b,
                            source=source,
                            period=label_b,
                            filters={_("area"): kommun.name, _("category"): row.category},
                            text=_stat_text(row.value_b, series.unit, row.symbol_b),
                            url=url,
                        ),
                        change=change,
                        verdict=row.verdict_label,
                    )
                )
        elif periods:
            label_a, label_b = "", periods[-1].label
            for observation in (
                stats.observations_for(user, series)
                .filter(area=kommun, period_label=label_b)
                .order_by("category_level", "category")
            ):
                rows.append(
                    StatisticRow(
                        label=observation.category or series.name,
                        value_a=None,
                        value_b=figure(
                            observation.value,
                            source=source,
                            period=label_b,
                            filters={
                                _("area"): kommun.name,
                                _("category"): observation.category,
                            },
                            text=_stat_text(observation.value, series.unit, observation.symbol),
                            url=url,
                        ),
                        change="–",
                        verdict="",
                    )
                )
        else:
            continue
        blocks.append(
            StatisticBlock(
                series_id=series.pk,
                name=series.name,
                kind=series.get_kind_display(),
                unit=series.unit,
                period_a=label_a,
                period_b=label_b,
                rows=tuple(rows),
                source=source,
                url=url,
            )
        )
    return blocks


# Incident reports and police events


@dataclass(frozen=True)
class AreaCount:
    name: str
    count: Figure
    previous: Figure
    change: str


@dataclass(frozen=True)
class IncidentSummary:
    """The kommun's incident reports in the period, per area, against the period before."""

    period: str
    previous_period: str
    total: Figure
    previous_total: Figure
    change: str
    areas: tuple[AreaCount, ...]
    generated: int  # of which generated demo data


def incident_summary(*, user, organisation: Organisation, start: dt.date, end: dt.date):
    from trygg.situation import selectors
    from trygg.situation.comparison import comparison_text

    period = selectors.Period(start, end)
    previous = period.previous()
    analysis = selectors.Analysis(user, organisation, period)
    selectors.prepare(analysis)
    headline = selectors.headline(analysis)
    rows = selectors.area_counts(analysis)
    source = str(selectors.SOURCE_REPORTS)
    url = reverse("situation:overview") + f"?organisation={organisation.pk}"

    def count_figure(count, label: str) -> Figure:
        return figure(
            count.value,
            source=source,
            period=label,
            filters={_("organisation"): organisation.name},
            text=count.label,
            url=url,
            suppressed=count.value is None,
        )

    change = comparison_text(
        user, organisation, period, headline.total.value, headline.previous.value
    )
    return IncidentSummary(
        period=period.label,
        previous_period=previous.label,
        total=count_figure(headline.total, period.label),
        previous_total=count_figure(headline.previous, previous.label),
        change=change,
        areas=tuple(
            AreaCount(
                name=row.name,
                count=count_figure(row.count, period.label),
                previous=count_figure(row.previous, previous.label),
                change=comparison_text(
                    user, organisation, period, row.count.value, row.previous.value
                )
                if row.change != "–"
                else "–",
            )
            for row in rows
        ),
        generated=headline.generated,
    )


@dataclass(frozen=True)
class PoliceCount:
    event_type: str
    recent: Figure
    previous: Figure
    change: str


@dataclass(frozen=True)
class PoliceEvents:
    period: str
    previous_period: str
    total: Figure
    rows: tuple[PoliceCount, ...]
    source: str


def police_events(*, user, organisation: Organisation, end: dt.date) -> PoliceEvents:
    from trygg.situation import selectors

    summary = selectors.police_summary(user, organisation, end=end)
    source = str(selectors.SOURCE_POLICE)
    kommun = {_("kommun"): summary.kommun.name if summary.kommun else "–"}
    return PoliceEvents(
        period=summary.recent.label,
        previous_period=summary.previous.label,
        total=figure(
            summary.recent_total, source=source, period=summary.recent.label, filters=kommun
        ),
        rows=tuple(
            PoliceCount(
                event_type=row.event_type,
                recent=figure(
                    row.recent, source=source, period=summary.recent.label, filters=kommun
                ),
                previous=figure(
                    row.previous, source=source, period=summary.previous.label, filters=kommun
                ),
                change=row.change,
            )
            for row in summary.rows
        ),
        source=str(summary.source),
    )


# Problems


@dataclass(frozen=True)
class CauseView:
    """Orsaksanalys: the crime triangle and the causes per bone of the fishbone."""

    victim: str
    offender: str
    place: str
    causes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (key, label, causes), every bone
    conclusion: str

    @property
    def has_causes(self) -> bool:
        return any(items for _k, _l, items in self.causes)


@dataclass(frozen=True)
class StatusStep:
    on: dt.date
    status: str
    status_label: str
    previous_label: str
    note: str
    author: str


@dataclass(frozen=True)
class ProblemItem:
    """A prioritised problem with its orsaksanalys, places, status and history."""

    problem: Problem
    priority: int
    title: str
    description: str
    status: str
    status_label: str
    status_since: dt.date | None
    areas: tuple[str, ...]
    places: tuple[str, ...]
    analysis: CauseView | None
    measures: tuple[str, ...]  # titles of the linked measures the user may see
    history: tuple[StatusStep, ...]
    url: str
    located: tuple[Named, ...] = ()  # the places with their areas' names


def _cause_view(analysis: CauseAnalysis | None) -> CauseView | None:
    if analysis is None:
        return None
    return CauseView(
        victim=analysis.victim,
        offender=analysis.offender,
        place=analysis.place,
        causes=tuple(
            (key, str(label), tuple(items)) for key, label, items in analysis.causes_by_category()
        ),
        conclusion=analysis.conclusion,
    )


def problem_items(*, user, picture: SituationPicture) -> list[ProblemItem]:
    """The picture's problems, active and monitored first by priority, then the solved."""
    return picture_problems(user=user, picture=picture)[0]


def picture_problems(
    *, user, picture: SituationPicture, problem_id: int | None = None
) -> tuple[list[ProblemItem], list[ProblemView]]:
    """The picture's problems read once, as the documents' items (:func:`problem_items`)
    and as the pages' views (``selectors.problems_of``: by priority, the linked measures
    with their plan and status, and how many the user may not see). ``problem_id``: only
    that problem."""
    from trygg.situation.selectors.problems import read_problems

    reading = read_problems(user, picture, problem_id=problem_id, history=True)
    problems = reading.problems
    history = reading.history
    labels = dict(ProblemStatus.choices)
    items = []
    views = reading.views()
    for problem, view in zip(problems, views, strict=True):
        analysis = reading.analyses.get(problem.pk)
        areas, places, shown = view.areas, view.places, view.measures
        items.append(
            ProblemItem(
                problem=problem,
                priority=problem.priority,
                title=problem.title,
                description=problem.description,
                status=problem.status,
                status_label=str(labels.get(problem.status, problem.status)),
                status_since=problem.status_since,
                areas=tuple(a.name for a in areas),
                places=tuple(p.name for p in places),
                analysis=_cause_view(analysis),
                measures=tuple(
                    link.measure.title
                    for link in sorted(shown, key=lambda k: (k.measure.order, k.measure_id))
                ),
                history=tuple(
                    StatusStep(
                        on=step.on,
                        status=step.status,
                        status_label=str(labels.get(step.status, step.status)),
                        previous_label=str(labels.get(step.previous_status, ""))
                        if step.previous_status
                        else "",
                        note=step.note,
                        author=(step.author.get_full_name() or step.author.username)
                        if step.author
                        else "",
                    )
                    for step in history.get(problem.pk, ())
                ),
                url=problem.get_absolute_url(),
                located=tuple(places),
            )
        )
    order = {ProblemStatus.AKTIVT: 0, ProblemStatus.BEVAKAS: 1, ProblemStatus.LOST: 2}
    items.sort(key=lambda i: (order.get(i.status, 3), i.priority, i.problem.pk))
    return items, views


@dataclass(frozen=True)
class ProblemPlace:
    """A place named by a problem of the lägesbild, with the problems and their status."""

    name: str
    area: str
    problems: tuple[ProblemItem, ...]

    @property
    def on_the_list(self) -> bool:
        """Whether any of its problems is still active or monitored."""
        return any(p.status != ProblemStatus.LOST for p in self.problems)


def places_of(items: list[ProblemItem]) -> list[ProblemPlace]:
    """The list of problem places from the problems (see problem_places)."""
    by_place: dict[int, list[ProblemItem]] = defaultdict(list)
    places: dict[int, Named] = {}
    for item in items:
        for place in item.located:
            by_place[place.pk].append(item)
            places[place.pk] = place
    result = [
        ProblemPlace(
            name=places[pk].name,
            area=places[pk].area,
            problems=tuple(found),
        )
        for pk, found in by_place.items()
    ]
    result.sort(key=lambda p: (not p.on_the_list, p.name))
    return result


def problem_places(*, user, picture: SituationPicture) -> list[ProblemPlace]:
    """The list of problem places: places on the list first (an active or monitored
    problem), then those removed from it (all their problems solved), each with the
    problems' history."""
    picture = _visible_picture(user, picture)
    return places_of(problem_items(user=user, picture=picture))


# Sources


@dataclass(frozen=True)
class SourceItem:
    kind: str
    kind_label: str
    title: str
    provider: str
    findings: str
    collected_on: dt.date | None
    qualitative: bool
    url: str  # the statistics series, when there is one
    source: PictureSource


def picture_sources(*, user, picture: SituationPicture) -> list[SourceItem]:
    labels = dict(SourceKind.choices)
    return [
        SourceItem(
            kind=s.kind,
            kind_label=str(labels.get(s.kind, s.kind)),
            title=s.title,
            provider=s.provider,
            findings=s.findings,
            collected_on=s.collected_on,
            qualitative=s.is_qualitative,
            url=reverse("stats:series_detail", args=[s.series_id]) if s.series_id else "",
            source=s,
        )
        for s in PictureSource.objects.restrict(user, VIEW)
        .filter(picture=picture)
        .order_by("order", "id")
    ]


# The lägesbild document


@dataclass
class SituationDocument:
    """The content of the lägesbild (lag 2023:196 §4) as the user may see it."""

    organisation: Organisation
    picture: SituationPicture
    title: str
    year: int
    period: str
    period_start: dt.date
    period_end: dt.date
    decision: Decision
    summary: str
    consequences: str
    areas: list[AreaCoverage]
    coverage_note: str
    reported_crime: list[StatisticBlock]
    surveys: list[StatisticBlock]
    incidents: IncidentSummary
    police: PoliceEvents
    problems: list[ProblemItem]  # active and monitored: the prioritised problems
    solved_problems: list[ProblemItem]  # removed from the list, with their history
    places: list[ProblemPlace]
    sources: list[SourceItem]
    plan_title: str
    plan_url: str
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def uncovered_areas(self) -> list[AreaCoverage]:
        return [a for a in self.areas if not a.covered]

    @property
    def covers_whole_area(self) -> bool:
        """Every area has data, or the picture states why one has none."""
        return not self.uncovered_areas or bool(self.coverage_note.strip())

    @property
    def qualitative_sources(self) -> list[SourceItem]:
        return [s for s in self.sources if s.qualitative]

    def figures(self) -> list[Figure]:
        """Every figure of the document, in reading order (for "Källor och beräkningar")."""
        found: list[Figure] = [self.incidents.total, self.incidents.previous_total]
        found += [f for a in self.incidents.areas for f in (a.count, a.previous)]
        found.append(self.police.total)
        found += [f for r in self.police.rows for f in (r.recent, r.previous)]
        for block in [*self.reported_crime, *self.surveys]:
            for row in block.rows:
                if row.value_a is not None:
                    found.append(row.value_a)
                found.append(row.value_b)
        return found


def situation_document(*, user, picture: SituationPicture) -> SituationDocument:
    """Everything the lägesbild document shows (lag 2023:196 §4). 404 when the user may
    not see the picture."""
    from trygg.plans.models import Plan
    from trygg.stats.choices import SeriesKind

    picture = _visible_picture(user, picture)
    organisation = picture.organisation
    start, end = picture_period(picture)
    problems = problem_items(user=user, picture=picture)
    plan = (
        Plan.objects.restrict(user, VIEW).filter(pk=picture.plan_id).first()
        if picture.plan_id
        else None
    )
    return SituationDocument(
        organisation=organisation,
        picture=picture,
        title=picture.title,
        year=picture.year,
        period=period_label(start, end),
        period_start=start,
        period_end=end,
        decision=Decision(picture.decided_by, picture.decided_on, picture.diarienummer),
        summary=picture.summary,
        consequences=picture.consequences,
        areas=area_coverage(user=user, picture=picture, checked=True),
        coverage_note=picture.coverage_note,
        reported_crime=statistics_blocks(
            user=user, organisation=organisation, kinds=(SeriesKind.REPORTED_CRIME,)
        ),
        surveys=statistics_blocks(user=user, organisation=organisation, kinds=(SeriesKind.SURVEY,)),
        incidents=incident_summary(user=user, organisation=organisation, start=start, end=end),
        police=police_events(user=user, organisation=organisation, end=end),
        problems=[p for p in problems if p.status != ProblemStatus.LOST],
        solved_problems=[p for p in problems if p.status == ProblemStatus.LOST],
        places=places_of(problems),
        sources=picture_sources(user=user, picture=picture),
        plan_title=plan.title if plan else "",
        plan_url=plan.get_absolute_url() if plan else "",
    )


# The åtgärdsplan document


@dataclass(frozen=True)
class MeasureItem:
    """A measure of the åtgärdsplan as the document lists it."""

    measure: object  # plans.Measure
    title: str
    action: str
    responsibles: tuple[str, ...]
    starts_on: dt.date | None
    ends_on: dt.date | None
    status: str
    progress: int | None
    targets: tuple  # plans.targets.TargetResult
    follow_up: str  # how it is followed up, in words
    url: str


@dataclass(frozen=True)
class CauseGroup:
    """The measures that address one cause (a bone of the fishbone) of a problem."""

    cause: str  # FishboneCategory value, or "" for "the problem as a whole"
    cause_label: str
    causes: tuple[str, ...]  # the causes the analysis lists under this bone
    measures: tuple[MeasureItem, ...]


@dataclass(frozen=True)
class ProblemGroup:
    problem: ProblemItem
    causes: tuple[CauseGroup, ...]

    @property
    def measure_count(self) -> int:
        return sum(len(c.measures) for c in self.causes)


@dataclass
class ActionPlanDocument:
    """The content of the åtgärdsplan (lag 2023:196 §5) as the user may see it."""

    organisation: Organisation
    plan: object  # plans.Plan
    title: str
    kind: str
    period: str
    decision: Decision
    picture: SituationPicture | None  # the lägesbild it is built on
    groups: list[ProblemGroup]
    unlinked: list[MeasureItem]  # measures linked to no problem
    problems_without_measures: list[ProblemItem]
    evaluation_rule: str
    last_evaluated_on: dt.date | None
    next_evaluation_on: dt.date | None
    next_revision_on: dt.date | None
    measure_total: Figure
    linked_total: Figure
    computed_at: dt.datetime = field(default_factory=timezone.now)

    def figures(self) -> list[Figure]:
        found = [self.measure_total, self.linked_total]
        for item in [m for g in self.groups for c in g.causes for m in c.measures] + list(
            self.unlinked
        ):
            for result in item.targets:
                found += [o.actual for o in result.outcomes]
        return found


def _follow_up(plan, targets) -> str:
    parts = []
    for result in targets:
        target = result.target
        how = (
            _("computed from %(source)s") % {"source": target.get_source_display().lower()}
            if result.computed
            else _("outcome entered by hand")
        )
        parts.append(f"{target.description} ({how})")
    parts.append(plan.review_rule)
    return "; ".join(parts)


def action_plan_document(*, user, plan) -> ActionPlanDocument:
    """Everything the åtgärdsplan document shows (lag 2023:196 §5). 404 when the user may
    not see the plan."""
    from trygg.plans import selectors as plan_selectors
    from trygg.plans.models import Plan
    from trygg.plans.targets import target_result

    plan = (
        Plan.objects.restrict(user, VIEW)
        .select_related("organisation__area")
        .filter(pk=plan.pk)
        .first()
    )
    if plan is None:
        raise Http404
    measures = list(plan_selectors.measures_queryset(user).filter(plan=plan))
    picture = (
        SituationPicture.objects.restrict(user, VIEW).filter(plan=plan).order_by("-year").first()
    )
    links = list(
        ProblemMeasure.objects.restrict(user, VIEW)
        .filter(measure__in=measures)
        .select_related("problem")
        .order_by("problem__priority", "problem_id", "id")
    )
    pictures = {link.problem.situation_picture_id for link in links}
    if picture is not None:
        pictures.add(picture.pk)
    problems: dict[int, ProblemItem] = {}
    for picture_id in pictures:
        for item in problem_items(user=user, picture=SituationPicture.objects.get(pk=picture_id)):
            problems[item.problem.pk] = item

    def item_of(measure) -> MeasureItem:
        targets = tuple(target_result(user=user, target=t) for t in measure.targets.all())
        return MeasureItem(
            measure=measure,
            title=measure.title,
            action=measure.action,
            responsibles=tuple(r.display for r in measure.responsibles.all()),
            starts_on=measure.starts_on,
            ends_on=measure.ends_on,
            status=measure.status.name,
            progress=measure.effective_progress,
            targets=targets,
            follow_up=_follow_up(plan, targets),
            url=measure.get_absolute_url(),
        )

    items = {m.pk: item_of(m) for m in measures}
    by_problem: dict[int, dict[str, list[MeasureItem]]] = defaultdict(lambda: defaultdict(list))
    linked: set[int] = set()
    for link in links:
        if link.problem_id not in problems:
            continue  # a problem the user may not see
        by_problem[link.problem_id][link.cause].append(items[link.measure_id])
        linked.add(link.measure_id)
    labels = dict(FishboneCategory.choices)
    groups = []
    for problem_id, item in problems.items():
        if problem_id not in by_problem:
            continue
        analysis = item.analysis
        bones = {key: causes for key, _label, causes in analysis.causes} if analysis else {}
        causes = [
            CauseGroup(
                cause=key,
                cause_label=str(labels[key]) if key else _("The problem as a whole"),
                causes=tuple(bones.get(key, ())),
                measures=tuple(found),
            )
            for key, found in sorted(
                by_problem[problem_id].items(),
                key=lambda kv: (kv[0] == "", list(labels).index(kv[0]) if kv[0] else 0),
            )
        ]
        groups.append(ProblemGroup(problem=item, causes=tuple(causes)))
    groups.sort(key=lambda g: (g.problem.priority, g.problem.problem.pk))
    unlinked = [items[m.pk] for m in measures if m.pk not in linked]
    source = _("measures of the plan in Trygg")
    return ActionPlanDocument(
        organisation=plan.organisation,
        plan=plan,
        title=plan.title,
        kind=plan.get_kind_display(),
        period=period_label(plan.starts_on, plan.ends_on)
        if plan.starts_on and plan.ends_on
        else "–",
        decision=Decision(plan.decided_by, plan.decided_on, plan.diarienummer),
        picture=picture,
        groups=groups,
        unlinked=unlinked,
        problems_without_measures=[
            p
            for p in problems.values()
            if p.problem.pk not in by_problem and p.status != ProblemStatus.LOST
        ],
        evaluation_rule=plan.review_rule,
        last_evaluated_on=plan.last_evaluated_on,
        next_evaluation_on=plan.next_evaluation_on,
        next_revision_on=plan.next_revision_on,
        measure_total=figure(
            len(measures),
            source=source,
            filters={_("plan"): plan.title},
            url=plan.get_absolute_url(),
        ),
        linked_total=figure(
            len(linked),
            source=source,
            filters={_("plan"): plan.title, _("linked to"): _("a prioritised problem")},
            url=plan.get_absolute_url(),
        ),
    )
