"""Forms of the Rapporter page: which document, for whom, which period, which format."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW
from trygg.core.forms import choose_by_label, choose_from_listed
from trygg.reports import kinds, render

WEEK = re.compile(r"^\d{4}-W\d{2}$")


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    week = forms.CharField(
        label=_("Week"),
        required=False,
        help_text=_("Weekly picture only, e.g. 2024-W14. Default: last week."),
        widget=forms.TextInput(attrs={"placeholder": "2024-W14", "inputmode": "text"}),
    )
    plan = forms.ModelChoiceField(
        queryset=None,
        label=_("Plan"),
        required=False,
        help_text=_("Plan and action plan. Default: the plan that covers the year."),
    )
    forum = forms.ModelChoiceField(
        queryset=None,
        label=_("Committee"),
        required=False,
        help_text=_("Annual report. Default: the organisation's committee."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("docx", "Word (.docx)"), ("html", _("HTML file"))],
        initial="pdf",
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.forums.models import Forum
        from trygg.plans.models import Plan
        from trygg.reports.generation import default_year, organisations_for

        self.fields["kind"].choices = [(k.name, k.label) for k in kinds.all_kinds()]
        self.fields["year"].initial = default_year("")
        choose_by_label(self, "plan", Plan.objects.restrict(user, VIEW).order_by("title"), "title")
        choose_by_label(self, "forum", Forum.objects.restrict(user, VIEW).order_by("name"))
        # An organisation's area (the kommun) is never needed here with its boundary.
        choices = organisations_for(user).defer("area__geometry")
        if self.is_bound:  # validation reads the chosen organisation only
            self.fields["organisation"].queryset = choices
            return
        # The page: the organisations read once, for the choices and the preselected one.
        from trygg.situation import selectors

        organisations = list(choices.select_related(None))
        choose_from_listed(self, "organisation", choices, organisations)
        if organisations:
            self.fields["organisation"].initial = selectors.default_organisation(
                user, organisations
            )

    def clean_week(self) -> str:
        week = self.cleaned_data.get("week", "").strip().upper()
        if not week:
            return ""
        if not WEEK.match(week):
            raise forms.ValidationError(_("Write the week as year and week, e.g. 2024-W14."))
        try:
            dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
        except ValueError as exc:
            raise forms.ValidationError(_("There is no such week.")) from exc
        return week

    def clean_format(self) -> str:
        value = self.cleaned_data.get("format") or "pdf"
        if value not in render.FORMATS:
            raise forms.ValidationError(_("Choose a format."))
        return value

    def parameters(self) -> dict:
        data = self.cleaned_data
        result = {"organisation": data["organisation"].pk, "year": data["year"]}
        if data.get("week"):
            result["week"] = data["week"]
        if data.get("plan"):
            result["plan"] = data["plan"].pk
        if data.get("forum"):
            result["forum"] = data["forum"].pk
        return result


class DraftForm(forms.Form):
    section = forms.SlugField(max_length=64, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )


class VersionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for a version that is not yet decided."),
    )
    decided_by = forms.CharField(label=_("Decided by"), required=False, max_length=200)
