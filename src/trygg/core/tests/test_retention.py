"""Gallring: every rule deletes exactly the rows past its boundary, one transaction per type,
leaves a tombstone in the change log, and a dry run deletes nothing."""

import datetime as dt
import os
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from trygg.core import retention
from trygg.core.models import AccessLogEntry, AuditEntry, ImportBatch
from trygg.forums.models import Forum, Meeting, MeetingAttachment
from trygg.incidents.models import IncidentReport, PoliceEvent
from trygg.incidents.services import categories_ensure_defaults

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 1, 12, 0))
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def rules(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_RETENTION_DAYS = 1830
    settings.RETENTION_DAYS = {
        "incident_reports": 100,
        "police_events": 50,
        "meeting_attachments": 200,
        "imports": 30,
        "import_files": 10,
        "inactive_accounts": 60,
        "export_files": 7,
    }
    return settings


def just_before(days):  # older than the boundary: goes
    return NOW - days * DAY - HOUR


def just_after(days):  # younger than the boundary: stays
    return NOW - days * DAY + HOUR


@pytest.fixture
def data(world, rules, tmp_path):
    nacka = world.organisations["nacka"]
    category = categories_ensure_defaults(nacka)[0]
    made = {}

    def report(when):
        return IncidentReport.objects.create(
            organisation=nacka, category=category, occurred_at=when, assessment=1
        )

    made["reports"] = (report(just_before(100)), report(just_after(100)))

    def event(pk, when):
        return PoliceEvent.objects.create(
            id=pk,
            published_at=when,
            occurred_at=when,
            event_type="Stöld",
            name="Stöld, Nacka",
            location_name="Nacka",
        )

    made["events"] = (event(1, just_before(50)), event(2, just_after(50)))

    forum = Forum.objects.create(organisation=nacka, name="Arbetsgrupp", kind="arbetsgrupp")
    meeting = Meeting.objects.create(organisation=nacka, forum=forum, title="Möte", starts_at=NOW)

    def attachment(when):
        item = MeetingAttachment(
            organisation=nacka,
            meeting=meeting,
            name="bilaga.pdf",
            content_type="application/pdf",
            size=3,
            uploaded_at=when,
        )
        item.file.save("bilaga.pdf", ContentFile(b"pdf"), save=False)
        item.save()
        return item

    made["attachments"] = (attachment(just_before(200)), attachment(just_after(200)))

    def log(when):
        return AuditEntry.objects.create(
            at=when,
            organisation=nacka,
            action="update",
            content_type=ContentType.objects.get_for_model(IncidentReport),
            object_id="1",
            object_repr="x",
        )

    made["audit"] = (log(just_before(1830)), log(just_after(1830)))

    def read(when):
        return AccessLogEntry.objects.create(
            at=when,
            organisation=nacka,
            purpose="detail",
            content_type=ContentType.objects.get_for_model(IncidentReport),
            object_repr="x",
        )

    made["access"] = (read(just_before(1830)), read(just_after(1830)))

    def batch(when, status):
        return ImportBatch.objects.create(
            organisation=nacka, kind="stats", filename="a.csv", created_at=when, status=status
        )

    made["batches"] = (
        batch(just_before(30), "rejected"),
        batch(just_after(30), "rejected"),
        batch(just_before(30), "done"),  # a done import stays: figures point at it
    )

    User = get_user_model()

    def account(name, *, active, last_login):
        return User.objects.create(
            username=name, is_active=active, last_login=last_login, date_joined=last_login
        )

    made["accounts"] = (
        account("gammal", active=False, last_login=just_before(60)),
        account("nyligen", active=False, last_login=just_after(60)),
        account("aktiv", active=True, last_login=just_before(60)),  # active: never removed
    )

    from trygg.reports.models import ReportJob

    def build(when, kind="export"):
        return ReportJob.objects.create(
            organisation=nacka, kind=kind, format="xlsx", created_at=when, content=b"x"
        )

    made["exports"] = (
        build(just_before(7)),
        build(just_after(7)),
        build(just_before(7), kind="annual"),  # a document's build is not an export file
    )

    folder = tmp_path / "imports" / "stats"
    folder.mkdir(parents=True)
    old_file, new_file = folder / "1-old.upload", folder / "2-new.upload"
    for path, when in [(old_file, just_before(10)), (new_file, just_after(10))]:
        path.write_bytes(b"x")
        os.utime(path, (when.timestamp(), when.timestamp()))
    made["files"] = (old_file, new_file)
    return made


def exists(obj):
    return type(obj).objects.filter(pk=obj.pk).exists()


def counts():
    User = get_user_model()
    return {
        "reports": IncidentReport.objects.count(),
        "events": PoliceEvent.objects.count(),
        "attachments": MeetingAttachment.objects.count(),
        "audit": AuditEntry.objects.count(),
        "access": AccessLogEntry.objects.count(),
        "batches": ImportBatch.objects.count(),
        "users": User.objects.count(),
    }


def test_each_rule_deletes_exactly_what_is_past_its_boundary(
    data, django_capture_on_commit_callbacks
):
    old_attachment_file = data["attachments"][0].file.path
    with django_capture_on_commit_callbacks(execute=True):  # files go once committed
        outcomes = {o.rule.key: o for o in retention.apply_retention(now=NOW)}
    for key in ["reports", "events", "attachments", "audit", "access", "accounts", "exports"]:
        gone, kept = data[key][0], data[key][1]
        assert not exists(gone), key
        assert exists(kept), key
    assert not exists(data["batches"][0]) and exists(data["batches"][1])
    assert exists(data["batches"][2])
    assert exists(data["accounts"][2])
    assert exists(data["exports"][2])
    assert not data["files"][0].exists() and data["files"][1].exists()
    assert not os.path.exists(old_attachment_file)
    assert os.path.exists(data["attachments"][1].file.path)
    for key in [
        "incident_reports",
        "police_events",
        "meeting_attachments",
        "change_log",
        "access_log",
        "import_batches",
        "inactive_accounts",
        "import_files",
        "export_files",
    ]:
        assert outcomes[key].count == 1, key


def test_every_type_leaves_a_tombstone_with_count_period_and_rule(data):
    retention.apply_retention(now=NOW)
    stones = AuditEntry.objects.filter(object_id__startswith="retention:")
    by_key = {s.object_id.split(":", 1)[1]: s for s in stones}
    assert set(by_key) == {
        "incident_reports",
        "police_events",
        "meeting_attachments",
        "change_log",
        "access_log",
        "import_batches",
        "inactive_accounts",
        "import_files",
        "export_files",
    }
    report = by_key["incident_reports"]
    assert report.action == "delete"
    assert report.organisation == data["reports"][0].organisation
    day = timezone.localtime(just_before(100)).date().isoformat()
    assert report.changes == {
        "count": [1, 0],
        "period": [day, day],
        "rule": ["incident_reports", "100 dagar (TRYGG_RETENTION_INCIDENT_REPORTS_DAYS)"],
    }
    assert "Gallring: 1 × Händelserapporter" in report.note
    assert "regel: 100 dagar" in report.note


def test_a_dry_run_deletes_nothing_and_says_what_would_go(data):
    before = counts()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)  # today: everything seeded is old
    assert counts() == before
    assert all(path.exists() for path in data["files"])
    text = out.getvalue()
    assert "provkörning" in text
    assert "Händelserapporter: 2 skulle tas bort" in text
    assert "regel: 100 dagar (TRYGG_RETENTION_INCIDENT_REPORTS_DAYS)" in text
    outcomes = {o.rule.key: o.count for o in retention.apply_retention(now=NOW, dry_run=True)}
    assert outcomes["incident_reports"] == 1
    assert counts() == before


