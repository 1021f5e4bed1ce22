"""The law checklist (lag 2023:196 om kommuners ansvar för brottsförebyggande arbete):
what the law asks of a kommun, each item met or not, computed from the data, with a link to
its evidence.

The items and how each is decided:

1. A lägesbild exists (§4): the organisation's newest lägesbild the user may see.
2. It is current: it covers one of the last ``CURRENT_YEARS`` + 1 years. Brå and SCB
   publish a year's figures the following spring, so a lägesbild written this year
   describes last year.
3. It covers the whole geographic area: every kommundel has data (situation.chain's
   area_coverage), or the lägesbild states why an area lacks it.
4. It has a cause analysis: every active or monitored prioritised problem has its
   orsaksanalys (and there is at least one problem).
5. An åtgärdsplan is based on it (§5): the lägesbild names its plan.
6. The plan is decided by kommunfullmäktige (§6), with the date and a diarienummer.
7. Each measure of the plan links to a prioritised problem.
8. A samordningsfunktion is named (§3).
9. The plan was followed up in the last year: its last evaluation is at most a year old.
10. The next revision is due within the mandate period: the plan's next revision falls
    between today and the end of the current mandate period (four years from 15 October
    of an election year; elections every fourth September since 2014).

The start page and the checklist page keep a checklist in the cache
(:func:`remembered_checklist`, :func:`home_checklists`) under a key of everything it is made
of: the viewer's scope (core.choice_cache.scope_key: the user, their roles, organisations,
area limits and their organisations' partners, which decide what every restricted read
lets through), the version of the checklist's sources (:data:`VERSION_KEY`, bumped by every
save and delete of the models :func:`connect` lists), the problems' version
(situation.selectors.problems), the reference data's (areas and organisations), the
organisation's counts version (its incident reports, bumped by imports too), the
statistics version, the day and the language (the texts and dates are written for one day
in one language). So a change shows on the next view and no viewer gets another scope's
reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygg.core.access import VIEW, member_organisation_ids
from trygg.core.formatting import format_date
from trygg.core.models import Organisation
from trygg.core.provenance import Figure, figure
from trygg.situation.choices import ProblemStatus
from trygg.situation.models import CoordinationFunction, ProblemMeasure, SituationPicture
from trygg.situation.selectors.problems import problems_of

LAW = "2023:196"
LAW_TITLE = "Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete"
CURRENT_YEARS = 2
FOLLOW_UP_DAYS = 366
FIRST_ELECTION = 2014
VERSION_KEY = "trygg:law-checklist:version"
CACHE_SECONDS = 6 * 3600


def mandate_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The municipal mandate period (mandatperiod) that ``day`` falls in: from 15 October
    of an election year to 14 October four years later."""
    year = day.year - (day.year - FIRST_ELECTION) % 4
    start = dt.date(year, 10, 15)
    if day < start:
        start = dt.date(year - 4, 10, 15)
    return start, dt.date(start.year + 4, 10, 14)


@dataclass(frozen=True)
class ChecklistItem:
    """One requirement of the law, met or not, with its evidence."""

    key: str
    paragraph: str  # "4 §"
    label: str  # what the law asks
    met: bool
    detail: str  # why it is met or not
    evidence_url: str
    evidence_label: str
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class LawChecklist:
    """Lagkontroll: the checklist for one kommun."""

    organisation: Organisation
    law: str
    law_title: str
    items: tuple[ChecklistItem, ...]
    picture: SituationPicture | None
    plan: object | None  # plans.Plan
    mandate_start: dt.date
    mandate_end: dt.date
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.items if item.met)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def all_met(self) -> bool:
        return self.met_count == self.total

    @property
    def summary(self) -> str:
        return _("%(met)s of %(total)s requirements met") % {
            "met": self.met_count,
            "total": self.total,
        }

    def item(self, key: str) -> ChecklistItem:
        return next(i for i in self.items if i.key == key)


def _is_council(body: str) -> bool:
    """Whether the deciding body is the kommunfullmäktige (or a regionfullmäktige)."""
    return "fullmäktige" in body.casefold()


