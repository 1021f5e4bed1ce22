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
from django.conf import settings
from django.db.models import Sum


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
