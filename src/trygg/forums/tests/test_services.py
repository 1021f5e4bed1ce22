"""Services: forums, series planning, meetings, decisions and attachments."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from trygg.core.models import AuditEntry
from trygg.forums import services
from trygg.forums.choices import CadenceKind, DecisionStatus, ForumKind, Weekday
from trygg.forums.models import Decision, Forum, Meeting, MeetingAttachment
from trygg.forums.tests.conftest import PNG, at

pytestmark = pytest.mark.django_db


def test_planning_a_series_twice_creates_each_meeting_once(data):
    actor = data.users["samordnare"]
    first = services.meeting_series_plan(
        actor=actor, forum=data.alta, start=dt.date(2024, 1, 1), until=dt.date(2024, 12, 31)
    )
    assert len(first) == 6
    assert {m.starts_at.astimezone().hour for m in first} <= {15, 14}
    again = services.meeting_series_plan(
        actor=actor, forum=data.alta, start=dt.date(2024, 1, 1), until=dt.date(2024, 12, 31)
    )
    assert again == []
    assert Meeting.objects.filter(forum=data.alta, starts_at__year=2024).count() == 6


def test_a_series_skips_a_day_that_already_has_a_meeting(data):
    services.meeting_create(actor=None, forum=data.alta, starts_at=at(dt.date(2024, 1, 10), 9))
    created = services.meeting_series_plan(
        actor=None, forum=data.alta, start=dt.date(2024, 1, 1), until=dt.date(2024, 3, 31)
    )
    assert [m.starts_at.date() for m in created] == [dt.date(2024, 3, 13)]


def test_a_forum_that_meets_when_needed_has_no_series(data):
    forum = services.forum_create(
        actor=None,
        organisation=data.nacka,
        name="Nätverksmöten",
        kind=ForumKind.NATVERKSMOTE,
        cadence_kind=CadenceKind.AS_NEEDED,
    )
    with pytest.raises(ValidationError):
        services.meeting_series_plan(
            actor=None, forum=forum, start=dt.date(2024, 1, 1), until=dt.date(2024, 2, 1)
        )


def test_it_refuses_an_incomplete_cadence(data):
    with pytest.raises(ValidationError) as error:
        services.forum_create(
            actor=None,
            organisation=data.nacka,
            name="Veckoavstämning",
            kind=ForumKind.VECKOAVSTAMNING,
            cadence_kind=CadenceKind.WEEKLY,
            cadence_weekday=Weekday.MONDAY,
        )
    assert "ofullständig" in " ".join(error.value.messages)
    assert not Forum.objects.filter(name="Veckoavstämning").exists()


def test_the_cadence_is_described_in_words(data):
    forum = services.forum_create(
        actor=None,
        organisation=data.nacka,
        name="Ungdomsutsättning",
        kind=ForumKind.UNGDOMSUTSATTNING,
        cadence_kind=CadenceKind.EVERY_N_WEEKS,
        cadence_count=6,
        cadence_weekday=Weekday.WEDNESDAY,
        cadence_time=dt.time(13, 0),
    )
    assert forum.cadence_label == "var sjätte vecka, onsdag 13:00"
    assert data.alta.cadence_label == "6 per år"


def test_an_area_limited_member_cannot_create_a_forum_in_another_area(data):
    with pytest.raises(PermissionDenied):
        services.forum_create(
            actor=data.users["arbetsgrupp"],
            organisation=data.nacka,
            name="Egen grupp i Boo",
            kind=ForumKind.OVRIGT,
            area=data.world.areas["Boo"],
        )
    forum = services.forum_create(
        actor=data.users["arbetsgrupp"],
        organisation=data.nacka,
        name="Egen grupp i Älta",
        kind=ForumKind.OVRIGT,
        area=data.world.areas["Älta"],
    )
    assert AuditEntry.objects.filter(object_id=str(forum.pk), action="create").exists()


def test_a_member_organisation_must_be_a_partner(data):
    varmdo = data.world.organisations["varmdo"]
    with pytest.raises(ValidationError) as error:
        services.forum_update(actor=None, forum=data.alta, member_organisations=[varmdo])
    assert "member_organisations" in error.value.message_dict
    assert list(data.alta.member_organisations.all()) == [data.lpo]


def test_a_decision_owner_must_be_in_the_partnership(data):
    varmdo = data.world.organisations["varmdo"]
    before = Decision.objects.count()
    with pytest.raises(ValidationError) as error:
        services.decision_create(
            actor=data.users["samordnare"],
            meeting=data.alta_meeting,
            text="Värmdö ska göra något",
            due_date=dt.date(2024, 1, 1),
            owner_organisation=varmdo,
        )
    assert "partnerskap" in error.value.message_dict["owner_organisation"][0]
    with pytest.raises(ValidationError) as error:
        services.decision_create(
            actor=data.users["samordnare"],
            meeting=data.alta_meeting,
            text="Ulf ska göra något",
            due_date=dt.date(2024, 1, 1),
            owner_user=data.users["utomstaende"],
        )
    assert "owner_user" in error.value.message_dict
    assert Decision.objects.count() == before


def test_a_decision_needs_an_owner(data):
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=None, meeting=data.alta_meeting, text="Ingen", due_date=dt.date(2024, 1, 1)
        )


def test_marking_done_records_the_date_and_the_audit_entry(data):
    decision = services.decision_set_status(
        actor=data.users["samordnare"], decision=data.boo_decision, status=DecisionStatus.DONE
    )
    assert decision.completed_on is not None
    entry = AuditEntry.objects.filter(object_id=str(decision.pk), action="status").get()
    assert entry.changes["status"] == ["open", "done"]
    reopened = services.decision_set_status(
        actor=None, decision=decision, status=DecisionStatus.OPEN
    )
    assert reopened.completed_on is None


def test_the_owner_may_mark_a_decision_done_but_not_rewrite_it(data):
    polis = data.users["polis"]
    services.decision_set_status(
        actor=polis, decision=data.alta_decision, status=DecisionStatus.DONE
    )
    with pytest.raises(PermissionDenied):
        services.decision_update(actor=polis, decision=data.alta_decision, text="Annat")
    with pytest.raises(PermissionDenied):
        services.decision_set_status(
            actor=polis, decision=data.boo_decision, status=DecisionStatus.DONE
        )


def test_a_decision_can_create_a_measure_in_the_plan(data):
    measure = services.decision_measure_create(
        actor=data.users["arbetsgrupp"],
        decision=data.alta_decision,
        plan=data.plan,
        title="Belysning vid Älta centrum",
        areas=[data.world.areas["Älta"]],
    )
    assert measure.plan == data.plan
    assert set(data.alta_decision.measures.all()) == {data.measure, measure}
    assert list(measure.decisions.all()) == [data.alta_decision]


def test_a_linked_measure_the_editor_cannot_see_stays_linked(data):
    from trygg.plans import services as plan_services

    boo_measure = plan_services.measure_create(
        actor=None, plan=data.plan, title="Orminge", areas=[data.world.areas["Boo"]]
    )
    services.decision_update(
        actor=None, decision=data.alta_decision, measures=[data.measure, boo_measure]
    )
    services.decision_update(
        actor=data.users["arbetsgrupp"], decision=data.alta_decision, measures=[]
    )
    assert list(data.alta_decision.measures.all()) == [boo_measure]


def test_attachments_are_type_and_size_limited_and_checked_by_content(data, settings):
    meeting = data.alta_empty_meeting
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=None, meeting=meeting, upload=SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
        )
    assert "Filtypen är inte tillåten" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=None, meeting=meeting, upload=SimpleUploadedFile("falsk.pdf", b"MZ\x90\x00")
        )
    assert "stämmer inte" in error.value.messages[0]
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=None, meeting=meeting, upload=SimpleUploadedFile("stor.png", PNG + b"\0" * 2000)
        )
    assert "för stor" in error.value.messages[0]
    assert not MeetingAttachment.objects.filter(meeting=meeting).exists()
    stored = list(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else []
    assert len([p for p in stored if p.is_file()]) == 1  # only the fixture's kallelse.pdf


def test_deleting_an_attachment_removes_the_file_after_commit(
    data, django_capture_on_commit_callbacks
):
    path = data.attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=data.users["samordnare"], attachment=data.attachment)
    import os

    assert not os.path.exists(path)


def test_a_meeting_with_decisions_cannot_be_deleted(data):
    with pytest.raises(ValidationError):
        services.meeting_delete(actor=data.users["samordnare"], meeting=data.alta_meeting)
    services.meeting_delete(actor=data.users["samordnare"], meeting=data.alta_empty_meeting)
    assert not Meeting.objects.filter(pk=data.alta_empty_meeting.pk).exists()


def test_a_second_meeting_at_the_same_time_is_refused_next_to_the_time(data):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=None, forum=data.alta, starts_at=data.alta_meeting.starts_at)
    assert "starts_at" in error.value.message_dict


def test_minutes_are_sanitised_when_saved(data):
    meeting = services.meeting_update(
        actor=None, meeting=data.alta_empty_meeting, minutes="<p>Ok<script>x()</script></p>"
    )
    assert meeting.minutes == "<p>Ok</p>"
