"""Importing statistics files: all or nothing, idempotent, bad rows named with a reason."""

from __future__ import annotations

from datetime import date as dt_date
from decimal import Decimal

import pytest

from trygg.core.choices import AreaKind
from trygg.core.models import Area, AuditEntry, ImportBatch
from trygg.stats import importers, services
from trygg.stats.choices import ImportKind
from trygg.stats.models import IndicatorSeries, Observation
from trygg.stats.selectors import population_for
from trygg.stats.tests.conftest import GOTEBORG_CSV, MONTHLY_CSV, PX_SYMBOLS

SURVEY_CSV = (
    "indikator;område;år;värde;urval;riket\n"
    "Trygg utomhus när det är mörkt;Nacka;2023;83,5;;75\n"
    "Trygg utomhus när det är mörkt;Nacka;2022;81,3;;\n"
    "Inte orolig för att utsättas för våldsbrott;Nacka;2023;82;1200;76\n"
    "Inte orolig för att utsättas för våldsbrott;Älta;2023;..;;\n"
).encode()

POPULATION_CSV = (
    "område;år;folkmängd\nNacka;2023;109166\n0182;2024;110394\nBoo;2024;29000\n".encode()
)


def do_import(world, kind, content, filename="fil.csv", options=None, user="samordnare"):
    actor = world.users[user]
    batch = services.import_batch_create(
        actor=actor,
        organisation=world.organisations["nacka"],
        kind=kind,
        filename=filename,
        content=content,
    )
    return importers.run(actor=actor, batch=batch, content=content, options=options or {})


def state():
    """Everything an import may write, to prove that a refused file wrote nothing."""
    return (
        list(Observation.objects.order_by("pk").values()),
        list(IndicatorSeries.objects.order_by("pk").values()),
        list(Area.objects.order_by("pk").values_list("pk", "name")),
    )


# --- Brå yearly per area (Göteborg) ---------------------------------------------------


def test_it_imports_the_goteborg_file_with_its_stadsomraden(geography, world):
    batch = do_import(world, ImportKind.BRA_YEARLY, GOTEBORG_CSV.read_bytes())
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    assert batch.counts["created"] == 90
    assert batch.counts["areas_created"] == 4
    goteborg = geography["goteborg"]
    nordost = Area.objects.get(parent=goteborg, name="Nordost")
    assert nordost.kind == AreaKind.STADSDELSOMRADE
    assert nordost.organisation == world.organisations["nacka"]
    misshandel = Observation.objects.filter(area=nordost, category_code="misshandel")
    assert {o.period_label: o.value for o in misshandel} == {
        "2023": Decimal(1080),
        "2024": Decimal(1282),
        "2025": Decimal(1259),
    }
    total = Observation.objects.get(area=goteborg, category_code="misshandel", period_label="2025")
    assert total.value == 5670
    assert total.category_parent_code == "alla_brott"
    assert batch.sha256 and batch.filename == "fil.csv"


def test_it_changes_nothing_when_the_goteborg_file_is_imported_again(geography, world):
    do_import(world, ImportKind.BRA_YEARLY, GOTEBORG_CSV.read_bytes())
    before = state()
    audit = AuditEntry.objects.exclude(action="import").count()
    again = do_import(world, ImportKind.BRA_YEARLY, GOTEBORG_CSV.read_bytes())
    assert again.status == ImportBatch.Status.DONE
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == 90
    assert state() == before
    assert AuditEntry.objects.exclude(action="import").count() == audit


def test_it_refuses_a_yearly_file_with_a_bad_row_and_writes_nothing(geography, world):
    lines = GOTEBORG_CSV.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",5503,", ",många,")
    before = state()
    batch = do_import(world, ImportKind.BRA_YEARLY, "\n".join(lines).encode())
    assert batch.status == ImportBatch.Status.REJECTED
    assert [p["line"] for p in batch.problems] == [6]
    assert "inte ett heltal" in batch.problems[0]["message"]
    assert state() == before


def test_it_keeps_a_suppressed_count_missing_not_zero(geography, world):
    content = (
        "year,area,crime_type,count\n2024,Göteborg kommun,misshandel,\n2024,Nordost,misshandel,0\n"
    ).encode()
    batch = do_import(world, ImportKind.BRA_YEARLY, content)
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    total = Observation.objects.get(area=geography["goteborg"])
    assert total.value is None and total.symbol == ".."
    assert Observation.objects.get(area__name="Nordost").value == 0


# --- Brå monthly ----------------------------------------------------------------------


def test_it_imports_the_monthly_file_with_its_crime_hierarchy(geography, world):
    batch = do_import(world, ImportKind.BRA_MONTHLY, MONTHLY_CSV.read_bytes())
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    assert batch.counts["created"] == 7
    boden = Observation.objects.filter(area=geography["boden"])
    total = boden.get(category_code="13192")
    assert total.value == 225 and total.per_100k == 786
    assert total.preliminary is True
    assert total.period_label == "2026-08"
    assert str(total.period_start) == "2026-08-01" and str(total.period_end) == "2026-08-31"
    assault = boden.get(category_code="13197")
    assert assault.category_parent_code == "13195" and assault.category_level == 4
    assert "därav misshandel" in assault.category
    again = do_import(world, ImportKind.BRA_MONTHLY, MONTHLY_CSV.read_bytes())
    assert again.counts["unchanged"] == 7 and again.counts["created"] == 0


