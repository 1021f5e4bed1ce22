"""Writes for indicator series and observations (statistik).

Every function is ``<noun>_<verb>(*, actor, ...)``, runs in one transaction, validates with
``full_clean()`` and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.access import ADD, CHANGE, DELETE
from trygg.core.audit import record_change, snapshot
from trygg.core.choices import AuditAction
from trygg.core.models import Area, ImportBatch, Organisation
from trygg.core.services import require, save_validated
from trygg.stats.choices import SeriesKind, Unit
from trygg.stats.models import IndicatorSeries, Observation

SERIES_FIELDS = ["name", "kind", "source", "unit", "description", "is_public"]
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

POPULATION_SERIES_NAME = "Folkmängd"


@transaction.atomic
def series_create(
    *,
    actor,
    organisation: Organisation,
    name: str,
    kind: str,
    unit: str,
    source: str = "",
    description: str = "",
    is_public: bool = False,
    import_batch: ImportBatch | None = None,
) -> IndicatorSeries:
    require(actor, ADD, organisation.pk)
    series = IndicatorSeries(
        organisation=organisation,
        name=name,
        kind=kind,
        unit=unit,
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
def series_update(*, actor, series: IndicatorSeries, **fields: Any) -> IndicatorSeries:
    require(actor, CHANGE, series.organisation_id)
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
def series_delete(*, actor, series: IndicatorSeries) -> None:
    require(actor, DELETE, series.organisation_id)
    before = snapshot(series, SERIES_FIELDS)
    before["observations"] = series.observations.count()
    record_change(actor=actor, obj=series, action=AuditAction.DELETE, before=before)
    series.delete()


def series_for_import(
    *,
    actor,
    organisation: Organisation,
    name: str,
    kind: str,
    unit: str,
    source: str = "",
    description: str = "",
    is_public: bool = False,
    import_batch: ImportBatch | None = None,
) -> tuple[IndicatorSeries, bool]:
    """The organisation's series with this name, created if missing. Returns (series, created).

    An existing series keeps its properties, so that re-importing a file changes nothing; a
    file whose unit differs from the series' is refused by the importer before this is called.
    """
    series = IndicatorSeries.objects.filter(organisation=organisation, name=name).first()
    if series is not None:
        require(actor, CHANGE, organisation.pk)
        return series, False
    series = series_create(
        actor=actor,
        organisation=organisation,
        name=name,
        kind=kind,
        unit=unit,
        source=source,
        description=description,
        is_public=is_public,
        import_batch=import_batch,
    )
    return series, True


def year_period(year: int) -> tuple[dt.date, dt.date, str]:
    """A calendar year as (period_start, period_end, period_label)."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)


def _as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@transaction.atomic
def observation_set(
    *,
    actor,
    series: IndicatorSeries,
    area: Area,
    period_start: dt.date,
    period_end: dt.date,
    period_label: str,
    category: str = "",
    value=None,
    **fields: Any,
) -> tuple[Observation, str]:
    """Create or update the one value of a series for an area, category and period.

    Returns the observation and what happened: "created", "updated" or "unchanged". Setting
    the same value again writes nothing and no audit entry.
    """
    require(actor, CHANGE, series.organisation_id)
    for key in fields:
        if key not in OBSERVATION_FIELDS:
            raise ValueError(key)
    fields["value"] = _as_decimal(value)
    for key in ("per_100k", "comparison_value"):
        if key in fields:
            fields[key] = _as_decimal(fields[key])
    fields["period_label"] = period_label
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
            **fields,
        )
        save_validated(observation)
        record_change(
            actor=actor,
            obj=observation,
            action=AuditAction.CREATE,
            after=snapshot(
                observation, ["area", "period_start", "period_end", "category", *fields]
            ),
        )
        return observation, "created"
    before = snapshot(observation, list(fields))
    for key, field_value in fields.items():
        setattr(observation, key, field_value)
    save_validated(observation)
    # Decimal fields come back from the database normalised; compare what is stored.
    observation.refresh_from_db()
    entry = record_change(
        actor=actor,
        obj=observation,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(observation, list(fields)),
    )
    return observation, ("updated" if entry is not None else "unchanged")


@transaction.atomic
def observation_delete(*, actor, observation: Observation) -> None:
    require(actor, DELETE, observation.organisation_id)
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
    actor,
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
