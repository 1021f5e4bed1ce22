"""Choices of the plans app, with English labels translated to Swedish in the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    PLAN_FOR_SAMVERKAN = "plan_for_samverkan", _("Plan for cooperation")
    ATGARDSPLAN = "atgardsplan", _("Action plan (Act 2023:196)")
    SAMVERKANSOVERENSKOMMELSE = "samverkansoverenskommelse", _("Cooperation agreement")
    MEDBORGARLOFTE = "medborgarlofte", _("Citizen pledge")
    TRYGGHETSPROGRAM = "trygghetsprogram", _("Safety programme")
    INSATSREGISTER = "insatsregister", _("Register of measures")


class PlanState(models.TextChoices):
    UTKAST = "utkast", _("Draft")
    BESLUTAD = "beslutad", _("Decided")
    AVSLUTAD = "avslutad", _("Closed")


class StatusCategory(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PreventionType(models.TextChoices):
    SOCIAL = "social", _("Social")
    SITUATIONELL = "situationell", _("Situational")
    BADA = "bada", _("Both")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    EXACTLY = "exactly", _("exactly")


class TargetPeriod(models.TextChoices):
    YEAR = "year", _("per year")
    QUARTER = "quarter", _("per quarter")
    MONTH = "month", _("per month")


class Fulfilment(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NO_OUTCOME = "no_outcome", _("No outcome yet")


class TargetSource(models.TextChoices):
    """Where a target's outcome comes from: typed by a person, or computed by Trygg."""

    TYPED = "typed", _("Entered by hand")
    MEETINGS = "meetings", _("Held meetings of forums")
    INDICATOR = "indicator", _("An indicator series")
    REPORTS = "reports", _("Incident reports")
