"""Filters of the stats lists: one definition for the page, the API and the export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW
from trygg.core.filters import FilterSet
from trygg.core.forms import area_choices
from trygg.core.models import Area, Organisation
from trygg.stats.choices import MeasureType, SeriesKind, Unit


class SeriesFilter(FilterSet):
    q = forms.CharField(label=_("Search"))
    kind = forms.ChoiceField(label=_("Kind"))
    unit = forms.ChoiceField(label=_("Unit"))
    measure_type = forms.ChoiceField(label=_("Measure type"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    lookups = {
        "kind": "kind",
        "unit": "unit",
        "measure_type": "measure_type",
        "organisation": "organisation",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *SeriesKind.choices]
        self.fields["unit"].choices = [("", "—"), *Unit.choices]
        self.fields["measure_type"].choices = [("", "—"), *MeasureType.choices]
        self.fields["organisation"].queryset = Organisation.objects.restrict(self.user, VIEW)

    def filter_q(self, queryset, value):
        return queryset.filter(name__icontains=value) | queryset.filter(source__icontains=value)


class ObservationFilter(FilterSet):
    """Filters of a series' values. ``series`` is set by the view, not by the user."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    category = forms.CharField(label=_("Category"))
    period_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    missing = forms.ChoiceField(
        label=_("Values"),
        choices=[("", _("All")), ("missing", _("Only missing")), ("present", _("Only present"))],
    )
    lookups = {
        "area": "area",
        "category": "category__icontains",
        "period_from": "period_start__gte",
        "period_to": "period_end__lte",
    }

    def __init__(self, *args, series=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = area_choices(Area.objects.restrict(self.user, VIEW))
        if series is not None:
            areas = areas.filter(pk__in=series.observations.values("area_id"))
        self.fields["area"].queryset = areas.order_by("name")

    def filter_missing(self, queryset, value):
        if value == "missing":
            return queryset.filter(value__isnull=True)
        if value == "present":
            return queryset.filter(value__isnull=False)
        return queryset
