from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "trygg.stats"
    label = "stats"
    verbose_name = _("Stats")

    def ready(self) -> None:
        from trygg.stats import versioning

        versioning.connect()
