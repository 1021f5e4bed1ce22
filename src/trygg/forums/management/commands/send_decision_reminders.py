"""Send e-mail reminders for forum decisions that are due or overdue.

Run it once a day from cron or a systemd timer, for example (systemd)::

    # /etc/systemd/system/trygg-reminders.service
    [Service]
    Type=oneshot
    User=trygg
    EnvironmentFile=/etc/trygg/env
    ExecStart=/opt/trygg/.venv/bin/python -m trygg send_decision_reminders

    # /etc/systemd/system/trygg-reminders.timer
    [Timer]
    OnCalendar=*-*-* 07:00
    Persistent=true
    [Install]
    WantedBy=timers.target

or with cron: ``0 7 * * * trygg /opt/trygg/.venv/bin/python -m trygg send_decision_reminders``.
It is safe to run more often: a reminder is sent once per decision and stage.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from trygg.core.commands import AuditedCommand
from trygg.forums.tasks import send_decision_reminders


class Command(AuditedCommand):
    help = "Send e-mail reminders for decisions that are due or overdue (once per stage)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up after downtime.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of sending now.",
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        if date:
            try:
                dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: not a date (YYYY-MM-DD): {date}") from exc
        if enqueue:
            result = send_decision_reminders.enqueue(today=date)
            self.stdout.write(f"Påminnelser köade ({result.id}).")
            return
        sent = send_decision_reminders.call(today=date)
        self.stdout.write(
            f"Påminnelser skickade: {sent['due']} inför förfallodag, {sent['overdue']} försenade."
        )
