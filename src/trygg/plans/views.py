"""Pages for plans, focus areas, activities, measures, statuses, targets and imports.

Every object is fetched through ``restrict(user, action)`` for the action the page needs, so
a user outside the object's scope gets 404 whether or not it exists.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from trygg.core.access import ADD, CHANGE, DELETE, VIEW, may, organisations_for, scope_for
from trygg.core.editing import form_page
from trygg.core.exports import export_rows
from trygg.core.listing import RestrictedListView
from trygg.core.tables import Column, Table
from trygg.plans import importers, measure_page, selectors, services
from trygg.plans.filters import MeasureFilter, PlanFilter
from trygg.plans.forms import (
    ActivityForm,
    FocusAreaForm,
    MeasureForm,
    MeasureStatusForm,
    OutcomeForm,
    PlanForm,
    StatusChangeForm,
    TargetForm,
)
from trygg.plans.models import (
    STATUS,
    Activity,
    FocusArea,
    Measure,
    MeasureStatus,
    Plan,
    Target,
)
from trygg.plans.panels import render_measure_panels


def _fresh(obj):
    """A second copy for a ModelForm, which writes cleaned values into its instance; the
    service gets the untouched object so that its audit entry sees the values before."""
    return type(obj)._default_manager.get(pk=obj.pk)


def _can_add_plans(user) -> bool:
    return may(user, ADD, whole_organisation=True)


def _can_edit_statuses(user) -> bool:
    return may(user, DELETE, whole_organisation=True)


# Plans


class PlanTable(Table):
    default_sort = "title"
    columns = [
        Column(
            "title",
            gettext_lazy("Title"),
            lambda p: p.title,
            sort="title",
            link=lambda p: reverse("plans:plan_detail", args=[p.pk]),
        ),
        Column("kind", gettext_lazy("Kind"), lambda p: p.get_kind_display(), sort="kind"),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda p: p.organisation.name,
            sort="organisation__name",
        ),
        Column("state", gettext_lazy("State"), lambda p: p.get_state_display(), sort="state"),
        Column("decided_on", gettext_lazy("Decided on"), lambda p: p.decided_on, sort="decided_on"),
        Column("diarienummer", gettext_lazy("Reference number"), lambda p: p.diarienummer),
        Column("next_review_on", gettext_lazy("Next review"), lambda p: p.next_review_on),
        Column(
            "measures",
            pgettext_lazy("plans", "Measures"),
            lambda p: p.measure_count,
            sort="measure_count",
            numeric=True,
        ),
    ]


class PlanListView(RestrictedListView):
    model = Plan
    filterset_class = PlanFilter
    table_class = PlanTable
    title = gettext_lazy("Plans")
    empty_text = gettext_lazy(
        "There are no plans yet. Import your plan from Word or a spreadsheet, or start a new one."
    )
    export_name = "planer"
    create_label = gettext_lazy("New plan")
    template_name = "plans/plan_list.html"

    def base_queryset(self):
        return selectors.plans_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actions = []
        if _can_add_plans(user):
            context["create_url"] = reverse("plans:plan_create")
            actions.append((reverse("plans:plan_import_new"), _("Import plan")))
        actions.append((reverse("plans:status_list"), _("Statuses")))
        context["extra_actions"] = actions
        return context


@login_required
def plan_create(request):
    if not _can_add_plans(request.user):
        raise Http404
    form = PlanForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.plan_create(actor=request.user, **data),
        title=_("New plan"),
        success=_("The plan was created."),
        done=lambda plan: plan,
        cancel_url=reverse("plans:plan_list"),
    )


@login_required
def plan_edit(request, pk):
    plan = get_object_or_404(Plan.objects.restrict(request.user, CHANGE), pk=pk)
    form = PlanForm(request.POST or None, instance=_fresh(plan), user=request.user)

    def save(data):
        data.pop("organisation", None)
        services.plan_update(actor=request.user, plan=plan, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Edit plan"),
        success=_("The plan was saved."),
        done=plan,
        cancel_url=plan.get_absolute_url(),
        context={"history_url": reverse("core:history", args=["plans", "plan", plan.pk])},
    )


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(
        Plan.objects.restrict(request.user, VIEW).select_related("organisation"), pk=pk
    )
    filters = MeasureFilter(request.GET or None, user=request.user, plan=plan)
    view = selectors.plan_view(request.user, plan, filters=filters)
    filters.offer_focus_areas(view.all_focus_areas)
    can_add_measure = may(request.user, ADD, plan.organisation_id)
    filter_html = None
    if not request.GET:
        filter_html = mark_safe(measure_page.empty_filters(request.user, plan, filters))  # noqa: S308
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "view": view,
            "rollup": view.rollup,
            "filterset": filters,
            "filter_html": filter_html,
            "partners": plan.partner_organisations.all(),
            "can_add_measure": can_add_measure,
            "today": timezone.localdate(),
            "next_url": request.get_full_path(),
            "title": plan.title,
        },
    )


@login_required
def plan_export(request, pk, fmt):
    plan = get_object_or_404(Plan.objects.restrict(request.user, VIEW), pk=pk)
    name = slugify(plan.title)[:60] or "plan"
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    headers, rows = importers.measure_rows(request.user, plan)
    return export_rows(headers, rows, fmt, name, request=request)


@login_required
def focus_area_create(request, plan_pk):
    plan = get_object_or_404(Plan.objects.restrict(request.user, CHANGE), pk=plan_pk)
    form = FocusAreaForm(request.POST or None, initial={"order": plan.focus_areas.count()})
    return form_page(
        request,
        form,
        lambda data: services.focus_area_create(actor=request.user, plan=plan, **data),
        title=_("New focus area"),
        success=_("The focus area was created."),
        done=plan,
        cancel_url=plan.get_absolute_url(),
    )


@login_required
def focus_area_edit(request, pk):
    focus_area = get_object_or_404(
        FocusArea.objects.restrict(request.user, CHANGE).select_related("plan"), pk=pk
    )
    form = FocusAreaForm(request.POST or None, instance=_fresh(focus_area))
    return form_page(
        request,
        form,
        lambda data: services.focus_area_update(actor=request.user, focus_area=focus_area, **data),
        title=_("Edit focus area"),
        success=_("The focus area was saved."),
        done=focus_area.plan,
        cancel_url=focus_area.plan.get_absolute_url(),
        context={
            "history_url": reverse("core:history", args=["plans", "focusarea", focus_area.pk])
        },
    )


@login_required
def activity_create(request, plan_pk):
    plan = get_object_or_404(Plan.objects.restrict(request.user, CHANGE), pk=plan_pk)
    initial = {"order": plan.activities.count(), "focus_area": request.GET.get("focus_area")}
    form = ActivityForm(request.POST or None, plan=plan, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.activity_create(actor=request.user, plan=plan, **data),
        title=_("New activity"),
        success=_("The activity was created."),
        done=plan,
        cancel_url=plan.get_absolute_url(),
    )


@login_required
def activity_edit(request, pk):
    activity = get_object_or_404(
        Activity.objects.restrict(request.user, CHANGE).select_related("plan"), pk=pk
    )
    form = ActivityForm(request.POST or None, instance=_fresh(activity), plan=activity.plan)
    return form_page(
        request,
        form,
        lambda data: services.activity_update(actor=request.user, activity=activity, **data),
        title=_("Edit activity"),
        success=_("The activity was saved."),
        done=activity.plan,
        cancel_url=activity.plan.get_absolute_url(),
        context={"history_url": reverse("core:history", args=["plans", "activity", activity.pk])},
    )


# Measures


@login_required
def measure_create(request, plan_pk):
    plan = get_object_or_404(Plan.objects.restrict(request.user, VIEW), pk=plan_pk)
    if not may(request.user, ADD, plan.organisation_id):
        raise Http404
    initial = {"activity": request.GET.get("activity")}
    form = MeasureForm(request.POST or None, plan=plan, user=request.user, initial=initial)

    def create(_data):
        data = form.service_data()
        if not data.get("title") and data.get("activity"):
            data["title"] = data["activity"].title
        return services.measure_create(actor=request.user, plan=plan, **data)

    return form_page(
        request,
        form,
        create,
        title=_("New measure"),
        success=_("The measure was created."),
        done=lambda measure: measure,
        cancel_url=plan.get_absolute_url(),
    )


def _measure(request, pk, action=VIEW, *, related=("plan__organisation",)) -> Measure:
    return get_object_or_404(
        Measure.objects.restrict(request.user, action).select_related(
            *related, "activity__focus_area", "status"
        ),
        pk=pk,
    )


def measure_permissions(user, measure: Measure, area_ids, responsible_ids) -> dict[str, bool]:
    """Whether the user may change, report the status of and delete the measure, from one
    reading of the user's scope instead of a restricted query per action.

    The same rule as ``Measure.access_q`` (tested against restrict() for every persona): the
    owner's members for the action, an area-limited member only when the measure lies in at
    least one of their areas; for the status also a member (without area limits, who may
    change) of an organisation responsible for the measure.
    """
    return Measure.allowed(scope_for(user), measure.organisation_id, area_ids, responsible_ids)


@login_required
def measure_detail(request, pk):
    measure = _measure(request, pk, related=("plan",))  # the page names no organisation
    # What hangs off a measure is visible exactly when the measure is (``_via_measure``):
    # it is read by the measure, which was read through restrict() above, and kept in the
    # cache (plans.measure_page). Names only.
    facts = measure_page.measure_facts(request.user, measure)
    responsibles, areas = facts.responsibles, facts.areas
    permissions = measure_permissions(
        request.user,
        measure,
        [pk for pk, _name in areas],
        [organisation_id for _d, organisation_id, _n in responsibles if organisation_id],
    )
    can_change = permissions[CHANGE]
    status_form = None
    if permissions[STATUS]:
        status_form = StatusChangeForm(measure=measure)
        # The options as the form's queryset gives them, read once per version of the plans.
        field = status_form.fields["status"]
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        field.choices = [
            *empty,
            *measure_page.status_choices(request.user, measure.plan.organisation_id),
        ]
    return render(
        request,
        "plans/measure_detail.html",
        {
            "measure": measure,
            "plan": measure.plan,
            "title": measure.title,
            "responsibles": [(display, name) for display, _id, name in responsibles],
            "area_names": ", ".join(name for _pk, name in areas),
            "place_names": ", ".join(facts.places),
            "timeline": facts.timeline,
            "targets": selectors.targets_with_fulfilment(request.user, measure),
            "panels": render_measure_panels(request, measure),
            "can_change": can_change,
            "can_delete": permissions[DELETE],
            "status_form": status_form,
        },
    )


@login_required
def measure_edit(request, pk):
    measure = _measure(request, pk, CHANGE)
    form = MeasureForm(
        request.POST or None, instance=_fresh(measure), plan=measure.plan, user=request.user
    )
    return form_page(
        request,
        form,
        lambda _data: services.measure_update(
            actor=request.user, measure=measure, **form.service_data()
        ),
        title=_("Edit measure"),
        success=_("The measure was saved."),
        done=measure,
        cancel_url=measure.get_absolute_url(),
        context={"history_url": reverse("core:history", args=["plans", "measure", measure.pk])},
    )


@login_required
def measure_delete(request, pk):
    measure = _measure(request, pk, DELETE)
    if request.method == "POST":
        plan = measure.plan
        services.measure_delete(actor=request.user, measure=measure)
        messages.success(request, _("The measure was deleted."))
        return redirect(plan)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": measure,
            "cancel_url": measure.get_absolute_url(),
            "consequence": _(
                "The measure, its timeline, targets and outcomes are deleted. "
                "The deletion is recorded in the audit log."
            ),
        },
    )


@login_required
def measure_status(request, pk):
    """Set a measure's status: the full form, or the small form on the plan page."""
    measure = _measure(request, pk, STATUS)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and not data.get("on"):
        data["on"] = timezone.localdate().isoformat()
    form = StatusChangeForm(data, measure=measure)

    def set_status(values):
        services.measure_set_status(
            actor=request.user,
            measure=measure,
            status=values["status"],
            note=values["note"],
            on=values["on"],
            progress=values["progress"] if "progress" in request.POST else services.KEEP,
        )
        return values["status"]

    return form_page(
        request,
        form,
        set_status,
        title=_("Change status: %(measure)s") % {"measure": measure.title},
        success=lambda status: (
            _("“%(measure)s” is now %(status)s.")
            % {"measure": measure.title, "status": status.name.lower()}
        ),
        done=measure,
        cancel_url=measure.get_absolute_url(),
    )


