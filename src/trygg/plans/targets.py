"""Outcomes of targets (utfall för mål): computed where Trygg can see the work, typed where
it cannot.

A target's ``source`` says where its outcome comes from:

- ``meetings``: the held meetings of the target's forums in the period ("minst 6 möten per
  arbetsgrupp och år" counts each working group's held meetings; ``per_forum`` makes the
  target hold for every forum, and the figure is the forum that did least);
- ``indicator``: the value an indicator series stores for the period (a survey result, a
  count of reported crime), for the target's area or the kommun's area;
- ``reports``: the incident reports of the period, of a category and in an area if given;
- ``typed``: what a person recorded as an Outcome – for what Trygg cannot see (controls
  made by the police). These are marked as typed wherever they are shown.

Counts are restricted like every other read: a user's figure counts what the user may see.
Periods before Trygg has any data of the kind (no meeting recorded for the forums, no
report of the organisation) have no outcome rather than a zero.

A target is met or not by its latest *complete* period; the ongoing period is shown, marked
as ongoing, but does not decide.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.core.formatting import format_number, format_percent
from trygg.core.provenance import Figure, figure
from trygg.plans.choices import Comparison, Fulfilment, TargetPeriod, TargetSource
from trygg.plans.models import Measure, Target, add_months

LOCAL = ZoneInfo(settings.TIME_ZONE)
MAX_PERIODS = 24  # a target followed up monthly over two years


@dataclass(frozen=True)
class TargetPeriodSpan:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def is_complete(self) -> bool:
        return self.end < timezone.localdate()


@dataclass(frozen=True)
class TargetOutcome:
    """Utfall: the outcome of one target in one period, with its source."""

    period: TargetPeriodSpan
    actual: Figure  # value: Decimal, or None when there is no outcome for the period
    met: bool | None  # None: no outcome
    per_forum: tuple[tuple[str, int], ...] = ()
    note: str = ""

    @property
    def computed(self) -> bool:
        return not self.actual.typed

    @property
    def ongoing(self) -> bool:
        return not self.period.is_complete

    @property
    def period_label(self) -> str:
        return self.period.label


@dataclass
class TargetResult:
    """A target with its outcomes (newest first) and whether it is met."""

    target: Target
    outcomes: list[TargetOutcome] = field(default_factory=list)

    @property
    def computed(self) -> bool:
        return self.target.is_computed

    @property
    def deciding(self) -> TargetOutcome | None:
        """The outcome that decides: the latest complete period with an outcome (typed
        outcomes: the latest recorded)."""
        for outcome in self.outcomes:
            if outcome.met is None:
                continue
            if self.computed and outcome.ongoing:
                continue
            return outcome
        return None

    @property
    def fulfilment(self) -> str:
        deciding = self.deciding
        if deciding is None:
            return Fulfilment.NO_OUTCOME
        return Fulfilment.MET if deciding.met else Fulfilment.NOT_MET


# Periods


def _visible(model, user):
    """The rows the user may see; all of them for system work (user None)."""
    if user is None:
        return model._default_manager.all()
    return model.objects.restrict(user, VIEW)


def _visible_forum_ids(user) -> set[int]:
    """The ids of the forums the user may see (``restrict(user, VIEW)``), kept in the cache
    under the viewer's scope and the version of what a forum's visibility follows (its
    organisation, area and member organisations: ``forums.filters.OPTIONS_VERSION``)."""
    from trygg.core import choice_cache
    from trygg.forums.filters import OPTIONS_VERSION
    from trygg.forums.models import Forum

    def compute() -> set[int]:
        return set(Forum.objects.restrict(user, VIEW).values_list("pk", flat=True))

    return choice_cache.remembered(OPTIONS_VERSION, user, compute, name="visible-forums")


def _period_of(kind: str, day: dt.date) -> dt.date:
    if kind == TargetPeriod.MONTH:
        return day.replace(day=1)
    if kind == TargetPeriod.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def _span(kind: str, start: dt.date) -> TargetPeriodSpan:
    from trygg.plans.services import period_label_for

    months = {TargetPeriod.MONTH: 1, TargetPeriod.QUARTER: 3}.get(kind, 12)
    end = add_months(start, months) - dt.timedelta(days=1)
    return TargetPeriodSpan(start, end, period_label_for(kind, start))


def target_periods(target: Target, *, until: dt.date | None = None) -> list[TargetPeriodSpan]:
    """The periods a target is followed up in, newest first: from the measure's (or the
    plan's) start to its end or today, whichever is earlier, at most MAX_PERIODS."""
    measure, plan = target.measure, target.measure.plan
    today = until or timezone.localdate()
    last = min(d for d in (measure.ends_on, plan.ends_on, today) if d is not None)
    first = measure.starts_on or plan.starts_on
    periods: list[TargetPeriodSpan] = []
    current = _period_of(target.period, last)
    months = {TargetPeriod.MONTH: 1, TargetPeriod.QUARTER: 3}.get(target.period, 12)
    while len(periods) < MAX_PERIODS:
        periods.append(_span(target.period, current))
        if first is None and len(periods) >= 3:
            break
        previous = add_months(current, -months)
        if first is not None and add_months(previous, months) <= first:
            break
        current = previous
    return periods


