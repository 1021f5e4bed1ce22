"""API of the lägesbild: the analyses (same selectors and filters as the pages) and the
situation pictures with their prioritised problems.

Counts are objects ``{"value": 12, "label": "12"}``; a suppressed small count is
``{"value": null, "label": "<5"}`` for a viewer without detail access, as on the page.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from trygg.core.access import VIEW
from trygg.situation import selectors
from trygg.situation.filters import AnalysisFilter, WeeklyFilter
from trygg.situation.models import Problem, SituationPicture

router = Router(tags=["Lägesbild"])

AnalysisQuery = AnalysisFilter.as_schema("SituationAnalysisQuery")
WeeklyQuery = WeeklyFilter.as_schema("SituationWeeklyQuery")


class CountOut(Schema):
    value: int | None
    label: str


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


def _period(period: selectors.Period) -> dict:
    return {"start": period.start, "end": period.end}


def _count(count: selectors.Count) -> dict:
    return count.as_json()


def _form(filter_class, filters, request):
    form = filter_class(filters.model_dump(exclude_none=True), user=request.user)
    if form.organisation is None:
        from django.http import Http404

        raise Http404
    form.checked()
    return form


class Meta(Schema):
    organisation_id: int
    organisation: str
    period: PeriodOut
    detail: bool
    generated: int
    source: str


class Cell(Schema):
    weekday: int
    hour: int
    reports: CountOut
    police: int


class TimeOfWeekOut(Schema):
    meta: Meta
    total: CountOut
    police_total: int
    police_included: bool
    police_source: str
    cells: list[Cell]


@router.get("/time-of-week", response=TimeOfWeekOut)
def time_of_week(request, filters: AnalysisQuery = Query(...)):  # type: ignore[valid-type]
    """Incident reports and police events per local weekday (1 = Monday) and hour."""
    form = _form(AnalysisFilter, filters, request)
    tow = selectors.time_of_week(form.analysis())
    return {
        "meta": _meta(tow.organisation, tow.period, tow.detail, tow.generated, tow.source),
        "total": _count(tow.total),
        "police_total": tow.police_total,
        "police_included": tow.police_included,
        "police_source": tow.police_source,
        "cells": [
            {
                "weekday": c["weekday"],
                "hour": c["hour"],
                "reports": _count(c["reports"]),
                "police": c["police"],
            }
            for c in tow.cells
        ],
    }


def _meta(organisation, period, detail, generated, source) -> dict:
    return {
        "organisation_id": organisation.pk,
        "organisation": organisation.name,
        "period": _period(period),
        "detail": detail,
        "generated": generated,
        "source": source,
    }


class AreaCountOut(Schema):
    area_id: int | None
    name: str
    count: CountOut
    previous: CountOut
    change: str
    population: int | None
    rate_per_1000: float | None


class PlaceCountOut(Schema):
    place_id: int
    name: str
    area: str
    count: CountOut
    top_category: str


class PlacesOut(Schema):
    meta: Meta
    areas: list[AreaCountOut]
    places: list[PlaceCountOut] | None


@router.get("/places", response=PlacesOut)
def places(request, filters: AnalysisQuery = Query(...)):  # type: ignore[valid-type]
    """Reports per area (with rate per 1 000 inhabitants where known) and the top places;
    ``places`` is null for a viewer without detail access."""
    form = _form(AnalysisFilter, filters, request)
    choice = form.choices()
    organisation, period = choice["organisation"], choice["period"]
    analysis = form.analysis(area=None)
    rows = selectors.area_counts(analysis)
    top = selectors.top_places(analysis, limit=20)
    headline = selectors.headline(analysis)
    return {
        "meta": _meta(
            organisation,
            period,
            analysis.detail,
            headline.generated,
            selectors.source_note(organisation, period, headline.generated),
        ),
        "areas": [
            {
                "area_id": r.area.pk if r.area else None,
                "name": r.name,
                "count": _count(r.count),
                "previous": _count(r.previous),
                "change": r.change,
                "population": r.population,
                "rate_per_1000": round(r.rate, 3) if r.rate is not None else None,
            }
            for r in rows
        ],
        "places": None
        if top is None
        else [
            {
                "place_id": p.place_id,
                "name": p.name,
                "area": p.area_name,
                "count": _count(p.count),
                "top_category": p.top_category,
            }
            for p in top
        ],
    }


class MonthOut(Schema):
    month: dt.date
    group: str
    count: CountOut


class SituationTrendOut(Schema):
    meta: Meta
    months: list[MonthOut]


@router.get("/trend", response=SituationTrendOut)
def trend(request, filters: AnalysisQuery = Query(...)):  # type: ignore[valid-type]
    """Reports per month and category group."""
    form = _form(AnalysisFilter, filters, request)
    choice = form.choices()
    organisation, period = choice["organisation"], choice["period"]
    analysis = form.analysis()
    rows = selectors.monthly_trend(analysis)
    headline = selectors.headline(analysis)
    return {
        "meta": _meta(
            organisation,
            period,
            analysis.detail,
            headline.generated,
            selectors.source_note(organisation, period, headline.generated),
        ),
        "months": [{"month": r.month, "group": r.group, "count": _count(r.count)} for r in rows],
    }


class WeeklyRowOut(Schema):
    area: str
    category: str
    count: CountOut
    mean: float
    flagged: bool


class FocusOut(Schema):
    name: str
    area: str
    count: CountOut
    flagged: bool
    categories: str
    when: str


class PoliceTypeOut(Schema):
    event_type: str
    count: int


class WeeklyOut(Schema):
    meta: Meta
    week: str
    baseline: PeriodOut
    rule: str
    total: CountOut
    flagged: int
    rows: list[WeeklyRowOut]
    areas: list[WeeklyRowOut]
    focus_places: list[FocusOut] | None
    quarter: PeriodOut
    quarter_top: list[PlaceCountOut] | None
    police: list[PoliceTypeOut]


@router.get("/weekly", response=WeeklyOut)
def weekly(request, filters: WeeklyQuery = Query(...)):  # type: ignore[valid-type]
    """The weekly picture (EST) of an ISO week (``week=2026-W46``; default: the last
    complete week): per area and category against the mean of the 8 weeks before."""
    form = _form(WeeklyFilter, filters, request)
    choice = form.choices()
    picture = selectors.weekly_picture(form.analysis(), choice["week_start"])

    def row(r):
        return {
            "area": r.area_name,
            "category": r.category_name,
            "count": _count(r.count),
            "mean": round(r.mean, 2),
            "flagged": r.flagged,
        }

    return {
        "meta": _meta(
            picture.organisation, picture.period, picture.detail, picture.generated, picture.source
        ),
        "week": selectors.week_param(picture.week_start),
        "baseline": _period(picture.baseline),
        "rule": picture.rule,
        "total": _count(picture.total),
        "flagged": picture.flagged,
        "rows": [row(r) for r in picture.rows],
        "areas": [row(r) for r in picture.area_rows],
        "focus_places": None
        if picture.focus_places is None
        else [
            {
                "name": f.name,
                "area": f.area_name,
                "count": _count(f.count),
                "flagged": f.flagged,
                "categories": f.categories,
                "when": f.when,
            }
            for f in picture.focus_places
        ],
        "quarter": _period(picture.quarter),
        "quarter_top": None
        if picture.quarter_top is None
        else [
            {
                "place_id": p.place_id,
                "name": p.name,
                "area": p.area_name,
                "count": _count(p.count),
                "top_category": p.top_category,
            }
            for p in picture.quarter_top
        ],
        "police": [{"event_type": t, "count": n} for t, n in picture.police],
    }


class PoliceRowOut(Schema):
    event_type: str
    recent: int
    previous: int
    change: str


class PoliceOut(Schema):
    kommun: str | None
    recent: PeriodOut
    previous: PeriodOut
    rows: list[PoliceRowOut]
    recent_total: int
    previous_total: int
    summaries: int
    source: str


@router.get("/police-events", response=PoliceOut)
def police_events(request, filters: AnalysisQuery = Query(...)):  # type: ignore[valid-type]
    """The police's events in the kommun by type: the 4 weeks up to ``end`` (default
    today) against the 4 weeks before."""
    form = _form(AnalysisFilter, filters, request)
    choice = form.choices()
    summary = selectors.police_summary(
        request.user, choice["organisation"], end=choice["period"].end
    )
    return {
        "kommun": summary.kommun.name if summary.kommun else None,
        "recent": _period(summary.recent),
        "previous": _period(summary.previous),
        "rows": [
            {
                "event_type": r.event_type,
                "recent": r.recent,
                "previous": r.previous,
                "change": r.change,
            }
            for r in summary.rows
        ],
        "recent_total": summary.recent_total,
        "previous_total": summary.previous_total,
        "summaries": summary.summaries,
        "source": summary.source,
    }


@router.get("/map")
def area_map(request, filters: AnalysisQuery = Query(...)):  # type: ignore[valid-type]
    """GeoJSON of the areas shaded by rate, and report points for viewers with detail
    access (the newest 500 in the period)."""
    form = _form(AnalysisFilter, filters, request)
    return selectors.map_data(form.analysis(area=None))


# Situation pictures and problems


class MeasureLinkOut(Schema):
    measure_id: int
    title: str
    note: str


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    priority: int
    status: str
    status_since: dt.date | None
    area_ids: list[int]
    place_ids: list[int]
    has_cause_analysis: bool
    victim: str
    offender: str
    place: str
    causes: dict[str, list[str]]
    measures: list[MeasureLinkOut]
    hidden_measures: int
    has_measure: bool


class PictureOut(Schema):
    id: int
    organisation_id: int
    year: int
    title: str
    summary: str
    state: str
    period_start: dt.date | None
    period_end: dt.date | None
    decided_by: str
    decided_on: dt.date | None
    diarienummer: str
    plan_id: int | None


class PictureListOut(Schema):
    id: int
    organisation_id: int
    year: int
    title: str
    summary: str
    state: str


class PictureDetailOut(PictureOut):
    problems: list[ProblemOut]


def _problem(view: selectors.ProblemView) -> dict:
    analysis = view.analysis
    return {
        "id": view.problem.pk,
        "title": view.problem.title,
        "description": view.problem.description,
        "priority": view.problem.priority,
        "status": view.problem.status,
        "status_since": view.problem.status_since,
        "area_ids": [a.pk for a in view.areas],
        "place_ids": [p.pk for p in view.places],
        "has_cause_analysis": analysis is not None,
        "victim": analysis.victim if analysis else "",
        "offender": analysis.offender if analysis else "",
        "place": analysis.place if analysis else "",
        "causes": analysis.causes if analysis else {},
        "measures": [
            {"measure_id": link.measure_id, "title": link.measure.title, "note": link.note}
            for link in view.measures
        ],
        "hidden_measures": view.hidden_measures,
        "has_measure": view.has_measure,
    }


@router.get("/pictures", response=list[PictureListOut])
def list_pictures(request):
    return list(selectors.pictures_for(request.user))


@router.get("/pictures/{picture_id}", response=PictureDetailOut)
def get_picture(request, picture_id: int):
    picture = get_object_or_404(
        SituationPicture.objects.restrict(request.user, VIEW), pk=picture_id
    )
    return {
        "id": picture.pk,
        "organisation_id": picture.organisation_id,
        "year": picture.year,
        "title": picture.title,
        "summary": picture.summary,
        "state": picture.state,
        "period_start": picture.period_start,
        "period_end": picture.period_end,
        "decided_by": picture.decided_by,
        "decided_on": picture.decided_on,
        "diarienummer": picture.diarienummer,
        "plan_id": _visible_plan_id(request.user, picture),
        "problems": [_problem(v) for v in selectors.problems_of(request.user, picture)],
    }


def _visible_plan_id(user, picture: SituationPicture) -> int | None:
    from trygg.plans.models import Plan

    if picture.plan_id is None:
        return None
    return (
        Plan.objects.restrict(user, VIEW)
        .filter(pk=picture.plan_id)
        .values_list("pk", flat=True)
        .first()
    )


@router.get("/problems/{problem_id}", response=ProblemOut)
def get_problem(request, problem_id: int):
    problem = get_object_or_404(Problem.objects.restrict(request.user, VIEW), pk=problem_id)
    return _problem(selectors.problem_view(request.user, problem))
