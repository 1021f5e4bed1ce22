"""Pages of the law's chain: the law checklist, the samordningsfunktion, the sources of a
lägesbild, a problem's status, and an action plan's measures by problem."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.access import CHANGE, VIEW
from trygg.core.editing import add_form_errors, form_page, form_post
from trygg.core.models import Organisation
from trygg.situation import chain, law, services
from trygg.situation.forms import CoordinationFunctionForm, ProblemStatusForm, SourceForm
from trygg.situation.models import CoordinationFunction, PictureSource, Problem, SituationPicture


def _organisation(request, queryset) -> Organisation:
    """The organisation named by ?organisation=, or the first the user may see."""
    organisations = list(queryset)
    if not organisations:
        raise Http404
    wanted = request.GET.get("organisation")
    if wanted:
        found = next((o for o in organisations if str(o.pk) == wanted), None)
        if found is None:
            raise Http404
        return found
    from trygg.core.access import may

    return next((o for o in organisations if may(request.user, VIEW, o)), organisations[0])


@login_required
def law_checklist_page(request):
    """Lagkontroll: lag 2023:196 item by item, computed from the data, with evidence."""
    organisations = law.checklist_organisations(request.user)
    organisation = _organisation(request, organisations)
    checklist = law.remembered_checklist(user=request.user, organisation=organisation)
    return render(
        request,
        "situation/law_checklist.html",
        {
            "title": _("The law's requirements – %(organisation)s")
            % {"organisation": organisation},
            "organisation": organisation,
            "organisations": organisations,
            "checklist": checklist,
        },
    )


def _function_organisations(user, action: str):
    """Kommuner whose samordningsfunktion the user may read (own and partners') or, for
    CHANGE, set (members of the whole organisation)."""
    from trygg.core.access import organisation_ids_for, scope_for
    from trygg.core.choices import OrganisationKind
    from trygg.situation.models import partner_ids

    scope = scope_for(user)
    if action == VIEW:
        ids = organisation_ids_for(user, VIEW, whole_organisation=False)
        if ids is not None:
            ids = ids | partner_ids(scope)
    else:
        ids = organisation_ids_for(user, action)
    queryset = Organisation.objects.filter(kind=OrganisationKind.KOMMUN)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by("name")


@login_required
def coordination_function(request):
    """Samordningsfunktionen (lag 2023:196 §3): who coordinates; editable by those who may
    change the whole organisation."""
    organisation = _organisation(request, _function_organisations(request.user, VIEW))
    function = (
        CoordinationFunction.objects.restrict(request.user, VIEW)
        .filter(organisation=organisation)
        .select_related("person")
        .first()
    )
    can_change = _function_organisations(request.user, CHANGE).filter(pk=organisation.pk).exists()
    form = None
    if can_change:
        initial = {}
        if function is not None:
            initial = {
                f: getattr(function, f)
                for f in ("title", "unit", "contact", "appointed_on", "decided_by", "diarienummer")
            }
            initial["person"] = function.person_id
        form = CoordinationFunctionForm(
            request.POST or None, initial=initial, organisation=organisation
        )
        response = form_post(
            request,
            form,
            lambda data: services.coordination_function_set(
                actor=request.user, organisation=organisation, **data
            ),
            success=_("The coordination function was saved."),
            done=reverse("situation:coordination_function") + f"?organisation={organisation.pk}",
        )
        if response is not None:
            return response
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "situation/coordination_function.html",
        {
            "title": _("Coordination function – %(organisation)s") % {"organisation": organisation},
            "organisation": organisation,
            "function": function,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


# Sources of a lägesbild


def _changeable_picture(request, pk) -> SituationPicture:
    return get_object_or_404(SituationPicture.objects.restrict(request.user, CHANGE), pk=pk)


@login_required
def source_create(request, pk):
    picture = _changeable_picture(request, pk)
    form = SourceForm(request.POST or None, user=request.user, organisation=picture.organisation)
    return form_page(
        request,
        form,
        lambda data: services.picture_source_create(actor=request.user, picture=picture, **data),
        title=_("New source"),
        success=_("The source was added."),
        done=picture.get_absolute_url() + "#kallor",
        cancel_url=picture.get_absolute_url() + "#kallor",
        context={"intro": picture.title},
        error_status=400,
    )


def _source(request, pk) -> PictureSource:
    return get_object_or_404(
        PictureSource.objects.restrict(request.user, CHANGE).select_related("picture"), pk=pk
    )


@login_required
def source_edit(request, pk):
    source = _source(request, pk)
    picture = source.picture
    initial = {
        f: getattr(source, f)
        for f in ("kind", "title", "provider", "findings", "collected_on", "series")
    }
    form = SourceForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        organisation=picture.organisation,
    )
    return form_page(
        request,
        form,
        lambda data: services.picture_source_update(actor=request.user, source=source, **data),
        title=source.title,
        success=_("The source was saved."),
        done=picture.get_absolute_url() + "#kallor",
        cancel_url=picture.get_absolute_url() + "#kallor",
        context={
            "intro": picture.title,
            "history_url": reverse("core:history", args=["situation", "picturesource", pk]),
        },
        error_status=400,
    )


@login_required
def source_delete(request, pk):
    source = _source(request, pk)
    picture = source.picture
    if request.method == "POST":
        services.picture_source_delete(actor=request.user, source=source)
        messages.success(request, _("The source was removed."))
        return redirect(picture.get_absolute_url() + "#kallor")
    return render(
        request,
        "core/confirm_delete.html",
        {"object": source, "cancel_url": picture.get_absolute_url() + "#kallor"},
    )


# A problem's status


@login_required
@require_POST
def problem_status(request, pk):
    problem = get_object_or_404(
        Problem.objects.restrict(request.user, CHANGE).select_related("situation_picture"), pk=pk
    )
    form = ProblemStatusForm(request.POST, problem=problem)
    if form.is_valid():
        try:
            services.problem_set_status(actor=request.user, problem=problem, **form.cleaned_data)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The problem's status was changed."))
            return redirect(problem)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Change status: %(problem)s") % {"problem": problem.title},
            "cancel_url": problem.get_absolute_url(),
        },
        status=400,
    )


# An action plan's measures by problem


@login_required
def plan_by_problem(request, pk):
    """Åtgärdsplanen per problem: the measures grouped by the prioritised problem and
    cause they address, and the measures that address none."""
    from trygg.plans.models import Plan

    plan = get_object_or_404(Plan.objects.restrict(request.user, VIEW), pk=pk)
    document = chain.action_plan_document(user=request.user, plan=plan)
    return render(
        request,
        "situation/plan_by_problem.html",
        {
            "title": _("Measures by problem – %(plan)s") % {"plan": plan.title},
            "plan": plan,
            "document": document,
        },
    )
