"""Reads of youth cases. ``case_list`` and ``case_get`` are the only way to read a case; every
page, search, export, API endpoint and document uses them, and each writes one access-log row
(core.AccessLogEntry) per case it returns, in the same request.

``path`` is the address of the request without its query string: a search for a personnummer
must not put the number in the access log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.cases import crypto
from trygg.cases.access import CHANGE, MANAGE, VIEW, case_q, role_organisation_ids
from trygg.cases.choices import SATISFIED, CaseRoleKind, Gender, Respondent
from trygg.cases.models import Case, CaseNote, CaseRole, EmergencyAccess, SatisfactionAnswer
from trygg.core.access import member_organisation_ids, scope_for
from trygg.core.actors import Viewer
from trygg.core.audit import record_read
from trygg.core.choices import AccessPurpose
from trygg.core.models import AccessLogEntry, Organisation

SORTS = {
    "reference": "reference",
    "name": "youth_name",
    "start": "start_date",
    "status": "status",
    "programme": "programme",
    "closed": "closed_on",
}


@dataclass
class CaseList:
    """One page of cases (or all of them for an export) and how many match in all."""

    cases: list[Case]
    total: int


def _clean_path(path: str) -> str:
    return (path or "").split("?", 1)[0]


def _log(user: Viewer, cases: list[Case], purpose: str, path: str) -> None:
    """One access-log row per case; reads that rest on an emergency access are logged as such."""
    if not cases:
        return
    ids = [c.pk for c in cases]
    ordinary = set(
        Case.objects.filter(case_q(user, CHANGE), pk__in=ids).values_list("pk", flat=True)
    )
    normal = [c for c in cases if c.pk in ordinary]
    emergency = [c for c in cases if c.pk not in ordinary]
    path = _clean_path(path)
    if normal:
        record_read(actor=user, model=Case, objects=normal, purpose=purpose, path=path)
    if emergency:
        record_read(
            actor=user, model=Case, objects=emergency, purpose=AccessPurpose.EMERGENCY, path=path
        )


def _queryset(user: Viewer, action: str) -> QuerySet[Case]:
    return Case.objects.filter(case_q(user, action)).select_related(
        "organisation", "home_area", "coordinator"
    )


def _search(queryset: QuerySet[Case], q: str) -> QuerySet[Case]:
    q = (q or "").strip()
    if not q:
        return queryset
    if crypto.looks_like_personnummer(q):
        try:
            number = crypto.normalise(q)
        except Exception:
            return queryset.none()
        return queryset.filter(personnummer_hash=crypto.lookup_hash(number))
    return queryset.filter(
        Q(youth_name__icontains=q) | Q(reference__icontains=q) | Q(school__icontains=q)
    )


def case_list(
    *,
    user: Viewer,
    path: str = "",
    purpose: str = AccessPurpose.LIST,
    action: str = VIEW,
    programme: str = "",
    status: str = "",
    q: str = "",
    sort: str = "",
    offset: int = 0,
    limit: int | None = None,
    ids: list[int] | None = None,
    personnummer_hash: str = "",
) -> CaseList:
    """The cases the user may see, filtered and sorted; logs every case it returns.

    A search (``q``: name, case number, school or a full personnummer, matched by its hash)
    is logged with the purpose "search" unless the caller says otherwise (export, API).
    """
    queryset = _queryset(user, action)
    if programme:
        queryset = queryset.filter(programme=programme)
    if status:
        queryset = queryset.filter(status=status)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    queryset = _search(queryset, q)
    if personnummer_hash:
        queryset = queryset.filter(personnummer_hash=personnummer_hash)
        q = q or "personnummer"
    key = (sort or "").lstrip("-")
    order = SORTS.get(key)
    if order:
        queryset = queryset.order_by(("-" if sort.startswith("-") else "") + order, "pk")
    total = queryset.count()
    window = queryset[offset : offset + limit] if limit is not None else queryset[offset:]
    cases = list(window)
    if q and purpose == AccessPurpose.LIST:
        purpose = AccessPurpose.SEARCH
    _log(user, cases, purpose, path)
    return CaseList(cases=cases, total=total)


def search_key(q: str) -> str | None:
    """The keyed hash to search by when ``q`` is a personnummer ("" if it is not a valid
    one), None when ``q`` is not a personnummer at all. Pages put the hash, never the number,
    into their addresses."""
    if not crypto.looks_like_personnummer(q):
        return None
    try:
        return crypto.lookup_hash(crypto.normalise(q))
    except Exception:
        return ""


def case_get(
    *,
    user: Viewer,
    pk: int,
    path: str = "",
    purpose: str = AccessPurpose.DETAIL,
    action: str = VIEW,
) -> Case:
    """One case if the user may ``action`` it, else 404 whether or not it exists; logged."""
    case = _queryset(user, action).filter(pk=pk).first()
    if case is None:
        raise Http404
    _log(user, [case], purpose, path)
    return case


def can(user: Viewer, case: Case, action: str) -> bool:
    """Whether the user may also ``action`` a case they have already read (buttons on a page)."""
    return Case.objects.filter(case_q(user, action), pk=case.pk).exists()


def case_emergency_accesses(*, user: Viewer, case: Case) -> list[EmergencyAccess]:
    """The emergency accesses to a case, shown to its coordinator (flagged)."""
    if not can(user, case, MANAGE):
        return []
    return list(case.emergency_accesses.select_related("user"))


def can_break_glass(user: Viewer) -> bool:
    return bool(role_organisation_ids(user, CaseRoleKind.EMERGENCY))


def can_create(user: Viewer) -> bool:
    return bool(role_organisation_ids(user, CaseRoleKind.COORDINATOR))


def coordinator_organisations(user: Viewer) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=role_organisation_ids(user, CaseRoleKind.COORDINATOR))


def emergency_find(*, user: Viewer, reference: str, personnummer: str) -> Case | None:
    """The case an emergency role asks for, by case number or personnummer, in an organisation
    where the user holds the role. Not a read: the case is shown only after the reason is given."""
    orgs = role_organisation_ids(user, CaseRoleKind.EMERGENCY)
    queryset = Case.objects.filter(organisation_id__in=orgs)
    if reference:
        return queryset.filter(reference__iexact=reference.strip()).first()
    try:
        number = crypto.normalise(personnummer)
    except Exception:
        return None
    return (
        queryset.filter(personnummer_hash=crypto.lookup_hash(number))
        .order_by("-start_date")
        .first()
    )


def notes_for_meeting(*, user: Viewer, meeting: Any, path: str = "") -> list[CaseNote]:
    """The individual notes of a forum meeting in the cases the user takes part in.

    Someone outside every such case gets an empty list and cannot tell whether notes exist.
    """
    case_ids = list(
        CaseNote.objects.filter(meeting=meeting).values_list("case_id", flat=True).distinct()
    )
    if not case_ids:
        return []
    visible = case_list(user=user, path=path, ids=case_ids).cases
    by_id = {c.pk: c for c in visible}
    notes = list(
        CaseNote.objects.filter(meeting=meeting, case_id__in=by_id).order_by("case_id", "pk")
    )
    for note in notes:
        note.case = by_id[note.case_id]
    return notes


def access_log_case_ids(user: Viewer) -> set[int]:
    """The cases whose access log the user may read: those they coordinate, and for a unit
    manager (enhetschef) those their staff take part in or coordinate."""
    from trygg.cases.models import CaseParticipant

    user_id = getattr(user, "pk", None)
    if user_id is None:
        return set()
    supervisor_orgs = role_organisation_ids(user, CaseRoleKind.SUPERVISOR)
    staff = CaseRole.objects.filter(
        user_id=user_id, role=CaseRoleKind.SUPERVISOR, organisation_id__in=supervisor_orgs
    ).values("staff")
    coordinated = Case.objects.filter(case_q(user, MANAGE)).values("pk")
    supervised = Case.objects.filter(
        Q(coordinator_id__in=staff)
        | Q(pk__in=CaseParticipant.objects.filter(user_id__in=staff).values("case_id"))
    ).values("pk")
    return set(coordinated.values_list("pk", flat=True)) | set(
        supervised.values_list("pk", flat=True)
    )


def case_access_log(*, user: Viewer, case_id: int | None = None) -> QuerySet[AccessLogEntry]:
    """The access log of the cases in ``access_log_case_ids`` (or of one of them)."""
    from django.contrib.contenttypes.models import ContentType

    case_ids = access_log_case_ids(user)
    if case_id is not None:
        case_ids &= {case_id}
    content_type = ContentType.objects.get_for_model(Case)
    return AccessLogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(i) for i in case_ids]
    ).select_related("actor")


def can_read_access_log(user: Viewer) -> bool:
    return bool(
        role_organisation_ids(user, CaseRoleKind.SUPERVISOR)
        or role_organisation_ids(user, CaseRoleKind.COORDINATOR)
    )


# Statistics ------------------------------------------------------------------------------


Count = int | str


@dataclass
class CaseStatistics:
    """Aggregates of one programme in one organisation and year (never one youth's data).

    For everyone but the coordinator, counts of 1 … threshold−1 are the string "<threshold",
    and ages and shares are left out when fewer than the threshold lie behind them.
    """

    organisation: str
    year: int
    programme: str
    open_at_start: Count
    open_at_end: Count
    new: Count
    closed: Count
    girls_at_end: Count
    boys_at_end: Count
    other_at_end: Count
    youngest: int | None
    oldest: int | None
    satisfied_percent: int | None
    guardians_satisfied_percent: int | None
    youth_answers: Count
    guardian_answers: Count
    by_area: dict[str, Count] = field(default_factory=dict)
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _percent(part: int, whole: int) -> int | None:
    if not whole:
        return None
    return int(part * 100 / whole + 0.5)


def _latest_answers(case_ids: list[int], respondent: str, year: int) -> list[int]:
    """Each case's latest answer of the year from the respondent."""
    latest: dict[int, int] = {}
    for case_id, answer in (
        SatisfactionAnswer.objects.filter(
            case_id__in=case_ids, respondent=respondent, answered_on__year=year
        )
        .order_by("answered_on", "pk")
        .values_list("case_id", "answer")
    ):
        latest[case_id] = answer
    return list(latest.values())


def statistics_access(user: Viewer, organisation: Organisation) -> str | None:
    """ "full" for the coordinator (and system work), "suppressed" for other members of the
    organisation, None for anyone else."""
    if user is None:
        return "full"
    if organisation.pk in role_organisation_ids(user, CaseRoleKind.COORDINATOR):
        return "full"
    scope = scope_for(user)
    if scope.user_id is not None and organisation.pk in member_organisation_ids(user, VIEW):
        return "suppressed"
    return None


def case_statistics(
    *, user: Viewer, organisation: Organisation, year: int, programme: str
) -> CaseStatistics | None:
    """Open at the start and end of the year, new, closed, by gender and area, the youngest and
    oldest age during the year and the share satisfied. None if the user may not see them."""
    access = statistics_access(user, organisation)
    if access is None:
        return None
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cases = list(
        Case.objects.filter(organisation=organisation, programme=programme, start_date__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("pk", "start_date", "closed_on", "gender", "birth_year", "home_area__name")
    )
    open_at_start = [c for c in cases if c["start_date"] < start]
    open_at_end = [c for c in cases if c["closed_on"] is None or c["closed_on"] > end]
    new = [c for c in cases if c["start_date"] >= start]
    closed = [c for c in cases if c["closed_on"] is not None and c["closed_on"] <= end]
    genders = Counter(c["gender"] for c in open_at_end)
    ages = [year - c["birth_year"] for c in cases]
    areas = Counter(c["home_area__name"] or "–" for c in cases)
    ids = [c["pk"] for c in cases]
    youth = _latest_answers(ids, Respondent.YOUTH, year)
    guardians = _latest_answers(ids, Respondent.GUARDIAN, year)
    threshold = settings.CASES_SMALL_COUNT_THRESHOLD
    suppress = access != "full"

    def count(n: int) -> Count:
        return f"<{threshold}" if suppress and 0 < n < threshold else n

    def enough(n: int) -> bool:
        return not suppress or n >= threshold

    return CaseStatistics(
        organisation=organisation.name,
        year=year,
        programme=programme,
        open_at_start=count(len(open_at_start)),
        open_at_end=count(len(open_at_end)),
        new=count(len(new)),
        closed=count(len(closed)),
        girls_at_end=count(genders[Gender.GIRL]),
        boys_at_end=count(genders[Gender.BOY]),
        other_at_end=count(genders[Gender.OTHER]),
        youngest=min(ages) if ages and enough(len(ages)) else None,
        oldest=max(ages) if ages and enough(len(ages)) else None,
        satisfied_percent=_percent(sum(a in SATISFIED for a in youth), len(youth))
        if enough(len(youth))
        else None,
        guardians_satisfied_percent=_percent(sum(a in SATISFIED for a in guardians), len(guardians))
        if enough(len(guardians))
        else None,
        youth_answers=count(len(youth)),
        guardian_answers=count(len(guardians)),
        by_area={name: count(n) for name, n in sorted(areas.items())},
        suppressed=suppress,
    )
