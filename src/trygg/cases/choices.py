"""Choices of the cases app (SSPF and SIG), with English labels translated in the catalogue."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Programme(models.TextChoices):
    SSPF = "sspf", pgettext_lazy("programme", "SSPF (school, social services, police, leisure)")
    SIG = "sig", pgettext_lazy("programme", "SIG (social intervention group)")


class CaseStatus(models.TextChoices):
    OPEN = "aktuell", pgettext_lazy("case status", "Open")
    CLOSED = "avslutad", pgettext_lazy("case status", "Closed")


class Gender(models.TextChoices):
    GIRL = "flicka", pgettext_lazy("gender", "Girl")
    BOY = "pojke", pgettext_lazy("gender", "Boy")
    OTHER = "annat", pgettext_lazy("gender", "Other or not stated")


class ClosureReason(models.TextChoices):
    GOAL_REACHED = "mal_uppnatt", pgettext_lazy("closure reason", "Goals reached")
    OTHER_SUPPORT = "annan_insats", pgettext_lazy("closure reason", "Handed over to other support")
    MOVED = "flyttat", pgettext_lazy("closure reason", "Moved away")
    CONSENT_WITHDRAWN = "samtycke", pgettext_lazy("closure reason", "Consent withdrawn")
    AGE = "alder", pgettext_lazy("closure reason", "Too old for the programme")
    DECLINED = "avbojt", pgettext_lazy("closure reason", "The youth declined further support")
    OTHER = "annat", pgettext_lazy("closure reason", "Other")


class ConsentGiver(models.TextChoices):
    GUARDIANS = "vardnadshavare", pgettext_lazy("consent giver", "Guardians")
    YOUTH = "ungdomen", pgettext_lazy("consent giver", "The youth")
    BOTH = "bada", pgettext_lazy("consent giver", "The youth and the guardians")


class ParticipantFunction(models.TextChoices):
    SCHOOL = "skola", pgettext_lazy("participant function", "School")
    SOCIAL = "socialtjanst", pgettext_lazy("participant function", "Social services")
    POLICE = "polis", pgettext_lazy("participant function", "Police")
    LEISURE = "fritid", pgettext_lazy("participant function", "Leisure")
    FIELD = "faltassistent", pgettext_lazy("participant function", "Field worker")
    OTHER = "annat", pgettext_lazy("participant function", "Other")


class NoteKind(models.TextChoices):
    SSPF_INDIVIDUAL = "sspf", pgettext_lazy("note kind", "SSPF forum, individual part")
    INDIVIDAVSTAMNING = "individavstamning", pgettext_lazy("note kind", "Individual check-in")
    YOUTH_REVIEW = "ungdomsutsattning", pgettext_lazy("note kind", "Youth review")
    NETWORK = "natverksmote", pgettext_lazy("note kind", "Network meeting")
    OTHER = "annat", pgettext_lazy("note kind", "Other")


class PlanStatus(models.TextChoices):
    OPEN = "pagar", pgettext_lazy("plan status", "In progress")
    DONE = "klar", pgettext_lazy("plan status", "Done")
    DROPPED = "struken", pgettext_lazy("plan status", "Dropped")


class Respondent(models.TextChoices):
    YOUTH = "ungdom", pgettext_lazy("respondent", "The youth")
    GUARDIAN = "vardnadshavare", pgettext_lazy("respondent", "Guardian")


class Satisfaction(models.IntegerChoices):
    VERY = 4, pgettext_lazy("satisfaction", "Very satisfied")
    FAIRLY = 3, pgettext_lazy("satisfaction", "Fairly satisfied")
    NOT_VERY = 2, pgettext_lazy("satisfaction", "Not very satisfied")
    NOT_AT_ALL = 1, pgettext_lazy("satisfaction", "Not at all satisfied")


SATISFIED = (Satisfaction.VERY, Satisfaction.FAIRLY)


class CaseRoleKind(models.TextChoices):
    COORDINATOR = "samordnare", pgettext_lazy("case role", "Case coordinator")
    SUPERVISOR = "enhetschef", pgettext_lazy("case role", "Unit manager (reads the access log)")
    EMERGENCY = "nodatkomst", pgettext_lazy("case role", "Emergency access (break the glass)")


# Forum kinds whose meetings have an individual part recorded as case notes.
ForumKindsForNotes = ["sspf", "individavstamning", "ungdomsutsattning", "natverksmote"]
