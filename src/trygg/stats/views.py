"""Pages of the stats app: series, their values and analyses, imports and their progress."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, may
from trygg.core.editing import add_form_errors
from trygg.core.listing import RestrictedListView
from trygg.core.models import ImportBatch
from trygg.core.tables import Column, Table
from trygg.core.uploads import read_upload
from trygg.stats import importers, parsers, selectors, services, tasks
from trygg.stats.choices import ImportKind, MeasureType
from trygg.stats.filters import ObservationFilter, SeriesFilter
from trygg.stats.forms import (
    NATIONAL_CHOICE,
    BraImportForm,
    BraYearlyImportForm,
    PopulationForm,
    PopulationImportForm,
    PxImportForm,
    PxMappingForm,
    SeriesEditForm,
    SeriesForm,
    SurveyImportForm,
    SurveyValueForm,
    TrendForm,
    writable_organisations,
)
from trygg.stats.models import IndicatorSeries, Observation

# Files from this size on are imported by the background worker, with a progress bar.
BACKGROUND_BYTES = getattr(settings, "TRYGG_STATS_BACKGROUND_BYTES", 1024 * 1024)

# URL slug → (kind, form, title, description of the format)
IMPORT_FORMATS = {
    "bra-manad": (
        ImportKind.BRA_MONTHLY,
        BraImportForm,
        gettext_lazy("Brå reported crime per month"),
        gettext_lazy(
            "Brå's export with the columns År, Månad, Periodtyp, Preliminär, Kommun, Brott, "
            "Brott_ID, Förälder_ID, Antal and Per100000. The crime categories keep their "
            'hierarchy; a "därav" category is part of its parent and is never added to it.'
        ),
    ),
    "bra-ar": (
        ImportKind.BRA_YEARLY,
        BraYearlyImportForm,
        gettext_lazy("Brå reported crime per area and year"),
        gettext_lazy(
            "Columns year, area, crime_type and count (år, område, brottstyp, antal). A row "
            'for "<name> kommun" is the whole municipality; other areas are created as '
            "district areas under it. An empty count is kept as missing, never as 0."
        ),
    ),
    "px": (
        ImportKind.PX,
        PxImportForm,
        gettext_lazy("PX file (PC-Axis)"),
        gettext_lazy(
            "A table from SCB or another PX-Web database. After the upload you choose which "
            'variable is the area, the period and the category. The symbols ".", ".." '
            'and "..." are kept as missing values.'
        ),
    ),
    "enkat": (
        ImportKind.SURVEY,
        SurveyImportForm,
        gettext_lazy("Survey indicators"),
        gettext_lazy(
            "Semicolon-separated columns indikator;område;år;värde;urval;riket – the value "
            "and the national value in percent, e.g. Trygg utomhus när det är mörkt;Nacka;"
            "2023;83,5;;75."
        ),
    ),
    "folkmangd": (
        ImportKind.POPULATION,
        PopulationImportForm,
        gettext_lazy("Population"),
        gettext_lazy(
            "Semicolon-separated columns område (or kod);år;folkmängd, e.g. Nacka;2024;110394."
        ),
    ),
}


def _can(user, action) -> bool:
    return may(user, action, whole_organisation=True)


def _require_any(user, action) -> None:
    """Pages that create data exist only for those who may create something (else 404)."""
    if not _can(user, action):
        raise Http404


def _series(request, pk, action=VIEW) -> IndicatorSeries:
    return get_object_or_404(
        IndicatorSeries.objects.restrict(request.user, action).select_related("organisation"),
        pk=pk,
    )


# ---------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------


def _period_range(series) -> str:
    if not series.first_period:
        return ""
    first, last = series.first_period.year, series.last_period.year
    return str(first) if first == last else f"{first}–{last}"


class SeriesTable(Table):
    default_sort = "name"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda s: s.name,
            sort="name",
            link=lambda s: reverse("stats:series_detail", args=[s.pk]),
        ),
        Column("kind", gettext_lazy("Kind"), lambda s: s.get_kind_display(), sort="kind"),
        Column("unit", gettext_lazy("Unit"), lambda s: s.get_unit_display(), sort="unit"),
        Column(
            "measure_type",
            gettext_lazy("Measure type"),
            lambda s: s.get_measure_type_display(),
            sort="measure_type",
        ),
        Column("source", gettext_lazy("Source"), lambda s: s.source, sort="source"),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda s: s.organisation.name,
            sort="organisation__name",
        ),
        Column("years", gettext_lazy("Years"), _period_range, sort="first_period"),
        Column(
            "values",
            gettext_lazy("Values"),
            lambda s: s.observation_count,
            sort="observation_count",
            numeric=True,
        ),
    ]


class SeriesListView(RestrictedListView):
    model = IndicatorSeries
    filterset_class = SeriesFilter
    table_class = SeriesTable
    title = gettext_lazy("Statistics")
    empty_text = gettext_lazy(
        "There are no statistics yet. Import figures from Brå, Statistics Sweden (PX) or a survey."
    )
    export_name = "statistik"
    create_label = gettext_lazy("New series")

    def base_queryset(self):
        return selectors.series_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if _can(self.request.user, ADD):
            context["create_url"] = reverse("stats:series_create")
            context["extra_actions"] = [
                (reverse("stats:import_index"), _("Import")),
                (reverse("stats:population_set"), _("Enter population")),
                (reverse("stats:survey_value_set"), _("Enter survey value")),
            ]
        return context


@login_required
def series_create(request):
    _require_any(request.user, ADD)
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The series was created."))
            return redirect("stats:series_detail", pk=series.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("New series"), "cancel_url": reverse("stats:series_list")},
    )


@login_required
def series_edit(request, pk):
    series = _series(request, pk, CHANGE)
    fields = ["name", "measure_type", "source", "description", "is_public"]
    initial = {f: getattr(series, f) for f in fields}
    form = SeriesEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # A form without the measure type (older clients) leaves it as it is.
        data = {k: v for k, v in form.cleaned_data.items() if k != "measure_type" or v}
        try:
            services.series_update(actor=request.user, series=series, **data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The series was saved."))
            return redirect("stats:series_detail", pk=series.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": series.name,
            "cancel_url": reverse("stats:series_detail", args=[series.pk]),
            "history_url": reverse("core:history", args=["stats", "indicatorseries", series.pk]),
        },
    )


@login_required
def series_delete(request, pk):
    series = _series(request, pk, DELETE)
    if request.method == "POST":
        services.series_delete(actor=request.user, series=series)
        messages.success(request, _("The series was deleted."))
        return redirect("stats:series_list")
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": series,
            "cancel_url": reverse("stats:series_detail", args=[series.pk]),
            "consequence": _(
                "All %(count)s values of the series are deleted too. This cannot be undone."
            )
            % {"count": series.observations.count()},
        },
    )


@login_required
def series_detail(request, pk):
    """A series: its chart, the trend between two periods and the parts of an area."""
    series = _series(request, pk)
    user = request.user
    periods = selectors.periods_of(user, series)
    categories = [c for c in selectors.categories_of(user, series) if c]
    areas = selectors.areas_of(user, series)
    form = TrendForm(request.GET or None, periods=periods, categories=categories, areas=areas)
    period_a = period_b = None
    category = categories[0] if len(categories) > 0 else None
    area = None
    if form.is_bound and form.is_valid():
        period_a = form.cleaned_data["a"] or None
        period_b = form.cleaned_data["b"] or None
        category = form.cleaned_data["category"] or None
        area = next((a for a in areas if str(a.pk) == form.cleaned_data["area"]), None)
    elif not form.is_bound:
        # The main category (e.g. all crimes) first; the user can widen to all.
        form = TrendForm(
            initial={
                "a": periods[-2].label if len(periods) > 1 else "",
                "b": periods[-1].label if periods else "",
                "category": category or "",
            },
            periods=periods,
            categories=categories,
            areas=areas,
        )
    if not categories:
        form.fields.pop("category")
    if len(areas) < 2:
        form.fields.pop("area")
    trend = selectors.trend(user, series, period_a, period_b, area=area, category=category)
    shares = []
    if series.is_count and trend.period_b is not None:
        # Parts of a kommun (kommundelar, stadsområden); a län's kommuner in a series are
        # seldom all of them, so a "total" of those present would mislead.
        parents = {
            a.parent for a in areas if a.parent_id and a.parent.kind not in ("lan", "omrade")
        } & set(areas)
        for parent in sorted(parents, key=lambda a: a.name):
            table = selectors.share_by_area(
                user, series, parent, trend.period_b.label, category or ""
            )
            if table is not None:
                shares.append(table)
    chart_query = {}
    if category is not None:
        chart_query["category"] = category
    if area is not None:
        chart_query["area"] = area.pk
    from django.utils.http import urlencode

    return render(
        request,
        "stats/series_detail.html",
        {
            "series": series,
            "title": series.name,
            "form": form,
            "trend": trend,
            "shares": shares,
            "category": category,
            "tree": selectors.category_tree(user, series) if categories else [],
            "overview": selectors.overview(user, series),
            "several_periods": len({p.start for p in periods}) > 1,
            "trend_has_pairs": any(
                r.value_a is not None and r.value_b is not None for r in trend.rows
            ),
            "periods": periods,
            "observation_count": selectors.observations_for(user, series).count(),
            "chart_url": reverse("stats:series_chart", args=[series.pk])
            + ("?" + urlencode(chart_query) if chart_query else ""),
            "can_change": IndicatorSeries.objects.restrict(user, CHANGE)
            .filter(pk=series.pk)
            .exists(),
            "can_delete": IndicatorSeries.objects.restrict(user, DELETE)
            .filter(pk=series.pk)
            .exists(),
        },
    )


@login_required
def series_chart(request, pk):
    """The Vega-Lite spec of the series' chart, read by stats.js."""
    series = _series(request, pk)
    category = request.GET.get("category")
    area = None
    if request.GET.get("area"):
        try:
            area = selectors.area_of_series(request.user, series, int(request.GET["area"]))
        except ValueError:
            area = None
        if area is None:
            raise Http404
    return JsonResponse(selectors.chart_spec(request.user, series, category=category, area=area))


