"""python -m trygg create_kommun CODE --admin-email EMAIL [--name NAME]

Starts a kommun in Trygg from the reference list of 290 kommuner: its organisation (with the
kommun's area and boundary) and its first administratör. A person without a login gets a
one-time invitation link, printed here for the operator to hand over. Running it again changes
nothing and says so.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygg.core import services
from trygg.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Create a kommun's organisation and invite its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kommun code, e.g. 1480 (or the kommun's name).")
        parser.add_argument("--admin-email", required=True, help="The first administrator.")
        parser.add_argument("--name", help="Default: the official name, e.g. Göteborgs stad.")
        parser.add_argument(
            "--new-link",
            action="store_true",
            help="Issue a new link for an invitation that was not taken up (the old one stops).",
        )

    def handle(self, *args, code, admin_email, name=None, new_link=False, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            result = services.kommun_onboard(
                actor=None, code=code, admin_email=admin_email, name=name, new_link=new_link
            )
        except ValidationError as error:
            messages = (
                [m for ms in error.message_dict.values() for m in ms]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError(" ".join(messages)) from error
        organisation = result.organisation
        if result.created:
            self.stdout.write(
                _("Created %(name)s (kommun code %(code)s, organisation id %(id)s).")
                % {"name": organisation, "code": organisation.area.code, "id": organisation.pk}
            )
        else:
            self.stdout.write(
                _("%(name)s already exists (organisation id %(id)s).")
                % {"name": organisation, "id": organisation.pk}
            )
        if result.membership is not None:
            self.stdout.write(
                _("%(email)s is %(role)s in %(name)s and logs in as before.")
                % {
                    "email": admin_email,
                    "role": result.membership.get_role_display().lower(),
                    "name": organisation,
                }
            )
        elif result.link:
            self.stdout.write(
                _("Invitation for %(email)s, valid until %(until)s and usable once:")
                % {
                    "email": result.invitation.email,
                    "until": timezone.localtime(result.invitation.expires_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                }
            )
            self.stdout.write(result.link)
        elif result.invitation is not None:
            self.stdout.write(
                _(
                    "%(email)s was already invited (%(state)s); "
                    "run again with --new-link for a new link."
                )
                % {
                    "email": result.invitation.email,
                    "state": result.invitation.get_state_display().lower(),
                }
            )
        if not result.changed:
            self.stdout.write(_("Nothing was changed."))
