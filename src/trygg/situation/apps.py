from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "trygg.situation"
    label = "situation"
    verbose_name = _("Situation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from trygg.incidents.models import IncidentReport
        from trygg.situation import fragments, law, rollup
        from trygg.situation.selectors import problems

        # Keeps the pre-computed counts equal to the reports (see situation.rollup).
        pre_save.connect(
            rollup.report_before_save, sender=IncidentReport, dispatch_uid="situation_old"
        )
        post_save.connect(rollup.report_saved, sender=IncidentReport, dispatch_uid="situation_s")
        post_delete.connect(
            rollup.report_deleted, sender=IncidentReport, dispatch_uid="situation_d"
        )
        # The lägesbild's rendered fragments show names beside the counts (situation.fragments).
        fragments.connect()
        # The prioritised problems kept in the cache (situation.selectors.problems).
        problems.connect()
        # The law checklist kept in the cache (situation.law).
        law.connect()
