"""Gallring: delete what the retention rules say is past its time (core.retention)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from trygg.core.commands import AuditedCommand
from trygg.core.retention import apply_retention


class Command(AuditedCommand):
    help = "Delete information past its retention period; --dry-run only shows what would go."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be deleted, delete nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            outcomes = apply_retention(dry_run=dry_run)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "Gallring – provkörning, inget tas bort:" if dry_run else "Gallring genomförd:"
        )
        for outcome in outcomes:
            label = str(outcome.rule.label)
            if outcome.cutoff is None:
                self.stdout.write(f"  {label}: sparas ({outcome.rule_text})")
                continue
            verb = "skulle tas bort" if dry_run else "borttagna"
            line = f"  {label}: {outcome.count} {verb}, äldre än {outcome.cutoff.date()}"
            if outcome.count:
                line += f" (från {outcome.oldest} till {outcome.newest})"
            if outcome.kept_back:
                line += f"; {outcome.kept_back} kvar (används fortfarande)"
            self.stdout.write(f"{line}; regel: {outcome.rule_text}")
