"""Writes for the lägesbild: situation pictures, prioritised problems, cause analyses, the
links between problems and measures, and the bulk load of generated incident reports.

Every function is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one transaction, validates with
``full_clean()`` and writes its audit entry in the same transaction. ``actor=None`` is
system work (the demo loader, the benchmark).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, require
from trygg.core.actors import Actor
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Area, ImportBatch, Organisation, Place
from trygg.core.services import save_validated
from trygg.situation import rollup
from trygg.situation.choices import FishboneCategory, ProblemStatus
from trygg.situation.models import (
    CauseAnalysis,
    CoordinationFunction,
    PictureSource,
    Problem,
    ProblemMeasure,
    ProblemStatusChange,
    SituationPicture,
)

if TYPE_CHECKING:
    from trygg.situation.generator import GeneratedReport

PICTURE_FIELDS = [
    "year",
    "title",
    "summary",
    "state",
    "period_start",
    "period_end",
    "consequences",
    "coverage_note",
    "decided_by",
    "decided_on",
    "diarienummer",
    "plan",
]
PROBLEM_FIELDS = [
    "situation_picture",
    "title",
    "description",
    "priority",
    "areas",
    "places",
    "status",
    "status_since",
]
SOURCE_FIELDS = ["kind", "title", "provider", "findings", "collected_on", "series", "order"]
FUNCTION_FIELDS = [
    "title",
    "unit",
    "person",
    "contact",
    "appointed_on",
    "decided_by",
    "diarienummer",
]
ANALYSIS_FIELDS = ["victim", "offender", "place", "causes", "conclusion"]


# Situation pictures


@transaction.atomic
def picture_create(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    title: str,
    summary: str = "",
    state: str = "utkast",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    consequences: str = "",
    coverage_note: str = "",
    decided_by: str = "",
    decided_on: dt.date | None = None,
    diarienummer: str = "",
    plan: Any = None,
) -> SituationPicture:
    require(actor, ADD, organisation.pk, whole_organisation=True)
    picture = SituationPicture(
        organisation=organisation,
        year=year,
        title=title.strip(),
        summary=summary.strip(),
        state=state,
        period_start=period_start,
        period_end=period_end,
        consequences=consequences.strip(),
        coverage_note=coverage_note.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        diarienummer=diarienummer.strip(),
        plan=plan,
    )
    save_validated(picture)
    record_change(
        actor=actor,
        obj=picture,
        action=AuditAction.CREATE,
        after=snapshot(picture, PICTURE_FIELDS),
    )
    return picture


_UNSET: Any = object()


@transaction.atomic
def picture_update(
    *,
    actor: Actor,
    picture: SituationPicture,
    year: int | None = None,
    title: str | None = None,
    summary: str | None = None,
    state: str | None = None,
    period_start: dt.date | None = _UNSET,
    period_end: dt.date | None = _UNSET,
    consequences: str | None = None,
    coverage_note: str | None = None,
    decided_by: str | None = None,
    decided_on: dt.date | None = _UNSET,
    diarienummer: str | None = None,
    plan: Any = _UNSET,
) -> SituationPicture:
    """Change the lägesbild; arguments left out keep their value (dates and the plan may
    be set to None to clear them)."""
    require(actor, CHANGE, picture.organisation_id, whole_organisation=True)
    before = snapshot(picture, PICTURE_FIELDS)
    given: dict[str, Any] = {
        "year": year,
        "title": title,
        "summary": summary,
        "state": state,
        "consequences": consequences,
        "coverage_note": coverage_note,
        "decided_by": decided_by,
        "diarienummer": diarienummer,
    }
    for key, value in given.items():
        if value is not None:
            setattr(picture, key, value.strip() if isinstance(value, str) else value)
    nullable = {
        "period_start": period_start,
        "period_end": period_end,
        "decided_on": decided_on,
        "plan": plan,
    }
    for key, value in nullable.items():
        if value is not _UNSET:
            setattr(picture, key, value)
    save_validated(picture)
    record_change(
        actor=actor,
        obj=picture,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(picture, PICTURE_FIELDS),
    )
    return picture


@transaction.atomic
def picture_delete(*, actor: Actor, picture: SituationPicture) -> None:
    require(actor, DELETE, picture.organisation_id, whole_organisation=True)
    record_change(
        actor=actor,
        obj=picture,
        action=AuditAction.DELETE,
        before=snapshot(picture, PICTURE_FIELDS),
    )
    picture.delete()


# Sources of the lägesbild


@transaction.atomic
def picture_source_create(
    *,
    actor: Actor,
    picture: SituationPicture,
    kind: str,
    title: str,
    provider: str = "",
    findings: str = "",
    collected_on: dt.date | None = None,
    series: Any = None,
    order: int | None = None,
) -> PictureSource:
    """Record a source of the lägesbild, quantitative (a series) or qualitative (a
    medarbetardialog, a partner's own picture)."""
    require(actor, CHANGE, picture.organisation_id, whole_organisation=True)
    if order is None:
        order = (picture.sources.aggregate(m=Max("order"))["m"] or 0) + 1
    source = PictureSource(
        organisation_id=picture.organisation_id,
        picture=picture,
        kind=kind,
        title=title.strip(),
        provider=provider.strip(),
        findings=findings.strip(),
        collected_on=collected_on,
        series=series,
        order=order,
    )
    _check_series(source)
    save_validated(source)
    record_change(
        actor=actor,
        obj=source,
        action=AuditAction.CREATE,
        after=snapshot(source, ["picture", *SOURCE_FIELDS]),
    )
    return source


def _check_series(source: PictureSource) -> None:
    series = source.series
    if (
        series is not None
        and series.organisation_id != source.organisation_id
        and not series.is_public
    ):
        raise ValidationError({"series": _("The series belongs to another organisation.")})


@transaction.atomic
def picture_source_update(
    *,
    actor: Actor,
    source: PictureSource,
    kind: str,
    title: str,
    provider: str = "",
    findings: str = "",
    collected_on: dt.date | None = None,
    series: Any = None,
) -> PictureSource:
    require(actor, CHANGE, source.organisation_id, whole_organisation=True)
    before = snapshot(source, SOURCE_FIELDS)
    source.kind = kind
    source.title = title.strip()
    source.provider = provider.strip()
    source.findings = findings.strip()
    source.collected_on = collected_on
    source.series = series
    _check_series(source)
    save_validated(source)
    record_change(
        actor=actor,
        obj=source,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(source, SOURCE_FIELDS),
    )
    return source


@transaction.atomic
def picture_source_delete(*, actor: Actor, source: PictureSource) -> None:
    require(actor, CHANGE, source.organisation_id, whole_organisation=True)
    record_change(
        actor=actor,
        obj=source,
        action=AuditAction.DELETE,
        before=snapshot(source, ["picture", *SOURCE_FIELDS]),
    )
    source.delete()


# The samordningsfunktion


@transaction.atomic
def coordination_function_set(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    unit: str = "",
    person: Any = None,
    contact: str = "",
    appointed_on: dt.date | None = None,
    decided_by: str = "",
    diarienummer: str = "",
) -> CoordinationFunction:
    """Name (or rename) the organisation's samordningsfunktion (lag 2023:196 §3)."""
    require(actor, CHANGE, organisation.pk, whole_organisation=True)
    function = CoordinationFunction.objects.filter(organisation=organisation).first()
    created = function is None
    if function is None:
        function = CoordinationFunction(organisation=organisation)
    before = {} if created else snapshot(function, FUNCTION_FIELDS)
    function.title = title.strip()
    function.unit = unit.strip()
    function.person = person
    function.contact = contact.strip()
    function.appointed_on = appointed_on
    function.decided_by = decided_by.strip()
    function.diarienummer = diarienummer.strip()
    save_validated(function)
    record_change(
        actor=actor,
        obj=function,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        before=before,
        after=snapshot(function, FUNCTION_FIELDS),
    )
    return function


# Problems


def _check_geography(organisation_id: int, areas: Iterable[Area], places: Iterable[Place]) -> None:
    errors: dict[str, str] = {}
    if any(a.organisation_id not in (None, organisation_id) for a in areas):
        errors["areas"] = _("An area must be one of the organisation's areas.")
    if any(p.organisation_id != organisation_id for p in places):
        errors["places"] = _("A place must be one of the organisation's places.")
    if errors:
        raise ValidationError(errors)


def _may_change_problem_in(
    actor: Actor, organisation_id: int, areas: list[Area], action: str
) -> None:
    """An area-limited member may write problems that touch one of their areas (the same
    rule as Problem.access_q), never problems of the whole kommun."""
    require(
        actor,
        action,
        organisation_id,
        areas=areas,
        any_area=True,
        message=_("You may only change problems in your own areas."),
    )


@transaction.atomic
def problem_create(
    *,
    actor: Actor,
    situation_picture: SituationPicture,
    title: str,
    description: str = "",
    priority: int = 1,
    areas: Iterable[Area] = (),
    places: Iterable[Place] = (),
    status: str = ProblemStatus.AKTIVT,
    status_since: dt.date | None = None,
) -> Problem:
    organisation_id = situation_picture.organisation_id
    areas, places = list(areas), list(places)
    require(actor, ADD, organisation_id)
    _may_change_problem_in(actor, organisation_id, areas, ADD)
    _check_geography(organisation_id, areas, places)
    problem = Problem(
        organisation_id=organisation_id,
        situation_picture=situation_picture,
        title=title.strip(),
        description=description.strip(),
        priority=priority,
        status=status,
        status_since=status_since or timezone.localdate(),
    )
    save_validated(problem)
    problem.areas.set(areas)
    problem.places.set(places)
    _history(actor, problem, "", problem.status_since or timezone.localdate(), "")
    record_change(
        actor=actor, obj=problem, action=AuditAction.CREATE, after=snapshot(problem, PROBLEM_FIELDS)
    )
    return problem


def _history(actor: Actor, problem: Problem, previous: str, on: dt.date, note: str) -> None:
    save_validated(
        ProblemStatusChange(
            organisation_id=problem.organisation_id,
            problem=problem,
            on=on,
            status=problem.status,
            previous_status=previous,
            note=note.strip(),
            author=actor if getattr(actor, "pk", None) else None,
        )
    )


@transaction.atomic
def problem_set_status(
    *, actor: Actor, problem: Problem, status: str, on: dt.date | None = None, note: str = ""
) -> ProblemStatusChange:
    """Move a problem to aktivt, bevakas or löst, and keep the step in its history: a
    solved problem leaves the list of problems (and its places the list of problem places)
    but stays in the history with the date and the reason."""
    require(actor, CHANGE, problem.organisation_id)
    _may_change_problem_in(actor, problem.organisation_id, list(problem.areas.all()), CHANGE)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if status == problem.status:
        raise ValidationError({"status": _("The problem already has this status.")})
    previous = problem.status
    before = snapshot(problem, ["status", "status_since"])
    problem.status = status
    problem.status_since = on
    save_validated(problem)
    _history(actor, problem, previous, on, note)
    record_change(
        actor=actor,
        obj=problem,
        action=AuditAction.STATUS,
        before=before,
        after=snapshot(problem, ["status", "status_since"]),
        note=note,
    )
    change: ProblemStatusChange | None = problem.status_changes.order_by("-id").first()
    assert change is not None  # _history has just written it
    return change


class ProblemChanges(TypedDict, total=False):
    """What problem_update may change; the status changes through problem_set_status."""

    situation_picture: SituationPicture
    title: str
    description: str
    priority: int
    areas: Iterable[Area] | None
    places: Iterable[Place] | None


@transaction.atomic
def problem_update(*, actor: Actor, problem: Problem, **fields: Unpack[ProblemChanges]) -> Problem:
    organisation_id = problem.organisation_id
    require(actor, CHANGE, organisation_id)
    _may_change_problem_in(actor, organisation_id, list(problem.areas.all()), CHANGE)
    before = snapshot(problem, PROBLEM_FIELDS)
    areas = fields.pop("areas", None)
    places = fields.pop("places", None)
    for key, value in fields.items():
        if key not in PROBLEM_FIELDS or key in ("status", "status_since"):
            raise ValueError(key)  # the status changes through problem_set_status
        setattr(problem, key, value.strip() if isinstance(value, str) else value)
    if areas is not None or places is not None:
        new_areas = list(areas) if areas is not None else list(problem.areas.all())
        new_places = list(places) if places is not None else list(problem.places.all())
        _may_change_problem_in(actor, organisation_id, new_areas, CHANGE)
        _check_geography(organisation_id, new_areas, new_places)
    save_validated(problem)
    if areas is not None:
        problem.areas.set(areas)
    if places is not None:
        problem.places.set(places)
    record_change(
        actor=actor,
        obj=problem,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(problem, PROBLEM_FIELDS),
    )
    return problem


@transaction.atomic
def problem_delete(*, actor: Actor, problem: Problem) -> None:
    require(actor, DELETE, problem.organisation_id)
    _may_change_problem_in(actor, problem.organisation_id, list(problem.areas.all()), DELETE)
    record_change(
        actor=actor,
        obj=problem,
        action=AuditAction.DELETE,
        before=snapshot(problem, PROBLEM_FIELDS),
    )
    problem.delete()


# Cause analyses


def clean_causes(causes: dict[str, Iterable[str]]) -> dict[str, list[str]]:
    """Trimmed causes per known category; empty lines and empty categories dropped."""
    cleaned: dict[str, list[str]] = {}
    for key, items in causes.items():
        if key not in FishboneCategory.values:
            raise ValidationError({"causes": _("Unknown category: %(names)s.") % {"names": key}})
        lines = [str(i).strip() for i in items if str(i).strip()]
        if lines:
            cleaned[key] = lines
    return cleaned


@transaction.atomic
def cause_analysis_save(
    *,
    actor: Actor,
    problem: Problem,
    victim: str = "",
    offender: str = "",
    place: str = "",
    causes: dict[str, Iterable[str]] | None = None,
    conclusion: str = "",
) -> CauseAnalysis:
    """Create or replace the problem's orsaksanalys (one per problem)."""
    require(actor, CHANGE, problem.organisation_id)
    _may_change_problem_in(actor, problem.organisation_id, list(problem.areas.all()), CHANGE)
    found = CauseAnalysis.objects.filter(problem=problem).first()
    created = found is None
    analysis = found or CauseAnalysis(organisation_id=problem.organisation_id, problem=problem)
    before = {} if created else snapshot(analysis, ANALYSIS_FIELDS)
    analysis.victim = victim.strip()
    analysis.offender = offender.strip()
    analysis.place = place.strip()
    analysis.causes = clean_causes(causes or {})
    analysis.conclusion = conclusion.strip()
    save_validated(analysis)
    record_change(
        actor=actor,
        obj=analysis,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        before=before,
        after=snapshot(analysis, ANALYSIS_FIELDS),
    )
    return analysis


# Problem ↔ measure


@transaction.atomic
def problem_measure_link(
    *, actor: Actor, problem: Problem, measure: Any, note: str = "", cause: str = ""
) -> ProblemMeasure:
    """Record that a measure of the åtgärdsplan addresses the problem."""
    from trygg.plans.models import Measure

    require(actor, CHANGE, problem.organisation_id)
    _may_change_problem_in(actor, problem.organisation_id, list(problem.areas.all()), CHANGE)
    if (
        actor is not None
        and not Measure.objects.restrict(actor, VIEW).filter(pk=measure.pk).exists()
    ):
        raise ValidationError({"measure": _("Choose a measure you can see.")})
    link = ProblemMeasure(
        organisation_id=problem.organisation_id,
        problem=problem,
        measure=measure,
        note=note.strip(),
        cause=cause,
    )
    save_validated(link)
    record_change(
        actor=actor,
        obj=link,
        action=AuditAction.CREATE,
        after=snapshot(link, ["problem", "measure", "cause", "note"]),
    )
    return link


@transaction.atomic
def problem_measure_unlink(*, actor: Actor, link: ProblemMeasure) -> None:
    require(actor, CHANGE, link.organisation_id)
    _may_change_problem_in(actor, link.organisation_id, list(link.problem.areas.all()), CHANGE)
    record_change(
        actor=actor,
        obj=link,
        action=AuditAction.DELETE,
        before=snapshot(link, ["problem", "measure", "note"]),
    )
    link.delete()


# Generated incident reports


REPORT_COLUMNS = (
    "organisation_id",
    "category_id",
    "occurred_at",
    "area_id",
    "place_id",
    "lat",
    "lon",
    "address",
    "assessment",
    "description",
    "status",
    "review_note",
    "is_generated",
    "external_ref",
    "import_batch_id",
    "created_at",
    "client_key",
)


@transaction.atomic
def generated_reports_create(
    *,
    actor: Actor,
    organisation: Organisation,
    reports: Iterable[GeneratedReport],
    description: str,
) -> dict[str, int]:
    """Bulk-insert generated incident reports (demo and benchmark data) in one transaction.

    ``reports`` are situation.generator.GeneratedReport rows.

    Why bulk, when every other write goes through the row-by-row incident services: the
    demo loads thousands and the benchmark a million reports, and a service call per row
    (validation queries, an audit entry and a recount per report) would take hours for
    data that no person wrote. What the row services guarantee is kept here set-wise:

    - every report is marked ``is_generated`` and belongs to ``organisation``, and its
      category, area and place are the organisation's (checked against the sets of the
      organisation's ids, not with a query per row); the assessment, the coordinates and
      the time are checked in Python and again by the database's named constraints;
      nothing lies in the future; descriptions are generated text without personal data;
    - the whole load is one transaction: all or nothing;
    - ONE audit entry records the batch (an ImportBatch with the counts) instead of one per
      generated row, so the change log says what happened without a million lines;
    - the pre-computed counts are updated with the new rows (situation.rollup).

    Real reports never come this way: they are filed, imported and reviewed through
    trygg.incidents.services.
    """
    from trygg.incidents.models import IncidentCategory, IncidentReport
    from trygg.situation import bulk

    require(actor, ADD, organisation.pk)
    rollup.catch_up(organisation.pk)
    categories = set(
        IncidentCategory.objects.filter(organisation=organisation).values_list("pk", flat=True)
    )
    own_areas = set(Area.objects.filter(organisation=organisation).values_list("pk", flat=True))
    if organisation.area_id:
        own_areas.add(organisation.area_id)
    places = set(Place.objects.filter(organisation=organisation).values_list("pk", flat=True))
    now = timezone.now()
    latest = now + dt.timedelta(minutes=5)
    batch = ImportBatch(
        organisation=organisation,
        kind="situation.generated_reports",
        filename=description[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
        status=ImportBatch.Status.DONE,
        progress=100,
    )
    save_validated(batch)
    counted: list[tuple[dt.datetime, int, int | None, int | None, bool]] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for number, report in enumerate(reports, start=1):
            problem = _generated_problem(report, categories, own_areas, places, latest)
            if problem:
                raise ValidationError(
                    _("Generated report %(n)s: %(reason)s") % {"n": number, "reason": problem}
                )
            counted.append(
                (report.occurred_at, report.category_id, report.area_id, report.place_id, True)
            )
            yield (
                organisation.pk,
                report.category_id,
                report.occurred_at,
                report.area_id,
                report.place_id,
                report.lat,
                report.lon,
                "",
                report.assessment,
                report.description,
                report.status,
                "",
                True,
                "",
                batch.pk,
                now,
                "",  # a generated report has no device key
            )

    from trygg.incidents import filters as report_filters

    created = bulk.insert(IncidentReport, REPORT_COLUMNS, rows())
    report_filters.changed()  # no signal for these rows: the report list's kept counts
    last_id = (
        IncidentReport.objects.filter(organisation=organisation, import_batch=batch).aggregate(
            m=Max("id")
        )["m"]
        or 0
    )
    count_rows = rollup.add_reports(organisation.pk, counted, last_id=last_id)
    counts = {"created": created, "count_rows": count_rows}
    batch.counts = counts
    batch.save(update_fields=["counts"])
    record_change(
        actor=actor,
        obj=batch,
        action=AuditAction.IMPORT,
        after={"kind": batch.kind, "counts": counts},
        note=description,
    )
    return counts


def _generated_problem(
    report: GeneratedReport,
    categories: Sequence[int] | set[int],
    areas: Sequence[int] | set[int],
    places: Sequence[int] | set[int],
    latest: dt.datetime,
) -> str:
    if report.category_id not in categories:
        return _("The category belongs to another organisation.")
    if report.area_id is not None and report.area_id not in areas:
        return _("The area does not belong to the organisation.")
    if report.place_id is not None and report.place_id not in places:
        return _("The place belongs to another organisation.")
    if report.assessment not in (1, 2, 3):
        return _("The assessment must be 1, 2 or 3.")
    if report.status not in ("ny", "granskad", "avslutad"):
        return _("Unknown status.")
    if report.occurred_at is None or report.occurred_at.tzinfo is None:
        return _("The time must be given with its time zone.")
    if report.occurred_at > latest:
        return _("The time cannot be in the future.")
    if (report.lat is None) != (report.lon is None):
        return _("Give both latitude and longitude, or neither.")
    if (
        report.lat is not None
        and report.lon is not None
        and not (-90 <= report.lat <= 90 and -180 <= report.lon <= 180)
    ):
        return _("Latitude and longitude must both be given and valid.")
    return ""
