from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "trygg.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from trygg.core.middleware import remember_language_at_login

        user_logged_in.connect(remember_language_at_login, dispatch_uid="trygg.core.language")

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from trygg.core.passwords import record_password_change

        post_save.connect(
            record_password_change, sender=get_user_model(), dispatch_uid="trygg.core.password"
        )