def test_it_refuses_a_monthly_file_naming_an_unknown_kommun(geography, world):
    text = MONTHLY_CSV.read_text(encoding="utf-8").replace(",Boden,", ",Bodeen,", 1)
    before = state()
    batch = do_import(world, ImportKind.BRA_MONTHLY, text.encode())
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems == [
        {"line": 2, "message": 'Kommunen "Bodeen" finns inte bland områdena.'}
    ]
    assert state() == before


# --- PX -------------------------------------------------------------------------------


def test_it_imports_px_symbols_as_missing_values_with_the_symbol_kept(geography, world):
    batch = do_import(world, ImportKind.PX, PX_SYMBOLS.read_bytes(), filename="BE0101F1.px")
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    assert batch.counts["created"] == 24
    missing = Observation.objects.filter(value__isnull=True)
    assert sorted(o.symbol for o in missing) == [".", "..", "...", "....", ".....", "......"]
    two_dots = missing.get(symbol="..")
    assert two_dots.area.code == "00"  # riket, age 21, women
    assert two_dots.category == "age: 21; sex: women"
    assert not Observation.objects.filter(value=0).exists()
    vasby = Observation.objects.get(area=geography["upplands_vasby"], category="age: 20; sex: men")
    assert vasby.value == 14
    assert Area.objects.get(code="00").organisation is None
    series = IndicatorSeries.objects.get()
    assert series.name == "Inmigrated by region, age, period and sex"
    assert series.source == "Statistics Sweden"
    again = do_import(world, ImportKind.PX, PX_SYMBOLS.read_bytes(), filename="BE0101F1.px")
    assert again.counts["unchanged"] == 24


def test_it_refuses_a_px_file_with_a_region_that_is_not_an_area(geography, world):
    geography["vallentuna"].delete()
    before = state()
    batch = do_import(world, ImportKind.PX, PX_SYMBOLS.read_bytes(), filename="x.px")
    assert batch.status == ImportBatch.Status.REJECTED
    assert len(batch.problems) == 1
    assert batch.problems[0]["line"] == 19  # CODES("region")
    assert "0115" in batch.problems[0]["message"]
    assert state() == before


def test_it_refuses_a_px_cell_that_is_not_a_number(geography, world):
    content = PX_SYMBOLS.read_bytes().replace(b"14 38", b"14 x8")
    before = state()
    batch = do_import(world, ImportKind.PX, content, filename="x.px")
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems[0]["line"] == 60
    assert "x8" in batch.problems[0]["message"]
    assert state() == before


def test_it_lets_the_user_choose_the_px_variables(geography, world):
    options = {
        "area_variable": None,
        "period_variable": "period",
        "category_variables": ["region", "age", "sex"],
        "area_id": world.areas["Nacka"].pk,
        "series_name": "Inflyttade",
    }
    batch = do_import(world, ImportKind.PX, PX_SYMBOLS.read_bytes(), "x.px", options)
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    assert set(Observation.objects.values_list("area__name", flat=True)) == {"Nacka"}
    assert Observation.objects.filter(category__startswith="region: 00 Sweden").count() == 6


# --- Survey indicators ----------------------------------------------------------------


def test_it_imports_survey_indicators_in_percent(geography, world):
    batch = do_import(world, ImportKind.SURVEY, SURVEY_CSV, options={"source": "SCB"})
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    dark = IndicatorSeries.objects.get(name="Trygg utomhus när det är mörkt")
    assert dark.unit == "percent" and dark.kind == "survey" and dark.source == "SCB"
    obs_2023 = dark.observations.get(period_label="2023")
    assert obs_2023.value == Decimal("83.5") and obs_2023.comparison_value == 75
    violence = IndicatorSeries.objects.get(name__startswith="Inte orolig")
    assert violence.observations.get(area__name="Nacka").sample_size == 1200
    alta = violence.observations.get(area__name="Älta")
    assert alta.value is None and alta.symbol == ".."
    again = do_import(world, ImportKind.SURVEY, SURVEY_CSV, options={"source": "SCB"})
    assert again.counts["unchanged"] == 4


def test_it_refuses_a_survey_value_over_100_percent(geography, world):
    content = SURVEY_CSV.replace(b";2022;81,3;", b";2022;813;")
    before = state()
    batch = do_import(world, ImportKind.SURVEY, content)
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.problems[0]["line"] == 3
    assert "0 och 100" in batch.problems[0]["message"]
    assert state() == before


# --- Population -----------------------------------------------------------------------


def test_it_imports_population_by_name_or_code(geography, world):
    batch = do_import(world, ImportKind.POPULATION, POPULATION_CSV, options={"source": "SCB"})
    assert batch.status == ImportBatch.Status.DONE, batch.problems
    assert population_for(world.areas["Nacka"], 2024) == 110394
    assert population_for(world.areas["Nacka"], 2023) == 109166
    assert population_for(world.areas["Boo"], 2024) == 29000
    again = do_import(world, ImportKind.POPULATION, POPULATION_CSV, options={"source": "SCB"})
    assert again.counts["unchanged"] == 3


def test_it_refuses_a_negative_population_and_an_unknown_area(geography, world):
    content = POPULATION_CSV + b"Nacka;2025;-5\nAtlantis;2024;5\n"
    before = state()
    batch = do_import(world, ImportKind.POPULATION, content)
    assert batch.status == ImportBatch.Status.REJECTED
    assert [p["line"] for p in batch.problems] == [5, 6]
    assert "utanför" in batch.problems[0]["message"]
    assert "Atlantis" in batch.problems[1]["message"]
    assert state() == before


@pytest.mark.parametrize("kind", [ImportKind.BRA_YEARLY, ImportKind.SURVEY])
def test_it_refuses_an_import_by_someone_without_rights(geography, world, kind):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_batch_create(
            actor=world.users["utomstaende"],
            organisation=world.organisations["nacka"],
            kind=kind,
            filename="x.csv",
            content=b"x",
        )


# --- Large files: checked and written in bulk ----------------------------------------


def monthly_file(months: int, *, changes: dict[tuple[int, int], str] | None = None) -> bytes:
    """The Brå monthly excerpt's seven rows repeated for ``months`` months back from
    2026-08; ``changes`` {(line, column): text} alters single cells (line 2 is the first row)."""
    import csv
    import datetime as dt
    import io

    with MONTHLY_CSV.open(encoding="utf-8", newline="") as handle:
        header, *template = list(csv.reader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    line = 1
    year, month = 2026, 8
    for _ in range(months):
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        for row in template:
            line += 1
            row = list(row)
            row[0:2] = [str(year), f"{month}.0"]
            row[4:7] = [f"{year}, {month}", f"{year}{month:02d}", f"{year}-{month:02d}-01"]
            row[7] = f"{year}-{month:02d}-{last:02d}"
            for (at, column), text in (changes or {}).items():
                if at == line:
                    row[header.index(column)] = text
            writer.writerow(row)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out.getvalue().encode("utf-8")


def test_the_queries_of_an_import_do_not_grow_with_its_rows(geography, world):
    """Checked in bulk and written in chunks: ten times the rows, the same queries (a
    chunk holds thousands of rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    do_import(world, ImportKind.BRA_MONTHLY, monthly_file(1), options={"series_name": "Först"})
    for months, name in [(3, "Liten"), (30, "Stor")]:
        with CaptureQueriesContext(connection) as queries:
            batch = do_import(
                world, ImportKind.BRA_MONTHLY, monthly_file(months), options={"series_name": name}
            )
        assert batch.status == ImportBatch.Status.DONE, batch.problems
        assert batch.counts["created"] == 7 * months
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Observation.objects.filter(series__name="Stor").count() == 210
    # Imported again: every row unchanged, and as few queries as for the small file again.
    repeated = []
    for months, name in [(3, "Liten"), (30, "Stor")]:
        with CaptureQueriesContext(connection) as queries:
            again = do_import(
                world, ImportKind.BRA_MONTHLY, monthly_file(months), options={"series_name": name}
            )
        assert again.counts["unchanged"] == 7 * months and again.counts["created"] == 0
        repeated.append(len(queries))
    assert repeated[0] == repeated[1] < counts[0]


def test_values_the_model_refuses_are_named_with_their_rows_as_full_clean_names_them(
    geography, world
):
    """The bulk check gives the model's own messages, row by row, in full_clean's order."""
    from django.core.exceptions import ValidationError

    too_big = "123456789012345.0"  # 15 digits before the point; the field keeps 14
    content = monthly_file(
        2, changes={(3, "Per100000"): too_big, (9, "Per100000"): too_big, (12, "Antal"): too_big}
    )
    before = state()
    batch = do_import(world, ImportKind.BRA_MONTHLY, content)
    assert batch.status == ImportBatch.Status.REJECTED

    def full_clean(**values):
        observation = Observation(
            period_start=dt_date(2026, 8, 1),
            period_end=dt_date(2026, 8, 31),
            period_label="2026-08",
            category="Totalt antal brott",
            **values,
        )
        try:
            observation.full_clean(
                exclude=["organisation", "series", "area", "import_batch"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            return [m for messages in error.message_dict.values() for m in messages]
        return []

    per_100k = full_clean(per_100k=Decimal(too_big))
    value = full_clean(value=Decimal(too_big))
    assert per_100k and value
    assert batch.problems == [
        *({"line": 3, "message": m} for m in per_100k),
        *({"line": 9, "message": m} for m in per_100k),
        *({"line": 12, "message": m} for m in value),
    ]
    assert state() == before
