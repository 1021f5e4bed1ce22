from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "trygg.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from trygg.core.defaults import register_organisation_defaults
        from trygg.plans import measure_page, reading
        from trygg.plans.services import statuses_ensure_defaults

        # Every new organisation starts with the four measure statuses.
        register_organisation_defaults(self.label, statuses_ensure_defaults)
        # The plan page's reading kept in the cache (plans.reading).
        reading.connect()
        # The measure page's reading of a measure's parties, places and timeline.
        measure_page.connect()
