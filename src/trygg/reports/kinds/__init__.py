"""The kinds of document Trygg generates, by name (as on the command line).

Each kind is a function ``build(user, params, drafts) -> Document`` over selector results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.reports.document import Document
from trygg.reports.kinds.base import Params


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    description: str | Promise
    build: Callable[..., Document]
    needs: tuple[str, ...] = ()  # extra parameters: "forum", "week", "plan"


def _kinds() -> dict[str, Kind]:
    from trygg.reports.kinds import annual

    kinds = [
        Kind(
            "annual",
            _("Annual report (verksamhetsberättelse)"),
            _(
                "The committee's year: meetings, measures by status, key figures of the "
                "situation picture and the use of the safety budget."
            ),
            annual.build,
            ("forum",),
        ),
    ]
    return {k.name: k for k in kinds}


KINDS: dict[str, Kind] = {}


def get(name: str) -> Kind:
    if not KINDS:
        KINDS.update(_kinds())
    return KINDS[name]


def all_kinds() -> list[Kind]:
    if not KINDS:
        KINDS.update(_kinds())
    return list(KINDS.values())


__all__ = ["KINDS", "Kind", "Params", "all_kinds", "get"]
