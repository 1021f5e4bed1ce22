"""Background generation of documents and large list exports (``trygg db_worker``), with
progress on the job."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from trygg.reports.exports import EXPORT_KIND, run_export
from trygg.reports.models import ReportJob


def run_job(job_id: int) -> str:
    """Generate the job's document as its maker sees the data; returns the final status."""
    from trygg.reports import render, services
    from trygg.reports.generation import generate, organisation_for, params_from

    job = ReportJob.objects.select_related("organisation").get(pk=job_id)
    if job.status not in (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING):
        return job.status
    user = get_user_model().objects.filter(pk=job.created_by_id, is_active=True).first()
    if job.kind == EXPORT_KIND:
        # A large list export: the list's own view, run as its maker (reports.exports).
        with override(job.language):
            return run_export(job, user)
    with override(job.language):
        try:
            if user is None:
                raise Http404
            services.report_job_progress(job=job, progress=10)
            organisation = organisation_for(user, job.organisation_id)
            params = params_from(job.parameters, organisation)
            document = generate(user, job.kind, params, language=job.language)
            services.report_job_progress(job=job, progress=60)
            content = render.render(document, job.format)
        except Http404:
            services.report_job_fail(
                job=job, error=_("There is nothing to build this document from.")
            )
            return ReportJob.Status.FAILED
        except ValueError as exc:
            services.report_job_fail(job=job, error=str(exc))
            return ReportJob.Status.FAILED
        filename = f"{slugify(document.title)[:80] or job.kind}.{job.format}"
        services.report_job_finish(
            job=job,
            title=document.title,
            filename=filename,
            content=content,
            content_hash=document.content_hash(),
        )
    return ReportJob.Status.DONE


@task()
def generate_document(job_id: int) -> str:
    return run_job(job_id)
