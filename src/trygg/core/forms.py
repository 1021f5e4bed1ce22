"""Forms for areas, places and API tokens. Errors are shown in Swedish next to the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.core.access import CHANGE, VIEW
from trygg.core.choices import AreaKind, OrganisationKind, Role
from trygg.core.models import Area, Organisation


def area_choices(queryset):
    """Areas to choose from, without their boundaries: a choice shows only the name, and a
    few hundred GeoJSON boundaries decoded for a select cost more than the rest of the page."""
    return queryset.defer("geometry")


class LabelChoiceIterator(ModelChoiceIterator):
    """The options of a model choice as (pk, label) read straight from the rows
    (``field.label_field``), without a model object per option: a few hundred objects built
    only to print their name were a large part of a form page's time. Validation still goes
    through the field's queryset."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, label in self.queryset.values_list("pk", self.field.label_field):
            yield (ModelChoiceIteratorValue(pk, None), label)


class ListedChoiceIterator(ModelChoiceIterator):
    """The options from the objects the page already read (``field.listed``), instead of
    a query of the queryset at every rendering."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.listed) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.listed)


def _labelled_by_str(field: forms.ModelChoiceField[Any], name: str) -> None:
    if type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance:
        raise TypeError(f"{name} labels its options itself")


def choose_by_label(form: forms.BaseForm, name: str, queryset, label: str = "name") -> None:
    """The model choice field ``name`` validates against ``queryset`` and offers its rows by
    the column ``label``, which must be what ``str()`` of the model gives (areas,
    organisations and forums by name, plans by title)."""
    field = model_choice_field(form, name)
    _labelled_by_str(field, name)
    field.queryset = queryset
    field.label_field = label  # type: ignore[attr-defined]
    field.iterator = LabelChoiceIterator
    field.widget.choices = field.choices  # type: ignore[attr-defined]


def choose_from_listed(form: forms.BaseForm, name: str, queryset, listed) -> None:
    """The model choice field ``name`` validates against ``queryset`` and offers ``listed``
    (its objects, already read for the page)."""
    field = model_choice_field(form, name)
    field.queryset = queryset
    field.listed = list(listed)  # type: ignore[attr-defined]
    field.iterator = ListedChoiceIterator
    field.widget.choices = field.choices  # type: ignore[attr-defined]


class OrganisationChoiceMixin:
    """Limits organisation and area choices to what the user may change."""

    def limit_choices(self, user):
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.restrict(user, CHANGE)
        if "area" in self.fields:
            self.fields["area"].queryset = area_choices(
                Area.objects.restrict(user, VIEW).exclude(kind=AreaKind.LAN)
            )
        if "parent" in self.fields:
            self.fields["parent"].queryset = area_choices(
                Area.objects.restrict(user, VIEW).exclude(kind=AreaKind.LAN)
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
    error_fields = {NON_FIELD_ERRORS: "file"}  # a refused import is the file's error

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


# Administration (role administratör)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, which is a (multiple) model choice: its queryset may be set."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, which is a choice field: its choices may be set."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def offer_organisations(form, field: str, queryset) -> None:
    """Organisation choices for a form; a single choice is chosen already."""
    form.fields[field].queryset = queryset
    form.fields[field].empty_label = "—"
    if field not in form.initial and len(choices := list(queryset[:2])) == 1:
        form.initial[field] = choices[0].pk


def administered_organisations(user):
    """Active organisations the user administers: their own and those below, and partner
    organisations their organisation registered."""
    from trygg.core.access import MANAGE

    return Organisation.objects.restrict(user, MANAGE).filter(is_active=True).order_by("name")


class OrganisationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Belongs to"),
        help_text=_(
            "A sub-organisation is part of it; a partner organisation is registered by it "
            "and gets a partnership with it."
        ),
    )
    name = forms.CharField(max_length=200, label=_("Name"))
    organisation_number = forms.CharField(
        max_length=20, required=False, label=_("Organisation number")
    )
    partnership_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Name of the partnership"),
        help_text=_("Partner organisations only, e.g. the agreement's title."),
    )

    def __init__(self, *args, user, **kwargs):
        from trygg.core.choices import CHILD_KINDS, PARTNER_KINDS

        super().__init__(*args, **kwargs)
        offer_organisations(self, "owner", administered_organisations(user))
        self.fields["kind"].choices = [
            ("", "—"),
            (_("Sub-organisation"), [(k.value, k.label) for k in CHILD_KINDS]),
            (_("Partner organisation"), [(k.value, k.label) for k in PARTNER_KINDS]),
        ]


class OrganisationEditForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(label=_("Kind"))
    organisation_number = forms.CharField(
        max_length=20, required=False, label=_("Organisation number")
    )

    def __init__(self, *args, organisation, **kwargs):
        from trygg.core.choices import CHILD_KINDS, PARTNER_KINDS

        super().__init__(*args, **kwargs)
        kinds = (
            CHILD_KINDS
            if organisation.parent_id
            else PARTNER_KINDS
            if organisation.steward_id
            else (OrganisationKind(organisation.kind),)
        )
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class PartnershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    partner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Partner"))
    name = forms.CharField(max_length=200, required=False, label=_("Name"))
    diarienummer = forms.CharField(max_length=40, required=False, label=_("Reference number"))
    starts_on = forms.DateField(
        required=False, label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        required=False,
        label=_("Ends"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while the partnership runs until further notice."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self, "organisation", administered_organisations(user))
        self.fields["partner"].queryset = (
            Organisation.objects.restrict(user, VIEW).filter(is_active=True).order_by("name")
        )
        self.fields["partner"].empty_label = "—"

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned


class PartnershipRenewForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label=_("Name"))
    diarienummer = forms.CharField(max_length=40, required=False, label=_("Reference number"))
    starts_on = forms.DateField(
        required=False, label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        required=False,
        label=_("Ends"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while the partnership runs until further notice."),
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned


class AreaLimitMixin:
    def limit_areas(self, organisation: Organisation | None) -> None:
        self.fields["areas"].queryset = (
            area_choices(Area.objects.filter(organisation=organisation).order_by("name"))
            if organisation is not None
            else Area.objects.none()
        )


class InvitationForm(AreaLimitMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    # No default: giving someone the administratör role is a choice, never a default.
    role = forms.ChoiceField(choices=[("", "—"), *Role.choices], label=_("Role"))
    title = forms.CharField(
        max_length=200,
        required=False,
        label=pgettext_lazy("job title", "Title"),
        help_text=_("E.g. säkerhetsstrateg."),
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Limited to areas"),
        help_text=_("Leave empty for the whole organisation."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = administered_organisations(user)
        offer_organisations(self, "organisation", organisations)
        # Area limits are the chosen organisation's own areas (kommundelar).
        self.fields["areas"].queryset = area_choices(
            Area.objects.filter(organisation__in=organisations).select_related("organisation")
        ).order_by("organisation__name", "name")
        self.fields["areas"].label_from_instance = lambda a: f"{a.name} ({a.organisation})"

    def clean(self):
        cleaned = super().clean()
        organisation, areas = cleaned.get("organisation"), cleaned.get("areas")
        if organisation is not None and any(
            a.organisation_id != organisation.pk for a in areas or ()
        ):
            self.add_error("areas", _("An area limit must be one of the organisation's areas."))
        return cleaned


class MembershipForm(AreaLimitMixin, forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    title = forms.CharField(
        max_length=200, required=False, label=pgettext_lazy("job title", "Title")
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Limited to areas"),
        help_text=_("Leave empty for the whole organisation."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_areas(organisation)


class InvitationAcceptForm(forms.Form):
    error_fields = {NON_FIELD_ERRORS: "password1"}  # what the service refuses is the password

    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned
