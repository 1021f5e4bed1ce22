"""Writes for incident categories, incident reports and police events.

Every function is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one transaction, validates with
``full_clean()`` and writes its audit entry in the same transaction. ``actor=None`` is system
work (demo loader, management commands, the periodic fetch).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import geo, imports
from trygg.core.access import ADD, CHANGE, REPORT, VIEW, may, require
from trygg.core.actors import Actor
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Area, ImportBatch, Organisation, Place
from trygg.core.services import save_validated
from trygg.incidents import pii
from trygg.incidents.choices import ReportStatus
from trygg.incidents.models import IncidentCategory, IncidentReport
from trygg.incidents.services.photos import (
    PHOTO_MAX_BYTES as PHOTO_MAX_BYTES,
)
from trygg.incidents.services.photos import _store_photo, photo_encode
from trygg.incidents.services.photos import (
    report_add_photo as report_add_photo,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from trygg.core.actors import User
    from trygg.forums.models import Decision
    from trygg.plans.models import Measure


class ReportCorrections(TypedDict, total=False):
    """The fields of a report that report_update may correct."""

    category: IncidentCategory
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    area: Area | None
    place: Place | None
    lat: float | None
    lon: float | None
    address: str
    assessment: int
    description: str


REPORT_FIELDS = [
    "category",
    "occurred_at",
    "occurred_until",
    "area",
    "place",
    "lat",
    "lon",
    "address",
    "assessment",
    "description",
    "status",
    "reporter",
    "measure",
    "decision",
    "external_ref",
]

DESCRIPTION_MAX = 2000


class _Reporter(Enum):
    ACTOR = "actor"


ACTOR = _Reporter.ACTOR  # report_create's default reporter: the actor

# Allowed review steps: forward through the workflow, and a closed report may be reopened.
REVIEW_STEPS: dict[str, set[str]] = {
    ReportStatus.NY: {ReportStatus.GRANSKAD, ReportStatus.AVSLUTAD},
    ReportStatus.GRANSKAD: {ReportStatus.AVSLUTAD, ReportStatus.NY},
    ReportStatus.AVSLUTAD: {ReportStatus.GRANSKAD},
}


def _personal_data_messages(text: str) -> list[str]:
    """Translated explanations for every piece of personal data found in ``text``."""
    messages = {
        pii.KIND_PERSONNUMMER: _(
            "The text seems to contain a personal identity number (%(masked)s). "
            "Do not write personal data in an incident report."
        ),
        pii.KIND_SAMORDNINGSNUMMER: _(
            "The text seems to contain a coordination number (%(masked)s). "
            "Do not write personal data in an incident report."
        ),
        pii.KIND_PHONE: _(
            "The text seems to contain a phone number (%(masked)s). "
            "Do not write personal data in an incident report."
        ),
        pii.KIND_EMAIL: _(
            "The text seems to contain an e-mail address (%(masked)s). "
            "Do not write personal data in an incident report."
        ),
    }
    return [
        messages.get(finding.kind, finding.message) % {"masked": finding.masked}
        for finding in pii.find_personal_data(text or "")
    ]


def possible_personal_data_messages(text: str) -> list[str]:
    """Translated warnings for what is likely personal data in ``text`` (names, addresses,
    registration numbers): the reporter is asked to look again, not refused."""
    messages = {
        pii.KIND_NAME: _(
            "The text may contain a name (%(masked)s). Check that no one can be identified."
        ),
        pii.KIND_ADDRESS: _(
            "The text may contain a home address (%(masked)s). Check that no one can be identified."
        ),
        pii.KIND_REGISTRATION: _(
            "The text may contain a registration number (%(masked)s). "
            "Check that no one can be identified."
        ),
    }
    return [
        messages[finding.kind] % {"masked": finding.masked}
        for finding in pii.find_possible_personal_data(text or "")
    ]


def check_no_personal_data(text: str, field: str = "description") -> None:
    """Refuse a text that holds a personnummer, phone number or e-mail address."""
    problems = _personal_data_messages(text)
    if problems:
        raise ValidationError({field: problems})


def _may_in_area(actor: Actor, action: str, organisation_id: int, area_id: int | None) -> bool:
    """Whether the actor may do ``action`` for the organisation where the report lies (a
    report in no area is the whole organisation's)."""
    if actor is None:
        return True
    return may(actor, action, organisation_id, areas=[area_id] if area_id else [])


# Reports


def organisation_areas(organisation: Organisation) -> list[Area]:
    """Areas a report of the organisation may lie in: its kommun and its own areas."""
    areas = list(Area.objects.filter(organisation=organisation))
    if organisation.area is not None:
        areas.append(organisation.area)
    return areas


def area_for_point(organisation: Organisation, lat: float, lon: float) -> Area | None:
    """The organisation's smallest area with a boundary that contains the point.

    Falls back to the organisation's kommun area. ``None`` when the kommun has a boundary
    and the point lies outside it.
    """
    candidates = [a for a in Area.objects.filter(organisation=organisation, geometry__isnull=False)]
    # Deeper areas first, so that a stadsdel wins over the stadsdelsområde around it.
    candidates.sort(key=lambda a: -len(a.ancestors()))
    for area in candidates:
        if geo.contains(area.geometry, lat, lon):
            return area
    kommun = organisation.area
    if kommun is None:
        return None
    if kommun.geometry and not geo.contains(kommun.geometry, lat, lon):
        return None
    return kommun


def _derive_area(report: IncidentReport, chosen: Area | None) -> Area | None:
    """Place → its area; chosen area; clicked point → point-in-polygon; else the kommun."""
    organisation = report.organisation
    if report.place is not None:
        return report.place.area
    if chosen is not None:
        return chosen
    if report.lat is not None and report.lon is not None:
        area = area_for_point(organisation, report.lat, report.lon)
        if area is None:
            raise ValidationError(
                {"lat": _("The position is outside the organisation's municipality.")}
            )
        return area
    return organisation.area


def _check_report(report: IncidentReport, *, new_category: bool) -> None:
    errors: dict[str, list[str]] = {}
    organisation_id = report.organisation_id
    if report.category_id and report.category.organisation_id != organisation_id:
        errors.setdefault("category", []).append(_("The category belongs to another organisation."))
    elif new_category and report.category_id and not report.category.is_active:
        errors.setdefault("category", []).append(_("The category is no longer in use."))
    if report.place is not None and report.place.organisation_id != organisation_id:
        errors.setdefault("place", []).append(_("The place belongs to another organisation."))
    if report.area_id:
        allowed = {a.pk for a in organisation_areas(report.organisation)}
        if report.area_id not in allowed:
            errors.setdefault("area", []).append(_("The area does not belong to the organisation."))
    if (report.lat is None) != (report.lon is None):
        errors.setdefault("lat", []).append(_("Give both latitude and longitude, or neither."))
    if report.occurred_at and report.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors.setdefault("occurred_at", []).append(_("The time cannot be in the future."))
    if report.measure is not None and report.measure.organisation_id != organisation_id:
        errors.setdefault("measure", []).append(_("The measure belongs to another organisation."))
    if len(report.description or "") > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(
            _("The description may be at most %(max)s characters.") % {"max": DESCRIPTION_MAX}
        )
    for message in _personal_data_messages(report.description):
        errors.setdefault("description", []).append(message)
    for message in _personal_data_messages(report.address):
        errors.setdefault("address", []).append(message)
    if errors:
        raise ValidationError(errors)


def _recount(organisation_id: int, *moments: dt.datetime | None) -> None:
    """Bring the lägesbild's pre-computed counts of the reports' local days up to date, in
    the transaction of the change (situation.rollup), so that no page has to."""
    from trygg.situation import rollup

    rollup.refresh_days(organisation_id, {rollup.local_day(m) for m in moments if m})


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    organisation: Organisation,
    category: IncidentCategory,
    occurred_at: dt.datetime,
    assessment: int,
    description: str = "",
    occurred_until: dt.datetime | None = None,
    area: Area | None = None,
    place: Place | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    external_ref: str = "",
    import_batch: ImportBatch | None = None,
    is_generated: bool = False,
    reporter: User | None | Literal[_Reporter.ACTOR] = ACTOR,
    client_key: str = "",
    photo: UploadedFile | None = None,
) -> IncidentReport:
    """File a händelserapport. The reporter is the actor unless given (imports: None).

    ``client_key`` is the device's key for a report written offline: sending the same report
    again returns the report already filed instead of a second one. ``photo`` is an uploaded
    photo, stored re-encoded without EXIF (see :func:`photo_encode`).
    """
    require(actor, REPORT, organisation.pk)
    client_key = (client_key or "").strip()[:64]
    if client_key and getattr(actor, "pk", None):
        sent = IncidentReport.objects.filter(reporter=actor, client_key=client_key).first()
        if sent is not None:
            return sent
    report = IncidentReport(
        organisation=organisation,
        category=category,
        occurred_at=occurred_at,
        occurred_until=occurred_until,
        place=place,
        lat=lat,
        lon=lon,
        address=(address or "").strip(),
        assessment=assessment,
        description=(description or "").strip(),
        external_ref=(external_ref or "").strip(),
        import_batch=import_batch,
        is_generated=is_generated,
        reporter=(actor if getattr(actor, "pk", None) else None) if reporter is ACTOR else reporter,
        client_key=client_key if getattr(actor, "pk", None) else "",
    )
    _check_report(report, new_category=True)
    report.area = _derive_area(report, area)
    _check_report(report, new_category=True)
    if not _may_in_area(actor, REPORT, organisation.pk, report.area_id):
        raise PermissionDenied(_("You may only report incidents in your own areas."))
    try:
        encoded = photo_encode(photo) if photo else None
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    save_validated(report)
    if encoded is not None:
        _store_photo(report, encoded)
    _recount(report.organisation_id, report.occurred_at)
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.CREATE,
        after=snapshot(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def report_update(
    *, actor: Actor, report: IncidentReport, **fields: Unpack[ReportCorrections]
) -> IncidentReport:
    """Correct a report (a reviewer's job). The area is derived again from what changed."""
    require(actor, CHANGE, report.organisation_id)
    if not _may_in_area(actor, CHANGE, report.organisation_id, report.area_id):
        raise PermissionDenied(_("You do not have permission to do this."))
    before = snapshot(report, REPORT_FIELDS)
    was_at = report.occurred_at
    editable = [
        "category",
        "occurred_at",
        "occurred_until",
        "area",
        "place",
        "lat",
        "lon",
        "address",
        "assessment",
        "description",
    ]
    chosen = fields.pop("area", report.area)
    for key, value in fields.items():
        if key not in editable:
            raise ValueError(key)
        setattr(report, key, value)
    new_category = "category" in fields and fields["category"].pk != before["category"]
    _check_report(report, new_category=new_category)
    report.area = _derive_area(report, chosen)
    _check_report(report, new_category=new_category)
    if not _may_in_area(actor, CHANGE, report.organisation_id, report.area_id):
        raise PermissionDenied(_("You do not have permission to do this."))
    save_validated(report)
    _recount(report.organisation_id, was_at, report.occurred_at)
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def report_review(
    *,
    actor: Actor,
    report: IncidentReport,
    status: str,
    note: str = "",
    measure: Measure | None = None,
    set_measure: bool = False,
    decision: Decision | None = None,
    set_decision: bool = False,
) -> IncidentReport:
    """Move a report through ny → granskad → avslutad, optionally linking it to a measure
    (plans.Measure) or a decision (forums.Decision) that addresses it."""
    require(actor, CHANGE, report.organisation_id)
    if not _may_in_area(actor, CHANGE, report.organisation_id, report.area_id):
        raise PermissionDenied(_("You do not have permission to do this."))
    if status not in ReportStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    tracked = ["status", "review_note", "measure", "decision", "reviewed_by", "reviewed_at"]
    before = snapshot(report, tracked)
    if status != report.status and status not in REVIEW_STEPS[report.status]:
        raise ValidationError(
            {
                "status": _("A report cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": ReportStatus(report.status).label,
                    "new": ReportStatus(status).label,
                }
            }
        )
    check_no_personal_data(note, "note")
    if set_measure:
        if measure is not None and actor is not None:
            from trygg.plans.models import Measure

            if not Measure.objects.restrict(actor, VIEW).filter(pk=measure.pk).exists():
                raise ValidationError({"measure": _("Choose a measure you can see.")})
        report.measure = measure
    if set_decision:
        if decision is not None and actor is not None:
            from trygg.forums.models import Decision

            if not Decision.objects.restrict(actor, VIEW).filter(pk=decision.pk).exists():
                raise ValidationError({"decision": _("Choose a decision you can see.")})
        report.decision = decision
    report.status = status
    if note:
        report.review_note = note.strip()
    if status != ReportStatus.NY:
        report.reviewed_by = actor if getattr(actor, "pk", None) else None
        report.reviewed_at = timezone.now()
    _check_report(report, new_category=False)
    save_validated(report)
    after = snapshot(report, tracked)
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.STATUS if before["status"] != status else AuditAction.UPDATE,
        before=before,
        after=after,
        note=note,
    )
    return report


