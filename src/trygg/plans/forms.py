"""Forms of the plans app. They validate input; the views hand the data to the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import ADD, VIEW, organisations_for
from trygg.core.forms import area_choices, model_choice_field
from trygg.core.models import Area, Organisation, Partnership, Place
from trygg.plans.choices import PlanKind
from trygg.plans.models import (
    Activity,
    FocusArea,
    Measure,
    MeasureStatus,
    Outcome,
    Plan,
    Target,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _dates(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "organisation",
            "kind",
            "title",
            "description",
            "partner_organisations",
            "state",
            "starts_on",
            "ends_on",
            "decided_on",
            "decided_by",
            "diarienummer",
            "evaluation_interval_months",
            "revision_interval_months",
            "last_evaluated_on",
            "last_revised_on",
            "statuses_are_demo",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = organisations_for(user, ADD)
        model_choice_field(self, "organisation").queryset = own
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            owner_ids = [self.instance.organisation_id]
        else:
            owner_ids = list(own.values_list("pk", flat=True))
            if len(owner_ids) == 1:
                self.fields["organisation"].initial = owner_ids[0]
        model_choice_field(self, "partner_organisations").queryset = Organisation.objects.restrict(
            user, VIEW
        ).filter(pk__in=Partnership.partner_ids(owner_ids))
        self.fields["partner_organisations"].help_text = _(
            "Members of partner organisations can see the plan and report on the measures "
            "they are responsible for."
        )
        _dates(self)


class FocusAreaForm(forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["title", "purpose", "goal", "order"]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["focus_area", "title", "order"]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "focus_area").queryset = plan.focus_areas.order_by("order", "pk")


class MeasureForm(forms.ModelForm):
    responsibles = forms.CharField(
        label=_("Responsible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as Organisation/Unit, e.g. Kommun/Sociala omsorgsprocessen."),
    )

    class Meta:
        model = Measure
        fields = [
            "activity",
            "title",
            "challenge",
            "action",
            "responsibles",
            "status",
            "prevention_type",
            "areas",
            "places",
            "target_group",
            "starts_on",
            "ends_on",
            "outcome",
        ]

    def __init__(self, *args, plan: Plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.instance.organisation_id = plan.organisation_id
        model_choice_field(self, "activity").queryset = Activity.objects.restrict(
            user, VIEW
        ).filter(plan=plan)
        model_choice_field(self, "status").queryset = MeasureStatus.objects.filter(
            organisation_id=plan.organisation_id
        )
        model_choice_field(self, "areas").queryset = area_choices(
            Area.objects.restrict(user, VIEW).filter(organisation_id=plan.organisation_id)
        )
        model_choice_field(self, "places").queryset = Place.objects.restrict(user, VIEW).filter(
            organisation_id=plan.organisation_id
        )
        if not self.instance.pk:
            first = model_choice_field(self, "status").queryset.order_by("order", "pk").first()
            self.fields["status"].initial = first.pk if first else None
        if self.instance.pk:
            # The status changes through its own form so that it lands on the timeline.
            del self.fields["status"]
            self.initial["responsibles"] = "\n".join(
                r.display for r in self.instance.responsibles.all()
            )
        _dates(self)

    def clean_responsibles(self) -> list[tuple[str, str]]:
        parties = []
        for line in self.cleaned_data["responsibles"].splitlines():
            label, _sep, unit = line.strip().partition("/")
            if label.strip():
                parties.append((label.strip(), unit.strip()))
        return parties

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class StatusChangeForm(forms.Form):
    status = forms.ModelChoiceField(queryset=MeasureStatus.objects.none(), label=_("Status"))
    progress = forms.IntegerField(
        label=_("Progress %"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to use the status's default."),
    )
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, measure: Measure, **kwargs):
        kwargs.setdefault(
            "initial",
            {"status": measure.status_id, "progress": measure.progress, "on": timezone.localdate()},
        )
        super().__init__(*args, **kwargs)
        model_choice_field(self, "status").queryset = MeasureStatus.objects.filter(
            organisation_id=measure.plan.organisation_id
        )


class QuickStatusForm(forms.Form):
    """The small form on the plan page: only the status."""

    status = forms.ModelChoiceField(queryset=MeasureStatus.objects.none(), label=_("Status"))

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "status").queryset = MeasureStatus.objects.filter(
            organisation_id=organisation_id
        )


class TargetForm(forms.ModelForm):
    """A target, and what Trygg counts for its outcome when it can (plans.targets)."""

    class Meta:
        model = Target
        fields = [
            "description",
            "comparison",
            "value",
            "unit",
            "period",
            "source",
            "forums",
            "per_forum",
            "series",
            "series_category",
            "area",
            "report_category",
        ]

    def __init__(self, *args, user, measure: Measure, **kwargs):
        from django.db.models import Q

        from trygg.forums.models import Forum
        from trygg.incidents.models import IncidentCategory
        from trygg.stats.models import IndicatorSeries

        super().__init__(*args, **kwargs)
        organisation_id = measure.organisation_id
        model_choice_field(self, "forums").queryset = (
            Forum.objects.restrict(user, VIEW)
            .filter(Q(organisation_id=organisation_id) | Q(member_organisations=organisation_id))
            .distinct()
            .order_by("name")
        )
        self.fields["forums"].required = False
        model_choice_field(self, "series").queryset = (
            IndicatorSeries.objects.restrict(user, VIEW)
            .filter(Q(organisation_id=organisation_id) | Q(is_public=True))
            .order_by("name")
        )
        model_choice_field(self, "area").queryset = area_choices(
            Area.objects.restrict(user, VIEW).filter(organisation_id=organisation_id)
        )
        model_choice_field(self, "report_category").queryset = IncidentCategory.objects.filter(
            organisation_id=organisation_id
        ).order_by("name")

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == "meetings" and not data.get("forums"):
            self.add_error("forums", _("Choose the forums whose meetings are counted."))
        if source == "indicator" and not data.get("series"):
            self.add_error("series", _("A target read from a series needs the series."))
        return data


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["period_start", "period_label", "actual", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_label"].required = False
        self.fields["period_label"].help_text = _("E.g. 2023. Leave empty to use the year.")
        self.fields["period_start"].help_text = _("The first day of the period, e.g. 2023-01-01.")
        _dates(self)

    def validate_unique(self):
        # outcome_record corrects an existing outcome for the same period instead.
        pass


class MeasureStatusForm(forms.ModelForm):
    class Meta:
        model = MeasureStatus
        fields = ["name", "category", "default_progress", "order"]


class PlanImportForm(forms.Form):
    """Upload of a plan: text or Word (a whole plan), CSV or XLSX (rows of measures)."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A plan as text (.txt) or Word (.docx), or the measures as CSV or XLSX "
            "(as exported from the plan)."
        ),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Partner organisations"),
        required=False,
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to use the title in the file."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)

    def __init__(self, *args, user, plan: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            # Importing into a given plan: the plan decides the rest.
            for name in ["organisation", "partner_organisations", "title", "kind"]:
                del self.fields[name]
            return
        own = organisations_for(user, ADD)
        model_choice_field(self, "organisation").queryset = own
        if own.count() == 1:
            self.fields["organisation"].initial = own.first().pk
        model_choice_field(self, "partner_organisations").queryset = Organisation.objects.restrict(
            user, VIEW
        ).filter(pk__in=Partnership.partner_ids(own.values_list("pk", flat=True)))
        self.fields["file"].help_text = _("A plan as text (.txt) or Word (.docx).")


class ColumnMappingForm(forms.Form):
    """What each unknown column of an imported plan is (*kolumnmappning*): one choice per
    column, named by its header as written in the file."""

    def __init__(self, *args, columns: list[str], roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("— Choose —")), *roles]
        for index, name in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=_("Column “%(name)s”") % {"name": name}, choices=choices
            )

    def column_map(self) -> dict[str, str]:
        """The chosen role of each column by its header (as the readers compare headers)."""
        from trygg.plans.columns import column_key

        return {
            column_key(name): self.cleaned_data[f"column_{index}"]
            for index, name in enumerate(self.columns)
        }
