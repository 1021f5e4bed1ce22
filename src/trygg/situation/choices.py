"""Choices of the situation app, with English labels translated to Swedish in the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PictureState(models.TextChoices):
    UTKAST = "utkast", _("Draft")
    BESLUTAD = "beslutad", _("Decided")
    ARKIVERAD = "arkiverad", _("Archived")


class FishboneCategory(models.TextChoices):
    """The bones of the cause analysis (fiskbensdiagram), as used in Brå's method support."""

    INDIVIDUAL = "individual", _("Individual")
    FAMILY_PEERS = "family_peers", _("Family and peers")
    SCHOOL_LEISURE = "school_leisure", _("School and leisure")
    PLACE = "place", _("Place and physical environment")
    ORGANISATION = "organisation", _("Organisation and routines")
    SOCIETY = "society", _("Society and norms")


class ProblemStatus(models.TextChoices):
    """Where a prioritised problem stands: worked on, watched, or solved and off the list."""

    AKTIVT = "aktivt", _("Active")
    BEVAKAS = "bevakas", _("Monitored")
    LOST = "lost", _("Solved")


class SourceKind(models.TextChoices):
    """The kinds of source a lägesbild is built on (lag 2023:196 §4), quantitative and
    qualitative."""

    REPORTED_CRIME = "reported_crime", _("Reported crime")
    POLICE_EVENTS = "police_events", _("Police events")
    INCIDENT_REPORTS = "incident_reports", _("Incident reports")
    SURVEY = "survey", _("Survey")
    STAFF_DIALOGUE = "staff_dialogue", _("Staff dialogue")
    PARTNER_PICTURE = "partner_picture", _("A partner's situation picture")
    OTHER = "other", _("Other source")
