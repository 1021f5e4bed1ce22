"""Personal data in an imported file of incident reports ("personuppgifter i importfilen").

The same rules as the report form: a personnummer (in any spacing), samordningsnummer, phone
number or e-mail address refuses the file, with its row and column; likely names, street
addresses and registration numbers are warnings that the user sees before going on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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

    CACHED = 50_000  # distinct texts remembered (exports repeat their descriptions)

    def __init__(self) -> None:
        from trygg.incidents import pii, services

        self._refused = services._personal_data_messages
        self._certain = pii.find_personal_data
        self._possible = pii.find_possible_personal_data
        self._warned = services.possible_personal_data_messages
        self._seen: dict[str, tuple[list[str], list[str]]] = {}
        self.messages: list[str] = []
        self.rows = 0  # rows with a warning
        self._last_row = 0

    def _findings(self, text: str) -> tuple[list[str], list[str]]:
        """(refusals, warnings) for one text, each text checked once."""
        found = self._seen.get(text)
        if found is None:
            # The translated messages are made only for a text that holds something.
            refused = self._refused(text) if self._certain(text) else []
            warned = self._warned(text) if self._possible(text) else []
            if len(self._seen) >= self.CACHED:
                self._seen.clear()
            found = self._seen[text] = (refused, warned)
        return found

    def check(self, number: int, column: str, text: str, problems: list[str]) -> None:
        refused, warned = self._findings(text)
        for message in refused:
            problems.append(
                _("column “%(column)s”: %(message)s") % {"column": column, "message": message}
            )
        if not warned:
            return
        if number != self._last_row:
            self._last_row = number
            self.rows += 1
        if self.rows <= WARNINGS_SHOWN:
            for message in warned:
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
