"""Rapporter: every document Trygg generates, as a web page, Word or PDF, now or in the
background; drafts of the free-text sections; saved versions and what changed since."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.access import CHANGE, VIEW, scope_for
from trygg.core.exports import XLSX_TYPE
from trygg.reports import kinds, selectors, services
from trygg.reports import render as renderer
from trygg.reports.exports import EXPORT_KIND
from trygg.reports.forms import DraftForm, GenerateForm, VersionForm
from trygg.reports.generation import draft_key, drafts_for, generate, params_from
from trygg.reports.models import ReportJob


def _language() -> str:
    return (get_language() or "sv")[:2]


@login_required
def index(request):
    form = GenerateForm(user=request.user)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "kinds": kinds.all_kinds(),
            "groups": selectors.documents_for(request.user),
            "jobs": selectors.jobs_for(request.user)[:10],
            # The list shows names and dates: not the figures and drafts each version keeps.
            "versions": selectors.versions_for(request.user).defer(
                "parameters", "figures", "drafts"
            )[:20],
        },
    )


def _valid_form(request, data):
    form = GenerateForm(data, user=request.user)
    if not form.is_valid():
        return form, None
    return form, params_from(form.parameters(), form.cleaned_data["organisation"])


def _document(request, form, params):
    kind = form.cleaned_data["kind"]
    try:
        return generate(request.user, kind, params, language=_language())
    except ValueError as exc:
        form.add_error("week", str(exc))
        return None


@login_required
def document(request):
    """The document as a web page (format html) or a file (docx, pdf) made right away."""
    form, params = _valid_form(request, request.GET)
    if params is None:
        if "organisation" in form.errors and request.GET.get("organisation"):
            raise Http404  # an organisation outside the user's scope: as if it did not exist
        return render(
            request, "reports/index.html", {"form": form, "kinds": kinds.all_kinds()}, status=400
        )
    document = _document(request, form, params)
    if document is None:
        return render(
            request, "reports/index.html", {"form": form, "kinds": kinds.all_kinds()}, status=400
        )
    fmt = request.GET.get("format", "html")
    if fmt in {"docx", "pdf"} and request.GET.get("download"):
        response = HttpResponse(
            renderer.render(document, fmt), content_type=renderer.CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{slugify(document.title)[:80]}.{fmt}"'
        )
        return response
    organisation = params.organisation
    can_write = scope_for(request.user).can(CHANGE, organisation.pk, whole_organisation=True)
    query = {k: v for k, v in request.GET.items() if k not in {"format", "download"}}
    return render(
        request,
        "reports/document.html",
        {
            "document": document,
            "body": renderer.html_body(document),
            "query": urlencode(query),
            "form": form,
            "can_write": can_write,
            "draft_forms": [
                (d, DraftForm(initial={"section": d.key, "text": d.text}))
                for d in document.drafts()
            ],
            "version_form": VersionForm(),
            "versions": selectors.versions_for(request.user).filter(
                organisation=organisation, kind=document.kind
            )[:10],
            "title": document.title,
        },
    )


@login_required
@require_POST
def draft_save(request):
    form, params = _valid_form(request, request.GET)
    draft = DraftForm(request.POST)
    if params is None:
        raise Http404
    back = reverse("reports:document") + "?" + request.GET.urlencode()
    if not draft.is_valid():
        messages.error(
            request,
            _("The text could not be saved: %(errors)s") % {"errors": draft.errors.as_text()},
        )
        return redirect(back)
    try:
        services.report_draft_save(
            actor=request.user,
            organisation=params.organisation,
            kind=form.cleaned_data["kind"],
            key=draft_key(params),
            section=draft.cleaned_data["section"],
            text=draft.cleaned_data["text"],
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The draft is saved."))
    return redirect(back + f"#avsnitt-{draft.cleaned_data['section']}")


@login_required
@require_POST
def version_save(request):
    form, params = _valid_form(request, request.GET)
    if params is None:
        raise Http404
    version_form = VersionForm(request.POST)
    back = reverse("reports:document") + "?" + request.GET.urlencode()
    if not version_form.is_valid():
        messages.error(
            request,
            _("The version could not be saved: %(errors)s")
            % {"errors": version_form.errors.as_text()},
        )
        return redirect(back)
    kind = form.cleaned_data["kind"]
    drafts = drafts_for(params, kind)
    document = generate(request.user, kind, params, language=_language(), drafts=drafts)
    try:
        version = services.report_version_save(
            actor=request.user,
            organisation=params.organisation,
            document=document,
            drafts=drafts,
            decided_on=version_form.cleaned_data["decided_on"],
            decided_by=version_form.cleaned_data["decided_by"],
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("The version is saved."))
    return redirect("reports:version_detail", version.pk)


@login_required
def version_detail(request, pk):
    version = get_object_or_404(selectors.versions_for(request.user), pk=pk)
    try:
        changes = selectors.version_changes(request.user, version)
    except Http404:
        changes = []
    query = urlencode({"kind": version.kind, **version.parameters})
    return render(
        request,
        "reports/version_detail.html",
        {
            "version": version,
            "changes": changes,
            "changed": [c for c in changes if c.changed],
            "query": query,
            "title": version.title,
        },
    )


@login_required
@require_POST
def job_create(request):
    form, params = _valid_form(request, request.POST)
    if params is None:
        if "organisation" in form.errors and request.POST.get("organisation"):
            raise Http404
        return render(
            request,
            "reports/index.html",
            {
                "form": form,
                "kinds": kinds.all_kinds(),
                "jobs": selectors.jobs_for(request.user)[:10],
                # The list shows names and dates: not the figures and drafts each version keeps.
                "versions": selectors.versions_for(request.user).defer(
                    "parameters", "figures", "drafts"
                )[:20],
            },
            status=400,
        )
    from django.db import transaction

    from trygg.reports import tasks

    job = services.report_job_create(
        actor=request.user,
        organisation=params.organisation,
        kind=form.cleaned_data["kind"],
        fmt=form.cleaned_data["format"],
        parameters=form.parameters(),
        language=_language(),
    )
    transaction.on_commit(lambda: tasks.generate_document.enqueue(job.pk))
    return redirect("reports:job_detail", job.pk)


@login_required
@require_POST
def export_create(request):
    """Queue a large XLSX export of a list (posted from the page its export link answered
    with) and send the person to the build's page, which shows its progress."""
    from django.db import transaction

    from trygg.core.exports import export_allowed, too_many_exports
    from trygg.reports import exports, tasks

    target = exports.export_target(request.POST.get("path", ""), request.POST.get("query", ""))
    organisation = exports.organisation_for_export(request.user)
    if target is None or organisation is None:
        raise Http404
    if not export_allowed(request.user):
        return too_many_exports()
    path, query = target
    job = services.report_job_create(
        actor=request.user,
        organisation=organisation,
        kind=exports.EXPORT_KIND,
        fmt=exports.EXPORT_FORMAT,
        parameters={"path": path, "query": query},
        language=_language(),
    )
    transaction.on_commit(lambda: tasks.generate_document.enqueue(job.pk))
    return redirect("reports:job_detail", job.pk)