@login_required
def target_create(request, pk):
    measure = _measure(request, pk, CHANGE)
    form = TargetForm(request.POST or None, user=request.user, measure=measure)
    return form_page(
        request,
        form,
        lambda data: services.target_create(actor=request.user, measure=measure, **data),
        title=_("New target"),
        success=_("The target was added."),
        done=measure,
        cancel_url=measure.get_absolute_url(),
    )


@login_required
def outcome_create(request, pk):
    target = get_object_or_404(
        Target.objects.restrict(request.user, VIEW).select_related("measure"), pk=pk
    )
    measure = _measure(request, target.measure_id, CHANGE)
    form = OutcomeForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.outcome_record(actor=request.user, target=target, **data),
        title=_("Outcome: %(target)s") % {"target": target.description},
        success=_("The outcome was recorded."),
        done=measure,
        cancel_url=measure.get_absolute_url(),
    )


# Statuses


class StatusTable(Table):
    default_sort = "order"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda s: s.name,
            sort="name",
            link=lambda s: reverse("plans:status_edit", args=[s.pk]),
        ),
        Column(
            "category",
            gettext_lazy("Category"),
            lambda s: s.get_category_display(),
            sort="category",
        ),
        Column(
            "default_progress",
            gettext_lazy("Default progress %"),
            lambda s: s.default_progress,
            numeric=True,
        ),
        Column("order", gettext_lazy("Order"), lambda s: s.order, sort="order", numeric=True),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda s: s.organisation.name,
            sort="organisation__name",
        ),
    ]


