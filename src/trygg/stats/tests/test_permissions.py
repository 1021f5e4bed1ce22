"""Permission matrix for the stats pages and API: every URL × every persona.

Expected status per persona; "anonymous" is not logged in (302 to the login page; the API
answers 401). 404 means out of scope: a series' existence is never confirmed.

Rules under test:
- A series is read by its organisation's members (area-limited ones too: statistics are
  not area-bound) and by members of partner organisations (polis, LPO Nacka).
- Writing statistics needs a membership of the owner that is not limited to areas and has
  the action: samordnare and admin change and delete; sspf (member) adds and changes; the
  Älta working group only reads; a reporter (REPORT only) reads nothing of Nacka.
- Import batches are seen by the owner's members only, not by partners.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.core.models import ImportBatch
from trygg.core.testing import (
    PERSONAS,
    Row,
    assert_covers,
    assert_csrf_required,
    assert_matrix,
    client_for,
    empty_posts,
)
from trygg.stats import importers, services
from trygg.stats.api import router
from trygg.stats.choices import ImportKind, SeriesKind, Unit
from trygg.stats.models import IndicatorSeries


def only(allowed, code=200, default=404, anonymous=302):
    return {
        p: (anonymous if p == "anonymous" else code if p in allowed else default) for p in PERSONAS
    }


LOGGED_IN = set(PERSONAS) - {"anonymous"}
VIEWERS = {"admin", "samordnare", "arbetsgrupp", "polis", "sspf"}
ADDERS = {"admin", "samordnare", "polis", "sspf", "utomstaende"}  # for some organisation
NACKA_WRITERS = {"admin", "samordnare", "sspf"}
CHANGERS = {"admin", "samordnare", "sspf"}
DELETERS = {"admin", "samordnare"}
BATCH_VIEWERS = {"admin", "samordnare", "arbetsgrupp", "sspf"}


@pytest.fixture
def data(world):
    nacka = world.organisations["nacka"]
    series = services.series_create(
        actor=None,
        organisation=nacka,
        name="Anmälda brott",
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.COUNT,
    )
    for name, values in [("Nacka", (9000, 8500)), ("Boo", (2000, 1900)), ("Älta", (900, 950))]:
        for year, value in zip((2023, 2024), values, strict=True):
            services.observation_set(
                actor=None,
                series=series,
                area=world.areas[name],
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                period_label=str(year),
                value=value,
            )
    content = "område;år;folkmängd\nNacka;2024;110394\n".encode()
    batch = services.import_batch_create(
        actor=None,
        organisation=nacka,
        kind=ImportKind.POPULATION,
        filename="f.csv",
        content=content,
    )
    importers.run(actor=None, batch=batch, content=content, options={})
    return {"series": series, "batch": batch, "nacka": world.areas["Nacka"], "world": world}


def pages(data):
    s = data["series"].pk
    b = data["batch"].pk
    return [
        ("series_list", [], "GET", only(LOGGED_IN)),
        ("series_create", [], "GET", only(ADDERS)),
        ("series_detail", [s], "GET", only(VIEWERS)),
        ("series_edit", [s], "GET", only(CHANGERS)),
        ("series_delete", [s], "GET", only(DELETERS)),
        ("observation_list", [s], "GET", only(VIEWERS)),
        ("comparison", [s], "GET", only(VIEWERS)),
        ("series_chart", [s], "GET", only(VIEWERS)),
        ("population_set", [], "GET", only(ADDERS)),
        ("survey_value_set", [], "GET", only(ADDERS)),
        ("import_index", [], "GET", only(ADDERS)),
        ("import_px_mapping", [], "GET", only(set())),  # nothing uploaded: nothing to map
        ("import_file", ["bra-manad"], "GET", only(ADDERS)),
        ("import_file", ["bra-ar"], "GET", only(ADDERS)),
        ("import_file", ["px"], "GET", only(ADDERS)),
        ("import_file", ["enkat"], "GET", only(ADDERS)),
        ("import_file", ["folkmangd"], "GET", only(ADDERS)),
        ("import_file", ["okand"], "GET", only(set())),
        ("batch_detail", [b], "GET", only(BATCH_VIEWERS)),
        ("batch_status", [b], "GET", only(BATCH_VIEWERS)),
    ]


def api(data):
    s = data["series"].pk
    b = data["batch"].pk
    nacka = data["nacka"].pk
    world = data["world"]
    organisation = world.organisations["nacka"].pk
    return [
        ("GET", "/series", None, only(LOGGED_IN, anonymous=401)),
        ("GET", f"/series/{s}", None, only(VIEWERS, anonymous=401)),
        ("GET", f"/series/{s}/observations", None, only(VIEWERS, anonymous=401)),
        ("GET", f"/series/{s}/categories", None, only(VIEWERS, anonymous=401)),
        (
            "GET",
            f"/series/{s}/trend?period_a=2023&period_b=2024",
            None,
            only(VIEWERS, anonymous=401),
        ),
        (
            "GET",
            f"/series/{s}/shares?parent_id={nacka}&period=2024",
            None,
            only(VIEWERS, anonymous=401),
        ),
        (
            "GET",
            f"/series/{s}/comparison?area_id={world.areas['Älta'].pk}&period=2024",
            None,
            only(VIEWERS, anonymous=401),
        ),
        ("GET", f"/population?area_id={nacka}&year=2024", None, only(LOGGED_IN, anonymous=401)),
        (
            "POST",
            "/population",
            {"organisation_id": organisation, "area_id": nacka, "year": 2022, "count": 107866},
            only(NACKA_WRITERS, code=201, anonymous=401),
        ),
        (
            "POST",
            "/survey-values",
            {
                "organisation_id": organisation,
                "indicator": "Trygg utomhus när det är mörkt",
                "area_id": nacka,
                "year": 2023,
                "value": "83.5",
            },
            only(NACKA_WRITERS, code=201, anonymous=401),
        ),
        ("GET", "/imports", None, only(LOGGED_IN, anonymous=401)),
        ("GET", f"/imports/{b}", None, only(BATCH_VIEWERS, anonymous=401)),
    ]


def matrix(data) -> list[Row]:
    s = data["series"]
    rows = [
        Row(method.lower(), reverse(f"stats:{name}", args=args), expected)
        for name, args, method, expected in pages(data)
    ]
    rows += [
        Row(method.lower(), f"/api/stats{url}", expected, payload=body)
        for method, url, body, expected in api(data)
    ]
    rows += empty_posts(
        rows,
        [
            "stats:series_create",
            "stats:population_set",
            "stats:survey_value_set",
            "stats:import_file",
        ],
    )
    rows += [
        Row(
            "post",
            reverse("stats:series_edit", args=[s.pk]),
            only(CHANGERS, code=302),
            payload={
                "organisation": s.organisation_id,
                "name": s.name,
                "kind": s.kind,
                "unit": s.unit,
            },
        ),
        Row("post", reverse("stats:series_delete", args=[s.pk]), only(DELETERS, code=302)),
    ]
    return rows


def test_the_matrix_covers_every_url_and_endpoint(data):
    assert_covers(
        matrix(data),
        namespace="stats",
        read_only={
            "series_list",
            "series_detail",
            "observation_list",
            "comparison",
            "series_chart",
            "import_index",
            "batch_detail",
            "batch_status",
        },
        # Reached only after an upload, with the file in the session: nothing to post here.
        exempt={"import_px_mapping"},
        router=router,
        api_prefix="/api/stats",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_and_endpoint_answers_each_persona_as_expected(data, persona):
    assert_matrix(matrix(data), persona)


def test_every_stats_write_needs_the_csrf_token(data):
    assert_csrf_required(matrix(data))


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - DELETERS))
def test_only_deleters_can_delete_a_series(data, persona):
    client = client_for(persona)
    response = client.post(reverse("stats:series_delete", args=[data["series"].pk]))
    assert response.status_code == (302 if persona == "anonymous" else 404)
    assert IndicatorSeries.objects.filter(pk=data["series"].pk).exists()


def test_the_samordnare_deletes_a_series_after_confirming(data):
    client = client_for("samordnare")
    url = reverse("stats:series_delete", args=[data["series"].pk])
    assert "Ja, ta bort" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not IndicatorSeries.objects.filter(pk=data["series"].pk).exists()


@pytest.mark.parametrize("persona", ["arbetsgrupp", "polis", "rapportor", "utomstaende"])
def test_who_may_not_change_nacka_statistics_cannot_post_them(data, persona):
    client = client_for(persona)
    world = data["world"]
    before = ImportBatch.objects.count(), data["series"].observations.count()
    client.post(reverse("stats:series_edit", args=[data["series"].pk]), {"name": "Ändrad"})
    client.post(
        reverse("stats:population_set"),
        {
            "organisation": world.organisations["nacka"].pk,
            "area": world.areas["Nacka"].pk,
            "year": 2021,
            "count": 1,
        },
    )
    data["series"].refresh_from_db()
    assert data["series"].name == "Anmälda brott"
    assert (ImportBatch.objects.count(), data["series"].observations.count()) == before
    from trygg.stats.selectors import population_for

    assert population_for(world.areas["Nacka"], 2021) is None
