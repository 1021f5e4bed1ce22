"""Forms for situation pictures, prioritised problems, cause analyses and measure links.

Choices are limited to what the user may see or change; a forged id is a form error.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import ADD, VIEW
from trygg.core.models import Area, Organisation, Place
from trygg.plans.forms import DateInput
from trygg.situation.choices import FishboneCategory, PictureState, ProblemStatus, SourceKind
from trygg.situation.widgets import Select


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
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput(),
        help_text=_("The first day the data covers. Empty: the year."),
    )
    period_end = forms.DateField(
        label=_("Period to"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day the data covers. Empty: the year."),
    )
    consequences = forms.CharField(
        label=_("Consequences"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the crime and the insecurity cost people, places and the kommun."),
    )
    coverage_note = forms.CharField(
        label=_("Areas without data"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The law asks for the kommun's whole geographic area: name any area the picture "
            "lacks data for, and why."
        ),
    )
    decided_by = forms.CharField(
        label=_("Decided by"), max_length=200, required=False, help_text=_("E.g. Kommunstyrelsen.")
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    diarienummer = forms.CharField(
        label=_("Reference number"),
        max_length=40,
        required=False,
        help_text=_("E.g. KFKS-2024-00431."),
    )
    plan = forms.ModelChoiceField(
        queryset=None,
        label=_("Action plan"),
        required=False,
        help_text=_("The action plan (åtgärdsplan) built on this situation picture."),
    )

    def __init__(self, *args, user, **kwargs):
        from trygg.plans.models import Plan

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = picture_organisations(user)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["plan"].queryset = (
            Plan.objects.restrict(user, VIEW)
            .filter(organisation__in=picture_organisations(user))
            .order_by("-starts_on", "title")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        plan, organisation = data.get("plan"), data.get("organisation")
        if (
            plan is not None
            and organisation is not None
            and plan.organisation_id != organisation.pk
        ):
            self.add_error("plan", _("The plan belongs to another organisation."))
        return data


class SourceForm(forms.Form):
    """A source of the lägesbild: a statistics series or a qualitative source."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("E.g. Medarbetardialog med fältassistenterna, hösten 2023."),
    )
    provider = forms.CharField(
        label=_("Provided by"),
        max_length=200,
        required=False,
        help_text=_("E.g. Polisen, LPO Nacka."),
    )
    findings = forms.CharField(
        label=_("What it shows"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    collected_on = forms.DateField(label=_("Collected on"), required=False, widget=DateInput())
    series = forms.ModelChoiceField(
        queryset=None,
        label=_("Statistics series"),
        required=False,
        help_text=_("For reported crime and surveys: the series in Trygg."),
    )

    def __init__(self, *args, user, organisation, **kwargs):
        from django.db.models import Q

        from trygg.stats.models import IndicatorSeries

        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = (
            IndicatorSeries.objects.restrict(user, VIEW)
            .filter(Q(organisation=organisation) | Q(is_public=True))
            .order_by("name")
        )


class ProblemStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=ProblemStatus.choices, widget=Select()
    )
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the open drug scene at the square is gone after the measures."),
    )

    def __init__(self, *args, problem, **kwargs):
        # Its own ids: the problem page also has the measure link form with a "note".
        kwargs.setdefault("auto_id", "id_status_%s")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (v, label) for v, label in ProblemStatus.choices if v != problem.status
        ]
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class CoordinationFunctionForm(forms.Form):
    title = forms.CharField(
        label=_("Function"), max_length=200, help_text=_("E.g. Säkerhetsstrateg.")
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=200, required=False, help_text=_("E.g. Kommunledningskontoret.")
    )
    person = forms.ModelChoiceField(queryset=None, label=_("Person"), required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    appointed_on = forms.DateField(label=_("Appointed on"), required=False, widget=DateInput())
    decided_by = forms.CharField(label=_("Decided by"), max_length=200, required=False)
    diarienummer = forms.CharField(
        label=_("Reference number"),
        max_length=40,
        required=False,
        help_text=_("E.g. KFKS-2024-00431."),
    )

    def __init__(self, *args, organisation, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["person"].label_from_instance = lambda u: u.get_full_name() or u.username


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
    measure = forms.ModelChoiceField(queryset=None, label=_("Measure"), widget=Select())
    cause = forms.ChoiceField(
        label=_("Cause addressed"),
        required=False,
        widget=Select(),
        choices=[("", _("The problem as a whole")), *FishboneCategory.choices],
        help_text=_("The bone of the cause analysis the measure works on."),
    )
    note = forms.CharField(label=_("How it addresses the problem"), max_length=500, required=False)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: f"{m.plan.title}: {m.title}"
