"""python -m trygg import_incident_reports FILE --organisation NAME: incident reports from
another tool's CSV/XLSX export, all or nothing, any number of rows.

Likely personal data (names, home addresses, registration numbers) is printed as warnings by
row and column; --refuse-on-warnings imports nothing when there are any. A personnummer,
phone number or e-mail address always refuses the file."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from trygg.core.commands import organisation_option
from trygg.incidents import services
from trygg.incidents.import_pii import PersonalDataWarnings


class Command(BaseCommand):
    help = (
        "Import incident reports from a CSV or XLSX export (the columns of the import page). "
        "The whole file is imported or nothing is; reports whose extern_id is already there "
        "are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--organisation", required=True, help="Name, id or kommun code.")
        parser.add_argument(
            "--user", help="The user the import is made as (default: system work, no user)."
        )
        parser.add_argument(
            "--refuse-on-warnings",
            action="store_true",
            help="Import nothing when the file may hold names, home addresses or "
            "registration numbers (they are printed either way).",
        )

    def handle(
        self,
        *args,
        path: Path,
        organisation: str,
        user=None,
        refuse_on_warnings: bool = False,
        **options,
    ):
        if not path.exists():
            raise CommandError(f"Filen finns inte: {path}")
        owner = organisation_option(organisation)
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Okänd användare: {user}")
        started = time.perf_counter()
        shown = {"at": -10}

        def progress(percent: int) -> None:
            if percent >= shown["at"] + 10:
                shown["at"] = percent
                self.stderr.write(f"{percent} % …")

        def warn(warnings: list[str]) -> None:
            self.stderr.write(
                f"Varning: filen kan innehålla personuppgifter ({len(warnings)} st):"
                if not refuse_on_warnings
                else "Filen kan innehålla personuppgifter:"
            )
            for warning in warnings:
                self.stderr.write(f"  {warning}")

        try:
            counts = services.reports_import(
                actor=actor,
                organisation=owner,
                filename=path.name,
                path=path,
                max_rows=0,
                progress=progress,
                accept_warnings=not refuse_on_warnings,
                on_warnings=warn,
            )
        except PersonalDataWarnings as error:
            raise CommandError(
                "Filen importerades inte: den kan innehålla personuppgifter (se ovan). "
                "Kör utan --refuse-on-warnings för att importera ändå."
            ) from error
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("Filen importerades inte:\n" + "\n".join(messages)) from error
        seconds = time.perf_counter() - started
        rate = counts["rows"] / seconds if seconds else 0
        self.stdout.write(
            f"{counts['rows']} rader: {counts['created']} nya, {counts['unchanged']} fanns redan "
            f"({seconds:.1f} s, {rate:,.0f} rader/s)."
        )
