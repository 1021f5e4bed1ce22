"""The safety budget (trygghetspaket): budgets, budget lines and the funding of measures.

Money is stored exactly, as ``Decimal`` kronor with öre (never float). Totals are never
stored: every sum is computed from the lines by the selectors, so a changed outcome changes
every total at once.

Who may do what: the budget is the organisation's own business. Everyone in the
organisation (also a working group limited to one kommundel) may read it, because the
budget is a public decision; only members with a role over the whole organisation may
change it, so that an area-limited working group cannot move the kommun's money.
Partners (the police) do not see it.
"""

from __future__ import annotations

from typing import TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.budget.choices import FundingSource, MeasureTagKind
from trygg.core.access import VIEW, Scope
from trygg.core.models import OrganisationOwned
from trygg.plans.models import diarienummer_validator


class _Money(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _Money = {"max_digits": 14, "decimal_places": 2}
YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


def budget_readable(scope: Scope, organisation_id: int) -> bool:
    """Whether the scope may read an organisation's budget data (as ``_budget_access_q``
    for VIEW), without a query."""
    return scope.is_superuser or organisation_id in scope.organisation_ids(VIEW)


def _budget_access_q(scope: Scope, action: str) -> Q:
    """Read: anyone in the organisation. Write: only members not limited to an area."""
    if action == VIEW:
        return Q(organisation_id__in=scope.organisation_ids(VIEW))
    return Q(organisation_id__in=scope.unlimited_organisation_ids(action))


class Budget(OrganisationOwned):
    """Trygghetspaket: an organisation's safety budget for one year and its decided frame (ram)."""

    name = models.CharField(_("name"), max_length=200, default="Trygghetspaketet")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEARS)
    frame = models.DecimalField(
        _("frame"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("The amount decided for the year, e.g. 5 000 000. Empty if not yet decided."),
    )
    decided_by = models.CharField(
        _("decided by"), max_length=200, blank=True, help_text=_("E.g. Kommunfullmäktige.")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    diarienummer = models.CharField(
        _("reference number"),
        max_length=40,
        blank=True,
        validators=[diarienummer_validator],
        help_text=_("E.g. KFKS-2024-00430."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "year"],
                name="budget_unique_per_organisation_name_year",
                violation_error_message=_(
                    "The organisation already has a budget with this name for the year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(frame__isnull=True) | Q(frame__gte=0),
                name="budget_frame_not_negative",
                violation_error_message=_("The frame cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="budget_year_plausible",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _budget_access_q(scope, action)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("budget:budget_detail", args=[self.pk])

    @property
    def next_year(self) -> int:
        return self.year + 1


class BudgetLine(OrganisationOwned):
    """Budgetpost i trygghetspaketet: budget, utfall and next year's förslag for one purpose."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("budget"), **MONEY, default=0)
    outcome = models.DecimalField(
        _("outcome"), **MONEY, null=True, blank=True, help_text=_("Empty until it is known.")
    )
    proposal = models.DecimalField(_("proposal for next year"), **MONEY, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "name"],
                name="budget_line_name_unique_per_budget",
                violation_error_message=_("The budget already has a line with this name."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_line_amount_not_negative",
                violation_error_message=_("The budget of a line cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(outcome__gte=0),
                name="budget_line_outcome_not_negative",
                violation_error_message=_("The outcome of a line cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(proposal__isnull=True) | Q(proposal__gte=0),
                name="budget_line_proposal_not_negative",
                violation_error_message=_("The proposal of a line cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _budget_access_q(scope, action)

    def clean(self) -> None:
        super().clean()
        if self.budget_id and self.organisation_id != self.budget.organisation_id:
            raise ValidationError(_("A budget line belongs to the organisation of its budget."))


class MeasureFunding(OrganisationOwned):
    """Finansiering av en insats: its cost from one funding source (or trygghetspaket line)."""

    measure = models.ForeignKey(
        "plans.Measure",
        on_delete=models.CASCADE,
        related_name="fundings",
        verbose_name=_("measure"),
    )
    source = models.CharField(_("funding source"), max_length=32, choices=FundingSource.choices)
    budget_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        # A line that pays for measures cannot disappear under them.
        on_delete=models.PROTECT,
        related_name="fundings",
        verbose_name=_("budget line"),
    )
    amount = models.DecimalField(
        _("amount"),
        **MONEY,
        null=True,
        blank=True,
        # A source is often known before its amount (a skrivelse names who pays, not how
        # much); an unknown amount is empty, never a made-up zero.
        help_text=_("The cost paid from this source. Empty when the amount is not known."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEARS)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["measure", "year", "source", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="measure_funding_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="measure_funding_year_plausible",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=(Q(source=FundingSource.TRYGGHETSPAKET) & Q(budget_line__isnull=False))
                | (~Q(source=FundingSource.TRYGGHETSPAKET) & Q(budget_line__isnull=True)),
                name="measure_funding_line_iff_safety_package",
                violation_error_message=_(
                    "Choose a budget line when the money comes from the safety package, "
                    "and only then."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.get_source_display()} {self.year}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _budget_access_q(scope, action)

    @property
    def source_label(self) -> str:
        if self.budget_line_id:
            return f"{self.get_source_display()}: {self.budget_line.name}"
        return str(self.get_source_display())

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.measure_id and self.organisation_id != self.measure.organisation_id:
            errors["measure"] = _("The funding belongs to the organisation of the measure.")
        line = self.budget_line if self.budget_line_id else None
        if line is not None:
            if line.organisation_id != self.organisation_id:
                errors["budget_line"] = _("The budget line belongs to another organisation.")
            elif self.year and line.budget.year != self.year:
                errors["budget_line"] = _("The budget line is for %(line)s, not %(year)s.") % {
                    "line": line.budget.year,
                    "year": self.year,
                }
        if errors:
            raise ValidationError(errors)


class MeasureTag(OrganisationOwned):
    """Kategori för en insats, e.g. "kompetensutveckling för personal", used by the reports.

    The plan records what a measure is, where and for whom; a few questions asked of the
    budget (which measures trained staff?) need one more mark, kept here so that the plan's
    own fields stay as the plan document writes them.
    """

    measure = models.ForeignKey(
        "plans.Measure", on_delete=models.CASCADE, related_name="tags", verbose_name=_("measure")
    )
    kind = models.CharField(_("category"), max_length=32, choices=MeasureTagKind.choices)

    class Meta:
        verbose_name = _("measure category")
        verbose_name_plural = _("measure categories")
        ordering = ["measure", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind"],
                name="measure_tag_unique",
                violation_error_message=_("The measure already has this category."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.get_kind_display()}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _budget_access_q(scope, action)
