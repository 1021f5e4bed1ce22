"""Lock-out after failed logins: on the user name, with a wider limit per address beside it.

django-axes counts failures per user name and per address (``AXES_LOCKOUT_PARAMETERS``), but
with one limit for both. A user name is locked after ``AXES_FAILURE_LIMIT`` failures from
anywhere, so guesses spread over many addresses lock it too; an address is locked after
``LOGIN_FAILURE_LIMIT_PER_ADDRESS`` failures for any names, which is higher because a whole
kommun's office may share one address.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum


class UserNameLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        by_name, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            # The address is locked: report at least the limit, whatever the name's count.
            return max(by_name, get_failure_limit(request, credentials))
        return by_name

    @transaction.atomic
    def reset_attempts(
        self,
        *,
        ip_address: str | None = None,
        username: str | None = None,
        ip_or_username: bool = False,
    ) -> int:
        """Upplåsning: remove the lock-out records (``axes_reset``, ``axes_reset_username``,
        ``axes_reset_ip`` …) and record the unlock in the change log, on the user when the
        name is a login and on the lock-out record otherwise. Run by a command, the entry is
        the command's (core/audit.py); the expiry during sign-in is not an unlock."""
        from trygg.core.audit import record_change
        from trygg.core.choices import AuditAction

        attempts = AccessAttempt.objects.all()
        if ip_or_username:
            attempts = attempts.filter(Q(ip_address=ip_address) | Q(username=username))
        else:
            if ip_address:
                attempts = attempts.filter(ip_address=ip_address)
            if username:
                attempts = attempts.filter(username=username)
        removed = list(attempts)
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        users = {
            user.username: user
            for user in get_user_model().objects.filter(
                username__in={a.username for a in removed if a.username}
            )
        }
        recorded: set[str] = set()
        for attempt in removed:
            user = users.get(attempt.username or "")
            key = f"user:{user.pk}" if user else f"attempt:{attempt.pk}"
            if key in recorded:
                continue
            recorded.add(key)
            record_change(
                actor=None,
                obj=user or attempt,
                action=AuditAction.UNLOCK,
                note=f"{attempt.username or '–'} ({attempt.ip_address or '–'})",
            )
        return count
