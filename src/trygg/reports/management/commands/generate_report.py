"""python -m trygg generate_report KIND --organisation ORG --year YEAR --format F --output FILE"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.http import Http404

from trygg.core.access import Scope
from trygg.core.commands import AuditedCommand, organisation_option
from trygg.reports import kinds, render
from trygg.reports.generation import default_year, generate, organisation_for
from trygg.reports.kinds.base import Params


def system_reader():
    """The command reads as the system, with full access (it runs on the server, by its
    operator); ``--user`` reads as a given user instead."""
    user = get_user_model()(username="trygg-system", is_active=True, is_superuser=True)
    user._trygg_scope = Scope(user_id=0, is_superuser=True)
    return user


class Command(AuditedCommand):
    help = "Generate a document (annual, situation, action_plan, budget, weekly, skrivelse, plan, law)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[k.name for k in kinds.all_kinds()])
        parser.add_argument("--organisation", required=True, help="Name, id or kommun code.")
        parser.add_argument("--year", type=int, help="Default: the last complete year.")
        parser.add_argument("--format", choices=render.FORMATS, default="pdf")
        parser.add_argument("--output", help="File to write; default: KIND-YEAR.FORMAT.")
        parser.add_argument("--forum", type=int, help="Forum id (annual: the committee).")
        parser.add_argument("--week", default="", help="ISO week for weekly, e.g. 2024-W14.")
        parser.add_argument("--plan", type=int, help="Plan id (plan, action_plan).")
        parser.add_argument("--user", help="Generate as this user sees the data.")
        parser.add_argument("--language", choices=["sv", "en"], default="sv")

    def handle(self, *args, **options):
        organisation = organisation_option(options["organisation"])
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Användaren finns inte: {options['user']}")
            try:
                organisation = organisation_for(user, organisation.pk)
            except Http404 as exc:
                raise CommandError("Användaren får inte se organisationens uppgifter.") from exc
        else:
            user = system_reader()
        year = options["year"] or default_year(options["kind"])
        params = Params(
            organisation=organisation,
            year=year,
            forum_id=options["forum"],
            week=options["week"],
            plan_id=options["plan"],
        )
        try:
            document = generate(user, options["kind"], params, language=options["language"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except Http404 as exc:
            raise CommandError(
                f"Det finns inget underlag för {options['kind']} {year} hos {organisation.name}."
            ) from exc
        content = render.render(document, options["format"])
        output = Path(options["output"] or f"{options['kind']}-{year}.{options['format']}")
        output.write_bytes(content)
        self.stdout.write(f"{document.title}: {output} ({len(content)} byte)")
