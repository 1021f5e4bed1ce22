"""Generating a document: who may, from which parameters, and the drafts it carries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation

from trygg.core.actors import Viewer
from trygg.core.models import Organisation
from trygg.reports import kinds
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params
from trygg.reports.models import ReportDraft


def organisations_for(user: Viewer) -> QuerySet[Organisation]:
    """The organisations whose documents the user may generate: their own and their partners'
    (a partner's document holds only what is shared with them)."""
    from trygg.situation import selectors as situation_selectors

    return situation_selectors.organisations_for(user)


def organisation_for(user: Viewer, organisation_id: int) -> Organisation:
    organisation = organisations_for(user).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def draft_key(params: Params) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(params.as_dict().items()) if k != "organisation")


def drafts_for(params: Params, kind: str) -> dict[str, str]:
    return dict(
        ReportDraft.objects.filter(
            organisation=params.organisation, kind=kind, key=draft_key(params)
        ).values_list("section", "text")
    )


def default_year(kind: str) -> int:
    """The last complete year: a report on the current year would be all zeros."""
    return dt.date.today().year - 1


def generate(
    user,
    kind: str,
    params: Params,
    *,
    language: str = "sv",
    drafts: dict[str, str] | None = None,
) -> Document:
    """Build the document as ``user`` may see it, in ``language``."""
    spec = kinds.get(kind)
    with translation.override(language):
        return spec.build(user, params, drafts if drafts is not None else drafts_for(params, kind))


def params_from(data: dict[str, Any], organisation: Organisation) -> Params:
    return Params(
        organisation=organisation,
        year=int(data.get("year") or default_year("")),
        forum_id=int(data["forum"]) if data.get("forum") else None,
        week=str(data.get("week") or ""),
        plan_id=int(data["plan"]) if data.get("plan") else None,
    )