@transaction.atomic
def report_delete(*, actor: Actor, report: IncidentReport) -> None:
    require(actor, "delete", report.organisation_id)
    if not _may_in_area(actor, "delete", report.organisation_id, report.area_id):
        raise PermissionDenied(_("You do not have permission to do this."))
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.DELETE,
        before=snapshot(report, REPORT_FIELDS),
    )
    organisation_id, at = report.organisation_id, report.occurred_at
    report.delete()
    _recount(organisation_id, at)


# Bulk import of reports

IMPORT_CHUNK = 5000  # rows checked and written together: a constant number of queries each
IMPORT_COUNT_CELLS = 200_000  # the lägesbild's counts are written when this many are held
IMPORT_PROBLEMS_SHOWN = 1000  # a refused file lists this many rows, then how many more
IMPORT_COLUMNS = (
    "organisation_id",
    "category_id",
    "occurred_at",
    "occurred_until",
    "area_id",
    "place_id",
    "address",
    "assessment",
    "description",
    "status",
    "review_note",
    "is_generated",
    "external_ref",
    "import_batch_id",
    "created_at",
    "client_key",
)


def _open_source(data: bytes | None, path: str | Path | None) -> tuple[IO[bytes], int]:
    if path is not None:
        file = open(path, "rb")  # noqa: SIM115 - closed by the caller
        return file, Path(path).stat().st_size
    assert data is not None
    return io.BytesIO(data), len(data)


