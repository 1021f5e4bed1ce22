"""Choices of the forums app, with English labels translated to Swedish in the catalogue.

Each set has its own translation context: the same English word ("Planned", "Open") is
translated differently elsewhere in Trygg, and the first catalogue would otherwise win.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class ForumKind(models.TextChoices):
    ARBETSGRUPP = "arbetsgrupp", pgettext_lazy("forum kind", "Local working group")
    VECKOAVSTAMNING = "veckoavstamning", pgettext_lazy("forum kind", "Weekly check-in")
    UNGDOMSUTSATTNING = "ungdomsutsattning", pgettext_lazy("forum kind", "Youth review")
    INDIVIDAVSTAMNING = "individavstamning", pgettext_lazy("forum kind", "Individual check-in")
    SSPF = "sspf", pgettext_lazy("forum kind", "SSPF forum")
    NATVERKSMOTE = "natverksmote", pgettext_lazy("forum kind", "Network meeting")
    STYRGRUPP = "styrgrupp", pgettext_lazy("forum kind", "Steering group")
    UTSKOTT = "utskott", pgettext_lazy("forum kind", "Committee or board")
    OVRIGT = "ovrigt", pgettext_lazy("forum kind", "Other")


class CadenceKind(models.TextChoices):
    PER_YEAR = "per_year", pgettext_lazy("cadence", "A number of times per year")
    WEEKLY = "weekly", pgettext_lazy("cadence", "Every week")
    EVERY_N_WEEKS = "every_n_weeks", pgettext_lazy("cadence", "Every few weeks")
    AS_NEEDED = "as_needed", pgettext_lazy("cadence", "When needed")


class Weekday(models.IntegerChoices):
    MONDAY = 0, pgettext_lazy("weekday", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday", "Sunday")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("decision status", "Open")
    DONE = "done", pgettext_lazy("decision status", "Done")
    STRUCK = "struck", pgettext_lazy("decision status", "Struck")


class ReminderStage(models.TextChoices):
    DUE = "due", pgettext_lazy("reminder stage", "Due")
    OVERDUE = "overdue", pgettext_lazy("reminder stage", "Overdue")
