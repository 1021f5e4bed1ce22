"""Permission matrix: every forums URL and API endpoint × every persona (and anonymous).

The expected status is written out per persona. 302 for pages means "sent to the login page"
for anonymous and "done, redirected" after a successful POST; out of scope is always 404.

Who is who here: the Älta working group is owned by Nacka kommun (area Älta) with LPO Nacka
as member organisation. So Nacka's unlimited members (admin, samordnare, sspf) and the Älta
member see and change it; the police see it but may only set the status of the decision they
own; the reporter and Värmdö see nothing.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.core.testing import (
    Row,
    assert_covers,
    assert_csrf_required,
    assert_matrix,
    client_for,
    empty_posts,
)
from trygg.forums import services
from trygg.forums.tests.conftest import PNG

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "admin",
    "samordnare",
    "arbetsgrupp",
    "polis",
    "rapportor",
    "sspf",
    "utomstaende",
]
LOGGED_IN = PERSONAS[1:]

READ_ONLY = {
    "attachment_download",
    "calendar_feed",
    "decision_detail",
    "followup",
    "forum_detail",
    "forum_ics",
    "forum_list",
    "meeting_detail",
}
FORMS = [
    "forums:attachment_upload",
    "forums:calendar_feeds",
    "forums:decision_create",
    "forums:decision_edit",
    "forums:decision_measure_create",
    "forums:forum_create",
    "forums:forum_edit",
    "forums:meeting_create",
    "forums:meeting_edit",
    "forums:meeting_series",
]
VIEW = {"admin", "samordnare", "arbetsgrupp", "polis", "sspf"}
VIEW_BOO = VIEW - {"arbetsgrupp"}
CHANGE = {"admin", "samordnare", "arbetsgrupp", "sspf"}
DELETE = {"admin", "samordnare"}
STATUS = CHANGE | {"polis"}  # the police own the Älta decision
ADD_ANYWHERE = set(LOGGED_IN) - {"rapportor"}


def expect(allowed, ok=200, denied=404, anonymous=302):
    return {
        p: anonymous if p == "anonymous" else (ok if p in allowed else denied) for p in PERSONAS
    }


def everyone(ok=200, anonymous=302):
    return expect(set(LOGGED_IN), ok=ok, anonymous=anonymous)


def pages(data, key, feed):
    """(method, url name, url, expected) – POSTs that change or delete come last."""
    a, m, d = data.alta, data.alta_meeting, data.alta_decision
    return [
        ("get", "forum_list", reverse("forums:forum_list"), everyone()),
        ("get", "forum_create", reverse("forums:forum_create"), expect(ADD_ANYWHERE)),
        ("get", "followup", reverse("forums:followup"), everyone()),
        ("get", "forum_detail", reverse("forums:forum_detail", args=[a.pk]), expect(VIEW)),
        (
            "get",
            "forum_detail",
            reverse("forums:forum_detail", args=[data.boo.pk]),
            expect(VIEW_BOO),
        ),
        ("get", "forum_edit", reverse("forums:forum_edit", args=[a.pk]), expect(CHANGE)),
        ("get", "meeting_create", reverse("forums:meeting_create", args=[a.pk]), expect(CHANGE)),
        ("get", "meeting_series", reverse("forums:meeting_series", args=[a.pk]), expect(CHANGE)),
        ("get", "forum_ics", reverse("forums:forum_ics", args=[a.pk]), expect(VIEW)),
        ("get", "forum_subscribe", reverse("forums:forum_subscribe", args=[a.pk]), expect(VIEW)),
        ("get", "calendar_feeds", reverse("forums:calendar_feeds"), everyone()),
        # The secret address is the credential: it answers without a login.
        (
            "get",
            "calendar_feed",
            reverse("forums:calendar_feed", args=[key]),
            everyone(anonymous=200),
        ),
        (
            "get",
            "calendar_feed",
            reverse("forums:calendar_feed", args=["cal_wrong"]),
            everyone(404, anonymous=404),
        ),
        ("get", "meeting_detail", reverse("forums:meeting_detail", args=[m.pk]), expect(VIEW)),
        (
            "get",
            "meeting_detail",
            reverse("forums:meeting_detail", args=[data.boo_meeting.pk]),
            expect(VIEW_BOO),
        ),
        ("get", "meeting_edit", reverse("forums:meeting_edit", args=[m.pk]), expect(CHANGE)),
        (
            "get",
            "meeting_delete",
            reverse("forums:meeting_delete", args=[data.alta_empty_meeting.pk]),
            expect(DELETE),
        ),
        (
            "get",
            "attachment_upload",
            reverse("forums:attachment_upload", args=[m.pk]),
            expect(CHANGE),
        ),
        ("get", "decision_create", reverse("forums:decision_create", args=[m.pk]), expect(CHANGE)),
        (
            "get",
            "attachment_download",
            reverse("forums:attachment_download", args=[data.attachment.pk]),
            expect(VIEW),
        ),
        ("get", "decision_detail", reverse("forums:decision_detail", args=[d.pk]), expect(VIEW)),
        (
            "get",
            "decision_detail",
            reverse("forums:decision_detail", args=[data.boo_decision.pk]),
            expect(VIEW_BOO),
        ),
        ("get", "decision_edit", reverse("forums:decision_edit", args=[d.pk]), expect(CHANGE)),
        (
            "get",
            "decision_measure_create",
            reverse("forums:decision_measure_create", args=[d.pk]),
            expect(CHANGE),
        ),
        # POST-only views answer a GET with 405 once logged in.
        ("get", "decision_status", reverse("forums:decision_status", args=[d.pk]), everyone(405)),
        (
            "get",
            "attachment_delete",
            reverse("forums:attachment_delete", args=[data.attachment.pk]),
            everyone(405),
        ),
        (
            "get",
            "calendar_feed_delete",
            reverse("forums:calendar_feed_delete", args=[feed.pk]),
            everyone(405),
        ),
        ("post", "forum_subscribe", reverse("forums:forum_subscribe", args=[a.pk]), expect(VIEW)),
        (
            "post",
            "decision_status",
            reverse("forums:decision_status", args=[d.pk]),
            expect(STATUS, ok=302),
        ),
        (
            "post",
            "meeting_delete",
            reverse("forums:meeting_delete", args=[data.alta_empty_meeting.pk]),
            expect(DELETE, ok=302),
        ),
        (
            "post",
            "attachment_delete",
            reverse("forums:attachment_delete", args=[data.attachment.pk]),
            expect(CHANGE, ok=302),
        ),
        (
            "post",
            "calendar_feed_delete",
            reverse("forums:calendar_feed_delete", args=[feed.pk]),
            expect({"samordnare"}, ok=302),
        ),
    ]


def endpoints(data):
    """(method, path template, url, json body, expected) for the API; anonymous gets 401."""
    a, m, d = data.alta, data.alta_meeting, data.alta_decision
    api = "/api/forums"
    forum_body = {
        "organisation_id": data.nacka.pk,
        "name": "Ny grupp",
        "kind": "ovrigt",
        "area_id": data.world.areas["Älta"].pk,
    }
    meeting_body = {"forum_id": a.pk, "starts_at": "2024-02-07T15:00:00+01:00"}
    decision_body = {
        "meeting_id": m.pk,
        "text": "Nytt beslut",
        "due_date": "2024-03-01",
        "owner_organisation_id": data.nacka.pk,
    }

    def api_expect(allowed, ok=200):
        return expect(allowed, ok=ok, anonymous=401)

    return [
        ("get", "/api/forums/forums", f"{api}/forums", None, everyone(anonymous=401)),
        ("get", "/api/forums/forums/{forum_id}", f"{api}/forums/{a.pk}", None, api_expect(VIEW)),
        (
            "get",
            "/api/forums/forums/{forum_id}/years",
            f"{api}/forums/{a.pk}/years",
            None,
            api_expect(VIEW),
        ),
        ("post", "/api/forums/forums", f"{api}/forums", forum_body, api_expect(CHANGE, ok=201)),
        (
            "patch",
            "/api/forums/forums/{forum_id}",
            f"{api}/forums/{a.pk}",
            {"description": "x"},
            api_expect(CHANGE),
        ),
        (
            "post",
            "/api/forums/forums/{forum_id}/series",
            f"{api}/forums/{a.pk}/series",
            {"start": "2024-01-01", "until": "2024-03-31"},
            api_expect(CHANGE, ok=201),
        ),
        ("get", "/api/forums/meetings", f"{api}/meetings", None, everyone(anonymous=401)),
        (
            "get",
            "/api/forums/meetings/{meeting_id}",
            f"{api}/meetings/{m.pk}",
            None,
            api_expect(VIEW),
        ),
        (
            "post",
            "/api/forums/meetings",
            f"{api}/meetings",
            meeting_body,
            api_expect(CHANGE, ok=201),
        ),
        (
            "patch",
            "/api/forums/meetings/{meeting_id}",
            f"{api}/meetings/{m.pk}",
            {"location": "Älta"},
            api_expect(CHANGE),
        ),
        (
            "post",
            "/api/forums/meetings/{meeting_id}/attachments",
            f"{api}/meetings/{m.pk}/attachments",
            "file",
            api_expect(CHANGE, ok=201),
        ),
        ("get", "/api/forums/decisions", f"{api}/decisions", None, everyone(anonymous=401)),
        (
            "get",
            "/api/forums/decisions/{decision_id}",
            f"{api}/decisions/{d.pk}",
            None,
            api_expect(VIEW),
        ),
        (
            "post",
            "/api/forums/decisions",
            f"{api}/decisions",
            decision_body,
            api_expect(CHANGE, ok=201),
        ),
        (
            "patch",
            "/api/forums/decisions/{decision_id}",
            f"{api}/decisions/{d.pk}",
            {"reference": "KFKS-2023-00001"},
            api_expect(CHANGE),
        ),
        (
            "post",
            "/api/forums/decisions/{decision_id}/status",
            f"{api}/decisions/{d.pk}/status",
            {"status": "done"},
            api_expect(STATUS),
        ),
        (
            "post",
            "/api/forums/decisions/{decision_id}/measures",
            f"{api}/decisions/{d.pk}/measures",
            {"plan_id": data.plan.pk, "title": "Ny åtgärd"},
            api_expect(CHANGE, ok=201),
        ),
        (
            "post",
            "/api/forums/forums/{forum_id}/calendar-feeds",
            f"{api}/forums/{a.pk}/calendar-feeds",
            {},
            api_expect(VIEW, ok=201),
        ),
        (
            "delete",
            "/api/forums/attachments/{attachment_id}",
            f"{api}/attachments/{data.attachment.pk}",
            None,
            api_expect(CHANGE, ok=204),
        ),
        (
            "delete",
            "/api/forums/meetings/{meeting_id}",
            f"{api}/meetings/{data.alta_empty_meeting.pk}",
            None,
            api_expect(DELETE, ok=204),
        ),
    ]


@pytest.fixture
def feed(data):
    return services.calendar_feed_create(actor=data.users["samordnare"], forum=data.alta)


def matrix(data, feed) -> list[Row]:
    feed_row, key = feed
    rows = [
        Row(method, url, expected) for method, _name, url, expected in pages(data, key, feed_row)
    ]
    for method, _template, url, body, expected in endpoints(data):
        if body == "file":
            rows.append(
                Row(method, url, expected, files={"file": SimpleUploadedFile("karta.png", PNG)})
            )
        else:
            rows.append(Row(method, url, expected, payload=body))
    return rows + empty_posts(rows, FORMS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_forums_page_and_endpoint_answers_the_persona_as_expected(data, feed, persona):
    assert_matrix(matrix(data, feed), persona)


def test_every_forums_write_needs_the_csrf_token(data, feed):
    assert_csrf_required(matrix(data, feed))


def test_the_matrix_covers_every_forums_url_and_endpoint(data, feed):
    from trygg.forums.api import router

    assert_covers(
        matrix(data, feed),
        namespace="forums",
        read_only=READ_ONLY,
        router=router,
        api_prefix="/api/forums",
    )


def test_the_alta_member_cannot_reach_boo_even_with_a_forged_id(data):
    client = client_for("arbetsgrupp")
    for name, pk in [
        ("forums:forum_edit", data.boo.pk),
        ("forums:meeting_create", data.boo.pk),
        ("forums:meeting_edit", data.boo_meeting.pk),
        ("forums:decision_create", data.boo_meeting.pk),
        ("forums:decision_edit", data.boo_decision.pk),
    ]:
        assert client.post(reverse(name, args=[pk]), {"date": "2024-01-01"}).status_code == 404
    assert (
        client.post(
            reverse("forums:decision_status", args=[data.boo_decision.pk]), {"status": "done"}
        ).status_code
        == 404
    )
    data.boo_decision.refresh_from_db()
    assert data.boo_decision.status == "open"
    assert data.boo_meeting.decisions.count() == 1
    assert dt.date(2023, 3, 14) == data.boo_meeting.starts_at.date()