def _bounds(period: TargetPeriodSpan) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=LOCAL)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=LOCAL)
    return start, end


def _value_text(target: Target, value: Decimal | int | None) -> str:
    if value is None:
        return "–"
    if target.series_id and target.series.unit == "percent":
        return format_percent(value, 1)
    number = Decimal(value)
    decimals = 0 if number == number.to_integral_value() else 1
    text = format_number(number, decimals)
    return f"{text} {target.unit}".strip()


# The sources


def _typed(target: Target, periods: list[TargetPeriodSpan]) -> list[TargetOutcome]:
    result = []
    for outcome in sorted(target.outcomes.all(), key=lambda o: o.period_start, reverse=True):
        span = _span(target.period, _period_of(target.period, outcome.period_start))
        span = TargetPeriodSpan(span.start, span.end, outcome.period_label or span.label)
        result.append(
            TargetOutcome(
                period=span,
                actual=figure(
                    outcome.actual,
                    source=_("Outcome entered by hand"),
                    period=span.label,
                    text=_value_text(target, outcome.actual),
                    typed=True,
                ),
                met=target.is_met_by(outcome.actual),
                note=outcome.note,
            )
        )
    return result


def _meeting_rows(user, target: Target) -> tuple[list[tuple[int, str]], list[tuple]]:
    """The forums whose meetings ``target`` counts that the user may see, as (pk, name) by
    name, and their meetings as (forum, start, status). Kept in the cache for the viewer
    (``choice_cache.remembered``: their scope) under the forums' version (what a forum's
    visibility follows, and its meetings: ``forums.filters.OPTIONS_VERSION``) and the plans'
    (``plans.reading.VERSION_KEY``: the target's forums). Counting them per period, which
    depends on the date, is left to the caller."""
    from trygg.core import choice_cache
    from trygg.forums.filters import OPTIONS_VERSION
    from trygg.forums.models import Forum, Meeting
    from trygg.plans import reading

    def compute() -> tuple[list[tuple[int, str]], list[tuple]]:
        forums = list(
            Forum._default_manager.filter(targets=target).order_by("name").values_list("pk", "name")
        )
        if user is not None:
            visible = _visible_forum_ids(user)
            forums = [(pk, name) for pk, name in forums if pk in visible]
        if not forums:
            return [], []
        # A meeting is visible exactly when its forum is (Meeting.access_q), and these
        # forums were read through the user's restriction: their meetings are read by
        # forum, once (a forum meets a few dozen times a year).
        meetings = list(
            Meeting._default_manager.filter(forum__in=[pk for pk, _name in forums]).values_list(
                "forum_id", "starts_at", "status"
            )
        )
        return forums, meetings

    if user is None:
        return compute()
    name = f"target-meetings:{reading.version()}:{target.pk}"
    return choice_cache.remembered(OPTIONS_VERSION, user, compute, name=name)


def _meetings(user, target: Target, periods: list[TargetPeriodSpan]) -> list[TargetOutcome]:
    from trygg.forums.choices import MeetingStatus

    forums, meetings = _meeting_rows(user, target) if periods else ([], [])
    if not forums:
        return [
            TargetOutcome(p, figure(None, source=_("No forum chosen"), period=p.label), None)
            for p in periods
        ]
    first = min((starts_at for _forum, starts_at, _status in meetings), default=None)
    held = [(forum_id, at) for forum_id, at, status in meetings if status == MeetingStatus.HELD]
    names = dict(forums)
    source = _("Held meetings in Trygg: %(forums)s") % {"forums": ", ".join(names.values())}
    url = reverse("forums:forum_detail", args=[forums[0][0]]) if len(forums) == 1 else ""
    result = []
    for period in periods:
        start, end = _bounds(period)
        if first is None or first >= end:
            result.append(
                TargetOutcome(
                    period,
                    figure(
                        None,
                        source=source,
                        period=period.label,
                        text=_("no meetings recorded in Trygg"),
                    ),
                    None,
                )
            )
            continue
        counts = Counter(forum_id for forum_id, at in held if start <= at < end)
        per_forum = tuple((names[pk], counts.get(pk, 0)) for pk in names)
        if target.per_forum:
            values = [n for _name, n in per_forum]
            actual = max(values) if target.comparison == Comparison.AT_MOST else min(values)
            met = all(target.is_met_by(n) for n in values)
        else:
            actual = sum(n for _name, n in per_forum)
            met = target.is_met_by(actual)
        result.append(
            TargetOutcome(
                period,
                figure(
                    actual,
                    source=source,
                    period=period.label,
                    filters={
                        _("status"): _("held"),
                        _("counted"): _("per forum, the fewest")
                        if target.per_forum
                        else _("all forums together"),
                    },
                    text=_value_text(target, actual),
                    url=url,
                ),
                met,
                per_forum=per_forum,
            )
        )
    return result


