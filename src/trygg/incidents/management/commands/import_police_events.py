"""python -m trygg import_police_events FILE: the police's events from .json, .jsonl or .gz."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from trygg.core.commands import AuditedCommand, organisation_option
from trygg.incidents import services
from trygg.incidents.management.commands._police import ensure_geography, write_counts


class Command(AuditedCommand):
    help = (
        "Import police events from a feed file (JSON array, JSON Lines or gzip). "
        "Events already stored are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--organisation",
            help="The organisation the import is recorded under (name, id or kommun code).",
        )

    def handle(self, *args, path: Path, organisation=None, **options):
        if not path.exists():
            raise CommandError(f"Filen finns inte: {path}")
        owner = None
        if organisation:
            owner = organisation_option(organisation)
        ensure_geography(self.stdout)
        started = time.perf_counter()
        try:
            counts = services.police_events_import(
                actor=None, source=path, filename=path.name, organisation=owner
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        write_counts(self.stdout, counts)
        self.stdout.write(f"Tid: {time.perf_counter() - started:.1f} s")
