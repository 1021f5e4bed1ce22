"""Keeps the pre-computed incident counts (IncidentCount, DayCount, HourCount, their
monthly sums MonthCount and MonthHourCount, MonthHourTotal, the latter's sum over the
areas, and MonthHourRunning, its running sum) equal to the incident reports.

Why a pre-computed table: the analyses group reports by local weekday and hour. On SQLite,
Django computes a local hour with a Python function per row (about 6 µs); a year of a large
kommun's reports then takes seconds (measured in docs/benchmarks.md). The counts per local
hour, category, area and place are computed once, in Python with the zoneinfo rules, and
the analyses aggregate them with plain integer SQL on both databases.

How it stays right:
- The incident services recount the local days a report was and is on with
  :func:`refresh_days`, explicitly and in the same transaction as the change; the imports
  and bulk loads count their new rows directly with :func:`add_counts`. So the counts a
  page reads are current when the change commits, and a read never writes.
- Any other save or delete of a report (the admin, a shell: anything that calls
  ``save()`` or ``delete()``) marks its days stale (a StaleDay row, in the same
  transaction, so it cannot be lost), and rows inserted behind the models' back are caught
  by the highest report id compared with the watermark. The periodic
  :func:`catch_up` (``python -m trygg rebuild_incident_counts --changed``, or the task
  situation.tasks.catch_up_incident_counts) recounts both; an index on (organisation, id)
  answers the highest id of one organisation in constant time, whatever the other
  organisations hold.
- ``python -m trygg rebuild_incident_counts`` recounts everything (after a raw SQL fix).

Every change of the counts bumps the organisation's version (:func:`version`) when its
transaction commits; the lägesbild keeps its aggregates in the cache under that version.

Recounting runs under a lock on the organisation's watermark row, so that two requests
never recount the same day at once (on PostgreSQL they would both insert their cells).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from trygg.core import versioning

LOCAL = ZoneInfo(settings.TIME_ZONE)
CHUNK = 20_000
NEVER = -1  # watermark of an organisation whose reports were never counted at all

Key = tuple[dt.date, int, int, int | None, int | None]  # day, hour, category, area, place


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL).date()


def _count(rows: Iterable[tuple]) -> tuple[Counter, Counter]:
    """rows: (occurred_at, category_id, area_id, place_id, is_generated)."""
    counts: Counter = Counter()
    generated: Counter = Counter()
    for occurred_at, category_id, area_id, place_id, is_generated in rows:
        local = occurred_at.astimezone(LOCAL)
        key = (local.date(), local.hour, category_id, area_id, place_id)
        counts[key] += 1
        if is_generated:
            generated[key] += 1
    return counts, generated


COUNT_FIELDS = (
    "organisation_id",
    "day",
    "week_start",
    "month",
    "weekday",
    "hour",
    "category_id",
    "area_id",
    "place_id",
    "count",
    "generated",
)
DAY_FIELDS = (
    "organisation_id",
    "day",
    "week_start",
    "month",
    "category_id",
    "area_id",
    "place_id",
    "count",
    "generated",
)
HOUR_FIELDS = ("organisation_id", "day", "weekday", "hour", "area_id", "count", "generated")


MONTH_FIELDS = (
    "organisation_id",
    "month",
    "category_id",
    "area_id",
    "place_id",
    "count",
    "generated",
)
MONTH_HOUR_FIELDS = (
    "organisation_id",
    "month",
    "weekday",
    "hour",
    "area_id",
    "count",
    "generated",
)
MONTH_HOUR_TOTAL_FIELDS = ("organisation_id", "month", "weekday", "hour", "count", "generated")
MONTH_HOUR_RUNNING_FIELDS = MONTH_HOUR_TOTAL_FIELDS


def _models():
    from trygg.situation.models import DayCount, HourCount, IncidentCount

    return IncidentCount, DayCount, HourCount


def _month_models():
    from trygg.situation.models import MonthCount, MonthHourCount, MonthHourRunning, MonthHourTotal

    return MonthCount, MonthHourCount, MonthHourTotal, MonthHourRunning


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _refresh_months(organisation_id: int, months: Iterable[dt.date]) -> None:
    """Recompute the per-month counts of some months from the daily and hourly ones (their
    sums), after those changed. The caller holds the lock."""
    from django.db.models import Sum

    from trygg.situation import bulk

    months = sorted(set(months))
    if not months:
        return
    month_count, month_hour_count, month_hour_total, _running = _month_models()
    _incident_count, day_count, hour_count = _models()
    for chunk in range(0, len(months), 500):
        part = months[chunk : chunk + 500]
        for model in (month_count, month_hour_count, month_hour_total):
            model.objects.filter(organisation_id=organisation_id, month__in=part).delete()
        bulk.insert(
            month_count,
            MONTH_FIELDS,
            (
                (organisation_id, *row)
                for row in day_count.objects.filter(organisation_id=organisation_id, month__in=part)
                .order_by()
                .values_list("month", "category_id", "area_id", "place_id")
                .annotate(n=Sum("count"), g=Sum("generated"))
            ),
        )
    for first, last in _runs(months, step=next_month):
        cells: Counter = Counter()
        made: Counter = Counter()
        for day, weekday, hour, area_id, n, g in (
            hour_count.objects.filter(
                organisation_id=organisation_id, day__gte=first, day__lt=next_month(last)
            )
            .order_by()
            .values_list("day", "weekday", "hour", "area_id", "count", "generated")
            .iterator(chunk_size=CHUNK)
        ):
            key = (month_of(day), weekday, hour, area_id)
            cells[key] += n
            made[key] += g
        bulk.insert(
            month_hour_count,
            MONTH_HOUR_FIELDS,
            ((organisation_id, *key, n, made[key]) for key, n in cells.items()),
        )
        totals: Counter = Counter()
        totals_made: Counter = Counter()
        for (month, weekday, hour, _area_id), n in cells.items():
            totals[(month, weekday, hour)] += n
        for (month, weekday, hour, _area_id), g in made.items():
            totals_made[(month, weekday, hour)] += g
        bulk.insert(
            month_hour_total,
            MONTH_HOUR_TOTAL_FIELDS,
            ((organisation_id, *key, n, totals_made[key]) for key, n in totals.items()),
        )
    _refresh_running(organisation_id, months[0])


def _refresh_running(organisation_id: int, first: dt.date) -> None:
    """Rewrite the running sums (MonthHourRunning) from the month ``first`` on, from the
    sums of the month before it that has rows and MonthHourTotal's months since. The
    caller holds the lock."""
    from trygg.situation import bulk

    _count, _hour, month_hour_total, running = _month_models()
    mine = running.objects.filter(organisation_id=organisation_id)
    before = mine.filter(month__lt=first).aggregate(last=Max("month"))["last"]
    mine.filter(month__gte=first).delete()
    cells: dict[tuple[int, int], list[int]] = {}
    if before is not None:
        for weekday, hour, n, g in mine.filter(month=before).values_list(
            "weekday", "hour", "count", "generated"
        ):
            cells[(weekday, hour)] = [n, g]

    # Read in full before the insert begins (on PostgreSQL a COPY holds the connection).
    totals = list(
        month_hour_total.objects.filter(organisation_id=organisation_id, month__gte=first)
        .order_by("month")
        .values_list("month", "weekday", "hour", "count", "generated")
    )

    def rows():
        month = None
        for this, weekday, hour, n, g in totals:
            if this != month:
                if month is not None:
                    yield from _running_rows(organisation_id, month, cells)
                month = this
            cell = cells.setdefault((weekday, hour), [0, 0])
            cell[0] += n
            cell[1] += g
        if month is not None:
            yield from _running_rows(organisation_id, month, cells)

    bulk.insert(running, MONTH_HOUR_RUNNING_FIELDS, rows())


def _running_rows(organisation_id: int, month: dt.date, cells: dict) -> Iterable[tuple]:
    return (
        (organisation_id, month, weekday, hour, n, g)
        for (weekday, hour), (n, g) in sorted(cells.items())
    )


def _insert(
    organisation_id: int,
    counts: Counter,
    generated: Counter,
    *,
    months: Iterable[dt.date] = (),
) -> int:
    """Write the counted cells to the three count tables (plain bulk inserts, see bulk.py):
    per hour with everything, per day without the hour, per hour and area only; then
    recompute the per-month counts of their months and of ``months`` (days just emptied)."""
    from trygg.situation import bulk

    incident_count, day_count, hour_count = _models()
    days: Counter = Counter()
    days_generated: Counter = Counter()
    hours: Counter = Counter()
    hours_generated: Counter = Counter()
    for key, count in counts.items():
        day, hour, category_id, area_id, place_id = key
        made = generated.get(key, 0)
        days[(day, category_id, area_id, place_id)] += count
        hours[(day, hour, area_id)] += count
        if made:
            days_generated[(day, category_id, area_id, place_id)] += made
            hours_generated[(day, hour, area_id)] += made

    # The day, its week's Monday and its month as the database stores them, and its
    # weekday: worked out once per day, not once per cell.
    store = bulk.date_storer()
    calendar: dict[dt.date, tuple[Any, Any, Any, int]] = {}

    def dates(day: dt.date) -> tuple[Any, Any, Any, int]:
        known = calendar.get(day)
        if known is None:
            known = calendar[day] = (
                store(day),
                store(day - dt.timedelta(days=day.weekday())),
                store(day.replace(day=1)),
                day.isoweekday(),
            )
        return known

    def detailed():
        for key, count in counts.items():
            day, hour, category_id, area_id, place_id = key
            stored_day, week_start, month, weekday = dates(day)
            yield (
                organisation_id,
                stored_day,
                week_start,
                month,
                weekday,
                hour,
                category_id,
                area_id,
                place_id,
                count,
                generated.get(key, 0),
            )

    def daily():
        for key, count in days.items():
            day, category_id, area_id, place_id = key
            stored_day, week_start, month, _weekday = dates(day)
            yield (
                organisation_id,
                stored_day,
                week_start,
                month,
                category_id,
                area_id,
                place_id,
                count,
                days_generated.get(key, 0),
            )

    def hourly():
        for key, count in hours.items():
            day, hour, area_id = key
            stored_day, _week_start, _month, weekday = dates(day)
            yield (
                organisation_id,
                stored_day,
                weekday,
                hour,
                area_id,
                count,
                hours_generated.get(key, 0),
            )

    bulk.insert(day_count, DAY_FIELDS, daily(), stored=True)
    bulk.insert(hour_count, HOUR_FIELDS, hourly(), stored=True)
    written = bulk.insert(incident_count, COUNT_FIELDS, detailed(), stored=True)
    _refresh_months(organisation_id, {month_of(key[0]) for key in counts} | set(months))
    return written


def _delete(organisation_id: int, days=None) -> None:
    """Remove an organisation's counts, of some days or all (the per-month counts of those
    days' months are recomputed by the :func:`_insert` that follows)."""
    if days is None:
        for month_model in _month_models():
            month_model.objects.filter(organisation_id=organisation_id).delete()
    for model in _models():
        queryset = model.objects.filter(organisation_id=organisation_id)
        if days is None:
            queryset.delete()
            continue
        days = list(days)
        for chunk in range(0, len(days), 500):
            queryset.filter(day__in=days[chunk : chunk + 500]).delete()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware start of the local day and of the next (23 or 25 hours apart at DST)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=LOCAL)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)
    return start, end


