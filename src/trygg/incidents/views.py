"""Pages for incident reports (list, filing, detail and review), categories, import and the
police's events."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.core.access import ADD, CHANGE, REPORT, VIEW, may, organisations_for
from trygg.core.editing import form_page, form_post, submit
from trygg.core.exports import EXPORT_FORMATS, export_rows
from trygg.core.listing import RestrictedListView
from trygg.core.models import ImportBatch
from trygg.core.uploads import read_upload
from trygg.incidents import importing, selectors, services
from trygg.incidents.filters import CategoryFilter, PoliceEventFilter, ReportFilter
from trygg.incidents.forms import CategoryForm, ReportForm, ReportImportForm, ReviewForm
from trygg.incidents.import_pii import PersonalDataWarnings
from trygg.incidents.models import IncidentCategory, IncidentPhoto, IncidentReport, PoliceEvent
from trygg.incidents.tables import CategoryTable, PoliceEventTable, ReportTable


def _can(user, *actions: str) -> bool:
    return all(may(user, action) for action in actions)


def _can_manage_categories(user) -> bool:
    return may(user, CHANGE, whole_organisation=True)


class ExportColumnsMixin:
    """The export carries the table's ``export_columns`` (more than fits on a phone), read as
    values() rows (see tables.ValuesTable)."""

    def export(self, fmt: str):
        queryset = self.filtered_queryset()
        columns = getattr(self.table, "export_columns", self.table.columns)
        return export_rows(
            [str(c.label) for c in columns],
            self.table.export_rows(queryset),
            fmt,
            self.export_name,
            request=self.request,
        )


# Reports


class ReportListView(ExportColumnsMixin, RestrictedListView):
    """Händelserapporter: what the user may see, blurred where they lack detail access."""

    model = IncidentReport
    filterset_class = ReportFilter
    table_class = ReportTable
    template_name = "incidents/report_list.html"
    title = gettext_lazy("Incident reports")
    empty_text = gettext_lazy(
        "There are no incident reports yet. File the first one from the field, or import a file."
    )
    export_name = "handelserapporter"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            _can(request.user, VIEW) or _can(request.user, REPORT)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        if self.request.GET.get("format") in EXPORT_FORMATS:
            return selectors.report_list(self.request.user)
        # The page shows and filters by a few of the blurred values: build only those.
        shown = {f for f in ReportTable.fields if f.startswith("shown_")}
        return selectors.reports_visible(self.request.user, shown=shown | ReportFilter.shown)

    def get_filterset(self):
        filterset = super().get_filterset()
        # The page (not the export) keeps its unfiltered counts in the cache (ReportFilter).
        filterset.keep_counts = self.request.GET.get("format") not in EXPORT_FORMATS
        return filterset

    def filtered_queryset(self):
        queryset = super().filtered_queryset()
        # Each row carries a dozen blurred values: the page reads its 50 keys first, then
        # those rows (tables.ValuesTable.prepare), rather than compute them for every row.
        self.table.source = queryset
        self.table.organisation_counts = self.filterset.organisation_counts
        return queryset

    def status_counts(self) -> dict[str, int]:
        """The filtered reports per status, counted by the filter (see without_small_counts)."""
        self.filtered_queryset()
        return self.filterset.status_counts

    def total(self, queryset) -> int:
        return sum(self.status_counts().values())  # every report has a status

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["status_counts"] = self.status_counts()
        context["blurred_count"] = self.filterset.blurred_count
        if _can(user, REPORT):
            context["create_url"] = reverse("incidents:report_create")
            context["create_label"] = _("File a report")
        actions = []
        if _can(user, ADD, REPORT):
            actions.append((reverse("incidents:report_import"), _("Import")))
        if _can_manage_categories(user):
            actions.append((reverse("incidents:category_list"), _("Categories")))
        if _can(user, VIEW):
            actions.append((reverse("incidents:police_event_list"), _("Police events")))
        context["extra_actions"] = actions
        return context


def service_worker(request):
    """The report form's service worker, served under /handelser/ so that it may keep the form."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    with open(finders.find("incidents/sw.js"), encoding="utf-8") as handle:
        response = HttpResponse(handle.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/handelser/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def report_create(request):
    """Ny händelserapport: the phone-first form for field staff and partners."""
    if not _can(request.user, REPORT):
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        lambda _data: services.report_create(actor=request.user, **form.service_kwargs()),
        title=_("File an incident report"),
        success=_("Thank you. The report was filed."),
        done=lambda report: reverse("incidents:report_detail", args=[report.pk]),
        template="incidents/report_form.html",
        context={
            "has_categories": bool(form.categories),
            "map_data": selectors.report_form_map(request.user, form.categories.values()),
            "can_manage_categories": _can_manage_categories(request.user),
        },
    )


