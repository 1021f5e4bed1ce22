"""Every write leaves an audit entry with before and after; history pages follow scope."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from trygg.core import services
from trygg.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_change_records_who_what_before_and_after(world):
    place = world.places["Nacka Forum"]
    services.place_update(actor=world.users["samordnare"], place=place, name="Nacka Forum (torget)")
    entry = AuditEntry.objects.filter(object_id=str(place.pk), action="update").get()
    assert entry.actor == world.users["samordnare"]
    assert entry.changes == {"name": ["Nacka Forum", "Nacka Forum (torget)"]}


def test_an_update_that_changes_nothing_leaves_no_entry(world):
    place = world.places["Nacka Forum"]
    before = AuditEntry.objects.count()
    services.place_update(actor=world.users["samordnare"], place=place, name="Nacka Forum")
    assert AuditEntry.objects.count() == before


def test_history_page_shows_changes_to_those_who_may_see_the_object(world, login):
    place = world.places["Nacka Forum"]
    services.place_update(actor=world.users["samordnare"], place=place, description="Köpcentrum")
    url = reverse("core:history", args=["core", "place", place.pk])
    page = login("samordnare").get(url)
    assert page.status_code == 200
    assert "Köpcentrum" in page.content.decode()
    assert login("utomstaende").get(url).status_code == 404
    assert (
        login("samordnare")
        .get(reverse("core:history", args=["core", "nosuchmodel", 1]))
        .status_code
        == 404
    )


def test_the_audit_log_is_for_administrators_and_filters(world, login):
    services.place_update(
        actor=world.users["samordnare"], place=world.places["Nacka Forum"], description="x"
    )
    assert login("samordnare").get(reverse("core:audit_log")).status_code == 404
    page = login("admin").get(reverse("core:audit_log"), {"actor": "samordnare"})
    assert page.status_code == 200
    assert "Nacka Forum" in page.content.decode()
    export = login("admin").get(reverse("core:audit_log"), {"actor": "samordnare", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "Nacka Forum" in lines[1]


def test_history_reads_as_a_person_writes_it(world, login):
    """Labels, names and values as on the page: no English field name, no id, no ISO stamp."""
    from trygg.plans import services as plans
    from trygg.plans.models import MeasureStatus

    nacka = world.organisations["nacka"]
    samordnare = world.users["samordnare"]
    samordnare.first_name, samordnare.last_name = "Sara", "Strateg"
    samordnare.save()
    plan = plans.plan_create(actor=samordnare, organisation=nacka, title="Plan för samverkan")
    measure = plans.measure_create(actor=samordnare, plan=plan, title="Krogkontroller")
    statuses = {s.name: s for s in MeasureStatus.objects.filter(organisation=nacka)}
    plans.measure_set_status(actor=samordnare, measure=measure, status=statuses["Pågående"])
    plans.measure_set_status(actor=samordnare, measure=measure, status=statuses["Slutförd"])

    page = login("samordnare").get(reverse("core:history", args=["plans", "measure", measure.pk]))
    html = page.content.decode()
    text = " ".join(strip_tags(html).split())
    assert "Status: Pågående → Slutförd" in text
    assert "Sara Strateg" in text
    month = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    assert re.search(rf"\d{{1,2}} ({month}) 20\d\d, \d\d:\d\d", text)
    changes = strip_tags(html.split('class="changes"', 1)[1])
    assert "status_id" not in changes and "progress:" not in changes.lower()
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", changes)  # no ISO timestamps


def test_the_audit_log_export_reads_as_the_page(world, login):
    place = world.places["Nacka Forum"]
    services.place_update(actor=world.users["samordnare"], place=place, area=world.areas["Älta"])
    export = login("admin").get(reverse("core:audit_log"), {"actor": "samordnare", "format": "csv"})
    line = export.content.decode("utf-8-sig").strip().splitlines()[1]
    assert "Område:" in line and "Älta" in line
    assert "area:" not in line


def test_deleting_a_measure_records_what_the_cascade_takes(world):
    from trygg.budget import services as budget
    from trygg.budget.models import MeasureFunding
    from trygg.core.choices import AuditAction
    from trygg.plans import services as plans
    from trygg.plans.models import MeasureStatus, StatusUpdate

    nacka, actor = world.organisations["nacka"], world.users["samordnare"]
    plan = plans.plan_create(actor=actor, organisation=nacka, title="Plan")
    measure = plans.measure_create(actor=actor, plan=plan, title="Krogkontroller")
    statuses = {s.name: s for s in MeasureStatus.objects.filter(organisation=nacka)}
    plans.measure_set_status(actor=actor, measure=measure, status=statuses["Pågående"])
    frame = budget.budget_create(actor=actor, organisation=nacka, year=2024, frame=100000)
    line = budget.budget_line_create(actor=actor, budget=frame, name="Krogar", amount=50000)
    funding = budget.measure_funding_create(
        actor=actor,
        measure=measure,
        source="trygghetspaket",
        amount=12000,
        year=2024,
        budget_line=line,
    )
    timeline = list(StatusUpdate.objects.filter(measure=measure).values_list("pk", flat=True))
    assert timeline
    plans.measure_delete(actor=actor, measure=measure)

    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE)
    funding_entry = deleted.get(object_id=str(funding.pk), content_type__model="measurefunding")
    assert funding_entry.changes["amount"][0] == "12000.00"
    assert funding_entry.changes["budget_line"][0] == line.pk
    assert funding_entry.actor == actor
    assert "Krogkontroller" in funding_entry.note
    assert {int(e.object_id) for e in deleted.filter(content_type__model="statusupdate")} == set(
        timeline
    )
    assert not MeasureFunding.objects.filter(pk=funding.pk).exists()


def test_a_deleted_link_of_a_many_to_many_field_is_recorded_on_its_object(world):
    """Deleting an area takes the measures' links to it; each is recorded on its measure,
    and no content type is made for the link table in the middle of the delete (a content
    type made in a transaction that is rolled back would stay in Django's cache)."""
    from django.contrib.contenttypes.models import ContentType

    from trygg.core.choices import AuditAction
    from trygg.plans import services as plans

    nacka, actor = world.organisations["nacka"], world.users["samordnare"]
    alta = world.areas["Älta"]
    plan = plans.plan_create(actor=actor, organisation=nacka, title="Plan")
    measure = plans.measure_create(actor=actor, plan=plan, title="Vandring", areas=[alta])
    types_before, measure_pk = ContentType.objects.count(), measure.pk
    plans.measure_delete(actor=actor, measure=measure)

    assert ContentType.objects.count() == types_before
    link = AuditEntry.objects.get(
        action=AuditAction.DELETE, content_type__model="measure", note__contains="Vandring"
    )
    assert link.object_id == str(measure_pk)
    assert link.changes["area"][0] == alta.pk
