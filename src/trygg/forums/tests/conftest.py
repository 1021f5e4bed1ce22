"""Fixtures for the forums tests: the Älta and Boo working groups, the committee, meetings,
a plan measure and decisions, on top of the personas' world."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trygg.forums import services
from trygg.forums.choices import CadenceKind, ForumKind, MeetingStatus, Weekday

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def at(day: dt.date, hour: int = 15, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are hashed once per test; argon2 makes that the slowest part
    of the suite. Password hashing itself is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(world):
    from trygg.plans import services as plan_services

    nacka = world.organisations["nacka"]
    lpo = world.organisations["lpo_nacka"]
    users = world.users
    alta = services.forum_create(
        actor=None,
        organisation=nacka,
        name="Trygg och säker Älta",
        kind=ForumKind.ARBETSGRUPP,
        area=world.areas["Älta"],
        member_organisations=[lpo],
        members=[users["arbetsgrupp"], users["polis"]],
        cadence_kind=CadenceKind.PER_YEAR,
        cadence_count=6,
        cadence_weekday=Weekday.WEDNESDAY,
        cadence_time=dt.time(15, 0),
    )
    boo = services.forum_create(
        actor=None,
        organisation=nacka,
        name="Trygg och säker Boo",
        kind=ForumKind.ARBETSGRUPP,
        area=world.areas["Boo"],
        member_organisations=[lpo],
        cadence_kind=CadenceKind.PER_YEAR,
        cadence_count=6,
    )
    committee = services.forum_create(
        actor=None,
        organisation=nacka,
        name="Kommunstyrelsens trygghetsutskott",
        kind=ForumKind.UTSKOTT,
        area=world.areas["Nacka"],
        cadence_kind=CadenceKind.PER_YEAR,
        cadence_count=6,
    )
    alta_meeting = services.meeting_create(
        actor=None,
        forum=alta,
        starts_at=at(dt.date(2023, 1, 11)),
        location="Älta bibliotek",
        status=MeetingStatus.HELD,
        agenda="1. Lägesbild\n2. Åtgärder",
        minutes="Trygghetsvandring beslutades.",
        participants=[users["arbetsgrupp"], users["polis"]],
        represented_organisations=[nacka, lpo],
    )
    alta_empty_meeting = services.meeting_create(
        actor=None, forum=alta, starts_at=at(dt.date(2023, 5, 10)), status=MeetingStatus.PLANNED
    )
    boo_meeting = services.meeting_create(
        actor=None, forum=boo, starts_at=at(dt.date(2023, 3, 14), 9), status=MeetingStatus.HELD
    )
    plan = plan_services.plan_create(
        actor=None,
        organisation=nacka,
        title="Plan för samverkan 2023",
        partner_organisations=[lpo],
    )
    measure = plan_services.measure_create(
        actor=None, plan=plan, title="Trygghetsvandringar", areas=[world.areas["Älta"]]
    )
    alta_decision = services.decision_create(
        actor=None,
        meeting=alta_meeting,
        text="Polisen genomför en trygghetsvandring i Älta centrum.",
        due_date=dt.date(2023, 5, 1),
        owner_user=users["polis"],
        owner_organisation=lpo,
        measures=[measure],
    )
    boo_decision = services.decision_create(
        actor=None,
        meeting=boo_meeting,
        text="Kartlägga mötesplatser i Orminge centrum.",
        due_date=dt.date(2023, 6, 1),
        owner_organisation=nacka,
    )
    attachment = services.attachment_add(
        actor=None,
        meeting=alta_meeting,
        upload=SimpleUploadedFile("kallelse.pdf", PDF, content_type="application/pdf"),
    )
    return SimpleNamespace(
        world=world,
        nacka=nacka,
        lpo=lpo,
        users=users,
        alta=alta,
        boo=boo,
        committee=committee,
        alta_meeting=alta_meeting,
        alta_empty_meeting=alta_empty_meeting,
        boo_meeting=boo_meeting,
        plan=plan,
        measure=measure,
        alta_decision=alta_decision,
        boo_decision=boo_decision,
        attachment=attachment,
    )
