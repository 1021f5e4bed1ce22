"""Youth coordination: SSPF and SIG cases (ärenden), consent, participants, plans and notes.

These models have no ``restrict()``: the only way to read them is through
``cases.selectors`` (``case_list``, ``case_get`` and the helpers built on them), which decide
need-to-know access and write an access-log row for every case they return. Generic code that
reads any model through ``restrict()`` (the history page, matrix tests) therefore cannot
reach a case. See docs/adr/0013-youth-cases-privacy.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.cases import crypto
from trygg.cases.choices import (
    CaseRoleKind,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    Gender,
    NoteKind,
    ParticipantFunction,
    PlanStatus,
    Programme,
    Respondent,
    Satisfaction,
)
from trygg.core.access import MANAGE, VIEW, RestrictedManager, Scope


class CaseRole(models.Model):
    """Ärendebehörighet: who coordinates cases, who is a unit manager, who may break the glass.

    Given by an administrator of the organisation. A supervisor (enhetschef) is the manager of
    the listed staff and reads the access log of the cases they take part in.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=CaseRoleKind.choices)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="case_supervisors",
        verbose_name=_("staff"),
        help_text=_("For a unit manager: the people they manage."),
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("case role")
        verbose_name_plural = _("case roles")
        ordering = ["organisation", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"],
                name="case_role_unique",
                violation_error_message=_("The user already has this role."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action == VIEW:
            return Q(user_id=scope.user_id) | Q(organisation_id__in=scope.organisation_ids(MANAGE))
        return Q(organisation_id__in=scope.organisation_ids(MANAGE))


class Case(models.Model):
    """SSPF- eller SIG-ärende: one youth in one programme, owned by one organisation.

    The personnummer is stored encrypted (``personnummer_token``) and as a keyed hash
    (``personnummer_hash``) so that the same youth is not registered twice. ``__str__`` is
    the case reference only: it goes into the access log, which a unit manager outside the
    case may read.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    programme = models.CharField(_("programme"), max_length=8, choices=Programme.choices)
    reference = models.CharField(_("case number"), max_length=32, unique=True)
    youth_name = models.CharField(_("name of the youth"), max_length=200)
    personnummer_token = models.TextField(editable=False)
    personnummer_hash = models.CharField(max_length=64, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    school = models.CharField(_("school"), max_length=200, blank=True)
    home_area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("home area"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    start_date = models.DateField(_("start date"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("note on closing"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("youth case")
        verbose_name_plural = _("youth cases")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programme", "personnummer_hash"],
                condition=Q(status="aktuell"),
                name="case_one_open_per_youth_and_programme",
                violation_error_message=_("This youth already has an open case in the programme."),
            ),
            models.CheckConstraint(
                condition=Q(status="aktuell", closed_on__isnull=True, closure_reason="")
                | (Q(status="avslutad", closed_on__isnull=False) & ~Q(closure_reason="")),
                name="case_closed_has_date_and_reason",
                violation_error_message=_("A closed case needs a date and a reason."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("start_date")),
                name="case_closed_after_start",
                violation_error_message=_("A case cannot close before it started."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "programme", "start_date"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def personnummer(self) -> str:
        """The number as YYYYMMDD-NNNN; only the case page shows it."""
        return crypto.masked(crypto.decrypt(self.personnummer_token))

    def age_in(self, year: int) -> int:
        """The age the youth turns during ``year`` (ålder under året)."""
        return year - self.birth_year

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class Consent(models.Model):
    """Samtycke: who gave it, which organisations and kommuner it covers, and for how long.

    A withdrawn consent ends the access it granted at once: the access rule reads consents
    on every request.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    given_by_names = models.CharField(
        _("names"), max_length=300, blank=True, help_text=_("E.g. the guardians' names.")
    )
    organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="+", verbose_name=_("organisations covered")
    )
    kommuner = models.ManyToManyField(
        "core.Area",
        blank=True,
        related_name="+",
        verbose_name=_("municipalities covered"),
        help_text=_("Organisations in these municipalities are covered too, e.g. Värmdö."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="consent_ends_after_start",
                violation_error_message=_("A consent cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.get_given_by_display()}"

    @staticmethod
    def valid_q(prefix: str = "") -> Q:
        today = timezone.localdate()
        return Q(**{f"{prefix}withdrawn_at__isnull": True, f"{prefix}valid_from__lte": today}) & (
            Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
        )

    @property
    def is_valid(self) -> bool:
        today = timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )


class CaseParticipant(models.Model):
    """Deltagare i ett ärende: a named person from school, social services, police, leisure or
    field work. Being in the organisation is not enough to see a case; being named here is."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    function = models.CharField(_("function"), max_length=16, choices=ParticipantFunction.choices)
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("case participant")
        verbose_name_plural = _("case participants")
        ordering = ["function", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(removed_at__isnull=True),
                name="case_participant_once",
                violation_error_message=_("The person already takes part in the case."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.user}"


class CasePlanEntry(models.Model):
    """Planpunkt: vad har hänt, vad behöver hända, vem gör vad, till när. Never edited in
    place: follow-ups are added, so the history is kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_entries")
    what_happened = models.TextField(_("what has happened"))
    what_is_needed = models.TextField(_("what needs to happen"))
    who_does_what = models.TextField(_("who does what"))
    due_date = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.case} – {self.due_date}"


class CasePlanFollowUp(models.Model):
    """Uppföljning av en planpunkt at a date: what was found, the new status, the next date."""

    entry = models.ForeignKey(CasePlanEntry, on_delete=models.CASCADE, related_name="follow_ups")
    followed_up_on = models.DateField(_("followed up on"))
    note = models.TextField(_("what was found"))
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices)
    next_date = models.DateField(_("next follow-up"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("plan follow-up")
        verbose_name_plural = _("plan follow-ups")
        ordering = ["followed_up_on", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} – {self.followed_up_on}"


class CaseNote(models.Model):
    """Individuell anteckning: the individual part of the SSPF forum, the individavstämning or
    another meeting. The forum meeting links here instead of carrying it in its minutes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("from"), max_length=24, choices=NoteKind.choices)
    meeting = models.ForeignKey(
        "forums.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_notes",
        verbose_name=_("meeting"),
    )
    held_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} – {self.held_on}"


class SatisfactionAnswer(models.Model):
    """Nöjdhet: the youth's or a guardian's answer on a four-step scale."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="satisfaction")
    respondent = models.CharField(_("who answered"), max_length=16, choices=Respondent.choices)
    answer = models.PositiveSmallIntegerField(_("answer"), choices=Satisfaction.choices)
    answered_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        ordering = ["answered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} – {self.get_respondent_display()}"


class EmergencyAccess(models.Model):
    """Nödåtkomst ("bryt glaset"): a named role opens one case for a few hours, with a reason.
    Every read through it is logged as such and the coordinator sees it on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    seen_by_coordinator_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.case} – {self.opened_at:%Y-%m-%d %H:%M}"


class CaseTombstone(models.Model):
    """Gravsten: what remains of a case deleted by retention – no personal data."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    reference = models.CharField(_("case number"), max_length=32, unique=True)
    programme = models.CharField(_("programme"), max_length=8, choices=Programme.choices)
    start_date = models.DateField(_("start date"))
    closed_on = models.DateField(_("closed on"))
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now)

    class Meta:
        verbose_name = _("deleted case")
        verbose_name_plural = _("deleted cases")
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return self.reference