def test_nothing_else_is_touched(data, world):
    from trygg.core.models import Area, Membership, Organisation, Place

    before = {
        m.__name__: m.objects.count()
        for m in [Organisation, Area, Place, Membership, Forum, Meeting]
    }
    retention.apply_retention(now=NOW)
    after = {
        m.__name__: m.objects.count()
        for m in [Organisation, Area, Place, Membership, Forum, Meeting]
    }
    assert before == after


def test_zero_days_keeps_a_type_for_good(data, rules):
    rules.RETENTION_DAYS = {**rules.RETENTION_DAYS, "incident_reports": 0}
    retention.apply_retention(now=NOW)
    assert exists(data["reports"][0])


def test_logs_are_kept_at_least_five_years(data, rules):
    rules.AUDIT_RETENTION_DAYS = 365
    with pytest.raises(ImproperlyConfigured):
        retention.apply_retention(now=NOW, only=["change_log"])
    with pytest.raises(CommandError, match="five years"):
        call_command("apply_retention", stdout=StringIO())
    assert exists(data["audit"][0])


def test_a_failing_type_rolls_back_alone(data, monkeypatch):
    def broken(queryset):
        queryset.delete()
        raise RuntimeError("disk full")

    rule = retention._rules["meeting_attachments"]
    monkeypatch.setitem(
        retention._rules,
        "meeting_attachments",
        retention.Rule(**{**rule.__dict__, "delete": broken}),
    )
    with pytest.raises(RuntimeError):
        retention.apply_retention(now=NOW)
    assert exists(data["attachments"][0])  # its transaction rolled back
    assert not exists(data["events"][0])  # types before it are done
    assert not AuditEntry.objects.filter(object_id="retention:meeting_attachments").exists()


def test_another_app_can_add_a_rule(data, monkeypatch):
    monkeypatch.setattr(retention, "_rules", dict(retention._rules))
    retention.add_rule(
        retention.Rule(
            key="forums",
            label="Forum",
            setting="TRYGG_RETENTION_FORUMS_DAYS",
            days=lambda: 1,
            select=lambda cutoff: Forum.objects.filter(created_at__lt=cutoff),
            date_field="created_at",
        )
    )
    outcomes = {o.rule.key: o for o in retention.apply_retention(now=NOW, dry_run=True)}
    assert "forums" in outcomes


def test_the_periodic_task_applies_the_rules(data, monkeypatch):
    from trygg.core.tasks import apply_retention_task

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    result = apply_retention_task.call()
    assert result["incident_reports"] == 1
    assert not exists(data["reports"][0])


def test_the_tombstone_reads_in_the_administrators_change_log(data, login):
    retention.apply_retention(now=NOW)
    page = login("admin").get("/andringslogg/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gallring: Händelserapporter" in text
    export = login("admin").get("/andringslogg/?format=csv")
    assert export.status_code == 200
    assert "Gallring: Händelserapporter" in export.content.decode("utf-8-sig")
