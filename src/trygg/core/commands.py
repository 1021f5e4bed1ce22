"""What every management command shares: how ``--organisation`` is read."""

from __future__ import annotations

from django.core.management.base import CommandError

from trygg.core.models import Organisation
from trygg.core.selectors import organisation_from_reference


def organisation_option(value: str) -> Organisation:
    """The organisation named by a command's ``--organisation``: name, id or kommun code."""
    try:
        return organisation_from_reference(value)
    except LookupError as error:
        raise CommandError(str(error)) from error
