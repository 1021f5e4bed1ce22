"""Forms of the stats app. Errors are shown in Swedish next to the field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.access import ADD, VIEW, organisations_for
from trygg.core.choices import AreaKind
from trygg.core.forms import area_choices, choice_field, choose_by_label
from trygg.core.models import Area, Organisation
from trygg.stats.choices import MeasureType, SeriesKind, Unit

THIS_YEAR = dt.date.today().year

MEASURE_TYPE_HELP = _(
    "What the figures are. The increase/decrease verdict is only given for counts; rates, "
    "shares, indices, net figures (e.g. excess of migration) and amounts show the change only."
)
#: The choice of the PX mapping page for "the whole country" (riket, code 00).
NATIONAL_CHOICE = "national"


def writable_organisations(user, action=ADD):
    """Organisations whose statistics the user may write (memberships not limited to areas)."""
    return (
        Organisation.objects.restrict(user, action)
        .filter(pk__in=organisations_for(user, action))
        .order_by("name")
    )


def _areas(user):
    return area_choices(
        Area.objects.restrict(user, VIEW).exclude(kind=AreaKind.LAN).order_by("kind", "name")
    )


class OrganisationForm(forms.Form):
    """A form whose first field is the organisation the data belongs to; with only one
    choice (the usual case) it is preselected."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = writable_organisations(user)
        choose_by_label(self, "organisation", choices)
        if not self.is_bound:
            first_two = list(choices.values_list("pk", flat=True)[:2])
            if len(first_two) == 1:
                self.fields["organisation"].initial = first_two[0]


