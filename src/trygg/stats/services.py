"""Writes for indicator series and observations (statistik).

Every function is ``<noun>_<verb>(*, actor: Actor, ...)``, runs in one transaction, validates with
``full_clean()`` and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.access import ADD, CHANGE, DELETE, require
from trygg.core.actors import Actor
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.imports import stored_problems
from trygg.core.models import Area, ImportBatch, Organisation
from trygg.core.services import save_validated
from trygg.stats import versioning
from trygg.stats.choices import SeriesKind, Unit, measure_type_for_unit
from trygg.stats.models import IndicatorSeries, Observation

if TYPE_CHECKING:
    from trygg.stats.importers import Prepared, Problem

SERIES_FIELDS = ["name", "kind", "source", "unit", "measure_type", "description", "is_public"]
OBSERVATION_FIELDS = [
    "period_label",
    "category_code",
    "category_parent_code",
    "category_level",
    "value",
    "symbol",
    "preliminary",
    "per_100k",
    "sample_size",
    "comparison_value",
    "source",
]


class SeriesChanges(TypedDict, total=False):
    """The fields of a series that series_update may change (SERIES_FIELDS)."""

    name: str
    kind: str
    source: str
    unit: str
    measure_type: str
    description: str
    is_public: bool


class ObservationFields(TypedDict, total=False):
    """The values of an observation beside its key, its value and its period label."""

    category_code: str
    category_parent_code: str
    category_level: int | None
    symbol: str
    preliminary: bool
    per_100k: Decimal | int | float | None
    sample_size: int | None
    comparison_value: Decimal | int | float | None
    source: str


POPULATION_SERIES_NAME = "Folkmängd"


def _require(actor: Actor, action: str, organisation_id: int | None) -> None:
    """Statistics cover the whole organisation, so writing them needs a membership that is
    not limited to some areas (a working group reads them but does not change them)."""
    require(actor, action, organisation_id, whole_organisation=True)


@transaction.atomic
def series_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    unit: str,
    source: str = "",
    description: str = "",
    is_public: bool = False,
    import_batch: ImportBatch | None = None,
    measure_type: str | None = None,
) -> IndicatorSeries:
    _require(actor, ADD, organisation.pk)
    series = IndicatorSeries(
        organisation=organisation,
        name=name,
        kind=kind,
        unit=unit,
        measure_type=measure_type or measure_type_for_unit(unit),
        source=source,
        description=description,
        is_public=is_public,
        import_batch=import_batch,
    )
    save_validated(series)
    record_change(
        actor=actor,
        obj=series,
        action=AuditAction.CREATE,
        after=snapshot(series, SERIES_FIELDS),
    )
    return series


@transaction.atomic
def series_update(
    *, actor: Actor, series: IndicatorSeries, **fields: Unpack[SeriesChanges]
) -> IndicatorSeries:
    _require(actor, CHANGE, series.organisation_id)
    before = snapshot(series, SERIES_FIELDS)
    for key, value in fields.items():
        if key not in SERIES_FIELDS:
            raise ValueError(key)
        setattr(series, key, value)
    save_validated(series)
    record_change(
        actor=actor,
        obj=series,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(series, SERIES_FIELDS),
    )
    return series


@transaction.atomic
def series_delete(*, actor: Actor, series: IndicatorSeries) -> None:
    _require(actor, DELETE, series.organisation_id)
    before = snapshot(series, SERIES_FIELDS)
    before["observations"] = series.observations.count()
    record_change(actor=actor, obj=series, action=AuditAction.DELETE, before=before)
    series.delete()


@transaction.atomic
def series_for_import(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    unit: str,
    source: str = "",
    description: str = "",
    is_public: bool = False,
    import_batch: ImportBatch | None = None,
    measure_type: str | None = None,
) -> tuple[IndicatorSeries, bool]:
    """The organisation's series with this name, created if missing. Returns (series, created).

    An existing series keeps its properties, so that re-importing a file changes nothing; a
    file whose unit differs from the series' is refused by the importer before this is called.
    """
    series = IndicatorSeries.objects.filter(organisation=organisation, name=name).first()
    if series is not None:
        _require(actor, CHANGE, organisation.pk)
        return series, False
    series = series_create(
        actor=actor,
        organisation=organisation,
        name=name,
        kind=kind,
        unit=unit,
        measure_type=measure_type,
        source=source,
        description=description,
        is_public=is_public,
        import_batch=import_batch,
    )
    return series, True


def year_period(year: int) -> tuple[dt.date, dt.date, str]:
    """A calendar year as (period_start, period_end, period_label)."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)


