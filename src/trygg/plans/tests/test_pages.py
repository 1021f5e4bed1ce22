"""The plan pages: roll-up, demo notice, the overview of measures, status change, forms and
query counts."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from trygg.core.access import VIEW
from trygg.core.models import AuditEntry
from trygg.plans import demo
from trygg.plans.choices import StatusCategory
from trygg.plans.models import Measure, MeasureStatus, Plan, StatusUpdate


class _Out:
    def write(self, text):
        pass


@pytest.fixture
def plan(world):
    demo.load(world, _Out())
    return Plan.objects.get()


def test_the_demo_plan_has_the_seed_structure_and_deterministic_statuses(plan, world):
    assert plan.focus_areas.count() == 5
    assert plan.activities.count() == 27
    assert plan.measures.count() == 28
    assert plan.organisation == world.organisations["nacka"]
    assert list(plan.partner_organisations.all()) == [world.organisations["lpo_nacka"]]
    assert plan.diarienummer.startswith("KFKS-2021-00")
    assert plan.decided_on.year == 2022
    assert plan.statuses_are_demo
    counts = {
        c: plan.measures.filter(status__category=c).count()
        for c in ["done", "ongoing", "not_started"]
    }
    assert counts == {"done": 16, "ongoing": 11, "not_started": 1}
    place_names = set(plan.measures.values_list("places__name", flat=True))
    assert {"Fisksätra centrum", "Orminge centrum", "Kummelbergets industriområde"} <= place_names


def test_the_plan_page_shows_the_rollup_and_the_demo_notice(plan, login):
    response = login("samordnare").get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "27 aktiviteter: 16 slutförda, 11 pågående, 0 ej påbörjade" in html
    assert 'class="notice"' in html
    assert html.count('<details class="section focus-area"') == 5
    assert "<progress" in html
    assert "KFKS-2021-00932" in html


def test_the_plan_page_is_in_english_when_chosen(plan, login):
    client = login("samordnare")
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "27 activities: 16 completed, 11 ongoing, 0 not started" in html


def test_the_plan_page_makes_few_queries(plan, login, count_queries):
    client = login("samordnare")
    url = reverse("plans:plan_detail", args=[plan.pk])
    # The first view reads the plan and keeps the reading (plans.reading); the next one
    # reads it from the cache, with the viewer's restriction and the computed targets.
    count_queries("plans.plan_detail", lambda: client.get(url))
    count_queries("plans.plan_detail.warm", lambda: client.get(url))


@pytest.mark.parametrize("persona", ["samordnare", "polis"])
def test_the_measure_page_makes_few_queries(plan, login, count_queries, persona):
    """Samordnare sees the budget panel and the status form; the police, a partner, sees
    neither (the panel's reads are skipped for a user outside the measure's organisation)."""
    measure = plan.measures.filter(areas__isnull=False).order_by("pk").first()
    client = login(persona)
    url = reverse("plans:measure_detail", args=[measure.pk])
    response = count_queries(f"plans.measure_detail.{persona}", lambda: client.get(url))
    assert measure.title in response.content.decode()
    # The next view reads the parties, areas, places, timeline, funding and status options
    # from the cache (plans.measure_page, budget.panels); the measure and targets again.
    again = count_queries(f"plans.measure_detail.{persona}.warm", lambda: client.get(url))
    assert measure.title in again.content.decode()


def test_the_plan_and_measure_pages_read_no_boundaries(plan, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure = plan.measures.filter(areas__isnull=False).order_by("pk").first()
    client = login("samordnare")
    for url in (
        reverse("plans:plan_detail", args=[plan.pk]),
        reverse("plans:measure_detail", args=[measure.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        reading = [q["sql"] for q in queries.captured_queries if '"geometry"' in q["sql"]]
        assert not reading, reading


def test_the_plan_list_makes_few_queries(plan, login, count_queries):
    client = login("samordnare")
    response = count_queries("plans.plan_list", lambda: client.get(reverse("plans:plan_list")))
    assert plan.title in response.content.decode()


def _measure_rows(html: str) -> dict[int, str]:
    """The overview's rows: measure id → the row's markup."""
    return {
        int(pk): row
        for pk, row in re.findall(r'<tr id="measure-(\d+)"[^>]*>(.*?)</tr>', html, flags=re.S)
    }


def test_the_overview_has_a_table_per_focus_area_with_headers(plan, login):
    html = login("samordnare").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert html.count('<table class="data stack measure-table">') == 5
    for header in ["Åtgärd", "Status", "Ansvarig", "Tidsram", "Mål"]:
        assert html.count(f'<th scope="col">{header}</th>') == 5
    assert (
        '<caption class="visually-hidden">Åtgärder i Unga i risk för kriminalitet</caption>' in html
    )
    measure = plan.measures.get(activity__title="Krogkontroller")
    row = _measure_rows(html)[measure.pk]
    link = reverse("plans:measure_detail", args=[measure.pk])
    assert f'<th scope="row"><a href="{link}">Krogkontroller</a>' in row
    assert 'data-testid="measure-status">Slutförd</span>' in row
    assert "100\xa0% genomfört" in row
    assert (
        '<span class="party">Polis,</span> <span class="party">Kommun/Alkoholhandläggare</span>'
        in row
    )
    assert f"{measure.starts_on:%Y-%m-%d}" in row and f"{measure.ends_on:%Y-%m-%d}" in row
    assert "Minst 2 krogkontroller per år" in row
    assert "Uppfyllt" in row
    # The details are on the measure's own page, reached by the row's link.
    assert measure.challenge and measure.challenge[:40] not in html


def test_the_overview_shows_each_visible_measure_and_no_other(plan, login, world):
    """An area-limited member sees a row for each measure in their areas, and none of the
    plan's other measures: neither a row nor a link. (The activities are the plan's and
    visible to every member; one whose measures are all hidden shows "Inga åtgärder.")"""
    user = world.users["arbetsgrupp"]
    html = login("arbetsgrupp").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    visible = set(
        Measure.objects.restrict(user, VIEW).filter(plan=plan).values_list("pk", flat=True)
    )
    hidden = set(plan.measures.values_list("pk", flat=True)) - visible
    assert visible and hidden  # the member is limited to some areas
    rows = _measure_rows(html)
    assert set(rows) == visible
    for pk in visible:
        assert f'href="{reverse("plans:measure_detail", args=[pk])}"' in rows[pk]
    for measure in Measure.objects.filter(pk__in=hidden):
        assert reverse("plans:measure_detail", args=[measure.pk]) not in html
        assert f'id="measure-{measure.pk}"' not in html
    assert "Inga åtgärder." in html


def test_a_status_change_changes_the_rollup_and_writes_history(plan, login, world):
    client = login("samordnare")
    measure = plan.measures.get(activity__title="Öppen narkotikahandel")
    done = MeasureStatus.objects.get(organisation=plan.organisation, category="done")
    url = reverse("plans:plan_detail", args=[plan.pk])
    response = client.post(
        reverse("plans:measure_status", args=[measure.pk]),
        {"status": done.pk, "next": url + f"#measure-{measure.pk}"},
    )
    assert response.status_code == 302
    assert response["Location"] == url + f"#measure-{measure.pk}"
    html = client.get(url).content.decode()
    assert "27 aktiviteter: 17 slutförda, 10 pågående, 0 ej påbörjade" in html
    update = measure.status_updates.order_by("-pk").first()
    assert update.status == done and update.author == world.users["samordnare"]
    entry = AuditEntry.objects.filter(object_id=str(measure.pk), action="status").first()
    assert entry.changes == {"status": ["Pågående", "Slutförd"], "progress": [50, 100]}
    history = client.get(reverse("core:history", args=["plans", "measure", measure.pk]))
    assert "Slutförd" in history.content.decode()
    detail = client.get(reverse("plans:measure_detail", args=[measure.pk])).content.decode()
    assert "Sara Samordnare" in detail


def test_the_status_form_refuses_a_status_of_another_organisation(plan, login, world):
    from trygg.plans import services

    other = services.statuses_ensure_defaults(world.organisations["varmdo"])[2]
    measure = plan.measures.get(activity__title="Öppen narkotikahandel")
    before = StatusUpdate.objects.count()
    response = login("samordnare").post(
        reverse("plans:measure_status", args=[measure.pk]), {"status": other.pk}
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert StatusUpdate.objects.count() == before


def test_the_filter_narrows_the_plan_page(plan, login):
    client = login("samordnare")
    response = client.get(
        reverse("plans:plan_detail", args=[plan.pk]), {"category": StatusCategory.NOT_STARTED}
    )
    html = response.content.decode()
    assert "1 aktivitet: 0 slutförda, 0 pågående, 1 ej påbörjad" in html
    assert html.count('<details class="section focus-area"') == 1


def test_the_plan_form_refuses_a_bad_reference_number_in_swedish(world, login):
    client = login("samordnare")
    response = client.post(
        reverse("plans:plan_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "kind": "atgardsplan",
            "title": "Åtgärdsplan 2025",
            "state": "utkast",
            "diarienummer": "2024/431",
            "evaluation_interval_months": 12,
            "revision_interval_months": 24,
        },
    )
    assert response.status_code == 200
    assert "Ange ett diarienummer som KFKS-2024-00431" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_plan_form_creates_a_plan_with_a_partner(world, login):
    client = login("samordnare")
    response = client.post(
        reverse("plans:plan_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "kind": "medborgarlofte",
            "title": "Medborgarlöfte 2025",
            "state": "beslutad",
            "decided_on": "2025-01-20",
            "diarienummer": "KFKS-2024-00431",
            "partner_organisations": [world.organisations["lpo_nacka"].pk],
            "evaluation_interval_months": 12,
            "revision_interval_months": 24,
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert plan.next_review_on.isoformat() == "2026-01-20"
    assert MeasureStatus.objects.filter(organisation=plan.organisation).count() == 4


def test_a_plan_cannot_be_shared_with_an_organisation_outside_the_partnership(world, login):
    from django.core.exceptions import ValidationError

    from trygg.plans import services

    with pytest.raises(ValidationError) as error:
        services.plan_create(
            actor=world.users["samordnare"],
            organisation=world.organisations["nacka"],
            title="Plan",
            partner_organisations=[world.organisations["varmdo"]],
        )
    assert "partner_organisations" in error.value.message_dict


def test_the_measure_form_shows_swedish_errors_and_writes_nothing(plan, login):
    client = login("samordnare")
    before = Measure.objects.count()
    response = client.post(
        reverse("plans:measure_create", args=[plan.pk]),
        {"title": "", "starts_on": "2024-02-30", "status": "999999"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in html
    assert "Fyll i ett giltigt datum." in html
    assert Measure.objects.count() == before


def test_a_measure_is_deleted_only_after_asking(plan, login):
    client = login("samordnare")
    measure = plan.measures.first()
    url = reverse("plans:measure_delete", args=[measure.pk])
    assert "Ja, ta bort" in client.get(url).content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(measure.pk), action="delete").exists()


def test_a_target_and_its_outcomes_show_fulfilment(plan, login):
    client = login("samordnare")
    measure = plan.measures.get(activity__title="Tobakstillsyner")
    html = client.get(reverse("plans:measure_detail", args=[measure.pk])).content.decode()
    assert "Minst 2 tobakskontroller per år" in html
    assert "Ej uppfyllt" in html
    target = measure.targets.get()
    client.post(
        reverse("plans:outcome_create", args=[target.pk]),
        {"period_start": "2024-01-01", "actual": "4", "note": ""},
    )
    html = client.get(reverse("plans:measure_detail", args=[measure.pk])).content.decode()
    assert "Uppfyllt" in html


def test_the_plan_exports_as_xlsx_and_word(plan, login):
    import docx
    import openpyxl

    client = login("samordnare")
    xlsx = client.get(reverse("plans:plan_export", args=[plan.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 29
    assert sheet["A1"].value == "ID"
    word = client.get(reverse("reports:plan_exchange", args=[plan.pk]))
    assert len(docx.Document(io.BytesIO(word.content)).tables) == 27


def test_the_import_page_lists_bad_rows_and_writes_nothing(plan, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("samordnare")
    measure = plan.measures.first()
    content = f"ID;Status\r\n{measure.pk};Slutförd\r\n999999;Klar\r\n".encode("utf-8-sig")
    before = StatusUpdate.objects.count()
    response = client.post(
        reverse("plans:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("plan.csv", content)},
    )
    html = response.content.decode()
    assert "Rad 3: det finns ingen åtgärd med id 999999 i planen." in html
    assert StatusUpdate.objects.count() == before


def test_the_import_page_refuses_a_too_large_file(plan, login, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_BYTES = 10
    response = login("samordnare").post(
        reverse("plans:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("plan.csv", b"ID;Status\r\n1;Klar\r\n")},
    )
    assert "Filen är för stor" in response.content.decode()


def test_statuses_can_be_edited_by_the_coordinator(plan, login):
    client = login("samordnare")
    status = MeasureStatus.objects.get(organisation=plan.organisation, category="ongoing")
    response = client.post(
        reverse("plans:status_edit", args=[status.pk]),
        {"name": "Pågår", "category": "ongoing", "default_progress": 40, "order": 1},
    )
    assert response.status_code == 302
    status.refresh_from_db()
    assert (status.name, status.default_progress) == ("Pågår", 40)
    assert login("sspf").get(reverse("plans:status_edit", args=[status.pk])).status_code == 404
