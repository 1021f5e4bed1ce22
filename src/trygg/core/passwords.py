"""Password rules beside Django's own: no repeated character run, not only digits."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RepeatedCharacterValidator:
    """Refuses a password with the same character ``max_repeat`` + 1 times in a row, or made
    of one character only ("aaaaaaaaaaaa")."""

    def __init__(self, max_repeat: int = 3) -> None:
        self.max_repeat = max_repeat
        self.pattern = re.compile(r"(.)\1{" + str(max_repeat) + ",}", re.DOTALL)

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password)) <= 1 or self.pattern.search(password):
            raise ValidationError(
                _("The password repeats one character more than %(max)d times in a row.")
                % {"max": self.max_repeat},
                code="password_repeated_character",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot repeat one character more than %(max)d times in a row.") % {
            "max": self.max_repeat
        }


def record_password_change(sender, instance, created: bool = False, **kwargs: Any) -> None:
    """Lösenordsbyte in the change log, whoever changes it: the person by the "Glömt lösenord"
    link, an operator with ``changepassword``, any later page.

    A password is set by Django's own forms and commands, which call no Trygg service, so the
    user model's ``post_save`` is the one place that sees every change (``set_password`` keeps
    the new password in ``_password`` until the save is done). The actor is the system actor
    of the command that set it, else the person themselves; a password given when the login is
    created is part of that creation's entry. Only the fact is recorded, never a hash.
    """
    if created or getattr(instance, "_password", None) is None:
        return
    from trygg.core.audit import current_system_actor, record_change
    from trygg.core.choices import AuditAction

    record_change(
        actor=None if current_system_actor() else instance,
        obj=instance,
        action=AuditAction.PASSWORD,
    )
