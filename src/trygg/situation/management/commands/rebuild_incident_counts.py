"""Recount the pre-computed incident counts from the reports (after a raw SQL repair), or
only what changed behind the services' back (the periodic job)."""

from trygg.core.commands import AuditedCommand, organisation_option
from trygg.core.models import Organisation
from trygg.incidents.models import IncidentReport
from trygg.situation import rollup


class Command(AuditedCommand):
    help = "Recount the lägesbild's pre-computed incident counts for every organisation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", help="Only this organisation (name, id or kommun code)."
        )
        parser.add_argument(
            "--changed",
            action="store_true",
            help="Only the days that changed outside the incident services (periodic job).",
        )

    def handle(self, *args, **options):
        if options["changed"]:
            organisations = Organisation.objects.order_by("name")
            if options["organisation"]:
                organisations = organisations.filter(
                    pk=organisation_option(options["organisation"]).pk
                )
            for organisation in organisations:
                if rollup.catch_up(organisation.pk):
                    self.stdout.write(f"{organisation}: uppdaterad.")
            return
        ids = (
            [organisation_option(options["organisation"]).pk]
            if options["organisation"]
            else sorted(
                set(IncidentReport.objects.values_list("organisation_id", flat=True).distinct())
            )
        )
        for organisation in Organisation.objects.filter(pk__in=ids).order_by("name"):
            rows = rollup.rebuild(organisation.pk)
            self.stdout.write(f"{organisation}: {rows} förberäknade antal.")
