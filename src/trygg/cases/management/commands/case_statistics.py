"""`python -m trygg case_statistics --organisation "Nacka kommun" --year 2023 --programme sspf`"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from trygg.cases.choices import Programme
from trygg.cases.selectors import case_statistics
from trygg.core.commands import AuditedCommand, organisation_option

KEYS = [
    "open_at_start",
    "open_at_end",
    "new",
    "closed",
    "girls_at_end",
    "youngest",
    "oldest",
    "satisfied_percent",
]


class Command(AuditedCommand):
    help = (
        "Print one programme's case statistics for a year as one JSON object. Run by an "
        "operator the counts are exact; with --as-user they are suppressed as that user sees them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="Name, id or kommun code.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--programme", required=True, choices=[p.value for p in Programme])
        parser.add_argument(
            "--as-user", default="", help="Show the figures as this user sees them."
        )
        parser.add_argument(
            "--all", action="store_true", help="Also by gender, area and guardians."
        )

    def handle(self, *args, **options):
        organisation = organisation_option(options["organisation"])
        user = None
        if options["as_user"]:
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"No user {options['as_user']!r}.")
        stats = case_statistics(
            user=user,
            organisation=organisation,
            year=options["year"],
            programme=options["programme"],
        )
        if stats is None:
            raise CommandError("The user may not see these statistics.")
        data = stats.as_dict()
        result = data if options["all"] else {key: data[key] for key in KEYS}
        self.stdout.write(json.dumps(result, ensure_ascii=False))
