"""Panels the incidents app adds to other pages: the start page's reports to review."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trygg.core.access import member_organisation_ids, scope_for
from trygg.core.choice_cache import remembered
from trygg.incidents.choices import ReportStatus
from trygg.incidents.filters import OPTIONS_VERSION
from trygg.incidents.models import IncidentReport


def home_reviews(request):
    """Start page: new incident reports waiting for review that the person may review."""
    from trygg.core.home import HomePanel, first_and_total

    scope = scope_for(request.user)
    if scope.user_id is None:
        return None
    if not scope.is_superuser and not member_organisation_ids(request.user, "change"):
        return None  # reporters and readers review nothing: no panel

    def read() -> tuple[list[tuple], int]:
        queryset = IncidentReport.objects.filter(status=ReportStatus.NY)
        if not scope.is_superuser:
            queryset = queryset.filter(IncidentReport.review_q(scope))
        # Only the columns shown (a category is shown by its name), not whole reports.
        return first_and_total(
            queryset.order_by("-occurred_at", "-pk"), "pk", "category__name", "occurred_at"
        )

    # Kept under the reports' version (every save and delete of a report, and the bulk
    # inserts) and the person's scope (core.choice_cache).
    rows, total = remembered(OPTIONS_VERSION, request.user, read, name="home-reviews")
    items = [
        (
            category or _("Incident report"),
            reverse("incidents:report_detail", args=[pk]),
            date_format(timezone.localtime(occurred_at), "SHORT_DATETIME_FORMAT"),
        )
        for pk, category, occurred_at in rows
    ]
    return HomePanel(
        key="reviews",
        title=_("Reports waiting for my review"),
        items=items,
        total=total,
        more_url=reverse("incidents:report_list") + f"?status={ReportStatus.NY}",
        empty=_("No reports are waiting."),
    )
