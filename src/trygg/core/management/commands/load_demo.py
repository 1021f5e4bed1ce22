"""Load the demo: Nacka from the seed documents, real police events and statistics."""

import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from trygg.core import personas
from trygg.core.commands import AuditedCommand
from trygg.core.models import Organisation
from trygg.core.reference import load_reference_geography
from trygg.core.twofactor import demo_devices_ensure

# Each app may have a demo module with load(world, stdout); they run in this order.
DEMO_APPS = ["plans", "forums", "budget", "stats", "incidents", "situation", "cases", "reports"]


class Command(AuditedCommand):
    help = "Load the demo data (Nacka kommun and partners). Refuses to run twice."

    def handle(self, *args, **options):
        if Organisation.objects.filter(name="Nacka kommun").exists():
            self.stdout.write("Demodata finns redan – inget laddades.")
            return
        counts = load_reference_geography()
        self.stdout.write(f"Geografi: {counts['created']} områden.")
        with transaction.atomic():
            world = personas.build()
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"trygg.{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"trygg.{app}.demo":
                        raise
                    continue
                module.load(world, self.stdout)
            # Roles given by the apps' demo loaders may require two-factor too.
            demo_devices_ensure(get_user_model().objects.filter(is_active=True))
        if not settings.REFERENCE_DATA_DIR.exists():
            raise CommandError(f"Reference data not found in {settings.REFERENCE_DATA_DIR}")
        self.stdout.write(self.style.SUCCESS("Demodata laddad."))
