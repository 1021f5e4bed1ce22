"""What every management command shares: its system actor and how ``--organisation`` is read.

Every Trygg command subclasses :class:`AuditedCommand`: what it writes is recorded in the
change log as done by "system: <the command's name>" (core/audit.py, ADR 0018), not by nobody.
``python -m trygg`` sets the same system actor for Django's and the libraries' own commands
(``changepassword``, ``axes_reset_username`` …), which cannot subclass it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from trygg.core.models import Organisation
from trygg.core.selectors import organisation_from_reference
from trygg.core.system_actor import system_actor


def command_name(command: BaseCommand) -> str:
    """The name the command is run by: the last part of its module (``import_police_events``)."""
    return type(command).__module__.rsplit(".", 1)[-1]


class AuditedCommand(BaseCommand):
    """A management command whose writes are recorded as the system actor of its name."""

    def execute(self, *args, **options):
        with system_actor(command_name(self)):
            return super().execute(*args, **options)


def organisation_option(value: str) -> Organisation:
    """The organisation named by a command's ``--organisation``: name, id or kommun code."""
    try:
        return organisation_from_reference(value)
    except LookupError as error:
        raise CommandError(str(error)) from error
