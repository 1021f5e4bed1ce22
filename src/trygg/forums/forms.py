"""Forms for forums, meetings, attachments and decisions. Errors appear next to the field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import ADD, VIEW
from trygg.core.choices import AreaKind
from trygg.core.forms import model_choice_field
from trygg.core.models import Area, Organisation, Partnership
from trygg.forums.choices import CadenceKind, DecisionStatus, ForumKind, MeetingStatus, Weekday
from trygg.forums.models import Forum
from trygg.forums.services import eligible_people, forum_organisation_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
OUTSIDE_PARTNERSHIP = _(
    "Choose an organisation in the forum's partnership: the forum's organisation, one of its "
    "partners or a member organisation."
)
PERSON_OUTSIDE = _("Choose a person who is a member of an organisation in the forum's partnership.")
RICH_TEXT_HELP = _(
    "Plain text: a blank line starts a new paragraph, lines starting with “- ” or “1. ” "
    "become lists. Text pasted from Word or a web page keeps its headings, lists, bold text "
    "and links; everything else is removed."
)


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return person_label(obj)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class ForumForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Owning organisation")
    )
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=ForumKind.choices, label=_("Kind"))
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Area"),
        help_text=_("For a local working group: its kommundel."),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Purpose")
    )
    member_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Member organisations"),
        help_text=_(
            "Members of these organisations can see the forum, its meetings and decisions."
        ),
    )
    members = PeopleField(
        queryset=get_user_model().objects.none(), required=False, label=_("Members")
    )
    cadence_kind = forms.ChoiceField(
        choices=CadenceKind.choices, widget=forms.RadioSelect, label=_("Meets")
    )
    cadence_count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=52,
        label=_("Number"),
        help_text=_("Meetings per year, or weeks between meetings (6 for every sixth week)."),
    )
    cadence_weekday = forms.TypedChoiceField(
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Weekday"),
    )
    cadence_time = forms.TimeField(required=False, widget=TIME, label=_("Time"))
    cadence_text = forms.CharField(
        max_length=100,
        required=False,
        label=_("Cadence as text"),
        help_text=_("Optional, e.g. “Mondays 10:30–11:00”. Empty: described automatically."),
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active"))

    def __init__(self, *args, user, forum: Forum | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        organisations = Organisation.objects.restrict(user, ADD)
        model_choice_field(self, "organisation").queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        owner_ids = (
            [forum.organisation_id] if forum else list(organisations.values_list("pk", flat=True))
        )
        partner_ids = set(Partnership.partner_ids(owner_ids))
        model_choice_field(self, "member_organisations").queryset = Organisation.objects.restrict(
            user, VIEW
        ).filter(pk__in=partner_ids)
        model_choice_field(self, "area").queryset = (
            (
                Area.objects.restrict(user, VIEW)
                .filter(
                    kind__in=[
                        AreaKind.KOMMUN,
                        AreaKind.KOMMUNDEL,
                        AreaKind.STADSDELSOMRADE,
                        AreaKind.STADSDEL,
                        AreaKind.OMRADE,
                    ]
                )
                .filter(organisation__in=owner_ids)
                | Area.objects.filter(
                    pk__in=Organisation.objects.filter(pk__in=owner_ids).values("area")
                )
            )
            .order_by("name")
            .defer("geometry")
        )  # the names only (core.forms.area_choices)
        model_choice_field(self, "members").queryset = eligible_people(set(owner_ids) | partner_ids)
        if forum is not None:
            self.fields["organisation"].disabled = True
        else:
            del self.fields["is_active"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("cadence_kind")
        count = cleaned.get("cadence_count")
        weekday = cleaned.get("cadence_weekday")
        time = cleaned.get("cadence_time")
        if kind == CadenceKind.PER_YEAR and not count:
            self.add_error("cadence_count", _("Give the number of meetings per year."))
        if kind == CadenceKind.EVERY_N_WEEKS and (not count or count < 2 or count > 26):
            self.add_error("cadence_count", _("Give the number of weeks between meetings (2–26)."))
        if kind in (CadenceKind.WEEKLY, CadenceKind.EVERY_N_WEEKS):
            if weekday is None:
                self.add_error("cadence_weekday", _("Choose the weekday of the meetings."))
            if time is None:
                self.add_error("cadence_time", _("Give the time of the meetings."))
        return cleaned


class MeetingForm(forms.Form):
    # The service names the model's fields; the form has a date and two times.
    error_fields = {"starts_at": "start_time", "ends_at": "end_time"}

    date = forms.DateField(widget=DATE, label=_("Date"))
    start_time = forms.TimeField(widget=TIME, label=_("Starts"))
    end_time = forms.TimeField(widget=TIME, required=False, label=_("Ends"))
    title = forms.CharField(
        max_length=200,
        required=False,
        label=_("Title"),
        help_text=_("Optional, e.g. “Safety walk”."),
    )
    location = forms.CharField(max_length=200, required=False, label=_("Place"))
    status = forms.ChoiceField(choices=MeetingStatus.choices, label=_("Status"))
    participants = PeopleField(
        queryset=get_user_model().objects.none(), required=False, label=_("Participants")
    )
    represented_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Organisations represented"),
    )
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label=_("Agenda"),
        help_text=RICH_TEXT_HELP,
    )
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        label=_("Minutes"),
        help_text=RICH_TEXT_HELP,
    )

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = forum_organisation_ids(forum)
        model_choice_field(self, "participants").queryset = eligible_people(allowed)
        model_choice_field(
            self, "represented_organisations"
        ).queryset = Organisation.objects.filter(pk__in=allowed)
        if forum.cadence_time and not self.is_bound and "start_time" not in self.initial:
            self.fields["start_time"].initial = forum.cadence_time
        if forum.kind in {"sspf", "individavstamning", "ungdomsutsattning", "natverksmote"}:
            # Individual information belongs in the youth's case, seen only by those in it.
            self.fields["minutes"].help_text = _(
                "Only the general part. Write about an individual youth as a note in their "
                "case (“Write an individual note” on the meeting page)."
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        day = data.pop("date")
        start = data.pop("start_time")
        end = data.pop("end_time")
        data["starts_at"] = timezone.make_aware(dt.datetime.combine(day, start))
        data["ends_at"] = timezone.make_aware(dt.datetime.combine(day, end)) if end else None
        return data

    @staticmethod
    def initial_for(meeting) -> dict:
        start = timezone.localtime(meeting.starts_at)
        end = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
        return {
            "date": start.date(),
            "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0) if end else None,
            "title": meeting.title,
            "location": meeting.location,
            "status": meeting.status,
            "participants": list(meeting.participants.all()),
            "represented_organisations": list(meeting.represented_organisations.all()),
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
        }


class SeriesForm(forms.Form):
    start = forms.DateField(widget=DATE, label=_("From"))
    until = forms.DateField(widget=DATE, label=_("To"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("until") and cleaned["until"] < cleaned["start"]:
            self.add_error("until", _("The end date must not be before the start date."))
        return cleaned


class AttachmentForm(forms.Form):
    error_fields = {NON_FIELD_ERRORS: "file"}  # a refused upload is the file's error

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (docx), Excel (xlsx), OpenDocument text (odt), PNG or JPG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg"}),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Decision"))
    owner_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        label=_("Responsible organisation"),
        error_messages={"invalid_choice": OUTSIDE_PARTNERSHIP},
    )
    owner_user = PersonField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
        label=_("Responsible person"),
        error_messages={"invalid_choice": PERSON_OUTSIDE},
        help_text=_("Gets an e-mail reminder when the decision is due and when it is overdue."),
    )
    due_date = forms.DateField(widget=DATE, label=_("Due date"))
    reference = forms.CharField(
        max_length=40,
        required=False,
        label=_("Reference number"),
        help_text=_("E.g. KFKS-2024-00431."),
    )
    measures = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Linked measures in plans"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, user, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.plans.models import Measure

        allowed = forum_organisation_ids(forum)
        model_choice_field(self, "owner_organisation").queryset = Organisation.objects.filter(
            pk__in=allowed
        )
        model_choice_field(self, "owner_user").queryset = eligible_people(allowed)
        model_choice_field(self, "measures").queryset = (
            Measure.objects.restrict(user, VIEW)
            .select_related("plan")
            .order_by("plan__title", "order", "pk")
        )
        model_choice_field(self, "measures").label_from_instance = lambda m: (
            f"{m.plan.title}: {m.title}"
        )

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("owner_user")
            and not cleaned.get("owner_organisation")
            and not (self.errors.get("owner_user") or self.errors.get("owner_organisation"))
        ):
            self.add_error("owner_organisation", _("Give a responsible person or organisation."))
        return cleaned


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=DecisionStatus.choices, label=_("Status"))
    note = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionMeasureForm(forms.Form):
    """A new measure in a plan, created from a decision."""

    plan = forms.ModelChoiceField(queryset=None, label=_("Plan"))
    title = forms.CharField(max_length=300, label=_("Title of the measure"))
    action = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("What is to be done")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The plans of organisations the user may add measures for.
        from trygg.core.access import organisations_for
        from trygg.plans.models import Plan

        plans = Plan.objects.restrict(user, VIEW).filter(
            organisation__in=organisations_for(user, ADD, whole_organisation=False)
        )
        model_choice_field(self, "plan").queryset = plans.order_by("title")
