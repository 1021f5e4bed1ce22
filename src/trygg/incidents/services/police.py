"""Writes for police events ("polisens händelser"): the national feed imported in bulk and
fetched periodically. Part of :mod:`trygg.incidents.services`, which re-exports them."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.access import CHANGE, may
from trygg.core.actors import Actor
from trygg.core.audit import record_change
from trygg.core.choices import AreaKind, AuditAction
from trygg.core.models import Area, AuditEntry, ImportBatch, Organisation
from trygg.core.services import save_validated
from trygg.incidents.models import PoliceEvent
from trygg.incidents.services import _sha256

if TYPE_CHECKING:
    from django.db.models import Field

    from trygg.incidents.feed import KommunResolver, Source

# Police events


def kommun_resolver() -> KommunResolver:
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


def _insert_police_events(rows: list[tuple[Any, ...]]) -> None:
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
    # The columns are the model's own fields (none is a relation seen from the other side).
    fields = [cast("Field[Any, Any]", meta.get_field(name)) for name in POLICE_EVENT_COLUMNS]
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
    actor: Actor,
    source: Source,
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

    if actor is not None and not may(actor, CHANGE):
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
    to_create: list[tuple[Any, ...]] = []
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


def _record_police_import(
    actor: Actor, batch: ImportBatch | None, filename: str, counts: dict[str, Any]
) -> None:
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


def police_events_fetch(*, actor: Actor, url: str, timeout: float = 30.0) -> dict[str, Any]:
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
