"""Incident reports (EST händelserapporter), their categories, and the police's public events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.core.access import CHANGE, REPORT, VIEW, RestrictedManager, Scope
from trygg.core.models import OrganisationOwned
from trygg.incidents.choices import Assessment, CategoryGroup, ReportStatus, Resolution


class IncidentCategory(OrganisationOwned):
    """Händelsekategori: what kind of incident, e.g. "Klotter" (grouped ordning / miljö / person).

    Each organisation keeps its own list, so that a bostadsbolag and a kommun can differ.
    """

    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=16, choices=CategoryGroup.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive categories cannot be chosen for new reports."),
    )

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="incidentcategory_name_unique_per_organisation",
                violation_error_message=_(
                    "The organisation already has a category with this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action == VIEW:
            # Reporters (REPORT only) must see the categories they file under, and partners
            # the names of the categories of the reports they see.
            own = scope.organisation_ids(VIEW) | scope.organisation_ids(REPORT)
            return Q(organisation_id__in=own | scope.partner_ids())
        if action == REPORT:
            return scope.owned_q(REPORT)
        # The list of categories is organisation-wide: only members without area limits
        # change it.
        return Q(organisation_id__in=scope.unlimited_organisation_ids(action))


class IncidentReport(OrganisationOwned):
    """Händelserapport (EST): what happened, where, when and how serious, from staff in the field.

    A report never holds personal data: the description is checked for personnummer, phone
    numbers and e-mail addresses when it is written, and the form asks not to write names.
    Who may see the exact place and time is decided in selectors.reports_visible.
    """

    # As OrganisationOwned's, without an index of its own: the indexes on (organisation,
    # id), (organisation, occurred_at) and the others begin with it, and an index fewer
    # to update is felt by an import of a million rows.
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
        db_index=False,
    )
    category = models.ForeignKey(
        IncidentCategory,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("category"),
    )
    occurred_at = models.DateTimeField(_("occurred"))
    occurred_until = models.DateTimeField(
        _("occurred until"),
        null=True,
        blank=True,
        help_text=_("For a time window: when it ended at the latest."),
    )
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_reports",
        verbose_name=_("area"),
    )
    place = models.ForeignKey(
        "core.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_reports",
        verbose_name=_("place"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    assessment = models.PositiveSmallIntegerField(_("own assessment"), choices=Assessment.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.NY
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
        db_index=False,  # a partial index below: most reports have none
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
        db_index=False,  # a partial index below: most reports have none
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    measure = models.ForeignKey(
        "plans.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_reports",
        verbose_name=_("measure"),
        db_index=False,  # a partial index below: most reports have none
    )
    decision = models.ForeignKey(
        "forums.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_reports",
        verbose_name=_("decision"),
        db_index=False,  # a partial index below: most reports have none
    )
    is_generated = models.BooleanField(
        _("generated"), default=False, help_text=_("Demo or benchmark data, not a real report.")
    )
    external_ref = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The id in the system the report was imported from."),
    )
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A report written offline on a phone is sent when the network returns, perhaps twice: the
    # key the phone gives each report makes the second sending find the first.
    client_key = models.CharField(
        _("key from the device"),
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    area_field = "area"

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"]),
            models.Index(fields=["organisation", "area", "occurred_at"]),
            models.Index(fields=["organisation", "category", "occurred_at"]),
            # The highest id of one organisation's reports in one probe (situation.rollup's
            # watermark), however many reports the other organisations have.
            models.Index(fields=["organisation", "id"], name="incidentreport_org_id"),
            # The links an imported or generated report never has, indexed only where set:
            # a bulk load writes no entry in them (smaller indexes; the import's time did not
            # change measurably, see docs/benchmarks.md). A lookup by one of them
            # (``reporter_id = x``, Django's SET_NULL when a user, measure or decision is
            # deleted) implies IS NOT NULL and uses them.
            models.Index(
                fields=["reporter"],
                condition=Q(reporter__isnull=False),
                name="incidentreport_reporter_set",
            ),
            models.Index(
                fields=["reviewed_by"],
                condition=Q(reviewed_by__isnull=False),
                name="incidentreport_reviewer_set",
            ),
            models.Index(
                fields=["measure"],
                condition=Q(measure__isnull=False),
                name="incidentreport_measure_set",
            ),
            models.Index(
                fields=["decision"],
                condition=Q(decision__isnull=False),
                name="incidentreport_decision_set",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment__gte=1) & Q(assessment__lte=3),
                name="incidentreport_assessment_1_to_3",
                violation_error_message=_("The assessment must be 1, 2 or 3."),
            ),
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True)
                | Q(occurred_until__gte=models.F("occurred_at")),
                name="incidentreport_window_ends_after_start",
                violation_error_message=_("The time window cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180)),
                name="incidentreport_coordinates_valid",
                violation_error_message=_("Latitude and longitude must both be given and valid."),
            ),
            models.UniqueConstraint(
                fields=["reporter", "client_key"],
                condition=~Q(client_key=""),
                name="incidentreport_client_key_unique",
                violation_error_message=_("This report has already been sent."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_ref"],
                condition=~Q(external_ref=""),
                name="incidentreport_external_ref_unique",
                violation_error_message=_(
                    "A report with this external id has already been imported."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="incidentreport_status_valid",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_at:%Y-%m-%d}" if self.category_id else "—"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        """Owner's scope (area limits honoured); reporters see their own; partners view.

        Partners see the rows, but only blurred: see selectors.reports_visible.
        """
        if action == VIEW:
            own = scope.owned_q(VIEW, area_field=cls.area_field)
            mine = Q(reporter_id=scope.user_id) if scope.user_id else Q(pk__in=[])
            partners = scope.partner_ids()
            return own | mine | Q(organisation_id__in=partners)
        if action == REPORT:
            return scope.owned_q(REPORT, area_field=cls.area_field)
        return scope.owned_q(action, area_field=cls.area_field)

    @classmethod
    def detail_q(cls, scope: Scope) -> Q:
        """Rows the user may see in full: own organisation's scope, or their own report."""
        q = scope.owned_q(VIEW, area_field=cls.area_field)
        if scope.user_id:
            q |= Q(reporter_id=scope.user_id)
        return q

    @classmethod
    def review_q(cls, scope: Scope) -> Q:
        return scope.owned_q(CHANGE, area_field=cls.area_field)

    @classmethod
    def history_queryset(cls, user):
        """The change history shows exact values, so only detail viewers may read it."""
        from trygg.core.access import scope_for

        scope = scope_for(user)
        queryset = cls.objects.restrict(user, VIEW)
        if scope.is_superuser or scope.user_id is None:
            return queryset
        return queryset.filter(cls.detail_q(scope))


