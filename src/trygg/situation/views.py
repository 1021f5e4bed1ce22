"""Pages of the lägesbild: the overview, the weekly picture, time of week, areas and
places, and the situation pictures with their prioritised problems and cause analyses."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, may, scope_for
from trygg.core.editing import form_page, form_post
from trygg.core.exports import EXPORT_FORMATS
from trygg.core.filters import FilterSet
from trygg.core.listing import RestrictedListView
from trygg.core.models import Organisation
from trygg.situation import charts, fragments, selectors, services
from trygg.situation import tables as t
from trygg.situation.choices import PictureState, ProblemStatus
from trygg.situation.filters import AnalysisFilter, WeeklyFilter
from trygg.situation.forms import (
    CauseAnalysisForm,
    MeasureLinkForm,
    PictureForm,
    ProblemForm,
    picture_organisations,
)
from trygg.situation.models import Problem, ProblemMeasure, SituationPicture


def _filters(request, filter_class):
    form = filter_class(request.GET or None, user=request.user)
    if form.organisation is None:
        raise Http404  # no organisation whose lägesbild the user may read
    return form


def _query(request) -> str:
    query = request.GET.copy()
    for key in ("export", "format"):
        query.pop(key, None)
    return query.urlencode()


def _table(key: str, table, objects, caption: str, source: str, **extra) -> dict:
    return {
        "key": key,
        "table": table,
        "rows": t.cells(table, objects),
        "objects": objects,
        "caption": caption,
        "source": source,
        # Narrow tables turn into label–value blocks on a phone; the heatmap scrolls.
        "stack": len(table.columns) <= 8,
        **extra,
    }


def _export_or_none(request, tables: dict, prefix: str):
    key, fmt = request.GET.get("export"), request.GET.get("format")
    if not key:
        return None
    if key not in tables or fmt not in EXPORT_FORMATS:
        raise Http404
    table = tables[key]
    return t.export(table["table"], table["objects"], f"{prefix}-{key}", fmt)


def _area_table(rows) -> t.AreaTable:
    """The area table; without population and rate columns when no area has a population."""
    if any(row.population for row in rows):
        return t.AreaTable()
    return t.AreaTable([c for c in t.AreaTable.columns if c.key not in ("population", "rate")])


def _notices(detail: bool, generated: int) -> dict:
    return {
        "detail": detail,
        "generated": generated,
        "small_threshold": settings.SMALL_COUNT_THRESHOLD,
        "grey_note": ""
        if detail
        else _("Grey cells: fewer than %(n)s reports.") % {"n": settings.SMALL_COUNT_THRESHOLD},
    }


def _comparable(user, organisation, period, headline, areas) -> None:
    """Say "ingen jämförbar period" where the previous period has no data (see
    situation.comparison), instead of a percentage over a partly recorded period."""
    from trygg.situation.comparison import has_comparable_period, no_comparison

    if has_comparable_period(user, organisation, period):
        return
    if headline.total.value is not None and headline.previous.value is not None:
        headline.change = no_comparison()
    for row in areas:
        if row.count.value is not None and row.previous.value is not None:
            row.change = no_comparison()


def _overview_tables(request, analysis) -> tuple[dict, dict]:
    """The overview's analyses (everything but the user's own problems and statistics):
    their objects for the page and the tables for the page and the exports."""
    user, organisation, period = request.user, analysis.organisation, analysis.period
    # One scan per period for the totals, areas, places and trend below.
    selectors.prepare(analysis)
    headline = selectors.headline(analysis)
    tow = selectors.time_of_week(analysis)
    areas = selectors.area_counts(analysis)
    _comparable(user, organisation, period, headline, areas)
    places = selectors.top_places(analysis)
    trend = selectors.monthly_trend(analysis)
    police = selectors.police_summary(user, organisation, end=period.end)
    week_start = selectors.last_complete_week(min(period.end, selectors.today()))
    weekly = selectors.weekly_picture(analysis, week_start)
    area_source = tow.source
    tables = {
        "areas": _table("areas", _area_table(areas), areas, _("Reports per area"), area_source),
        "trend": _table("trend", t.TrendTable(), trend, _("Reports per month"), tow.source),
        "police": _table(
            "police", t.PoliceTable(), police.rows, _("Police events by type"), police.source
        ),
        "heatmap": _table(
            "heatmap",
            t.HeatmapTable("reports"),
            tow.rows(),
            _("Reports per weekday and hour"),
            tow.source,
        ),
    }
    if places is not None:
        tables["places"] = _table(
            "places", t.PlaceTable(), places, _("Places with most reports"), area_source
        )
    objects = {
        "headline": headline,
        "tow": tow,
        "weekly": weekly,
        "police": police,
        "areas": areas,
        "trend": trend,
    }
    return objects, tables


@login_required
def overview(request):
    """Lägesbild: every analysis of one organisation on one page."""
    form = _filters(request, AnalysisFilter)
    choice = form.choices()
    user, organisation, period = request.user, choice["organisation"], choice["period"]
    category, area = choice["category"], choice["area"]
    analysis = form.analysis()
    detail = analysis.detail
    query = _query(request)
    if request.GET.get("export"):
        _objects, tables = _overview_tables(request, analysis)
        response = _export_or_none(request, tables, "lagesbild")
        if response is not None:
            return response

    def compute() -> dict:
        objects, tables = _overview_tables(request, analysis)
        tow, areas = objects["tow"], objects["areas"]
        context = {
            **objects,
            "organisation": organisation,
            "tables": tables,
            "query": query,
            "charts": {
                "heatmap": charts.heatmap(tow),
                "police_heatmap": charts.heatmap(tow, layer="police"),
                "trend": charts.trend(objects["trend"]),
                "areas": charts.area_bars(areas),
            },
            "map_data": selectors.map_data(analysis, rows=areas),
            **_notices(detail, objects["headline"].generated),
        }
        return {
            "html": {
                "figures": render_to_string("situation/fragments/overview_figures.html", context),
                "analysis": render_to_string("situation/fragments/overview_analysis.html", context),
            },
            "generated": objects["headline"].generated,
            "context": context,
        }

    parts = fragments.remembered(fragments.key("overview", analysis, query), compute)
    picture = selectors.current_picture(user, organisation)
    problems = [
        p
        for p in (selectors.problems_of(user, picture, analyses=False) if picture else [])
        if p.problem.status != ProblemStatus.LOST
    ]
    return render(
        request,
        "situation/overview.html",
        {
            **parts.get("context", {}),
            "title": _("Situation picture – %(organisation)s") % {"organisation": organisation},
            "filterset": form,
            "organisation": organisation,
            "period": period,
            "category": category,
            "area": area,
            "fragments": parts["html"],
            "picture": picture,
            "problems": problems,
            "problems_without_measure": sum(1 for p in problems if not p.has_measure),
            "statistics": selectors.statistics(user, organisation),
            "query": query,
            "can_add_picture": picture is None
            and picture_organisations(user).filter(pk=organisation.pk).exists(),
            **_notices(detail, parts["generated"]),
        },
    )


def _weekly_tables(picture, organisation) -> dict:
    tables = {
        "deviations": _table(
            "deviations",
            t.WeeklyTable(),
            [r for r in picture.rows if r.flagged],
            _("Deviations"),
            picture.source,
        ),
        "weekly": _table(
            "weekly",
            t.WeeklyTable(),
            picture.rows,
            _("All areas and categories"),
            picture.source,
        ),
        "areas": _table(
            "areas", t.WeeklyAreaTable(), picture.area_rows, _("Per area"), picture.source
        ),
        "police": _table(
            "police",
            t.PoliceWeekTable(),
            picture.police,
            _("Police events last week"),
            picture.time_of_week.police_source,
        ),
        "heatmap": _table(
            "heatmap",
            t.HeatmapTable("reports"),
            picture.time_of_week.rows(),
            _("Reports per weekday and hour"),
            picture.time_of_week.source,
        ),
    }
    if picture.focus_places is not None:
        tables["focus"] = _table(
            "focus", t.FocusTable(), picture.focus_places, _("Places to focus on"), picture.source
        )
        tables["quarter"] = _table(
            "quarter",
            t.PlaceTable(),
            picture.quarter_top or [],
            _("The quarter's top three places"),
            _("Source: %(source)s (%(organisation)s), period %(period)s.")
            % {
                "source": selectors.SOURCE_REPORTS,
                "organisation": organisation.name,
                "period": picture.quarter,
            },
        )
    return tables


@login_required
def weekly(request):
    """Veckobild (EST): last week against the usual level, and where to be next week."""
    form = _filters(request, WeeklyFilter)
    choice = form.choices()
    organisation, week_start = choice["organisation"], choice["week_start"]
    analysis = form.analysis()
    if request.GET.get("export"):
        picture = selectors.weekly_picture(analysis, week_start)
        response = _export_or_none(
            request,
            _weekly_tables(picture, organisation),
            f"veckobild-{selectors.week_param(picture.week_start)}",
        )
        if response is not None:
            return response
    query = _query(request)

    def compute() -> dict:
        picture = selectors.weekly_picture(analysis, week_start)
        context = {
            "organisation": organisation,
            "picture": picture,
            "tables": _weekly_tables(picture, organisation),
            "query": query,
            "charts": {
                "areas": charts.weekly_areas(picture.area_rows),
                "heatmap": charts.heatmap(picture.time_of_week),
            },
            **_notices(picture.detail, picture.generated),
        }
        return {
            "html": {
                "lead": render_to_string("situation/fragments/weekly_lead.html", context),
                "main": render_to_string("situation/fragments/weekly_main.html", context),
            },
            "generated": picture.generated,
            "context": context,
        }

    parts = fragments.remembered(fragments.key("weekly", analysis, week_start, query), compute)
    previous = week_start - dt.timedelta(days=7)
    following = week_start + dt.timedelta(days=7)
    links = request.GET.copy()
    for key in ("export", "format", "week"):
        links.pop(key, None)
    base = links.urlencode()
    return render(
        request,
        "situation/weekly.html",
        {
            **parts.get("context", {}),
            "title": _("Weekly picture %(week)s – %(organisation)s")
            % {"week": selectors.week_label(week_start), "organisation": organisation},
            "filterset": form,
            "organisation": organisation,
            "fragments": parts["html"],
            "query": query,
            "previous_url": f"?{base}&week={selectors.week_param(previous)}".replace("?&", "?"),
            "next_url": (
                f"?{base}&week={selectors.week_param(following)}".replace("?&", "?")
                if following <= selectors.last_complete_week()
                else None
            ),
            **_notices(analysis.detail, parts["generated"]),
        },
    )


def _time_of_week_tables(tow) -> dict:
    tables = {
        "reports": _table(
            "reports",
            t.HeatmapTable("reports"),
            tow.rows(),
            _("Reports per weekday and hour"),
            tow.source,
        ),
    }
    if tow.police_included:
        tables["police"] = _table(
            "police",
            t.HeatmapTable("police"),
            tow.rows(),
            _("Police events per weekday and hour"),
            tow.police_source,
        )
    return tables


@login_required
def time_of_week(request):
    """Tid på veckan: reports and police events per weekday and hour."""
    form = _filters(request, AnalysisFilter)
    choice = form.choices()
    organisation, period = choice["organisation"], choice["period"]
    analysis = form.analysis()
    if request.GET.get("export"):
        tables = _time_of_week_tables(selectors.time_of_week(analysis))
        response = _export_or_none(request, tables, "tid-pa-veckan")
        if response is not None:
            return response
    query = _query(request)

    def compute() -> dict:
        tow = selectors.time_of_week(analysis)
        context = {
            "organisation": organisation,
            "period": period,
            "tow": tow,
            "peak": selectors.peak_label(tow.peak) if tow.detail or tow.total.value else "–",
            "tables": _time_of_week_tables(tow),
            "query": query,
            "charts": {
                "reports": charts.heatmap(tow),
                "police": charts.heatmap(tow, layer="police"),
            },
            **_notices(tow.detail, tow.generated),
        }
        return {
            "html": {
                "main": render_to_string("situation/fragments/time_of_week_main.html", context)
            },
            "generated": tow.generated,
            "context": context,
        }

    parts = fragments.remembered(fragments.key("time_of_week", analysis, query), compute)
    return render(
        request,
        "situation/time_of_week.html",
        {
            **parts.get("context", {}),
            "title": _("Time of week – %(organisation)s") % {"organisation": organisation},
            "filterset": form,
            "organisation": organisation,
            "period": period,
            "fragments": parts["html"],
            "query": query,
            **_notices(analysis.detail, parts["generated"]),
        },
    )


def _places_tables(analysis) -> tuple[dict, dict]:
    organisation, period = analysis.organisation, analysis.period
    selectors.prepare(analysis)
    areas = selectors.area_counts(analysis)
    top = selectors.top_places(analysis, limit=20)
    headline = selectors.headline(analysis)
    source = selectors.source_note(organisation, period, headline.generated)
    tables = {"areas": _table("areas", _area_table(areas), areas, _("Reports per area"), source)}
    if top is not None:
        tables["places"] = _table(
            "places", t.PlaceTable(), top, _("Places with most reports"), source
        )
    return {"areas": areas, "headline": headline, "source": source}, tables


@login_required
def places(request):
    """Platser och områden: counts and rates per area on a map, and the top places."""
    form = _filters(request, AnalysisFilter)
    choice = form.choices()
    organisation, period = choice["organisation"], choice["period"]
    analysis = form.analysis(area=None)
    if request.GET.get("export"):
        _objects, tables = _places_tables(analysis)
        response = _export_or_none(request, tables, "platser")
        if response is not None:
            return response
    query = _query(request)

    def compute() -> dict:
        objects, tables = _places_tables(analysis)
        areas, headline = objects["areas"], objects["headline"]
        context = {
            "organisation": organisation,
            "period": period,
            "tables": tables,
            "query": query,
            "charts": {"areas": charts.area_bars(areas)},
            "has_population": any(row.population for row in areas),
            "map_data": selectors.map_data(analysis, rows=areas),
            "source": objects["source"],
            **_notices(analysis.detail, headline.generated),
        }
        return {
            "html": {"main": render_to_string("situation/fragments/places_main.html", context)},
            "generated": headline.generated,
            "context": context,
        }

    parts = fragments.remembered(fragments.key("places", analysis, query), compute)
    return render(
        request,
        "situation/places.html",
        {
            **parts.get("context", {}),
            "title": _("Areas and places – %(organisation)s") % {"organisation": organisation},
            "filterset": form,
            "organisation": organisation,
            "period": period,
            "fragments": parts["html"],
            "query": query,
            **_notices(analysis.detail, parts["generated"]),
        },
    )


# Situation pictures


class PictureFilter(FilterSet):
    q = forms.CharField(label=gettext_lazy("Search"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    state = forms.ChoiceField(label=gettext_lazy("State"))
    lookups = {"q": "title__icontains", "year": "year", "state": "state"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "—"), *PictureState.choices]


class PictureListView(RestrictedListView):
    model = SituationPicture
    filterset_class = PictureFilter
    table_class = t.PictureTable
    title = gettext_lazy("Situation pictures")
    empty_text = gettext_lazy(
        "There is no situation picture yet. The law asks for one that covers the whole kommun."
    )
    export_name = "lagesbilder"
    create_label = gettext_lazy("New situation picture")

    def base_queryset(self):
        return super().base_queryset().select_related("organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if picture_organisations(self.request.user).exists():
            context["create_url"] = reverse("situation:picture_create")
        return context


def _picture(request, pk, action=VIEW) -> SituationPicture:
    return get_object_or_404(
        SituationPicture.objects.restrict(request.user, action).select_related("organisation"),
        pk=pk,
    )


@login_required
def picture_detail(request, pk):
    from trygg.plans.models import Plan
    from trygg.situation import chain

    picture = _picture(request, pk)
    items, views = chain.picture_problems(user=request.user, picture=picture)
    problems = [p for p in views if p.problem.status != ProblemStatus.LOST]
    return render(
        request,
        "situation/picture_detail.html",
        {
            "title": picture.title,
            "picture": picture,
            "period": chain.period_label(*chain.picture_period(picture)),
            "plan": Plan.objects.restrict(request.user, VIEW).filter(pk=picture.plan_id).first()
            if picture.plan_id
            else None,
            "coverage": chain.area_coverage(
                user=request.user, picture=picture, checked=True, problems=views
            ),
            "sources": chain.picture_sources(user=request.user, picture=picture),
            "places": chain.places_of(items),
            "solved": [i for i in items if i.status == ProblemStatus.LOST],
            "problems": problems,
            "problems_without_measure": sum(1 for p in problems if not p.has_measure),
            "can_change": picture.allows(scope_for(request.user), CHANGE),
            "can_delete": picture.allows(scope_for(request.user), DELETE),
            "can_add_problem": may(request.user, ADD, picture.organisation_id),
        },
    )


@login_required
def picture_create(request):
    if not picture_organisations(request.user).exists():
        raise Http404
    form = PictureForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.picture_create(actor=request.user, **data),
        title=_("New situation picture"),
        success=_("The situation picture was created."),
        done=lambda picture: picture,
        cancel_url=reverse("situation:picture_list"),
    )


@login_required
def picture_edit(request, pk):
    picture = _picture(request, pk, CHANGE)
    initial = {
        f: getattr(picture, f)
        for f in (
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
        )
    }
    initial["organisation"] = picture.organisation_id
    initial["plan"] = picture.plan_id
    form = PictureForm(request.POST or None, initial=initial, user=request.user)
    form.fields["organisation"].disabled = True
    form.fields["organisation"].queryset = Organisation.objects.filter(pk=picture.organisation_id)

    def save(data):
        data.pop("organisation", None)
        services.picture_update(actor=request.user, picture=picture, **data)

    return form_page(
        request,
        form,
        save,
        title=picture.title,
        success=_("The situation picture was saved."),
        done=picture,
        cancel_url=picture.get_absolute_url(),
        context={
            "history_url": reverse("core:history", args=["situation", "situationpicture", pk])
        },
    )


@login_required
def picture_delete(request, pk):
    picture = _picture(request, pk, DELETE)
    if request.method == "POST":
        services.picture_delete(actor=request.user, picture=picture)
        messages.success(request, _("The situation picture was deleted."))
        return redirect("situation:picture_list")
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": picture,
            "cancel_url": picture.get_absolute_url(),
            "consequence": _(
                "Its prioritised problems, cause analyses and links to measures are deleted "
                "too. The change is recorded in the audit log."
            ),
        },
    )


# Problems


def _problem(request, pk, action=VIEW) -> Problem:
    return get_object_or_404(
        Problem.objects.restrict(request.user, action).select_related(
            "situation_picture", "organisation"
        ),
        pk=pk,
    )


@login_required
def problem_detail(request, pk):
    from trygg.situation import chain
    from trygg.situation.forms import ProblemStatusForm

    problem = _problem(request, pk)
    (item,), (view,) = chain.picture_problems(
        user=request.user, picture=problem.situation_picture, problem_id=problem.pk
    )
    scope, areas = scope_for(request.user), [area.pk for area in view.areas]
    can_change = problem.allows(scope, CHANGE, areas)
    return render(
        request,
        "situation/problem_detail.html",
        {
            "title": problem.title,
            "problem": problem,
            "view": view,
            "item": item,
            "status_form": ProblemStatusForm(problem=problem) if can_change else None,
            "can_change": can_change,
            "can_delete": problem.allows(scope, DELETE, areas),
            "link_form": MeasureLinkForm(measures=selectors.measures_to_link(request.user, problem))
            if can_change
            else None,
        },
    )


@login_required
def problem_create(request, picture_pk):
    picture = _picture(request, picture_pk)
    if not may(request.user, ADD, picture.organisation_id):
        raise Http404
    form = ProblemForm(request.POST or None, user=request.user, organisation=picture.organisation)
    return form_page(
        request,
        form,
        lambda data: services.problem_create(actor=request.user, situation_picture=picture, **data),
        title=_("New prioritised problem"),
        success=_("The problem was added."),
        done=lambda problem: problem,
        cancel_url=picture.get_absolute_url(),
        context={"intro": picture.title},
    )


@login_required
def problem_edit(request, pk):
    problem = _problem(request, pk, CHANGE)
    initial = {
        "title": problem.title,
        "description": problem.description,
        "priority": problem.priority,
        "areas": list(problem.areas.all()),
        "places": list(problem.places.all()),
    }
    form = ProblemForm(
        request.POST or None, initial=initial, user=request.user, organisation=problem.organisation
    )
    return form_page(
        request,
        form,
        lambda data: services.problem_update(actor=request.user, problem=problem, **data),
        title=problem.title,
        success=_("The problem was saved."),
        done=problem,
        cancel_url=problem.get_absolute_url(),
        context={"history_url": reverse("core:history", args=["situation", "problem", pk])},
    )


@login_required
def problem_delete(request, pk):
    problem = _problem(request, pk, DELETE)
    if request.method == "POST":
        picture = problem.situation_picture
        try:
            services.problem_delete(actor=request.user, problem=problem)
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(request, _("The problem was deleted."))
        return redirect(picture)
    return render(
        request,
        "core/confirm_delete.html",
        {"object": problem, "cancel_url": problem.get_absolute_url()},
    )


@login_required
def cause_analysis_edit(request, pk):
    problem = _problem(request, pk, CHANGE)
    analysis = problem.cause_analyses.first()
    form = CauseAnalysisForm(request.POST or None, initial=CauseAnalysisForm.initial_for(analysis))
    return form_page(
        request,
        form,
        lambda _data: services.cause_analysis_save(
            actor=request.user, problem=problem, **form.service_arguments()
        ),
        title=_("Cause analysis: %(problem)s") % {"problem": problem.title},
        success=_("The cause analysis was saved."),
        done=problem,
        cancel_url=problem.get_absolute_url(),
        template="situation/cause_analysis_form.html",
        context={"problem": problem},
    )


@login_required
@require_POST
def problem_measure_add(request, pk):
    problem = _problem(request, pk, CHANGE)
    form = MeasureLinkForm(request.POST, measures=selectors.measures_to_link(request.user, problem))
    response = form_post(
        request,
        form,
        lambda data: services.problem_measure_link(actor=request.user, problem=problem, **data),
        success=_("The measure was linked to the problem."),
        done=problem,
    )
    if response is not None:
        return response
    view = selectors.problem_view(request.user, problem)
    return render(
        request,
        "situation/problem_detail.html",
        {
            "title": problem.title,
            "problem": problem,
            "view": view,
            "can_change": True,
            "link_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def problem_measure_remove(request, pk, link_pk):
    problem = _problem(request, pk, CHANGE)
    link = get_object_or_404(
        ProblemMeasure.objects.restrict(request.user, CHANGE), pk=link_pk, problem=problem
    )
    services.problem_measure_unlink(actor=request.user, link=link)
    messages.success(request, _("The link was removed."))
    return redirect(problem)
