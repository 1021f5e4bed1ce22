"""Gallring: deleting information once its retention period is over.

Each information type has a rule: how many days it is kept (a setting, see
docs/operations.md; 0 keeps it for good) and which rows are past it. Apps add their own
rules with :func:`add_rule` (the youth-cases module adds its cases). :func:`apply_retention`
deletes exactly what the rules select, one transaction per type, and leaves a tombstone in
the change log for each type and organisation: the type, how many, the period they covered
and the rule. Run it with ``python -m trygg apply_retention [--dry-run]`` or the periodic
task :func:`trygg.core.tasks.apply_retention_task`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Max, Min
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.choices import AuditAction

logger = logging.getLogger(__name__)

MINIMUM_LOG_DAYS = 5 * 365  # change and access logs: at least five years (product requirement)


@dataclass(frozen=True)
class Rule:
    """Gallringsregel: one information type and how it is selected once past its time.

    ``select(cutoff)`` returns the rows older than the cutoff (a queryset), ``date_field``
    names the date the period is read from. ``days`` is read from the setting each run.
    """

    key: str
    label: Any  # a lazy translation
    setting: str  # the environment variable that sets the days
    days: Callable[[], int]
    select: Callable[[dt.datetime], models.QuerySet]
    date_field: str
    minimum_days: int = 0
    delete: Callable[[models.QuerySet], int] | None = None  # default: queryset.delete()


@dataclass
class Outcome:
    """What one rule did (or, in a dry run, would do)."""

    rule: Rule
    days: int
    cutoff: dt.datetime | None
    count: int = 0
    oldest: dt.date | None = None
    newest: dt.date | None = None
    kept_back: int = 0  # selected but not deletable (something still refers to it)
    by_organisation: dict[int | None, int] = field(default_factory=dict)

    @property
    def rule_text(self) -> str:
        if not self.days:
            return _("kept for good (%(setting)s=0)") % {"setting": self.rule.setting}
        return _("%(days)s days (%(setting)s)") % {"days": self.days, "setting": self.rule.setting}


_rules: dict[str, Rule] = {}


def add_rule(rule: Rule) -> Rule:
    """Register a rule; a rule with the same key replaces the earlier one."""
    _rules[rule.key] = rule
    return rule


def rules() -> list[Rule]:
    return list(_rules.values())


def _days(key: str) -> Callable[[], int]:
    return lambda: int(settings.RETENTION_DAYS[key])


def _audit_days() -> int:
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days < MINIMUM_LOG_DAYS:
        raise ImproperlyConfigured(
            f"TRYGG_AUDIT_RETENTION_DAYS must be at least {MINIMUM_LOG_DAYS} (five years), not {days}"
        )
    return days


def _model(label: str) -> type[Any]:
    # Any: the models are looked up by label, and each has its own manager (objects).
    return apps.get_model(label)


def _inactive_accounts(cutoff: dt.datetime) -> models.QuerySet:
    """Deactivated logins (never superusers) whose last sign-in, or creation if they never
    signed in, is older than the cutoff."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=False, is_superuser=False)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )


def _delete_accounts(queryset: models.QuerySet) -> int:
    """One by one, so that an account something still refers to (a decision's responsible
    person) is kept back rather than stopping the rest."""
    deleted = 0
    for user in queryset.order_by("pk"):
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            continue
        deleted += 1
    return deleted


def _delete_attachments(queryset: models.QuerySet) -> int:
    """Rows in this transaction; the files once it has committed (a rollback keeps them)."""
    files = [(a.file.storage, a.file.name) for a in queryset if a.file]
    count = queryset.count()
    queryset.delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return count


