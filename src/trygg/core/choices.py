"""Choices shared by every app: organisation kinds, area kinds and membership roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    KOMMUN = "kommun", _("Municipality")
    STADSDELSFORVALTNING = "stadsdelsforvaltning", _("District administration")
    NAMND = "namnd", _("Committee")
    BOLAG = "bolag", _("Municipal company")
    POLIS = "polis", _("Police (local police area)")
    BOSTADSBOLAG = "bostadsbolag", _("Housing company")
    FORENING = "forening", _("Association")
    FORETAG = "foretag", _("Company")
    REGION = "region", _("Region")
    OVRIG = "ovrig", _("Other")


class AreaKind(models.TextChoices):
    LAN = "lan", _("County")
    KOMMUN = "kommun", _("Municipality")
    KOMMUNDEL = "kommundel", _("Municipal district")
    STADSDELSOMRADE = "stadsdelsomrade", _("District area")
    STADSDEL = "stadsdel", _("District")
    OMRADE = "omrade", _("Other area")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SAMORDNARE = "samordnare", _("Coordinator")
    MEDLEM = "medlem", _("Member")
    RAPPORTOR = "rapportor", _("Reporter")
    LASARE = "lasare", _("Reader")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    STATUS = "status", _("Status changed")
    IMPORT = "import", _("Imported")
    PASSWORD = "password", _("Password changed")
    UNLOCK = "unlock", _("Unlocked after failed logins")


class AccessPurpose(models.TextChoices):
    LIST = "list", _("List")
    DETAIL = "detail", _("Detail")
    EXPORT = "export", _("Export")
    API = "api", _("API")
    SEARCH = "search", _("Search")
    EMERGENCY = "emergency", _("Emergency access")


# Organisations an administratör creates below their own (underorganisationer) and beside it
# (partners, registered and looked after by the kommun).
CHILD_KINDS = (
    OrganisationKind.STADSDELSFORVALTNING,
    OrganisationKind.NAMND,
    OrganisationKind.BOLAG,
)
PARTNER_KINDS = (
    OrganisationKind.POLIS,
    OrganisationKind.BOSTADSBOLAG,
    OrganisationKind.FORENING,
    OrganisationKind.FORETAG,
)
