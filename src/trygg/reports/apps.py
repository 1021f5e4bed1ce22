from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "trygg.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from trygg.core.retention import Rule, add_rule
        from trygg.reports import register_choices, register_rows

        register_choices.connect()
        register_rows.connect()

        def days() -> int:
            from django.conf import settings

            return int(settings.RETENTION_DAYS["export_files"])

        def past(cutoff):
            from trygg.reports.models import ReportJob

            return ReportJob.objects.filter(kind="export", created_at__lt=cutoff)

        # A large list export built in the background is downloadable for a few days only.
        add_rule(
            Rule(
                key="export_files",
                label=_("Exported files"),
                setting="TRYGG_RETENTION_EXPORT_FILES_DAYS",
                days=days,
                select=past,
                date_field="created_at",
                minimum_days=1,
            )
        )