def _as_decimal(value: Decimal | int | float | str | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@transaction.atomic
def observation_set(
    *,
    actor: Actor,
    series: IndicatorSeries,
    area: Area,
    period_start: dt.date,
    period_end: dt.date,
    period_label: str,
    category: str = "",
    value: Decimal | int | float | None = None,
    **fields: Unpack[ObservationFields],
) -> tuple[Observation, str]:
    """Create or update the one value of a series for an area, category and period.

    Returns the observation and what happened: "created", "updated" or "unchanged". Setting
    the same value again writes nothing and no audit entry.
    """
    _require(actor, CHANGE, series.organisation_id)
    for key in fields:
        if key not in OBSERVATION_FIELDS:
            raise ValueError(key)
    values: dict[str, Any] = dict(fields)
    values["value"] = _as_decimal(value)
    for key in ("per_100k", "comparison_value"):
        if key in values:
            values[key] = _as_decimal(values[key])
    values["period_label"] = period_label
    observation = Observation.objects.filter(
        series=series,
        area=area,
        category=category,
        period_start=period_start,
        period_end=period_end,
    ).first()
    if observation is None:
        observation = Observation(
            organisation_id=series.organisation_id,
            series=series,
            area=area,
            period_start=period_start,
            period_end=period_end,
            category=category,
            **values,
        )
        save_validated(observation)
        record_change(
            actor=actor,
            obj=observation,
            action=AuditAction.CREATE,
            after=snapshot(
                observation, ["area", "period_start", "period_end", "category", *values]
            ),
        )
        return observation, "created"
    before = snapshot(observation, list(values))
    for key, field_value in values.items():
        setattr(observation, key, field_value)
    save_validated(observation)
    # Decimal fields come back from the database normalised; compare what is stored.
    observation.refresh_from_db()
    entry = record_change(
        actor=actor,
        obj=observation,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(observation, list(values)),
    )
    return observation, ("updated" if entry is not None else "unchanged")


@transaction.atomic
def observation_delete(*, actor: Actor, observation: Observation) -> None:
    _require(actor, DELETE, observation.organisation_id)
    record_change(
        actor=actor,
        obj=observation,
        action=AuditAction.DELETE,
        before=snapshot(observation),
    )
    observation.delete()


@transaction.atomic
def population_set(
    *,
    actor: Actor,
    organisation: Organisation,
    area: Area,
    year: int,
    count: int,
    source: str = "",
) -> Observation:
    """Record the population ("folkmängd") of an area in a year, e.g. SCB's 31 December figure.

    Goes into the organisation's series "Folkmängd" (created on first use). Setting the
    same figure again changes nothing.
    """
    from django.core.exceptions import ValidationError

    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationError({"count": _("The population must be a whole number, 0 or more.")})
    series, _created = series_for_import(
        actor=actor,
        organisation=organisation,
        name=POPULATION_SERIES_NAME,
        kind=SeriesKind.POPULATION,
        unit=Unit.PERSONS,
        source=source,
    )
    start, end, label = year_period(year)
    observation, _what = observation_set(
        actor=actor,
        series=series,
        area=area,
        period_start=start,
        period_end=end,
        period_label=label,
        value=count,
        source=source if source != series.source else "",
    )
    return observation


@transaction.atomic
def survey_value_set(
    *,
    actor: Actor,
    organisation: Organisation,
    indicator: str,
    area: Area,
    year: int,
    value: Decimal | int | float,
    sample_size: int | None = None,
    comparison_value: Decimal | int | float | None = None,
    source: str = "",
) -> Observation:
    """Record one survey result in percent ("trygg utomhus när det är mörkt: 83,5 %").

    The indicator is the series (kind survey, unit percent), created on first use.
    """
    from django.core.exceptions import ValidationError

    for key, number in (("value", value), ("comparison_value", comparison_value)):
        if number is not None and not 0 <= Decimal(str(number)) <= 100:
            raise ValidationError({key: _("A percentage is between 0 and 100.")})
    series = IndicatorSeries.objects.filter(organisation=organisation, name=indicator).first()
    if series is None:
        series = series_create(
            actor=actor,
            organisation=organisation,
            name=indicator,
            kind=SeriesKind.SURVEY,
            unit=Unit.PERCENT,
            source=source,
        )
    elif series.unit != Unit.PERCENT:
        raise ValidationError(
            {"indicator": _("A series with this name exists and is not in percent.")}
        )
    start, end, label = year_period(year)
    observation, _what = observation_set(
        actor=actor,
        series=series,
        area=area,
        period_start=start,
        period_end=end,
        period_label=label,
        value=value,
        sample_size=sample_size,
        comparison_value=comparison_value,
        source=source if source != series.source else "",
    )
    return observation


# Import batches ("importomgångar")


@transaction.atomic
def import_batch_create(
    *, actor: Actor, organisation: Organisation, kind: str, filename: str, content: bytes
) -> ImportBatch:
    """A queued batch for an uploaded file, with its checksum."""
    import hashlib

    _require(actor, ADD, organisation.pk)
    batch = ImportBatch(
        organisation=organisation,
        kind=kind,
        filename=filename[:300],
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None,
        status=ImportBatch.Status.QUEUED,
        counts={"bytes": len(content)},
    )
    save_validated(batch)
    return batch


def import_batch_start(*, batch: ImportBatch) -> None:
    """Bookkeeping, not a change of data: the batch is running."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, progress=1)


def import_batch_progress(*, batch: ImportBatch, progress: int) -> None:
    """Bookkeeping written outside the import's transaction, so the batch page sees it."""
    ImportBatch.objects.filter(pk=batch.pk).update(progress=max(0, min(int(progress), 99)))


@transaction.atomic
def import_batch_reject(
    *, actor: Actor, batch: ImportBatch, problems: list[Problem]
) -> ImportBatch:
    """The file was refused: keep every problem (row, Swedish reason) on the batch."""
    batch.refresh_from_db()
    batch.status = ImportBatch.Status.REJECTED
    batch.progress = 100
    batch.problems = stored_problems(problems)
    batch.counts = {**batch.counts, "problems": len(batch.problems)}
    save_validated(batch)
    record_change(
        actor=actor,
        obj=batch,
        action=AuditAction.IMPORT,
        note=_("Rejected: %(count)s problems.") % {"count": len(batch.problems)},
        after={"status": batch.status, "problems": len(batch.problems)},
    )
    return batch


_ROW_FIELDS = [
    "period_label",
    "category_code",
    "category_parent_code",
    "category_level",
    "value",
    "symbol",
    "preliminary",
    "per_100k",
    "sample_size",
    "comparison_value",
    "source",
]


# The fields an imported value is checked on (all but the keys the import sets itself), in
# the model's order: the order in which ``full_clean`` would report them.
_CHECKED = tuple(
    field.attname
    for field in Observation._meta.concrete_fields
    if field.name not in ("id", "organisation", "series", "area", "import_batch")
)


def _observation_problems(
    organisation: Organisation,
    writes: list[tuple[int | None, IndicatorSeries, Area, dict[str, Any], int | None]],
) -> list[Problem]:
    """What ``full_clean`` would say of each row to write, with its line, without running it
    per row: each field checks each distinct value once (a file of 100 000 rows holds a few
    hundred distinct values per column), with the field's own ``clean``, so the messages are
    the model's own. The rows are then read only for the values found wrong."""
    from django.core.exceptions import ValidationError

    def same(value: Any) -> Any:
        # 1.5 and 1.5000000 are equal but not the same to the decimal places' check.
        return ("decimal", str(value)) if isinstance(value, Decimal) else value

    fields = {field.attname: field for field in Observation._meta.concrete_fields}
    wrong: dict[str, dict[Any, list[str]]] = {}
    for name in _CHECKED:
        field = fields[name]
        seen: set[Any] = set()
        for _line, _series, _area, values, _pk in writes:
            value = values[name]
            key = same(value)
            if key in seen:
                continue
            seen.add(key)
            if field.blank and value in field.empty_values:
                continue  # as full_clean: an allowed empty value is not checked
            try:
                field.clean(value, None)
            except ValidationError as error:
                wrong.setdefault(name, {})[key] = error.messages
    foreign = {  # Observation.clean: the series is the organisation's
        series.pk
        for _line, series, _area, _values, _pk in writes
        if series.organisation_id != organisation.pk
    }
    if not wrong and not foreign:
        return []
    problems: list[Problem] = []
    for line, series, _area, values, _pk in writes:
        for name, refused in wrong.items():
            messages = refused.get(same(values[name]))
            if messages:
                problems.extend((line, message) for message in messages)
        if series.pk in foreign:
            problems.append((line, _("A value belongs to the organisation that owns its series.")))
    return problems


@transaction.atomic
def observations_import(*, actor: Actor, batch: ImportBatch, prepared: Prepared) -> dict[str, int]:
    """Write a prepared import (see trygg.stats.importers) all or nothing.

    Observations are keyed by series, area, category and period: a key already stored with
    the same values is left alone, so importing the same file again changes nothing. New
    areas (stadsområden) and series are created here, inside the same transaction.
    """
    from trygg.core.services import area_create
    from trygg.stats.importers import ImportRejected, NewArea

    organisation = batch.organisation
    _require(actor, ADD, organisation.pk)
    series_by_name: dict[str, IndicatorSeries] = {}
    created_series = 0
    for spec in prepared.series.values():
        series, created = series_for_import(
            actor=actor,
            organisation=organisation,
            name=spec.name,
            kind=spec.kind,
            unit=spec.unit,
            measure_type=spec.measure_type or None,
            source=spec.source,
            description=spec.description,
            is_public=spec.is_public,
            import_batch=batch,
        )
        if series.unit != spec.unit:
            raise ImportRejected(
                [(None, _('The series "%(name)s" has another unit.') % {"name": spec.name})]
            )
        series_by_name[spec.name] = series
        created_series += created

    new_areas: dict[tuple[Any, ...], Area] = {}
    created_areas = 0
    for row in prepared.rows:
        if isinstance(row.area, NewArea) and row.area.key not in new_areas:
            ref = row.area
            found = (
                Area.objects.filter(kind=ref.kind, code=ref.code).first()
                if ref.code
                else Area.objects.filter(parent=ref.parent, name__iexact=ref.name).first()
            )
            if found is None:
                found = area_create(
                    actor=actor,
                    organisation=None if ref.reference else organisation,
                    kind=ref.kind,
                    name=ref.name,
                    parent=ref.parent,
                    code=ref.code,
                )
                created_areas += 1
            new_areas[ref.key] = found

    # What is stored, as plain values (one query per series): a key already stored with the
    # same values is left alone.
    existing: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
    for series in series_by_name.values():
        for pk, area_id, category, start, end, *stored_values in series.observations.order_by(
            "pk"
        ).values_list("pk", "area_id", "category", "period_start", "period_end", *_ROW_FIELDS):
            existing[(series.name, area_id, category, start, end)] = (pk, tuple(stored_values))

    # Rows to write: (line, series, area, values of the checked fields, stored pk or None).
    writes: list[tuple[int | None, IndicatorSeries, Area, dict[str, Any], int | None]] = []
    unchanged = 0
    for row in prepared.rows:
        area = new_areas[row.area.key] if isinstance(row.area, NewArea) else row.area
        series = series_by_name[row.series]
        values = {name: getattr(row, name) for name in _ROW_FIELDS}
        values["category_code"] = values["category_code"] or ""
        values["category_parent_code"] = values["category_parent_code"] or ""
        stored = existing.get((row.series, area.pk, row.category, row.period_start, row.period_end))
        if stored is not None and stored[1] == tuple(values.values()):
            unchanged += 1
            continue
        values = {
            "period_start": row.period_start,
            "period_end": row.period_end,
            "category": row.category,
            **values,
        }
        writes.append((row.line, series, area, values, stored[0] if stored else None))

    problems = _observation_problems(organisation, writes)
    if problems:
        raise ImportRejected(problems)

    from trygg.situation import bulk

    columns = ("organisation_id", "series_id", "area_id", "import_batch_id", *_CHECKED)
    written = bulk.insert(
        Observation,
        columns,
        (
            (organisation.pk, series.pk, area.pk, batch.pk, *(values[name] for name in _CHECKED))
            for _line, series, area, values, pk in writes
            if pk is None
        ),
    )
    to_update = [
        Observation(pk=pk, import_batch=batch, **{name: values[name] for name in _ROW_FIELDS})
        for _line, _series, _area, values, pk in writes
        if pk is not None
    ]
    Observation.objects.bulk_update(to_update, [*_ROW_FIELDS, "import_batch"], batch_size=500)
    versioning.changed()  # bulk writes send no signals

    counts = {
        **batch.counts,
        "rows": len(prepared.rows),
        "created": written,
        "updated": len(to_update),
        "unchanged": unchanged,
        "series_created": created_series,
        "areas_created": created_areas,
    }
    batch.refresh_from_db()
    batch.status = ImportBatch.Status.DONE
    batch.progress = 100
    batch.counts = counts
    batch.problems = stored_problems(prepared.warnings)
    save_validated(batch)
    record_change(
        actor=actor,
        obj=batch,
        action=AuditAction.IMPORT,
        note=_("%(created)s new, %(updated)s changed, %(unchanged)s unchanged values.") % counts,
        after={key: counts[key] for key in ("rows", "created", "updated", "unchanged")},
    )
    return counts
