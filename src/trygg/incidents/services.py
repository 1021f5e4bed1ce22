"""Writes for incident categories, incident reports and police events.

Every function is ``<noun>_<verb>(*, actor, ...)``, runs in one transaction, validates with
``full_clean()`` and writes its audit entry in the same transaction. ``actor=None`` is system
work (demo loader, management commands, the periodic fetch).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import geo
from trygg.core.access import ADD, CHANGE, REPORT, VIEW, scope_for
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AreaKind, AuditAction
from trygg.core.models import Area, AuditEntry, ImportBatch, Organisation, Place
from trygg.core.services import require, save_validated
from trygg.incidents import pii
from trygg.incidents.choices import CategoryGroup, ReportStatus
from trygg.incidents.models import IncidentCategory, IncidentPhoto, IncidentReport, PoliceEvent

# Stored as data (each organisation may rename them), so the names are Swedish.
DEFAULT_CATEGORIES: list[tuple[str, str]] = [
    ("Skadegörelse", CategoryGroup.MILJO),
    ("Klotter", CategoryGroup.MILJO),
    ("Nedskräpning", CategoryGroup.MILJO),
    ("Bristande belysning", CategoryGroup.MILJO),
    ("Otrygg plats", CategoryGroup.MILJO),
    ("Brand/anlagd brand", CategoryGroup.MILJO),
    ("Ungdomar som samlas/stök", CategoryGroup.ORDNING),
    ("Misstänkt narkotikahandel", CategoryGroup.ORDNING),
    ("Ordningsstörning", CategoryGroup.ORDNING),
    ("Inbrott", CategoryGroup.ORDNING),
    ("Stöld", CategoryGroup.ORDNING),
    ("Hot/våld mot personal", CategoryGroup.PERSON),
    ("Övrigt", CategoryGroup.ORDNING),
]

CATEGORY_FIELDS = ["name", "group", "order", "is_active"]
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
ACTOR = object()  # report_create's default reporter: the actor

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


def _may_in_area(actor, action: str, organisation_id: int, area_id: int | None) -> bool:
    """Whether the actor's grants for ``action`` cover the organisation in this area."""
    if actor is None:
        return True
    scope = scope_for(actor)
    if scope.is_superuser:
        return True
    for grant in scope.grants_for(action):
        if organisation_id not in grant.organisation_ids:
            continue
        if grant.area_ids is None or area_id in grant.area_ids:
            return True
    return False


# Categories


@transaction.atomic
def categories_ensure_defaults(
    organisation: Organisation | None = None, *, actor=None
) -> list[IncidentCategory]:
    """The organisation's categories, creating the default set when it has none (idempotent)."""
    if organisation is None:
        raise TypeError("organisation is required")
    require(actor, CHANGE, organisation.pk, whole_organisation=True)
    existing = list(IncidentCategory.objects.filter(organisation=organisation))
    if existing:
        return existing
    created = []
    for order, (name, group) in enumerate(DEFAULT_CATEGORIES, start=1):
        category = IncidentCategory(
            organisation=organisation, name=name, group=group, order=order * 10
        )
        save_validated(category)
        record_change(
            actor=actor, obj=category, action=AuditAction.CREATE, after=snapshot(category)
        )
        created.append(category)
    return created


@transaction.atomic
def category_create(
    *, actor, organisation: Organisation, name: str, group: str, order: int = 0, is_active=True
) -> IncidentCategory:
    require(actor, CHANGE, organisation.pk, whole_organisation=True)
    category = IncidentCategory(
        organisation=organisation, name=name.strip(), group=group, order=order, is_active=is_active
    )
    save_validated(category)
    record_change(actor=actor, obj=category, action=AuditAction.CREATE, after=snapshot(category))
    return category


@transaction.atomic
def category_update(*, actor, category: IncidentCategory, **fields: Any) -> IncidentCategory:
    require(actor, CHANGE, category.organisation_id, whole_organisation=True)
    before = snapshot(category, CATEGORY_FIELDS)
    for key, value in fields.items():
        if key not in CATEGORY_FIELDS:
            raise ValueError(key)
        setattr(category, key, value.strip() if key == "name" else value)
    save_validated(category)
    record_change(
        actor=actor,
        obj=category,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(category, CATEGORY_FIELDS),
    )
    return category


# Reports


