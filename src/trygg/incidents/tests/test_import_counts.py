"""An import adds its reports to the lägesbild's counts exactly: on days that already had
counts and on new ones, with rows already there from an earlier file left out. (On
PostgreSQL the counts are made by the database from the import's temporary table, on
SQLite in Python; both must give what a recount from the reports gives.)"""

from __future__ import annotations

import pytest

from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.test_import_background import HEADER, big_csv
from trygg.situation import rollup
from trygg.situation.models import (
    DayCount,
    HourCount,
    IncidentCount,
    MonthCount,
    MonthHourCount,
    MonthHourTotal,
)

pytestmark = pytest.mark.django_db


def _import(world, data: bytes) -> dict[str, int]:
    return services.reports_import(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        data=data,
        filename="est.csv",
    )


def _cells() -> tuple[list, ...]:
    """Every count, summed per cell (a table may hold a cell in more than one row)."""
    from django.db.models import Sum

    def summed(model, *fields: str) -> list:
        return sorted(
            model.objects.order_by()
            .values_list(*fields)
            .annotate(n=Sum("count"), g=Sum("generated"))
        )

    return (
        summed(
            IncidentCount,
            "day",
            "week_start",
            "month",
            "weekday",
            "hour",
            "category_id",
            "area_id",
            "place_id",
        ),
        summed(DayCount, "day", "week_start", "month", "category_id", "area_id", "place_id"),
        summed(HourCount, "day", "weekday", "hour", "area_id"),
        summed(MonthCount, "month", "category_id", "area_id", "place_id"),
        summed(MonthHourCount, "month", "weekday", "hour", "area_id"),
        summed(MonthHourTotal, "month", "weekday", "hour"),
    )


def test_a_second_file_on_counted_and_new_days_gives_the_counts_of_a_recount(world, categories):
    assert _import(world, big_csv(300, start=1))["created"] == 300
    # Rows 151–300 are there already; 301–450 fall on days counted by the first file; the
    # last rows on days (and months) that had no reports.
    extra = [
        "OLD-1;Klotter;2024-01-05;10:00;;Boo;2;",
        "OLD-2;Klotter;2024-01-05;10:40;;Boo;3;",
        "OLD-3;Stöld;2024-02-29;23:59;Orminge centrum;;1;",
    ]
    second = big_csv(300, start=151) + ("\n".join(extra) + "\n").encode()
    assert _import(world, second) == {"rows": 303, "created": 153, "unchanged": 150}
    assert IncidentReport.objects.count() == 453
    imported = _cells()
    assert sum(cell[-2] for cell in imported[0]) == 453
    assert sum(cell[-2] for cell in imported[1]) == 453
    assert sum(cell[-2] for cell in imported[5]) == 453
    rollup.rebuild(world.organisations["nacka"].pk)  # every count again, from the reports
    assert _cells() == imported


def test_an_extern_id_already_there_and_met_again_in_a_later_chunk_is_left_as_it_is(
    world, categories, monkeypatch
):
    """Met again in the file, an extern_id refuses the file only when it is new: one that
    an earlier import wrote is left as it is, however often the file holds it."""
    monkeypatch.setattr(services, "IMPORT_CHUNK", 2)
    first = ("\n".join([HEADER, "EST-1;Klotter;2025-05-01;10:00;;Boo;2;"]) + "\n").encode()
    assert _import(world, first)["created"] == 1
    rows = [
        HEADER,
        "EST-1;Klotter;2025-05-01;10:00;;Boo;2;",
        "EST-2;Klotter;2025-05-02;11:00;;Boo;2;",
        "EST-1;Klotter;2025-05-01;10:00;;Boo;2;",  # the next chunk
    ]
    second = ("\n".join(rows) + "\n").encode()
    assert _import(world, second) == {"rows": 3, "created": 1, "unchanged": 2}
    assert sorted(IncidentReport.objects.values_list("external_ref", flat=True)) == [
        "EST-1",
        "EST-2",
    ]
    assert sum(DayCount.objects.values_list("count", flat=True)) == 2
