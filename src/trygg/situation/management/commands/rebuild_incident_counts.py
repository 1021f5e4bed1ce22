"""Recount the pre-computed incident counts from the reports (after a raw SQL repair)."""

from django.core.management.base import BaseCommand

from trygg.core.commands import organisation_option
from trygg.core.models import Organisation
from trygg.incidents.models import IncidentReport
from trygg.situation import rollup


class Command(BaseCommand):
    help = "Recount the lägesbild's pre-computed incident counts for every organisation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", help="Only this organisation (name, id or kommun code)."
        )

    def handle(self, *args, **options):
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