def organisation_areas(organisation: Organisation) -> list[Area]:
    """Areas a report of the organisation may lie in: its kommun and its own areas."""
    areas = list(Area.objects.filter(organisation=organisation))
    if organisation.area_id:
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
    if report.place_id is not None:
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
    if report.place_id and report.place.organisation_id != organisation_id:
        errors.setdefault("place", []).append(_("The place belongs to another organisation."))
    if report.area_id:
        allowed = {a.pk for a in organisation_areas(report.organisation)}
        if report.area_id not in allowed:
            errors.setdefault("area", []).append(_("The area does not belong to the organisation."))
    if (report.lat is None) != (report.lon is None):
        errors.setdefault("lat", []).append(_("Give both latitude and longitude, or neither."))
    if report.occurred_at and report.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors.setdefault("occurred_at", []).append(_("The time cannot be in the future."))
    if report.measure_id and report.measure.organisation_id != organisation_id:
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


@transaction.atomic
def report_create(
    *,
    actor,
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
    reporter=ACTOR,
    client_key: str = "",
    photo=None,
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
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.CREATE,
        after=snapshot(report, REPORT_FIELDS),
    )
    return report


PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_SIDE = 2048  # pixels on the longest side after re-encoding
PHOTO_MAX_PIXELS = 60_000_000  # refuses decompression bombs before they are decoded


def photo_encode(upload) -> tuple[bytes, int, int]:
    """The photo re-encoded as JPEG with no EXIF (no position, device or time), turned upright
    and at most PHOTO_MAX_SIDE pixels on its longest side: (bytes, width, height).

    A file that is not a readable image is refused with a Swedish message.
    """
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    from trygg.core.uploads import read_upload

    data = read_upload(upload, extensions=PHOTO_EXTENSIONS, max_bytes=PHOTO_MAX_BYTES)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not a photo that can be read.")) from error
    upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    # A new image without .info: nothing of the original's metadata is written.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def _store_photo(report: IncidentReport, encoded: tuple[bytes, int, int]) -> IncidentPhoto:
    from django.core.files.base import ContentFile

    data, width, height = encoded
    photo = IncidentPhoto(
        organisation_id=report.organisation_id,
        report=report,
        width=width,
        height=height,
        size=len(data),
    )
    photo.image.save("photo.jpg", ContentFile(data), save=False)
    # The file is written before its row: if the row cannot be saved, the file goes again.
    try:
        save_validated(photo)
    except Exception:
        photo.image.storage.delete(photo.image.name)
        raise
    return photo


@transaction.atomic
def report_add_photo(*, actor, report: IncidentReport, upload) -> IncidentPhoto:
    """Add a photo to a report the actor sees in detail (the reporter, the organisation)."""
    scope = scope_for(actor)
    if not scope.is_superuser and not (
        IncidentReport.objects.filter(pk=report.pk).filter(IncidentReport.detail_q(scope)).exists()
    ):
        raise PermissionDenied(_("You do not have permission to do this."))
    photo = _store_photo(report, photo_encode(upload))
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.UPDATE,
        before={"photos": report.photos.count() - 1},
        after={"photos": report.photos.count()},
    )
    return photo


@transaction.atomic
def report_update(*, actor, report: IncidentReport, **fields: Any) -> IncidentReport:
    """Correct a report (a reviewer's job). The area is derived again from what changed."""
    require(actor, CHANGE, report.organisation_id)
    if not _may_in_area(actor, CHANGE, report.organisation_id, report.area_id):
        raise PermissionDenied(_("You do not have permission to do this."))
    before = snapshot(report, REPORT_FIELDS)
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
    actor,
    report: IncidentReport,
    status: str,
    note: str = "",
    measure=None,
    set_measure: bool = False,
    decision=None,
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
def report_delete(*, actor, report: IncidentReport) -> None:
    require(actor, "delete", report.organisation_id)
    if not _may_in_area(actor, "delete", report.organisation_id, report.area_id):
        raise PermissionDenied(_("You do not have permission to do this."))
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.DELETE,
        before=snapshot(report, REPORT_FIELDS),
    )
    report.delete()


# Bulk import of reports