class StatusListView(RestrictedListView):
    model = MeasureStatus
    table_class = StatusTable
    title = gettext_lazy("Statuses of measures")
    empty_text = gettext_lazy("There are no statuses yet.")
    export_name = "statusar"
    create_label = gettext_lazy("New status")

    def base_queryset(self):
        return super().base_queryset().select_related("organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if _can_edit_statuses(self.request.user):
            context["create_url"] = reverse("plans:status_create")
        return context


@login_required
def status_create(request):
    if not _can_edit_statuses(request.user):
        raise Http404
    organisations = organisations_for(request.user, DELETE)
    form = MeasureStatusForm(request.POST or None)
    form.fields["organisation"] = forms.ModelChoiceField(
        queryset=organisations, label=_("Organisation"), initial=organisations.first()
    )
    return form_page(
        request,
        form,
        lambda data: services.status_create(actor=request.user, **data),
        title=_("New status"),
        success=_("The status was created."),
        done=reverse("plans:status_list"),
        cancel_url=reverse("plans:status_list"),
    )


@login_required
def status_edit(request, pk):
    status = get_object_or_404(MeasureStatus.objects.restrict(request.user, CHANGE), pk=pk)
    form = MeasureStatusForm(request.POST or None, instance=_fresh(status))
    return form_page(
        request,
        form,
        lambda data: services.status_update(actor=request.user, status=status, **data),
        title=_("Edit status"),
        success=_("The status was saved."),
        done=reverse("plans:status_list"),
        cancel_url=reverse("plans:status_list"),
        context={
            "history_url": reverse("core:history", args=["plans", "measurestatus", status.pk])
        },
    )
