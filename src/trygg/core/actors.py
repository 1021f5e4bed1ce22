"""The types of the people who read and write (läsare och aktör).

``settings.AUTH_USER_MODEL`` is Django's own ``auth.User``. Selectors take the ``Viewer`` who
reads (``request.user``: signed in or anonymous); services take the ``Actor`` who writes,
where ``None`` is system work (the demo loader, a command run by an operator).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

__all__ = ["Actor", "User", "Viewer"]

Viewer: TypeAlias = User | AnonymousUser
Actor: TypeAlias = User | None
