"""The analyses: local time of week, the weekly picture's deviation rule, areas and places,
suppression for partners, area limits and the police events."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from trygg.incidents.models import IncidentCategory, IncidentReport, PoliceEvent
from trygg.incidents.services import categories_ensure_defaults
from trygg.situation import selectors, services
from trygg.situation.generator import GeneratedReport

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def nacka(world):
    categories_ensure_defaults(world.organisations["nacka"])
    return world.organisations["nacka"]


def category(nacka, name):
    return IncidentCategory.objects.get(organisation=nacka, name=name)


def add(nacka, place, name, moments):
    """Reports of one category at one place at the given local times."""
    rows = [
        GeneratedReport(
            occurred_at=moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM),
            category_id=category(nacka, name).pk,
            area_id=place.area_id,
            place_id=place.pk,
            lat=place.lat,
            lon=place.lon,
            assessment=1,
            description="",
            status="ny",
        )
        for moment in moments
    ]
    services.generated_reports_create(
        actor=None, organisation=nacka, reports=rows, description="test"
    )


def police_event(kommun, number, moment, kind, summary=False):
    """A police event of the given type in the kommun at ``moment``."""
    PoliceEvent.objects.create(
        id=number,
        published_at=moment,
        occurred_at=moment,
        event_type=kind,
        name=f"{kind}, {kommun.name}",
        location_name=kommun.name,
        kommun=kommun,
        is_summary=summary,
    )


def analysis(user, organisation, period=None, **choices) -> selectors.Analysis:
    return selectors.Analysis(user, organisation, period or selectors.default_period(), **choices)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def test_deviation_rule_is_mean_plus_two_root_mean_and_at_least_three():
    assert selectors.is_deviation(3, 0)
    assert not selectors.is_deviation(2, 0)  # one or two where there are usually none
    assert selectors.is_deviation(3, 1)  # 1 + 2·1 = 3
    assert not selectors.is_deviation(7, 4)  # 4 + 2·2 = 8
    assert selectors.is_deviation(8, 4)
    assert selectors.threshold(9) == 15
    assert selectors.threshold(0.25) == 3


def test_time_of_week_counts_in_local_time_across_daylight_saving(world, generated, login):
    nacka = world.organisations["nacka"]
    user = world.users["samordnare"]
    period = selectors.default_period()
    tow = selectors.time_of_week(analysis(user, nacka, period), police=False)
    start, end = period.bounds()
    expected = Counter()
    for moment in IncidentReport.objects.filter(
        organisation=nacka, occurred_at__gte=start, occurred_at__lt=end
    ).values_list("occurred_at", flat=True):
        local = moment.astimezone(STOCKHOLM)
        expected[(local.isoweekday(), local.hour)] += 1
    got = {(c["weekday"], c["hour"]): c["reports"].value for c in tow.cells}
    assert got == {key: expected.get(key, 0) for key in got}
    assert tow.total.value == sum(expected.values())
    assert tow.generated == sum(expected.values())


def test_the_profiles_put_youths_on_friday_and_saturday_evenings(world, generated):
    nacka = world.organisations["nacka"]
    youths = category(nacka, "Ungdomar som samlas/stök")
    tow = selectors.time_of_week(
        analysis(world.users["samordnare"], nacka, category=youths), police=False
    )
    evening = sum(
        c["reports"].value for c in tow.cells if c["weekday"] in (5, 6) and 18 <= c["hour"] <= 23
    )
    # 12 of the week's 168 hours hold far more than their share.
    assert evening / 12 > 3 * tow.total.value / 168


def test_the_weekly_picture_flags_a_burst_and_names_the_place_to_focus_on(world, nacka):
    week = selectors.last_complete_week()
    alta = world.places["Älta centrum"]
    orminge = world.places["Orminge centrum"]
    # One klotter a week at Älta centrum for 8 weeks, then 6 in the week (mean 1 → limit 3).
    add(nacka, alta, "Klotter", [at(week - dt.timedelta(weeks=w), 2) for w in range(1, 9)])
    add(nacka, alta, "Klotter", [at(week + dt.timedelta(days=d % 2 + 4), 1) for d in range(6)])
    # Four a week at Orminge for 8 weeks, then 7: under 4 + 2·2 = 8, not a deviation.
    add(
        nacka,
        orminge,
        "Stöld",
        [at(week - dt.timedelta(weeks=w, days=d), 14) for w in range(1, 9) for d in range(4)],
    )
    add(nacka, orminge, "Stöld", [at(week + dt.timedelta(days=d % 5), 15) for d in range(7)])
    picture = selectors.weekly_picture(analysis(world.users["samordnare"], nacka), week)
    rows = {(r.area_name, r.category_name): r for r in picture.rows}
    assert rows[("Älta", "Klotter")].flagged
    assert rows[("Älta", "Klotter")].count.value == 6
    assert rows[("Älta", "Klotter")].mean == 1
    assert not rows[("Boo", "Stöld")].flagged
    assert picture.flagged == 1
    assert picture.rows[0].category_name == "Klotter"  # deviations first
    assert picture.focus_places[0].name == "Älta centrum"
    assert picture.focus_places[0].flagged
    # Mondays 02:00 for 8 weeks, then six at 01:00: the busiest three hours, centred.
    assert picture.focus_places[0].when.endswith("01–04")
    assert 1 <= len(picture.quarter_top) <= 3
    assert picture.total.value == 13


def test_a_partner_sees_small_counts_as_under_five_and_no_places(world, nacka, login):
    week = selectors.last_complete_week()
    add(nacka, world.places["Älta centrum"], "Klotter", [at(week, 1), at(week, 2), at(week, 3)])
    polis = world.users["polis"]
    picture = selectors.weekly_picture(analysis(polis, nacka), week)
    assert not picture.detail
    assert picture.total.label == "<5"
    assert picture.total.value is None
    assert picture.focus_places is None and picture.quarter_top is None
    assert all(not r.flagged for r in picture.rows)  # a flag would reveal a hidden count
    assert selectors.top_places(analysis(polis, nacka)) is None
    assert selectors.map_data(analysis(polis, nacka))["points"] == []
    tow = selectors.time_of_week(
        analysis(polis, nacka, selectors.Period(week, week + dt.timedelta(6)))
    )
    assert {c["reports"].label for c in tow.cells} <= {"0", "<5"}
    # The coordinator sees the same figures exactly.
    own = selectors.weekly_picture(analysis(world.users["samordnare"], nacka), week)
    assert own.total.value == 3 and own.focus_places


def test_an_area_limited_member_counts_only_their_area(world, generated):
    nacka = world.organisations["nacka"]
    period = selectors.default_period()
    rows = selectors.area_counts(analysis(world.users["arbetsgrupp"], nacka, period))
    assert [r.name for r in rows] == ["Älta"]
    start, end = period.bounds()
    expected = IncidentReport.objects.filter(
        organisation=nacka,
        area=world.areas["Älta"],
        occurred_at__gte=start,
        occurred_at__lt=end,
    ).count()
    assert rows[0].count.value == expected
    headline = selectors.headline(analysis(world.users["arbetsgrupp"], nacka, period))
    assert headline.total.value == expected


def test_areas_get_a_rate_per_1000_where_the_population_is_known(world, nacka):
    from trygg.stats.services import population_set

    week = selectors.last_complete_week()
    add(nacka, world.places["Älta centrum"], "Klotter", [at(week, h) for h in range(10)])
    population_set(
        actor=None, organisation=nacka, area=world.areas["Älta"], year=week.year, count=20000
    )
    period = selectors.Period(week, week + dt.timedelta(days=6))
    rows = {
        r.name: r for r in selectors.area_counts(analysis(world.users["samordnare"], nacka, period))
    }
    assert rows["Älta"].rate == pytest.approx(0.5)
    assert rows["Älta"].rate_label == "0,5"
    assert rows["Boo"].rate is None


def test_the_police_summary_compares_four_weeks_and_counts_summaries_apart(world, nacka):
    kommun = world.areas["Nacka"]
    end = selectors.today()
    number = iter(range(1, 100))

    def event(days_ago, kind, summary=False):
        police_event(kommun, next(number), at(end - dt.timedelta(days=days_ago)), kind, summary)

    for days in (1, 5, 9):
        event(days, "Skadegörelse")
    event(40, "Skadegörelse")
    event(3, "Sammanfattning natt", summary=True)
    summary = selectors.police_summary(world.users["polis"], nacka, end=end)
    rows = {r.event_type: r for r in summary.rows}
    assert (rows["Skadegörelse"].recent, rows["Skadegörelse"].previous) == (3, 1)
    assert "Sammanfattning natt" not in rows
    assert summary.summaries == 1
    assert summary.latest == end - dt.timedelta(days=1)


def test_counts_are_restricted_for_another_kommun(world, generated):
    nacka = world.organisations["nacka"]
    period = selectors.default_period()
    other = world.users["utomstaende"]
    assert selectors.headline(analysis(other, nacka, period)).total.value == 0
    assert selectors.analysis_areas(other, nacka) == []


def test_the_demo_is_the_same_every_time(world):
    from trygg.core.models import Place
    from trygg.situation.generator import ReportGenerator

    nacka = world.organisations["nacka"]
    categories_ensure_defaults(nacka)

    def draw():
        generator = ReportGenerator(
            organisation=nacka,
            categories={c.name: c for c in IncidentCategory.objects.filter(organisation=nacka)},
            areas=[world.areas[n] for n in world.areas if n != "Nacka"],
            places=list(Place.objects.filter(organisation=nacka).select_related("area")),
            seed=7,
        )
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        return list(generator.reports(start=now - dt.timedelta(days=60), end=now, count=300))

    first, second = draw(), draw()
    assert first == second
    assert len(first) == 300
    assert first == sorted(first, key=lambda r: r.occurred_at)  # loaded in time order


def test_the_headline_gives_a_yearly_rate_from_the_newest_population(world, nacka):
    from trygg.stats.services import population_set

    week = selectors.last_complete_week()
    add(nacka, world.places["Älta centrum"], "Klotter", [at(week, h) for h in range(10)])
    kommun = world.areas["Nacka"]
    population_set(actor=None, organisation=nacka, area=kommun, year=week.year - 3, count=90000)
    population_set(actor=None, organisation=nacka, area=kommun, year=week.year - 1, count=100000)
    period = selectors.Period(week, week + dt.timedelta(days=6))
    headline = selectors.headline(analysis(world.users["samordnare"], nacka, period))
    assert (headline.population, headline.population_year) == (100000, week.year - 1)
    assert headline.rate_label == "5,2"  # 10 in a week is 521 a year, per 100 000
    # A district has no kommun rate.
    alta = selectors.headline(
        analysis(world.users["samordnare"], nacka, period, area=world.areas["Älta"])
    )
    assert alta.population is None and alta.total.value == 10


def test_cached_aggregates_follow_the_reports_and_never_cross_scopes(world, generated):
    from trygg.incidents import services as incident_services

    nacka = world.organisations["nacka"]
    period = selectors.default_period()
    coordinator, member = world.users["samordnare"], world.users["arbetsgrupp"]
    whole = selectors.headline(analysis(coordinator, nacka, period)).total.value
    alta = selectors.headline(analysis(member, nacka, period)).total.value
    assert 0 < alta < whole  # the member's figures are not the coordinator's cached ones
    again = selectors.headline(analysis(coordinator, nacka, period)).total.value
    assert again == whole
    incident_services.report_create(
        actor=coordinator,
        organisation=nacka,
        category=category(nacka, "Klotter"),
        occurred_at=at(selectors.today() - dt.timedelta(days=1)),
        assessment=1,
        place=world.places["Älta centrum"],
    )
    assert selectors.headline(analysis(coordinator, nacka, period)).total.value == whole + 1
    assert selectors.headline(analysis(member, nacka, period)).total.value == alta + 1


@pytest.mark.parametrize("persona", ["samordnare", "arbetsgrupp", "polis"])
def test_sums_over_whole_and_partial_months_equal_the_reports_in_scope(world, generated, persona):
    """The whole months of a period are read from the monthly counts, its first and last
    partial months from the daily ones: the sums are the reports the user may see."""
    from trygg.situation.selectors.counts import summed

    nacka = world.organisations["nacka"]
    user = world.users[persona]
    visible = IncidentReport.objects.restrict(user, "view").filter(organisation=nacka)
    end = selectors.default_period().end
    this_month = end.replace(day=1)
    previous = (this_month - dt.timedelta(days=1)).replace(day=1)
    periods = [
        selectors.default_period(),  # partial first and last months
        selectors.Period(end.replace(day=1) - dt.timedelta(days=90), end),
        selectors.Period(dt.date(end.year - 1, 1, 1), dt.date(end.year - 1, 12, 31)),  # whole
        selectors.Period(end.replace(day=1), end),  # within one month
        selectors.Period(end - dt.timedelta(days=45), end - dt.timedelta(days=40)),
        # most of a month (the month less its first two days and its last day), and two
        # partial months with no whole month between them
        selectors.Period(previous + dt.timedelta(days=2), this_month - dt.timedelta(days=2)),
        selectors.Period(previous - dt.timedelta(days=10), previous + dt.timedelta(days=20)),
    ]
    for period in periods:
        start, stop = period.bounds()
        by_cell: Counter = Counter()
        by_hour: Counter = Counter()
        for moment, c, a, p in visible.filter(
            occurred_at__gte=start, occurred_at__lt=stop
        ).values_list("occurred_at", "category_id", "area_id", "place_id"):
            local = moment.astimezone(STOCKHOLM)
            by_cell[(local.date().replace(day=1), c, a, p)] += 1
            by_hour[(local.isoweekday(), local.hour, a)] += 1
        assert by_cell or period is not periods[0]  # the user sees reports
        a = analysis(user, nacka, period)
        fields = ("month", "category_id", "area_id", "place_id")
        got = Counter({row[:4]: row[4] for row in summed(a, period, fields)})
        assert got == by_cell, period
        hourly = summed(a, period, ("weekday", "hour", "area_id"), hourly=True)
        assert Counter({row[:3]: row[3] for row in hourly}) == by_hour, period
        assert sum(row[4] for row in hourly) == sum(by_hour.values())  # all generated
    assert persona != "arbetsgrupp" or {k[2] for k in by_cell} <= {world.areas["Älta"].pk, None}


def add_unplaced(nacka, moments):
    """Reports in no area and at no place (the kommun's only) at the given local times."""
    kinds = list(IncidentCategory.objects.filter(organisation=nacka).order_by("pk"))
    rows = [
        GeneratedReport(
            occurred_at=moment,
            category_id=kinds[i % len(kinds)].pk,
            area_id=None,
            place_id=None,
            lat=None,
            lon=None,
            assessment=1,
            description="",
            status="ny",
        )
        for i, moment in enumerate(moments)
    ]
    services.generated_reports_create(
        actor=None, organisation=nacka, reports=rows, description="test"
    )


@pytest.mark.parametrize("persona", ["samordnare", "arbetsgrupp", "polis"])
def test_the_written_path_gives_what_restrict_gives(
    world, generated, last_week, persona, monkeypatch
):
    """A viewer who sees every area, or (an area-limited member) some areas, reads the
    counts through SQL written without ``restrict()`` (the area limit a filter in it),
    whole-organisation viewers the heatmap from the area-less MonthHourTotal; every
    selector's result is the same as through ``restrict()`` and the per-area tables."""
    from django.core.cache import cache

    from trygg.situation.models import MonthHourTotal
    from trygg.situation.selectors import counts

    nacka = world.organisations["nacka"]
    user = world.users[persona]
    end = selectors.default_period().end
    # Reports in no area, which an area-limited member sees too: in the last week, on the
    # period's first days (taken away from a whole month) and within a partial month.
    add_unplaced(
        nacka,
        [at(last_week + dt.timedelta(days=d), 9 + d) for d in range(7)]
        + [at(selectors.default_period().start, h) for h in (1, 13)]
        + [at(end - dt.timedelta(days=42), 22)],
    )
    periods = [
        selectors.default_period(),
        selectors.Period(end - dt.timedelta(days=3 * 365 - 1), end),
        selectors.Period(end - dt.timedelta(days=45), end - dt.timedelta(days=40)),
        selectors.Period(end - dt.timedelta(days=70), end - dt.timedelta(days=33)),
    ]

    def results() -> list:
        cache.clear()
        out = []
        for period in periods:
            out += [
                selectors.time_of_week(analysis(user, nacka, period), police=False).cells,
                selectors.monthly_trend(analysis(user, nacka, period)),
                selectors.top_places(analysis(user, nacka, period)),
                selectors.area_counts(analysis(user, nacka, period)),
                selectors.headline(analysis(user, nacka, period)),
                selectors.time_of_week(
                    analysis(user, nacka, period, area=world.areas["Älta"]), police=False
                ).cells,
            ]
        picture = selectors.weekly_picture(analysis(user, nacka, periods[0]), last_week)
        out += [
            picture.rows,
            picture.area_rows,
            picture.focus_places,
            picture.quarter_top,
            picture.time_of_week.cells,
            picture.generated,
        ]
        return out

    taken = analysis(user, nacka)
    assert counts.written(taken)
    limited = counts.limit(taken)
    assert (limited is None) == (persona != "arbetsgrupp")
    assert persona != "arbetsgrupp" or limited == {world.areas["Älta"].pk}
    new = results()
    monkeypatch.setattr(counts, "scope", lambda a: "through-restrict")
    assert not counts.written(analysis(user, nacka))
    old = results()
    assert new == old
    assert any(row.count.value for row in new[-6])  # the week has reports
    unplaced = [row for row in new[3] if row.area is None]  # area_counts, the default period
    assert unplaced and unplaced[0].count.value == 10  # all of them within the last year
    if persona == "arbetsgrupp":  # the member's figures are Älta's and the unplaced ones
        assert {row.area for row in new[3]} == {world.areas["Älta"], None}
    # Only whole-organisation viewers may read the area-less totals.
    readable = MonthHourTotal.objects.restrict(user, "view").filter(organisation=nacka)
    assert readable.exists() == (persona != "arbetsgrupp")


def test_a_member_limited_to_areas_who_is_also_a_partner_is_tagged_apart(world, generated):
    """An area-limited member of Nacka who is also in a partner of Nacka sees all of its
    counts (the partnership), so their cached figures are not those of members limited to
    the same areas: the scope tag says so, and the written path reads every area."""
    from trygg.core.access import forget_scope
    from trygg.core.models import Membership
    from trygg.situation.selectors import counts

    nacka = world.organisations["nacka"]
    member, police = world.users["arbetsgrupp"], world.users["polis"]
    period = selectors.default_period()
    alta = selectors.headline(analysis(member, nacka, period)).total.value
    whole = selectors.headline(analysis(police, nacka, period)).total.value
    police_membership = Membership.objects.filter(user=police).first()
    Membership.objects.create(
        user=member, organisation=police_membership.organisation, role=police_membership.role
    )
    forget_scope(member)
    both = analysis(member, nacka, period)
    tag = counts.scope(both)
    assert tag.startswith("areas-") and tag.endswith(counts.PARTNER_MARK)
    assert counts.limit(both) is None
    total = selectors.headline(both).total.value
    restricted = IncidentReport.objects.restrict(member, "view").filter(organisation=nacka)
    start, stop = period.bounds()
    assert total == restricted.filter(occurred_at__gte=start, occurred_at__lt=stop).count()
    assert alta < total == whole


def test_the_weekly_picture_counts_the_police_events_of_its_week_as_the_heatmap_does(world, nacka):
    """The weekly picture reads its week's police events once (by type and per local hour);
    the heatmap of the same week reads them itself: the two must agree, summaries left out."""
    kommun = world.areas["Nacka"]
    week = selectors.last_complete_week()
    number = iter(range(1, 100))

    def event(moment, kind, summary=False):
        police_event(kommun, next(number), moment, kind, summary)

    for day, hour in ((0, 0), (0, 23), (3, 12), (6, 23)):  # the week's first and last hours
        event(at(week + dt.timedelta(days=day), hour), "Stöld")
    event(at(week + dt.timedelta(days=2), 8), "Brand")
    event(at(week + dt.timedelta(days=2), 9), "Sammanfattning natt", summary=True)
    event(at(week - dt.timedelta(days=1), 23), "Stöld")  # the Sunday before: not this week
    event(at(week + dt.timedelta(days=7), 0), "Stöld")  # the Monday after
    user = world.users["samordnare"]
    picture = selectors.weekly_picture(analysis(user, nacka), week)
    assert picture.police == [("Stöld", 4), ("Brand", 1)]
    assert picture.police_total == 5
    own = selectors.time_of_week(
        analysis(user, nacka, selectors.Period(week, week + dt.timedelta(days=6)))
    )
    police = {(c["weekday"], c["hour"]): c["police"] for c in picture.time_of_week.cells}
    assert police == {(c["weekday"], c["hour"]): c["police"] for c in own.cells}
    assert police[(1, 0)] == police[(1, 23)] == police[(7, 23)] == police[(3, 8)] == 1
    assert sum(police.values()) == 5
