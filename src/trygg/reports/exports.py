"""Large XLSX exports of lists, built in the background as a report build (kind ``export``).

A list's export of more than ``XLSX_INLINE_ROWS`` rows is not built in the request (see
:mod:`trygg.core.exports`): the person posts the list's address here, a build is queued and
the db worker runs :func:`run_export`. The worker calls the list's own view as the person
who asked, with the filters and sort they chose, so that the rows are those their scope
allows when the file is made (a membership ended in between leaves them out, a list they may
no longer see fails the build). The file is kept in the build, in the database, never under
a public address; only its maker downloads it, for ``TRYGG_RETENTION_EXPORT_FILES_DAYS``
days, after which :func:`trygg.core.retention.apply_retention` deletes it.
"""

from __future__ import annotations

from importlib import import_module
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from trygg.core.access import member_organisation_ids
from trygg.core.formatting import format_number
from trygg.core.models import Organisation
from trygg.reports.models import ReportJob

EXPORT_KIND = "export"
EXPORT_FORMAT = "xlsx"


def export_target(path: str, query: str) -> tuple[str, str] | None:
    """The list address and filters to export, or None when they are not an XLSX export of
    a page of this site (a path only, no host, ``format=xlsx`` in the query)."""
    path = (path or "").strip()
    parts = urlsplit(path)
    if not path.startswith("/") or path.startswith("//") or parts.netloc or parts.query:
        return None
    params = QueryDict(query or "")
    if params.get("format") != EXPORT_FORMAT:
        return None
    try:
        resolve(path)
    except Resolver404:
        return None
    return path, params.urlencode()


def organisation_for_export(user) -> Organisation | None:
    """The organisation the build is filed under: the person's own (the list itself may span
    every organisation they see)."""
    from trygg.reports.generation import organisations_for

    visible = list(organisations_for(user).order_by("pk"))
    own = member_organisation_ids(user, "view")
    return next((o for o in visible if o.pk in own), visible[0] if visible else None)


def _request_as(user, path: str, query: str, language: str) -> HttpRequest:
    """A GET of the list as its maker: what they would get from their browser, without the
    browser (no session of theirs is needed: the scope is read from the user)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    host = urlsplit(settings.SITE_URL).netloc or "localhost"
    request.META = {"SERVER_NAME": host.split(":")[0], "SERVER_PORT": "443", "HTTP_HOST": host}
    request.user = user
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.LANGUAGE_CODE = language
    setattr(request, "_dont_enforce_csrf_checks", True)  # noqa: B010 (a Django-internal flag)
    from django.contrib.messages.storage.cookie import CookieStorage

    setattr(request, "_messages", CookieStorage(request))  # noqa: B010
    return request


def build(user, job: ReportJob) -> tuple[bytes, str, int]:
    """The workbook of the job's list as ``user`` sees it now: (content, file name, rows).

    Raises ``Http404`` when the list is not there for them (any more)."""
    from trygg.core.exports import building_in_background

    target = export_target(job.parameters.get("path", ""), job.parameters.get("query", ""))
    if target is None:
        raise Http404
    path, query = target
    match = resolve(path)
    request = _request_as(user, path, query, job.language)
    with building_in_background() as result:
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        except PermissionDenied as exc:
            raise Http404 from exc
    if result.content is None:
        # A redirect to the login page, a form error: no export came out of the view.
        raise Http404
    return result.content, result.filename, result.rows


def run_export(job: ReportJob, user) -> str:
    """Build the export of ``job`` as ``user``; returns the final status."""
    from trygg.reports import services

    services.report_job_progress(job=job, progress=10)
    try:
        if user is None:
            raise Http404
        content, filename, rows = build(user, job)
    except Http404:
        services.report_job_fail(job=job, error=_("The list is not there for you any more."))
        return ReportJob.Status.FAILED
    title = _("Export: %(name)s (%(rows)s rows)") % {
        "name": filename.rsplit(".", 1)[0],
        "rows": format_number(rows),
    }
    services.report_job_finish(
        job=job, title=title, filename=filename, content=content, content_hash=""
    )
    return ReportJob.Status.DONE