class _RepeatedRefs(Exception):
    """Rolls back the writing step: an extern_id occurs in two chunks of the file."""

    def __init__(self, repeated: dict[str, list[int]]) -> None:
        super().__init__()
        self.repeated = repeated


def _spool(spool: IO[bytes], chunk: list[Any], store: Callable[[Any], Any]) -> None:
    """A chunk of checked rows (importing.ReportRow) as plain tuples, quick to read back:
    row number, extern_id, the lägesbild's count cell and the columns of the insert from
    category_id to description (IMPORT_COLUMNS), with the times as the database stores
    them (``store``: situation.bulk.datetime_storer)."""
    plain = [
        (
            row.number,
            row.external_ref,
            (*row.local, row.category_id, row.area_id, row.place_id),
            (
                row.category_id,
                row.stored_at,
                None if row.occurred_until is None else store(row.occurred_until),
                row.area_id,
                row.place_id,
                row.address,
                row.assessment,
                row.description,
            ),
        )
        for row in chunk
    ]
    pickle.dump(plain, spool, protocol=pickle.HIGHEST_PROTOCOL)


def _unspool(spool: IO[bytes]) -> Iterator[list[Any]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 - our own temporary file
        except EOFError:
            return


def reports_import(
    *,
    actor: Actor,
    organisation: Organisation,
    filename: str,
    data: bytes | None = None,
    path: str | Path | None = None,
    batch: ImportBatch | None = None,
    max_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
    accept_warnings: bool = True,
    on_warnings: Callable[[list[str]], None] | None = None,
) -> dict[str, int]:
    """Import reports from another tool's CSV/XLSX export (``data``, or the file at
    ``path``), all or nothing.

    Every row is checked; any bad row refuses the whole file, each problem with its row
    number. Rows whose extern_id the organisation already has are left as they are, so
    importing the same file twice changes nothing. ``max_rows`` (default: the page's limit,
    ``importing.MAX_ROWS``; 0 for none) bounds the rows of one file.

    Two steps, so that other users can work (log in, file reports) while a large file is
    imported, also on SQLite with its one writer at a time:

    1. Checking, outside any transaction: the file is read as a stream, every row checked
       (parsing, personal data, areas, permissions) and the checked rows spooled in chunks
       of IMPORT_CHUNK to a temporary file, so that memory stays flat. Nothing is written
       to the database; a refusal or a crash here leaves nothing behind.
    2. Writing, in one short transaction: the spooled chunks are inserted (SQLite: each
       with a constant number of queries, the extern_ids already there and one insert;
       PostgreSQL: set-based through a temporary table, services.staged), the
       lägesbild's counts are brought up to date, and the import is recorded as one
       ImportBatch with one audit entry (every report points at its batch). The write
       lock is held only for this step (about a second for 20 000 rows).

    ``progress`` is called with 0–99 as the rows are checked.

    Personal data is checked in every text cell with the report form's functions: a
    personnummer (or phone number, e-mail address) refuses the file with its row and column;
    likely names, street addresses and registration numbers are warnings, passed to
    ``on_warnings``. With ``accept_warnings=False`` a file with warnings raises
    :class:`~trygg.incidents.import_pii.PersonalDataWarnings` (nothing written) so that the
    user can look at them and go on or cancel.
    """
    from trygg.incidents import importing

    require(actor, ADD, organisation.pk)
    require(actor, REPORT, organisation.pk)
    limit = importing.MAX_ROWS if max_rows is None else max_rows
    with tempfile.TemporaryFile(prefix="trygg-import-") as spool:
        counts, checker = _reports_check(
            actor=actor,
            organisation=organisation,
            filename=filename,
            data=data,
            path=path,
            limit=limit,
            progress=progress,
            spool=spool,
        )
        warnings = checker.warnings.summary()
        if warnings and on_warnings is not None:
            on_warnings(warnings)
        if warnings and not accept_warnings:
            from trygg.incidents.import_pii import PersonalDataWarnings

            raise PersonalDataWarnings(warnings)
        try:
            return _reports_write(
                actor=actor,
                organisation=organisation,
                filename=filename,
                sha256=_sha256(path if path is not None else data or b""),
                batch=batch,
                counts=counts,
                spool=spool,
                warning_rows=checker.warnings.rows if warnings else None,
            )
        except _RepeatedRefs as found:
            firsts = _first_rows(data, path, filename, set(found.repeated))
            messages = [
                importing.row_problem(
                    later,
                    [
                        _("extern_id “%(id)s” also occurs on row %(other)s")
                        % {"id": ref, "other": firsts.get(ref, "?")}
                    ],
                )
                for later, ref in sorted(
                    (later, ref) for ref, numbers in found.repeated.items() for later in numbers
                )
            ]
            if len(messages) > IMPORT_PROBLEMS_SHOWN:
                rest = len(messages) - IMPORT_PROBLEMS_SHOWN
                messages = messages[:IMPORT_PROBLEMS_SHOWN]
                messages.append(_("… and %(n)s more rows with problems.") % {"n": rest})
            raise ValidationError(messages) from None


def _reports_check(
    *,
    actor: Actor,
    organisation: Organisation,
    filename: str,
    data: bytes | None,
    path: str | Path | None,
    limit: int,
    progress: Callable[[int], None] | None,
    spool: IO[bytes],
) -> tuple[dict[str, int], Any]:
    """The checking step of :func:`reports_import`: reads and checks every row, spools the
    checked rows in chunks; writes nothing to the database. Raises ValidationError with
    every problem found."""
    from trygg.incidents import importing
    from trygg.situation import bulk

    file, size = _open_source(data, path)
    try:
        table = imports.open_table(file, filename, size=size)
        rows = (raw for raw in table.rows)
        header: list[Any] | None = None
        for raw in rows:
            if not importing.RowChecker.blank(raw):
                header = raw
                break
        if header is None:
            raise ValidationError(_("The file is empty."))
        checker = importing.RowChecker(organisation, header)
        allowed: dict[int | None, bool] = {}
        default_area = organisation.area_id
        counts = {"rows": 0, "created": 0, "unchanged": 0}
        problems: dict[int, list[str]] = {}
        problem_rows = 0
        denied = _("You may only report incidents in your own areas.")

        def note(number: int, messages: list[str]) -> None:
            nonlocal problem_rows
            problem_rows += 1
            if len(problems) < IMPORT_PROBLEMS_SHOWN:
                problems.setdefault(number, []).extend(messages)

        chunk: list[importing.ReportRow] = []
        in_chunk: dict[str, int] = {}
        store = bulk.datetime_storer()
        for number, raw in enumerate(rows, start=2):
            if importing.RowChecker.blank(raw):
                continue
            counts["rows"] += 1
            if limit and counts["rows"] > limit:
                raise ValidationError(
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": limit}
                )
            row, row_problems, ref = checker.check(number, raw)
            if ref:
                if ref in in_chunk:
                    row_problems.append(
                        _("extern_id “%(id)s” also occurs on row %(other)s")
                        % {"id": ref, "other": in_chunk[ref]}
                    )
                    row = None
                else:
                    in_chunk[ref] = number
            if row is not None:
                if row.area_id is None:
                    row.area_id = default_area
                if row.area_id not in allowed:
                    allowed[row.area_id] = _may_in_area(actor, REPORT, organisation.pk, row.area_id)
                if not allowed[row.area_id]:
                    row_problems.append(str(denied))
                    row = None
            if row is None:
                note(number, row_problems)
                continue
            chunk.append(row)
            if len(chunk) >= IMPORT_CHUNK:
                if not problem_rows:  # refused anyway: check the rest, keep nothing
                    _spool(spool, chunk, store)
                chunk, in_chunk = [], {}
                if progress is not None:
                    progress(int(99 * table.done()))
        if chunk and not problem_rows:
            _spool(spool, chunk, store)
    finally:
        file.close()
    if problem_rows:
        messages = [importing.row_problem(row, found) for row, found in sorted(problems.items())]
        if problem_rows > len(problems):
            messages.append(
                _("… and %(n)s more rows with problems.") % {"n": problem_rows - len(problems)}
            )
        raise ValidationError(messages)
    if not counts["rows"]:
        raise ValidationError(_("The file holds no reports."))
    return counts, checker


def _refs_there(organisation_id: int, refs: list[str]) -> dict[str, int | None]:
    """The extern_ids among ``refs`` that the organisation already has, with their import
    batch: one query (a chunk holds IMPORT_CHUNK of them, well within both databases'
    limits on bound values). Plain SQL: the ORM's ``__in`` prepares each of thousands of
    values one by one, which cost more than the query itself.

    The condition ``NOT (external_ref = '')`` is the unique index's own (the index holds
    only rows with an extern_id): without it in the query the database cannot use that
    index and reads every report of the organisation for every chunk, so that a file of
    a million rows took time growing with the square of its rows."""
    from django.db import connection

    if not refs:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_refs_there_sql(len(refs)), [organisation_id, *refs])
        return dict(cursor.fetchall())


