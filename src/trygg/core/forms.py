"""Forms for areas, places and API tokens. Errors are shown in Swedish next to the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.access import CHANGE, VIEW
from trygg.core.choices import AreaKind
from trygg.core.models import Area, Organisation


class OrganisationChoiceMixin:
    """Limits organisation and area choices to what the user may change."""

    def limit_choices(self, user):
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.restrict(user, CHANGE)
        if "area" in self.fields:
            self.fields["area"].queryset = Area.objects.restrict(user, VIEW).exclude(
                kind=AreaKind.LAN
            )
        if "parent" in self.fields:
            self.fields["parent"].queryset = Area.objects.restrict(user, VIEW).exclude(
                kind=AreaKind.LAN
            )


class AreaForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    parent = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Part of"))
    kind = forms.ChoiceField(
        choices=[
            (k, label) for k, label in AreaKind.choices if k not in (AreaKind.LAN, AreaKind.KOMMUN)
        ],
        label=_("Kind"),
    )
    name = forms.CharField(max_length=200, label=_("Name"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(user)


class AreaImportForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    parent = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Part of"))
    kind = forms.ChoiceField(
        choices=[
            (k, label) for k, label in AreaKind.choices if k not in (AreaKind.LAN, AreaKind.KOMMUN)
        ],
        label=_("Kind"),
    )
    name_property = forms.CharField(
        max_length=100, initial="name", label=_("Property holding the name")
    )
    file = forms.FileField(label=_("GeoJSON file"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(user)


class PlaceForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    name = forms.CharField(max_length=200, label=_("Name"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, label=_("Latitude"))
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, label=_("Longitude"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(user)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Name"), help_text=_("What the token is for."))
