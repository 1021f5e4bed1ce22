"""Background work of the stats app: importing large statistics files.

The upload is saved to a private folder (not under MEDIA_ROOT, which may be served), the
batch is queued, and :func:`import_statistics` runs the import in the worker
(``trygg db_worker``), writing its progress to the batch as it goes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_tasks import task

from trygg.core.models import ImportBatch
from trygg.stats import importers


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports" / "stats"


def store_upload(batch: ImportBatch, content: bytes) -> Path:
    """Keep the file until the worker has read it; named by batch so it cannot collide."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{batch.pk}-{batch.sha256[:16]}.upload"
    path.write_bytes(content)
    return path


@task()
def import_statistics(
    batch_id: int, path: str, options: dict[str, Any], actor_id: int | None
) -> str:
    """Import the stored file of a queued batch. Returns the batch's final status."""
    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING):
        return batch.status  # already handled (a task run twice)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    file = Path(path)
    try:
        content = file.read_bytes()
    except OSError:
        from trygg.stats import services

        services.import_batch_reject(
            actor=actor,
            batch=batch,
            problems=[(None, _("The file of the import is no longer there."))],
        )
        return ImportBatch.Status.REJECTED
    try:
        batch = importers.run(actor=actor, batch=batch, content=content, options=options)
    finally:
        file.unlink(missing_ok=True)
    return batch.status