def _refs_there_sql(count: int) -> str:
    from django.db import connection

    table = connection.ops.quote_name(IncidentReport._meta.db_table)
    placeholders = ", ".join(["%s"] * count)
    # The table name is the model's own, quoted; the values are bound.
    return (
        f"SELECT external_ref, import_batch_id FROM {table} "  # noqa: S608
        f"WHERE organisation_id = %s AND NOT (external_ref = '') "
        f"AND external_ref IN ({placeholders})"
    )


@transaction.atomic
def _reports_write(
    *,
    actor: Actor,
    organisation: Organisation,
    filename: str,
    sha256: str,
    batch: ImportBatch | None,
    counts: dict[str, int],
    spool: IO[bytes],
    warning_rows: Any,
) -> dict[str, int]:
    """The writing step of :func:`reports_import`: the spooled, checked rows in one short
    transaction (all or nothing), with the batch, its audit entry and the lägesbild's
    counts. Raises _RepeatedRefs (nothing written) for an extern_id met in two chunks."""
    from trygg.incidents import filters as report_filters
    from trygg.situation import bulk, rollup

    rollup.catch_up(organisation.pk)  # the counts are current before the new rows are added
    own_batch = batch is None
    if batch is None:
        batch = ImportBatch(
            organisation=organisation,
            kind="incident_reports",
            filename=filename[:300],
            sha256=sha256,
            created_by=actor if getattr(actor, "pk", None) else None,
            status=ImportBatch.Status.RUNNING,
        )
        save_validated(batch)
    status = ReportStatus.NY.value
    created_at = bulk.datetime_storer()(timezone.now())
    if connection.vendor == "postgresql":
        # Set-based, through a temporary table, and counted there (services.staged).
        from trygg.incidents.services import staged

        created, unchanged, repeated = staged.write(
            organisation_id=organisation.pk,
            batch_id=batch.pk,
            chunks=_unspool(spool),
            status=status,
            created_at=created_at,
        )
        counts["created"] += created
        counts["unchanged"] += unchanged
    else:
        # Chunk by chunk, counted in Python (services.chunked).
        from trygg.incidents.services import chunked

        repeated = chunked.write(organisation.pk, batch.pk, spool, counts, status, created_at)
    if repeated:
        raise _RepeatedRefs(repeated)  # rolls back this transaction
    if not counts["created"] and own_batch:
        batch.delete()  # nothing new: no trace of an import that changed nothing
        return counts
    if counts["created"]:
        report_filters.changed()  # no signal for these rows: the kept options and counts
    batch.status = ImportBatch.Status.DONE
    batch.progress = 100
    batch.counts = counts
    batch.problems = []
    save_validated(batch)
    record_change(
        actor=actor,
        obj=batch,
        action=AuditAction.IMPORT,
        after={"counts": counts, "kind": batch.kind}
        | ({"personal_data_warnings": warning_rows} if warning_rows is not None else {}),
    )
    return counts


