"""Importing a plan in steps (*import i steg*): upload, name unknown columns, preview, confirm.

1. The upload page checks the file (type, size, and that it can be read at all) and keeps it
   in the session under a random token, so that the next steps need not upload it again.
2. When tables or the sheet have columns with unknown names, the mapping page asks what each
   is (with the first rows of the file beside it) instead of refusing the file.
3. The preview page shows, row by row, what the import will create, change and leave alone.
   It runs the import in a transaction that is rolled back: nothing is written.
4. Confirming runs the same import for real and forgets the file.

A file that cannot be read is refused on the upload page with its reasons, as before.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from trygg.core.access import ADD, CHANGE, VIEW, may, organisations_for
from trygg.core.editing import add_form_errors
from trygg.core.models import Organisation
from trygg.core.uploads import read_upload
from trygg.plans import importers
from trygg.plans.columns import ROLE_IGNORE, ROLES, column_key
from trygg.plans.forms import ColumnMappingForm, PlanImportForm
from trygg.plans.models import STATUS, Measure, Plan

#: Where pending imports are kept in the session: token → what the next steps need.
SESSION_KEY = "plans_pending_imports"
#: The largest file kept between the steps (base64 in the session row); plans are far smaller.
PENDING_MAX_BYTES = 4 * 1024 * 1024
#: Pending imports kept per session; the oldest is forgotten first.
PENDING_MAX = 2


def _plan_roles() -> list[tuple[str, str]]:
    """What a column of a plan's tables can be, with its label."""
    labels = {
        "challenge": _("Challenge"),
        "action": pgettext("measure", "Action"),
        "responsibles": _("Responsible"),
        "status": _("Status"),
        "target_group": _("Target group"),
        "outcome": _("Outcome"),
        "note": _("Note (added to the action)"),
    }
    return [(role, labels[role]) for role in ROLES] + [(ROLE_IGNORE, _("Leave out"))]


def _is_rows(name: str) -> bool:
    return name.lower().endswith(tuple(importers.ROW_EXTENSIONS))


# The pending file -----------------------------------------------------------------------------


def _keep(request, **pending) -> str:
    store = request.session.get(SESSION_KEY, {})
    while len(store) >= PENDING_MAX:
        store.pop(next(iter(store)))
    token = secrets.token_urlsafe(12)
    store[token] = pending
    request.session[SESSION_KEY] = store
    return token


def _pending(request, token: str) -> tuple[dict, bytes]:
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if not pending or pending.get("user") != request.user.pk:
        raise Http404
    content = base64.b64decode(pending["data"])
    if hashlib.sha256(content).hexdigest() != pending["sha256"]:
        raise Http404
    return pending, content


def _update(request, token: str, **changes) -> None:
    store = request.session.get(SESSION_KEY, {})
    store[token] = {**store[token], **changes}
    request.session[SESSION_KEY] = store


def _forget(request, token: str) -> None:
    store = request.session.get(SESSION_KEY, {})
    store.pop(token, None)
    request.session[SESSION_KEY] = store


# Running the import ------------------------------------------------------------------------


def _plan_for(request, pending: dict) -> Plan | None:
    if pending.get("plan") is None:
        return None
    return get_object_or_404(Plan.objects.restrict(request.user, VIEW), pk=pending["plan"])


def _run(request, pending: dict, content: bytes, *, dry: bool) -> importers.ImportReport:
    """The import the pending file stands for; with ``dry``, rolled back (the preview).

    Raises ImportRejected (ColumnsUnknown while columns are not named), ValidationError and
    PermissionDenied as the importers do."""
    name = pending["name"]
    column_map = pending.get("columns") or {}
    plan = _plan_for(request, pending)
    if plan is not None and _is_rows(name):
        call, kwargs = (
            importers.import_measure_rows,
            {
                "actor": request.user,
                "plan": plan,
                "rows": importers.read_rows(name, content, column_map),
                "source": name,
            },
        )
    else:
        document = importers.read_plan_document(name, content, column_map)
        if plan is not None:
            if not Plan.objects.restrict(request.user, CHANGE).filter(pk=plan.pk).exists():
                raise PermissionDenied
            options = {"plan": plan, "title": plan.title, "organisation": plan.organisation}
        else:
            organisation = get_object_or_404(
                organisations_for(request.user, ADD), pk=pending["organisation"]
            )
            title = (pending.get("title") or document.title).strip()
            existing = Plan.objects.filter(organisation=organisation, title=title).first()
            if existing is not None and not (
                Plan.objects.restrict(request.user, CHANGE).filter(pk=existing.pk).exists()
            ):
                raise PermissionDenied
            options = {
                "organisation": organisation,
                "title": pending.get("title") or None,
                "kind": pending.get("kind"),
                "partners": list(
                    Organisation.objects.restrict(request.user, VIEW).filter(
                        pk__in=pending.get("partners") or []
                    )
                ),
            }
        call, kwargs = (
            importers.import_plan_document,
            {"actor": request.user, "document": document, "source": name, **options},
        )
    if dry:
        return importers.preview(call, **kwargs)
    return call(**kwargs)


def _next_step(token: str, error: importers.ImportRejected | None) -> str:
    if isinstance(error, importers.ColumnsUnknown):
        return reverse("plans:import_columns", args=[token])
    return reverse("plans:import_preview", args=[token])


# Step 1: upload ------------------------------------------------------------------------------