def _job(request, pk) -> ReportJob:
    return get_object_or_404(selectors.jobs_for(request.user), pk=pk)


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    title = job.title or (_("Export") if job.kind == EXPORT_KIND else _("Document"))
    return render(request, "reports/job_detail.html", {"job": job, "title": title})


@login_required
def job_status(request, pk):
    job = _job(request, pk)
    return HttpResponse(render_to_string("reports/_job_status.html", {"job": job}, request=request))


@login_required
def job_download(request, pk):
    job = get_object_or_404(ReportJob.objects.restrict(request.user, VIEW), pk=pk)
    if job.status != ReportJob.Status.DONE or job.content is None or job.is_expired:
        raise Http404
    content_type = XLSX_TYPE if job.kind == EXPORT_KIND else renderer.CONTENT_TYPES[job.format]
    response = HttpResponse(bytes(job.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


@login_required
def plan_exchange(request, pk):
    """The plan in the Word layout that the plan import reads back."""
    from trygg.plans.models import Plan
    from trygg.reports.plan_docx import plan_exchange_docx

    plan = get_object_or_404(Plan.objects.restrict(request.user, VIEW), pk=pk)
    response = HttpResponse(
        plan_exchange_docx(request.user, plan), content_type=renderer.CONTENT_TYPES["docx"]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(plan.title)[:60] or "plan"}.docx"'
    )
    return response
