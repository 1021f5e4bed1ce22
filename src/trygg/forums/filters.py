"""One filter definition per list: the page, its CSV/XLSX export and the API use these."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core import choice_cache, versioning
from trygg.core.access import VIEW
from trygg.core.filters import FilterSet
from trygg.core.forms import area_choices
from trygg.core.models import Area, Organisation
from trygg.forums.choices import DecisionStatus, ForumKind, MeetingStatus
from trygg.forums.models import Forum

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _with_empty(choices):
    return [("", "—"), *choices]


#: The version of what the forum filters' options are read from (see connect()).
OPTIONS_VERSION = "forum-choices"


class CachedOptions:
    """Options of the model-choice filters kept in the cache (core.choice_cache), per viewer
    scope and data version: a list page does not read them on every view. A field's
    restricted queryset is built only when the request chooses in it, to check the choice."""

    option_fields: tuple[str, ...] = ()

    def option_queryset(self, name: str):
        raise NotImplementedError

    def use_cached_options(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        data = self.data  # type: ignore[attr-defined]

        def compute() -> dict[str, list[tuple[int, str]]]:
            return {
                name: [
                    (obj.pk, str(fields[name].label_from_instance(obj)))
                    for obj in self.option_queryset(name)
                ]
                for name in self.option_fields
            }

        user = self.user  # type: ignore[attr-defined]
        options = choice_cache.remembered(OPTIONS_VERSION, user, compute, name=type(self).__name__)
        for name, choices in options.items():
            field = fields[name]
            if data.get(name) not in (None, ""):
                field.queryset = self.option_queryset(name)
            field.choices = [("", field.empty_label), *choices]


def connect() -> None:
    """Saves and deletes of what the options are read from, or of what decides who sees it
    (a forum's area and member organisations, a decision's meeting), bump their version; so
    do a meeting's participants, which the start page's meetings panel (forums.panels) keeps
    under the same version, and a forum's members, whose names the forum page keeps there
    (forums.reading)."""
    from trygg.core.models import Partnership
    from trygg.forums.models import Decision, Meeting

    versioning.bump_on_change(
        OPTIONS_VERSION,
        [
            Forum,
            Forum.member_organisations.through,
            Forum.members.through,
            Meeting,
            Meeting.participants.through,
            Decision,
            Organisation,
            Partnership,
            Area,
            get_user_model(),
        ],
    )


class ForumFilter(CachedOptions, FilterSet):
    q = forms.CharField(label=_("Search"))
    kind = forms.ChoiceField(label=_("Kind"), choices=_with_empty(ForumKind.choices))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label="—", label=_("Organisation")
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), empty_label="—", label=_("Area"))
    year = forms.IntegerField(label=_("Count meetings in year"), min_value=2000, max_value=2100)
    lookups = {"q": "name__icontains", "kind": "kind", "organisation": "organisation"}

    option_fields = ("organisation", "area")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_cached_options()
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)

    def option_queryset(self, name: str):
        if name == "organisation":
            return Organisation.objects.restrict(self.user, VIEW)
        # The areas that the user's forums are tied to.
        return area_choices(
            Area.objects.restrict(self.user, VIEW).filter(
                pk__in=Forum.objects.restrict(self.user, VIEW).values("area")
            )
        )

    def filter_area(self, queryset, area):
        return queryset.filter(area=area)

    def filter_year(self, queryset, year):
        return queryset  # chooses the year of the counts, not which forums are shown

    @property
    def count_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class MeetingFilter(FilterSet):
    forum = forms.ModelChoiceField(queryset=Forum.objects.none(), empty_label="—", label=_("Forum"))
    status = forms.ChoiceField(label=_("Status"), choices=_with_empty(MeetingStatus.choices))
    since = forms.DateField(label=_("From"), widget=DATE)
    until = forms.DateField(label=_("To"), widget=DATE)
    q = forms.CharField(label=_("Search"))
    lookups = {
        "forum": "forum",
        "status": "status",
        "since": "starts_at__date__gte",
        "until": "starts_at__date__lte",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.restrict(self.user, VIEW)

    def filter_q(self, queryset, value):
        from django.db.models import Q

        return queryset.filter(
            Q(title__icontains=value)
            | Q(location__icontains=value)
            | Q(forum__name__icontains=value)
        )


SHOW_ALL = "all"


class DecisionFilter(CachedOptions, FilterSet):
    """Open decisions unless another status is chosen ("all" shows every status)."""

    forum = forms.ModelChoiceField(queryset=Forum.objects.none(), empty_label="—", label=_("Forum"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", DecisionStatus.OPEN.label),
            (DecisionStatus.DONE, DecisionStatus.DONE.label),
            (DecisionStatus.STRUCK, DecisionStatus.STRUCK.label),
            (SHOW_ALL, _("All")),
        ],
    )
    owner_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label="—", label=_("Responsible organisation")
    )
    owner_user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), empty_label="—", label=_("Responsible person")
    )
    overdue = forms.BooleanField(label=_("Only overdue"))
    due_before = forms.DateField(label=_("Due by"), widget=DATE)
    q = forms.CharField(label=_("Search"))
    lookups = {
        "forum": "meeting__forum",
        "owner_organisation": "owner_organisation",
        "owner_user": "owner_user",
        "due_before": "due_date__lte",
        "q": "text__icontains",
    }

    option_fields = ("forum", "owner_organisation", "owner_user")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.use_cached_options()

    def option_queryset(self, name: str):
        if name == "forum":
            return Forum.objects.restrict(self.user, VIEW)
        if name == "owner_organisation":
            return Organisation.objects.restrict(self.user, VIEW)
        # People responsible for a decision the user can see.
        from trygg.forums.models import Decision

        owners = Decision.objects.restrict(self.user, VIEW).values("owner_user")
        return get_user_model().objects.filter(pk__in=owners).order_by("first_name", "last_name")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.is_valid():
            status = self.cleaned_data.get("status") or DecisionStatus.OPEN
            if status != SHOW_ALL:
                queryset = queryset.filter(status=status)
        return queryset

    def filter_status(self, queryset, value):
        return queryset  # applied in filter_queryset, where "no choice" means open

    def filter_overdue(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(status=DecisionStatus.OPEN, due_date__lt=timezone.localdate())

    @property
    def active(self) -> bool:
        return self.is_valid() and any(
            v not in (None, "", [], (), False) for v in self.cleaned_data.values()
        )
