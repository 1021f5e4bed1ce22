from pathlib import Path

from trygg.core.commands import AuditedCommand
from trygg.core.reference import load_reference_geography


class Command(AuditedCommand):
    help = "Load the 21 counties and 290 municipalities with codes and boundaries (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, help="Folder with reference/ and geo/ (default: setting)"
        )

    def handle(self, *args, data=None, **options):
        counts = load_reference_geography(data)
        self.stdout.write(
            "Geografi: {created} nya, {updated} ändrade, {unchanged} oförändrade områden.".format(
                **counts
            )
        )