def law_checklist(*, user, organisation: Organisation, today: dt.date | None = None):
    """The law checklist of ``organisation`` as ``user`` may see it (404 when the user may
    not see the organisation's lägesbild or plans at all)."""
    from trygg.core.access import scope_for
    from trygg.plans.choices import StatusCategory
    from trygg.plans.models import Measure, Plan
    from trygg.situation import chain

    today = today or timezone.localdate()
    scope = scope_for(user)
    visible = scope.is_superuser or organisation.pk in member_organisation_ids(user, VIEW)
    pictures = SituationPicture.objects.restrict(user, VIEW).filter(organisation=organisation)
    if not visible and not pictures.exists():
        raise Http404
    picture = pictures.select_related("plan", "organisation").order_by("-year", "-pk").first()
    plan = None
    if picture is not None and picture.plan_id:
        plan = Plan.objects.restrict(user, VIEW).filter(pk=picture.plan_id).first()
    mandate_start, mandate_end = mandate_period(today)
    items: list[ChecklistItem] = []
    source = _("Trygg: the lägesbild, its problems and the plans")

    # §4 the lägesbild
    picture_url = picture.get_absolute_url() if picture else reverse("situation:picture_list")
    picture_label = picture.title if picture else _("Situation pictures")
    items.append(
        ChecklistItem(
            key="picture_exists",
            paragraph="4 §",
            label=_("There is a situation picture (lägesbild)"),
            met=picture is not None,
            detail=picture.title if picture else _("No situation picture is recorded."),
            evidence_url=picture_url,
            evidence_label=picture_label,
        )
    )
    current = picture is not None and picture.year >= today.year - CURRENT_YEARS
    items.append(
        ChecklistItem(
            key="picture_current",
            paragraph="4 §",
            label=_("The situation picture is current"),
            met=current,
            detail=(
                _("It describes %(year)s; one of the years %(first)s–%(last)s is current.")
                % {"year": picture.year, "first": today.year - CURRENT_YEARS, "last": today.year}
                if picture
                else _("No situation picture is recorded.")
            ),
            evidence_url=picture_url,
            evidence_label=picture_label,
            figures=(figure(picture.year, source=source, text=str(picture.year)),)
            if picture
            else (),
        )
    )
    # The picture's problems as the pages read them (kept in the cache, see
    # situation.selectors.problems): their areas for the coverage, whether each has a
    # cause analysis.
    views = problems_of(user, picture, analyses=False) if picture else []
    coverage = (
        chain.area_coverage(user=user, picture=picture, checked=True, problems=views)
        if picture
        else []
    )
    uncovered = [c.area.name for c in coverage if not c.covered]
    stated = bool(picture and picture.coverage_note.strip())
    if picture is None:
        coverage_detail = _("No situation picture is recorded.")
    elif not coverage:
        coverage_detail = _("The kommun has no areas recorded in Trygg.")
    elif not uncovered:
        coverage_detail = _("All %(n)s areas have data.") % {"n": len(coverage)}
    elif stated:
        coverage_detail = _("No data for %(areas)s; the situation picture states why.") % {
            "areas": ", ".join(uncovered)
        }
    else:
        coverage_detail = _("No data for %(areas)s, and the absence is not explained.") % {
            "areas": ", ".join(uncovered)
        }
    items.append(
        ChecklistItem(
            key="picture_whole_area",
            paragraph="4 §",
            label=_("It covers the kommun's whole geographic area"),
            met=bool(picture and coverage and (not uncovered or stated)),
            detail=coverage_detail,
            evidence_url=f"{picture_url}#omraden" if picture else picture_url,
            evidence_label=_("Areas and sources of the situation picture"),
            figures=(
                figure(
                    len(coverage) - len(uncovered),
                    source=source,
                    filters={_("areas"): str(len(coverage))},
                    text=f"{len(coverage) - len(uncovered)} / {len(coverage)}",
                ),
            )
            if coverage
            else (),
        )
    )
    problems = [v.problem for v in views if v.problem.status != ProblemStatus.LOST]
    without = [
        v.problem for v in views if v.problem.status != ProblemStatus.LOST and not v.has_analysis
    ]
    items.append(
        ChecklistItem(
            key="cause_analysis",
            paragraph="4 §",
            label=_("Its prioritised problems have a cause analysis"),
            met=bool(problems) and not without,
            detail=(
                _("No prioritised problem is recorded.")
                if not problems
                else _("Without cause analysis: %(titles)s.")
                % {"titles": ", ".join(p.title for p in without)}
                if without
                else ngettext(
                    "%(n)s prioritised problem, analysed.",
                    "%(n)s prioritised problems, all analysed.",
                    len(problems),
                )
                % {"n": len(problems)}
            ),
            evidence_url=without[0].get_absolute_url() if without else picture_url,
            evidence_label=without[0].title if without else picture_label,
            figures=(
                figure(
                    len(problems) - len(without),
                    source=source,
                    text=f"{len(problems) - len(without)} / {len(problems)}",
                ),
            ),
        )
    )

    # §5–6 the åtgärdsplan
    plan_url = plan.get_absolute_url() if plan else picture_url
    plan_label = plan.title if plan else picture_label
    items.append(
        ChecklistItem(
            key="plan_based_on_picture",
            paragraph="5 §",
            label=_("An action plan (åtgärdsplan) is based on the situation picture"),
            met=plan is not None,
            detail=plan.title if plan else _("The situation picture names no action plan."),
            evidence_url=plan_url,
            evidence_label=plan_label,
        )
    )
    if plan is None:
        decision_detail = _("No action plan.")
        decided = False
    else:
        missing = []
        if plan.decided_on is None:
            missing.append(_("decision date"))
        if not plan.diarienummer:
            missing.append(_("reference number"))
        if not _is_council(plan.decided_by):
            missing.append(_("decided by the kommunfullmäktige"))
        decided = not missing
        decision_detail = (
            _("Decided by %(body)s on %(date)s, %(number)s.")
            % {
                "body": plan.decided_by,
                "date": format_date(plan.decided_on),
                "number": plan.diarienummer,
            }
            if decided
            else _("Missing: %(what)s.") % {"what": ", ".join(str(m) for m in missing)}
        )
    items.append(
        ChecklistItem(
            key="plan_decided",
            paragraph="6 §",
            label=_("The action plan is decided by the kommunfullmäktige"),
            met=decided,
            detail=decision_detail,
            evidence_url=plan_url,
            evidence_label=plan_label,
        )
    )
    if plan is not None:
        # The plan's measures with whether any problem links to them, in one query.
        measures = list(
            Measure.objects.restrict(user, VIEW)
            .filter(plan=plan)
            .exclude(status__category=StatusCategory.CANCELLED)
            .annotate(linked=Exists(ProblemMeasure.objects.filter(measure=OuterRef("pk"))))
            .order_by("order", "pk")
            .values_list("title", "linked", named=True)
        )
        unlinked = [m for m in measures if not m.linked]
    else:
        measures, unlinked = [], []
    items.append(
        ChecklistItem(
            key="measures_linked",
            paragraph="5 §",
            label=_("Each measure addresses a prioritised problem"),
            met=bool(measures) and not unlinked,
            detail=(
                _("No action plan.")
                if plan is None
                else _("The plan has no measures.")
                if not measures
                else _("%(n)s of %(total)s measures are linked to no problem: %(titles)s.")
                % {
                    "n": len(unlinked),
                    "total": len(measures),
                    "titles": ", ".join(m.title for m in unlinked[:5])
                    + (" …" if len(unlinked) > 5 else ""),
                }
                if unlinked
                else _("All %(n)s measures are linked to a problem.") % {"n": len(measures)}
            ),
            evidence_url=reverse("situation:plan_by_problem", args=[plan.pk]) if plan else plan_url,
            evidence_label=_("Measures by problem") if plan else plan_label,
            figures=(
                figure(
                    len(measures) - len(unlinked),
                    source=_("measures of the plan in Trygg"),
                    text=f"{len(measures) - len(unlinked)} / {len(measures)}",
                ),
            )
            if plan
            else (),
        )
    )

    # §3 the samordningsfunktion
    function = (
        CoordinationFunction.objects.restrict(user, VIEW)
        .filter(organisation=organisation)
        .select_related("person")
        .first()
    )
    items.append(
        ChecklistItem(
            key="coordination_function",
            paragraph="3 §",
            label=_("A coordination function (samordningsfunktion) is named"),
            met=function is not None,
            detail=str(function) if function else _("No coordination function is named."),
            evidence_url=reverse("situation:coordination_function")
            + f"?organisation={organisation.pk}",
            evidence_label=_("Coordination function"),
        )
    )

    # Follow-up and revision
    evaluated = plan.last_evaluated_on if plan else None
    followed = evaluated is not None and (today - evaluated).days <= FOLLOW_UP_DAYS
    items.append(
        ChecklistItem(
            key="followed_up",
            paragraph="5 §",
            label=_("The action plan was followed up in the last year"),
            met=followed,
            detail=(
                _("No action plan.")
                if plan is None
                else _("Last followed up on %(date)s.") % {"date": format_date(evaluated)}
                if evaluated
                else _("No follow-up is recorded.")
            ),
            evidence_url=plan_url,
            evidence_label=plan_label,
        )
    )
    revision = plan.next_revision_on if plan else None
    within = revision is not None and today <= revision <= mandate_end
    items.append(
        ChecklistItem(
            key="revision_due",
            paragraph="5 §",
            label=_("The next revision is due within the mandate period"),
            met=within,
            detail=(
                _("No action plan.")
                if plan is None
                else _("No revision date can be computed: the plan has no decision or start date.")
                if revision is None
                else _("The revision was due on %(date)s.") % {"date": format_date(revision)}
                if revision < today
                else _("Next revision %(date)s; the mandate period ends %(end)s.")
                % {"date": format_date(revision), "end": format_date(mandate_end)}
            ),
            evidence_url=plan_url,
            evidence_label=plan_label,
        )
    )
    return LawChecklist(
        organisation=organisation,
        law=LAW,
        law_title=LAW_TITLE,
        items=tuple(items),
        picture=picture,
        plan=plan,
        mandate_start=mandate_start,
        mandate_end=mandate_end,
    )


