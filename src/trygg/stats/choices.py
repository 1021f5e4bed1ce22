"""Choices of the stats app: kinds of indicator series, their units and measure types."""

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
    INDEX = "index", _("Index")
    OTHER = "other", _("Other unit")


class MeasureType(models.TextChoices):
    """Måttyp: what kind of figure a series holds, which decides how it may be compared.

    Only counts of events ("antal") get the Poisson trend verdict: a rate, a share, an index,
    a net figure ("flyttningsöverskott", which may be negative) or an amount (kronor) is not
    a Poisson count, so its change is shown without a verdict.
    """

    COUNT = "count", _("Count")
    RATE = "rate", _("Rate")
    SHARE = "share", _("Share")
    INDEX = "index", _("Index")
    NET = "net", _("Net figure")
    AMOUNT = "amount", _("Amount")


def measure_type_for_unit(unit: str) -> str:
    """The measure type a unit implies when nothing else is known (older series, forms)."""
    implied: dict[str, str] = {
        Unit.PERCENT: MeasureType.SHARE,
        Unit.PER_100K: MeasureType.RATE,
        Unit.INDEX: MeasureType.INDEX,
    }
    return implied.get(unit, MeasureType.COUNT)


class ImportKind(models.TextChoices):
    """What kind of file an import batch read; stored in core.ImportBatch.kind."""

    BRA_MONTHLY = "stats.bra_monthly", _("Brå reported crime (monthly export)")
    BRA_YEARLY = "stats.bra_yearly", _("Brå reported crime per area and year")
    PX = "stats.px", _("PX file (PC-Axis)")
    SURVEY = "stats.survey", _("Survey indicators")
    POPULATION = "stats.population", _("Population")
