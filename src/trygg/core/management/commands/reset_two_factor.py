"""Reset a user's two-factor authentication: ``python -m trygg reset_two_factor USERNAME``."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from trygg.core.commands import AuditedCommand
from trygg.core.twofactor import two_factor_reset


class Command(AuditedCommand):
    help = (
        "Ta bort en användares tvåstegsverifiering (borttappad telefon och reservkoder); "
        "användaren aktiverar den igen vid nästa inloggning."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Användarnamnet.")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Ingen användare heter ”{username}”.")
        removed = two_factor_reset(actor=None, user=user)
        self.stdout.write(
            f"Tvåstegsverifieringen för {username} är återställd ({removed} enheter borttagna). "
            "Användaren aktiverar den igen vid nästa inloggning."
        )
