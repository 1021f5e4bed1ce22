"""The incident import works out each distinct date, time, name and text once and
remembers it: a value met again must give the same result, problems and row numbers
included, as when it was met first."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.conftest import when
from trygg.situation.models import DayCount, HourCount, IncidentCount

pytestmark = pytest.mark.django_db

HEADER = "extern_id;kategori;datum;tid;plats/adress;område;bedömning;beskrivning"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(world, data: bytes) -> dict[str, int]:
    return services.reports_import(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        data=data,
        filename="est.csv",
    )


def _problems(world, data: bytes) -> list[str]:
    with pytest.raises(ValidationError) as error:
        _import(world, data)
    assert not IncidentReport.objects.exists()
    return error.value.messages


def test_a_personnummer_met_again_refuses_every_row_that_holds_it(world, categories):
    day = when(5).date().isoformat()
    text = "Killen heter 19811218-9876"
    messages = _problems(
        world,
        _csv(
            f"EST-1;Klotter;{day};21:30;;;2;{text}",
            f"EST-2;Klotter;{day};21:30;;;2;Helt i sin ordning",
            f"EST-3;Klotter;{day};21:30;;;2;{text}",
            f"EST-4;Klotter;{day};21:30;;;2;  {text}  ",
        ),
    )
    assert len(messages) == 3
    for row in (2, 4, 5):
        assert any(
            m.startswith(f"Rad {row}: kolumnen ”beskrivning”: Texten ser ut att innehålla")
            for m in messages
        ), messages
    assert "9876" not in "\n".join(messages)


def test_a_wrong_date_or_time_met_again_is_named_on_every_row(world, categories):
    day = when(5).date().isoformat()
    messages = _problems(
        world,
        _csv(
            f"EST-1;Klotter;{day};21:30;;;2;",
            "EST-2;Klotter;2024-02-30;21:30;;;2;",
            f"EST-3;Klotter;{day};25:61;;;2;",
            "EST-4;Klotter;2024-02-30;21:30;;;2;",
            f"EST-5;Klotter;{day};25:61;;;2;",
            f"EST-6;Okänd sak;{day};21:30;;;2;",
            f"EST-7;Okänd sak;{day};21:30;;Gotland;2;",
        ),
    )
    text = "\n".join(messages)
    assert len(messages) == 6
    assert "Rad 3: datumet ”2024-02-30”" in text
    assert "Rad 5: datumet ”2024-02-30”" in text
    assert "Rad 4: tiden ”25:61”" in text
    assert "Rad 6: tiden ”25:61”" in text
    assert "Rad 7: okänd kategori ”Okänd sak”" in text
    assert "Rad 8: okänd kategori ”Okänd sak”; okänt område ”Gotland”" in text


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(world, categories):
    day = when(5).date().isoformat()
    messages = _problems(
        world,
        _csv(
            f"EST-1;Klotter;{day};21:30;;;2;",
            ";;;;;;;",
            " ; \t;;;;;;",
            f"EST-2;Klotter;{day};21:30;;;7;",
        ),
    )
    assert messages == ["Rad 5: bedömningen ska vara 1, 2 eller 3, inte ”7”"]


def test_repeated_times_give_the_same_reports_and_counts_as_the_form_would(world, categories):
    """Times and days are stored in the database's own form, worked out once per day: the
    reports and the lägesbild's counts are those of each time on its own, across a change
    of daylight saving time and for a window past midnight."""
    from django.utils import timezone

    from trygg.situation import rollup

    rows = [
        "EST-1;Klotter;2025-03-29;23:30;;Boo;2;",
        "EST-2;Klotter;2025-03-30;01:30;;Boo;2;",
        "EST-3;Klotter;2025-03-30;03:30;;Boo;2;",  # the clocks went forward at 02:00
        "EST-4;Klotter;2025-03-30;03:30;;Boo;2;",
        "EST-5;Klotter;2025-10-26;02:30;;Boo;2;",  # the clocks went back at 03:00
        "EST-6;Klotter;2025-06-01;22:00-01:30;;Boo;2;",
    ]
    assert _import(world, _csv(*rows))["created"] == 6
    reports = {r.external_ref: r for r in IncidentReport.objects.all()}
    local = {ref: timezone.localtime(r.occurred_at) for ref, r in reports.items()}
    assert local["EST-2"].strftime("%Y-%m-%d %H:%M %z") == "2025-03-30 01:30 +0100"
    assert local["EST-3"].strftime("%Y-%m-%d %H:%M %z") == "2025-03-30 03:30 +0200"
    assert reports["EST-3"].occurred_at == reports["EST-4"].occurred_at
    assert local["EST-5"].strftime("%Y-%m-%d %H:%M") == "2025-10-26 02:30"
    window = reports["EST-6"].occurred_until - reports["EST-6"].occurred_at
    assert window.total_seconds() == 3.5 * 3600
    assert timezone.localtime(reports["EST-6"].occurred_until).strftime("%H:%M") == "01:30"

    def cells():
        return (
            sorted(
                IncidentCount.objects.values_list(
                    "day", "week_start", "month", "weekday", "hour", "count"
                )
            ),
            sorted(DayCount.objects.values_list("day", "week_start", "month", "count")),
            sorted(HourCount.objects.values_list("day", "weekday", "hour", "count")),
        )

    imported = cells()
    assert sum(c[-1] for c in imported[0]) == 6
    rollup.rebuild(world.organisations["nacka"].pk)  # every count again, from the reports
    assert cells() == imported


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_extern_ids_already_there_are_found_through_the_unique_index(world):
    """Without the unique index the lookup reads every report of the organisation for each
    chunk of the file: time growing with the square of the rows."""
    sql = services._refs_there_sql(3).replace("%s", "?")
    with connection.cursor() as cursor:
        plan = cursor.connection.execute(f"EXPLAIN QUERY PLAN {sql}", [1, "a", "b", "c"])
        details = " ".join(str(row[-1]) for row in plan)
    assert "incidentreport_external_ref_unique" in details, details
