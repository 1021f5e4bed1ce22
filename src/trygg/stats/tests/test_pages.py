"""The stats pages and API: the Göteborg trend, imports with row errors, forms, exports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from trygg.core.models import AuditEntry, ImportBatch
from trygg.stats import importers, services
from trygg.stats.choices import ImportKind
from trygg.stats.models import IndicatorSeries, Observation
from trygg.stats.selectors import population_for
from trygg.stats.tests.conftest import GOTEBORG_CSV, PX_SYMBOLS

NBSP = "\u00a0"


@pytest.fixture
def goteborg(geography, world):
    actor = world.users["samordnare"]
    content = GOTEBORG_CSV.read_bytes()
    batch = services.import_batch_create(
        actor=actor,
        organisation=world.organisations["nacka"],
        kind=ImportKind.BRA_YEARLY,
        filename="goteborg.csv",
        content=content,
    )
    importers.run(actor=actor, batch=batch, content=content, options={})
    return IndicatorSeries.objects.get()


def test_the_series_page_shows_nordost_assaults_with_interval_and_verdict(goteborg, login):
    client = login("samordnare")
    url = reverse("stats:series_detail", args=[goteborg.pk])
    response = client.get(url, {"a": "2024", "b": "2025", "category": "Misshandel"})
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index('class="data stack trend"') :]
    row = html[html.index(">Nordost</th>") :]
    row = row[: row.index("</tr>")]
    assert f"1{NBSP}282" in row and f"1{NBSP}259" in row
    assert "ingen säker förändring" in row
    assert "(0,91–1,06)" in row  # the 95 % interval of the rate ratio
    assert "−1,8" in row


def test_the_api_gives_the_nordost_trend_with_interval_and_verdict(goteborg, login):
    client = login("samordnare")
    response = client.get(
        f"/api/stats/series/{goteborg.pk}/trend",
        {"period_a": "2024", "period_b": "2025", "category": "Misshandel"},
    )
    assert response.status_code == 200
    row = next(r for r in response.json()["rows"] if r["area_name"] == "Nordost")
    assert (row["value_a"], row["value_b"]) == (1282, 1259)
    assert row["verdict"] == "ingen säker förändring"
    assert row["ci_low"] < 1 < row["ci_high"]
    assert row["ci_low"] == pytest.approx(0.906, abs=0.01)


def test_the_parts_table_adds_counts_for_its_total(goteborg, login):
    client = login("samordnare")
    response = client.get(
        reverse("stats:series_detail", args=[goteborg.pk]),
        {"a": "2024", "b": "2025", "category": "Misshandel"},
    )
    html = response.content.decode()
    total = html[html.index('<tr class="total">') :]
    total = total[: total.index("</tr>")]
    counts = [
        Observation.objects.get(area__name=name, period_label="2025", category="Misshandel").value
        for name in ["Centrum", "Hisingen", "Nordost", "Sydväst"]
    ]
    expected = f"{int(sum(counts)):,}".replace(",", NBSP)
    assert expected in total and "100,0" in total


def test_the_values_export_holds_exactly_the_filtered_rows(goteborg, login, world):
    client = login("samordnare")
    nordost = Observation.objects.filter(area__name="Nordost").first().area
    url = reverse("stats:observation_list", args=[goteborg.pk])
    response = client.get(url, {"area": nordost.pk, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 18
    assert all(row[1] == "Nordost" for row in rows[1:])


def test_the_series_list_needs_a_bounded_number_of_queries(
    goteborg, login, django_assert_max_num_queries
):
    client = login("samordnare")
    for n in range(5):
        services.series_create(
            actor=None,
            organisation=goteborg.organisation,
            name=f"Serie {n}",
            kind="other",
            unit="count",
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stats:series_list"))
    assert response.status_code == 200
    assert "Serie 4" in response.content.decode()


def test_the_series_page_needs_a_bounded_number_of_queries(
    goteborg, login, django_assert_max_num_queries
):
    client = login("samordnare")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("stats:series_detail", args=[goteborg.pk]))
    assert response.status_code == 200


def test_another_kommun_does_not_see_the_series(goteborg, login):
    client = login("utomstaende")
    assert client.get(reverse("stats:series_detail", args=[goteborg.pk])).status_code == 404
    assert client.get(f"/api/stats/series/{goteborg.pk}/trend").status_code == 404


def test_a_public_series_is_readable_by_another_kommun_but_not_changeable(goteborg, login):
    services.series_update(actor=None, series=goteborg, is_public=True)
    client = login("utomstaende")
    assert client.get(reverse("stats:series_detail", args=[goteborg.pk])).status_code == 200
    assert client.get(reverse("stats:series_edit", args=[goteborg.pk])).status_code == 404
    assert client.post(reverse("stats:series_delete", args=[goteborg.pk])).status_code == 404
    assert IndicatorSeries.objects.filter(pk=goteborg.pk).exists()


# --- Import pages ------------------------------------------------------------------------


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_import_page_lists_bad_rows_in_swedish_and_saves_nothing(geography, login, world):
    client = login("samordnare")
    lines = GOTEBORG_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",84816,", ",-3,")
    lines[7] = lines[7].replace("2023,", "20x3,", 1)
    response = client.post(
        reverse("stats:import_file", args=["bra-ar"]),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": upload("g.csv", "\n".join(lines).encode()),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen avvisades: 2 fel. Inget sparades." in html
    assert "Rad 4:" in html and "Rad 8:" in html
    assert "utanför det tillåtna intervallet" in html
    assert not Observation.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED


def test_the_import_page_refuses_a_wrong_file_type(geography, login, world):
    client = login("samordnare")
    response = client.post(
        reverse("stats:import_file", args=["enkat"]),
        {"organisation": world.organisations["nacka"].pk, "file": upload("x.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "Filtypen är inte tillåten" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_small_file_is_imported_at_once_and_shows_its_counts(geography, login, world):
    client = login("samordnare")
    response = client.post(
        reverse("stats:import_file", args=["bra-ar"]),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": upload("g.csv", GOTEBORG_CSV.read_bytes()),
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "90 rader lästa: 90 nya" in html
    assert "hx-trigger" not in html  # done: no polling


def test_a_px_import_asks_for_the_variables_then_imports(
    geography, login, world, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = login("samordnare")
    response = client.post(
        reverse("stats:import_file", args=["px"]),
        {
            "organisation": world.organisations["nacka"].pk,
            "file": SimpleUploadedFile("t.px", PX_SYMBOLS.read_bytes()),
        },
    )
    assert response.status_code == 302
    mapping = client.get(response["Location"])
    html = mapping.content.decode()
    assert 'value="region" selected' in html
    response = client.post(
        response["Location"],
        {
            "series_name": "Inflyttade 2003",
            "area_variable": "region",
            "period_variable": "period",
            "category_variables": ["age", "sex"],
            "unit": "count",
            "kind": "other",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Observation.objects.filter(series__name="Inflyttade 2003").count() == 24
    assert Observation.objects.get(symbol="..").value is None
    assert not list(tmp_path.rglob("pending-*"))  # the kept upload is gone once imported


@override_settings(TRYGG_STATS_BACKGROUND_BYTES=10)
def test_a_large_file_is_queued_and_the_batch_page_polls_for_progress(
    geography, login, world, monkeypatch, settings, tmp_path
):
    from trygg.stats import tasks, views

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(views, "BACKGROUND_BYTES", 10)
    client = login("samordnare")
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        response = client.post(
            reverse("stats:import_file", args=["bra-ar"]),
            {
                "organisation": world.organisations["nacka"].pk,
                "file": upload("g.csv", GOTEBORG_CSV.read_bytes()),
            },
        )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("stats:batch_detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.QUEUED
    html = client.get(response["Location"]).content.decode()
    assert "<progress" in html and 'hx-trigger="every 2s"' in html
    assert reverse("stats:batch_status", args=[batch.pk]) in html
    assert "<script>" not in html
    assert len(list(tasks.upload_dir().glob(f"{batch.pk}-*.upload"))) == 1


# --- Forms ------------------------------------------------------------------------------


def test_the_population_form_saves_and_refuses_a_negative_count(login, world):
    client = login("samordnare")
    url = reverse("stats:population_set")
    data = {
        "organisation": world.organisations["nacka"].pk,
        "area": world.areas["Nacka"].pk,
        "year": 2024,
        "count": -1,
        "source": "SCB folkmängd 31 dec",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "större än eller lika med 0" in response.content.decode()
    assert population_for(world.areas["Nacka"], 2024) is None
    response = client.post(url, {**data, "count": 110394})
    assert response.status_code == 302
    assert population_for(world.areas["Nacka"], 2024) == 110394


def test_the_survey_form_takes_a_swedish_decimal(login, world):
    client = login("samordnare")
    response = client.post(
        reverse("stats:survey_value_set"),
        {
            "organisation": world.organisations["nacka"].pk,
            "indicator": "Trygg utomhus när det är mörkt",
            "area": world.areas["Nacka"].pk,
            "year": 2023,
            "value": "83,5",
            "comparison_value": "75",
            "source": "SCB",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    observation = Observation.objects.get()
    assert str(observation.value.normalize()) == "83.5"
    assert AuditEntry.objects.filter(object_id=str(observation.pk)).exists()


def test_a_forged_organisation_is_refused_by_the_form(login, world):
    client = login("samordnare")
    response = client.post(
        reverse("stats:population_set"),
        {
            "organisation": world.organisations["varmdo"].pk,
            "area": world.areas["Nacka"].pk,
            "year": 2024,
            "count": 5,
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Observation.objects.exists()
