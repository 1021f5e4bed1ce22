"""API of the youth cases: the same selectors as the pages, so every case returned is logged
(purpose "api") and a case the caller is not in is a 404. The personnummer is never returned."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from trygg.cases import selectors
from trygg.cases.access import can_use_cases, two_factor_missing
from trygg.cases.choices import Programme
from trygg.core.choices import AccessPurpose

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    reference: str
    programme: str
    status: str
    youth_name: str
    birth_year: int
    gender: str
    school: str
    home_area: str | None
    start_date: dt.date
    closed_on: dt.date | None
    closure_reason: str
    coordinator: str
    is_demo: bool


def _case_data(case) -> dict:
    data = {name: getattr(case, name, None) for name in CaseOut.model_fields}
    data["id"] = case.pk
    data["home_area"] = case.home_area.name if case.home_area else None
    data["coordinator"] = case.coordinator.get_username()
    return data


class PlanEntryOut(Schema):
    id: int
    what_happened: str
    what_is_needed: str
    who_does_what: str
    due_date: dt.date
    status: str


class NoteOut(Schema):
    id: int
    kind: str
    held_on: dt.date
    text: str
    meeting_id: int | None


class ConsentOut(Schema):
    id: int
    given_by: str
    valid_from: dt.date
    valid_until: dt.date | None
    withdrawn: bool
    valid: bool


class CaseDetailOut(CaseOut):
    consents: list[ConsentOut]
    plan_entries: list[PlanEntryOut]
    notes: list[NoteOut]


class CaseListOut(Schema):
    count: int
    items: list[CaseOut]


class CaseFilterIn(Schema):
    programme: str | None = None
    status: str | None = None
    q: str | None = None
    sort: str | None = None
    limit: int = 50
    offset: int = 0


class StatisticsOut(Schema):
    organisation: str
    year: int
    programme: str
    open_at_start: int | str
    open_at_end: int | str
    new: int | str
    closed: int | str
    girls_at_end: int | str
    boys_at_end: int | str
    other_at_end: int | str
    youngest: int | None
    oldest: int | None
    satisfied_percent: int | None
    guardians_satisfied_percent: int | None
    youth_answers: int | str
    guardian_answers: int | str
    by_area: dict[str, int | str]
    suppressed: bool


def _guard(request) -> None:
    if two_factor_missing(request):
        raise PermissionDenied(_("Two-factor login is required for youth cases."))


@router.get("/", response=CaseListOut, summary="Cases the caller takes part in")
def list_cases(request, filters: Query[CaseFilterIn]):
    _guard(request)
    if not can_use_cases(request.user):
        raise Http404
    limit = max(1, min(filters.limit, 200))
    result = selectors.case_list(
        user=request.user,
        path=request.path,
        purpose=AccessPurpose.API,
        programme=filters.programme or "",
        status=filters.status or "",
        q=filters.q or "",
        sort=filters.sort or "",
        offset=max(filters.offset, 0),
        limit=limit,
    )
    return {"count": result.total, "items": [_case_data(c) for c in result.cases]}


class SearchIn(Schema):
    q: str
    programme: str | None = None
    status: str | None = None
    limit: int = 50
    offset: int = 0


@router.post("/search", response=CaseListOut, summary="Search, also by personnummer")
def search_cases(request, payload: SearchIn):
    """A search in the body, so that a personnummer never stands in an address (or a server
    log). A full personnummer is matched by its keyed hash."""
    _guard(request)
    if not can_use_cases(request.user):
        raise Http404
    result = selectors.case_list(
        user=request.user,
        path=request.path,
        purpose=AccessPurpose.API,
        programme=payload.programme or "",
        status=payload.status or "",
        q=payload.q,
        offset=max(payload.offset, 0),
        limit=max(1, min(payload.limit, 200)),
    )
    return {"count": result.total, "items": [_case_data(c) for c in result.cases]}


@router.get("/statistics", response=StatisticsOut, summary="Aggregates, suppressed")
def statistics(request, organisation: int, year: int, programme: Programme):
    _guard(request)
    from trygg.core.models import Organisation

    org = Organisation.objects.filter(pk=organisation).first()
    stats = (
        selectors.case_statistics(
            user=request.user, organisation=org, year=year, programme=programme
        )
        if org is not None
        else None
    )
    if stats is None:
        raise Http404
    return stats.as_dict()


@router.get("/{case_id}", response=CaseDetailOut, summary="One case")
def get_case(request, case_id: int):
    _guard(request)
    case = selectors.case_get(
        user=request.user, pk=case_id, path=request.path, purpose=AccessPurpose.API
    )
    consents = list(case.consents.all())
    data = _case_data(case)
    data["consents"] = [
        {
            "id": c.pk,
            "given_by": c.given_by,
            "valid_from": c.valid_from,
            "valid_until": c.valid_until,
            "withdrawn": c.withdrawn_at is not None,
            "valid": c.is_valid,
        }
        for c in consents
    ]
    data["plan_entries"] = list(case.plan_entries.all())
    data["notes"] = list(case.notes.all())
    return data
