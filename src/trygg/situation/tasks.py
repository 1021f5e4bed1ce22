"""Background work of the situation app (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def catch_up_incident_counts() -> int:
    """Recount the lägesbild's counts that changed behind the incident services' back
    (the admin, raw inserts): the periodic production job, every few minutes (cron:
    ``python -m trygg rebuild_incident_counts --changed``, or enqueue this task). Returns
    how many organisations were recounted."""
    from trygg.situation import rollup

    return rollup.catch_up_all()