def report_import_queue(
    *, actor: Actor, organisation: Organisation, filename: str, content: bytes
) -> ImportBatch:
    """A queued batch for an uploaded file of incident reports (imported by the worker,
    incidents.tasks.import_reports)."""
    import hashlib

    require(actor, ADD, organisation.pk)
    require(actor, REPORT, organisation.pk)
    batch = ImportBatch(
        organisation=organisation,
        kind="incident_reports",
        filename=filename[:300],
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None,
        status=ImportBatch.Status.QUEUED,
        counts={"bytes": len(content)},
    )
    save_validated(batch)
    return batch


def report_import_start(*, batch: ImportBatch) -> None:
    """Bookkeeping, not a change of data: the batch is running."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, progress=1)


@transaction.atomic
def report_import_reject(
    *, actor: Actor, batch: ImportBatch, problems: list[str], warnings: bool = False
) -> ImportBatch:
    """The file was refused: keep every problem on the batch (its rows were rolled back).

    ``warnings``: the problems are warnings about likely personal data; the user may still
    go on with the file from the batch's page (a new batch), or cancel."""
    batch.refresh_from_db()
    batch.status = ImportBatch.Status.REJECTED
    batch.progress = 100
    batch.problems = imports.stored_problems((None, message) for message in problems)
    batch.counts = {**batch.counts, "problems": len(problems)}
    if warnings:
        batch.counts["warnings"] = len(problems)
    save_validated(batch)
    record_change(
        actor=actor,
        obj=batch,
        action=AuditAction.IMPORT,
        note=_("Rejected: %(count)s problems.") % {"count": len(problems)},
        after={"status": batch.status, "problems": len(problems)},
    )
    return batch