def _upload(request, *, plan: Plan | None, extensions: set[str], title: str, cancel_url: str):
    form = PlanImportForm(request.POST or None, request.FILES or None, user=request.user, plan=plan)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            content = read_upload(upload, extensions=extensions)
            if len(content) > PENDING_MAX_BYTES:
                raise ValidationError(
                    _("The file is too large to preview (more than %(mb)d MB).")
                    % {"mb": PENDING_MAX_BYTES // (1024 * 1024)}
                )
            pending = {
                "user": request.user.pk,
                "name": upload.name,
                "data": base64.b64encode(content).decode("ascii"),
                "sha256": hashlib.sha256(content).hexdigest(),
                "plan": plan.pk if plan is not None else None,
                "columns": {},
            }
            if plan is None:
                pending |= {
                    "organisation": data["organisation"].pk,
                    "partners": [p.pk for p in data["partner_organisations"]],
                    "title": data["title"],
                    "kind": data["kind"],
                }
            # Try the import now (rolled back): a file that cannot be read, or that the
            # import would refuse, is refused here with its reasons and is not kept.
            unknown = None
            try:
                _run(request, pending, content, dry=True)
            except importers.ColumnsUnknown as error:
                unknown = error
        except importers.ImportRejected as error:
            problems = error.messages
            form.add_error("file", _("The file was refused; nothing was imported."))
        except ValidationError as error:
            # The file's type, size or content: next to the file field.
            if hasattr(error, "error_dict"):
                add_form_errors(form, error)
            else:
                form.add_error("file", error)
        except PermissionDenied as error:
            add_form_errors(form, error)
        else:
            token = _keep(request, **pending)
            return redirect(_next_step(token, unknown))
    return render(
        request,
        "plans/plan_import.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "problems": problems},
    )


@login_required
def import_new(request):
    """Import a whole plan from text or Word; the same title updates the existing plan."""
    if not may(request.user, ADD, whole_organisation=True):
        raise Http404
    return _upload(
        request,
        plan=None,
        extensions=importers.TEXT_EXTENSIONS,
        title=_("Import plan"),
        cancel_url=reverse("plans:plan_list"),
    )


@login_required
def import_into(request, pk):
    """Import into this plan: a revised plan text or Word file, or edited CSV/XLSX rows."""
    plan = get_object_or_404(Plan.objects.restrict(request.user, VIEW), pk=pk)
    if (
        not Measure.objects.restrict(request.user, STATUS).filter(plan=plan).exists()
        and not Plan.objects.restrict(request.user, CHANGE).filter(pk=plan.pk).exists()
    ):
        raise Http404
    return _upload(
        request,
        plan=plan,
        extensions=importers.ALL_EXTENSIONS,
        title=_("Import into %(plan)s") % {"plan": plan.title},
        cancel_url=plan.get_absolute_url(),
    )


def _cancel_url(request, pending: dict) -> str:
    plan = _plan_for(request, pending)
    return plan.get_absolute_url() if plan is not None else reverse("plans:plan_list")


# Step 2: columns -----------------------------------------------------------------------------


@login_required
def import_columns(request, token):
    """Say what each unknown column is, with the first rows of the file beside it."""
    pending, content = _pending(request, token)
    try:
        _read(pending, content, {})
    except importers.ColumnsUnknown as error:
        unknown = error
    except importers.ImportRejected:
        return redirect("plans:import_preview", token)
    else:
        return redirect("plans:import_preview", token)
    columns = list(unknown.columns)
    roles = importers.row_roles() if _is_rows(pending["name"]) else _plan_roles()
    saved = pending.get("columns") or {}
    initial = {f"column_{i}": saved.get(column_key(name), "") for i, name in enumerate(columns)}
    form = ColumnMappingForm(
        request.POST if request.method == "POST" else None,
        columns=columns,
        roles=roles,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        _update(request, token, columns=form.column_map())
        return redirect("plans:import_preview", token)
    samples = next(iter(unknown.columns.values()), [])
    width = max([len(unknown.headers), *(len(r) for r in samples)])
    return render(
        request,
        "plans/import_columns.html",
        {
            "title": _("Which column is what?"),
            "form": form,
            "file_name": pending["name"],
            "headers": unknown.headers,
            "unknown": set(columns),
            "samples": [r + [""] * (width - len(r)) for r in samples],
            "cancel_url": _cancel_url(request, pending),
            "token": token,
        },
    )


def _read(pending: dict, content: bytes, column_map: dict) -> None:
    if _is_rows(pending["name"]) and pending.get("plan") is not None:
        importers.read_rows(pending["name"], content, column_map)
    else:
        importers.read_plan_document(pending["name"], content, column_map)


# Step 3 and 4: preview and confirm -------------------------------------------------------------


@login_required
def import_preview(request, token):
    """What the import will create, change and leave alone, row by row; confirm to write it."""
    pending, content = _pending(request, token)
    cancel_url = _cancel_url(request, pending)
    problems: list = []
    report = None
    refusal: ValidationError | PermissionDenied | None = None
    try:
        report = _run(request, pending, content, dry=request.method != "POST")
    except importers.ColumnsUnknown:
        return redirect("plans:import_columns", token)
    except importers.ImportRejected as error:
        problems = error.messages
    except (ValidationError, PermissionDenied) as error:
        refusal = error
    else:
        if request.method == "POST":
            _forget(request, token)
            for line in report.lines():
                messages.success(request, line)
            return redirect(report.plan)
    if isinstance(refusal, PermissionDenied):
        problems = [str(refusal) or _("You do not have permission to do this.")]
    elif refusal is not None:
        problems = refusal.messages
    return render(
        request,
        "plans/import_preview.html",
        {
            "title": _("Check the import"),
            "file_name": pending["name"],
            "report": report,
            "problems": problems,
            "cancel_url": cancel_url,
            "has_columns": bool(pending.get("columns")),
            "token": token,
        },
    )
