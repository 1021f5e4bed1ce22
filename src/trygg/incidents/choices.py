"""Choices of the incidents app, with translatable labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryGroup(models.TextChoices):
    ORDNING = "ordning", _("Public order")
    MILJO = "miljo", _("Physical environment")
    PERSON = "person", _("Person")


class ReportStatus(models.TextChoices):
    NY = "ny", _("New")
    GRANSKAD = "granskad", _("Reviewed")
    AVSLUTAD = "avslutad", _("Closed")


class Assessment(models.IntegerChoices):
    LOW = 1, _("1 – minor")
    MEDIUM = 2, _("2 – serious")
    HIGH = 3, _("3 – very serious")


class Resolution(models.TextChoices):
    """How a police event was placed in a kommun (see feed.KommunResolver)."""

    LOCATION = "location", _("Municipality in the location")
    NAME = "name", _("Municipality from the heading")
    COUNTY = "county", _("County only")
    UNKNOWN = "unknown", _("Unknown")