@login_required
def report_photo(request, pk):
    """A report's photo, served only here and only to those who see the report in detail."""
    photo = get_object_or_404(IncidentPhoto.objects.restrict(request.user, VIEW), pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _detail_context(request, report, review_form=None):
    can_review = selectors.report_can_review(request.user, report)
    if can_review and review_form is None:
        review_form = ReviewForm(
            initial={
                "status": report.status,
                "measure": report.measure_id,
                "decision": report.decision_id,
            },
            user=request.user,
            report=report,
        )
    return {
        "report": report,
        "title": str(report),
        "can_review": can_review,
        "review_form": review_form if can_review else None,
        "next_to_review": selectors.next_report_to_review(request.user, after=report)
        if can_review
        else None,
        "map_data": selectors.report_map(report),
        "photos": IncidentPhoto.objects.restrict(request.user, VIEW).filter(report=report)
        if report.detail
        else [],
    }


@login_required
def report_detail(request, pk):
    report = selectors.report_detail(request.user, pk)
    return render(request, "incidents/report_detail.html", _detail_context(request, report))


@login_required
@require_POST
def report_review(request, pk):
    """Granska: change the status, write a note, link a measure."""
    report = selectors.report_detail(request.user, pk)
    if not selectors.report_can_review(request.user, report):
        raise Http404
    form = ReviewForm(request.POST, user=request.user, report=report)

    def done(_result):
        following = selectors.next_report_to_review(request.user, after=report)
        if following is not None and request.POST.get("then") == "next":
            return reverse("incidents:report_detail", args=[following.pk])
        return reverse("incidents:report_detail", args=[report.pk])

    response = form_post(
        request,
        form,
        lambda data: services.report_review(
            actor=request.user,
            report=IncidentReport.objects.restrict(request.user, CHANGE).get(pk=report.pk),
            status=data["status"],
            note=data["note"],
            measure=data["measure"],
            set_measure=True,
            decision=data["decision"],
            set_decision=True,
        ),
        success=_("The report was saved."),
        done=done,
    )
    if response is not None:
        return response
    return render(
        request,
        "incidents/report_detail.html",
        _detail_context(request, report, review_form=form),
    )


# Files up to this size are imported during the request (a fraction of a second); larger
# ones are stored and imported by the worker while the page shows the progress.
BACKGROUND_BYTES = getattr(settings, "TRYGG_INCIDENT_IMPORT_BACKGROUND_BYTES", 256 * 1024)


@login_required
def report_import(request):
    """Importera händelserapporter från en annan tjänsts export (CSV/XLSX)."""
    if not _can(request.user, ADD, REPORT):
        raise Http404
    form = ReportImportForm(request.POST or None, request.FILES or None, user=request.user)

    def run(data):
        upload, organisation = data["file"], data["organisation"]
        content = read_upload(upload, extensions={".csv", ".xlsx"})
        if len(content) >= BACKGROUND_BYTES:
            # A file that cannot be read at all is refused now, not in the background.
            importing.check_file(content, upload.name)
            batch = _queue_import(request, organisation, upload.name, content)
            return redirect("incidents:import_detail", pk=batch.pk)
        try:
            counts = services.reports_import(
                actor=request.user,
                organisation=organisation,
                data=content,
                filename=upload.name,
                accept_warnings=False,
            )
        except PersonalDataWarnings as warnings:
            return _ask_about_warnings(request, organisation, upload.name, content, warnings)
        messages.success(
            request,
            _("Imported %(created)s new reports; %(unchanged)s were already there.") % counts,
        )
        return redirect("incidents:report_list")

    response = submit(form, run, request=request)
    if response is not None:
        return response
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Import incident reports"),
            "intro": _(
                "The whole file is imported or nothing is. Rows whose extern_id has already "
                "been imported are left as they are. A large file is imported in the "
                "background; you see its progress."
            ),
            "multipart": True,
            "submit_label": _("Import"),
            "cancel_url": reverse("incidents:report_list"),
        },
    )