for _rule in [
    Rule(
        key="incident_reports",
        label=gettext_lazy("Incident reports"),
        setting="TRYGG_RETENTION_INCIDENT_REPORTS_DAYS",
        days=_days("incident_reports"),
        select=lambda cutoff: _model("incidents.IncidentReport").objects.filter(
            occurred_at__lt=cutoff
        ),
        date_field="occurred_at",
    ),
    Rule(
        key="police_events",
        label=gettext_lazy("Police events"),
        setting="TRYGG_RETENTION_POLICE_EVENTS_DAYS",
        days=_days("police_events"),
        select=lambda cutoff: _model("incidents.PoliceEvent").objects.filter(
            occurred_at__lt=cutoff
        ),
        date_field="occurred_at",
    ),
    Rule(
        key="meeting_attachments",
        label=gettext_lazy("Meeting attachments"),
        setting="TRYGG_RETENTION_MEETING_ATTACHMENTS_DAYS",
        days=_days("meeting_attachments"),
        select=lambda cutoff: _model("forums.MeetingAttachment").objects.filter(
            uploaded_at__lt=cutoff
        ),
        date_field="uploaded_at",
        delete=_delete_attachments,
    ),
    Rule(
        key="change_log",
        label=gettext_lazy("Change log"),
        setting="TRYGG_AUDIT_RETENTION_DAYS",
        days=_audit_days,
        select=lambda cutoff: _model("core.AuditEntry").objects.filter(at__lt=cutoff),
        date_field="at",
        minimum_days=MINIMUM_LOG_DAYS,
    ),
    Rule(
        key="access_log",
        label=gettext_lazy("Access log"),
        setting="TRYGG_AUDIT_RETENTION_DAYS",
        days=_audit_days,
        select=lambda cutoff: _model("core.AccessLogEntry").objects.filter(at__lt=cutoff),
        date_field="at",
        minimum_days=MINIMUM_LOG_DAYS,
    ),
    Rule(
        key="import_batches",
        label=gettext_lazy("Import records"),
        setting="TRYGG_RETENTION_IMPORTS_DAYS",
        days=_days("imports"),
        # Only rejected imports, which imported nothing: a figure's source (a done import)
        # must stay traceable while the figure exists.
        select=lambda cutoff: _model("core.ImportBatch").objects.filter(
            created_at__lt=cutoff, status="rejected"
        ),
        date_field="created_at",
    ),
    Rule(
        key="inactive_accounts",
        label=gettext_lazy("Inactive accounts"),
        setting="TRYGG_RETENTION_INACTIVE_ACCOUNTS_DAYS",
        days=_days("inactive_accounts"),
        select=_inactive_accounts,
        date_field="last_seen",
        delete=_delete_accounts,
    ),
]:
    add_rule(_rule)


def _import_files(cutoff: dt.datetime) -> list[Path]:
    folder = Path(settings.VAR_DIR) / "imports"
    if not folder.is_dir():
        return []
    limit = cutoff.timestamp()
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime < limit)


def _organisation_field(model: type[models.Model]) -> str | None:
    try:
        model._meta.get_field("organisation")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return None
    return "organisation_id"


def _measure(rule: Rule, days: int, now: dt.datetime) -> tuple[Outcome, models.QuerySet | None]:
    if not days:
        return Outcome(rule=rule, days=0, cutoff=None), None
    if days < rule.minimum_days:
        raise ImproperlyConfigured(
            f"{rule.setting} must be at least {rule.minimum_days} days, not {days}"
        )
    cutoff = now - dt.timedelta(days=days)
    queryset = rule.select(cutoff)
    span = queryset.order_by().aggregate(oldest=Min(rule.date_field), newest=Max(rule.date_field))
    outcome = Outcome(rule=rule, days=days, cutoff=cutoff)
    organisation_field = _organisation_field(queryset.model)
    if organisation_field:
        rows = queryset.order_by().values_list(organisation_field).annotate(n=models.Count("pk"))
        outcome.by_organisation = {org: n for org, n in rows}
    else:
        outcome.by_organisation = {None: queryset.count()}
    outcome.count = sum(outcome.by_organisation.values())
    for name in ("oldest", "newest"):
        value = span[name]
        setattr(outcome, name, timezone.localtime(value).date() if value else None)
    return outcome, queryset


