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
