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


# The count tables live in their own module; importing it here registers them with the app.
from trygg.situation.count_models import (  # noqa: E402, F401
    CountWatermark,
    DayCount,
    HourCount,
    IncidentCount,
    MonthCount,
    MonthHourCount,
    MonthHourRunning,
    MonthHourTotal,
    StaleDay,
)
