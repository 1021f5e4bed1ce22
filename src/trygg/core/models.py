"""Organisations, geography, people and their access, and the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.access import MANAGE, VIEW, RestrictedManager, RestrictedQuerySet, Scope
from trygg.core.choices import AccessPurpose, AreaKind, AuditAction, OrganisationKind, Role


class OrganisationOwned(models.Model):
    """Base for every domain row: it carries the organisation that owns it.

    The organisation decides who sees the row (see core.access) and is the key a
    national deployment would partition or shard on.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )

    objects = RestrictedManager()

    # Path to the area relation used for area-limited memberships; None: not area-bound.
    area_field: str | None = None

    class Meta:
        abstract = True

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return scope.owned_q(action, area_field=cls.area_field)


class Organisation(models.Model):
    """Organisation: kommun, stadsdelsförvaltning, lokalpolisområde, bostadsbolag, förening …"""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geographic area"),
        help_text=_("The area the organisation is responsible for, e.g. the municipality."),
    )
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    steward = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewarded",
        verbose_name=_("registered by"),
        help_text=_(
            "For a partner organisation: the organisation whose administrators look after it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="organisation_name_unique",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="organisation_not_own_parent",
                violation_error_message=_("An organisation cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        """Own organisations, and for viewing also those in a partnership with them.

        Administrators also see and administer the partner organisations their organisation
        registered (``steward``), even after the partnership has ended.
        """
        own = scope.organisation_ids(action)
        stewarded = Q(steward_id__in=scope.organisation_ids(MANAGE))
        if action == MANAGE:
            return Q(id__in=own) | stewarded
        if action != VIEW:
            return Q(id__in=own)
        return Q(id__in=own | scope.partner_ids()) | stewarded


class Partnership(models.Model):
    """Samverkan between two organisations, e.g. Nacka kommun and LPO Nacka.

    A partnership is what allows an organisation's plans, forums and lägesbild to be shared
    with the other; each object then says which partners it is shared with.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    partner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    diarienummer = models.CharField(_("reference number"), max_length=40, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner"],
                name="partnership_unique_pair",
                violation_error_message=_("These organisations already have a partnership."),
            ),
            models.CheckConstraint(
                condition=~Q(organisation=models.F("partner")),
                name="partnership_not_with_itself",
                violation_error_message=_("An organisation cannot be its own partner."),
            ),
        ]

    #: Bumped by every partnership written in this process: a scope that has read the
    #: partners (core.access.Scope.partner_ids) reads them again after a change.
    generation = 0

    def __str__(self) -> str:
        return self.name or f"{self.organisation} – {self.partner}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Partnership.generation += 1

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        try:
            return super().delete(*args, **kwargs)
        finally:
            Partnership.generation += 1

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        own = scope.organisation_ids(action if action != VIEW else VIEW)
        if action == VIEW:
            return Q(organisation_id__in=own) | Q(partner_id__in=own)
        return Q(organisation_id__in=scope.organisation_ids("manage"))

    @staticmethod
    def partner_ids(organisation_ids) -> frozenset[int]:
        """Organisations in a current partnership with any of the given ones (either way)."""
        organisation_ids = list(organisation_ids)
        if not organisation_ids:
            return frozenset()
        from django.db import connection

        from trygg.core import sql

        today = timezone.localdate()
        given = sorted(set(organisation_ids))
        marks = ", ".join(["%s"] * len(given))

        def build(quote: Any) -> str:
            text = (
                "SELECT {organisation}, {partner} FROM {table}"
                " WHERE ({ends} IS NULL OR {ends} >= %s)"
                " AND ({organisation} IN ({marks}) OR {partner} IN ({marks}))"
            )
            return text.format(
                organisation=quote(sql.column(Partnership, "organisation")),
                partner=quote(sql.column(Partnership, "partner")),
                table=quote(sql.table(Partnership)),
                ends=quote(sql.column(Partnership, "ends_on")),
                marks=marks,
            )

        # In SQL (core.sql): asked by most pages (every table shared through partnerships),
        # where the ORM took longer to build the query than to run it.
        pairs = sql.rows(
            f"partners-{len(given)}",
            build,
            [connection.ops.adapt_datefield_value(today), *given, *given],
        )
        found: set[int] = set()
        members = set(given)
        for organisation_id, partner_id in pairs:  # one query for both directions
            if organisation_id in members:
                found.add(partner_id)
            if partner_id in members:
                found.add(organisation_id)
        return frozenset(found)


class Area(models.Model):
    """Geographic area: län, kommun, kommundel, stadsdelsområde or stadsdel.

    Areas form a hierarchy. The 21 län and 290 kommuner are shared reference data
    (no owning organisation); kommundelar and stadsdelar belong to an organisation.
    """

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("organisation"),
        help_text=_("Empty for national reference areas (counties and municipalities)."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AreaKind.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("E.g. kommunkod 0182.")
    )
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~Q(code=""),
                name="area_code_unique_per_kind",
                violation_error_message=_("An area of this kind with this code already exists."),
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="area_name_unique_under_parent",
                violation_error_message=_("This area already has a part with that name."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action == VIEW:
            # Reference geography is public; an organisation's own areas follow its scope.
            return Q(organisation__isnull=True) | Q(
                organisation_id__in=scope.organisation_ids(VIEW)
            )
        return Q(organisation_id__in=scope.unlimited_organisation_ids(action))

    def ancestors(self) -> list[Area]:
        chain, current = [], self.parent
        while current is not None:
            chain.append(current)
            current = current.parent
        return chain


class Place(OrganisationOwned):
    """Plats: a named point inside an area, e.g. "Fisksätra centrum"."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="places", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    area_field = "area"

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="place_name_unique_per_organisation",
                violation_error_message=_("The organisation already has a place with this name."),
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180)),
                name="place_coordinates_valid",
                violation_error_message=_("Latitude and longitude must both be given and valid."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Medlemskap: a user's role in an organisation, optionally limited to some areas."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("E.g. säkerhetsstrateg.")
    )
    areas = models.ManyToManyField(
        Area,
        blank=True,
        related_name="+",
        verbose_name=_("limited to areas"),
        help_text=_("Leave empty for the whole organisation."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_per_organisation",
                violation_error_message=_("The user is already a member of this organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        administered = Q(organisation_id__in=scope.organisation_ids(MANAGE)) | Q(
            organisation__steward_id__in=scope.organisation_ids(MANAGE)
        )
        if action == VIEW:
            return Q(user_id=scope.user_id) | administered
        return administered


class HashedKeyMixin:
    """A secret shown once to its owner; only its SHA-256 hash is stored (API tokens,
    calendar subscription addresses)."""

    key_prefix = "trygg_"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.key_prefix + secrets.token_urlsafe(32)


class InvitationQuerySet(RestrictedQuerySet):
    def pending(self):
        """Invitations that can still be accepted: not used, not revoked, not expired."""
        return self.filter(accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now())


class Invitation(HashedKeyMixin, models.Model):
    """Inbjudan: a single-use, expiring link that gives an e-mail address a membership.

    Only the hash of the link's secret is stored. Whoever accepts it (with a new password, or
    signed in by single sign-on with the same verified e-mail address) gets the role and area
    limits written here.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    key_prefix = "inv_"

    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("limited to areas")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = models.Manager.from_queryset(InvitationQuerySet)()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation}"

    @property
    def state(self) -> str:
        if self.revoked:
            return self.State.REVOKED
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Q(organisation_id__in=scope.organisation_ids(MANAGE)) | Q(
            organisation__steward_id__in=scope.organisation_ids(MANAGE)
        )