def photo_path(instance: IncidentPhoto, filename: str) -> str:
    import uuid

    return f"incidents/photos/{instance.organisation_id}/{uuid.uuid4().hex}.jpg"


class IncidentPhoto(OrganisationOwned):
    """Foto på en händelserapport (klotter, skadegörelse), taken with the phone's camera.

    Stored re-encoded as JPEG, so no EXIF field (position, device, time) survives. A photo may
    show what identifies a person or a place exactly, so it is shown only to those who see its
    report in detail, never to partners who see the report blurred.
    """

    report = models.ForeignKey(
        IncidentReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return _("Photo %(number)s of report %(report)s") % {
            "number": self.pk,
            "report": self.report_id,
        }

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        """Those who see the report in detail (for every action): never a blurred viewer."""
        detailed = IncidentReport.objects.filter(IncidentReport.detail_q(scope)).values("pk")
        return Q(report_id__in=detailed)


class PoliceEvent(models.Model):
    """Polisens händelse: a public event from the police's events feed (polisen.se/api/events).

    Public data, so it is not owned by an organisation: any user who may view anything sees
    all of it. ``location_name`` is a kommun or a län; its gps is only the centre of that
    area and is deliberately not stored as a point.
    """

    id = models.BigIntegerField(_("police id"), primary_key=True)
    published_at = models.DateTimeField(_("published"))
    occurred_at = models.DateTimeField(_("occurred"))
    event_type = models.CharField(_("type"), max_length=100)
    name = models.CharField(_("heading"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    location_name = models.CharField(_("location"), max_length=200)
    kommun = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="police_events",
        verbose_name=_("municipality"),
    )
    county = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
    )
    resolution = models.CharField(
        _("placed by"), max_length=16, choices=Resolution.choices, default=Resolution.UNKNOWN
    )
    is_summary = models.BooleanField(
        _("summary post"),
        default=False,
        help_text=_("Sammanfattning natt/kväll: several incidents."),
    )
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import"),
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("police event")
        verbose_name_plural = _("police events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["kommun", "occurred_at"]),
            models.Index(fields=["event_type", "occurred_at"]),
            # The national list, newest first (ties by id, as the list pages sort), unsorted.
            models.Index(fields=["-occurred_at", "id"], name="policeevent_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution__in=Resolution.values),
                name="policeevent_resolution_valid",
                violation_error_message=_("Unknown way of placing the event."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action == VIEW and scope.organisation_ids(VIEW):
            return Q()
        # Events are written only by the importer (system work), never through a user scope.
        return Q(pk__in=[])

    @property
    def police_url(self) -> str:
        if self.url.startswith("http"):
            return self.url
        return f"https://polisen.se{self.url}" if self.url else ""