def _report_rows(queryset):
    return queryset.values_list(
        "occurred_at", "category_id", "area_id", "place_id", "is_generated"
    ).iterator(chunk_size=CHUNK)


def _lock(organisation_id: int) -> int:
    """Lock the organisation's counts for this transaction; returns its watermark."""
    from trygg.situation.models import CountWatermark

    CountWatermark.objects.get_or_create(
        organisation_id=organisation_id, defaults={"last_report_id": NEVER}
    )
    return (
        CountWatermark.objects.select_for_update()
        .values_list("last_report_id", flat=True)
        .get(organisation_id=organisation_id)
    )


def _set_watermark(organisation_id: int, last_id: int) -> None:
    from trygg.situation.models import CountWatermark

    CountWatermark.objects.filter(organisation_id=organisation_id).update(last_report_id=last_id)


def _next_day(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def _runs(
    days: list[dt.date], step: Callable[[dt.date], dt.date] = _next_day
) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days (or months, with ``step`` :func:`next_month`) as (first, last)
    ranges, so that a month is read in one query."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and step(runs[-1][1]) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _recount(organisation_id: int, days: Iterable[dt.date]) -> None:
    """Recount local days from the reports. The caller holds the lock."""
    from trygg.incidents.models import IncidentReport

    days = sorted(set(days))
    if not days:
        return
    _delete(organisation_id, days)
    counts: Counter = Counter()
    generated: Counter = Counter()
    for first, last in _runs(days):
        start = day_bounds(first)[0]
        end = day_bounds(last)[1]
        rows = IncidentReport.objects.filter(
            organisation_id=organisation_id, occurred_at__gte=start, occurred_at__lt=end
        ).order_by()
        c, g = _count(_report_rows(rows))
        counts.update(c)
        generated.update(g)
    _insert(organisation_id, counts, generated, months={month_of(day) for day in days})


def version(organisation_id: int) -> int:
    """The version of an organisation's counts: changes whenever they change."""
    return versioning.current(_version_key(organisation_id))


def _version_key(organisation_id: int) -> str:
    return f"trygg:counts:{organisation_id}"


def _changed(organisation_id: int) -> None:
    """Bump the organisation's version of the counts."""
    versioning.bump(_version_key(organisation_id))


@transaction.atomic
def refresh_days(organisation_id: int, days: Iterable[dt.date]) -> None:
    """Recount the given local days of one organisation now (the incident services call
    this in the transaction of their change)."""
    from trygg.situation.models import StaleDay

    days = set(days)
    mark = _lock(organisation_id)
    if mark == NEVER:  # never counted: count everything, these days included
        _rebuild_locked(organisation_id)
        return
    StaleDay.objects.filter(organisation_id=organisation_id, day__in=days).delete()
    _recount(organisation_id, days)
    _changed(organisation_id)


def mark_stale(organisation_id: int, days: Iterable[dt.date]) -> None:
    from trygg.situation.models import StaleDay

    StaleDay.objects.bulk_create(
        [StaleDay(organisation_id=organisation_id, day=day) for day in set(days)],
        ignore_conflicts=True,
    )


def latest_report_id(organisation_id: int) -> int:
    """The highest report id of the organisation (index incidentreport_org_id: one index
    probe, however many reports other organisations have)."""
    from trygg.incidents.models import IncidentReport

    return (
        IncidentReport.objects.filter(organisation_id=organisation_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def catch_up(organisation_id: int) -> bool:
    """Recount what changed behind the services' back: stale days and reports inserted
    elsewhere. The periodic task, never a page. Returns whether anything was recounted."""
    from trygg.incidents.models import IncidentReport
    from trygg.situation.models import CountWatermark, StaleDay

    latest = latest_report_id(organisation_id)
    mark = (
        CountWatermark.objects.filter(organisation_id=organisation_id)
        .values_list("last_report_id", flat=True)
        .first()
    )
    stale = StaleDay.objects.filter(organisation_id=organisation_id)
    if mark is not None and mark >= latest and not stale.exists():
        return False
    with transaction.atomic():
        mark = _lock(organisation_id)
        if mark == NEVER:
            _rebuild_locked(organisation_id)
            return True
        days = set(stale.values_list("day", flat=True))
        # Clear the marks before recounting: a report saved meanwhile marks its day again
        # (its insert waits for this transaction) and is counted on the next run.
        if days:
            stale.filter(day__in=days).delete()
        if latest > mark:
            newer = IncidentReport.objects.filter(organisation_id=organisation_id, id__gt=mark)
            days |= {
                local_day(at)
                for at in newer.values_list("occurred_at", flat=True).iterator(chunk_size=CHUNK)
            }
        _recount(organisation_id, days)
        _set_watermark(organisation_id, max(mark, latest))
        _changed(organisation_id)
    return True


def catch_up_all() -> int:
    """:func:`catch_up` for every organisation with reports or counts; returns how many
    were recounted."""
    from trygg.core.models import Organisation

    return sum(
        catch_up(pk) for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True)
    )


@transaction.atomic
def add_reports(organisation_id: int, rows: Iterable[tuple], *, last_id: int) -> int:
    """Count freshly bulk-inserted reports into an organisation's counts.

    ``rows`` are (occurred_at, category_id, area_id, place_id, is_generated) of the new
    reports only, ``last_id`` the highest id among them. Returns the number of count rows
    written.
    """
    counts, generated = _count(rows)
    return add_counts(organisation_id, counts, generated, last_id=last_id)


@transaction.atomic
def add_counts(organisation_id: int, counts: Counter, generated: Counter, *, last_id: int) -> int:
    """Add counted cells of freshly bulk-inserted reports (see :func:`count_into`).

    Days that already had counts are recounted from the reports, so adding to them stays
    exact. ``last_id`` is the highest id among the new reports; the watermark moves to it.
    """
    from trygg.situation.models import DayCount

    mark = _lock(organisation_id)
    if mark == NEVER:  # never counted: count everything, the new rows included
        return _rebuild_locked(organisation_id)
    new_days = {key[0] for key in counts}
    counted_days: set[dt.date] = set()
    for first, last in _runs(sorted(new_days)):
        counted_days |= set(
            DayCount.objects.filter(organisation_id=organisation_id, day__gte=first, day__lte=last)
            .values_list("day", flat=True)
            .distinct()
        )
    touched = new_days & counted_days
    if touched:
        _recount(organisation_id, touched)
        counts = Counter({k: v for k, v in counts.items() if k[0] not in touched})
    written = _insert(organisation_id, counts, generated)
    _set_watermark(organisation_id, max(mark, last_id))
    _changed(organisation_id)
    return written


@transaction.atomic
def add_counted_rows(organisation_id: int, table: str, *, last_id: int) -> int:
    """:func:`add_counts` for freshly bulk-inserted reports whose cells are in ``table``,
    one row per report with the columns day and hour (local), category_id, area_id and
    place_id; counted by the database, one statement per count table, instead of in
    Python (PostgreSQL: the import's temporary table, incidents.services.staged).
    ``table`` is a name of our own code, never user input. The reports are not generated.

    As in :func:`add_counts`, days that already had counts are recounted from the
    reports; the others get their cells from ``table``. Returns the number of detailed
    count rows written for those."""
    from django.db import connection

    from trygg.situation.models import DayCount, HourCount, IncidentCount

    mark = _lock(organisation_id)
    if mark == NEVER:  # never counted: count everything, the new rows included
        return _rebuild_locked(organisation_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT day FROM {table}")  # noqa: S608 - our own name
        new_days = {row[0] for row in cursor.fetchall()}
        counted_days: set[dt.date] = set()
        for first, last in _runs(sorted(new_days)):
            counted_days |= set(
                DayCount.objects.filter(
                    organisation_id=organisation_id, day__gte=first, day__lte=last
                )
                .values_list("day", flat=True)
                .distinct()
            )
        touched = sorted(new_days & counted_days)
        if touched:
            _recount(organisation_id, touched)
        quote = connection.ops.quote_name
        # The day's weekday (ISO: Monday 1), its week's Monday and its month's first day.
        weekday = "EXTRACT(ISODOW FROM day)::smallint"
        week_start = "day - (EXTRACT(ISODOW FROM day)::integer - 1)"
        month = "day - (EXTRACT(DAY FROM day)::integer - 1)"
        fresh = f"FROM {table} WHERE NOT (day = ANY(%s::date[]))"
        statements = (
            (
                IncidentCount,
                "organisation_id, day, week_start, month, weekday, hour, category_id, "
                "area_id, place_id, count, generated",
                f"%s, day, {week_start}, {month}, {weekday}, hour, category_id, area_id, "
                "place_id, count(*), 0",
                "day, hour, category_id, area_id, place_id",
            ),
            (
                DayCount,
                "organisation_id, day, week_start, month, category_id, area_id, place_id, "
                "count, generated",
                f"%s, day, {week_start}, {month}, category_id, area_id, place_id, count(*), 0",
                "day, category_id, area_id, place_id",
            ),
            (
                HourCount,
                "organisation_id, day, weekday, hour, area_id, count, generated",
                f"%s, day, {weekday}, hour, area_id, count(*), 0",
                "day, hour, area_id",
            ),
        )
        written = 0
        # In the order of the day (the order of the indexes that begin with the
        # organisation and the day): in the hash aggregate's order the rows went to random
        # leaves of every index, 11.4 s instead of 8.2 s for a million reports.
        for model, columns, values, group in statements:
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
                f"SELECT {values} {fresh} GROUP BY {group} ORDER BY {group}",
                [organisation_id, touched],
            )
            if model is IncidentCount:
                written = cursor.rowcount
    _refresh_months(organisation_id, {month_of(day) for day in new_days})
    _set_watermark(organisation_id, max(mark, last_id))
    _changed(organisation_id)
    return written


def count_into(counts: Counter, generated: Counter, rows: Iterable[tuple]) -> None:
    """Add rows (occurred_at, category_id, area_id, place_id, is_generated) to counters."""
    c, g = _count(rows)
    counts.update(c)
    generated.update(g)


def _rebuild_locked(organisation_id: int) -> int:
    from trygg.incidents.models import IncidentReport
    from trygg.situation.models import StaleDay

    _delete(organisation_id)
    reports = IncidentReport.objects.filter(organisation_id=organisation_id).order_by()
    counts, generated = _count(_report_rows(reports))
    written = _insert(organisation_id, counts, generated)
    StaleDay.objects.filter(organisation_id=organisation_id).delete()
    _set_watermark(organisation_id, reports.aggregate(m=Max("id"))["m"] or 0)
    _changed(organisation_id)
    return written


@transaction.atomic
def rebuild(organisation_id: int) -> int:
    """Recount all of an organisation's reports. Returns the number of count rows."""
    _lock(organisation_id)
    return _rebuild_locked(organisation_id)


# Signal receivers, connected in SituationConfig.ready(). They only mark days; the
# recount happens on the next read.


def report_before_save(sender, instance, **kwargs):
    """Remember which day the report was on before this save, to recount that day too."""
    instance._count_before = None
    if instance.pk:
        instance._count_before = (
            sender._default_manager.filter(pk=instance.pk)
            .values_list("organisation_id", "occurred_at")
            .first()
        )


def report_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: caught by the watermark on the next read
        return
    before = getattr(instance, "_count_before", None)
    if before is not None and before[1] is not None:
        mark_stale(before[0], [local_day(before[1])])
    if instance.occurred_at is not None:
        mark_stale(instance.organisation_id, [local_day(instance.occurred_at)])


def report_deleted(sender, instance, **kwargs):
    if instance.occurred_at is not None:
        mark_stale(instance.organisation_id, [local_day(instance.occurred_at)])
