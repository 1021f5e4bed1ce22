"""Background work of the forums app: e-mail reminders for decisions that are due.

Reminders are sent once a day. Either
- a cron job or systemd timer runs ``python -m trygg send_decision_reminders`` (it sends at
  once; see that command), or
- the timer runs ``send_decision_reminders --enqueue`` and the task worker
  (``python -m trygg db_worker``) picks the task up from the database queue.

Running twice on the same day sends nothing more: each decision gets at most one reminder
per stage (due, overdue), enforced by the DecisionReminder unique constraint.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from trygg.forums import services


@task()
def send_decision_reminders(today: str | dt.date | None = None) -> dict[str, int]:
    """Send the due and overdue reminders for ``today`` (ISO date; default: today).

    ``today`` exists for operators catching up after downtime and for tests that travel in
    time; a queued task takes it as an ISO string, since task arguments are stored as JSON.
    """
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return services.decision_reminders_send(today=today)
