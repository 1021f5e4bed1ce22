"""Indicator series and their observations: reported crime, surveys, population.

Categories (e.g. Brå's crime categories) are kept as text with an optional code and the
code of the parent category on each observation, instead of a separate category model:
a series is imported from one file at a time, the file carries the hierarchy on every row,
and keeping it on the row means an observation always shows the category exactly as its
source named it. The hierarchy is browsed with selectors.category_tree(). Sub-categories
("därav …") are subsets of their parent and are never added up.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW, Scope
from trygg.core.models import OrganisationOwned, Partnership
from trygg.stats.choices import MeasureType, SeriesKind, Unit


def _owner_or_partner_q(scope: Scope, action: str, public_field: str) -> Q:
    """Own organisation's rows; for viewing also the rows of its partners and public series.

    Statistics are not secret inside a samverkan: a partner (the lokalpolisområde) reads
    the kommun's series to build the shared lägesbild. A series marked public (official
    figures such as Brå's, shared as example data) is readable by every signed-in user,
    without a partnership that would also open the organisations' other data. Only the
    owner changes a series.
    """
    own = scope.organisation_ids(action)
    if action == VIEW:
        # The rule of Partnership.partner_ids, as subqueries: no extra queries per read.
        today = timezone.localdate()
        current = Partnership.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        forward = current.filter(organisation_id__in=own).values("partner_id")
        backward = current.filter(partner_id__in=own).values("organisation_id")
        return (
            Q(organisation_id__in=own)
            | Q(organisation_id__in=forward)
            | Q(organisation_id__in=backward)
            | Q(**{public_field: True})
        )
    return Q(organisation_id__in=scope.unlimited_organisation_ids(action))


class IndicatorSeries(OrganisationOwned):
    """Indikatorserie: anmälda brott, trygghetsmätning, medborgarundersökning, folkmängd …

    A series holds values of one unit from one source; the values are its observations.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SeriesKind.choices)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("E.g. Brå, anmälda brott.")
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    measure_type = models.CharField(
        _("measure type"),
        max_length=16,
        choices=MeasureType.choices,
        default=MeasureType.COUNT,
        help_text=_(
            "Count, rate, share, index, net figure or amount. Trend verdicts are given for "
            "counts only."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Official figures that every signed-in user may read, e.g. example data from Brå."
        ),
    )
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator series")
        verbose_name_plural = _("indicator series")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="stats_series_name_unique_per_organisation",
                violation_error_message=_("The organisation already has a series with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        """Counts of events ("antal"): the only series that get the Poisson trend verdict,
        rates per 1 000 inhabitants and totals of parts."""
        return self.measure_type == MeasureType.COUNT and self.unit == Unit.COUNT

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _owner_or_partner_q(scope, action, "is_public")


class Observation(OrganisationOwned):
    """Observation (värde): one value of a series for an area, a period and a category.

    A suppressed or missing value is kept as ``value=None`` with its ``symbol`` (".."),
    never as 0; 0 is a real zero.
    """

    series = models.ForeignKey(
        IndicatorSeries,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("series"),
    )
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period"), max_length=40)
    category = models.CharField(_("category"), max_length=300, blank=True)
    category_code = models.CharField(_("category code"), max_length=40, blank=True)
    category_parent_code = models.CharField(_("parent category code"), max_length=40, blank=True)
    category_level = models.PositiveSmallIntegerField(_("category level"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    symbol = models.CharField(
        _("symbol"),
        max_length=40,
        blank=True,
        help_text=_('Why a value is missing or uncertain, e.g. ".." or "preliminär".'),
    )
    preliminary = models.BooleanField(_("preliminary"), default=False)
    per_100k = models.DecimalField(
        _("per 100 000 inhabitants"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    comparison_value = models.DecimalField(
        _("national value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Only when it differs from the series' source."),
    )
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["series", "period_start", "area__name", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "area", "category", "period_start", "period_end"],
                name="stats_observation_unique_key",
                violation_error_message=_(
                    "The series already has a value for this area, category and period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="stats_observation_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(sample_size__isnull=True) | Q(sample_size__gt=0),
                name="stats_observation_sample_size_positive",
                violation_error_message=_("The sample size must be at least 1."),
            ),
        ]
        indexes = [
            models.Index(fields=["series", "area", "period_start"]),
            models.Index(fields=["area", "period_start"]),
        ]

    def __str__(self) -> str:
        parts = [str(self.series), self.period_label]
        if self.category:
            parts.append(self.category)
        return " – ".join(parts)

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return _owner_or_partner_q(scope, action, "series__is_public")

    def clean(self) -> None:
        super().clean()
        if (
            self.series_id
            and self.organisation_id
            and (self.series.organisation_id != self.organisation_id)
        ):
            raise ValidationError(
                {"series": _("A value belongs to the organisation that owns its series.")}
            )
