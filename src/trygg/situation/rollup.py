"""Keeps the pre-computed incident counts (IncidentCount) equal to the incident reports.

Why a pre-computed table: the analyses group reports by local weekday and hour. On SQLite,
Django computes a local hour with a Python function per row, which costs about 6 µs; a
year of reports of a large kommun then takes seconds (measured in docs/benchmarks.md). The
counts per local hour, category, area and place are computed once, in Python with the
zoneinfo rules, and the analyses aggregate them with plain integer SQL on both databases.

How it stays right:
- Every save or delete of a report (the incident services, the admin, anything that calls
  ``save()``) refreshes the local days the report was and is on, in the same transaction
  (signal receivers below; they are a cache refresh, not an audit: the services still write
  their own audit entries).
- Bulk loads (generated demo and benchmark data) call :func:`add_reports` with the rows
  they inserted.
- Rows inserted behind its back with ``bulk_create`` elsewhere are caught on the next read:
  :func:`ensure_current` compares the organisation's highest report id with the watermark
  and counts the days of the newer reports.
- ``python -m trygg rebuild_incident_counts`` recounts everything (after a raw SQL fix).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max

LOCAL = ZoneInfo(settings.TIME_ZONE)
CHUNK = 20_000

Key = tuple[dt.date, int, int, int | None, int | None]  # day, hour, category, area, place


def local_key(occurred_at: dt.datetime, category_id, area_id, place_id) -> Key:
    local = occurred_at.astimezone(LOCAL)
    return (local.date(), local.hour, category_id, area_id, place_id)


def _count(rows: Iterable[tuple]) -> tuple[Counter, Counter]:
    """rows: (occurred_at, category_id, area_id, place_id, is_generated)."""
    counts: Counter = Counter()
    generated: Counter = Counter()
    for occurred_at, category_id, area_id, place_id, is_generated in rows:
        key = local_key(occurred_at, category_id, area_id, place_id)
        counts[key] += 1
        if is_generated:
            generated[key] += 1
    return counts, generated


def _objects(organisation_id: int, counts: Counter, generated: Counter):
    from trygg.situation.models import IncidentCount

    for (day, hour, category_id, area_id, place_id), count in counts.items():
        yield IncidentCount(
            organisation_id=organisation_id,
            day=day,
            week_start=day - dt.timedelta(days=day.weekday()),
            month=day.replace(day=1),
            weekday=day.isoweekday(),
            hour=hour,
            category_id=category_id,
            area_id=area_id,
            place_id=place_id,
            count=count,
            generated=generated.get((day, hour, category_id, area_id, place_id), 0),
        )


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware start of the local day and of the next (23 or 25 hours at DST changes)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=LOCAL)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)
    return start, end


def _report_rows(queryset):
    return queryset.values_list(
        "occurred_at", "category_id", "area_id", "place_id", "is_generated"
    ).iterator(chunk_size=CHUNK)


NEVER = -1  # watermark of an organisation whose reports were never all counted


def _lock(organisation_id: int) -> int:
    """Lock the organisation's counts for this transaction; returns its watermark.

    Two refreshes of the same day in parallel (PostgreSQL, read committed) would each
    delete the old cells and insert their own, so they are serialised on the watermark row.
    """
    from trygg.situation.models import CountWatermark

    CountWatermark.objects.get_or_create(
        organisation_id=organisation_id, defaults={"last_report_id": NEVER}
    )
    return (
        CountWatermark.objects.select_for_update()
        .values_list("last_report_id", flat=True)
        .get(organisation_id=organisation_id)
    )


@transaction.atomic
def refresh_days(organisation_id: int, days: Iterable[dt.date]) -> None:
    """Recount the given local days of one organisation from its reports."""
    from trygg.incidents.models import IncidentReport
    from trygg.situation.models import IncidentCount

    days = sorted(set(days))
    if not days:
        return
    _lock(organisation_id)
    IncidentCount.objects.filter(organisation_id=organisation_id, day__in=days).delete()
    counts: Counter = Counter()
    generated: Counter = Counter()
    # Consecutive days are read as one range: a bulk of new reports is usually recent.
    for first, last in _runs(days):
        start, _ = day_bounds(first)
        _, end = day_bounds(last)
        rows = IncidentReport.objects.filter(
            organisation_id=organisation_id, occurred_at__gte=start, occurred_at__lt=end
        )
        c, g = _count(_report_rows(rows))
        counts.update(c)
        generated.update(g)
    IncidentCount.objects.bulk_create(_objects(organisation_id, counts, generated), batch_size=2000)


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


@transaction.atomic
def add_reports(organisation_id: int, rows: Iterable[tuple], *, last_id: int | None) -> int:
    """Count freshly bulk-inserted reports into an organisation's counts.

    ``rows`` are (occurred_at, category_id, area_id, place_id, is_generated) of the new
    reports only. Cells that already exist are recounted from the reports, so that adding to
    days that already had counts stays exact. Returns the number of count rows written.
    """
    from trygg.situation.models import IncidentCount

    mark = _lock(organisation_id)
    counts, generated = _count(rows)
    existing_days = set(
        IncidentCount.objects.filter(
            organisation_id=organisation_id, day__in={k[0] for k in counts}
        ).values_list("day", flat=True)
        if len(counts) < 50_000
        else IncidentCount.objects.filter(organisation_id=organisation_id)
        .values_list("day", flat=True)
        .distinct()
    )
    touched = {k[0] for k in counts} & existing_days
    if touched:
        refresh_days(organisation_id, touched)
        counts = Counter({k: v for k, v in counts.items() if k[0] not in touched})
    objects = list(_objects(organisation_id, counts, generated))
    IncidentCount.objects.bulk_create(objects, batch_size=5000)
    if last_id is not None and mark != NEVER:
        _set_watermark(organisation_id, max(mark, last_id))
    return len(objects)


def _set_watermark(organisation_id: int, last_id: int) -> None:
    from trygg.situation.models import CountWatermark

    CountWatermark.objects.update_or_create(
        organisation_id=organisation_id, defaults={"last_report_id": last_id}
    )


def ensure_current(organisation_id: int) -> None:
    """Count reports that were inserted without passing through this module."""
    from trygg.incidents.models import IncidentReport
    from trygg.situation.models import CountWatermark

    latest = IncidentReport.objects.filter(organisation_id=organisation_id).aggregate(m=Max("id"))[
        "m"
    ]
    if latest is None:
        return
    mark = (
        CountWatermark.objects.filter(organisation_id=organisation_id)
        .values_list("last_report_id", flat=True)
        .first()
    )
    if mark is not None and mark >= latest:
        return
    with transaction.atomic():
        mark = _lock(organisation_id)
        if mark >= latest:  # another request counted them meanwhile
            return
        if mark == NEVER:
            if latest:
                rebuild(organisation_id)
            else:
                _set_watermark(organisation_id, 0)
            return
        newer = IncidentReport.objects.filter(organisation_id=organisation_id, id__gt=mark)
        days = {
            at.astimezone(LOCAL).date()
            for at in newer.values_list("occurred_at", flat=True).iterator(chunk_size=CHUNK)
        }
        refresh_days(organisation_id, days)
        _set_watermark(organisation_id, latest)


@transaction.atomic
def rebuild(organisation_id: int) -> int:
    """Recount all of an organisation's reports. Returns the number of count rows."""
    from trygg.incidents.models import IncidentReport
    from trygg.situation.models import IncidentCount

    _lock(organisation_id)
    IncidentCount.objects.filter(organisation_id=organisation_id).delete()
    reports = IncidentReport.objects.filter(organisation_id=organisation_id).order_by()
    counts, generated = _count(_report_rows(reports))
    objects = list(_objects(organisation_id, counts, generated))
    IncidentCount.objects.bulk_create(objects, batch_size=5000)
    latest = reports.aggregate(m=Max("id"))["m"]
    _set_watermark(organisation_id, latest or 0)
    return len(objects)


# Signal receivers: connected in SituationConfig.ready().


def _old_state(sender, instance, **kwargs):
    """Remember where the report was before this save, to recount that day too."""
    instance._count_before = None
    if instance.pk:
        before = (
            sender._default_manager.filter(pk=instance.pk)
            .values_list("organisation_id", "occurred_at")
            .first()
        )
        instance._count_before = before


def report_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: counted by ensure_current on the next read
        return
    touched: dict[int, set[dt.date]] = {}
    before = getattr(instance, "_count_before", None)
    if before is not None and before[1] is not None:
        touched.setdefault(before[0], set()).add(before[1].astimezone(LOCAL).date())
    if instance.occurred_at is not None:
        touched.setdefault(instance.organisation_id, set()).add(
            instance.occurred_at.astimezone(LOCAL).date()
        )
    for organisation_id, days in touched.items():
        refresh_days(organisation_id, days)


def report_deleted(sender, instance, **kwargs):
    if instance.occurred_at is not None:
        refresh_days(instance.organisation_id, [instance.occurred_at.astimezone(LOCAL).date()])
