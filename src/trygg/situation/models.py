"""The lägesbild (lag 2023:196 §4): prioritised problems, their cause analyses and the
measures that address them.

The analyses themselves (time of week, places, the weekly EST picture) are computed from the
incident reports, police events and statistics by selectors; nothing computed is stored here.

A lägesbild is owned by one organisation (the kommun) and is shared with the organisations in
a current partnership with it (the lokalpolisområde): the law asks kommun and polis to work
from the same picture. Partners may view it; only the owner changes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW, Scope
from trygg.core.models import OrganisationOwned
from trygg.plans.models import diarienummer_validator
from trygg.situation.choices import FishboneCategory, PictureState, ProblemStatus, SourceKind


def partner_ids(scope: Scope) -> frozenset[int]:
    """The partners of the user's organisations, looked up once per request.

    The scope object lives for the request (see core.access.scope_for); a page that reads
    several of these tables would otherwise ask for the partnerships each time. The same
    reading as the scope's own (``Scope.partner_ids``, which the tables of the other apps
    ask), so that a page asks for the partnerships once.
    """
    return scope.partner_ids()


def _shared_q(scope: Scope, action: str, path: str = "", area_field: str | None = None) -> Q:
    """The owner's scope, and for viewing also the owner's partners."""
    q = scope.owned_q(action, organisation_field=f"{path}organisation", area_field=area_field)
    if action == VIEW:
        partners = partner_ids(scope)
        if partners:
            q |= Q(**{f"{path}organisation_id__in": partners})
    return q


class SituationPicture(OrganisationOwned):
    """Lägesbild: the organisation's yearly mapping of crime, its extent, consequences and causes."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PictureState.choices, default=PictureState.UTKAST
    )
    period_start = models.DateField(
        _("period from"), null=True, blank=True, help_text=_("The first day the data covers.")
    )
    period_end = models.DateField(
        _("period to"), null=True, blank=True, help_text=_("The last day the data covers.")
    )
    consequences = models.TextField(
        _("consequences"),
        blank=True,
        help_text=_("What the crime and the insecurity cost people, places and the kommun."),
    )
    coverage_note = models.TextField(
        _("areas without data"),
        blank=True,
        help_text=_(
            "The law asks for the kommun's whole geographic area: name any area the picture "
            "lacks data for, and why."
        ),
    )
    decided_by = models.CharField(
        _("decided by"), max_length=200, blank=True, help_text=_("E.g. Kommunstyrelsen.")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    diarienummer = models.CharField(
        _("reference number"),
        max_length=40,
        blank=True,
        validators=[diarienummer_validator],
        help_text=_("E.g. KFKS-2024-00431."),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="situation_pictures",
        verbose_name=_("action plan"),
        help_text=_("The action plan (åtgärdsplan) built on this situation picture."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("situation picture")
        verbose_name_plural = _("situation pictures")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="situationpicture_one_per_year",
                violation_error_message=_(
                    "The organisation already has a situation picture for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="situationpicture_year_plausible",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=PictureState.values),
                name="situationpicture_state_valid",
                violation_error_message=_("Unknown state."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="situationpicture_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            # The picture covers the whole kommun: an area-limited member works on the
            # problems of their areas, not on the picture itself.
            return Q(organisation_id__in=scope.unlimited_organisation_ids(action))
        return _shared_q(scope, action)

    def allows(self, scope: Scope, action: str) -> bool:
        """Whether ``access_q(scope, action)`` lets this picture through, for an action
        other than viewing, without a query (restrict() lets a superuser do everything)."""
        if action == VIEW:
            raise ValueError("viewing follows the partnerships: ask restrict()")
        return scope.is_superuser or (
            scope.user_id is not None
            and self.organisation_id in scope.unlimited_organisation_ids(action)
        )

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("situation:picture_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (
            self.plan_id
            and self.organisation_id
            and self.plan.organisation_id != self.organisation_id
        ):
            raise ValidationError({"plan": _("The plan belongs to another organisation.")})


class PictureSource(OrganisationOwned):
    """Källa i lägesbilden: one source the picture is built on – a statistics series, the
    police's events, the incident reports, or a qualitative source such as a
    medarbetardialog or a partner's own lägesbild – with what it showed."""

    picture = models.ForeignKey(
        SituationPicture,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("situation picture"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=SourceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    provider = models.CharField(
        _("provided by"), max_length=200, blank=True, help_text=_("E.g. Polisen, LPO Nacka.")
    )
    findings = models.TextField(_("what it shows"), blank=True)
    collected_on = models.DateField(_("collected on"), null=True, blank=True)
    series = models.ForeignKey(
        "stats.IndicatorSeries",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("statistics series"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["picture", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="picturesource_kind_valid",
                violation_error_message=_("Unknown kind of source."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="picturesource_has_title",
                violation_error_message=_("A source needs a title."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_qualitative(self) -> bool:
        return self.kind in (SourceKind.STAFF_DIALOGUE, SourceKind.PARTNER_PICTURE)

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            return Q(organisation_id__in=scope.unlimited_organisation_ids(action))
        return _shared_q(scope, action)

    def clean(self) -> None:
        super().clean()
        if (
            self.picture_id
            and self.organisation_id
            and self.picture.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"picture": _("The situation picture belongs to another organisation.")}
            )


class CoordinationFunction(OrganisationOwned):
    """Samordningsfunktion (lag 2023:196 §3): who coordinates the kommun's
    crime-prevention work, e.g. a säkerhetsstrateg at kommunledningskontoret."""

    title = models.CharField(_("function"), max_length=200, help_text=_("E.g. Säkerhetsstrateg."))
    unit = models.CharField(
        _("unit"), max_length=200, blank=True, help_text=_("E.g. Kommunledningskontoret.")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    diarienummer = models.CharField(
        _("reference number"),
        max_length=40,
        blank=True,
        validators=[diarienummer_validator],
        help_text=_("E.g. KFKS-2024-00431."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("coordination function")
        verbose_name_plural = _("coordination functions")
        ordering = ["organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                name="coordinationfunction_one_per_organisation",
                violation_error_message=_("The organisation already has a coordination function."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.unit}" if self.unit else self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            return Q(organisation_id__in=scope.unlimited_organisation_ids(action))
        return _shared_q(scope, action)


class Problem(OrganisationOwned):
    """Prioriterat problem i lägesbilden, t.ex. "Bedrägerier mot äldre", with its areas and places."""

    situation_picture = models.ForeignKey(
        SituationPicture,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("situation picture"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("1 is the highest priority."),
    )
    areas = models.ManyToManyField(
        "core.Area", blank=True, related_name="+", verbose_name=_("areas")
    )
    places = models.ManyToManyField(
        "core.Place", blank=True, related_name="+", verbose_name=_("places")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.AKTIVT
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_field = "areas"
    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("prioritised problem")
        verbose_name_plural = _("prioritised problems")
        ordering = ["situation_picture", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation_picture", "title"],
                name="problem_title_unique_per_picture",
                violation_error_message=_(
                    "The situation picture already has a problem with this title."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=99),
                name="problem_priority_1_to_99",
                violation_error_message=_("The priority must be between 1 and 99."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values),
                name="problem_status_valid",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _shared_q(scope, action, area_field=cls.area_field)

    def allows(self, scope: Scope, action: str, area_ids: Iterable[int]) -> bool:
        """Whether ``access_q(scope, action)`` lets this problem, in the areas ``area_ids``
        (its own, as read), through for an action other than viewing, without a query: a
        membership of the whole organisation, or an area-limited one sharing one of the
        problem's areas (a problem in no area is the whole organisation's)."""
        if action == VIEW:
            raise ValueError("viewing follows the partnerships: ask restrict()")
        if scope.is_superuser:
            return True
        if scope.user_id is None:
            return False
        return scope.allows(action, self.organisation_id, area_ids=area_ids, any_area=True)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("situation:problem_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (
            self.situation_picture_id
            and self.organisation_id
            and self.situation_picture.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"situation_picture": _("The situation picture belongs to another organisation.")}
            )


class ProblemStatusChange(OrganisationOwned):
    """Statusändring för ett problem: one entry in its history, e.g. "the open drug scene at
    the square is solved and removed from the list" (date, status, note, author)."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("problem")
    )
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=ProblemStatus.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=16, choices=ProblemStatus.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("problem status change")
        verbose_name_plural = _("problem status changes")
        ordering = ["problem", "-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values),
                name="problemstatuschange_status_valid",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_status_display()}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _shared_q(scope, action, area_field="problem__areas")


class CauseAnalysis(OrganisationOwned):
    """Orsaksanalys för ett prioriterat problem: brottstriangeln (offer, gärningsperson, plats)
    and the causes sorted into the bones of a fiskbensdiagram."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="cause_analyses",
        verbose_name=_("problem"),
    )
    victim = models.TextField(
        _("victim"), blank=True, help_text=_("Who is affected, and what makes them vulnerable.")
    )
    offender = models.TextField(
        _("offender"), blank=True, help_text=_("Who commits it, and what motivates them.")
    )
    place = models.TextField(
        _("place"),
        blank=True,
        help_text=_("Where and when it happens, and what about the place allows it."),
    )
    causes = models.JSONField(
        _("causes"),
        default=dict,
        blank=True,
        help_text=_("Causes per bone of the fishbone diagram."),
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("cause analysis")
        verbose_name_plural = _("cause analyses")
        ordering = ["problem", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem"],
                name="causeanalysis_one_per_problem",
                violation_error_message=_("The problem already has a cause analysis."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Cause analysis: %(problem)s") % {"problem": self.problem})

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _shared_q(scope, action, area_field="problem__areas")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if (
            self.problem_id
            and self.organisation_id
            and self.problem.organisation_id != self.organisation_id
        ):
            errors["problem"] = _("The problem belongs to another organisation.")
        causes = self.causes
        if not isinstance(causes, dict):
            errors["causes"] = _("The causes must be listed per category.")
        else:
            unknown = sorted(set(causes) - set(FishboneCategory.values))
            if unknown:
                errors["causes"] = _("Unknown category: %(names)s.") % {"names": ", ".join(unknown)}
            elif any(
                not isinstance(items, list)
                or any(not isinstance(i, str) or not i.strip() for i in items)
                for items in causes.values()
            ):
                errors["causes"] = _("Each cause must be a non-empty text.")
        if errors:
            raise ValidationError(errors)

    def causes_by_category(self) -> list[tuple[str, str, list[str]]]:
        """(key, label, causes) for every bone, in the fixed order, empty bones included."""
        return [
            (value, label, list(self.causes.get(value, [])))
            for value, label in FishboneCategory.choices
        ]


class ProblemMeasure(OrganisationOwned):
    """Koppling: a measure in the åtgärdsplan that addresses a prioritised problem.

    The law asks that the measures answer the problems of the lägesbild; a problem without a
    linked measure is flagged on the page.
    """

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="measure_links", verbose_name=_("problem")
    )
    measure = models.ForeignKey(
        "plans.Measure",
        on_delete=models.CASCADE,
        related_name="problem_links",
        verbose_name=_("measure"),
    )
    cause = models.CharField(
        _("cause addressed"),
        max_length=32,
        choices=FishboneCategory.choices,
        blank=True,
        help_text=_(
            "The bone of the cause analysis the measure works on; empty: the whole problem."
        ),
    )
    note = models.CharField(_("how it addresses the problem"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("measure for a problem")
        verbose_name_plural = _("measures for problems")
        ordering = ["problem", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "measure"],
                name="problemmeasure_unique_pair",
                violation_error_message=_("The measure is already linked to this problem."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem} → {self.measure}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _shared_q(scope, action, area_field="problem__areas")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.problem_id
            and self.organisation_id
            and self.problem.organisation_id != self.organisation_id
        ):
            errors["problem"] = _("The problem belongs to another organisation.")
        if self.measure_id and self.organisation_id:
            plan = self.measure.plan
            if (
                plan.organisation_id != self.organisation_id
                and not plan.partner_organisations.filter(pk=self.organisation_id).exists()
            ):
                errors["measure"] = _(
                    "The measure belongs to a plan that is not the organisation's own or shared "
                    "with it."
                )
        if errors:
            raise ValidationError(errors)


class IncidentCount(OrganisationOwned):
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
    category = models.ForeignKey(
        "incidents.IncidentCategory",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("category"),
    )
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("area"),
    )
    place = models.ForeignKey(
        "core.Place",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("place"),
    )
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
                fields=["organisation", "week_start", "area"], name="situation_count_org_week"
            ),
            models.Index(fields=["organisation", "month"], name="situation_count_org_month"),
            models.Index(
                fields=["organisation", "category", "day"], name="situation_count_org_cat_day"
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
        own = scope.owned_q(VIEW, area_field=IncidentReport.area_field)
        return own | Q(organisation_id__in=partner_ids(scope))


class _DerivedCount(OrganisationOwned):
    """Shared parts of the coarser pre-computed counts (see IncidentCount)."""

    day = models.DateField(_("day"))
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("area"),
    )
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
    category = models.ForeignKey(
        "incidents.IncidentCategory",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("category"),
    )
    place = models.ForeignKey(
        "core.Place",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("place"),
    )

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
            models.Index(fields=["organisation", "week_start"], name="situation_daycount_org_week"),
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
            models.Index(
                fields=["organisation", "day", "weekday", "hour"],
                name="situation_hourcount_org_day",
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


class _MonthlyCount(OrganisationOwned):
    """Shared parts of the per-month counts: the sums of the daily ones over a local month."""

    month = models.DateField(_("month"))
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("area"),
    )
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

    category = models.ForeignKey(
        "incidents.IncidentCategory",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("category"),
    )
    place = models.ForeignKey(
        "core.Place",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("place"),
    )

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


class MonthHourTotal(OrganisationOwned):
    """Förberäknat antal per månad, veckodag och timme för hela organisationen: reports per
    local month, weekday and hour over all areas (the sum of MonthHourCount over its areas).

    What the time-of-week heatmap reads for a viewer who sees every area: a tenth of the
    rows of MonthHourCount. Having no area, it cannot honour an area limit, so only viewers
    who see all of the organisation's reports may read it (members without area limits and
    partners, see :meth:`access_q`); an area-limited member reads MonthHourCount.
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
        return Q(organisation_id__in=scope.unlimited_organisation_ids(VIEW)) | Q(
            organisation_id__in=partner_ids(scope)
        )


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
