"""Reminders: one e-mail per decision and stage (due, overdue), never twice."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from trygg.forums import services
from trygg.forums.choices import DecisionStatus
from trygg.forums.models import DecisionReminder
from trygg.forums.tasks import send_decision_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(data):
    # Only this decision is open in the test; the fixture's others are done.
    for other in (data.alta_decision, data.boo_decision):
        services.decision_set_status(actor=None, decision=other, status=DecisionStatus.DONE)
    return services.decision_create(
        actor=None,
        meeting=data.alta_meeting,
        text="Se över belysningen vid Älta centrum.",
        due_date=dt.date(2024, 5, 10),
        owner_user=data.users["arbetsgrupp"],
        owner_organisation=data.nacka,
    )


def run(today, callbacks):
    with callbacks(execute=True):
        return send_decision_reminders.call(today=today)


def test_it_sends_exactly_one_mail_per_stage_when_run_twice(
    decision, django_capture_on_commit_callbacks
):
    assert run(dt.date(2024, 5, 1), django_capture_on_commit_callbacks) == {"due": 0, "overdue": 0}
    assert mail.outbox == []

    run(dt.date(2024, 5, 10), django_capture_on_commit_callbacks)
    run(dt.date(2024, 5, 10), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    due = mail.outbox[0]
    assert due.to == ["arbetsgrupp@example.se"]
    assert "Påminnelse" in due.subject and "2024-05-10" in due.subject
    assert "Se över belysningen" in due.body
    assert f"/samverkan/beslut/{decision.pk}/" in due.body

    run(dt.date(2024, 5, 11), django_capture_on_commit_callbacks)
    run("2024-05-12", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "Försenat" in mail.outbox[1].subject
    assert set(DecisionReminder.objects.values_list("stage", flat=True)) == {"due", "overdue"}


def test_a_done_decision_gets_no_reminder(decision, django_capture_on_commit_callbacks):
    services.decision_set_status(actor=None, decision=decision, status=DecisionStatus.DONE)
    run(dt.date(2024, 6, 1), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_reminder_row_already_there_means_no_mail(decision, django_capture_on_commit_callbacks):
    DecisionReminder.objects.create(
        organisation=decision.organisation, decision=decision, stage="overdue", sent_to="x@y.se"
    )
    assert not services.decision_reminder_send(
        decision=decision, stage="overdue", today=dt.date(2024, 6, 1)
    )
    assert mail.outbox == []


def test_nothing_is_mailed_when_the_transaction_rolls_back(decision):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.decision_reminders_send(today=dt.date(2024, 6, 1))
        raise RuntimeError
    assert mail.outbox == []
    assert not DecisionReminder.objects.exists()


def test_the_command_sends_and_reports(decision, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_decision_reminders", "--date", "2024-05-20")
    assert "1 försenade" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_can_queue_the_task(decision):
    from django_tasks_db.models import DBTaskResult

    call_command("send_decision_reminders", "--enqueue", "--date", "2024-05-20")
    assert DBTaskResult.objects.filter(task_path__endswith="send_decision_reminders").exists()
    assert mail.outbox == []
