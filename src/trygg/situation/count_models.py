"""The lägesbild's count tables (förberäknade antal): the incident reports counted per local
hour, day and month, kept by situation.rollup, never edited by hand, and the marks of what
is left to recount. Part of the app's models (imported by situation.models)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW, Scope
from trygg.core.models import OrganisationOwned


def _derived_key(to: str, verbose_name: Any, *, optional: bool = False) -> models.ForeignKey:
    """A count row's reference to what it counts by (category, area, place).

    Without a constraint in the database: a count row is derived from reports whose own
    references the database has checked, and a check per count row was about half of a
    large import's commit on PostgreSQL (docs/benchmarks.md). Django still applies
    ``on_delete`` (it always does so itself), and situation.rollup rewrites the rows."""
    return models.ForeignKey(
        to,
        null=optional,
        blank=optional,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=verbose_name,
    )


class _Counted(OrganisationOwned):
    """Shared parts of every count table: the owner's reference without a constraint or an
    index of its own (every index of a count table begins with the organisation)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("organisation"),
    )

    class Meta:
        abstract = True


class IncidentCount(_Counted):
    """Förberäknat antal händelserapporter: reports counted per local hour, category, area and place.

    A derived table, never edited by hand. The analyses read it instead of the reports
    because the local weekday and hour of a timestamp cost a Python call per row on SQLite
    (about 6 µs, so 4 s for a year of a large kommun's reports; see docs/benchmarks.md).
    situation.rollup keeps it equal to the reports: the incident services' saves and deletes
    refresh the affected days, bulk loads refresh theirs, and rows added behind its back
    (a bulk insert elsewhere) are caught by the id watermark on the next read.

    The row is restricted like the reports it counts (owner's scope with area limits,
    partners view). A reporter's own reports outside their area scope are visible to them in
    the list but are not counted here; counts never include rows the user may not see.
    """

    day = models.DateField(_("day"))
    week_start = models.DateField(_("week (Monday)"))
    month = models.DateField(_("month"))
    weekday = models.PositiveSmallIntegerField(_("weekday (1 = Monday)"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    category = _derived_key("incidents.IncidentCategory", _("category"))
    area = _derived_key("core.Area", _("area"), optional=True)
    place = _derived_key("core.Place", _("place"), optional=True)
    count = models.PositiveIntegerField(_("count"))
    generated = models.PositiveIntegerField(
        _("of which generated"), default=0, help_text=_("Demo or benchmark reports.")
    )

    area_field = "area"

    class Meta:
        verbose_name = _("incident count")
        verbose_name_plural = _("incident counts")
        ordering = ["organisation", "day", "hour"]
        indexes = [
            models.Index(fields=["organisation", "day"], name="situation_count_org_day"),
            models.Index(
                fields=["organisation", "category", "day"], name="situation_count_org_cat_day"
            ),
            # The hours of the weekly picture's focus places: a few places' rows over nine
            # weeks from the index alone (the day index read every row of those weeks).
            models.Index(
                fields=["organisation", "place", "day", "weekday", "hour", "count", "generated"],
                name="situation_count_place_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="incidentcount_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
            models.CheckConstraint(
                condition=Q(hour__gte=0) & Q(hour__lte=23) & Q(weekday__gte=1) & Q(weekday__lte=7),
                name="incidentcount_hour_and_weekday_valid",
                violation_error_message=_("Hour 0–23 and weekday 1–7."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hour:02d}: {self.count}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        from trygg.incidents.models import IncidentReport

        if action != VIEW:
            return Q(pk__in=[])  # derived data: written only by situation.rollup
        return scope.owned_q(VIEW, area_field=IncidentReport.area_field) | scope.shared_q()


class _DerivedCount(_Counted):
    """Shared parts of the coarser pre-computed counts (see IncidentCount)."""

    day = models.DateField(_("day"))
    area = _derived_key("core.Area", _("area"), optional=True)
    count = models.PositiveIntegerField(_("count"))
    generated = models.PositiveIntegerField(_("of which generated"), default=0)

    area_field = "area"

    class Meta:
        abstract = True

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return IncidentCount.access_q(scope, action)


class DayCount(_DerivedCount):
    """Förberäknat antal per dag: reports per local day, category, area and place.

    About a fifth of the rows of IncidentCount at a large kommun's volume: every analysis that
    does not need the hour (areas, places, trends, the weekly picture) reads this one.
    """

    week_start = models.DateField(_("week (Monday)"))
    month = models.DateField(_("month"))
    category = _derived_key("incidents.IncidentCategory", _("category"))
    place = _derived_key("core.Place", _("place"), optional=True)

    class Meta:
        verbose_name = _("daily incident count")
        verbose_name_plural = _("daily incident counts")
        ordering = ["organisation", "day"]
        indexes = [
            # Covering: a span of days (the partial months of a period, the weekly picture's
            # nine weeks) is summed from the index alone, in day order.
            models.Index(
                fields=[
                    "organisation",
                    "day",
                    "week_start",
                    "area",
                    "category",
                    "place",
                    "count",
                    "generated",
                ],
                name="situation_daycount_cover",
            ),
            # Covering, in week order: the weekly picture's nine weeks per area, category
            # and place are summed from the index alone and grouped without sorting.
            models.Index(
                fields=[
                    "organisation",
                    "week_start",
                    "area",
                    "category",
                    "place",
                    "count",
                    "generated",
                ],
                name="situation_daycount_week_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="daycount_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.count}"


class HourCount(_DerivedCount):
    """Förberäknat antal per timme och område: reports per local day, hour and area.

    What the time-of-week heatmap reads when no category is chosen (a category needs
    IncidentCount, which keeps it).
    """

    weekday = models.PositiveSmallIntegerField(_("weekday (1 = Monday)"))
    hour = models.PositiveSmallIntegerField(_("hour"))

    class Meta:
        verbose_name = _("hourly incident count")
        verbose_name_plural = _("hourly incident counts")
        ordering = ["organisation", "day", "hour"]
        indexes = [
            # Covering: the heatmap's partial months are summed from the index alone.
            models.Index(
                fields=["organisation", "day", "weekday", "hour", "area", "count", "generated"],
                name="situation_hourcount_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="hourcount_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
            models.CheckConstraint(
                condition=Q(hour__gte=0) & Q(hour__lte=23) & Q(weekday__gte=1) & Q(weekday__lte=7),
                name="hourcount_hour_and_weekday_valid",
                violation_error_message=_("Hour 0–23 and weekday 1–7."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hour:02d}: {self.count}"


class _MonthlyCount(_Counted):
    """Shared parts of the per-month counts: the sums of the daily ones over a local month."""

    month = models.DateField(_("month"))
    area = _derived_key("core.Area", _("area"), optional=True)
    count = models.PositiveIntegerField(_("count"))
    generated = models.PositiveIntegerField(_("of which generated"), default=0)

    area_field = "area"

    class Meta:
        abstract = True

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return IncidentCount.access_q(scope, action)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.count}"


class MonthCount(_MonthlyCount):
    """Förberäknat antal per månad: reports per local month, category, area and place.

    The sum of DayCount over the month (situation.rollup recomputes a month's rows whenever
    one of its days is counted). A period's whole months are read here and only its first
    and last partial months from DayCount: a year is about a tenth of the rows.
    """

    category = _derived_key("incidents.IncidentCategory", _("category"))
    place = _derived_key("core.Place", _("place"), optional=True)

    class Meta:
        verbose_name = _("monthly incident count")
        verbose_name_plural = _("monthly incident counts")
        ordering = ["organisation", "month"]
        indexes = [
            # Covering: the analyses' sums are read from the index alone.
            models.Index(
                fields=[
                    "organisation",
                    "month",
                    "category",
                    "area",
                    "place",
                    "count",
                    "generated",
                ],
                name="situation_monthcount_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="monthcount_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
        ]


class MonthHourCount(_MonthlyCount):
    """Förberäknat antal per månad, veckodag och timme: reports per local month, weekday,
    hour and area (the sum of HourCount over the month), what the time-of-week heatmap
    reads for a period's whole months."""

    weekday = models.PositiveSmallIntegerField(_("weekday (1 = Monday)"))
    hour = models.PositiveSmallIntegerField(_("hour"))

    class Meta:
        verbose_name = _("monthly hourly incident count")
        verbose_name_plural = _("monthly hourly incident counts")
        ordering = ["organisation", "month", "weekday", "hour"]
        indexes = [
            models.Index(
                fields=["organisation", "month", "weekday", "hour", "area", "count", "generated"],
                name="situation_monthhour_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="monthhourcount_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
            models.CheckConstraint(
                condition=Q(hour__gte=0) & Q(hour__lte=23) & Q(weekday__gte=1) & Q(weekday__lte=7),
                name="monthhourcount_hour_and_weekday_valid",
                violation_error_message=_("Hour 0–23 and weekday 1–7."),
            ),
        ]


class MonthHourTotal(_Counted):
    """Förberäknat antal per månad, veckodag och timme för hela organisationen: reports per
    local month, weekday and hour over all areas (the sum of MonthHourCount over its areas).

    What MonthHourRunning, the heatmap's reading for a viewer who sees every area, is summed
    from. Having no area, it cannot honour an area limit, so only viewers who see all of the
    organisation's reports may read it (members without area limits and partners, see
    :meth:`access_q`); an area-limited member's heatmap reads MonthHourCount.
    """

    month = models.DateField(_("month"))
    weekday = models.PositiveSmallIntegerField(_("weekday (1 = Monday)"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    count = models.PositiveIntegerField(_("count"))
    generated = models.PositiveIntegerField(_("of which generated"), default=0)

    class Meta:
        verbose_name = _("monthly hourly incident total")
        verbose_name_plural = _("monthly hourly incident totals")
        ordering = ["organisation", "month", "weekday", "hour"]
        indexes = [
            models.Index(
                fields=["organisation", "month", "weekday", "hour", "count", "generated"],
                name="situation_monthhourtotal_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="monthhourtotal_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
            models.CheckConstraint(
                condition=Q(hour__gte=0) & Q(hour__lte=23) & Q(weekday__gte=1) & Q(weekday__lte=7),
                name="monthhourtotal_hour_and_weekday_valid",
                violation_error_message=_("Hour 0–23 and weekday 1–7."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.weekday} {self.hour:02d}: {self.count}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            return Q(pk__in=[])  # derived data: written only by situation.rollup
        # No area limit can be applied to a row without an area: only whole-organisation
        # viewers (and partners, who see all of the owner's reports).
        return scope.owned_q(VIEW, whole_organisation=True) | scope.shared_q()


class MonthHourRunning(_Counted):
    """Löpande summa per veckodag och timme: the organisation's reports per local weekday and
    hour over all areas, from its first counted month through ``month`` (the running sum of
    MonthHourTotal), written for each month that has counts, a row for every weekday and
    hour with a report so far.

    What the time-of-week heatmap reads for a viewer who sees every area: a span of whole
    months is the rows of its last month less those of the month before its first, at most
    336 rows whatever the span (a year of MonthHourTotal is 2 016). The rows as of a month
    are those of the latest month at or before it that has rows: no month in between has
    counts. situation.rollup rewrites the months from the first one whose counts changed.
    Readable by the viewers who may read MonthHourTotal.
    """

    month = models.DateField(_("month"))
    weekday = models.PositiveSmallIntegerField(_("weekday (1 = Monday)"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    count = models.PositiveIntegerField(_("count"))
    generated = models.PositiveIntegerField(_("of which generated"), default=0)

    class Meta:
        verbose_name = _("running hourly incident total")
        verbose_name_plural = _("running hourly incident totals")
        ordering = ["organisation", "month", "weekday", "hour"]
        indexes = [
            # Covering: the latest month at or before a date is found at the end of the
            # organisation's range, and its rows are read from the index alone.
            models.Index(
                fields=["organisation", "month", "weekday", "hour", "count", "generated"],
                name="situation_monthhourrun_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(generated__lte=models.F("count")),
                name="monthhourrunning_count_positive",
                violation_error_message=_("A count is at least 1 and covers the generated ones."),
            ),
            models.CheckConstraint(
                condition=Q(hour__gte=0) & Q(hour__lte=23) & Q(weekday__gte=1) & Q(weekday__lte=7),
                name="monthhourrunning_hour_and_weekday_valid",
                violation_error_message=_("Hour 0–23 and weekday 1–7."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.weekday} {self.hour:02d}: {self.count} so far"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return MonthHourTotal.access_q(scope, action)


class CountWatermark(models.Model):
    """Hur långt förberäkningen har kommit: the highest report id counted per organisation."""

    organisation = models.OneToOneField(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    last_report_id = models.BigIntegerField(_("last counted report"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("count watermark")
        verbose_name_plural = _("count watermarks")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.last_report_id}"


class StaleDay(models.Model):
    """En dag att räkna om: a local day whose incident counts changed since they were counted.

    Written in the same transaction as the report change (so it is never lost), read and
    cleared by the next analysis that needs the counts (see situation.rollup).
    """

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("day to recount")
        verbose_name_plural = _("days to recount")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"],
                name="staleday_unique",
                violation_error_message=_("The day is already marked."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.day}"
