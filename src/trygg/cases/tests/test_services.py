"""Services: personnummer checks, emergency access, plan history, closing with satisfaction
and retention with a tombstone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from trygg.cases import crypto, selectors, services
from trygg.cases.choices import ClosureReason, Respondent, Satisfaction
from trygg.cases.models import Case, CaseTombstone
from trygg.core.choices import AccessPurpose
from trygg.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    ["20100315-2384", "201003152384", "100315-2384", "1003152384", " 20100315 2384 "],
)
def test_it_reads_the_usual_ways_of_writing_a_personnummer(raw):
    assert crypto.normalise(raw, today=dt.date(2026, 1, 1)) == "201003152384"


def test_it_accepts_a_samordningsnummer():
    # Day 15 + 60 = 75; the check digit is computed over the number as written.
    assert crypto.normalise("20100375-2381", today=dt.date(2026, 1, 1)) == "201003752381"


@pytest.mark.parametrize("raw", ["20100315-2385", "2010031", "20101315-2384", "abc"])
def test_it_refuses_a_wrong_personnummer(raw):
    with pytest.raises(ValidationError):
        crypto.normalise(raw)


def test_the_lookup_hash_is_keyed(settings):
    number = "201003152384"
    first = crypto.lookup_hash(number)
    settings.CASES_KEY = "another-key-" + "x" * 32
    assert crypto.lookup_hash(number) != first


def test_only_a_coordinator_opens_a_case(cases):
    with pytest.raises(PermissionDenied):
        services.case_create(
            actor=cases.users["kurator"],
            organisation=cases.nacka,
            programme="sspf",
            youth_name="X",
            personnummer="20120101-0012",
            gender="pojke",
            start_date=dt.date(2023, 1, 1),
            coordinator=cases.users["sspf"],
        )


def test_a_participant_cannot_close_or_widen_the_case(cases):
    with pytest.raises(PermissionDenied):
        services.case_close(
            actor=cases.users["kurator"],
            case=cases.alva,
            closed_on=dt.date(2024, 1, 1),
            reason=ClosureReason.GOAL_REACHED,
        )


def test_plan_follow_ups_keep_the_history(cases):
    entry = cases.entry
    services.plan_entry_follow_up(
        actor=cases.users["kurator"],
        entry=entry,
        followed_up_on=dt.date(2023, 3, 1),
        note="Mötet hölls.",
        status="pagar",
        next_date=dt.date(2023, 4, 1),
    )
    services.plan_entry_follow_up(
        actor=cases.users["sspf"],
        entry=entry,
        followed_up_on=dt.date(2023, 4, 1),
        note="Närvaron är god.",
        status="klar",
    )
    entry.refresh_from_db()
    assert entry.status == "klar"
    assert entry.due_date == dt.date(2023, 4, 1)
    assert [f.note for f in entry.follow_ups.all()] == ["Mötet hölls.", "Närvaron är god."]
    assert entry.what_happened == "Hög frånvaro."


def test_closing_records_the_reason_and_both_satisfaction_answers(cases):
    services.case_close(
        actor=cases.users["sspf"],
        case=cases.alva,
        closed_on=dt.date(2023, 12, 1),
        reason=ClosureReason.GOAL_REACHED,
        youth_satisfaction=Satisfaction.FAIRLY,
        guardian_satisfaction=Satisfaction.VERY,
    )
    case = Case.objects.get(pk=cases.alva.pk)
    assert case.status == "avslutad" and case.closed_on == dt.date(2023, 12, 1)
    answers = {a.respondent: a.answer for a in case.satisfaction.all()}
    assert answers == {Respondent.YOUTH: 3, Respondent.GUARDIAN: 4}
    with pytest.raises(ValidationError):
        services.case_close(
            actor=cases.users["sspf"],
            case=case,
            closed_on=dt.date(2023, 12, 2),
            reason=ClosureReason.OTHER,
        )


def test_emergency_access_needs_the_role_and_a_reason_and_is_flagged(cases, login):
    with pytest.raises(PermissionDenied):
        services.emergency_access_open(
            actor=cases.users["kurator"], case=cases.nils, reason="Akut läge på natten."
        )
    socjour = login("socjour")
    url = reverse("cases:case_detail", args=[cases.nils.pk])
    assert socjour.get(url).status_code == 404
    response = socjour.post(
        reverse("cases:emergency"), {"reference": cases.nils.reference, "reason": "kort"}
    )
    assert response.status_code == 200 and "minst 10 tecken" in response.content.decode()
    response = socjour.post(
        reverse("cases:emergency"),
        {"personnummer": "20120101-0012", "reason": "Polisen har omhändertagit ungdomen i natt."},
    )
    assert response.status_code == 302
    page = socjour.get(url)
    assert page.status_code == 200 and "Nödåtkomst" in page.content.decode()
    entry = AccessLogEntry.objects.filter(
        actor=cases.users["socjour"],
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(cases.nils.pk),
    ).latest("pk")
    assert entry.purpose == AccessPurpose.EMERGENCY
    # The coordinator sees who broke the glass, and why.
    coordinator_page = login("sspf").get(url).content.decode()
    assert "Polisen har omhändertagit ungdomen i natt." in coordinator_page
    # The access ends when it expires.
    access = cases.nils.emergency_accesses.get()
    access.expires_at = timezone.now() - dt.timedelta(seconds=1)
    access.save()
    assert socjour.get(url).status_code == 404


def test_a_unit_manager_reads_the_access_log_of_their_staffs_cases(cases, login):
    login("kurator").get(reverse("cases:case_detail", args=[cases.alva.pk]))
    page = login("enhetschef").get(reverse("cases:case_access_log", args=[cases.alva.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kurator" in text and cases.alva.reference in text
    assert "Exempelsson" not in text  # the log names the case, not the youth
    assert (
        login("enhetschef").get(reverse("cases:case_detail", args=[cases.alva.pk])).status_code
        == 404
    )


def test_retention_deletes_old_closed_cases_leaving_a_tombstone_and_the_access_log(
    cases, login, settings
):
    settings.CASES_RETENTION_YEARS = 2
    login("sspf").get(reverse("cases:case_detail", args=[cases.omar.pk]))
    services.case_close(
        actor=cases.users["sspf"],
        case=cases.omar,
        closed_on=dt.date(2023, 6, 1),
        reason=ClosureReason.MOVED,
    )
    now = timezone.make_aware(dt.datetime(2025, 6, 1, 12))
    dry = services.case_apply_retention(actor=None, now=now, dry_run=True)
    assert dry.deleted == 0  # exactly two years: not yet
    later = timezone.make_aware(dt.datetime(2025, 6, 3, 12))
    dry = services.case_apply_retention(actor=None, now=later, dry_run=True)
    assert dry.references == [cases.omar.reference]
    assert Case.objects.filter(pk=cases.omar.pk).exists()
    result = services.case_apply_retention(actor=None, now=later, dry_run=False)
    assert result.deleted == 1
    assert not Case.objects.filter(pk=cases.omar.pk).exists()
    tomb = CaseTombstone.objects.get(reference=cases.omar.reference)
    assert tomb.closed_on == dt.date(2023, 6, 1)
    assert AccessLogEntry.objects.filter(object_id=str(cases.omar.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.case_apply_retention(actor=cases.users["admin"], now=later, dry_run=True)


def test_the_nightly_retention_job_deletes_old_closed_cases(cases, settings):
    from trygg.core.retention import apply_retention

    settings.CASES_RETENTION_YEARS = 1
    services.case_close(
        actor=cases.users["sspf"],
        case=cases.omar,
        closed_on=dt.date(2023, 6, 1),
        reason=ClosureReason.MOVED,
    )
    now = timezone.make_aware(dt.datetime(2024, 12, 1, 12))
    (dry,) = apply_retention(dry_run=True, now=now, only=["youth_cases"])[:1]
    assert dry.count == 1 and Case.objects.filter(pk=cases.omar.pk).exists()
    (done,) = apply_retention(now=now, only=["youth_cases"])[:1]
    assert done.count == 1
    assert not Case.objects.filter(pk=cases.omar.pk).exists()
    assert CaseTombstone.objects.filter(reference=cases.omar.reference).exists()
    assert Case.objects.filter(pk=cases.alva.pk).exists()  # open cases stay


def test_the_meeting_page_shows_individual_notes_only_to_those_in_the_case(cases, login):
    from trygg.forums import services as forum_services
    from trygg.forums.choices import ForumKind, MeetingStatus

    forum = forum_services.forum_create(
        actor=None,
        organisation=cases.nacka,
        name="SSPF-forum",
        kind=ForumKind.SSPF,
        area=cases.world.areas["Nacka"],
        member_organisations=[cases.lpo],
    )
    meeting = forum_services.meeting_create(
        actor=None,
        forum=forum,
        starts_at=timezone.now() - dt.timedelta(days=1),
        status=MeetingStatus.HELD,
        minutes="Allmän del: lägesbild.",
    )
    services.note_add(
        actor=cases.users["sspf"],
        case=cases.omar,
        kind="sspf",
        held_on=dt.date(2023, 5, 1),
        text="Individuell del.",
        meeting=meeting,
    )
    url = reverse("forums:meeting_detail", args=[meeting.pk])
    assert cases.omar.reference in login("kurator").get(url).content.decode()
    for persona in ["polis", "samordnare", "admin", "ungdomspolis"]:
        page = login(persona).get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert cases.omar.reference not in text and "Provqvist" not in text, persona
    assert selectors.notes_for_meeting(user=cases.users["polis"], meeting=meeting) == []


def test_a_participant_records_a_satisfaction_answer_and_a_bad_date_is_refused(cases, login):
    url = reverse("cases:satisfaction_add", args=[cases.alva.pk])
    client = login("kurator")
    refused = client.post(
        url, {"respondent": "vardnadshavare", "answer": 4, "answered_on": "2999-01-01"}
    )
    assert refused.status_code == 200 and "framtiden" in refused.content.decode()
    assert not cases.alva.satisfaction.exists()
    done = client.post(
        url, {"respondent": "vardnadshavare", "answer": 4, "answered_on": "2023-06-01"}
    )
    assert done.status_code == 302
    assert cases.alva.satisfaction.get().answer == Satisfaction.VERY
