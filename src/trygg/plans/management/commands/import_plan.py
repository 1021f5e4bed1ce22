"""Import a plan (text, Word, CSV or XLSX) for an organisation, all or nothing.

    python -m trygg import_plan plan.txt --organisation "Nacka kommun" \
        --partner "Lokalpolisområde Nacka"

A text or Word file creates the plan, or updates the plan of the organisation with the same
title; a CSV/XLSX file updates the plan given with --plan. Running it again changes nothing.

    python -m trygg import_plan plan.docx --organisation "Nacka kommun" --dry-run \
        --column "Tidsplan=note"

--dry-run shows what would be created, changed and left alone, row by row, and writes
nothing. --column names a column the reader does not know (roles: challenge, action,
responsibles, status, target_group, outcome, note, ignore; for CSV/XLSX also the row
columns such as activity, focus_area, title).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.core.commands import organisation_option
from trygg.plans.choices import PlanKind
from trygg.plans.columns import ROLE_IGNORE, ROLES, column_key
from trygg.plans.importers import (
    ALL_EXTENSIONS,
    ROW_EXTENSIONS,
    ColumnsUnknown,
    ImportRejected,
    import_measure_rows,
    import_plan_document,
    preview,
    read_plan_document,
    read_rows,
    row_roles,
)
from trygg.plans.models import Plan


class Command(BaseCommand):
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
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the import would do, row by row; write nothing.",
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=ROLE",
            help="What a column with an unknown header is (e.g. Tidsplan=note).",
        )

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
        roles = {role for role, _label in row_roles()} | set(ROLES) | {ROLE_IGNORE}
        column_map = {}
        for given in options["column"]:
            header, _sep, role = given.rpartition("=")
            if not header.strip() or role.strip() not in roles:
                raise CommandError(
                    _("Write --column as HEADER=ROLE; roles: %(roles)s.")
                    % {"roles": ", ".join(sorted(roles))}
                )
            column_map[column_key(header)] = role.strip()
        try:
            if suffix in ROW_EXTENSIONS:
                plan = Plan.objects.filter(organisation=organisation, pk=options["plan"]).first()
                if plan is None:
                    raise CommandError(_("Give the plan to update with --plan."))
                call, kwargs = (
                    import_measure_rows,
                    {
                        "actor": None,
                        "plan": plan,
                        "rows": read_rows(path.name, content, column_map),
                        "source": path.name,
                    },
                )
            else:
                call, kwargs = (
                    import_plan_document,
                    {
                        "actor": None,
                        "organisation": organisation,
                        "document": read_plan_document(path.name, content, column_map),
                        "title": options["title"],
                        "kind": options["kind"],
                        "partners": partners,
                        "source": path.name,
                    },
                )
            report = preview(call, **kwargs) if options["dry_run"] else call(**kwargs)
        except ImportRejected as error:
            for message in error.messages:
                self.stderr.write(message)
            if isinstance(error, ColumnsUnknown):
                self.stderr.write(
                    _("Name them with --column HEADER=ROLE, e.g. --column “%(name)s=note”.")
                    % {"name": next(iter(error.columns))}
                )
            raise CommandError(_("The file was refused; nothing was imported.")) from error
        if options["dry_run"]:
            for row in report.rows:
                self.stdout.write(f"{row.where}: {row.label}: {row.text}")
            for line in report.lines(preview=True):
                self.stdout.write(line)
            self.stdout.write(_("Dry run: nothing was written."))
            return
        for line in report.lines():
            self.stdout.write(line)
