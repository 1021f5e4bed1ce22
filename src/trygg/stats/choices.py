"""Choices of the stats app: kinds of indicator series and their units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeriesKind(models.TextChoices):
    REPORTED_CRIME = "reported_crime", _("Reported crime")
    SURVEY = "survey", _("Survey")
    POPULATION = "population", _("Population")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    PER_100K = "per_100k", _("Per 100 000 inhabitants")
    PERSONS = "persons", _("Persons")


class ImportKind(models.TextChoices):
    """What kind of file an import batch read; stored in core.ImportBatch.kind."""

    BRA_MONTHLY = "stats.bra_monthly", _("Brå reported crime (monthly export)")
    BRA_YEARLY = "stats.bra_yearly", _("Brå reported crime per area and year")
    PX = "stats.px", _("PX file (PC-Axis)")
    SURVEY = "stats.survey", _("Survey indicators")
    POPULATION = "stats.population", _("Population")
