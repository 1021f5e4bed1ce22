"""Forms of the incidents app: the phone-first report form, review, categories and import."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import ADD, CHANGE, REPORT, VIEW, organisations_for
from trygg.core.models import Area, Organisation, Place
from trygg.incidents.choices import Assessment, CategoryGroup, ReportStatus
from trygg.incidents.filters import NameChoiceField


def _organisations_for(user, *actions: str):
    queryset = Organisation.objects.all()
    for action in actions:
        queryset = queryset.filter(pk__in=organisations_for(user, action, whole_organisation=False))
    return queryset


class ReportForm(forms.Form):
    """Vad, var, när, egen bedömning och en kort beskrivning – short enough for a phone."""

    category = forms.TypedChoiceField(label=_("What happened?"), coerce=int)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_until = forms.TimeField(
        label=_("Until (if it went on for a while)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("A time earlier than the start means the next day."),
    )
    place = NameChoiceField(
        queryset=Place.objects.none(), label=_("Place"), required=False, empty_label="—"
    )
    area = NameChoiceField(
        queryset=Area.objects.none(),
        label=_("Area"),
        required=False,
        empty_label="—",
        help_text=_("Only needed when you give neither a place nor your position."),
    )
    address = forms.CharField(
        label=_("Address or description of the location"), required=False, max_length=300
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    assessment = forms.TypedChoiceField(
        label=_("Your assessment"),
        choices=Assessment.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What happened? Do not write names, personal identity numbers, phone numbers or "
            "e-mail addresses: an incident report must not identify anyone."
        ),
    )

    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_(
            "For example of graffiti or damage. Do not photograph people. The photo is stored "
            "without its position and camera data."
        ),
    )
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    checked_text = forms.BooleanField(
        label=_("I have read the text again: it identifies no one."),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.incidents.selectors import categories_for_reporting

        self.user = user
        self.categories = {c.pk: c for c in categories_for_reporting(user)}
        several = len({c.organisation_id for c in self.categories.values()}) > 1
        grouped: dict[str, list] = {}
        for category in self.categories.values():
            label = category.get_group_display()
            if several:
                label = f"{category.organisation.name}: {label}"
            grouped.setdefault(label, []).append((category.pk, category.name))
        self.fields["category"].choices = [("", "—"), *grouped.items()]
        self.fields["place"].queryset = (
            Place.objects.restrict(user, REPORT).only("pk", "name").order_by("name")
        )
        organisation_ids = {c.organisation_id for c in self.categories.values()}
        kommun_ids = Organisation.objects.filter(pk__in=organisation_ids).values("area_id")
        # The organisations come from the restricted categories above.
        self.fields["area"].queryset = (
            Area.objects.filter(Q(organisation_id__in=organisation_ids) | Q(pk__in=kommun_ids))
            .only("pk", "name")
            .order_by("name")
        )
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("time", now.time().replace(second=0, microsecond=0))

    def clean_category(self):
        value = self.cleaned_data["category"]
        category = self.categories.get(value)
        if category is None:
            raise forms.ValidationError(_("Choose one of the categories."))
        return category

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("time")
        if day and start:
            tz = timezone.get_current_timezone()
            data["occurred_at"] = timezone.make_aware(dt.datetime.combine(day, start), tz)
            until = data.get("time_until")
            data["occurred_until"] = None
            if until is not None:
                end_day = day + dt.timedelta(days=1) if until <= start else day
                data["occurred_until"] = timezone.make_aware(
                    dt.datetime.combine(end_day, until), tz
                )
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("The position is incomplete. Try again."))
        self._warn_about_possible_personal_data(data)
        return data

    def _warn_about_possible_personal_data(self, data) -> None:
        """Likely names, addresses and registration numbers stop the form once, as a warning.

        The reporter confirms with ``checked_text`` that the text identifies no one; the warning
        is not a refusal, since a name may be a street's and "ABC 123" a part number.
        """
        from trygg.incidents.services import possible_personal_data_messages

        self.personal_data_warnings = False
        for field in ("description", "address"):
            warnings = possible_personal_data_messages(data.get(field) or "")
            if warnings and not data.get("checked_text"):
                self.personal_data_warnings = True
                for warning in warnings:
                    self.add_error(field, warning)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        category = data["category"]
        return {
            "organisation": category.organisation,
            "category": category,
            "occurred_at": data["occurred_at"],
            "occurred_until": data["occurred_until"],
            "place": data.get("place"),
            "area": data.get("area"),
            "address": data.get("address") or "",
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "assessment": data["assessment"],
            "description": data.get("description") or "",
            "client_key": data.get("client_key") or "",
            "photo": data.get("photo"),
        }


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measure = forms.ModelChoiceField(
        queryset=None,
        label=_("Linked to measure"),
        required=False,
        empty_label="—",
        help_text=_("The measure in a plan that addresses this incident."),
    )

    decision = forms.ModelChoiceField(
        queryset=None,
        label=_("Linked to decision"),
        required=False,
        empty_label="—",
        help_text=_("A decision of a working group or forum about this incident."),
    )

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.forums.models import Decision
        from trygg.plans.models import Measure

        self.fields["decision"].queryset = (
            Decision.objects.restrict(user, VIEW)
            .filter(organisation_id=report.organisation_id)
            .order_by("-due_date", "-pk")
        )

        self.fields["measure"].queryset = (
            Measure.objects.restrict(user, VIEW)
            .filter(organisation_id=report.organisation_id)
            .select_related("plan")
            .order_by("plan__title", "order", "pk")
        )
        self.fields["measure"].label_from_instance = lambda m: f"{m.plan.title}: {m.title}"


class CategoryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    group = forms.ChoiceField(label=_("Group"), choices=CategoryGroup.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations_for(user, CHANGE)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()


class ReportImportForm(forms.Form):
    error_fields = {NON_FIELD_ERRORS: "file"}  # a refused import is the file's error

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: extern_id, kategori, datum, tid, plats (or plats/adress), adress, område, "
            "bedömning, beskrivning. The first row holds the column names."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = _organisations_for(user, ADD, REPORT)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()
