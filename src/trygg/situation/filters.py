"""The filters of the analyses: one definition for the pages, their exports and the API."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.filters import FilterSet
from trygg.core.forms import choose_from_listed
from trygg.core.models import Area, Organisation
from trygg.incidents.models import IncidentCategory
from trygg.situation import selectors
from trygg.situation.widgets import Select

MAX_DAYS = 3 * 366 + 1


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _ChoicesFollowOrganisation(FilterSet):
    """The choices follow the chosen organisation: its categories and the areas whose
    reports the user sees. A value outside them (a forged id) is a form error, not a 500."""

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, user=user, **kwargs)
        queryset = selectors.organisations_for(user)  # restricted once, read once
        organisations = list(queryset)
        choose_from_listed(self, "organisation", queryset, organisations)
        self.organisation = self._chosen(organisations)
        self.areas: list[Area] = []
        if self.organisation is None:
            return
        categories = selectors.analysis_categories(user, self.organisation)
        choose_from_listed(self, "category", categories, categories)
        self.areas = selectors.analysis_areas(user, self.organisation)
        if "area" in self.fields:
            areas = [a.pk for a in self.areas]
            choose_from_listed(
                self,
                "area",
                Area.objects.filter(pk__in=areas).order_by("name"),
                self.areas,  # analysis_areas() reads them by name
            )

    def _chosen(self, organisations) -> Organisation | None:
        wanted = str(self.data.get("organisation") or "")
        for organisation in organisations:
            if str(organisation.pk) == wanted:
                return organisation
        return selectors.default_organisation(self.user, organisations)

    def analysis(self, **choices) -> selectors.Analysis:
        """The analysis the chosen filters ask for (``choices`` override them), sharing
        the areas already read for the form."""
        choice = {"period": selectors.default_period(), **self.choices(), **choices}
        result = selectors.Analysis.of(self.user, choice)
        result.memo["areas"] = self.areas
        return result

    def value(self, name):
        """The cleaned value, or None when it is missing or was refused."""
        if not self.is_valid() and name in self.errors:
            return None
        return getattr(self, "cleaned_data", {}).get(name)


def _organisation_field():
    return forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        empty_label=None,
        widget=Select(),
    )


def _category_field():
    return forms.ModelChoiceField(
        queryset=IncidentCategory.objects.none(),
        label=_("Category"),
        empty_label=_("All"),
        widget=Select(),
    )


class AnalysisFilter(_ChoicesFollowOrganisation):
    """Organisation, period, category and area of an analysis."""

    organisation = _organisation_field()
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    category = _category_field()
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        label=_("Area"),
        empty_label=_("Whole municipality"),
        widget=Select(),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period cannot end before it starts."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("start", _("Choose a period of at most three years."))
        return data

    def period(self) -> selectors.Period:
        default = selectors.default_period()
        start = self.value("start")
        end = self.value("end")
        if start and not end:
            end = min(start + dt.timedelta(days=364), default.end)
        if end and not start:
            start = end - dt.timedelta(days=364)
        if start and end and start <= end and (end - start).days <= MAX_DAYS:
            return selectors.Period(start, end)
        return default

    def choices(self) -> dict:
        """What the analyses get: organisation, period, category and area."""
        return {
            "organisation": self.organisation,
            "period": self.period(),
            "category": self.value("category"),
            "area": self.value("area"),
        }


class WeekInput(forms.TextInput):
    input_type = "week"


class WeeklyFilter(_ChoicesFollowOrganisation):
    """The weekly picture: organisation, ISO week and category."""

    organisation = _organisation_field()
    week = forms.CharField(label=_("Week"), widget=WeekInput(), max_length=10)
    category = _category_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].widget.attrs["placeholder"] = selectors.week_param(
            selectors.last_complete_week()
        )

    def choices(self) -> dict:
        return {
            "organisation": self.organisation,
            "week_start": self.week_start(),
            "category": self.value("category"),
        }

    def clean_week(self):
        text = self.cleaned_data.get("week") or ""
        if not text:
            return None
        try:
            monday = selectors.parse_week(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Give the week as year and week number, e.g. 2024-W12.")
            ) from exc
        if monday > selectors.today():
            raise forms.ValidationError(_("The week has not started yet."))
        return monday

    def week_start(self):
        return self.value("week") or selectors.last_complete_week()