@transaction.atomic
def reports_import(
    *, actor, organisation: Organisation, data: bytes, filename: str
) -> dict[str, int]:
    """Import reports from another tool's CSV/XLSX export, all or nothing.

    Every row is checked first; any bad row refuses the whole file, each problem with its
    row number. Rows whose extern_id the organisation already has are left as they are,
    so importing the same file twice changes nothing.
    """
    from trygg.incidents.importing import read_report_rows

    require(actor, ADD, organisation.pk)
    require(actor, REPORT, organisation.pk)
    rows = read_report_rows(data, filename, organisation=organisation)
    existing = set(
        IncidentReport.objects.filter(
            organisation=organisation, external_ref__in=[r.external_ref for r in rows]
        ).values_list("external_ref", flat=True)
    )
    new_rows = [r for r in rows if r.external_ref not in existing]
    counts = {"rows": len(rows), "created": 0, "unchanged": len(rows) - len(new_rows)}
    if not new_rows:
        return counts
    import hashlib

    batch = ImportBatch(
        organisation=organisation,
        kind="incident_reports",
        filename=filename[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None,
        status=ImportBatch.Status.DONE,
        progress=100,
    )
    save_validated(batch)
    problems: list[str] = []
    for row in new_rows:
        try:
            report_create(
                actor=actor,
                organisation=organisation,
                category=row.category,
                occurred_at=row.occurred_at,
                occurred_until=row.occurred_until,
                area=row.area,
                place=row.place,
                address=row.address,
                assessment=row.assessment,
                description=row.description,
                external_ref=row.external_ref,
                import_batch=batch,
                reporter=None,
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            problems.append(
                _("Row %(row)s: %(reason)s") % {"row": row.number, "reason": " ".join(messages)}
            )
        else:
            counts["created"] += 1
    if problems:
        raise ValidationError(problems)
    batch.counts = counts
    batch.save(update_fields=["counts"])
    record_change(
        actor=actor,
        obj=batch,
        action=AuditAction.IMPORT,
        after={"counts": counts, "kind": batch.kind},
    )
    return counts


# Police events


def kommun_resolver():
    """A KommunResolver over the reference lists, with the codes of the stored areas."""
    from django.conf import settings

    from trygg.incidents.feed import County, Kommun, KommunResolver

    reference = settings.REFERENCE_DATA_DIR / "reference"
    admin = reference / "swedish_admin_areas_dnouri.csv"
    if admin.exists():
        municipalities = reference / "sjbrg_municipalities.csv"
        counties = reference / "sjbrg_counties.csv"
        return KommunResolver.from_csv(
            admin,
            municipalities if municipalities.exists() else None,
            counties if counties.exists() else None,
        )
    # Without the reference files, resolve against the areas in the database.
    kommuner = [
        Kommun(a.code, a.name, a.parent.code if a.parent else "")
        for a in Area.objects.filter(kind=AreaKind.KOMMUN).exclude(code="").select_related("parent")
    ]
    counties_ = [
        County(a.code, a.name) for a in Area.objects.filter(kind=AreaKind.LAN).exclude(code="")
    ]
    return KommunResolver(kommuner, counties_)


CHUNK = 900  # below SQLite's old limit of 999 parameters per statement

POLICE_EVENT_COLUMNS = [
    "id",
    "published_at",
    "occurred_at",
    "event_type",
    "name",
    "summary",
    "url",
    "location_name",
    "kommun",
    "county",
    "resolution",
    "is_summary",
    "import_batch",
]


def _insert_police_events(rows: list[tuple]) -> None:
    """Insert parsed events with one prepared statement, skipping ids already stored.

    The ORM's bulk_create spends most of a national import (85 000 events) preparing values
    field by field; the parser has already checked every value, so the rows go straight to
    executemany. ``ON CONFLICT (id) DO NOTHING`` is the same on SQLite and PostgreSQL and
    guards against a concurrent import of an overlapping window.
    """
    if not rows:
        return
    from django.db import connection

    meta = PoliceEvent._meta
    fields = [meta.get_field(name) for name in POLICE_EVENT_COLUMNS]
    quote = connection.ops.quote_name
    # Names come from the model, values are parameters.
    sql = "INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({pk}) DO NOTHING".format(  # noqa: S608
        table=quote(meta.db_table),
        columns=", ".join(quote(f.column) for f in fields),
        values=", ".join(["%s"] * len(fields)),
        pk=quote(meta.pk.column),
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [(r[0], adapt(r[1]), adapt(r[2]), *r[3:]) for r in rows[start : start + 5000]],
            )


def _existing_ids(ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(PoliceEvent.objects.filter(id__in=chunk).values_list("id", flat=True))
    return found


@transaction.atomic
def police_events_import(
    *,
    actor,
    source,
    filename: str = "",
    organisation: Organisation | None = None,
) -> dict[str, Any]:
    """Import police events from a feed file or its bytes, all or nothing.

    Events are identified by the police's id: an event already stored is left as it is, so
    importing the same file again changes nothing. The feed's gps is the centre of the named
    kommun or län; it is never stored as a place. Returns counts: ``created``, ``existing``,
    ``duplicates`` (repeated within the file), ``summaries`` (Sammanfattning posts, counted
    apart) and ``by_resolution`` (location / name / county / unknown, summaries excluded).
    """
    from trygg.incidents import feed

    if actor is not None:
        scope = scope_for(actor)
        if not (scope.is_superuser or scope.organisation_ids(CHANGE)):
            raise PermissionDenied(_("You do not have permission to do this."))
    events, errors = feed.parse_feed(source)
    if errors:
        shown = [
            _("Line %(line)s: %(reason)s") % {"line": e.line, "reason": e.message}
            if e.line is not None
            else e.message
            for e in errors[:200]
        ]
        if len(errors) > 200:
            shown.append(_("… and %(count)s more problems.") % {"count": len(errors) - 200})
        raise ValidationError(shown)

    resolver = kommun_resolver()
    kommun_ids = dict(
        Area.objects.filter(kind=AreaKind.KOMMUN).exclude(code="").values_list("code", "id")
    )
    county_ids = dict(
        Area.objects.filter(kind=AreaKind.LAN).exclude(code="").values_list("code", "id")
    )

    unique: dict[int, feed.PoliceEventData] = {}
    duplicates = 0
    for event in events:
        if event.id in unique:
            duplicates += 1
            continue
        unique[event.id] = event
    existing = _existing_ids(list(unique))

    by_resolution: Counter[str] = Counter()
    summaries = 0
    unresolved_kommun_codes: Counter[str] = Counter()
    to_create: list[tuple] = []
    for event in unique.values():
        result = resolver.resolve_names(event.location_name, event.place_name)
        if event.is_summary:
            summaries += 1
        else:
            by_resolution[result.how] += 1
        if event.id in existing:
            continue
        kommun_id = kommun_ids.get(result.kommun_code) if result.kommun_code else None
        if result.kommun_code and kommun_id is None:
            unresolved_kommun_codes[result.kommun_code] += 1
        county_code = result.county_code or (
            resolver.county_of(result.kommun_code) if result.kommun_code else None
        )
        to_create.append(
            (
                event.id,
                event.published_at,
                event.occurred_at,
                event.event_type[:100],
                (event.name or "")[:300],
                event.summary,
                event.url[:500],
                event.location_name[:200],
                kommun_id,
                county_ids.get(county_code) if county_code else None,
                result.how,
                event.is_summary,
            )
        )
    batch = None
    if organisation is not None and to_create:
        batch = ImportBatch(
            organisation=organisation,
            kind="police_events",
            filename=(filename or str(source))[:300],
            sha256=_sha256(source),
            created_by=actor if getattr(actor, "pk", None) else None,
            status=ImportBatch.Status.DONE,
            progress=100,
        )
        save_validated(batch)
    batch_id = batch.pk if batch is not None else None
    _insert_police_events([(*row, batch_id) for row in to_create])

    counts: dict[str, Any] = {
        "events": len(events),
        "created": len(to_create),
        "existing": len(existing),
        "duplicates": duplicates,
        "summaries": summaries,
        "by_resolution": {
            key: by_resolution.get(key, 0) for key in ("location", "name", "county", "unknown")
        },
        "kommun_missing_area": sum(unresolved_kommun_codes.values()),
    }
    if batch is not None:
        batch.counts = counts
        batch.save(update_fields=["counts"])
    if to_create:
        # Nothing new, nothing logged: the periodic fetch runs every 15–30 minutes.
        _record_police_import(actor, batch, filename or str(source), counts)
    return counts


def _sha256(source) -> str:
    import hashlib

    digest = hashlib.sha256()
    if isinstance(source, bytes | bytearray | memoryview):
        digest.update(source)
    else:
        with open(source, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _record_police_import(actor, batch, filename: str, counts: dict) -> None:
    """One audit entry per import (not one per event: a national file holds 85 000)."""
    if batch is not None:
        record_change(
            actor=actor,
            obj=batch,
            action=AuditAction.IMPORT,
            after={"counts": counts, "kind": batch.kind},
        )
        return
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation_id=None,
        action=AuditAction.IMPORT,
        content_type=ContentType.objects.get_for_model(PoliceEvent),
        object_id="",
        object_repr=filename[:300],
        changes={"created": [0, counts["created"]]},
        note=str(counts),
    )


def police_events_fetch(*, actor, url: str, timeout: float = 30.0) -> dict[str, Any]:
    """Fetch the feed from a URL (http or https only) and import it."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from django.conf import settings

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationError(_("The address must start with http:// or https://."))
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        headers={"User-Agent": "Trygg (brottsförebyggande arbete)", "Accept": "application/json"},
    )
    limit = settings.MAX_UPLOAD_BYTES
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data = response.read(limit + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ValidationError(
            _("The feed could not be fetched: %(error)s") % {"error": exc}
        ) from exc
    if len(data) > limit:
        raise ValidationError(_("The feed is larger than the upload limit."))
    return police_events_import(actor=actor, source=data, filename=url)
