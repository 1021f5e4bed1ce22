"""The columns of a plan's activity tables (*tabellkolumner*): what a column can be, the names
plans give them, and how a header is compared. Pure Python, shared by the plan readers and
the importers."""

from __future__ import annotations

import re

#: What a column of an activity table can be (*kolumnens roll*). "note" keeps the cell with
#: the measure as a line "Header: text"; "ignore" leaves it out.
ROLES = ("challenge", "action", "responsibles", "status", "target_group", "outcome", "note")
ROLE_IGNORE = "ignore"
STANDARD_ROLES = ("challenge", "action", "responsibles", "status")

#: Header texts that name a role (*kända rubriker*), compared without case and punctuation.
COLUMN_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        ("utmaning", "utmaningar", "utmaningen", "problem", "problembild", "behov"), "challenge"
    ),
    **dict.fromkeys(
        ("åtgärd", "åtgärder", "åtgärden", "insats", "insatser", "åtgärd/insats"), "action"
    ),
    **dict.fromkeys(
        (
            "ansvarig",
            "ansvariga",
            "ansvar",
            "ansvarig part",
            "ansvariga parter",
            "ansvarig aktör",
            "ansvariga aktörer",
            "huvudansvarig",
            "vem",
        ),
        "responsibles",
    ),
    **dict.fromkeys(("status", "läge", "lägesrapport", "status/uppföljning"), "status"),
    **dict.fromkeys(("målgrupp", "målgrupper"), "target_group"),
    **dict.fromkeys(("resultat", "utfall", "effekt"), "outcome"),
    **dict.fromkeys(("kommentar", "kommentarer", "anteckning", "anteckningar", "övrigt"), "note"),
}


def column_key(text: str) -> str:
    """A header text as it is compared: without case, surrounding punctuation and extra space."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()
    return text.rstrip(".:;").strip().casefold().replace(" / ", "/")


def column_role(text: str, column_map: dict[str, str] | None = None) -> str:
    """The role of a column by its header: the user's mapping first, then the known names.
    "" when unknown."""
    key = column_key(text)
    if column_map and key in column_map:
        return column_map[key]
    return COLUMN_SYNONYMS.get(key, "")
