from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "trygg.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Everyone who can read youth cases must log in with two factors. The requirement
        # registry belongs to core's two-factor module; until it exists, the case pages
        # enforce the requirement themselves once django-otp is installed.
        from trygg.cases.access import user_needs_two_factor

        try:
            from trygg.core.twofactor import add_requirement
        except ImportError:
            pass
        else:
            add_requirement(user_needs_two_factor)
        try:
            from trygg.core.retention import Rule, add_rule
        except ImportError:
            return
        from trygg.cases import services

        # Closed cases go after CASES_RETENTION_YEARS, each leaving a tombstone (CaseTombstone).
        add_rule(
            Rule(
                key="youth_cases",
                label=_("Closed youth cases"),
                setting="TRYGG_CASES_RETENTION_YEARS",
                days=services.retention_days,
                select=services.cases_past_retention,
                date_field="closed_moment",
                delete=lambda queryset: services.cases_retire(queryset),
            )
        )