def _number(value):
    """A stored decimal as the number it is: 1259, not 1259.000000 (for page and export)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _value(observation):
    return _number(observation.value)


class ObservationTable(Table):
    default_sort = "period"
    columns = [
        Column("period", gettext_lazy("Period"), lambda o: o.period_label, sort="period_start"),
        Column("area", gettext_lazy("Area"), lambda o: o.area.name, sort="area__name"),
        Column("category", gettext_lazy("Category"), lambda o: o.category, sort="category"),
        Column("code", gettext_lazy("Code"), lambda o: o.category_code, sort="category_code"),
        Column("value", gettext_lazy("Value"), _value, sort="value", numeric=True),
        Column("symbol", gettext_lazy("Symbol"), lambda o: o.symbol, sort="symbol"),
        Column(
            "preliminary",
            gettext_lazy("Preliminary"),
            lambda o: _("yes") if o.preliminary else "",
            sort="preliminary",
        ),
        Column(
            "per_100k",
            gettext_lazy("Per 100 000"),
            lambda o: _number(o.per_100k),
            sort="per_100k",
            numeric=True,
        ),
        Column("sample", gettext_lazy("Sample size"), lambda o: o.sample_size, numeric=True),
        Column(
            "national",
            gettext_lazy("National"),
            lambda o: _number(o.comparison_value),
            numeric=True,
        ),
        Column(
            "batch",
            gettext_lazy("Import"),
            lambda o: o.import_batch.filename if o.import_batch else "",
            link=lambda o: (
                reverse("stats:batch_detail", args=[o.import_batch_id])
                if o.import_batch_id
                else None
            ),
        ),
    ]


class ObservationListView(RestrictedListView):
    """The values of one series, filtered, sorted and exportable."""

    model = Observation
    filterset_class = ObservationFilter
    template_name = "stats/observation_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.series = _series(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self):
        return _("Values: %(series)s") % {"series": self.series.name}

    @property
    def export_name(self):
        return f"statistik-{self.series.pk}"

    # Columns that only some series fill (symbols, Brå's per-100 000 value, survey sample
    # sizes …) are shown when the series has such values.
    OPTIONAL_COLUMNS = {
        "category": ~Q(category=""),
        "code": ~Q(category_code=""),
        "symbol": ~Q(symbol=""),
        "preliminary": Q(preliminary=True),
        "per_100k": Q(per_100k__isnull=False),
        "sample": Q(sample_size__isnull=False),
        "national": Q(comparison_value__isnull=False),
    }

    @property
    def table_class(self):
        present = self.base_queryset().aggregate(
            **{key: Count("pk", filter=q) for key, q in self.OPTIONAL_COLUMNS.items()}
        )
        columns = [c for c in ObservationTable.columns if c.key not in present or present[c.key]]
        return lambda: ObservationTable(columns)

    def get_filterset(self):
        return self.filterset_class(
            self.request.GET or None, user=self.request.user, series=self.series
        )

    def base_queryset(self):
        return selectors.observations_for(self.request.user, self.series)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = self.series
        return context


@login_required
def comparison(request, pk):
    """An area beside the areas above it (kommundel → kommun → län → riket)."""
    series = _series(request, pk)
    user = request.user
    periods = selectors.periods_of(user, series)
    categories = selectors.categories_of(user, series)
    areas = selectors.areas_of(user, series)
    area = next((a for a in areas if str(a.pk) == request.GET.get("area")), None)
    if area is None:
        # The smallest area first: a kommundel says most beside its kommun.
        area = next((a for a in areas if a.parent_id and a.kind not in ("kommun", "lan")), None)
        area = area or (areas[0] if areas else None)
    period = request.GET.get("period") or (periods[-1].label if periods else "")
    category = request.GET.get("category")
    if category is None or category not in categories:
        category = categories[0] if categories else ""
    rows = selectors.comparison(user, series, area, period, category) if area else []
    return render(
        request,
        "stats/comparison.html",
        {
            "series": series,
            "title": _("Comparison: %(series)s") % {"series": series.name},
            "areas": areas,
            "area": area,
            "periods": periods,
            "period": period,
            "categories": [c for c in categories if c],
            "category": category,
            "rows": rows,
            "has_population": any(r.population for r in rows),
            "has_per_100k": any(r.per_100k is not None for r in rows),
        },
    )


# ---------------------------------------------------------------------------
# Single values: population and survey results
# ---------------------------------------------------------------------------


@login_required
def population_set(request):
    _require_any(request.user, ADD)
    form = PopulationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.population_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        except PermissionDenied as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(request, _("The population was saved."))
            return redirect("stats:series_detail", pk=observation.series_id)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Enter population"),
            "intro": _("The population at 31 December, e.g. from SCB."),
            "cancel_url": reverse("stats:series_list"),
        },
    )


@login_required
def survey_value_set(request):
    _require_any(request.user, ADD)
    form = SurveyValueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.survey_value_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        except PermissionDenied as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(request, _("The survey value was saved."))
            return redirect("stats:series_detail", pk=observation.series_id)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Enter survey value"),
            "intro": _(
                "One result of a survey in percent, e.g. SCB:s medborgarundersökning or "
                "Polisens trygghetsmätning."
            ),
            "cancel_url": reverse("stats:series_list"),
        },
    )


# ---------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------


def _batches(user):
    return (
        ImportBatch.objects.restrict(user, VIEW)
        .filter(kind__startswith="stats.")
        .select_related("organisation", "created_by")
    )


@login_required
def import_index(request):
    _require_any(request.user, ADD)
    formats = [
        {"slug": slug, "title": title, "description": description}
        for slug, (_kind, _form, title, description) in IMPORT_FORMATS.items()
    ]
    return render(
        request,
        "stats/import_index.html",
        {
            "title": _("Import statistics"),
            "formats": formats,
            "batches": [
                (batch, dict(ImportKind.choices).get(batch.kind, batch.kind))
                for batch in _batches(request.user)[:20]
            ],
        },
    )


def _start_import(request, *, organisation, kind, filename, content, options):
    """Create the batch and import now, or queue it for the worker when the file is large."""
    batch = services.import_batch_create(
        actor=request.user,
        organisation=organisation,
        kind=kind,
        filename=filename,
        content=content,
    )
    if len(content) >= BACKGROUND_BYTES:
        path = tasks.store_upload(batch, content)
        transaction.on_commit(
            lambda: tasks.import_statistics.enqueue(batch.pk, str(path), options, request.user.pk)
        )
        return batch
    return importers.run(actor=request.user, batch=batch, content=content, options=options)


def _problem_response(request, template, context, batch):
    context["batch"] = batch
    context["problems"] = batch.problems
    return render(request, template, context)


@login_required
def import_file(request, fmt):
    """One import page per format: upload, check, import all or nothing."""
    _require_any(request.user, ADD)
    if fmt not in IMPORT_FORMATS:
        raise Http404
    kind, form_class, title, description = IMPORT_FORMATS[fmt]
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    context = {
        "form": form,
        "title": title,
        "description": description,
        "fmt": fmt,
        "problems": [],
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = read_upload(data["file"], extensions=importers.EXTENSIONS[kind])
        except ValidationError as error:
            form.add_error("file", error)
            return render(request, "stats/import_form.html", context)
        options = {
            key: data[key]
            for key in ("series_name", "is_public", "kommun", "source")
            if key in data
        }
        if kind == ImportKind.PX:
            return _px_upload(request, form, context, content, options)
        try:
            batch = _start_import(
                request,
                organisation=data["organisation"],
                kind=kind,
                filename=data["file"].name,
                content=content,
                options=options,
            )
        except PermissionDenied as error:
            form.add_error("organisation", str(error))
            return render(request, "stats/import_form.html", context)
        if batch.status == ImportBatch.Status.REJECTED:
            return _problem_response(request, "stats/import_form.html", context, batch)
        return redirect("stats:batch_detail", pk=batch.pk)
    return render(request, "stats/import_form.html", context)


PX_SESSION_KEY = "stats_px_upload"


def _pending_path(token: str) -> Path:
    return tasks.upload_dir() / f"pending-{token}.px"


def _px_upload(request, form, context, content, options):
    """Step 1 of a PX import: check the file, keep it, and ask how to map its variables."""
    try:
        parsers.parse_px(content)
    except parsers.StatsFileError as error:
        context["problems"] = [
            {"line": line, "message": message} for line, message in error.problems
        ]
        return render(request, "stats/import_form.html", context)
    token = secrets.token_urlsafe(16)
    path = _pending_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    request.session[PX_SESSION_KEY] = {
        "token": token,
        "filename": form.cleaned_data["file"].name,
        "organisation": form.cleaned_data["organisation"].pk,
        "options": options,
    }
    return redirect("stats:import_px_mapping")


@login_required
def import_px_mapping(request):
    """Step 2 of a PX import: which variable is the area, the period and the category."""
    _require_any(request.user, ADD)
    pending = request.session.get(PX_SESSION_KEY)
    if not pending:
        raise Http404
    path = _pending_path(pending["token"])
    organisation = get_object_or_404(
        writable_organisations(request.user), pk=pending["organisation"]
    )
    try:
        content = path.read_bytes()
        table = parsers.parse_px(content)
    except (OSError, parsers.StatsFileError) as exc:
        request.session.pop(PX_SESSION_KEY, None)
        raise Http404 from exc
    defaults = importers.px_default_mapping(table)
    measure = importers.px_guess_measure_type(table)
    initial = {
        "series_name": pending["options"].get("series_name") or table.title or "",
        "area_variable": defaults["area_variable"] or "",
        "period_variable": defaults["period_variable"],
        "category_variables": defaults["category_variables"],
        "unit": importers.px_guess_unit(table, measure.measure_type),
        "measure_type": measure.measure_type,
        "kind": "other",
        # A table without a region variable describes riket unless the user says otherwise.
        "area": NATIONAL_CHOICE,
    }
    form = PxMappingForm(
        request.POST or None, initial=initial, user=request.user, variables=table.variables
    )
    context = {
        "form": form,
        "title": _("Import PX file: choose the variables"),
        "table": table,
        "filename": pending["filename"],
        "measure": measure,
        "measure_label": MeasureType(measure.measure_type).label,
        "measure_by_content": [
            (value, MeasureType(kind).label) for value, kind in measure.by_content.items()
        ],
        "has_region": bool(defaults["area_variable"]),
        "variables": [
            {"name": v, "count": len(table.values[v]), "sample": table.values[v][:4]}
            for v in table.variables
        ],
        "problems": [],
    }
    if request.method == "POST" and form.is_valid():
        options = {**form.options(), "is_public": pending["options"].get("is_public", False)}
        batch = _start_import(
            request,
            organisation=organisation,
            kind=ImportKind.PX,
            filename=pending["filename"],
            content=content,
            options=options,
        )
        if batch.status == ImportBatch.Status.REJECTED:
            return _problem_response(request, "stats/px_mapping.html", context, batch)
        request.session.pop(PX_SESSION_KEY, None)
        path.unlink(missing_ok=True)
        return redirect("stats:batch_detail", pk=batch.pk)
    return render(request, "stats/px_mapping.html", context)


def _batch_context(request, pk):
    batch = get_object_or_404(_batches(request.user), pk=pk)
    series = IndicatorSeries.objects.restrict(request.user, VIEW).filter(
        pk__in=Observation.objects.filter(import_batch=batch).values("series_id")
    ) | IndicatorSeries.objects.restrict(request.user, VIEW).filter(import_batch=batch)
    return {
        "batch": batch,
        "title": _("Import: %(file)s") % {"file": batch.filename},
        "kind_label": dict(ImportKind.choices).get(batch.kind, batch.kind),
        "running": batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING),
        "series_list": series.distinct().order_by("name"),
    }


@login_required
def batch_detail(request, pk):
    return render(request, "stats/batch_detail.html", _batch_context(request, pk))


@login_required
def batch_status(request, pk):
    """The progress fragment the batch page polls every 2 s while the import runs."""
    return render(request, "stats/_batch_status.html", _batch_context(request, pk))
