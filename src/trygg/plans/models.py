"""Plans (planer för samverkan, åtgärdsplaner …), their focus areas, activities and measures.

A plan is owned by one organisation (usually the kommun) and may be shared with partner
organisations (usually the lokalpolisområde) that are in a current partnership with it.
Members of a partner may view the whole plan and may change the measures their
organisation is responsible for (typically to report status).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.core.access import CHANGE, DELETE, VIEW, Scope
from trygg.core.models import OrganisationOwned
from trygg.plans.choices import (
    Comparison,
    PlanKind,
    PlanState,
    PreventionType,
    StatusCategory,
    TargetPeriod,
    TargetSource,
)

DIARIENUMMER_RE = r"^[A-ZÅÄÖ]{2,10}[- ]\d{4}[-/ ]\d{1,6}$"

diarienummer_validator = RegexValidator(
    DIARIENUMMER_RE,
    _("Enter a reference number like KFKS-2024-00431 (letters, year, number)."),
)

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]

STATUS = "status"
"""The action "report the status of a measure, with a note" (rapportera status).

What a partner organisation may write is stated here and nowhere else: a partner reports
the status (with its progress and a note) of the measures its organisation is responsible
for – nothing more. It does not change a measure's title, content, responsible parties,
dates, places, targets or outcomes; those need ``CHANGE``, which only the owner's members
have. Every path – the forms, the API, the plan import – goes through services that check
``STATUS`` for a status report and ``CHANGE`` for anything else."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _plan_partner_q(scope: Scope, path: str) -> Q:
    """Rows of plans shared with an organisation the user may view for."""
    return Q(**{f"{path}partner_organisations__in": scope.organisation_ids(VIEW)})


