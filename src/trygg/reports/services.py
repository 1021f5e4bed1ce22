"""Writes of the reports app: drafts of free-text sections, saved versions, background builds.

Each service checks the actor's right, runs in one transaction, validates and writes its
audit row (a build's progress is bookkeeping and is not audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from trygg.core.access import ADD, CHANGE, VIEW, require
from trygg.core.actors import Actor
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Organisation
from trygg.core.services import save_validated
from trygg.reports.document import Document
from trygg.reports.models import ReportDraft, ReportJob, ReportVersion

if TYPE_CHECKING:
    import datetime as dt

MAX_DRAFT_LENGTH = 20_000
VERSION_FIELDS = [
    "kind",
    "title",
    "parameters",
    "language",
    "content_hash",
    "diarienummer",
    "decided_on",
    "decided_by",
]


@transaction.atomic
def report_draft_save(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    key: str,
    section: str,
    text: str,
) -> ReportDraft:
    """Save the text of one free-text section (an empty text keeps an empty draft)."""
    require(actor, CHANGE, organisation.pk, whole_organisation=True)
    draft = ReportDraft.objects.filter(
        organisation=organisation, kind=kind, key=key, section=section
    ).first()
    before = snapshot(draft) if draft is not None else None
    if draft is None:
        draft = ReportDraft(organisation=organisation, kind=kind, key=key, section=section)
    draft.text = text.strip()[:MAX_DRAFT_LENGTH]
    draft.updated_by = actor if getattr(actor, "pk", None) else None
    draft.updated_at = timezone.now()
    save_validated(draft)
    record_change(
        actor=actor,
        obj=draft,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(draft),
    )
    return draft


@transaction.atomic
def report_version_save(
    *,
    actor: Actor,
    organisation: Organisation,
    document: Document,
    drafts: dict[str, str],
    decided_on: dt.date | None = None,
    decided_by: str = "",
) -> ReportVersion:
    """Keep the document as generated now: its parameters, content hash and every figure with
    its source, so that a decided version can be compared with today's data."""
    require(actor, ADD, organisation.pk, whole_organisation=True)
    version = ReportVersion(
        organisation=organisation,
        kind=document.kind,
        title=document.title[:300],
        parameters=document.parameters,
        language=document.language,
        content_hash=document.content_hash(),
        figures=[f.as_dict() for f in document.figures],
        drafts=drafts,
        diarienummer=document.diarienummer[:60],
        decided_on=decided_on,
        decided_by=decided_by[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    save_validated(version)
    # The figures are in the version itself; the audit row names what was saved.
    record_change(
        actor=actor,
        obj=version,
        action=AuditAction.CREATE,
        after=snapshot(version, VERSION_FIELDS),
    )
    return version


@transaction.atomic
def report_job_create(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    fmt: str,
    parameters: dict[str, Any],
    language: str,
) -> ReportJob:
    """Queue a document to be generated in the background (the worker runs
    :func:`trygg.reports.tasks.generate_document`). The actor may queue a document of every
    organisation they may generate one of right away: their own and their partners' (the
    build holds only what is shared with them, as it is made as they see the data)."""
    from trygg.reports.generation import organisations_for

    if actor is None or not organisations_for(actor).filter(pk=organisation.pk).exists():
        require(actor, VIEW, organisation.pk)
    job = ReportJob(
        organisation=organisation,
        kind=kind,
        format=fmt,
        parameters=parameters,
        language=language,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    save_validated(job)
    return job


def report_job_progress(
    *, job: ReportJob, progress: int, status: str = ReportJob.Status.RUNNING
) -> None:
    """Bookkeeping written outside any transaction, so the status page sees it at once."""
    ReportJob.objects.filter(pk=job.pk).update(status=status, progress=max(0, min(progress, 99)))


def report_job_finish(
    *, job: ReportJob, title: str, filename: str, content: bytes, content_hash: str
) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE,
        progress=100,
        title=title[:300],
        filename=filename[:200],
        content=content,
        content_hash=content_hash,
        finished_at=timezone.now(),
    )


def report_job_fail(*, job: ReportJob, error: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )
