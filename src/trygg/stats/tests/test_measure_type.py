"""Measure types of PX tables: read from UNITS/CONTENTS, chosen on the mapping page, and only
counts get the trend verdict. A table without a region variable is riket's by default."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.stats import importers, parsers, selectors, services
from trygg.stats.choices import ImportKind, MeasureType, Unit
from trygg.stats.models import IndicatorSeries, Observation
from trygg.stats.tests.conftest import DATA

CPI = DATA / "px" / "PR0101B3.px"
MIGRATION = DATA / "px" / "Fotnoter.px"
POPULATION_BY_MARITAL_STATUS = DATA / "px" / "BE101ACE.px"


def swedish_px(contents: str, units: str, values: tuple[int, int] = (1200, -300)) -> bytes:
    """A small Swedish SCB-style table without a region variable, in ISO-8859-1."""
    text = (
        'CHARSET="ANSI";\n'
        'LANGUAGE="sv";\n'
        'MATRIX="BE0101X";\n'
        f'TITLE="{contents} efter år";\n'
        f'CONTENTS="{contents}";\n'
        f'UNITS="{units}";\n'
        'SOURCE="SCB";\n'
        'STUB="år";\n'
        'VALUES("år")="2022","2023";\n'
        f"DATA=\n{values[0]} {values[1]};\n"
    )
    return text.encode("iso-8859-1")


NET_PX = swedish_px("Flyttningsöverskott", "antal")
COUNT_PX = swedish_px("Inflyttade", "antal", (1200, 1500))


@pytest.mark.parametrize(
    ("contents", "units", "expected"),
    [
        ("Flyttningsöverskott", "antal", MeasureType.NET),
        ("Födelseöverskott", "antal", MeasureType.NET),
        ("Excess of migration", "number", MeasureType.NET),
        ("Konsumentprisindex (KPI)", "index (1980=100)", MeasureType.INDEX),
        ("Consumer Price Index (CPI)", "Index", MeasureType.INDEX),
        ("Andel förvärvsarbetande", "procent", MeasureType.SHARE),
        ("Levande födda", "per 1 000 invånare", MeasureType.RATE),
        ("Medianinkomst", "tkr", MeasureType.AMOUNT),
        ("Folkmängd", "antal", MeasureType.COUNT),
        ("Inmigrated", "number", MeasureType.COUNT),  # "rate" is not in "Inmigrated"
        ("Utrikeshandel", "", None),  # "andel" is not in "handel"
    ],
)
def test_the_measure_type_is_read_from_units_and_contents(contents, units, expected):
    assert importers.measure_type_from_text(units, contents) == expected


def test_the_real_cpi_table_is_an_index_not_a_count():
    table = parsers.parse_px(CPI)
    guess = importers.px_guess_measure_type(table)
    assert guess.measure_type == MeasureType.INDEX
    assert importers.px_guess_unit(table) == Unit.INDEX


def test_the_real_migration_table_has_net_figures_beside_its_counts():
    guess = importers.px_guess_measure_type(parsers.parse_px(MIGRATION))
    assert guess.by_content["Inmigrated"] == MeasureType.COUNT
    assert guess.by_content["Excess of migration"] == MeasureType.NET
    assert guess.by_content["Internal excess of migration"] == MeasureType.NET
    # Mixed: the series is not a count, so no Poisson verdict reaches the net figures.
    assert guess.mixed and guess.measure_type == MeasureType.NET


def test_a_swedish_net_table_is_net_and_a_count_table_is_a_count():
    assert importers.px_guess_measure_type(parsers.parse_px(NET_PX)).measure_type == "net"
    assert importers.px_guess_measure_type(parsers.parse_px(COUNT_PX)).measure_type == "count"


def _import(world, content: bytes, **options) -> IndicatorSeries:
    actor = world.users["samordnare"]
    batch = services.import_batch_create(
        actor=actor,
        organisation=world.organisations["nacka"],
        kind=ImportKind.PX,
        filename="t.px",
        content=content,
    )
    batch = importers.run(actor=actor, batch=batch, content=content, options=options)
    assert batch.status == batch.Status.DONE, batch.problems
    return IndicatorSeries.objects.get(name=options["series_name"])


def test_the_import_stores_the_measure_type_read_from_the_file(world):
    series = _import(
        world, CPI.read_bytes(), series_name="KPI", category_variables=["Product group"]
    )
    assert series.measure_type == MeasureType.INDEX
    assert series.unit == Unit.INDEX


def test_a_table_without_a_region_is_filed_under_riket_not_the_own_kommun(world):
    series = _import(world, NET_PX, series_name="Flyttningsöverskott")
    areas = {o.area for o in Observation.objects.filter(series=series)}
    assert [(a.code, a.name) for a in areas] == [("00", "Riket")]
    assert areas.pop().organisation_id is None


def test_a_net_series_gets_the_difference_and_no_verdict(world):
    series = _import(world, NET_PX, series_name="Flyttningsöverskott")
    trend = selectors.trend(world.users["samordnare"], series, "2022", "2023")
    assert not trend.has_ci
    assert trend.change_unit == "difference"
    (row,) = trend.rows
    assert row.verdict is None and row.ratio is None
    assert row.change == -1500


def test_a_count_series_still_gets_its_verdict(world):
    series = _import(world, COUNT_PX, series_name="Inflyttade")
    assert series.measure_type == MeasureType.COUNT
    (row,) = selectors.trend(world.users["samordnare"], series, "2022", "2023").rows
    assert row.verdict == "ökning"


def test_the_user_may_choose_another_measure_type_on_import(world):
    series = _import(world, COUNT_PX, series_name="Inflyttade", measure_type="rate")
    assert series.measure_type == MeasureType.RATE
    (row,) = selectors.trend(world.users["samordnare"], series, "2022", "2023").rows
    assert row.verdict is None


def _series_page(client, series) -> str:
    return client.get(reverse("stats:series_detail", args=[series.pk])).content.decode()


def test_the_series_page_gives_no_verdict_for_a_net_figure(world, login):
    net = _import(world, NET_PX, series_name="Flyttningsöverskott")
    count = _import(world, COUNT_PX, series_name="Inflyttade")
    client = login("samordnare")
    html = _series_page(client, net)
    assert "verdict--" not in html
    assert 'class="muted verdict-note"' in html
    assert "−1\u00a0500" in html  # the difference, with its sign
    assert "verdict--increase" in _series_page(client, count)


def test_an_english_user_reads_why_there_is_no_verdict(world, login):
    series = _import(world, NET_PX, series_name="Flyttningsöverskott")
    client = login("samordnare")
    client.post(reverse("set_language"), {"language": "en"})
    html = _series_page(client, series)
    assert "No verdict: this series holds figures of the type “net figure”" in html
    assert "<dt>Measure type</dt><dd>Net figure</dd>" in html


def test_the_api_gives_the_measure_type_and_no_verdict(world, login):
    series = _import(world, NET_PX, series_name="Flyttningsöverskott")
    client = login("samordnare")
    data = client.get(f"/api/stats/series/{series.pk}").json()
    assert data["measure_type"] == "net"
    trend = client.get(
        f"/api/stats/series/{series.pk}/trend", {"period_a": "2022", "period_b": "2023"}
    ).json()
    assert trend["measure_type"] == "net" and trend["has_ci"] is False
    assert trend["rows"][0]["verdict"] is None


def test_the_mapping_page_asks_for_the_area_with_riket_first_and_the_type_read(
    world, login, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = login("samordnare")
    response = client.post(
        reverse("stats:import_file", args=["px"]),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": SimpleUploadedFile("flytt.px", NET_PX),
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert '<option value="national" selected>' in html
    assert f'<option value="{world.areas["Nacka"].pk}" selected>' not in html
    assert '<option value="net" selected>' in html
    response = client.post(
        response["Location"],
        {
            "series_name": "Flyttningsöverskott",
            "area_variable": "",
            "area": "national",
            "period_variable": "år",
            "unit": "count",
            "measure_type": "net",
            "kind": "population",
        },
    )
    assert response.status_code == 302
    series = IndicatorSeries.objects.get(name="Flyttningsöverskott")
    assert series.measure_type == "net"
    assert set(Observation.objects.filter(series=series).values_list("area__code", flat=True)) == {
        "00"
    }


def test_the_mapping_page_files_the_table_under_a_chosen_area(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = login("samordnare")
    response = client.post(
        reverse("stats:import_file", args=["px"]),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": SimpleUploadedFile("t.px", POPULATION_BY_MARITAL_STATUS.read_bytes()),
        },
    )
    nacka = world.areas["Nacka"]
    response = client.post(
        response["Location"],
        {
            "series_name": "Civilstånd",
            "area": str(nacka.pk),
            "period_variable": "period",
            "category_variables": ["marital status", "age", "sex"],
            "unit": "count",
            "kind": "population",
        },
    )
    assert response.status_code == 302
    series = IndicatorSeries.objects.get(name="Civilstånd")
    assert series.measure_type == "count"  # read from the file when not chosen
    assert set(Observation.objects.filter(series=series).values_list("area", flat=True)) == {
        nacka.pk
    }


def test_a_series_without_a_chosen_type_takes_the_one_its_unit_implies(world):
    actor = world.users["samordnare"]
    series = services.series_create(
        actor=actor,
        organisation=world.organisations["nacka"],
        name="Trygghet",
        kind="survey",
        unit=Unit.PERCENT,
    )
    assert series.measure_type == MeasureType.SHARE


def test_the_migration_gives_existing_series_the_type_their_unit_implied(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("trygg.stats.migrations.0002_measure_type")
    actor = world.users["samordnare"]
    made = {}
    for unit in (Unit.COUNT, Unit.PERCENT, Unit.PER_100K, Unit.PERSONS):
        made[unit] = services.series_create(
            actor=actor,
            organisation=world.organisations["nacka"],
            name=f"Serie {unit}",
            kind="other",
            unit=unit,
        )
    IndicatorSeries.objects.update(measure_type=MeasureType.COUNT)  # as before the field
    migration.give_existing_series_their_type(apps, None)
    types = dict(IndicatorSeries.objects.values_list("unit", "measure_type"))
    assert types == {"count": "count", "percent": "share", "per_100k": "rate", "persons": "count"}


def test_the_owner_may_correct_the_measure_type_of_an_older_series(world, login):
    series = _import(world, COUNT_PX, series_name="Inflyttade")
    client = login("samordnare")
    response = client.post(
        reverse("stats:series_edit", args=[series.pk]),
        {"name": series.name, "measure_type": "index"},
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.measure_type == MeasureType.INDEX
    (row,) = selectors.trend(world.users["samordnare"], series, "2022", "2023").rows
    assert row.verdict is None
