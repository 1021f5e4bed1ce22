"""Filters for plans and measures: one definition for the pages, the API and the exports."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW
from trygg.core.filters import FilterSet
from trygg.core.forms import (
    area_choices,
    choose_by_label,
    choose_from_listed,
    model_choice_field,
)
from trygg.core.models import Area, Organisation
from trygg.plans.choices import PlanKind, PlanState, PreventionType, StatusCategory
from trygg.plans.models import Activity, FocusArea, Plan


class PlanFilter(FilterSet):
    q = forms.CharField(label=_("Search"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *PlanKind.choices])
    state = forms.ChoiceField(label=_("State"), choices=[("", "—"), *PlanState.choices])
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    lookups = {"kind": "kind", "state": "state", "organisation": "organisation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = Organisation.objects.restrict(
            self.user, VIEW
        ).filter(pk__in=Plan.objects.restrict(self.user, VIEW).values("organisation"))

    def filter_q(self, queryset, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(diarienummer__icontains=value)
        )


class MeasureFilter(FilterSet):
    """Filters for measures. ``plan`` narrows to one plan; the plan page leaves it out."""

    q = forms.CharField(label=_("Search"))
    category = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *StatusCategory.choices])
    responsible = forms.CharField(label=_("Responsible"))
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    prevention_type = forms.ChoiceField(
        label=_("Kind of prevention"), choices=[("", "—"), *PreventionType.choices]
    )
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("Plan"))
    focus_area = forms.ModelChoiceField(queryset=FocusArea.objects.none(), label=_("Focus area"))
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), label=_("Activity"))
    lookups = {
        "category": "status__category",
        "prevention_type": "prevention_type",
        "plan": "plan",
        "activity": "activity",
        "focus_area": "activity__focus_area",
    }

    def __init__(self, *args, plan: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = area_choices(
            Area.objects.restrict(self.user, VIEW).filter(organisation__isnull=False)
        )
        if plan is not None:
            # On a plan's page the plan is given (read through the user's restriction);
            # offer only its own parts. The areas are offered by name (no Area objects), the
            # focus areas as the page read them (``offer_focus_areas``), validated against
            # the plan's own: FocusArea.access_q for a view is Plan.access_q on the same
            # organisation, as plans.reading reads them.
            del self.fields["plan"]
            del self.fields["activity"]
            choose_by_label(self, "area", areas.filter(organisation_id=plan.organisation_id))
            model_choice_field(self, "focus_area").queryset = FocusArea._default_manager.filter(
                plan=plan, organisation_id=plan.organisation_id
            )
            return
        model_choice_field(self, "area").queryset = areas
        model_choice_field(self, "plan").queryset = Plan.objects.restrict(self.user, VIEW)
        model_choice_field(self, "focus_area").queryset = FocusArea.objects.restrict(
            self.user, VIEW
        )
        model_choice_field(self, "activity").queryset = Activity.objects.restrict(self.user, VIEW)

    def offer_focus_areas(self, focus_areas) -> None:
        """Offer these focus areas, already read (all the plan's that the user sees, in
        order), instead of reading them again when the form is drawn."""
        field = model_choice_field(self, "focus_area")
        choose_from_listed(self, "focus_area", field.queryset, focus_areas)

    def filter_q(self, queryset, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(challenge__icontains=value)
            | Q(action__icontains=value)
            | Q(target_group__icontains=value)
        )

    def filter_responsible(self, queryset, value):
        return queryset.filter(
            pk__in=queryset.model.objects.filter(
                Q(responsibles__label__icontains=value)
                | Q(responsibles__unit__icontains=value)
                | Q(responsibles__organisation_ref__name__icontains=value)
            ).values("pk")
        )

    def filter_area(self, queryset, area):
        # A measure in a part of the area (a stadsdel in a kommundel) is in the area too.
        return queryset.filter(
            pk__in=queryset.model.objects.filter(
                Q(areas=area) | Q(areas__parent=area) | Q(places__area=area)
            ).values("pk")
        )


class FocusAreaFilter(FilterSet):
    q = forms.CharField(label=_("Search"))
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("Plan"))
    lookups = {"q": "title__icontains", "plan": "plan"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "plan").queryset = Plan.objects.restrict(self.user, VIEW)


class ActivityFilter(FocusAreaFilter):
    focus_area = forms.ModelChoiceField(queryset=FocusArea.objects.none(), label=_("Focus area"))
    lookups = {"q": "title__icontains", "plan": "plan", "focus_area": "focus_area"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "focus_area").queryset = FocusArea.objects.restrict(
            self.user, VIEW
        )