class SeriesForm(OrganisationForm):
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=SeriesKind.choices, label=_("Kind"))
    unit = forms.ChoiceField(choices=Unit.choices, label=_("Unit"))
    measure_type = forms.ChoiceField(
        choices=[("", _("— as the unit implies —")), *MeasureType.choices],
        required=False,
        label=_("Measure type"),
        help_text=MEASURE_TYPE_HELP,
    )
    source = forms.CharField(max_length=300, required=False, label=_("Source"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )
    is_public = forms.BooleanField(
        required=False,
        label=_("Public: every signed-in user may read it (official figures)"),
    )


class SeriesEditForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    measure_type = forms.ChoiceField(
        choices=MeasureType.choices,
        required=False,
        label=_("Measure type"),
        help_text=MEASURE_TYPE_HELP,
    )
    source = forms.CharField(max_length=300, required=False, label=_("Source"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )
    is_public = forms.BooleanField(
        required=False,
        label=_("Public: every signed-in user may read it (official figures)"),
    )


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", THIS_YEAR + 1)
        kwargs.setdefault("label", _("Year"))
        super().__init__(**kwargs)


class AreaFormMixin:
    def limit_areas(self, user):
        choose_by_label(self, "area", _areas(user))


class PopulationForm(AreaFormMixin, OrganisationForm):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    year = YearField()
    count = forms.IntegerField(min_value=0, label=_("Population"))
    source = forms.CharField(
        max_length=300,
        required=False,
        initial="SCB folkmängd 31 dec",
        label=_("Source"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.limit_areas(user)


class SurveyValueForm(AreaFormMixin, OrganisationForm):
    indicator = forms.CharField(
        max_length=200,
        label=_("Indicator"),
        help_text=_("E.g. Trygg utomhus när det är mörkt."),
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    year = YearField()
    value = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, label=_("Value (%)"))
    sample_size = forms.IntegerField(min_value=1, required=False, label=_("Sample size"))
    comparison_value = forms.DecimalField(
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        label=_("National value (%)"),
    )
    source = forms.CharField(
        max_length=300,
        required=False,
        label=_("Source"),
        help_text=_("E.g. SCB:s medborgarundersökning or Polisens trygghetsmätning."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.limit_areas(user)
        for name in ("value", "comparison_value"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True


class ImportForm(OrganisationForm):
    file = forms.FileField(label=_("File"))


class BraImportForm(ImportForm):
    series_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Series"),
        help_text=_(
            "Leave empty for the default name. Re-importing into the same series "
            "updates only what changed."
        ),
    )
    is_public = forms.BooleanField(
        required=False,
        label=_("Public: every signed-in user may read it (official figures)"),
    )


class BraYearlyImportForm(BraImportForm):
    kommun = forms.CharField(
        max_length=100,
        required=False,
        label=_("Municipality"),
        help_text=_("Only needed when the file has no row for the whole municipality."),
    )


class SurveyImportForm(ImportForm):
    source = forms.CharField(
        max_length=300,
        required=False,
        label=_("Source"),
        help_text=_("E.g. SCB:s medborgarundersökning."),
    )


class PopulationImportForm(ImportForm):
    source = forms.CharField(
        max_length=300,
        required=False,
        initial="SCB folkmängd 31 dec",
        label=_("Source"),
    )


class PxImportForm(BraImportForm):
    pass


class PxMappingForm(forms.Form):
    """Step 2 of a PX import: which variable is the area, which the period, which the
    categories. The choices are the table's own variables."""

    series_name = forms.CharField(max_length=200, label=_("Series"))
    area_variable = forms.ChoiceField(required=False, label=_("Area variable"))
    area = forms.ChoiceField(
        required=False,
        label=_("Area of the whole table"),
        help_text=_(
            "Only when the table has no region variable. SCB's tables without one are "
            "usually national figures: choose your own area only if the table describes it."
        ),
    )
    period_variable = forms.ChoiceField(label=_("Period variable"))
    category_variables = forms.MultipleChoiceField(
        required=False,
        label=_("Category variables"),
        widget=forms.CheckboxSelectMultiple,
    )
    unit = forms.ChoiceField(choices=Unit.choices, label=_("Unit"))
    measure_type = forms.ChoiceField(
        choices=MeasureType.choices,
        required=False,
        label=_("Measure type"),
        help_text=MEASURE_TYPE_HELP,
    )
    kind = forms.ChoiceField(choices=SeriesKind.choices, label=_("Kind"))

    def __init__(self, *args, user, variables: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v, v) for v in variables]
        self.variables = variables
        choice_field(self, "area_variable").choices = [("", _("— none —")), *choices]
        choice_field(self, "period_variable").choices = choices
        choice_field(self, "category_variables").choices = choices
        # Riket first (and by default); it may not exist as an area yet, the import makes it.
        areas = _areas(user).exclude(kind=AreaKind.OMRADE, code="00", organisation__isnull=True)
        choice_field(self, "area").choices = [
            ("", "—"),
            (NATIONAL_CHOICE, _("Riket (the whole country, code 00)")),
            *[(str(a.pk), a.name) for a in areas],
        ]

    def clean(self):
        data = super().clean()
        area_var = data.get("area_variable") or None
        period_var = data.get("period_variable")
        categories = [
            v for v in data.get("category_variables") or [] if v not in (area_var, period_var)
        ]
        if area_var and area_var == period_var:
            self.add_error(
                "period_variable", _("The period cannot be the same variable as the area.")
            )
        if not area_var and not data.get("area"):
            self.add_error("area", _("Choose the area the table describes."))
        left_over = [v for v in self.variables if v not in (area_var, period_var, *categories)]
        if left_over:
            self.add_error(
                "category_variables",
                _("Every variable must be the area, the period or a category: %(names)s.")
                % {"names": ", ".join(left_over)},
            )
        data["category_variables"] = categories
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "series_name": data["series_name"],
            "area_variable": data.get("area_variable") or None,
            "period_variable": data["period_variable"],
            "category_variables": data["category_variables"],
            # None: riket (the importer finds or creates it).
            "area_id": int(data["area"]) if data.get("area", "").isdigit() else None,
            "unit": data["unit"],
            "measure_type": data.get("measure_type") or None,
            "kind": data["kind"],
        }


class TrendForm(forms.Form):
    """The two periods (and optionally an area and a category) of the trend table."""

    a = forms.ChoiceField(label=_("From period"), required=False)
    b = forms.ChoiceField(label=_("To period"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, periods, categories, areas, **kwargs):
        super().__init__(*args, **kwargs)
        period_choices = [(p.label, p.label) for p in periods]
        choice_field(self, "a").choices = period_choices
        choice_field(self, "b").choices = period_choices
        # Brå's names repeat their parents' names; the last part is enough to choose by.
        choice_field(self, "category").choices = [
            ("", _("All")),
            *[(c, c.rsplit(", ", 1)[-1]) for c in categories],
        ]
        choice_field(self, "area").choices = [("", _("All")), *[(str(a.pk), a.name) for a in areas]]
