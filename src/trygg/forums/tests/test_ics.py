"""The .ics export: RFC 5545 line endings, folding, escaping, stable UIDs, and the
secret subscription address."""

import datetime as dt

import pytest
from django.urls import reverse

from trygg.forums import ics, services
from trygg.forums.choices import MeetingStatus
from trygg.forums.tests.conftest import at


def _event(**overrides):
    values = dict(
        uid="meeting-1@trygg",
        starts_at=dt.datetime(2023, 3, 8, 14, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2023, 3, 8, 15, 0, tzinfo=dt.UTC),
        stamp=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        summary="Trygg och säker Älta",
    )
    values.update(overrides)
    return ics.Event(**values)


def test_lines_end_in_crlf_and_are_folded_at_75_octets_without_splitting_characters():
    text = "Åtgärder för ökad trygghet i Älta centrum; belysning, klotter och nedskräpning " * 3
    body = ics.calendar("Älta", [_event(description=text)])
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8
    unfolded = body.decode("utf-8").replace("\r\n ", "")
    assert "DESCRIPTION:" + ics.escape_text(text) in unfolded
    assert "\\;" in unfolded and "\\," in unfolded


def test_times_are_in_utc_and_a_cancelled_meeting_says_so():
    body = ics.calendar("Älta", [_event(cancelled=True)]).decode()
    assert "DTSTART:20230308T140000Z" in body and "DTEND:20230308T150000Z" in body
    assert "STATUS:CANCELLED" in body
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")


@pytest.mark.django_db
def test_the_forum_calendar_has_one_stable_uid_per_meeting(data, login):
    c = login("samordnare")
    url = reverse("forums:forum_ics", args=[data.alta.pk])
    first = c.get(url)
    assert first["Content-Type"].startswith("text/calendar")
    body = first.content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert f"UID:meeting-{data.alta_meeting.pk}@trygg" in body
    assert "DTSTART:20230111T140000Z" in body  # 15:00 in Stockholm (CET)
    assert "Trygghetsvandring" not in body  # minutes stay in Trygg
    services.meeting_create(
        actor=None,
        forum=data.alta,
        starts_at=at(dt.date(2023, 9, 13)),
        status=MeetingStatus.PLANNED,
    )
    second = c.get(url).content.decode()
    assert second.count("BEGIN:VEVENT") == 3
    assert f"UID:meeting-{data.alta_meeting.pk}@trygg" in second


@pytest.mark.django_db
def test_a_subscription_address_works_without_login_until_revoked(data, login, client):
    c = login("polis")
    page = c.post(reverse("forums:forum_subscribe", args=[data.alta.pk]))
    url = page.context["feed_url"]
    path = url.split("testserver", 1)[1]
    response = client.get(path)
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    assert client.get(path.replace("cal_", "cal_x")).status_code == 404
    feed = data.users["polis"].calendar_feeds.get()
    c.post(reverse("forums:calendar_feed_delete", args=[feed.pk]))
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_subscription_stops_when_its_user_no_longer_sees_the_forum(data, login, client):
    _feed, key = services.calendar_feed_create(actor=data.users["polis"], forum=data.alta)
    path = reverse("forums:calendar_feed", args=[key])
    assert client.get(path).status_code == 200
    services.forum_update(actor=None, forum=data.alta, member_organisations=[])
    assert client.get(path).status_code == 404


HOSTILE = "Möte; del 1, <b>x</b>\\y\r\nATTENDEE:mailto:evil@example.com\x0b\x00slut"


def test_every_text_property_is_escaped_and_no_value_starts_a_new_line():
    event = _event(
        summary=HOSTILE,
        location=HOSTILE,
        description=HOSTILE,
        uid="meeting-1@trygg\r\nATTENDEE:x",
        url="https://trygg.example/m/1\r\nATTENDEE:y",
    )
    body = ics.calendar(HOSTILE, [event]).decode("utf-8")
    unfolded = body.replace("\r\n ", "")
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n") if line]
    assert "ATTENDEE" not in names
    assert not any(c in body for c in "\x0b\x00")
    escaped = "Möte\\; del 1\\, <b>x</b>\\\\y\\nATTENDEE:mailto:evil@example.com" + "slut"
    for name in ("X-WR-CALNAME", "SUMMARY", "LOCATION", "DESCRIPTION"):
        assert f"{name}:{escaped}" in unfolded.split("\r\n")