def _first_rows(
    data: bytes | None, path: str | Path | None, filename: str, refs: set[str]
) -> dict[str, int]:
    """The first row of each of ``refs`` in the file (read again: only for a refusal)."""
    from trygg.incidents import importing

    found: dict[str, int] = {}
    file, size = _open_source(data, path)
    try:
        rows = imports.open_table(file, filename, size=size).rows
        header = None
        for raw in rows:
            if not importing.RowChecker.blank(raw):
                header = raw
                break
        keys = [importing.HEADERS.get(importing._key(importing._text(c))) for c in header or []]
        column = keys.index("external_ref")
        for number, raw in enumerate(rows, start=2):
            if column < len(raw):
                ref = importing._text(raw[column])[:100]
                if ref in refs and ref not in found:
                    found[ref] = number
                    if len(found) == len(refs):
                        break
    finally:
        file.close()
    return found


def _sha256(source: bytes | bytearray | memoryview | str | os.PathLike[str]) -> str:
    import hashlib

    digest = hashlib.sha256()
    if isinstance(source, bytes | bytearray | memoryview):
        digest.update(source)
    else:
        with open(source, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


# Police events (their own module; re-exported here, the one place services are called from).
# Categories (their own module; re-exported here).
from trygg.incidents.services.categories import (  # noqa: E402
    CATEGORY_FIELDS as CATEGORY_FIELDS,
)
from trygg.incidents.services.categories import (  # noqa: E402
    DEFAULT_CATEGORIES as DEFAULT_CATEGORIES,
)
from trygg.incidents.services.categories import (  # noqa: E402
    CategoryChanges as CategoryChanges,
)
from trygg.incidents.services.categories import (  # noqa: E402
    categories_create_defaults as categories_create_defaults,
)
from trygg.incidents.services.categories import (  # noqa: E402
    categories_ensure_defaults as categories_ensure_defaults,
)
from trygg.incidents.services.categories import (  # noqa: E402
    category_create as category_create,
)
from trygg.incidents.services.categories import (  # noqa: E402
    category_update as category_update,
)
from trygg.incidents.services.police import (  # noqa: E402
    kommun_resolver as kommun_resolver,
)
from trygg.incidents.services.police import (  # noqa: E402
    police_events_fetch as police_events_fetch,
)
from trygg.incidents.services.police import (  # noqa: E402
    police_events_import as police_events_import,
)
