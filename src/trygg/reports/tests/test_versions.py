"""Drafts of the sections a person writes, saved versions that stay reproducible, and
documents made in the background."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from trygg.core.models import AuditEntry, Organisation
from trygg.reports.models import ReportDraft, ReportJob, ReportVersion
from trygg.reports.tests.conftest import docx_text, plain

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def query(**extra):
    nacka = Organisation.objects.get(name="Nacka kommun")
    return {"kind": "annual", "organisation": nacka.pk, "year": 2023, **extra}


def test_a_draft_is_saved_with_the_report_and_figures_stay_computed(demo, login):
    client = login("samordnare")
    url = reverse("reports:draft_save") + "?" + "&".join(f"{k}={v}" for k, v in query().items())
    response = client.post(url, {"section": "children", "text": "Polarna och SSPF når många barn."})
    assert response.status_code == 302
    draft = ReportDraft.objects.get(section="children")
    assert AuditEntry.objects.filter(
        object_id=str(draft.pk), object_repr__contains="annual"
    ).exists()
    page = client.get(reverse("reports:document"), query()).content.decode()
    assert "Polarna och SSPF når många barn." in page
    word = client.get(reverse("reports:document"), query(format="docx", download=1))
    text = docx_text(word.content)
    assert "Polarna och SSPF når många barn." in text
    assert "Konsekvenser för barn" in text


def test_a_partner_cannot_write_a_draft(demo, login):
    url = reverse("reports:draft_save") + "?" + "&".join(f"{k}={v}" for k, v in query().items())
    response = login("polis").post(url, {"section": "children", "text": "x"})
    assert response.status_code == 404
    assert not ReportDraft.objects.exists()


def test_a_get_writes_nothing(demo, login):
    before = (ReportDraft.objects.count(), ReportVersion.objects.count(), ReportJob.objects.count())
    login("samordnare").get(reverse("reports:document"), query())
    after = (ReportDraft.objects.count(), ReportVersion.objects.count(), ReportJob.objects.count())
    assert before == after


def test_a_decided_version_shows_which_figures_differ_from_today(demo, login):
    from trygg.budget import services
    from trygg.budget.models import BudgetLine

    client = login("samordnare")
    url = reverse("reports:version_save") + "?" + "&".join(f"{k}={v}" for k, v in query().items())
    response = client.post(url, {"decided_on": "2024-03-25", "decided_by": "KSTU"})
    version = ReportVersion.objects.get()
    assert response.status_code == 302
    assert version.decided_on.isoformat() == "2024-03-25"
    assert len(version.content_hash) == 64
    saved = {f["key"]: f for f in version.figures}
    assert (
        plain(
            saved[
                f"budget.{BudgetLine.objects.filter(budget__year=2023).first().budget_id}.outcome"
            ]["text"]
        )
        == "4,29 mkr"
    )
    assert all(f["source"]["data"] for f in version.figures)

    page = client.get(reverse("reports:version_detail", args=[version.pk])).content.decode()
    assert "Alla siffror är desamma som med dagens uppgifter." in page

    line = BudgetLine.objects.filter(
        budget__year=2023, budget__organisation__name="Nacka kommun"
    ).first()
    services.budget_line_update(actor=None, line=line, outcome=line.outcome + Decimal(100_000))
    page = plain(client.get(reverse("reports:version_detail", args=[version.pk])).content.decode())
    assert "siffra skiljer sig" in page or "siffror skiljer sig" in page
    assert "4,29 mkr" in page and "4,39 mkr" in page


def test_a_bad_week_is_shown_next_to_the_field(demo, login):
    response = login("samordnare").get(
        reverse("reports:document"), query(kind="weekly", week="v14")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv veckan som år och vecka" in body


def test_a_document_is_made_in_the_background_and_downloaded(demo, login):
    client = login("samordnare")
    with override_settings(TASKS=IMMEDIATE), pytest.MonkeyPatch.context() as patch:
        # The test runs in a transaction that is never committed; run on_commit at once.
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        response = client.post(reverse("reports:job_create"), {**query(), "format": "docx"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:job_detail", args=[job.pk]
    )
    assert job.status == ReportJob.Status.DONE and job.progress == 100
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert "Hämta" in page
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert "4,29 mkr" in plain(docx_text(download.content))
    # Another user's file is not there for them.
    assert login("admin").get(reverse("reports:job_download", args=[job.pk])).status_code == 404
