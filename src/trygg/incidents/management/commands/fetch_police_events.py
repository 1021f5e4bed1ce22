"""python -m trygg fetch_police_events [--url URL]: fetch the police's events feed and import it.

Run it from cron (or enqueue incidents.tasks.fetch_police_events) every 15–30 minutes: the
feed holds only the latest 500 events.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from trygg.core.commands import AuditedCommand
from trygg.incidents import services
from trygg.incidents.management.commands._police import ensure_geography, write_counts


class Command(AuditedCommand):
    help = "Fetch the police's public events feed from a URL and import the new events."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default=None, help="Feed address (default: TRYGG_POLICE_FEED_URL)."
        )
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, url=None, timeout=30.0, **options):
        url = url or settings.POLICE_FEED_URL
        ensure_geography(self.stdout)
        started = time.perf_counter()
        try:
            counts = services.police_events_fetch(actor=None, url=url, timeout=timeout)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        write_counts(self.stdout, counts)
        self.stdout.write(f"Tid: {time.perf_counter() - started:.1f} s")
