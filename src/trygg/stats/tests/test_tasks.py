"""Large imports run as a background task that reports its progress on the batch."""

from __future__ import annotations

from django.test import override_settings

from trygg.core.models import ImportBatch
from trygg.stats import services, tasks
from trygg.stats.choices import ImportKind
from trygg.stats.models import Observation
from trygg.stats.tests.conftest import GOTEBORG_CSV

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def queued_batch(world, tmp_path, settings, content):
    settings.VAR_DIR = tmp_path
    actor = world.users["samordnare"]
    batch = services.import_batch_create(
        actor=actor,
        organisation=world.organisations["nacka"],
        kind=ImportKind.BRA_YEARLY,
        filename="goteborg.csv",
        content=content,
    )
    return batch, tasks.store_upload(batch, content)


def test_the_task_imports_a_queued_file_and_removes_it(geography, world, tmp_path, settings):
    batch, path = queued_batch(world, tmp_path, settings, GOTEBORG_CSV.read_bytes())
    assert batch.status == ImportBatch.Status.QUEUED and path.exists()
    status = tasks.import_statistics.call(batch.pk, str(path), {}, world.users["samordnare"].pk)
    batch.refresh_from_db()
    assert status == batch.status == ImportBatch.Status.DONE
    assert batch.progress == 100 and batch.counts["created"] == 90
    assert Observation.objects.count() == 90
    assert not path.exists()


def test_the_task_runs_through_the_task_backend(geography, world, tmp_path, settings):
    batch, path = queued_batch(world, tmp_path, settings, GOTEBORG_CSV.read_bytes())
    with override_settings(TASKS=IMMEDIATE):
        result = tasks.import_statistics.enqueue(batch.pk, str(path), {}, None)
    assert result.return_value == ImportBatch.Status.DONE
    assert Observation.objects.filter(import_batch=batch).count() == 90


def test_a_bad_file_leaves_a_rejected_batch_with_its_problems(geography, world, tmp_path, settings):
    content = GOTEBORG_CSV.read_bytes().replace(b",1259,", b",12x9,")
    batch, path = queued_batch(world, tmp_path, settings, content)
    with override_settings(TASKS=IMMEDIATE):
        tasks.import_statistics.enqueue(batch.pk, str(path), {}, None)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems[0]["line"] == 61
    assert not Observation.objects.exists()


def test_the_task_does_not_import_a_finished_batch_twice(geography, world, tmp_path, settings):
    batch, path = queued_batch(world, tmp_path, settings, GOTEBORG_CSV.read_bytes())
    tasks.import_statistics.call(batch.pk, str(path), {}, None)
    path = tasks.store_upload(batch, GOTEBORG_CSV.read_bytes())
    assert tasks.import_statistics.call(batch.pk, str(path), {}, None) == "done"
    batch.refresh_from_db()
    assert batch.counts["created"] == 90


def test_progress_is_written_to_the_batch_while_it_runs(
    geography, world, tmp_path, settings, monkeypatch
):
    seen = []
    original = services.import_batch_progress

    def record(*, batch, progress):
        original(batch=batch, progress=progress)
        seen.append(ImportBatch.objects.get(pk=batch.pk).progress)

    batch, path = queued_batch(world, tmp_path, settings, GOTEBORG_CSV.read_bytes())
    monkeypatch.setattr(services, "import_batch_progress", record)
    tasks.import_statistics.call(batch.pk, str(path), {}, None)
    assert seen == sorted(seen) and seen[0] < 50 <= seen[-1] < 100
    batch.refresh_from_db()
    assert batch.progress == 100
