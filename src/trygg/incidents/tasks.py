"""Background work of the incidents app (django-tasks)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task


@task()
def fetch_police_events(url: str | None = None) -> dict:
    """Fetch the police's events feed and import what is new (the periodic production job).

    Schedule it every 15–30 minutes (cron: ``python -m trygg fetch_police_events``, or
    enqueue this task); the feed shows only the latest 500 events, so a gap of more than a
    few hours loses events.
    """
    from trygg.incidents import services

    return services.police_events_fetch(actor=None, url=url or settings.POLICE_FEED_URL)