class AuditEntry(models.Model):
    """Ändringslogg: who changed what, when, with the fields before and after."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # Who acted when no person did: "system: import_police_events" for a management command
    # (core/audit.py, ``system_actor``). Empty when ``actor`` is a person.
    actor_label = models.CharField(_("by (system)"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["organisation", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    @property
    def actor_display(self) -> str:
        """Who did it, as the change log shows it: the person's user name, "System
        (import_police_events)" for a command, "System" for what no command was named for."""
        if self.actor is not None:
            return self.actor.username
        label = self.actor_label.removeprefix("system: ")
        if label:
            return _("System (%(name)s)") % {"name": label}
        return str(_("System"))

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        # The full log is for administrators; object history pages check the object itself.
        return Q(organisation_id__in=scope.organisation_ids("manage"))


class AccessLogEntry(models.Model):
    """Åtkomstlogg: every read of sensitive data (youth cases), including lists and exports."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    purpose = models.CharField(_("kind of read"), max_length=16, choices=AccessPurpose.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300)
    path = models.CharField(_("address"), max_length=500, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.object_repr}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Q(organisation_id__in=scope.organisation_ids("manage"))


class ImportBatch(OrganisationOwned):
    """Importomgång: one file imported, with its checksum, counts, progress and problems.

    Every imported row can point at its batch, so that a figure can show where it came from.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=64)
    filename = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"


class ApiToken(HashedKeyMixin, models.Model):
    """Personlig API-nyckel. Only a hash is stored; the key is shown once when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Q(user_id=scope.user_id)


class UserPreferences(models.Model):
    """Personliga inställningar: the interface language a person chose.

    The language follows the person, not the browser: a Swedish user with an English browser
    still gets Swedish. Swedish is the default.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("personal settings")
        verbose_name_plural = _("personal settings")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Q(user_id=scope.user_id)
