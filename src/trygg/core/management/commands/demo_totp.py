"""Print the demo's two-factor secret and the code it gives now, for the demo users who have it."""

from trygg.core.commands import AuditedCommand
from trygg.core.twofactor import DEMO_TOTP_SECRET, demo_device_users, totp_code


class Command(AuditedCommand):
    help = "Print the demo two-factor (TOTP) secret and its current code."

    def handle(self, *args, **options):
        users = demo_device_users()
        if not users:
            self.stdout.write("Ingen demoanvändare har tvåstegsverifiering.")
            return
        names = ", ".join(u.get_username() for u in users)
        self.stdout.write(f"Tvåstegsverifiering för {names}:")
        self.stdout.write(f"  demohemlighet (TOTP) {DEMO_TOTP_SECRET}")
        self.stdout.write(
            f"  kod just nu: {totp_code(DEMO_TOTP_SECRET)} "
            "(ny kod var 30:e sekund: `python -m trygg demo_totp`)"
        )
