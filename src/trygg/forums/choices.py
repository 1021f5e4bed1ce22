"""Choices of the forums app, with English labels translated to Swedish in the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    ARBETSGRUPP = "arbetsgrupp", _("Local working group")
    VECKOAVSTAMNING = "veckoavstamning", _("Weekly check-in")
    UNGDOMSUTSATTNING = "ungdomsutsattning", _("Youth review")
    INDIVIDAVSTAMNING = "individavstamning", _("Individual check-in")
    SSPF = "sspf", _("SSPF forum")
    NATVERKSMOTE = "natverksmote", _("Network meeting")
    STYRGRUPP = "styrgrupp", _("Steering group")
    UTSKOTT = "utskott", _("Committee or board")
    OVRIGT = "ovrigt", _("Other")


class CadenceKind(models.TextChoices):
    PER_YEAR = "per_year", _("A number of times per year")
    WEEKLY = "weekly", _("Every week")
    EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks")
    AS_NEEDED = "as_needed", _("When needed")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    STRUCK = "struck", _("Struck")


class ReminderStage(models.TextChoices):
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
