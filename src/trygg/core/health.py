"""The health endpoint a load balancer or container runtime asks: ``GET /health/``.

200 ``{"status": "ok"}`` when the application answers and its database does, 503
otherwise. No login, no session, no cookies, nothing written; cheap enough to ask every
few seconds.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
