"""Forms for situation pictures, prioritised problems, cause analyses and measure links.

Choices are limited to what the user may see or change; a forged id is a form error.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import ADD, VIEW
from trygg.core.models import Area, Organisation, Place
from trygg.situation.choices import FishboneCategory, PictureState


def picture_organisations(user):
    """Organisations the user may write a lägesbild for (whole-organisation members)."""
    from trygg.core.access import organisations_for

    return (
        Organisation.objects.restrict(user, ADD)
        .filter(pk__in=organisations_for(user, ADD))
        .order_by("name")
    )


class PictureForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The picture in a few sentences: extent, consequences, trends."),
    )
    state = forms.ChoiceField(label=_("State"), choices=PictureState.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = picture_organisations(user)
        self.fields["year"].initial = timezone.localdate().year


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the problem is, how large, and where the figures come from."),
    )
    priority = forms.IntegerField(
        label=_("Priority"), min_value=1, max_value=99, initial=1, help_text=_("1 is the highest.")
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        label=_("Areas"),
        required=False,
        help_text=_("Leave empty for the whole municipality."),
    )
    places = forms.ModelMultipleChoiceField(
        queryset=Place.objects.none(), label=_("Places"), required=False
    )

    def __init__(self, *args, user, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.restrict(user, VIEW).filter(
            organisation=organisation
        )
        self.fields["places"].queryset = Place.objects.restrict(user, VIEW).filter(
            organisation=organisation
        )


class CauseAnalysisForm(forms.Form):
    """The crime triangle and one text box per bone of the fishbone, one cause per line."""

    victim = forms.CharField(
        label=_("Victim"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who is affected, and what makes them vulnerable."),
    )
    offender = forms.CharField(
        label=_("Offender"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who commits it, and what motivates them."),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where and when it happens, and what about the place allows it."),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the measures must address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in FishboneCategory.choices:
            self.fields[f"causes_{value}"] = forms.CharField(
                label=label,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One cause per line."),
            )

    @staticmethod
    def initial_for(analysis) -> dict:
        if analysis is None:
            return {}
        initial = {
            "victim": analysis.victim,
            "offender": analysis.offender,
            "place": analysis.place,
            "conclusion": analysis.conclusion,
        }
        for value, _label, causes in analysis.causes_by_category():
            initial[f"causes_{value}"] = "\n".join(causes)
        return initial

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "victim": data["victim"],
            "offender": data["offender"],
            "place": data["place"],
            "conclusion": data["conclusion"],
            "causes": {
                value: data[f"causes_{value}"].splitlines() for value in FishboneCategory.values
            },
        }


class MeasureLinkForm(forms.Form):
    measure = forms.ModelChoiceField(queryset=None, label=_("Measure"))
    note = forms.CharField(label=_("How it addresses the problem"), max_length=500, required=False)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: f"{m.plan.title}: {m.title}"
