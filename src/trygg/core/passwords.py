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
