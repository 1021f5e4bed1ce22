"""Personal data in an imported file of incident reports ("personuppgifter i importfilen").

The same rules as the report form: a personnummer (in any spacing), samordningsnummer, phone
number or e-mail address refuses the file, with its row and column; likely names, street
addresses and registration numbers are warnings that the user sees before going on.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Refused personal data needs a digit or an "@" (personnummer, phone numbers, e-mail addresses).
_MAY_HOLD_PERSONAL_DATA = re.compile(r"[0-9@]")
WARNINGS_SHOWN = 1000  # rows with warnings listed; then how many more


class PersonalDataWarnings(ValidationError):
    """The file holds likely personal data (names, street addresses, registration numbers):
    not refused, but imported only when the user goes on. ``messages`` lists them by row
    and column."""


class PersonalDataFindings:
    """Personal data in the text cells of a file ("personuppgifter i importfilen"), checked
    with the report form's own functions, once per text cell.

    A personnummer, samordningsnummer, phone number or e-mail address is a problem of its
    row (the file is refused, as the form refuses the text). Likely names, street addresses
    and registration numbers are warnings, kept here by row and column.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.rows = 0  # rows with a warning
        self._last_row = 0

    def check(self, number: int, column: str, text: str, problems: list[str]) -> None:
        from trygg.incidents import pii
        from trygg.incidents.services import (
            _personal_data_messages,
            possible_personal_data_messages,
        )

        if _MAY_HOLD_PERSONAL_DATA.search(text):
            for message in _personal_data_messages(text):
                problems.append(
                    _("column “%(column)s”: %(message)s") % {"column": column, "message": message}
                )
        if not pii.find_possible_personal_data(text):
            return
        if number != self._last_row:
            self._last_row = number
            self.rows += 1
        if self.rows <= WARNINGS_SHOWN:
            for message in possible_personal_data_messages(text):
                self.messages.append(
                    _("Row %(row)s, column “%(column)s”: %(message)s")
                    % {"row": number, "column": column, "message": message}
                )

    def summary(self) -> list[str]:
        """The warnings to show: the first WARNINGS_SHOWN rows, then how many more."""
        more = self.rows - WARNINGS_SHOWN
        if more > 0:
            return [*self.messages, _("… and %(n)s more rows with warnings.") % {"n": more}]
        return list(self.messages)
