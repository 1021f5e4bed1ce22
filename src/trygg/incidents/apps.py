from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "trygg.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from trygg.core.defaults import register_organisation_defaults
        from trygg.incidents import filters
        from trygg.incidents.services import categories_create_defaults

        # Every new organisation starts with the default incident categories.
        register_organisation_defaults(self.label, categories_create_defaults)
        # The report list's filter options are kept in the cache under a version.
        filters.connect()