def checklist_organisations(user):
    """The kommuner whose checklist the user may see: the kommuner the user may view for
    (own, and below their own), and the organisations with a lägesbild the user may see
    (a partner's)."""
    from django.db.models import Q

    from trygg.core.access import scope_for
    from trygg.core.choices import OrganisationKind

    scope = scope_for(user)
    if scope.is_superuser:
        return Organisation.objects.filter(kind=OrganisationKind.KOMMUN).order_by("name")
    with_picture = SituationPicture.objects.restrict(user, VIEW).values("organisation_id")
    own = member_organisation_ids(user, VIEW)
    return Organisation.objects.filter(
        Q(pk__in=own, kind=OrganisationKind.KOMMUN) | Q(pk__in=with_picture)
    ).order_by("name")


def home_checklists(*, user, today: dt.date | None = None) -> list[LawChecklist]:
    """The checklists for the start page of a säkerhetsstrateg: one per kommun the user
    runs in full (the roles that may also delete there: samordnare, administratör). Kept in
    the cache (see the module's doc)."""
    from trygg.core.access import DELETE, organisation_ids_for
    from trygg.core.choices import OrganisationKind

    ids = organisation_ids_for(user, DELETE)
    if not ids:  # None: a system administrator runs no kommun's work
        return []
    today = today or timezone.localdate()

    def compute() -> list[LawChecklist]:
        organisations = Organisation.objects.filter(
            pk__in=ids, kind=OrganisationKind.KOMMUN
        ).order_by("name")
        return [law_checklist(user=user, organisation=o, today=today) for o in organisations]

    return _remembered(_cache_key(user, "home", today, None), compute)


