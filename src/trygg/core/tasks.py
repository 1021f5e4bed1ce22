"""Background work of the core app (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def apply_retention_task() -> dict[str, int]:
    """Gallring, the periodic production job: schedule it once a night (cron:
    ``python -m trygg apply_retention``, or enqueue this task). Returns the count per type."""
    from trygg.core.retention import apply_retention

    return {outcome.rule.key: outcome.count for outcome in apply_retention()}