class MeasureStatus(OrganisationOwned):
    """Status för en åtgärd (ej påbörjad, pågående, slutförd, inställd), editable per organisation.

    Each status belongs to a category, which is what roll-ups count; the default progress is
    used for a measure that has no progress of its own.
    """

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=16, choices=StatusCategory.choices)
    default_progress = models.PositiveSmallIntegerField(
        _("default progress %"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Empty for statuses that do not count towards progress (cancelled)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("measure status")
        verbose_name_plural = _("measure statuses")
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="measure_status_name_unique_per_organisation",
                violation_error_message=_("The organisation already has a status with this name."),
            ),
            models.CheckConstraint(
                condition=Q(default_progress__isnull=True) | Q(default_progress__lte=100),
                name="measure_status_default_progress_percent",
                violation_error_message=_("The default progress must be between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        own = scope.organisation_ids(action)
        if action == VIEW:
            # Partners report status on shared plans, so they must see the owner's statuses.
            return Q(organisation_id__in=own | scope.partner_ids())
        # Statuses are configuration: only the roles that may also delete (samordnare,
        # administrator), without area limits, change them.
        return Q(organisation_id__in=scope.unlimited_organisation_ids(DELETE))


class Plan(OrganisationOwned):
    """Plan: plan för samverkan, åtgärdsplan (lag 2023:196), medborgarlöfte, insatsregister …"""

    kind = models.CharField(
        _("kind"), max_length=32, choices=PlanKind.choices, default=PlanKind.PLAN_FOR_SAMVERKAN
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    partner_organisations = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="partner_plans",
        verbose_name=_("partner organisations"),
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PlanState.choices, default=PlanState.UTKAST
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.CharField(
        _("decided by"), max_length=200, blank=True, help_text=_("E.g. Kommunstyrelsen.")
    )
    diarienummer = models.CharField(
        _("reference number"),
        max_length=40,
        blank=True,
        validators=[diarienummer_validator],
        help_text=_("E.g. KFKS-2024-00431."),
    )
    evaluation_interval_months = models.PositiveSmallIntegerField(
        _("evaluated every (months)"), default=12, validators=[MinValueValidator(1)]
    )
    revision_interval_months = models.PositiveSmallIntegerField(
        _("revised at least every (months)"), default=24, validators=[MinValueValidator(1)]
    )
    last_evaluated_on = models.DateField(_("last evaluated"), null=True, blank=True)
    last_revised_on = models.DateField(_("last revised"), null=True, blank=True)
    statuses_are_demo = models.BooleanField(
        _("statuses are demo data"),
        default=False,
        help_text=_("Shows a notice that the statuses of the measures are invented."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="plan_ends_after_start",
                violation_error_message=_("The plan cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(evaluation_interval_months__gte=1) & Q(revision_interval_months__gte=1),
                name="plan_review_intervals_positive",
                violation_error_message=_("Review intervals must be at least one month."),
            ),
            models.CheckConstraint(
                condition=~Q(state=PlanState.BESLUTAD) | Q(decided_on__isnull=False),
                name="plan_decided_has_date",
                violation_error_message=_("A decided plan needs a decision date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            # The plan as a whole is changed only by members not limited to some areas.
            return Q(organisation_id__in=scope.unlimited_organisation_ids(action))
        return scope.owned_q(VIEW) | _plan_partner_q(scope, "")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def next_evaluation_on(self) -> dt.date | None:
        base = self.last_evaluated_on or self.decided_on or self.starts_on
        return add_months(base, self.evaluation_interval_months) if base else None

    @property
    def next_revision_on(self) -> dt.date | None:
        base = self.last_revised_on or self.decided_on or self.starts_on
        return add_months(base, self.revision_interval_months) if base else None

    @property
    def next_review_on(self) -> dt.date | None:
        """The next evaluation or revision, whichever comes first."""
        dates = [d for d in (self.next_evaluation_on, self.next_revision_on) if d]
        return min(dates) if dates else None

    @property
    def review_rule(self) -> str:
        from django.utils.translation import gettext, ngettext

        evaluation = self.evaluation_interval_months
        revision = self.revision_interval_months
        first = (
            gettext("evaluated yearly")
            if evaluation == 12
            else ngettext("evaluated every month", "evaluated every %(n)d months", evaluation)
            % {"n": evaluation}
        )
        second = (
            gettext("revised at least every other year")
            if revision == 24
            else ngettext(
                "revised at least every month", "revised at least every %(n)d months", revision
            )
            % {"n": revision}
        )
        return f"{first}, {second}"


class FocusArea(OrganisationOwned):
    """Prioriterat samverkansområde (fokusområde) i en plan, med syfte och mål."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            return Q(organisation_id__in=scope.unlimited_organisation_ids(action))
        return scope.owned_q(VIEW) | _plan_partner_q(scope, "plan__")


class Activity(OrganisationOwned):
    """Aktivitet i en plan, t.ex. "Krogkontroller"; it groups one or more measures."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    focus_area = models.ForeignKey(
        FocusArea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("focus area"),
    )
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action != VIEW:
            return Q(organisation_id__in=scope.unlimited_organisation_ids(action))
        return scope.owned_q(VIEW) | _plan_partner_q(scope, "plan__")

    def clean(self) -> None:
        super().clean()
        if self.focus_area_id and self.plan_id and self.focus_area.plan_id != self.plan_id:
            raise ValidationError({"focus_area": _("The focus area belongs to another plan.")})


class Measure(OrganisationOwned):
    """Åtgärd (insats) i en plan för samverkan: utmaning, åtgärd, ansvariga och status."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("title"), max_length=300)
    challenge = models.TextField(_("challenge"), blank=True)
    action = models.TextField(pgettext_lazy("measure", "action"), blank=True)
    action_items = models.JSONField(_("action items"), default=list, blank=True)
    status = models.ForeignKey(
        MeasureStatus, on_delete=models.PROTECT, related_name="measures", verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(
        _("progress %"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Leave empty to use the status's default."),
    )
    prevention_type = models.CharField(
        _("kind of prevention"), max_length=16, choices=PreventionType.choices, blank=True
    )
    areas = models.ManyToManyField(
        "core.Area", blank=True, related_name="+", verbose_name=_("areas")
    )
    places = models.ManyToManyField(
        "core.Place", blank=True, related_name="+", verbose_name=_("places")
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("What was achieved."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_field = "areas"
    access_q_is_multivalued = True
    # The plan page's plain lists (plans.selectors.plan_view), set on the instances it reads.
    responsible_list: Sequence[MeasureResponsible | ResponsibleName]
    target_list: list[Target]
    area_ids: list[int]

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="measure_progress_percent",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_after_start",
                violation_error_message=_("The measure cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action == STATUS:
            # Whoever may change the measure, and a partner on the measures its own
            # organisation is responsible for. Only members without area limits: an
            # area-limited member of the owner must not reach measures outside their areas
            # just because "Kommun" is responsible.
            return scope.owned_q(CHANGE, area_field=cls.area_field) | Q(
                responsibles__organisation_ref__in=scope.unlimited_organisation_ids(CHANGE)
            )
        q = scope.owned_q(action, area_field=cls.area_field)
        if action == VIEW:
            q |= _plan_partner_q(scope, "plan__")
        return q

    @classmethod
    def allowed(
        cls,
        scope: Scope,
        organisation_id: int,
        area_ids: Sequence[int],
        responsible_ids: Sequence[int],
    ) -> dict[str, bool]:
        """Whether the scope may change, report the status of and delete one measure (of
        ``organisation_id``, in ``area_ids``, with the responsible organisations
        ``responsible_ids``), by the same rule as :meth:`access_q`, without a query."""
        if scope.user_id is None:
            return {CHANGE: False, STATUS: False, DELETE: False}

        def allows(action: str) -> bool:
            return scope.allows(action, organisation_id, area_ids=area_ids, any_area=True)

        can_change = allows(CHANGE)
        responsible = bool(set(responsible_ids) & scope.unlimited_organisation_ids(CHANGE))
        return {
            CHANGE: can_change,
            STATUS: can_change or scope.is_superuser or responsible,
            DELETE: allows(DELETE),
        }

    @classmethod
    def status_reportable(cls, scope: Scope, responsible_organisations: set[int]) -> bool | None:
        """Whether the scope may report the status of some measure for which the
        ``responsible_organisations`` are responsible, when the scope alone answers it (by
        :meth:`access_q` for STATUS); None when only the measures' areas can tell."""
        if responsible_organisations & scope.unlimited_organisation_ids(CHANGE):
            return True
        if not scope.organisation_ids(CHANGE):
            return False
        return None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:measure_detail", args=[self.pk])

    @property
    def effective_progress(self) -> int | None:
        """The measure's own progress, or its status's default (None for cancelled)."""
        if self.status.category == StatusCategory.CANCELLED:
            return None
        if self.progress is not None:
            return self.progress
        return self.status.default_progress

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.activity_id and self.plan_id and self.activity.plan_id != self.plan_id:
            errors["activity"] = _("A measure must belong to an activity of the same plan.")
        if (
            self.status_id
            and self.plan_id
            and self.status.organisation_id != self.plan.organisation_id
        ):
            errors["status"] = _("The status belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class MeasureResponsible(OrganisationOwned):
    """Ansvarig för en åtgärd: an organisation (if known) and its unit, e.g. "Kommun/Socialtjänst"."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="responsibles", verbose_name=_("measure")
    )
    organisation_ref = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measure_responsibilities",
        verbose_name=_("responsible organisation"),
    )
    label = models.CharField(
        _("party"), max_length=300, help_text=_("As written in the plan, e.g. Kommun or Polis.")
    )
    unit = models.CharField(_("unit"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("responsible party")
        verbose_name_plural = _("responsible parties")
        ordering = ["measure", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(label=""),
                name="measure_responsible_has_label",
                violation_error_message=_("A responsible party needs a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return f"{self.label}/{self.unit}" if self.unit else self.label

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _via_measure(scope, action, "measure")


class ResponsibleName(NamedTuple):
    """A responsible party as the plan page shows it, read as values (no model object)."""

    label: str
    unit: str
    organisation_ref_id: int | None

    @property
    def display(self) -> str:
        return f"{self.label}/{self.unit}" if self.unit else self.label


def _via_measure(scope: Scope, action: str, path: str) -> Q:
    """Rows that hang off a measure are visible exactly when the measure is."""
    q = scope.owned_q(action)
    if action == VIEW:
        measures = Measure._default_manager.filter(Measure.access_q(scope, VIEW)).values("pk")
        q = Q(**{f"{path}__in": measures})
    return q


class StatusUpdate(OrganisationOwned):
    """Statusuppdatering: one entry in a measure's timeline (date, status, note, author)."""

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="status_updates",
        verbose_name=_("measure"),
    )
    on = models.DateField(_("date"))
    status = models.ForeignKey(
        MeasureStatus, on_delete=models.PROTECT, related_name="+", verbose_name=_("status")
    )
    previous_status = models.ForeignKey(
        MeasureStatus,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("previous status"),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress %"), null=True, blank=True, validators=PERCENT
    )
    previous_progress = models.PositiveSmallIntegerField(
        _("previous progress %"), null=True, blank=True, validators=PERCENT
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

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["measure", "-on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="status_update_progress_percent",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.status}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _via_measure(scope, action, "measure")


class Target(OrganisationOwned):
    """Mål / indikator för en åtgärd, t.ex. "minst 2 krogkontroller per år"."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="targets", verbose_name=_("measure")
    )
    description = models.CharField(_("description"), max_length=300)
    comparison = models.CharField(
        _("comparison"), max_length=16, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=100, blank=True, help_text=_("E.g. controls."))
    period = models.CharField(
        _("period"), max_length=16, choices=TargetPeriod.choices, default=TargetPeriod.YEAR
    )
    source = models.CharField(
        _("outcome from"),
        max_length=16,
        choices=TargetSource.choices,
        default=TargetSource.TYPED,
        help_text=_(
            "What Trygg can count, it counts: held meetings, an indicator series or incident "
            "reports. Other outcomes are entered by hand."
        ),
    )
    forums = models.ManyToManyField(
        "forums.Forum",
        blank=True,
        related_name="targets",
        verbose_name=_("forums"),
        help_text=_("The forums whose held meetings are counted."),
    )
    per_forum = models.BooleanField(
        _("each forum separately"),
        default=False,
        help_text=_('For targets such as "at least 6 meetings per working group".'),
    )
    series = models.ForeignKey(
        "stats.IndicatorSeries",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("indicator series"),
    )
    series_category = models.CharField(_("category in the series"), max_length=300, blank=True)
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The area the series or the reports are read for; empty: the whole kommun."),
    )
    report_category = models.ForeignKey(
        "incidents.IncidentCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("report category"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["measure", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=TargetSource.values),
                name="target_source_valid",
                violation_error_message=_("Unknown source of the outcome."),
            ),
            models.CheckConstraint(
                condition=~Q(source=TargetSource.INDICATOR) | Q(series__isnull=False),
                name="target_indicator_has_series",
                violation_error_message=_("A target read from a series needs the series."),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _via_measure(scope, action, "measure")

    @property
    def is_computed(self) -> bool:
        """Trygg computes the outcome; nobody types it."""
        return self.source != TargetSource.TYPED

    def is_met_by(self, actual) -> bool:
        if self.comparison == Comparison.AT_LEAST:
            return actual >= self.value
        if self.comparison == Comparison.AT_MOST:
            return actual <= self.value
        return actual == self.value


class Outcome(OrganisationOwned):
    """Utfall för ett mål under en period (t.ex. 2023: 3 krogkontroller)."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("target")
    )
    period_start = models.DateField(_("period starts"))
    period_label = models.CharField(_("period"), max_length=40)
    actual = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["target", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period_start"],
                name="outcome_unique_per_target_and_period",
                violation_error_message=_("This target already has an outcome for the period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.actual}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _via_measure(scope, action, "target__measure")

    @property
    def is_met(self) -> bool:
        return self.target.is_met_by(self.actual)
