"""Background work of the incidents app (django-tasks)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from trygg.core.models import ImportBatch


@task()
def fetch_police_events(url: str | None = None) -> dict:
    """Fetch the police's events feed and import what is new (the periodic production job).

    Schedule it every 15–30 minutes (cron: ``python -m trygg fetch_police_events``, or
    enqueue this task); the feed shows only the latest 500 events, so a gap of more than a
    few hours loses events.
    """
    from trygg.incidents import services

    return services.police_events_fetch(actor=None, url=url or settings.POLICE_FEED_URL)


# Importing incident-report files in the worker


def upload_dir() -> Path:
    """A private folder (not under MEDIA_ROOT, which may be served)."""
    return Path(settings.VAR_DIR) / "imports" / "incidents"


def store_upload(batch: ImportBatch, content: bytes) -> Path:
    """Keep the file until the worker has read it; named by batch so it cannot collide."""
    path = upload_path(batch)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def upload_path(batch: ImportBatch) -> Path:
    """Where a queued batch's file is kept (until imported, or decided on when it has
    warnings about personal data)."""
    return upload_dir() / f"{batch.pk}-{batch.sha256[:16]}.upload"


def progress_key(batch_id: int) -> str:
    return f"trygg:import-progress:{batch_id}"


def progress_of(batch: ImportBatch) -> int:
    """How far a running import has got: written to the cache as the rows are checked
    (a write to the batch row per chunk would compete with other users' writes)."""
    return max(batch.progress, int(cache.get(progress_key(batch.pk)) or 0))


@task()
def import_reports(
    batch_id: int, path: str, filename: str, actor_id: int | None, accept_warnings: bool = True
) -> str:
    """Import the stored file of a queued batch of incident reports. Returns the batch's
    final status; a batch that is no longer queued (a task run twice) is left alone.

    With ``accept_warnings=False`` (as the import page queues a file) a file with warnings
    about personal data (names, addresses, registration numbers) is not imported: the batch
    is rejected with the warnings and the file is kept, so that the user can go on (a new
    batch) or cancel from the batch's page."""
    from trygg.incidents import services
    from trygg.incidents.import_pii import PersonalDataWarnings

    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:
        return batch.status
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    services.report_import_start(batch=batch)
    file = Path(path)
    keep = False  # the file is kept only while the user decides on its warnings
    try:
        if not file.exists():
            raise ValidationError(_("The file of the import is no longer there."))
        services.reports_import(
            actor=actor,
            organisation=batch.organisation,
            filename=filename,
            path=file,
            batch=batch,
            progress=lambda percent: cache.set(progress_key(batch_id), percent, 3600),
            accept_warnings=accept_warnings,
        )
    except PersonalDataWarnings as warnings:
        services.report_import_reject(
            actor=actor, batch=batch, problems=warnings.messages, warnings=True
        )
        keep = True
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        services.report_import_reject(actor=actor, batch=batch, problems=messages)
    finally:
        if not keep:
            file.unlink(missing_ok=True)
        cache.delete(progress_key(batch_id))
    batch.refresh_from_db()
    return batch.status
