"""Choices of the budget app, with English labels translated to Swedish in the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FundingSource(models.TextChoices):
    """Finansieringskälla: where the money for a measure comes from."""

    TRYGGHETSPAKET = "trygghetspaket", _("Safety package line")
    STATSBIDRAG = "statsbidrag", _("State grant (Act 2023:196)")
    PLATSSAMVERKAN = "platssamverkan", _("Place-based cooperation funds")
    BRA = "bra", _("Grant from Brå")
    RF_SISU = "rf_sisu", _("RF-SISU")
    BEFINTLIG_BUDGET = "befintlig_budget", _("Existing budget")
    OTHER = "other", pgettext_lazy("funding source", "Other")


class MeasureTagKind(models.TextChoices):
    """Kategori för en insats that the plan itself does not record."""

    STAFF_TRAINING = "staff_training", _("Staff training")


class Variance(models.TextChoices):
    """How an outcome compares with its budget."""

    UNDER = "under", _("Under budget")
    ON = "on", _("On budget")
    OVER = "over", _("Over budget")
    NONE = "none", _("No outcome yet")
