"""Generated documents: their drafts, saved versions and background builds."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import Scope
from trygg.core.models import OrganisationOwned


class ReportDraft(OrganisationOwned):
    """Utkast: the text of one free-text section of a document (bedömning, "Utmaningar för
    kommande år", "Konsekvenser för barn"), kept until it is changed. Figures are never part
    of a draft; they are computed each time the document is generated."""

    kind = models.CharField(_("kind"), max_length=32)
    key = models.CharField(_("parameters"), max_length=200)  # e.g. "year=2023"
    section = models.CharField(_("section"), max_length=64)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "key", "section"],
                name="reports_draft_one_text_per_section",
                violation_error_message=_("The section already has a draft."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.section}"


class ReportVersion(OrganisationOwned):
    """Sparad version: a generated document as it was, with who saved it, when, from which
    parameters, its content hash and every figure with its source. A decided version
    (beslutad) stays reproducible: Trygg shows which of its figures differ from today's data."""

    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=300)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    content_hash = models.CharField(_("content hash"), max_length=64)
    figures = models.JSONField(_("figures"), default=list, blank=True)
    drafts = models.JSONField(_("drafts"), default=dict, blank=True)
    diarienummer = models.CharField(_("reg. no."), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"


class ReportJob(OrganisationOwned):
    """A document generated in the background (rapportgenerering), with its progress and,
    when done, the file to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32)
    format = models.CharField(_("format"), max_length=8)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    filename = models.CharField(_("file"), max_length=200, blank=True)
    content = models.BinaryField(_("content"), null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def expires_at(self):
        """When a list export's file goes (``TRYGG_RETENTION_EXPORT_FILES_DAYS`` after it was
        made); a document's build has no end of its own."""
        if self.kind != "export":
            return None
        days = int(settings.RETENTION_DAYS["export_files"])
        return self.created_at + dt.timedelta(days=days)

    @property
    def is_expired(self) -> bool:
        expires = self.expires_at
        return expires is not None and expires <= timezone.now()

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        """A build is its maker's: its file holds what they may see, no more and no less."""
        if scope.user_id is None:
            return Q(pk__in=[])
        return Q(created_by_id=scope.user_id)
