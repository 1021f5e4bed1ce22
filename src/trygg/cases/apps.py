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
        try:
            from trygg.core.twofactor import add_requirement
        except ImportError:
            return
        from trygg.cases.access import user_needs_two_factor

        add_requirement(user_needs_two_factor)
