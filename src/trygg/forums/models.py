"""Forums (samverkansforum), their meetings, attachments, decisions and reminders.

Who sees what: a forum is visible to its owning organisation's scope (an area-limited member
sees the forums of their areas and those tied to no area) and to the members of its member
organisations – that is how a working group is shared with the police and other partners.
Meetings, attachments, decisions and reminders follow their forum.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.access import CHANGE, VIEW, Scope
from trygg.core.models import HashedKeyMixin, OrganisationOwned
from trygg.forums.choices import (
    CadenceKind,
    DecisionStatus,
    ForumKind,
    MeetingStatus,
    ReminderStage,
    Weekday,
)

# Restricting by a custom action: who may set a decision's status (done / struck).
STATUS = "status"

# Swedish-style ordinals for "every n-th week"; beyond these the plain number is used.
_EVERY_NTH_WEEK = {
    2: _("every second week"),
    3: _("every third week"),
    4: _("every fourth week"),
    5: _("every fifth week"),
    6: _("every sixth week"),
    7: _("every seventh week"),
    8: _("every eighth week"),
}


class Forum(OrganisationOwned):
    """Samverkansforum: arbetsgrupp, veckoavstämning, SSPF-forum, utskott …

    It has an owning organisation, optionally an area (the kommundel of a "Trygg och säker"
    group), member organisations and people, and a planned cadence ("6 per år",
    "varje måndag 10:30", "var sjätte vecka", "vid behov") kept in structured form so that
    meetings can be planned and counted against it.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ForumKind.choices)
    area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    description = models.TextField(_("purpose"), blank=True)
    member_organisations = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="member_of_forums",
        verbose_name=_("member organisations"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="forums",
        verbose_name=_("members"),
    )
    cadence_kind = models.CharField(
        _("cadence"), max_length=16, choices=CadenceKind.choices, default=CadenceKind.AS_NEEDED
    )
    cadence_count = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("Meetings per year, or the number of weeks between meetings."),
    )
    cadence_weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, choices=Weekday.choices
    )
    cadence_time = models.TimeField(_("time"), null=True, blank=True)
    cadence_text = models.CharField(
        _("cadence as text"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to describe the cadence automatically."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_field = "area"
    # The rule follows member_organisations, a many-valued relation.
    access_q_is_multivalued = True

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="forum_name_unique_per_organisation",
                violation_error_message=_("The organisation already has a forum with this name."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        cadence_kind=CadenceKind.PER_YEAR,
                        cadence_count__gte=1,
                        cadence_count__lte=52,
                    )
                    | Q(
                        cadence_kind=CadenceKind.WEEKLY,
                        cadence_weekday__isnull=False,
                        cadence_time__isnull=False,
                    )
                    | Q(
                        cadence_kind=CadenceKind.EVERY_N_WEEKS,
                        cadence_count__gte=2,
                        cadence_count__lte=26,
                        cadence_weekday__isnull=False,
                        cadence_time__isnull=False,
                    )
                    | Q(cadence_kind=CadenceKind.AS_NEEDED, cadence_count__isnull=True)
                ),
                name="forum_cadence_complete",
                violation_error_message=_(
                    "The cadence is incomplete: give 1–52 meetings per year; a weekday and a "
                    "time for weekly meetings; 2–26 weeks, a weekday and a time for meetings "
                    "every few weeks; and no number for meetings when needed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(cadence_weekday__isnull=True)
                | Q(cadence_weekday__gte=0, cadence_weekday__lte=6),
                name="forum_cadence_weekday_valid",
                violation_error_message=_("The weekday is not valid."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        q = scope.owned_q(action, area_field="area")
        if action == VIEW:
            # Shared through the forum: members of a member organisation see it, with their
            # own area limits applied in the same way.
            q |= scope.owned_q(action, organisation_field="member_organisations", area_field="area")
        return q

    @classmethod
    def visible_ids_q(cls, scope: Scope, action: str, path: str = "forum") -> Q:
        """Rows whose forum (at ``path``) is in scope; used by the rows that follow a forum."""
        ids = cls._default_manager.filter(cls.access_q(scope, action)).values("pk")
        return Q(**{f"{path}__in": ids})

    @property
    def cadence_label(self) -> str:
        """The cadence in words, in the current language, unless a text was given."""
        if self.cadence_text:
            return self.cadence_text
        return describe_cadence(
            self.cadence_kind, self.cadence_count, self.cadence_weekday, self.cadence_time
        )

    @property
    def has_series(self) -> bool:
        return self.cadence_kind != CadenceKind.AS_NEEDED


def describe_cadence(kind, count, weekday, time) -> str:
    weekday_label = str(Weekday(weekday).label) if weekday is not None else ""
    time_label = time.strftime("%H:%M") if time else ""
    if kind == CadenceKind.PER_YEAR and count:
        return gettext("%(count)s per year") % {"count": count}
    if kind == CadenceKind.WEEKLY:
        return (
            gettext("every %(weekday)s %(time)s") % {"weekday": weekday_label, "time": time_label}
        ).strip()
    if kind == CadenceKind.EVERY_N_WEEKS and count:
        label = _EVERY_NTH_WEEK.get(count)
        text = str(label) if label else gettext("every %(count)s weeks") % {"count": count}
        if weekday_label:
            text += f", {weekday_label} {time_label}".rstrip()
        return text
    return gettext("when needed")


class Meeting(OrganisationOwned):
    """Möte i ett forum: when and where, who took part, agenda and minnesanteckningar.

    ``organisation`` is the forum's; agenda and minutes are stored as sanitised HTML.
    """

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum")
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Optional, e.g. “Safety walk”.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    represented_organisations = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("organisations represented"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "starts_at"],
                name="meeting_unique_start_per_forum",
                violation_error_message=_("The forum already has a meeting at this time."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["forum", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.forum.name} {local:%Y-%m-%d %H:%M}"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Forum.visible_ids_q(scope, action)

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)


def attachment_path(instance: MeetingAttachment, filename: str) -> str:
    # A random name on disk: the original name is kept in the row and never used as a path.
    suffix = Path(filename).suffix.lower()
    return f"forums/meetings/{instance.meeting_id}/{uuid.uuid4().hex}{suffix}"


class MeetingAttachment(OrganisationOwned):
    """Bilaga till ett möte (kallelse, presentation, protokoll). Served only through a view
    that checks the forum's access, never from a public media URL."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="attachment_not_empty",
                violation_error_message=_("The file is empty."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Forum.visible_ids_q(scope, action, path="meeting__forum")


class Decision(OrganisationOwned):
    """Beslut / åtgärd att följa upp, fattat vid ett möte.

    It has an owner (a person and/or an organisation), a due date and a status, and is
    followed up until it is done ("ser till att de åtgärder som beslutats om blir genomförda").
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))
    reference = models.CharField(
        _("reference number"), max_length=40, blank=True, help_text=_("E.g. KFKS-2024-00431.")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_decisions",
        verbose_name=_("responsible person"),
    )
    owner_organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    status_note = models.TextField(_("comment on the status"), blank=True)
    measures = models.ManyToManyField(
        "plans.Measure",
        blank=True,
        related_name="decisions",
        verbose_name=_("measures in plans"),
        help_text=_("The plan measures this decision follows up or changes."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_organisation__isnull=False),
                name="decision_has_owner",
                violation_error_message=_("Give a responsible person or organisation."),
            ),
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.DONE, completed_on__isnull=False)
                | (~Q(status=DecisionStatus.DONE) & Q(completed_on__isnull=True)),
                name="decision_completed_only_when_done",
                violation_error_message=_(
                    "A decision has a completion date exactly when it is done."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        if action == STATUS:
            # The forum's own people, and the owner of the decision (a person, or a member
            # of the owning organisation who may change things) as long as they see it.
            owner = Q(owner_user_id=scope.user_id) | Q(
                owner_organisation_id__in=scope.organisation_ids(CHANGE)
            )
            return Forum.visible_ids_q(scope, CHANGE, path="meeting__forum") | (
                owner & Forum.visible_ids_q(scope, VIEW, path="meeting__forum")
            )
        return Forum.visible_ids_q(scope, action, path="meeting__forum")

    @classmethod
    def status_settable(
        cls, scope: Scope, decisions: list[Decision], changing_forum_ids: set[int]
    ) -> set[int]:
        """:meth:`access_q` for STATUS without a query, for decisions the user sees (with
        their meetings): the ids of those whose forum is among ``changing_forum_ids`` (the
        forums the user may change) or that the user owns, in person or as a member who may
        change things in the owning organisation."""
        if scope.user_id is None or not decisions:
            return set()
        if scope.is_superuser:
            return {d.pk for d in decisions}
        owners = scope.organisation_ids(CHANGE)
        return {
            d.pk
            for d in decisions
            if d.meeting.forum_id in changing_forum_ids
            or (d.owner_user_id is not None and d.owner_user_id == scope.user_id)
            or d.owner_organisation_id in owners
        }

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == DecisionStatus.OPEN and self.due_date < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def owner_label(self) -> str:
        parts = []
        if self.owner_user_id:
            parts.append(self.owner_user.get_full_name() or self.owner_user.get_username())
        if self.owner_organisation_id:
            parts.append(self.owner_organisation.name)
        return ", ".join(parts)


class DecisionReminder(OrganisationOwned):
    """Påminnelse om ett beslut: one row per decision and stage, so that a stage is mailed once.

    The row is written in the same transaction that queues the mail (on commit), and the unique
    constraint makes a second run – or two runs at once – a no-op.
    """

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("decision")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ReminderStage.choices)
    sent_to = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "stage"],
                name="decision_reminder_once_per_stage",
                violation_error_message=_("This reminder has already been sent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} ({self.get_stage_display()})"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Forum.visible_ids_q(scope, action, path="decision__meeting__forum")


class CalendarFeed(HashedKeyMixin, OrganisationOwned):
    """Kalenderprenumeration: a personal secret address for one forum's meetings (.ics).

    Calendar programs such as Outlook cannot log in, so the address itself is the credential,
    like an API token: only its hash is stored, it is shown once, it can be revoked, and every
    fetch still checks that its user may see the forum.
    """

    key_prefix = "cal_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="feeds", verbose_name=_("forum")
    )
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.forum} ({self.prefix}…)"

    @classmethod
    def access_q(cls, scope: Scope, action: str) -> Q:
        return Q(user_id=scope.user_id)