def _indicator(user, target: Target, periods: list[TargetPeriodSpan]) -> list[TargetOutcome]:
    from trygg.stats.models import Observation

    series = target.series
    area = target.area or target.organisation.area
    observations = list(
        _visible(Observation, user)
        .filter(series=series, category=target.series_category)
        .filter(**({"area": area} if area is not None else {}))
        .select_related("import_batch")
        .order_by("period_start")
    )
    source = series.source or series.name
    result = []
    for period in periods:
        within = [
            o
            for o in observations
            if period.start <= o.period_start and o.period_end <= period.end and o.value is not None
        ]
        filters = {
            _("series"): series.name,
            _("area"): area.name if area is not None else "",
            _("category"): target.series_category,
        }
        if not within:
            result.append(
                TargetOutcome(
                    period,
                    figure(
                        None,
                        source=source,
                        period=period.label,
                        filters=filters,
                        text=_("no value in the series"),
                    ),
                    None,
                )
            )
            continue
        if series.unit in ("percent", "rate") or len(within) == 1:
            actual = within[-1].value
        else:
            actual = sum((o.value for o in within), Decimal(0))
        batch = within[-1].import_batch
        batch_text = f"{batch.filename}, {batch.created_at:%Y-%m-%d}" if batch else ""
        actual = Decimal(actual).normalize()
        result.append(
            TargetOutcome(
                period,
                figure(
                    actual,
                    source=source,
                    period=", ".join(o.period_label for o in within),
                    filters=filters,
                    text=_value_text(target, actual),
                    url=reverse("stats:series_detail", args=[series.pk]),
                    batch=batch_text,
                ),
                target.is_met_by(actual),
            )
        )
    return result


def _reports(user, target: Target, periods: list[TargetPeriodSpan]) -> list[TargetOutcome]:
    from trygg.core.access import may
    from trygg.incidents.models import IncidentReport

    organisation = target.organisation
    detail = True if user is None else may(user, VIEW, organisation)
    reports = _visible(IncidentReport, user).filter(organisation=organisation)
    first = reports.aggregate(first=Min("occurred_at"))["first"]
    if target.report_category_id:
        reports = reports.filter(category_id=target.report_category_id)
    if target.area_id:
        from trygg.core.models import Area

        ids = [target.area_id]
        frontier = [target.area_id]
        while frontier:
            frontier = list(
                Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids += frontier
        reports = reports.filter(area_id__in=ids)
    filters = {
        _("organisation"): organisation.name,
        _("category"): target.report_category.name if target.report_category_id else "",
        _("area"): target.area.name if target.area_id else "",
    }
    source = _("incident reports in Trygg")
    threshold = settings.SMALL_COUNT_THRESHOLD
    result = []
    for period in periods:
        start, end = _bounds(period)
        if first is None or first >= end:
            result.append(
                TargetOutcome(
                    period,
                    figure(
                        None,
                        source=source,
                        period=period.label,
                        filters=filters,
                        text=_("no reports recorded in Trygg"),
                    ),
                    None,
                )
            )
            continue
        n = reports.filter(occurred_at__gte=start, occurred_at__lt=end).count()
        suppressed = not detail and 0 < n < threshold
        result.append(
            TargetOutcome(
                period,
                figure(
                    None if suppressed else n,
                    source=source,
                    period=period.label,
                    filters=filters,
                    text=_("fewer than %(n)s") % {"n": threshold}
                    if suppressed
                    else _value_text(target, n),
                    suppressed=suppressed,
                ),
                None if suppressed else target.is_met_by(n),
            )
        )
    return result


def target_result(
    *, user, target: Target, until: dt.date | None = None, reuse: bool = False
) -> TargetResult:
    """The target's outcomes, newest first, computed or typed (see the module docstring).

    ``reuse`` keeps the result on the target object, so that the roll-ups of an activity,
    a focus area and the plan within one page compute each target once.
    """
    key = (getattr(user, "pk", None), until)
    cache = getattr(target, "_outcome_cache", None)
    if reuse and cache is not None and cache[0] == key:
        return cache[1]
    periods = target_periods(target, until=until)
    if target.source == TargetSource.MEETINGS:
        outcomes = _meetings(user, target, periods)
    elif target.source == TargetSource.INDICATOR:
        outcomes = _indicator(user, target, periods)
    elif target.source == TargetSource.REPORTS:
        outcomes = _reports(user, target, periods)
    else:
        outcomes = _typed(target, periods)
    result = TargetResult(target=target, outcomes=outcomes)
    target._outcome_cache = (key, result)
    return result


def targets_for_measure(*, user: Viewer, measure: Measure) -> list[TargetResult]:
    """The measure's targets, each with its outcomes. ``measure`` must have been read
    through the user's restriction: its targets are visible exactly when it is (the rule
    of ``Target.access_q``), so they are read by the measure and given it and its plan."""
    targets = list(
        Target._default_manager.filter(measure=measure)
        .select_related("series", "area", "report_category", "organisation__area")
        .defer("area__geometry", "organisation__area__geometry")  # names only, no boundaries
        .prefetch_related("outcomes")
        .order_by("order", "pk")
    )
    for target in targets:
        target.measure = measure
    return [target_result(user=user, target=t) for t in targets]