def _queue_import(
    request, organisation, filename: str, content: bytes, *, accept_warnings: bool = False
):
    """Store the file and let the worker import it once the batch is committed."""
    from django.db import transaction

    from trygg.incidents import tasks

    with transaction.atomic():
        batch = services.report_import_queue(
            actor=request.user, organisation=organisation, filename=filename, content=content
        )
        path = tasks.store_upload(batch, content)
        user_id = request.user.pk
        transaction.on_commit(
            lambda: tasks.import_reports.enqueue(
                batch.pk, str(path), filename, user_id, accept_warnings
            )
        )
    return batch


PENDING_IMPORT = "incidents_import_pending"


def _pending_path(token: str):
    from trygg.incidents import tasks

    return tasks.upload_dir() / f"pending-{token}.upload"


def _ask_about_warnings(request, organisation, filename: str, content: bytes, warnings):
    """The file may hold personal data: keep it and ask whether to go on (nothing written)."""
    import secrets

    previous = request.session.get(PENDING_IMPORT)
    if previous:
        _pending_path(previous["token"]).unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    path = _pending_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    request.session[PENDING_IMPORT] = {
        "token": token,
        "filename": filename,
        "organisation": organisation.pk,
    }
    return render(
        request,
        "incidents/import_warnings.html",
        {
            "title": _("Import incident reports: check for personal data"),
            "filename": filename,
            "warnings": warnings.messages,
            "action": reverse("incidents:import_warnings"),
        },
    )


@login_required
@require_POST
def import_warnings(request):
    """Go on with a file whose warnings the user has read, or cancel it."""
    if not _can(request.user, ADD, REPORT):
        raise Http404
    pending = request.session.pop(PENDING_IMPORT, None)
    if not pending:
        messages.error(request, _("The file is no longer kept. Upload it again."))
        return redirect("incidents:report_import")
    path = _pending_path(pending["token"])
    try:
        if request.POST.get("decision") != "go_on" or not path.exists():
            messages.info(request, _("Nothing was imported."))
            return redirect("incidents:report_import")
        choices = ReportImportForm(user=request.user).fields["organisation"].queryset
        organisation = get_object_or_404(choices, pk=pending["organisation"])
        try:
            counts = services.reports_import(
                actor=request.user,
                organisation=organisation,
                data=path.read_bytes(),
                filename=pending["filename"],
                accept_warnings=True,
            )
        except (ValidationError, PermissionDenied) as error:
            found = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in found:
                messages.error(request, message)
            return redirect("incidents:report_import")
        messages.success(
            request,
            _("Imported %(created)s new reports; %(unchanged)s were already there.") % counts,
        )
        return redirect("incidents:report_list")
    finally:
        path.unlink(missing_ok=True)