CHECKLIST_TEMPLATE = "situation/includes/law_checklist.html"


def home_checklists_html(*, user, today: dt.date | None = None) -> str:
    """The start page's checklist panels (:func:`home_checklists`, each written by
    CHECKLIST_TEMPLATE in its compact form) as HTML, kept in the cache with the same key
    and the template's digest: the panels are a third of the start page's rendering."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from trygg.core.access import DELETE, organisation_ids_for

    if not organisation_ids_for(user, DELETE):  # runs no kommun's work: nothing to read
        return ""
    today = today or timezone.localdate()

    def compute() -> str:
        return "".join(
            render_to_string(CHECKLIST_TEMPLATE, {"checklist": checklist, "compact": True})
            for checklist in home_checklists(user=user, today=today)
        )

    key = _cache_key(user, f"home-html-{_template_digest()}", today, None)
    return mark_safe(_remembered(key, compute))  # noqa: S308 - written by the template


_TEMPLATE_DIGEST: list[str] = []


def _template_digest() -> str:
    if not _TEMPLATE_DIGEST:
        import hashlib

        from django.template.loader import get_template

        source = get_template(CHECKLIST_TEMPLATE).template.source
        _TEMPLATE_DIGEST.append(hashlib.sha256(source.encode()).hexdigest()[:16])
    return _TEMPLATE_DIGEST[0]


def remembered_checklist(*, user, organisation: Organisation, today: dt.date | None = None):
    """:func:`law_checklist`, kept in the cache (see the module's doc). A checklist the user
    may not see is never kept: ``law_checklist`` raises Http404 for it every time."""
    today = today or timezone.localdate()
    return _remembered(
        _cache_key(user, "organisation", today, organisation.pk),
        lambda: law_checklist(user=user, organisation=organisation, today=today),
    )


def _remembered(key: str | None, compute):
    if key is None:  # not signed in: nothing is kept
        return compute()
    found = cache.get(key)
    if found is None:
        found = (compute(),)
        cache.set(key, found, CACHE_SECONDS)
    return found[0]


_SHAPE: list[str] = []


def _shape() -> str:
    """A digest of the fields of what is kept (the checklist, its items and figures, the
    picture, plan and organisation it holds): a changed model or class never meets what
    was kept before the change."""
    if not _SHAPE:
        import dataclasses
        import hashlib

        from trygg.plans.models import Plan

        digest = hashlib.sha256()
        for model in (SituationPicture, Plan, Organisation):
            names = ",".join(f.attname for f in model._meta.concrete_fields)
            digest.update(f"{model._meta.label}:{names};".encode())
        for cls in (LawChecklist, ChecklistItem, Figure):
            names = ",".join(f.name for f in dataclasses.fields(cls))
            digest.update(f"{cls.__name__}:{names};".encode())
        _SHAPE.append(digest.hexdigest()[:16])
    return _SHAPE[0]


def _cache_key(user, what: str, today: dt.date, organisation_id: int | None) -> str | None:
    from trygg.core import versioning
    from trygg.core.choice_cache import scope_key
    from trygg.situation import fragments, rollup
    from trygg.situation.selectors import problems
    from trygg.stats import versioning as stats_versions

    scope = scope_key(user)
    if scope is None:
        return None
    if organisation_id is None:  # the start page: every kommun the user runs
        from trygg.core.access import DELETE, organisation_ids_for

        counts = ",".join(
            f"{pk}.{rollup.version(pk)}" for pk in sorted(organisation_ids_for(user, DELETE) or ())
        )
    else:
        counts = f"{organisation_id}.{rollup.version(organisation_id)}"
    parts = (
        what,
        _shape(),
        versioning.current(VERSION_KEY),
        problems.version(),
        fragments.reference_version(),
        stats_versions.version(),
        counts,
        scope,
        today.isoformat(),
        translation.get_language(),
    )
    text = ":".join(str(part) for part in parts)
    import hashlib

    return "trygg:law-checklist:" + hashlib.sha256(text.encode()).hexdigest()


def connect() -> None:
    """Every save and delete of what a checklist reads bumps :data:`VERSION_KEY` (called
    from the app's ready()): the organisations and their areas, the lägesbilder, their
    problems with areas, places, cause analyses, status changes and links to measures, the
    plans with their partner organisations, the measures with their areas, places and
    statuses, the samordningsfunktion and the users (its person, the status history's
    authors). The incident reports and the statistics read for the areas' coverage have
    versions of their own in the key, which their imports bump too (situation.rollup,
    stats.versioning)."""
    from django.contrib.auth import get_user_model

    from trygg.core import versioning
    from trygg.core.models import Area, Partnership, Place
    from trygg.plans.models import Measure, MeasureStatus, Plan
    from trygg.situation.models import CauseAnalysis, Problem, ProblemStatusChange

    versioning.bump_on_change(
        VERSION_KEY,
        [
            Organisation,
            Area,
            Place,
            Partnership,
            SituationPicture,
            Problem,
            Problem.areas.through,
            Problem.places.through,
            CauseAnalysis,
            ProblemStatusChange,
            ProblemMeasure,
            Plan,
            Plan.partner_organisations.through,
            Measure,
            Measure.areas.through,
            Measure.places.through,
            MeasureStatus,
            CoordinationFunction,
            get_user_model(),
        ],
    )
