"""Filters for budgets, budget lines and funding: one definition for page, API and export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.budget.choices import FundingSource
from trygg.core.access import VIEW
from trygg.core.filters import FilterSet
from trygg.core.models import Organisation


class BudgetFilter(FilterSet):
    q = forms.CharField(label=_("Search"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    lookups = {"q": "name__icontains", "year": "year", "organisation": "organisation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.budget.models import Budget

        self.fields["organisation"].queryset = Organisation.objects.filter(
            id__in=Budget.objects.restrict(self.user, VIEW).values("organisation_id")
        )


class BudgetLineFilter(FilterSet):
    budget = forms.IntegerField(label=_("Budget"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Search"))
    lookups = {"budget": "budget_id", "year": "budget__year", "q": "name__icontains"}


class FundingFilter(FilterSet):
    measure = forms.IntegerField(label=_("Measure"))
    budget_line = forms.IntegerField(label=_("Budget line"))
    source = forms.ChoiceField(
        label=_("Funding source"), choices=[("", "—"), *FundingSource.choices]
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    lookups = {
        "measure": "measure_id",
        "budget_line": "budget_line_id",
        "source": "source",
        "year": "year",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
