"""Insatsregister: every measure, in a plan or ad hoc, found, filtered, exported and reported.

One ``RegisterFilter`` serves the page, the API (``/api/budget/register``) and the CSV/XLSX
export, so what is exported is exactly what is on screen.

Definitions used by the filters and by the answer to a skrivelse:

- **Year**: the measure's period overlaps the year. A measure without dates takes its
  plan's dates; with no dates at all it is taken to run throughout.
- **Area**: the measure is tied to the area, or to a part of it (a stadsdel of a
  stadsdelsområde), directly or through one of its places.
- **Own work / in collaboration** ("i samverkan"): a measure is in collaboration when it has
  a responsible party other than its owner organisation: a linked other organisation, or a
  party written as free text (föreningar, polisen …). The plan service links the owner's own
  name ("Kommun", the förvaltning's name) to the owner, so free text means someone else.
- **Funding source**: the measure has a funding row from that source (see budget).

The answer to a skrivelse (seed 004) is built from the selection as follows:

1. *What was done in the field*: measures that are ongoing or completed, except staff
   training, grouped by social and situational prevention, with their areas.
2. *Alone or with others, with what resources*: the same measures split into own work and
   collaboration, with the other parties and the funding sources (amounts where known).
3. *What is planned for the rest of the year*: measures not started whose period reaches
   past the as-of date, and ongoing measures that continue after it.
4. *Staff training*: measures with the category "staff training" (kept in the budget app),
   unless cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.generic import TemplateView

from trygg.budget.choices import FundingSource, MeasureTagKind
from trygg.budget.models import MeasureFunding, MeasureTag, budget_readable
from trygg.core.access import VIEW, scope_for
from trygg.core.filters import FilterSet
from trygg.core.listing import RestrictedListView
from trygg.core.models import Area, Organisation, Place
from trygg.core.tables import Column, Table, row_url
from trygg.plans.choices import PreventionType, StatusCategory
from trygg.plans.models import Measure, MeasureResponsible, Plan
from trygg.reports import register_rows
from trygg.reports.register_choices import choice_lists, choice_queryset

OWN = "own"
COLLABORATION = "collaboration"


def _area_and_parts(area: Area) -> set[int]:
    result = {area.pk}
    frontier = {area.pk}
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= result
        result |= frontier
    return result


def with_collaboration(queryset):
    """Annotate ``in_collaboration``: a responsible party other than the owner organisation."""
    others = MeasureResponsible.objects.filter(measure=OuterRef("pk")).filter(
        Q(organisation_ref__isnull=True) | ~Q(organisation_ref=OuterRef("organisation"))
    )
    return queryset.annotate(in_collaboration=Exists(others))


def overlapping_year(queryset, year: int):
    """Measures whose period (or their plan's) overlaps the year."""
    queryset = queryset.annotate(
        period_start=Coalesce("starts_on", "plan__starts_on"),
        period_end=Coalesce("ends_on", "plan__ends_on"),
    )
    return queryset.filter(
        Q(period_start__isnull=True) | Q(period_start__lte=dt.date(year, 12, 31)),
        Q(period_end__isnull=True) | Q(period_end__gte=dt.date(year, 1, 1)),
    )


class RegisterFilter(FilterSet):
    """Filters of the insatsregister, shared by page, API and export."""

    q = forms.CharField(label=gettext_lazy("Search"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=gettext_lazy("Plan"))
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=gettext_lazy("Area"))
    place = forms.ModelChoiceField(queryset=Place.objects.none(), label=gettext_lazy("Place"))
    prevention_type = forms.ChoiceField(label=gettext_lazy("Kind of prevention"))
    collaboration = forms.ChoiceField(label=gettext_lazy("Own work or in collaboration"))
    partner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("With organisation")
    )
    party = forms.CharField(
        label=gettext_lazy("With party"), help_text=gettext_lazy("E.g. Polisen or föreningar.")
    )
    source = forms.ChoiceField(label=gettext_lazy("Funding source"))
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    target_group = forms.CharField(label=gettext_lazy("Target group"))
    category = forms.ChoiceField(label=gettext_lazy("Category"))

    lookups = {"organisation": "organisation", "plan": "plan", "status": "status__category"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options shown come from choice_lists (kept in the cache); a field's queryset is
        # built only when the request chooses in it, to check the choice and filter by it.
        for name, choices in choice_lists(self.user).items():
            field_ = self.fields[name]
            if self.data.get(name) not in (None, ""):
                field_.queryset = choice_queryset(self.user, name)
            field_.choices = [("", field_.empty_label), *choices]
        self.fields["prevention_type"].choices = [
            ("", "—"),
            (PreventionType.SOCIAL, PreventionType.SOCIAL.label),
            (PreventionType.SITUATIONELL, PreventionType.SITUATIONELL.label),
        ]
        self.fields["collaboration"].choices = [
            ("", "—"),
            (OWN, gettext_lazy("Own work")),
            (COLLABORATION, gettext_lazy("In collaboration")),
        ]
        self.fields["source"].choices = [("", "—"), *FundingSource.choices]
        self.fields["status"].choices = [("", "—"), *StatusCategory.choices]
        self.fields["category"].choices = [("", "—"), *MeasureTagKind.choices]

    def filter_q(self, queryset, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(action__icontains=value) | Q(challenge__icontains=value)
        )

    def filter_year(self, queryset, value):
        return overlapping_year(queryset, value)

    def filter_area(self, queryset, area):
        parts = _area_and_parts(area)
        return queryset.filter(
            Q(pk__in=Measure.objects.filter(areas__in=parts).values("pk"))
            | Q(pk__in=Measure.objects.filter(places__area__in=parts).values("pk"))
        )

    def filter_place(self, queryset, place):
        return queryset.filter(pk__in=Measure.objects.filter(places=place).values("pk"))

    def filter_prevention_type(self, queryset, value):
        return queryset.filter(prevention_type__in=[value, PreventionType.BADA])

    def filter_collaboration(self, queryset, value):
        if "in_collaboration" not in queryset.query.annotations:
            queryset = with_collaboration(queryset)
        return queryset.filter(in_collaboration=(value == COLLABORATION))

    def filter_partner(self, queryset, organisation):
        return queryset.filter(
            pk__in=MeasureResponsible.objects.filter(organisation_ref=organisation).values(
                "measure_id"
            )
        )

    def filter_party(self, queryset, value):
        return queryset.filter(
            pk__in=MeasureResponsible.objects.filter(
                Q(label__icontains=value)
                | Q(unit__icontains=value)
                | Q(organisation_ref__name__icontains=value)
            ).values("measure_id")
        )

    def filter_source(self, queryset, value):
        # Through restrict(): a partner who sees a shared measure does not see its money,
        # so cannot find measures by it either.
        return queryset.filter(
            pk__in=MeasureFunding.objects.restrict(self.user, VIEW)
            .filter(source=value)
            .values("measure_id")
        )

    def filter_target_group(self, queryset, value):
        return queryset.filter(target_group__icontains=value)

    def filter_category(self, queryset, value):
        return queryset.filter(
            pk__in=MeasureTag.objects.restrict(self.user, VIEW)
            .filter(kind=value)
            .values("measure_id")
        )


# Selectors


def register_measures(user):
    """Every measure the user may see, with ``in_collaboration``: what the filters, the sort
    and the counts read, without the rows' details."""
    return with_collaboration(Measure.objects.restrict(user, VIEW))


def with_register_details(queryset, user):
    """What the register shows of each measure, prefetched (for a queryset read whole, as the
    API reads it). Areas without their boundaries; fundings and tags through ``restrict()``:
    a partner who sees a shared measure does not see its money."""
    return queryset.select_related("plan", "status", "organisation").prefetch_related(
        Prefetch("areas", queryset=Area.objects.defer("geometry")),
        "places",
        "responsibles",
        Prefetch(
            "fundings",
            queryset=MeasureFunding.objects.restrict(user, VIEW).select_related("budget_line"),
            to_attr="visible_fundings",
        ),
        Prefetch("tags", queryset=MeasureTag.objects.restrict(user, VIEW), to_attr="visible_tags"),
    )


def register_queryset(user):
    """Every measure the user may see, with what the register shows, fetched up front."""
    return with_register_details(register_measures(user), user)


@dataclass(frozen=True, slots=True)
class Party:
    """A responsible party read as values, shown as the model shows it."""

    label: str
    unit: str
    organisation_ref_id: int | None

    @property
    def display(self) -> str:
        return MeasureResponsible.display.fget(self)  # type: ignore[attr-defined]


def attach_details(measures: list, user, *, tags: bool = True) -> list:
    """What the register shows of each of ``measures`` (a list already read), attached in one
    plain query per relation: area and place names, responsible parties, the fundings and
    tags the user may see. Cheaper than ``prefetch_related``, which builds a queryset for
    every row. Returns ``measures``."""
    if not measures:
        return measures
    keys = [m.pk for m in measures]
    names: dict[int, list[str]] = {pk: [] for pk in keys}
    for measure_id, name in (
        Measure.areas.through.objects.filter(measure_id__in=keys)
        .order_by("area__name")
        .values_list("measure_id", "area__name")
    ):
        names[measure_id].append(name)
    for measure_id, name in (
        Measure.places.through.objects.filter(measure_id__in=keys)
        .order_by("place__name")
        .values_list("measure_id", "place__name")
    ):
        names[measure_id].append(name)
    responsibles: dict[int, list] = {pk: [] for pk in keys}
    for measure_id, organisation_ref_id, label, unit in (
        MeasureResponsible.objects.filter(measure_id__in=keys)
        .order_by("order", "id")
        .values_list("measure_id", "organisation_ref_id", "label", "unit")
    ):
        responsibles[measure_id].append(Party(label, unit, organisation_ref_id))
    fundings: dict[int, list] = {pk: [] for pk in keys}
    found_tags: dict[int, list] = {pk: [] for pk in keys}
    # Fundings and tags belong to their measure's organisation and are read by its members
    # (budget.models.budget_readable): a partner who sees only shared measures reads none.
    scope = scope_for(user)
    budget_keys = [m.pk for m in measures if budget_readable(scope, m.organisation_id)]
    if budget_keys:
        for funding in (
            MeasureFunding.objects.restrict(user, VIEW)
            .filter(measure_id__in=budget_keys)
            .select_related("budget_line")
            .order_by("year", "source", "id")
        ):
            fundings[funding.measure_id].append(funding)
    if tags and budget_keys:
        for tag in (
            MeasureTag.objects.restrict(user, VIEW)
            .filter(measure_id__in=budget_keys)
            .order_by("kind", "id")
        ):
            found_tags[tag.measure_id].append(tag)
    for measure in measures:
        measure.area_names = names[measure.pk]
        measure.responsible_list = responsibles[measure.pk]
        measure.visible_fundings = fundings[measure.pk]
        if tags:
            measure.visible_tags = found_tags[measure.pk]
    return measures


def filtered_measures(user, params):
    """The measures of the register after the filters in ``params`` (GET or API query)."""
    form = RegisterFilter(params or None, user=user)
    return form, form.filter_queryset(register_queryset(user))


def _responsibles(measure) -> list:
    found = getattr(measure, "responsible_list", None)
    return found if found is not None else list(measure.responsibles.all())


def areas_of(measure) -> list[str]:
    found = getattr(measure, "area_names", None)
    if found is not None:
        return found
    return [a.name for a in measure.areas.all()] + [p.name for p in measure.places.all()]


def parties_of(measure) -> list[str]:
    return [r.display for r in _responsibles(measure)]


def other_parties_of(measure) -> list[str]:
    return [
        r.display
        for r in _responsibles(measure)
        if r.organisation_ref_id is None or r.organisation_ref_id != measure.organisation_id
    ]


def fundings_of(measure) -> list:
    return getattr(measure, "visible_fundings", None) or []


def sources_of(measure) -> list[str]:
    labels = []
    for funding in fundings_of(measure):
        label = str(funding.get_source_display())
        if funding.budget_line_id:
            label = f"{label}: {funding.budget_line.name}"
        if funding.note:
            label = f"{label} ({funding.note.rstrip('.')})"
        if label not in labels:
            labels.append(label)
    return labels


def cost_of(measure) -> Decimal | None:
    """The known cost: the sum of the funding amounts that are known; None if none is."""
    amounts = [f.amount for f in fundings_of(measure) if f.amount is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def is_staff_training(measure) -> bool:
    return any(
        t.kind == MeasureTagKind.STAFF_TRAINING for t in getattr(measure, "visible_tags", [])
    )


def measure_link(measure) -> str | None:
    try:
        return reverse("plans:measure_detail", args=[measure.pk])
    except NoReverseMatch:  # the measure page is not mounted
        return None


@dataclass
class RegisterSummary:
    count: int
    by_status: list[tuple[str, str, int]]
    own: int
    collaboration: int


def register_summary(cells) -> RegisterSummary:
    """Counts over every filtered measure, for the top of the page, from one
    ``(pk, status category, in collaboration)`` row per measure (the page reads those rows
    anyway to count and page them)."""
    per_status: dict[str, int] = {}
    collaboration = 0
    for _pk, category, in_collaboration in cells:
        per_status[category] = per_status.get(category, 0) + 1
        if in_collaboration:
            collaboration += 1
    count = len(cells)
    return RegisterSummary(
        count=count,
        by_status=[
            (value, str(label), per_status[value])
            for value, label in StatusCategory.choices
            if per_status.get(value)
        ],
        own=count - collaboration,
        collaboration=collaboration,
    )


# The answer to a skrivelse


@dataclass
class AnswerItem:
    measure: Measure
    title: str
    details: list[str]

    @property
    def html(self) -> str:
        """The item as the page lists it, written here rather than by the template language
        (an answer lists every measure of the year)."""
        details = (
            format_html(
                ' <span class="meta">– {}</span>',
                format_html_join("; ", "{}", ((detail,) for detail in self.details)),
            )
            if self.details
            else ""
        )
        return format_html("<strong>{}</strong>{}", self.title, details)


@dataclass
class AnswerGroup:
    heading: str
    items: list[AnswerItem] = field(default_factory=list)


@dataclass
class Answer:
    number: int
    question: str
    summary: str
    rule: str
    groups: list[AnswerGroup]

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


def answers_html(answers: list[Answer]) -> str:
    """The answers as the page shows them, a section per answer with its groups and items,
    written here rather than by the template language (an answer lists every measure of the
    year). Every value is escaped."""
    how = conditional_escape(_("How this answer is selected:"))
    parts = []
    for answer in answers:
        number = answer.number
        parts.append(
            f'<section class="card answer" aria-labelledby="answer-{number}">\n'
            f'  <h2 id="answer-{number}">{number}. {conditional_escape(answer.question)}</h2>\n'
            f"  <p>{conditional_escape(answer.summary)}</p>\n"
        )
        for group in answer.groups:
            items = "".join(f"    <li>{item.html}</li>\n" for item in group.items)
            parts.append(
                f"  <h3>{conditional_escape(group.heading)}</h3>\n  <ul>\n{items}  </ul>\n"
            )
        parts.append(f'  <p class="help">{how} {conditional_escape(answer.rule)}</p>\n</section>\n')
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped here or in item.html


def _answer_period(measure) -> str:
    """The measure's period in an answer, the plan's where the measure has none."""
    start = measure.starts_on or measure.plan.starts_on
    end = measure.ends_on or measure.plan.ends_on
    if start and end:
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    if start:
        return _("from %(date)s") % {"date": f"{start:%Y-%m-%d}"}
    if end:
        return _("until %(date)s") % {"date": f"{end:%Y-%m-%d}"}
    return ""


def _item(measure, *, parties=False, resources=False) -> AnswerItem:
    details = []
    places = areas_of(measure)
    if places:
        details.append(_("Where: %(areas)s") % {"areas": ", ".join(places)})
    period = _answer_period(measure)
    if period:
        details.append(_("When: %(period)s") % {"period": period})
    details.append(_("Status: %(status)s") % {"status": measure.status.name})
    if parties:
        others = other_parties_of(measure)
        if others:
            details.append(_("With: %(parties)s") % {"parties": ", ".join(others)})
    if resources:
        sources = sources_of(measure)
        cost = cost_of(measure)
        if sources:
            text = _("Resources: %(sources)s") % {"sources": "; ".join(sources)}
            if cost is not None:
                from trygg.core.formatting import format_money

                text += " – " + format_money(cost)
            details.append(text)
        else:
            details.append(_("Resources: not recorded"))
    return AnswerItem(measure=measure, title=measure.title, details=details)


def skrivelse_answers(measures: list, *, year: int, as_of: dt.date) -> list[Answer]:
    """The four answers of seed 004, built from the filtered measures (see the module doc)."""
    active = {StatusCategory.ONGOING, StatusCategory.DONE}
    carried_out = [m for m in measures if m.status.category in active and not is_staff_training(m)]
    # 1. In the field, by kind of prevention
    groups_1 = []
    for value, label in [
        (PreventionType.SOCIAL, _("Social prevention")),
        (PreventionType.SITUATIONELL, _("Situational prevention")),
        (PreventionType.BADA, _("Both social and situational prevention")),
        ("", _("Kind of prevention not stated")),
    ]:
        items = [_item(m) for m in carried_out if m.prevention_type == value]
        if items:
            groups_1.append(AnswerGroup(heading=label, items=items))
    social = sum(1 for m in carried_out if m.prevention_type == PreventionType.SOCIAL)
    situational = sum(1 for m in carried_out if m.prevention_type == PreventionType.SITUATIONELL)
    answer_1 = Answer(
        number=1,
        question=_("Which direct measures have been carried out in the field?"),
        summary=ngettext(
            "In %(year)s, %(count)s measure has been carried out or is ongoing: "
            "%(social)s social and %(situational)s situational.",
            "In %(year)s, %(count)s measures have been carried out or are ongoing: "
            "%(social)s social and %(situational)s situational.",
            len(carried_out),
        )
        % {
            "year": year,
            "count": len(carried_out),
            "social": social,
            "situational": situational,
        },
        rule=_("Measures with status ongoing or completed, except staff training."),
        groups=groups_1,
    )
    # 2. Alone or with others, and with what resources
    own = [m for m in carried_out if not m.in_collaboration]
    together = [m for m in carried_out if m.in_collaboration]
    groups_2 = []
    if own:
        groups_2.append(
            AnswerGroup(heading=_("Own work"), items=[_item(m, resources=True) for m in own])
        )
    if together:
        groups_2.append(
            AnswerGroup(
                heading=_("In collaboration with others"),
                items=[_item(m, parties=True, resources=True) for m in together],
            )
        )
    answer_2 = Answer(
        number=2,
        question=_(
            "Which measures were carried out alone and which together with others, and with "
            "what resources?"
        ),
        summary=ngettext(
            "Of the %(count)s measure, %(own)s was carried out by the organisation alone and "
            "%(together)s together with other parties.",
            "Of the %(count)s measures, %(own)s were carried out by the organisation alone and "
            "%(together)s together with other parties.",
            len(carried_out),
        )
        % {"count": len(carried_out), "own": len(own), "together": len(together)},
        rule=_(
            "A measure is in collaboration when it has a responsible party other than its "
            "organisation. Resources are the recorded funding sources."
        ),
        groups=groups_2,
    )
    # 3. Planned for the rest of the year
    year_end = dt.date(year, 12, 31)

    def ends_after(measure) -> bool:
        end = measure.ends_on or measure.plan.ends_on
        return end is None or end > as_of

    def starts_by_year_end(measure) -> bool:
        start = measure.starts_on or measure.plan.starts_on
        return start is None or start <= year_end

    planned = [
        m
        for m in measures
        if m.status.category == StatusCategory.NOT_STARTED
        and ends_after(m)
        and starts_by_year_end(m)
    ]
    continuing = [
        m
        for m in measures
        if m.status.category == StatusCategory.ONGOING
        and ends_after(m)
        and not is_staff_training(m)
    ]
    groups_3 = []
    if planned:
        groups_3.append(
            AnswerGroup(heading=_("Planned"), items=[_item(m, parties=True) for m in planned])
        )
    if continuing:
        groups_3.append(AnswerGroup(heading=_("Continuing"), items=[_item(m) for m in continuing]))
    answer_3 = Answer(
        number=3,
        question=_("What is planned for the rest of the year?"),
        summary=ngettext(
            "After %(date)s, %(planned)s measure is planned and %(continuing)s ongoing "
            "measures continue.",
            "After %(date)s, %(planned)s measures are planned and %(continuing)s ongoing "
            "measures continue.",
            len(planned),
        )
        % {"date": f"{as_of:%Y-%m-%d}", "planned": len(planned), "continuing": len(continuing)},
        rule=_(
            "Measures not started, and ongoing measures, whose period continues after the date."
        ),
        groups=groups_3,
    )
    # 4. Staff training
    training = [
        m
        for m in measures
        if is_staff_training(m) and m.status.category != StatusCategory.CANCELLED
    ]
    answer_4 = Answer(
        number=4,
        question=_("How is the staff who meet young people trained?"),
        summary=ngettext(
            "%(count)s staff training measure in %(year)s.",
            "%(count)s staff training measures in %(year)s.",
            len(training),
        )
        % {"count": len(training), "year": year},
        rule=_("Measures with the category staff training, unless cancelled."),
        groups=[
            AnswerGroup(
                heading=_("Staff training"),
                items=[_item(m, parties=True, resources=True) for m in training],
            )
        ]
        if training
        else [],
    )
    return [answer_1, answer_2, answer_3, answer_4]


# Pages


#: The columns the page shows; the export carries every column. Fourteen columns do not fit a
#: desktop screen, and the kind of prevention, "in collaboration", the plan, the organisation and
#: the target group are filters on the page already.
PAGE_COLUMNS = ("title", "status", "areas", "period", "parties", "sources", "cost")


class RegisterTable(Table):
    """One column definition for the register page and its CSV/XLSX export."""

    default_sort = "title"
    money_keys = frozenset({"cost"})
    money_style = "auto"
    export_columns = [
        Column(
            "title",
            pgettext_lazy("register of measures", "Measure"),
            lambda m: m.title,
            sort="title",
            link=measure_link,
        ),
        Column("status", gettext_lazy("Status"), lambda m: m.status.name, sort="status__order"),
        Column(
            "prevention_type",
            gettext_lazy("Kind of prevention"),
            lambda m: m.get_prevention_type_display(),
            sort="prevention_type",
        ),
        Column("areas", gettext_lazy("Area or place"), lambda m: ", ".join(areas_of(m))),
        Column(
            "target_group",
            gettext_lazy("Target group"),
            lambda m: m.target_group,
            sort="target_group",
        ),
        Column("starts_on", gettext_lazy("Starts"), lambda m: m.starts_on, sort="starts_on"),
        Column("ends_on", gettext_lazy("Ends"), lambda m: m.ends_on, sort="ends_on"),
        Column(
            "collaboration",
            gettext_lazy("In collaboration"),
            lambda m: _("Yes") if m.in_collaboration else _("No"),
            sort="in_collaboration",
        ),
        Column("parties", gettext_lazy("Responsible parties"), lambda m: "; ".join(parties_of(m))),
        Column("sources", gettext_lazy("Funding"), lambda m: "; ".join(sources_of(m))),
        Column("cost", gettext_lazy("Known cost"), cost_of, numeric=True),
        Column("plan", gettext_lazy("Plan"), lambda m: m.plan.title, sort="plan__title"),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda m: m.organisation.name,
            sort="organisation__name",
        ),
    ]
    #: Set for the export: prepare() attaches the rows' details for this user.
    user = None

    def page_links(self) -> dict:
        try:
            return {"title": lambda m, url=row_url("plans:measure_detail"): url(m.pk)}
        except NoReverseMatch:  # the measure page is not mounted
            return {}

    def prepare(self, objects) -> list:
        if self.user is None:
            return list(objects)
        if hasattr(objects, "select_related"):
            objects = objects.select_related("plan", "status", "organisation")
        return attach_details(list(objects), self.user, tags=False)

    columns = [
        *(column for column in export_columns if column.key in PAGE_COLUMNS[:3]),
        Column("period", gettext_lazy("Period"), register_rows.period, sort="starts_on"),
        *(column for column in export_columns if column.key in PAGE_COLUMNS[4:]),
    ]


class RegisterView(RestrictedListView):
    """Insatsregister: every measure the user may see, filtered, sorted and exportable."""

    model = Measure
    filterset_class = RegisterFilter
    table_class = RegisterTable
    template_name = "reports/register.html"
    title = gettext_lazy("Register of measures")
    export_name = "insatser"
    paginate_by = 100

    def base_queryset(self):
        # The rows' details are fetched for the page's rows only (_page_measures), or for
        # every row by the export.
        return register_measures(self.request.user)

    def export(self, fmt: str):
        self.filtered_queryset()
        self.table.user = self.request.user  # the export's rows are read by prepare()
        return super().export(fmt)

    def get_context_data(self, **kwargs):
        """The page in three steps: every filtered measure's key, status and collaboration in
        the order of the sort (one query: the count, the summary and the page's keys), then
        the page's measures by their keys with what the columns show."""
        context = TemplateView.get_context_data(self, **kwargs)
        queryset = self.filtered_queryset()
        cells = list(queryset.values_list("pk", "status__category", "in_collaboration"))
        paginator = Paginator(cells, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        rows = register_rows.page_rows(
            self.table, self.request.user, list(page.object_list), self._page_measures
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            title=self.title,
            filterset=self.filterset,
            table=self.table,
            rows=rows,
            page_obj=page,
            paginator=paginator,
            sort=self.sort,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            create_url=self.create_url,
            create_label=self.create_label,
            empty_text=self.empty_text,
            # Over every filtered row, not only this page.
            summary=register_summary(cells),
            skrivelse_query=query.urlencode(),
        )
        return context

    def _page_measures(self, cells) -> list:
        """The measures of one page, in the order of ``cells``. Read by key: the keys come
        from the restricted, filtered query, and the fundings shown are restricted again."""
        collaboration = {pk: in_collaboration for pk, _category, in_collaboration in cells}
        if not collaboration:
            return []
        found = {
            measure.pk: measure
            for measure in Measure.objects.filter(pk__in=list(collaboration))
            .order_by()
            .select_related("status")
            .only("id", "title", "status", "starts_on", "ends_on", "plan", "organisation")
        }
        measures = []
        for pk, in_collaboration in collaboration.items():
            if pk in found:
                found[pk].in_collaboration = in_collaboration
                measures.append(found[pk])
        return attach_details(measures, self.request.user, tags=False)


class SkrivelseForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Planned means after this date. Default: today."),
    )


def _period_of(measure) -> tuple[dt.date | None, dt.date | None]:
    """The measure's period as the year filter takes it: its own dates, else its plan's."""
    return (measure.starts_on or measure.plan.starts_on, measure.ends_on or measure.plan.ends_on)


def _overlaps(measure, year: int) -> bool:
    """``overlapping_year`` for a measure already read."""
    starts, ends = _period_of(measure)
    return (starts is None or starts <= dt.date(year, 12, 31)) and (
        ends is None or ends >= dt.date(year, 1, 1)
    )


#: What the answers read of a measure (the organisation is read for a document's heading).
ANSWER_FIELDS = (
    "id",
    "title",
    "organisation",
    "prevention_type",
    "starts_on",
    "ends_on",
    "status__name",
    "status__category",
    "plan__title",
    "plan__starts_on",
    "plan__ends_on",
)


def _answer_measures(queryset, answers: bool) -> list:
    """The selection's measures in the answers' order: read whole for the answers, else as
    keys and periods (register_rows.measure_keys) for the page, whose answers are kept."""
    queryset = queryset.order_by("plan__title", "order", "pk")
    if not answers:
        return register_rows.measure_keys(queryset)
    return list(queryset.select_related("plan", "status").only(*ANSWER_FIELDS))


def skrivelse_context_for(user, params, *, answers: bool = True) -> dict:
    """The answers for the selection in ``params`` (the register's filters, year, as of);
    with ``answers=False`` the measures as keys and periods and no answers (the page).

    Without a year, the last complete year with measures in the selection, stated: the
    selection is then read once without its year, the year found in it and the measures of
    that year kept, instead of asking the database twice."""
    from trygg.reports.kinds.skrivelse import last_complete_year

    params = params.copy() if hasattr(params, "copy") else dict(params)
    if not isinstance(params, QueryDict):
        query = QueryDict(mutable=True)
        for key, value in params.items():
            query[key] = value
        params = query
    today = timezone.localdate()
    period_note = ""
    every_year = None  # the selection without a year, when no year is asked for
    if not params.get("year"):
        selection = params.copy()
        for key in ("year", "as_of", "format"):
            selection.pop(key, None)
        # Without a selection the filters leave every measure in: no filter form is built.
        chosen = register_measures(user)
        if selection:
            chosen = RegisterFilter(selection, user=user).filter_queryset(chosen)
        every_year = _answer_measures(chosen, answers)
        year = last_complete_year((_period_of(m) for m in every_year), today)
        if year is None:
            year = today.year - 1
            period_note = _(
                "No measures in the selection in the last ten years; showing %(year)s."
            ) % {"year": year}
        else:
            period_note = _(
                "The year is %(year)s, the last complete year with measures in the selection."
            ) % {"year": year}
        params["year"] = str(year)
    form = SkrivelseForm(params)
    year = today.year - 1
    as_of = min(today, dt.date(year, 12, 31))
    if form.is_valid():
        year = form.cleaned_data["year"]
        as_of = form.cleaned_data["as_of"] or min(today, dt.date(year, 12, 31))
    filters = params.copy()
    filters.pop("as_of", None)
    filters.pop("format", None)
    filters["year"] = str(year)
    filterset = RegisterFilter(filters, user=user)
    if every_year is not None:
        measures = [m for m in every_year if _overlaps(m, year)]
    else:
        measures = _answer_measures(filterset.filter_queryset(register_measures(user)), answers)
    found = answers and skrivelse_answers(attach_details(measures, user), year=year, as_of=as_of)
    query = filters.urlencode()
    return {
        "form": form,
        "filterset": filterset,
        "year": year,
        "as_of": as_of,
        "answers": found or None,
        "measures": measures,
        "query": query,
        "period_note": period_note,
        "filter_description": describe_filters(filterset),
        "title": _("Answer to a written question: measures %(year)s") % {"year": year},
    }


def describe_filters(filterset) -> str:
    """The active filters in words, so that a reader of the document knows the selection."""
    if not filterset.is_valid():
        return ""
    parts = []
    for name, value in filterset.cleaned_data.items():
        if value in (None, "", [], ()) or name == "year":
            continue
        field_ = filterset.fields[name]
        if isinstance(field_, forms.ChoiceField) and not isinstance(field_, forms.ModelChoiceField):
            value = dict(field_.choices).get(value, value)
        parts.append(f"{field_.label}: {value}")
    return "; ".join(str(p) for p in parts)


@login_required
def skrivelse(request):
    """Svar på skrivelse: the four questions of seed 004 answered from the register; as Word
    or PDF through the document engine (A4, header and footer, sources)."""
    fmt = request.GET.get("format")
    document = fmt in {"docx", "pdf"}
    context = skrivelse_context_for(request.user, request.GET, answers=document)
    if document:
        from trygg.reports import render as renderer
        from trygg.reports.kinds.base import Params
        from trygg.reports.kinds.skrivelse import build

        organisation = _organisation_of(request.user, context)
        document = build(
            request.user,
            Params(organisation=organisation, year=context["year"]),
            {},
            context=context,
        )
        response = HttpResponse(
            renderer.render(document, fmt), content_type=renderer.CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = (
            f'attachment; filename="svar-pa-skrivelse-{context["year"]}.{fmt}"'
        )
        return response
    year, as_of, keys = context["year"], context["as_of"], context["measures"]

    def write() -> str:
        measures = attach_details(register_rows.measures_of(keys, ANSWER_FIELDS), request.user)
        return answers_html(skrivelse_answers(measures, year=year, as_of=as_of))

    written = register_rows.answers_page(request.user, keys, year, as_of, write)
    return render(request, "reports/register_skrivelse.html", {**context, "answers_html": written})


def _organisation_of(user, context) -> Organisation:
    """The organisation named in the selection, else the owner of the measures, else the
    user's own."""
    filterset = context["filterset"]
    if filterset.is_valid() and filterset.cleaned_data.get("organisation"):
        return filterset.cleaned_data["organisation"]
    if context["measures"]:
        return context["measures"][0].organisation
    from trygg.reports.generation import organisations_for

    return organisations_for(user).first() or Organisation(name="")
