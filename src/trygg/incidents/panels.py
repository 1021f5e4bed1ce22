"""Panels the incidents app adds to other pages: the start page's reports to review."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trygg.core.access import member_organisation_ids, scope_for
from trygg.incidents.choices import ReportStatus
from trygg.incidents.models import IncidentReport


def home_reviews(request):
    """Start page: new incident reports waiting for review that the person may review."""
    from trygg.core.home import HomePanel, first_and_total

    scope = scope_for(request.user)
    if scope.user_id is None:
        return None
    queryset = IncidentReport.objects.filter(status=ReportStatus.NY)
    if not scope.is_superuser:
        if not member_organisation_ids(request.user, "change"):
            return None  # reporters and readers review nothing: no panel
        queryset = queryset.filter(IncidentReport.review_q(scope))
    # Only the columns shown (a category is shown by its name), not whole reports.
    rows, total = first_and_total(
        queryset.order_by("-occurred_at", "-pk"), "pk", "category__name", "occurred_at"
    )
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