def _tombstone(outcome: Outcome, model: type[models.Model], organisation_id, count: int) -> None:
    from trygg.core.models import AuditEntry

    note = _(
        "Retention: %(count)s × %(type)s from %(oldest)s to %(newest)s, older than %(cutoff)s; "
        "rule: %(rule)s"
    ) % {
        "count": count,
        "type": outcome.rule.label,
        "oldest": outcome.oldest,
        "newest": outcome.newest,
        "cutoff": timezone.localtime(outcome.cutoff).date() if outcome.cutoff else "–",
        "rule": outcome.rule_text,
    }
    AuditEntry.objects.create(
        actor=None,
        organisation_id=organisation_id,
        action=AuditAction.DELETE,
        content_type=ContentType.objects.get_for_model(model),
        object_id=f"retention:{outcome.rule.key}",
        object_repr=str(_("Retention: %(type)s") % {"type": outcome.rule.label})[:300],
        changes={
            "count": [count, 0],
            "period": [str(outcome.oldest), str(outcome.newest)],
            "rule": [outcome.rule.key, outcome.rule_text],
        },
        note=note,
    )


def apply_retention(
    *, dry_run: bool = False, now: dt.datetime | None = None, only: Iterable[str] | None = None
) -> list[Outcome]:
    """Apply every rule (or those named in ``only``); one transaction per type.

    A dry run changes nothing and returns what would go.
    """
    now = now or timezone.now()
    outcomes: list[Outcome | None] = []
    wanted = set(only) if only else None
    for rule in rules():
        if wanted is not None and rule.key not in wanted:
            continue
        days = rule.days()
        if dry_run:
            outcomes.append(_measure(rule, days, now)[0])
            continue
        with transaction.atomic():
            outcome, queryset = _measure(rule, days, now)
            if queryset is not None and outcome.count:
                model = queryset.model
                if rule.delete is None:
                    queryset.delete()  # cascades and signals run as for any delete
                    deleted = outcome.count
                else:
                    deleted = rule.delete(queryset)
                outcome.kept_back = outcome.count - deleted
                if outcome.kept_back:
                    # Some rows could not go; the tombstone counts only what went.
                    outcome.by_organisation = {None: deleted}
                outcome.count = deleted
                for organisation_id, count in outcome.by_organisation.items():
                    if count:
                        _tombstone(outcome, model, organisation_id, count)
        outcomes.append(outcome)
    outcomes.append(_apply_to_import_files(dry_run=dry_run, now=now, wanted=wanted))
    return [o for o in outcomes if o is not None]


IMPORT_FILES = Rule(
    key="import_files",
    label=gettext_lazy("Import files"),
    setting="TRYGG_RETENTION_IMPORT_FILES_DAYS",
    days=_days("import_files"),
    select=lambda cutoff: _model("core.ImportBatch").objects.none(),
    date_field="created_at",
)


def _apply_to_import_files(*, dry_run: bool, now: dt.datetime, wanted) -> Outcome | None:
    """Uploaded files left in the private imports folder (normally removed once imported)."""
    rule = IMPORT_FILES
    if wanted is not None and rule.key not in wanted:
        return None
    days = rule.days()
    if not days:
        return Outcome(rule=rule, days=0, cutoff=None)
    cutoff = now - dt.timedelta(days=days)
    files = _import_files(cutoff)
    outcome = Outcome(rule=rule, days=days, cutoff=cutoff, count=len(files))
    if files:
        times = [dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.UTC) for p in files]
        outcome.oldest = timezone.localtime(min(times)).date()
        outcome.newest = timezone.localtime(max(times)).date()
    if dry_run or not files:
        return outcome
    with transaction.atomic():
        _tombstone(outcome, _model("core.ImportBatch"), None, len(files))

        def remove_files() -> None:
            for path in files:
                path.unlink(missing_ok=True)

        transaction.on_commit(remove_files)
    return outcome
