from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "trygg.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from trygg.budget import panels

        # The measure page's funding kept in the cache (budget.panels).
        panels.connect()
