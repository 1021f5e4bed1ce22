"""Pages of the safety budget: the list, the budget table, lines and the funding of measures."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.budget import selectors, services
from trygg.budget.filters import BudgetFilter
from trygg.budget.forms import (
    BudgetEditForm,
    BudgetForm,
    BudgetLineForm,
    MeasureFundingForm,
    MeasureTagsForm,
)
from trygg.budget.models import Budget, BudgetLine, MeasureFunding
from trygg.core.access import ADD, CHANGE, DELETE, VIEW, may
from trygg.core.choices import AreaKind
from trygg.core.editing import form_page, next_url, refusal_text
from trygg.core.exports import EXPORT_FORMATS, export_rows
from trygg.core.listing import RestrictedListView
from trygg.core.tables import Column, Table


class MoneyTable(Table):
    """A table whose money columns are shown as "1,6 mkr" and exported as exact numbers."""

    money_keys: frozenset[str] = frozenset()
    money_style = "auto"


class BudgetTableDefinition(MoneyTable):
    default_sort = "-year"
    money_keys = frozenset({"frame", "total_amount", "total_outcome", "total_proposal"})
    money_style = "mkr"
    columns = [
        Column("year", gettext_lazy("Year"), lambda b: b.year, sort="year"),
        Column(
            "name",
            gettext_lazy("Name"),
            lambda b: b.name,
            sort="name",
            link=lambda b: reverse("budget:budget_detail", args=[b.pk]),
        ),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda b: b.organisation.name,
            sort="organisation__name",
        ),
        Column("frame", gettext_lazy("Frame"), lambda b: b.frame, sort="frame", numeric=True),
        Column(
            "total_amount",
            gettext_lazy("Sum of budget"),
            lambda b: b.total_amount,
            sort="total_amount",
            numeric=True,
        ),
        Column(
            "total_outcome",
            gettext_lazy("Sum of outcome"),
            lambda b: b.total_outcome,
            sort="total_outcome",
            numeric=True,
        ),
        Column(
            "total_proposal",
            gettext_lazy("Proposal for next year"),
            lambda b: b.total_proposal,
            sort="total_proposal",
            numeric=True,
        ),
        Column("decided_by", gettext_lazy("Decided by"), lambda b: b.decided_by),
        Column("diarienummer", gettext_lazy("Reference number"), lambda b: b.diarienummer),
    ]


class BudgetListView(RestrictedListView):
    """Budgetar: every safety budget the user may see, with sums computed from the lines."""

    model = Budget
    filterset_class = BudgetFilter
    table_class = BudgetTableDefinition
    template_name = "budget/budget_list.html"
    title = gettext_lazy("Safety budgets")
    empty_text = gettext_lazy("There is no safety budget yet.")
    export_name = "budgetar"
    create_label = gettext_lazy("New budget")

    def base_queryset(self):
        return selectors.budgets_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if may(self.request.user, ADD, whole_organisation=True):
            context["create_url"] = reverse("budget:budget_create")
        return context


def _can_change(user, budget: Budget) -> bool:
    return Budget.objects.restrict(user, CHANGE).filter(pk=budget.pk).exists()


def _table_export(table: selectors.BudgetTable, fmt: str):
    budget = table.budget
    headers = [
        budget.name,
        _("Proposal %(year)s") % {"year": budget.next_year},
        _("Outcome %(year)s") % {"year": budget.year},
        _("Budget %(year)s") % {"year": budget.year},
        _("Variance (kr)"),
        _("Variance (%)"),
        _("Note"),
    ]
    rows = [
        [
            r.line.name,
            r.line.proposal,
            r.line.outcome,
            r.line.amount,
            r.variance,
            r.variance_pct,
            r.line.note,
        ]
        for r in table.rows
    ]
    totals = table.totals
    rows.append(
        [
            _("TOTAL"),
            totals.proposal,
            totals.outcome,
            totals.amount,
            totals.variance,
            totals.variance_pct,
            "",
        ]
    )
    return export_rows(headers, rows, fmt, f"budget-{budget.year}")


@login_required
def budget_detail(request, pk):
    """The budget table (seed 001): Förslag, Utfall and Budget per line, with computed sums."""
    budget = get_object_or_404(
        Budget.objects.restrict(request.user, VIEW).select_related("organisation"), pk=pk
    )
    table = selectors.budget_table(request.user, budget)
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return _table_export(table, fmt)
    can_change = _can_change(request.user, budget)
    return render(
        request,
        "budget/budget_detail.html",
        {
            "budget": budget,
            "table": table,
            "can_change": can_change,
            "can_delete": Budget.objects.restrict(request.user, DELETE)
            .filter(pk=budget.pk)
            .exists(),
            "title": str(budget),
        },
    )


@login_required
def budget_create(request):
    form = BudgetForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        raise Http404
    return form_page(
        request,
        form,
        lambda data: services.budget_create(actor=request.user, **data),
        title=_("New budget"),
        success=_("The budget was created."),
        done=lambda budget: reverse("budget:budget_detail", args=[budget.pk]),
        cancel_url=reverse("budget:budget_list"),
    )


@login_required
def budget_edit(request, pk):
    budget = get_object_or_404(Budget.objects.restrict(request.user, CHANGE), pk=pk)
    initial = {f: getattr(budget, f) for f in services.BUDGET_FIELDS}
    form = BudgetEditForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.budget_update(actor=request.user, budget=budget, **data),
        title=_("Edit %(budget)s") % {"budget": budget},
        success=_("The budget was saved."),
        done=budget.get_absolute_url(),
        cancel_url=budget.get_absolute_url(),
        context={"history_url": reverse("core:history", args=["budget", "budget", budget.pk])},
    )


@login_required
def budget_delete(request, pk):
    budget = get_object_or_404(Budget.objects.restrict(request.user, DELETE), pk=pk)
    if request.method == "POST":
        try:
            services.budget_delete(actor=request.user, budget=budget)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
            return redirect("budget:budget_detail", pk=budget.pk)
        messages.success(request, _("The budget was deleted."))
        return redirect("budget:budget_list")
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": budget,
            "cancel_url": budget.get_absolute_url(),
            "consequence": _(
                "The budget and its lines are deleted. The change is recorded in the audit log."
            ),
        },
    )


@login_required
def budget_next_year(request, pk):
    """Make next year's budget from this budget's proposal (Förslag → Budget)."""
    budget = get_object_or_404(Budget.objects.restrict(request.user, CHANGE), pk=pk)
    form = BudgetEditForm(
        request.POST or None,
        initial={"name": budget.name, "year": budget.next_year},
        user=request.user,
    )
    form.fields["name"].disabled = True
    form.fields["year"].disabled = True

    def create(data):
        data = {k: v for k, v in data.items() if k not in {"name", "year"}}
        return services.budget_create_from_proposal(actor=request.user, budget=budget, **data)

    return form_page(
        request,
        form,
        create,
        title=_("Budget %(year)s from the proposal") % {"year": budget.next_year},
        success=_("Next year's budget was made from the proposal."),
        done=lambda following: reverse("budget:budget_detail", args=[following.pk]),
        cancel_url=budget.get_absolute_url(),
        context={
            "intro": _(
                "Each line of %(budget)s becomes a line of the new budget, with its proposal "
                "as the budget."
            )
            % {"budget": budget}
        },
    )


# Budget lines


@login_required
def line_create(request, pk):
    budget = get_object_or_404(Budget.objects.restrict(request.user, CHANGE), pk=pk)
    form = BudgetLineForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.budget_line_create(actor=request.user, budget=budget, **data),
        title=_("New line in %(budget)s") % {"budget": budget},
        success=_("The line was added."),
        done=budget.get_absolute_url(),
        cancel_url=budget.get_absolute_url(),
    )


@login_required
def line_edit(request, pk):
    line = get_object_or_404(
        BudgetLine.objects.restrict(request.user, CHANGE).select_related("budget"), pk=pk
    )
    initial = {f: getattr(line, f) for f in services.LINE_FIELDS}
    form = BudgetLineForm(request.POST or None, initial=initial)

    def save(data):
        if data.get("position") is None:
            data.pop("position", None)
        services.budget_line_update(actor=request.user, line=line, **data)

    return form_page(
        request,
        form,
        save,
        title=line.name,
        success=_("The line was saved."),
        done=reverse("budget:budget_detail", args=[line.budget_id]),
        cancel_url=line.budget.get_absolute_url(),
        context={
            "intro": str(line.budget),
            "history_url": reverse("core:history", args=["budget", "budgetline", line.pk]),
        },
    )


@login_required
def line_delete(request, pk):
    line = get_object_or_404(
        BudgetLine.objects.restrict(request.user, DELETE).select_related("budget"), pk=pk
    )
    if request.method == "POST":
        try:
            services.budget_line_delete(actor=request.user, line=line)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("The line was deleted."))
        return redirect("budget:budget_detail", pk=line.budget_id)
    return render(
        request,
        "core/confirm_delete.html",
        {"object": line, "cancel_url": line.budget.get_absolute_url()},
    )


# Funding and categories of measures


def _measure_for_budget(request, measure_pk):
    """The measure, if the user sees it and may change the budget of its organisation."""
    from trygg.plans.models import Measure

    measure = get_object_or_404(
        Measure.objects.restrict(request.user, VIEW).select_related("plan"), pk=measure_pk
    )
    if not may(request.user, CHANGE, measure.organisation_id, whole_organisation=True):
        raise Http404
    return measure


def measure_url(measure) -> str:
    try:
        return measure.get_absolute_url()
    except NoReverseMatch:  # the measure page is not mounted
        return reverse("register:index")


def _back(request, measure) -> str:
    return next_url(request, measure_url(measure))


@login_required
def funding_create(request, measure_pk):
    measure = _measure_for_budget(request, measure_pk)
    start = measure.starts_on or measure.plan.starts_on
    initial = {"year": start.year} if start else {}
    form = MeasureFundingForm(
        request.POST or None, initial=initial, user=request.user, measure=measure
    )
    return form_page(
        request,
        form,
        lambda data: services.measure_funding_create(actor=request.user, measure=measure, **data),
        title=_("Funding of %(measure)s") % {"measure": measure},
        success=_("The funding was added."),
        done=_back(request, measure),
        cancel_url=_back(request, measure),
        template="budget/funding_form.html",
        context={"measure": measure, "next": _back(request, measure)},
    )


@login_required
def funding_edit(request, pk):
    funding = get_object_or_404(
        MeasureFunding.objects.restrict(request.user, CHANGE).select_related("measure"), pk=pk
    )
    measure = funding.measure
    initial = {f: getattr(funding, f) for f in services.FUNDING_FIELDS}
    form = MeasureFundingForm(
        request.POST or None, initial=initial, user=request.user, measure=measure
    )
    return form_page(
        request,
        form,
        lambda data: services.measure_funding_update(actor=request.user, funding=funding, **data),
        title=_("Funding of %(measure)s") % {"measure": measure},
        success=_("The funding was saved."),
        done=_back(request, measure),
        cancel_url=_back(request, measure),
        template="budget/funding_form.html",
        context={
            "measure": measure,
            "funding": funding,
            "can_delete": MeasureFunding.objects.restrict(request.user, DELETE)
            .filter(pk=funding.pk)
            .exists(),
            "next": _back(request, measure),
            "history_url": reverse("core:history", args=["budget", "measurefunding", funding.pk]),
        },
    )


@login_required
def funding_delete(request, pk):
    funding = get_object_or_404(
        MeasureFunding.objects.restrict(request.user, DELETE).select_related("measure"), pk=pk
    )
    measure = funding.measure
    if request.method == "POST":
        services.measure_funding_delete(actor=request.user, funding=funding)
        messages.success(request, _("The funding was deleted."))
        return redirect(_back(request, measure))
    return render(
        request,
        "core/confirm_delete.html",
        {"object": funding, "cancel_url": _back(request, measure)},
    )


@login_required
@require_POST
def measure_tags(request, measure_pk):
    measure = _measure_for_budget(request, measure_pk)
    form = MeasureTagsForm(request.POST)
    if form.is_valid():
        services.measure_tags_set(
            actor=request.user, measure=measure, kinds=form.cleaned_data["kinds"]
        )
        messages.success(request, _("The categories were saved."))
    else:
        messages.error(request, _("Choose among the listed categories."))
    return redirect(_back(request, measure))


class PopulationForm(forms.Form):
    year = forms.IntegerField(min_value=1900, max_value=2100, label=gettext_lazy("Year"))
    count = forms.IntegerField(
        min_value=0,
        max_value=100_000_000,
        label=gettext_lazy("Population on 31 December"),
        help_text=gettext_lazy("As SCB publishes it, e.g. 109 166."),
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # "109 166" is how the figure is written; the spaces are only grouping.
            data = data.copy()
            data["count"] = "".join(str(data.get("count", "")).split())
        super().__init__(data, **kwargs)


@login_required
def population_set(request, pk):
    """Record the kommun's population for a year, for the state grant (stored by stats)."""
    budget = get_object_or_404(
        Budget.objects.restrict(request.user, CHANGE).select_related("organisation__area"), pk=pk
    )
    area = budget.organisation.area
    if area is None or area.kind != AreaKind.KOMMUN:
        raise Http404
    form = PopulationForm(request.POST or None, initial={"year": budget.year - 1})
    from trygg.stats.services import population_set as stats_population_set

    return form_page(
        request,
        form,
        lambda data: stats_population_set(
            actor=request.user,
            organisation=budget.organisation,
            area=area,
            year=data["year"],
            count=data["count"],
            source=_("Entered on the budget page"),
        ),
        title=_("Population of %(area)s") % {"area": area.name},
        success=_("The population was saved."),
        done=reverse("budget:budget_detail", args=[budget.pk]),
        cancel_url=budget.get_absolute_url(),
    )
