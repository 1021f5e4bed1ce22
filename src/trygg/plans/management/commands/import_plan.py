"""Import a plan (text, Word, CSV or XLSX) for an organisation, all or nothing.

    python -m trygg import_plan plan.txt --organisation "Nacka kommun" \
        --partner "Lokalpolisområde Nacka"

A text or Word file creates the plan, or updates the plan of the organisation with the same
title; a CSV/XLSX file updates the plan given with --plan. Running it again changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.core.commands import AuditedCommand, organisation_option
from trygg.plans.choices import PlanKind
from trygg.plans.importers import (
    ALL_EXTENSIONS,
    ROW_EXTENSIONS,
    ImportRejected,
    import_measure_rows,
    import_plan_document,
    read_plan_document,
    read_rows,
)
from trygg.plans.models import Plan


class Command(AuditedCommand):
    help = "Import a plan from a .txt, .docx, .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="Name, id or kommun code.")
        parser.add_argument(
            "--partner", action="append", default=[], help="Name, id or kommun code."
        )
        parser.add_argument("--title")
        parser.add_argument("--kind", choices=PlanKind.values)
        parser.add_argument("--plan", type=int, help="Plan id (for CSV/XLSX).")

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": path})
        suffix = path.suffix.lower()
        if suffix not in ALL_EXTENSIONS:
            raise CommandError(
                _("The file type is not allowed. Allowed: %(types)s.")
                % {"types": ", ".join(sorted(ALL_EXTENSIONS))}
            )
        if path.stat().st_size > settings.MAX_UPLOAD_BYTES:
            raise CommandError(_("The file is too large."))
        organisation = organisation_option(options["organisation"])
        partners = [organisation_option(p) for p in options["partner"]] or None
        content = path.read_bytes()
        try:
            if suffix in ROW_EXTENSIONS:
                plan = Plan.objects.filter(organisation=organisation, pk=options["plan"]).first()
                if plan is None:
                    raise CommandError(_("Give the plan to update with --plan."))
                report = import_measure_rows(
                    actor=None, plan=plan, rows=read_rows(path.name, content), source=path.name
                )
            else:
                report = import_plan_document(
                    actor=None,
                    organisation=organisation,
                    document=read_plan_document(path.name, content),
                    title=options["title"],
                    kind=options["kind"],
                    partners=partners,
                    source=path.name,
                )
        except ImportRejected as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(_("The file was refused; nothing was imported.")) from error
        for line in report.lines():
            self.stdout.write(line)
