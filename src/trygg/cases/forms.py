"""Forms of the youth cases. Errors are shown in Swedish next to the field; the personnummer
is never put back into the page after a failed save (render_value=False)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.cases.choices import (
    CaseRoleKind,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    Gender,
    NoteKind,
    ParticipantFunction,
    PlanStatus,
    Programme,
    Respondent,
    Satisfaction,
)
from trygg.core.choices import AreaKind
from trygg.core.forms import area_choices
from trygg.core.models import Area, Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


class CaseFilter(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name, case number, school or a full personal identity number."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", "—"), *Programme.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *CaseStatus.choices]
    )


class CaseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    youth_name = forms.CharField(label=_("Name of the youth"), max_length=200)
    personnummer = forms.CharField(
        label=_("Personal identity number or coordination number"),
        max_length=20,
        help_text=_("YYYYMMDD-NNNN. Stored encrypted and never shown in lists."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    home_area = forms.ModelChoiceField(
        queryset=Area.objects.none(), label=_("Home area"), required=False
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    coordinator = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Coordinator"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["home_area"].queryset = area_choices(
            Area.objects.filter(organisation__in=organisations, kind=AreaKind.KOMMUNDEL)
        )
        self.fields["coordinator"].queryset = (
            get_user_model()
            .objects.filter(
                case_roles__organisation__in=organisations,
                case_roles__role=CaseRoleKind.COORDINATOR,
            )
            .distinct()
        )
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The start date cannot be in the future."))
        return value


class CaseEditForm(forms.Form):
    youth_name = forms.CharField(label=_("Name of the youth"), max_length=200)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    home_area = forms.ModelChoiceField(
        queryset=Area.objects.none(), label=_("Home area"), required=False
    )
    coordinator = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Coordinator"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_area"].queryset = area_choices(
            Area.objects.filter(organisation_id=case.organisation_id, kind=AreaKind.KOMMUNDEL)
        )
        self.fields["coordinator"].queryset = (
            get_user_model()
            .objects.filter(
                case_roles__organisation_id=case.organisation_id,
                case_roles__role=CaseRoleKind.COORDINATOR,
            )
            .distinct()
        )


class PlanEntryForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    what_is_needed = forms.CharField(
        label=_("What needs to happen"), widget=forms.Textarea(attrs={"rows": 3})
    )
    who_does_what = forms.CharField(
        label=_("Who does what"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label=_("By when"), widget=DATE)


class FollowUpForm(forms.Form):
    followed_up_on = forms.DateField(label=_("Followed up on"), widget=DATE)
    note = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    next_date = forms.DateField(label=_("Next follow-up"), widget=DATE, required=False)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.forum.name} {timezone.localtime(obj.starts_at):%Y-%m-%d}"


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("From"), choices=NoteKind.choices)
    meeting = MeetingChoiceField(
        queryset=None,
        label=_("Meeting"),
        required=False,
        help_text=_("The forum meeting whose individual part this note records."),
    )
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if meeting is not None and not cleaned.get("held_on"):
            cleaned["held_on"] = timezone.localdate(meeting.starts_at)
        return cleaned


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} – {obj.youth_name}"


class MeetingNoteForm(NoteForm):
    """A note written from a meeting page: the case is chosen, the meeting is given."""

    case = CaseChoiceField(queryset=None, label=_("Case"))
    field_order = ["case", "kind", "held_on", "text"]

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        del self.fields["meeting"]


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    given_by_names = forms.CharField(
        label=_("Names"), max_length=300, required=False, help_text=_("E.g. the guardians' names.")
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        label=_("Organisations covered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kommuner = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        label=_("Municipalities covered"),
        required=False,
        help_text=_("Every organisation in these municipalities is covered, e.g. Värmdö."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        own = Organisation.objects.filter(pk=case.organisation_id)
        partners = Organisation.objects.filter(
            pk__in=case.organisation.partnerships.values("partner")
        )
        self.fields["organisations"].queryset = (own | partners).distinct().order_by("name")
        self.fields["kommuner"].queryset = area_choices(
            Area.objects.filter(kind=AreaKind.KOMMUN).order_by("name")
        )


class ParticipantForm(forms.Form):
    user = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Person"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Their organisation")
    )
    function = forms.ChoiceField(label=_("Function"), choices=ParticipantFunction.choices)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(
            pk__in=[
                case.organisation_id,
                *case.organisation.partnerships.values_list("partner", flat=True),
            ]
        )
        consent_orgs = Organisation.objects.filter(
            pk__in=case.consents.values_list("organisations", flat=True)
        )
        consent_kommun_orgs = Organisation.objects.filter(
            area__in=case.consents.values_list("kommuner", flat=True)
        )
        orgs = (orgs | consent_orgs | consent_kommun_orgs).distinct()
        self.fields["organisation"].queryset = orgs.order_by("name")
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__organisation__in=orgs, memberships__is_active=True, is_active=True
            )
            .distinct()
            .order_by("first_name", "last_name")
        )


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Note on closing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    youth_satisfaction = forms.TypedChoiceField(
        label=_("How satisfied is the youth with the support?"),
        choices=[("", _("Did not answer")), *Satisfaction.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    guardian_satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are the guardians with the support?"),
        choices=[("", _("Did not answer")), *Satisfaction.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


class SatisfactionForm(forms.Form):
    respondent = forms.ChoiceField(label=_("Who answered"), choices=Respondent.choices)
    answer = forms.TypedChoiceField(label=_("Answer"), choices=Satisfaction.choices, coerce=int)
    answered_on = forms.DateField(label=_("Date"), widget=DATE)

    def clean_answered_on(self):
        value = self.cleaned_data["answered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class EmergencyForm(forms.Form):
    reference = forms.CharField(label=_("Case number"), max_length=32, required=False)
    personnummer = forms.CharField(
        label=_("Or personal identity number"),
        max_length=20,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you must open the case now. The coordinator is shown this."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reference") and not cleaned.get("personnummer"):
            raise forms.ValidationError(_("Give the case number or the personal identity number."))
        return cleaned


class StatisticsForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["year"].initial = timezone.localdate().year - 1


class CaseRoleForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    user = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Person"))
    role = forms.ChoiceField(label=_("Role"), choices=CaseRoleKind.choices)
    staff = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Staff"),
        required=False,
        help_text=_("For a unit manager: the people they manage."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        people = (
            get_user_model()
            .objects.filter(memberships__organisation__in=organisations, is_active=True)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["user"].queryset = people
        self.fields["staff"].queryset = people
        self.fields["staff"].label_from_instance = _user_label
