"""The pre-computed counts stay equal to the reports, however the reports change."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from trygg.incidents import services as incident_services
from trygg.incidents.models import IncidentCategory, IncidentReport
from trygg.situation import rollup
from trygg.situation.demo import generate_reports
from trygg.situation.models import (
    DayCount,
    HourCount,
    IncidentCount,
    MonthCount,
    MonthHourCount,
    MonthHourRunning,
    MonthHourTotal,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _from_reports(organisation) -> Counter:
    result: Counter = Counter()
    for at, category_id, area_id, place_id in IncidentReport.objects.filter(
        organisation=organisation
    ).values_list("occurred_at", "category_id", "area_id", "place_id"):
        local = at.astimezone(STOCKHOLM)
        result[(local.date(), local.hour, category_id, area_id, place_id)] += 1
    return result


def _from_counts(organisation) -> Counter:
    """The detailed counts; the daily and hourly tables must add up to the same."""
    detailed = IncidentCount.objects.filter(organisation=organisation)
    by_day = Counter()
    by_hour = Counter()
    by_month = Counter()
    by_month_hour = Counter()
    by_month_hour_total = Counter()
    for day, hour, c, a, p, n in detailed.values_list(
        "day", "hour", "category_id", "area_id", "place_id", "count"
    ):
        by_day[(day, c, a, p)] += n
        by_hour[(day, hour, a)] += n
        by_month[(day.replace(day=1), c, a, p)] += n
        by_month_hour[(day.replace(day=1), day.isoweekday(), hour, a)] += n
        by_month_hour_total[(day.replace(day=1), day.isoweekday(), hour)] += n
    # The monthly tables are the sums of the days of their months, with no empty rows.
    assert by_month == Counter(
        {
            (m, c, a, p): n
            for m, c, a, p, n in MonthCount.objects.filter(organisation=organisation).values_list(
                "month", "category_id", "area_id", "place_id", "count"
            )
        }
    )
    assert MonthCount.objects.filter(organisation=organisation).count() == len(by_month)
    assert by_month_hour == Counter(
        {
            (m, w, h, a): n
            for m, w, h, a, n in MonthHourCount.objects.filter(
                organisation=organisation
            ).values_list("month", "weekday", "hour", "area_id", "count")
        }
    )
    assert MonthHourCount.objects.filter(organisation=organisation).count() == len(by_month_hour)
    # The month × weekday × hour totals are the same sums over every area.
    assert by_month_hour_total == Counter(
        {
            (m, w, h): n
            for m, w, h, n in MonthHourTotal.objects.filter(organisation=organisation).values_list(
                "month", "weekday", "hour", "count"
            )
        }
    )
    assert MonthHourTotal.objects.filter(organisation=organisation).count() == len(
        by_month_hour_total
    )
    # The running sums: for each month with counts, every weekday and hour from the first
    # month through that one (and no row for a month without counts).
    running: Counter = Counter()
    expected_running = Counter()
    for month in sorted({m for m, _w, _h in by_month_hour_total}):
        running.update({(w, h): n for (m, w, h), n in by_month_hour_total.items() if m == month})
        expected_running.update({(month, w, h): n for (w, h), n in running.items()})
    assert expected_running == Counter(
        {
            (m, w, h): n
            for m, w, h, n in MonthHourRunning.objects.filter(
                organisation=organisation
            ).values_list("month", "weekday", "hour", "count")
        }
    )
    assert MonthHourRunning.objects.filter(organisation=organisation).count() == len(
        expected_running
    )
    assert by_day == Counter(
        {
            (day, c, a, p): n
            for day, c, a, p, n in DayCount.objects.filter(organisation=organisation).values_list(
                "day", "category_id", "area_id", "place_id", "count"
            )
        }
    )
    assert by_hour == Counter(
        {
            (day, hour, a): n
            for day, hour, a, n in HourCount.objects.filter(organisation=organisation).values_list(
                "day", "hour", "area_id", "count"
            )
        }
    )
    return Counter(
        {
            (day, hour, c, a, p): n
            for day, hour, c, a, p, n in IncidentCount.objects.filter(
                organisation=organisation
            ).values_list("day", "hour", "category_id", "area_id", "place_id", "count")
        }
    )


@pytest.fixture
def nacka(world):
    incident_services.categories_ensure_defaults(world.organisations["nacka"])
    return world.organisations["nacka"]


def test_it_counts_generated_reports_in_local_time(world, nacka):
    now = dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC)
    counts = generate_reports(world, now=now, count=600)
    assert counts["created"] >= 600
    assert _from_counts(nacka) == _from_reports(nacka)
    total = IncidentCount.objects.filter(organisation=nacka).aggregate(n=Sum("count"))["n"]
    assert total == IncidentReport.objects.filter(organisation=nacka).count()
    generated = IncidentCount.objects.filter(organisation=nacka).aggregate(n=Sum("generated"))
    assert generated["n"] == total
    totals = MonthHourTotal.objects.filter(organisation=nacka)
    assert totals.aggregate(n=Sum("count"), g=Sum("generated")) == {"n": total, "g": total}


def test_it_recounts_after_reports_are_filed_moved_and_deleted(world, nacka):
    generate_reports(world, now=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), count=200)
    category = IncidentCategory.objects.get(organisation=nacka, name="Klotter")
    # 00:30 local on the night of the DST change counts on its local day and hour.
    at = dt.datetime(2026, 3, 29, 0, 30, tzinfo=STOCKHOLM)
    report = incident_services.report_create(
        actor=world.users["samordnare"],
        organisation=nacka,
        category=category,
        occurred_at=at,
        assessment=1,
        place=world.places["Älta centrum"],
    )
    assert _from_counts(nacka) == _from_reports(nacka)
    incident_services.report_update(
        actor=world.users["samordnare"],
        report=report,
        occurred_at=dt.datetime(2026, 3, 20, 22, 15, tzinfo=STOCKHOLM),
        place=world.places["Orminge centrum"],
    )
    assert _from_counts(nacka) == _from_reports(nacka)
    incident_services.report_delete(actor=world.users["samordnare"], report=report)
    assert _from_counts(nacka) == _from_reports(nacka)


def test_the_running_sums_follow_a_new_first_month_and_the_loss_of_the_last(world, nacka):
    """A report in a month before every other rewrites the running sums of every month
    after it; a report in a month after every other adds that month's sums, and deleting
    it again removes them (the month before is then the latest)."""
    generate_reports(world, now=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), count=200)
    category = IncidentCategory.objects.get(organisation=nacka, name="Klotter")

    def months() -> set[dt.date]:
        running = MonthHourRunning.objects.filter(organisation=nacka)
        return set(running.values_list("month", flat=True))

    before = months()

    def file(at: dt.datetime):
        return incident_services.report_create(
            actor=world.users["samordnare"],
            organisation=nacka,
            category=category,
            occurred_at=at,
            assessment=1,
        )

    early = file(dt.datetime(2021, 2, 3, 4, 5, tzinfo=STOCKHOLM))
    assert _from_counts(nacka) == _from_reports(nacka)
    late = file(dt.datetime(2026, 10, 9, 23, 30, tzinfo=STOCKHOLM))
    assert _from_counts(nacka) == _from_reports(nacka)
    assert months() == before | {dt.date(2021, 2, 1), dt.date(2026, 10, 1)}
    incident_services.report_delete(actor=world.users["samordnare"], report=late)
    assert _from_counts(nacka) == _from_reports(nacka)
    incident_services.report_delete(actor=world.users["samordnare"], report=early)
    assert _from_counts(nacka) == _from_reports(nacka)
    assert months() == before


def test_it_catches_reports_inserted_behind_its_back(world, nacka):
    generate_reports(world, now=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), count=100)
    category = IncidentCategory.objects.get(organisation=nacka, name="Stöld")
    IncidentReport.objects.bulk_create(
        [
            IncidentReport(
                organisation=nacka,
                category=category,
                occurred_at=dt.datetime(2026, 3, 2, 14, tzinfo=STOCKHOLM),
                assessment=1,
            )
            for _ in range(3)
        ]
    )
    assert _from_counts(nacka) != _from_reports(nacka)  # no page recounts on reading
    assert rollup.catch_up(nacka.pk)  # the periodic task does
    assert _from_counts(nacka) == _from_reports(nacka)
    assert not rollup.catch_up(nacka.pk)  # nothing left to do


def test_a_rebuild_gives_the_same_counts(world, nacka):
    generate_reports(world, now=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), count=300)
    before = _from_counts(nacka)
    rollup.rebuild(nacka.pk)
    assert _from_counts(nacka) == before == _from_reports(nacka)


def test_the_rebuild_command_recounts_every_organisation(world, nacka):
    from io import StringIO

    from django.core.management import call_command

    generate_reports(world, now=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), count=200)
    IncidentCount.objects.filter(organisation=nacka).delete()  # as after a botched repair
    out = StringIO()
    call_command("rebuild_incident_counts", stdout=out)
    assert "Nacka kommun" in out.getvalue()
    assert _from_counts(nacka) == _from_reports(nacka)


def test_the_area_less_totals_are_read_by_whole_organisation_viewers_and_partners_only(
    world, nacka
):
    """MonthHourTotal holds no area, so an area limit cannot be applied to its rows:
    whole-organisation viewers and the partner see them, an area-limited member and an
    outsider do not."""
    generate_reports(world, now=dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), count=200)
    seen = {
        persona: MonthHourTotal.objects.restrict(world.users[persona], "view").exists()
        for persona in ["samordnare", "polis", "arbetsgrupp", "utomstaende"]
    }
    assert seen == {"samordnare": True, "polis": True, "arbetsgrupp": False, "utomstaende": False}
    assert not MonthHourTotal.objects.restrict(world.users["samordnare"], "change").exists()
    running = {
        persona: MonthHourRunning.objects.restrict(world.users[persona], "view").exists()
        for persona in seen
    }
    assert running == seen
    assert not MonthHourRunning.objects.restrict(world.users["samordnare"], "change").exists()