@login_required
@require_POST
def import_batch_warnings(request, pk):
    """A queued file was stopped by its warnings: import it after all (a new batch), or
    cancel it. Either way the kept file leaves this batch."""
    from trygg.incidents import tasks

    batch = get_object_or_404(_imports(request.user), pk=pk)
    path = tasks.upload_path(batch)
    if batch.status != ImportBatch.Status.REJECTED or not batch.counts.get("warnings"):
        raise Http404
    if request.POST.get("decision") != "go_on" or not path.exists():
        path.unlink(missing_ok=True)
        messages.info(request, _("Nothing was imported."))
        return redirect("incidents:report_import")
    try:
        new = _queue_import(
            request, batch.organisation, batch.filename, path.read_bytes(), accept_warnings=True
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("incidents:import_detail", pk=batch.pk)
    path.unlink(missing_ok=True)
    return redirect("incidents:import_detail", pk=new.pk)


def _imports(user):
    return (
        ImportBatch.objects.restrict(user, VIEW)
        .filter(kind="incident_reports")
        .select_related("organisation", "created_by")
    )


def _import_context(request, pk) -> dict:
    from trygg.incidents.tasks import progress_of, upload_path

    batch = get_object_or_404(_imports(request.user), pk=pk)
    running = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    # A file stopped by its warnings is kept until the user goes on or cancels.
    kept = upload_path(batch)
    return {
        "batch": batch,
        "title": _("Import: %(file)s") % {"file": batch.filename},
        "running": running,
        "progress": progress_of(batch) if running else batch.progress,
        "warnings_pending": bool(batch.counts.get("warnings")) and kept.exists(),
        "warning_messages": [p.get("message", "") for p in batch.problems],
    }


@login_required
def import_detail(request, pk):
    """An import of incident reports: its progress while it runs, then its result."""
    return render(request, "incidents/import_detail.html", _import_context(request, pk))


@login_required
def import_status(request, pk):
    """The progress fragment the import page polls every 2 s while the import runs."""
    return render(request, "incidents/_import_status.html", _import_context(request, pk))


# Categories


class CategoryListView(RestrictedListView):
    model = IncidentCategory
    filterset_class = CategoryFilter
    table_class = CategoryTable
    template_name = "incidents/category_list.html"
    title = gettext_lazy("Incident categories")
    empty_text = gettext_lazy(
        "There are no categories yet: add the default set or a category of your own."
    )
    export_name = "handelsekategorier"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _can_manage_categories(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return IncidentCategory.objects.restrict(self.request.user, CHANGE).select_related(
            "organisation"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["create_url"] = reverse("incidents:category_create")
        context["create_label"] = _("New category")
        organisations = organisations_for(self.request.user, CHANGE)
        with_categories = set(
            IncidentCategory.objects.restrict(self.request.user, CHANGE).values_list(
                "organisation_id", flat=True
            )
        )
        context["without_categories"] = [o for o in organisations if o.pk not in with_categories]
        return context


@login_required
def category_create(request):
    if not _can_manage_categories(request.user):
        raise Http404
    form = CategoryForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.category_create(actor=request.user, **data),
        title=_("New category"),
        success=_("The category was created."),
        done=reverse("incidents:category_list"),
        cancel_url=reverse("incidents:category_list"),
    )


@login_required
def category_edit(request, pk):
    category = get_object_or_404(IncidentCategory.objects.restrict(request.user, CHANGE), pk=pk)
    initial = {
        "organisation": category.organisation,
        "name": category.name,
        "group": category.group,
        "order": category.order,
        "is_active": category.is_active,
    }
    form = CategoryForm(request.POST or None, initial=initial, user=request.user)
    form.fields["organisation"].disabled = True

    def save(data):
        data.pop("organisation", None)
        services.category_update(actor=request.user, category=category, **data)

    return form_page(
        request,
        form,
        save,
        title=category.name,
        success=_("The category was saved."),
        done=reverse("incidents:category_list"),
        cancel_url=reverse("incidents:category_list"),
        context={
            "intro": _("A category in use cannot be deleted; make it inactive instead."),
            "history_url": reverse("core:history", args=["incidents", "incidentcategory", pk]),
        },
    )


@login_required
@require_POST
def category_defaults(request):
    """Lägg till standardkategorierna for an organisation that has none."""
    organisations = organisations_for(request.user, CHANGE)
    organisation = get_object_or_404(organisations, pk=request.POST.get("organisation") or 0)
    services.categories_ensure_defaults(organisation, actor=request.user)
    messages.success(request, _("The default categories are in place."))
    return redirect("incidents:category_list")


# Police events


class PoliceEventListView(ExportColumnsMixin, RestrictedListView):
    """Polisens händelser: the public events feed, per kommun, type and period."""

    model = PoliceEvent
    filterset_class = PoliceEventFilter
    table_class = PoliceEventTable
    template_name = "incidents/police_event_list.html"
    title = gettext_lazy("Police events")
    empty_text = gettext_lazy(
        "There are no police events here. They are fetched from the police every hour; "
        "choose the whole country to see all."
    )
    export_name = "polisens_handelser"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _can(request.user, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.police_event_list(self.request.user)

    def get_filterset(self):
        """The page opens on the user's own kommun; "Hela landet" (an empty choice) shows all."""
        data = self.request.GET.copy()
        if "kommun" not in data:
            home = selectors.home_kommun_id(self.request.user)
            if home is not None:
                data["kommun"] = str(home)
        return self.filterset_class(data or None, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["outcomes"] = selectors.police_event_outcome_counts(self.filtered_queryset())
        context["clear_filters_url"] = "?kommun="  # no filter at all means the user's kommun
        return context


@login_required
def police_event_detail(request, pk):
    event = get_object_or_404(selectors.police_event_list(request.user), pk=pk)
    return render(
        request, "incidents/police_event_detail.html", {"event": event, "title": event.name}
    )
