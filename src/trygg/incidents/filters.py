"""Filters for incident reports and police events: one definition for page, API and export."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import VIEW
from trygg.core.choices import AreaKind
from trygg.core.filters import FilterSet
from trygg.core.models import Area, Organisation, Place
from trygg.incidents.choices import Assessment, CategoryGroup, ReportStatus, Resolution
from trygg.incidents.models import IncidentCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


#: The version of what the report filters' options are read from (see connect()).
OPTIONS_VERSION = "incident-report-choices"


def connect() -> None:
    """Saves and deletes of what the options are read from, or of what decides which of them
    a viewer gets (a category's or area's organisation, the organisations of a person's own
    reports, a kommun's area), bump their version. Memberships and partnerships are in the
    viewer's scope key (core.choice_cache.scope_key)."""
    from trygg.core import versioning
    from trygg.incidents.models import IncidentReport

    versioning.bump_on_change(
        OPTIONS_VERSION, [IncidentCategory, IncidentReport, Area, Place, Organisation]
    )


def changed() -> None:
    """Bump the options' version (and the kept counts of the report list, see
    ReportFilter.keep_counts): for writes of reports that send no signal (bulk inserts)."""
    from trygg.core import versioning

    versioning.bump(OPTIONS_VERSION)


def _start_of(day):
    """Midnight local time, so that a date filter can use the (…, occurred_at) indexes."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _descendant_ids(area: Area) -> set[int]:
    ids = {area.pk}
    frontier = {area.pk}
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= ids
        ids |= frontier
    return ids


def report_organisations(user) -> list[int] | None:
    """The organisations whose reports ``user`` may see (None: all, for a superuser).

    Every visible report belongs to one of them (see IncidentReport.access_q): the user's
    own organisations, their current partners and the organisations of the user's own
    reports; a report's category and area belong to its organisation (the area may be the
    organisation's kommun).
    """
    from trygg.core.access import member_organisation_ids, scope_for
    from trygg.incidents.models import IncidentReport

    scope = scope_for(user)
    if scope.is_superuser:
        return None
    if scope.user_id is None:
        return []
    own = member_organisation_ids(user, VIEW)
    mine = (
        IncidentReport.objects.filter(reporter_id=scope.user_id)
        .order_by()
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    return sorted(own | scope.partner_ids() | set(mine))


class _Names(ModelChoiceIterator):
    """The options of a choice of areas, places, categories or kommuner as (key, name), read
    with values_list: a select shows names, so no model instance is made per option (the
    field still checks a chosen key against its queryset)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = getattr(self.field, "rows", None)  # (key, name) already read (see kept_rows)
        yield from self.queryset.values_list("pk", "name") if rows is None else rows


class NameChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are the objects' names (their ``str()``)."""

    iterator = _Names


class ReportFilter(FilterSet):
    """Filters on what the user is shown: text and place match the blurred values (``shown_*``),
    so a partner cannot find a report by a description or place that is withheld from them."""

    q = forms.CharField(label=_("Search"), max_length=200)
    since = forms.DateField(label=_("From"), widget=DATE)
    until = forms.DateField(label=_("To"), widget=DATE)
    category = NameChoiceField(
        queryset=IncidentCategory.objects.none(), label=_("Category"), empty_label="—"
    )
    area = NameChoiceField(queryset=Area.objects.none(), label=_("Area"), empty_label="—")
    place = NameChoiceField(queryset=Place.objects.none(), label=_("Place"), empty_label="—")
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *ReportStatus.choices])
    assessment = forms.ChoiceField(label=_("Assessment"), choices=[("", "—"), *Assessment.choices])
    lookups = {"status": "status", "assessment": "assessment", "category": "category"}
    #: The blurred values (selectors.reports_visible) the filters read.
    shown = frozenset({"shown_description", "shown_address", "shown_place_name", "shown_place_id"})

    #: The model-choice filters whose options are kept in the cache (see use_cached_options).
    option_fields = ("category", "area", "place")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_cached_options()

    def option_querysets(self) -> dict:
        """The querysets of the category, area and place choices.

        The choices follow the organisations whose reports the user may see, read from the
        scope and the (small) category and area tables: never from the reports themselves,
        which would be a scan of every visible report on every view."""
        organisations = report_organisations(self.user)
        categories = IncidentCategory.objects.restrict(self.user, "report")
        areas = Area.objects.restrict(self.user, VIEW).filter(organisation__isnull=False)
        if organisations is None:  # a superuser sees every report
            categories = IncidentCategory.objects.all()
            areas = Area.objects.filter(
                Q(organisation__isnull=False) | Q(pk__in=Organisation.objects.values("area_id"))
            )
        else:
            categories = IncidentCategory.objects.filter(
                Q(organisation_id__in=organisations) | Q(pk__in=categories.values("pk"))
            )
            kommuner = Organisation.objects.filter(pk__in=organisations).values("area_id")
            areas = Area.objects.filter(
                Q(organisation_id__in=organisations)
                | Q(pk__in=kommuner)
                | Q(pk__in=areas.values("pk"))
            )
        return {
            "category": categories.order_by("group", "order", "name"),
            "area": areas.only("pk", "name").order_by("kind", "name"),
            "place": Place.objects.restrict(self.user, VIEW).only("pk", "name").order_by("name"),
        }

    def use_cached_options(self) -> None:
        """The options as (key, name), kept in the cache under the viewer's scope and the
        version of what they are read from (OPTIONS_VERSION, bumped by connect()'s models):
        a list view does not read them again. A field's queryset is built only when the
        request chooses in it, to check the choice."""
        from trygg.core import choice_cache

        def compute() -> dict[str, list[tuple[int, str]]]:
            querysets = self.option_querysets()
            return {
                name: list(querysets[name].values_list("pk", "name")) for name in self.option_fields
            }

        options = choice_cache.remembered(OPTIONS_VERSION, self.user, compute, name="reports")
        chosen = [name for name in self.option_fields if self.data.get(name) not in (None, "")]
        querysets = self.option_querysets() if chosen else {}
        for name in self.option_fields:
            field = cast(forms.ModelChoiceField, self.fields[name])
            if name in querysets:
                field.queryset = querysets[name]
            field.choices = [("", field.empty_label), *options[name]]

    #: Set by filter_queryset: the blurred rows still listed, and the listed rows per status.
    blurred_count = 0
    status_counts: dict[str, int] = {}
    organisation_counts: dict[int, int] = {}

    #: Set by the report list's page (not its export): with no filter chosen, the counts of
    #: the viewer's reports are kept in the cache under their scope and OPTIONS_VERSION,
    #: which every save and delete of a report bumps (connect(); a bulk insert: changed()).
    keep_counts = False

    def filter_queryset(self, queryset):
        from trygg.core import choice_cache
        from trygg.incidents.selectors import count_rows, without_small_counts

        filtered = super().filter_queryset(queryset)
        rows = None
        if self.keep_counts and self.is_valid() and not self.active:
            rows = choice_cache.remembered(
                OPTIONS_VERSION, self.user, lambda: count_rows(filtered), name="report-counts"
            )
        counts = without_small_counts(filtered, rows)
        self.blurred_count, self.status_counts = counts.blurred, counts.statuses
        self.organisation_counts = counts.organisations
        return counts.queryset

    def filter_q(self, queryset, value):
        return queryset.filter(
            Q(shown_description__icontains=value)
            | Q(shown_address__icontains=value)
            | Q(shown_place_name__icontains=value)
            | Q(category__name__icontains=value)
        )

    def filter_place(self, queryset, place):
        return queryset.filter(shown_place_id=place.pk)

    def filter_since(self, queryset, value):
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_until(self, queryset, value):
        return queryset.filter(occurred_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_area(self, queryset, area):
        return queryset.filter(area_id__in=_descendant_ids(area))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data


class CategoryFilter(FilterSet):
    q = forms.CharField(label=_("Search"))
    group = forms.ChoiceField(label=_("Group"), choices=[("", "—"), *CategoryGroup.choices])
    is_active = forms.ChoiceField(
        label=_("Active"), choices=[("", "—"), ("1", _("yes")), ("0", _("no"))]
    )
    lookups = {"q": "name__icontains", "group": "group"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_is_active(self, queryset, value):
        return queryset.filter(is_active=value == "1")


SUMMARY_CHOICES = [
    ("", _("Included")),
    ("exclude", _("Left out")),
    ("only", _("Only summaries")),
]


class PoliceEventFilter(FilterSet):
    q = forms.CharField(label=_("Search"))
    kommun = NameChoiceField(
        queryset=Area.objects.none(), label=_("Municipality"), empty_label=_("The whole country")
    )
    event_type = forms.ChoiceField(label=_("Type"))
    since = forms.DateField(label=_("From"), widget=DATE)
    until = forms.DateField(label=_("To"), widget=DATE)
    resolution = forms.ChoiceField(label=_("Placed by"), choices=[("", "—"), *Resolution.choices])
    summaries = forms.ChoiceField(label=_("Summary posts"), choices=SUMMARY_CHOICES)
    lookups = {"kommun": "kommun", "event_type": "event_type", "resolution": "resolution"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.core import choice_cache

        kommuner = Area.objects.filter(kind=AreaKind.KOMMUN).only("pk", "name").order_by("name")
        self.fields["kommun"].queryset = kommuner
        # The country's kommuner, the same for every viewer: kept, not read on every view
        # (the field still checks a chosen key against its queryset).
        self.fields["kommun"].rows = choice_cache.shared(  # type: ignore[attr-defined]
            OPTIONS_VERSION, lambda: list(kommuner.values_list("pk", "name")), name="kommuner"
        )
        from trygg.incidents.selectors import police_event_types

        types = police_event_types(self.user)
        self.fields["event_type"].choices = [("", "—"), *((t, t) for t in types)]

    def filter_q(self, queryset, value):
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_since(self, queryset, value):
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_until(self, queryset, value):
        return queryset.filter(occurred_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_summaries(self, queryset, value):
        if value == "exclude":
            return queryset.filter(is_summary=False)
        if value == "only":
            return queryset.filter(is_summary=True)
        return queryset

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data
