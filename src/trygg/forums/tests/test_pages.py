"""Pages: lists with filters and exports, details, forms, and bad input refused in Swedish."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from trygg.forums import services
from trygg.forums.choices import CadenceKind, DecisionStatus, ForumKind
from trygg.forums.models import Decision, Forum, Meeting, MeetingAttachment
from trygg.forums.tests.conftest import PDF, at

pytestmark = pytest.mark.django_db


def test_the_forum_list_counts_meetings_against_the_cadence_and_exports_what_it_shows(data, login):
    c = login("samordnare")
    page = c.get(reverse("forums:forum_list"), {"year": 2023, "kind": "arbetsgrupp"})
    body = page.content.decode()
    assert "Trygg och säker Älta" in body and "Kommunstyrelsens trygghetsutskott" not in body
    assert "Genomförda möten 2023" in body
    export = c.get(
        reverse("forums:forum_list"), {"year": 2023, "kind": "arbetsgrupp", "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Namn", "Typ")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Trygg och säker Älta", "Trygg och säker Boo"}
    headers = list(rows[0])
    alta = by_name["Trygg och säker Älta"]
    assert alta[headers.index("Möten")] == 1
    assert alta[headers.index("Enligt frekvens")] == 6
    assert alta[headers.index("Öppna beslut")] == 1


def test_the_forum_page_shows_the_year_against_the_cadence(data, login):
    body = (
        login("samordnare")
        .get(reverse("forums:forum_detail", args=[data.alta.pk]), {"ar": 2023})
        .content.decode()
    )
    assert "1 av 6" in body
    assert "Polisen genomför en trygghetsvandring" in body
    assert reverse("forums:forum_ics", args=[data.alta.pk]) in body


def test_a_meeting_page_shows_sanitised_minutes_attachments_and_decisions(data, login):
    services.meeting_update(
        actor=None, meeting=data.alta_meeting, minutes="<p>Bra möte</p><script>alert(1)</script>"
    )
    body = (
        login("arbetsgrupp")
        .get(reverse("forums:meeting_detail", args=[data.alta_meeting.pk]))
        .content.decode()
    )
    assert "Bra möte" in body and "alert(1)" not in body
    assert "kallelse.pdf" in body
    assert "Polisen genomför en trygghetsvandring" in body
    assert "Trygghetsvandringar" in body  # the linked measure


def test_attachments_are_downloaded_through_the_access_check_only(data, login):
    url = reverse("forums:attachment_download", args=[data.attachment.pk])
    response = login("polis").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'attachment; filename="kallelse.pdf"' in response["Content-Disposition"]
    assert login("utomstaende").get(url).status_code == 404
    assert not data.attachment.file.url.startswith(
        reverse("forums:attachment_download", args=[1])[:5]
    )


def test_creating_a_forum_with_an_incomplete_cadence_shows_errors_next_to_the_fields(data, login):
    response = login("samordnare").post(
        reverse("forums:forum_create"),
        {
            "organisation": data.nacka.pk,
            "name": "Veckoavstämning goda krafter",
            "kind": ForumKind.VECKOAVSTAMNING,
            "cadence_kind": CadenceKind.WEEKLY,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Välj vilken veckodag mötena hålls." in body
    assert 'id="id_cadence_weekday_error"' in body
    assert not Forum.objects.filter(name="Veckoavstämning goda krafter").exists()


def test_a_forum_is_created_and_a_series_planned_from_the_pages(data, login):
    c = login("samordnare")
    response = c.post(
        reverse("forums:forum_create"),
        {
            "organisation": data.nacka.pk,
            "name": "Ungdomsutsättning",
            "kind": ForumKind.UNGDOMSUTSATTNING,
            "area": data.world.areas["Nacka"].pk,
            "member_organisations": [data.lpo.pk],
            "cadence_kind": CadenceKind.EVERY_N_WEEKS,
            "cadence_count": 6,
            "cadence_weekday": 2,
            "cadence_time": "13:00",
        },
    )
    forum = Forum.objects.get(name="Ungdomsutsättning")
    assert response.status_code == 302
    series = reverse("forums:meeting_series", args=[forum.pk])
    c.post(series, {"start": "2024-01-01", "until": "2024-12-31"})
    c.post(series, {"start": "2024-01-01", "until": "2024-12-31"})
    assert Meeting.objects.filter(forum=forum).count() == 9


def test_a_meeting_in_a_forum_the_user_cannot_see_is_a_404_and_nothing_is_written(data, login):
    before = Meeting.objects.count()
    response = login("arbetsgrupp").post(
        reverse("forums:meeting_create", args=[data.boo.pk]),
        {"date": "2024-03-12", "start_time": "09:00", "status": "planned"},
    )
    assert response.status_code == 404
    response = login("utomstaende").post(
        reverse("forums:meeting_series", args=[data.alta.pk]),
        {"start": "2024-01-01", "until": "2024-12-31"},
    )
    assert response.status_code == 404
    assert Meeting.objects.count() == before


def test_a_member_organisation_may_read_but_not_add_meetings(data, login):
    before = Meeting.objects.count()
    response = login("polis").post(
        reverse("forums:meeting_create", args=[data.alta.pk]),
        {"date": "2024-03-12", "start_time": "09:00", "status": "planned"},
    )
    assert response.status_code == 404
    assert Meeting.objects.count() == before


def test_a_wrong_meeting_date_is_refused_in_swedish(data, login):
    response = login("arbetsgrupp").post(
        reverse("forums:meeting_create", args=[data.alta.pk]),
        {"date": "2024-02-31", "start_time": "15:00", "end_time": "14:00", "status": "planned"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fyll i ett giltigt datum." in body
    response = login("arbetsgrupp").post(
        reverse("forums:meeting_create", args=[data.alta.pk]),
        {"date": "2023-01-11", "start_time": "15:00", "status": "planned"},
    )
    assert "Forumet har redan ett möte vid den tiden." in response.content.decode()
    assert 'id="id_start_time_error"' in response.content.decode()


def test_a_decision_owner_outside_the_partnership_is_refused_next_to_the_field(data, login):
    varmdo = data.world.organisations["varmdo"]
    before = Decision.objects.count()
    response = login("samordnare").post(
        reverse("forums:decision_create", args=[data.alta_meeting.pk]),
        {"text": "Värmdö ska göra det", "owner_organisation": varmdo.pk, "due_date": "2024-06-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_owner_organisation_error"' in body
    assert "Välj en organisation i forumets samverkan" in body
    assert Decision.objects.count() == before
    response = login("samordnare").post(
        reverse("forums:decision_create", args=[data.alta_meeting.pk]),
        {
            "text": "Ulf ska göra det",
            "owner_user": data.users["utomstaende"].pk,
            "due_date": "2024-06-01",
        },
    )
    assert 'id="id_owner_user_error"' in response.content.decode()
    assert Decision.objects.count() == before


def test_a_decision_is_recorded_with_a_measure_and_marked_done(data, login):
    c = login("arbetsgrupp")
    response = c.post(
        reverse("forums:decision_create", args=[data.alta_meeting.pk]),
        {
            "text": "Byta trasig belysning vid Älta centrum.",
            "owner_organisation": data.nacka.pk,
            "owner_user": data.users["arbetsgrupp"].pk,
            "due_date": "2024-06-01",
            "measures": [data.measure.pk],
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(text__startswith="Byta trasig")
    assert list(decision.measures.all()) == [data.measure]
    c.post(
        reverse("forums:decision_status", args=[decision.pk]),
        {"status": "done", "next": reverse("forums:followup")},
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.completed_on is not None


def test_a_status_change_does_not_redirect_to_another_site(data, login):
    response = login("samordnare").post(
        reverse("forums:decision_status", args=[data.boo_decision.pk]),
        {"status": "done", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("forums:decision_detail", args=[data.boo_decision.pk])


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("program.exe", b"MZ\x90\x00", "Filtypen är inte tillåten"),
        ("kallelse.pdf", b"MZ\x90\x00 not a pdf", "Filens innehåll stämmer inte"),
        ("stor.pdf", PDF + b"0" * 3000, "Filen är för stor"),
    ],
)
def test_a_forbidden_or_too_large_attachment_is_refused_in_swedish(
    data, login, settings, name, content, message
):
    settings.MAX_UPLOAD_BYTES = 2000
    before = MeetingAttachment.objects.count()
    response = login("samordnare").post(
        reverse("forums:attachment_upload", args=[data.alta_meeting.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and 'id="id_file_error"' in body
    assert MeetingAttachment.objects.count() == before


def test_an_allowed_attachment_is_stored_under_media_root(data, login, media):
    response = login("samordnare").post(
        reverse("forums:attachment_upload", args=[data.alta_empty_meeting.pk]),
        {"file": SimpleUploadedFile("Minnesanteckningar mars.docx", b"PK\x03\x04rest-of-zip")},
    )
    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=data.alta_empty_meeting)
    assert attachment.name == "Minnesanteckningar mars.docx"
    assert str(media) in attachment.file.path and attachment.file.path.endswith(".docx")
    assert "mars" not in attachment.file.name  # the stored name is random


def test_the_follow_up_lists_open_decisions_per_forum_and_owner_with_overdue_marked(data, login):
    services.decision_create(
        actor=None,
        meeting=data.alta_meeting,
        text="Framtida åtgärd",
        due_date=dt.date.today() + dt.timedelta(days=30),
        owner_organisation=data.nacka,
    )
    c = login("samordnare")
    body = c.get(reverse("forums:followup")).content.decode()
    assert body.count('class="is-overdue"') == 2
    assert "Framtida åtgärd" in body
    assert "Per ansvarig" in body and "Lokalpolisområde Nacka" in body
    export = c.get(reverse("forums:followup"), {"format": "csv", "forum": data.alta.pk})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Forum", "Ansvarig", "Beslut"]
    overdue = {row[2]: row[rows[0].index("Försenad")] for row in rows[1:]}
    assert overdue == {
        "Polisen genomför en trygghetsvandring i Älta centrum.": "ja",
        "Framtida åtgärd": "nej",
    }
    assert "Trygghetsvandringar" in export.content.decode("utf-8-sig")


def test_the_follow_up_hides_done_decisions_unless_asked(data, login):
    services.decision_set_status(actor=None, decision=data.boo_decision, status=DecisionStatus.DONE)
    c = login("samordnare")
    assert "Kartlägga mötesplatser" not in c.get(reverse("forums:followup")).content.decode()
    assert (
        "Kartlägga mötesplatser"
        in c.get(reverse("forums:followup"), {"status": "all"}).content.decode()
    )


def test_the_alta_member_sees_only_the_alta_decisions_in_the_follow_up(data, login):
    body = login("arbetsgrupp").get(reverse("forums:followup")).content.decode()
    assert "Polisen genomför" in body and "Kartlägga mötesplatser" not in body


def _forum_options(body: str) -> list[str]:
    import re

    select = re.search(r'<select name="forum"[^>]*>(.*?)</select>', body, flags=re.S)
    assert select
    return re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))


def test_the_follow_up_filter_offers_each_viewer_their_forums_and_a_new_one_at_once(data, login):
    everything = _forum_options(
        login("samordnare").get(reverse("forums:followup")).content.decode()
    )
    alta = _forum_options(login("arbetsgrupp").get(reverse("forums:followup")).content.decode())
    assert data.boo.name in everything and data.boo.name not in alta
    assert data.alta.name in alta
    services.forum_create(
        actor=None, organisation=data.nacka, name="Trygg och säker Saltsjöbaden", kind="arbetsgrupp"
    )
    body = login("samordnare").get(reverse("forums:followup")).content.decode()
    assert "Trygg och säker Saltsjöbaden" in _forum_options(body)


def _many(data, n=6):
    for i in range(n):
        forum = services.forum_create(
            actor=None,
            organisation=data.nacka,
            name=f"Forum {i}",
            kind=ForumKind.OVRIGT,
            member_organisations=[data.lpo],
            cadence_kind=CadenceKind.PER_YEAR,
            cadence_count=4,
        )
        meeting = services.meeting_create(
            actor=None, forum=forum, starts_at=at(dt.date(2023, 2, 1 + i))
        )
        services.decision_create(
            actor=None,
            meeting=meeting,
            text=f"Beslut {i}",
            due_date=dt.date(2023, 3, 1),
            owner_user=data.users["polis"],
            measures=[data.measure],
        )


def test_the_forum_list_does_not_query_per_row(data, login, count_queries):
    _many(data)
    c = login("samordnare")
    count_queries("forums.forum_list", lambda: c.get(reverse("forums:forum_list")))


def test_the_follow_up_does_not_query_per_row(data, login, count_queries):
    _many(data)
    c = login("samordnare")
    # The first view reads the ids of the forums the viewer may see and change and keeps
    # them (forums.selectors.forum_ids); the next one finds them in the cache.
    count_queries("forums.followup", lambda: c.get(reverse("forums:followup")))
    count_queries("forums.followup.warm", lambda: c.get(reverse("forums:followup")))


def test_the_forum_page_does_not_query_per_meeting(data, login, count_queries):
    for day in range(1, 20):
        services.meeting_create(actor=None, forum=data.alta, starts_at=at(dt.date(2023, 8, day)))
    c = login("samordnare")
    # The first view reads the forum, its meetings and decisions through restrict() and keeps
    # them (forums.reading); the next one finds them in the cache.
    count_queries(
        "forums.forum_detail",
        lambda: c.get(reverse("forums:forum_detail", args=[data.alta.pk]), {"ar": 2023}),
    )
    count_queries(
        "forums.forum_detail.warm",
        lambda: c.get(reverse("forums:forum_detail", args=[data.alta.pk]), {"ar": 2023}),
    )


def test_the_forum_page_kept_in_the_cache_shows_every_change_on_the_next_view(data, login):
    c = login("samordnare")
    url = reverse("forums:forum_detail", args=[data.alta.pk])

    def body() -> str:
        return c.get(url, {"ar": 2023}).content.decode()

    first = body()
    assert "1 av 6" in first
    assert data.alta_decision.text in first and "Inga öppna beslut." not in first
    assert "badge--meeting-cancelled" not in first
    assert "2023-09-13" not in first

    services.meeting_create(
        actor=None, forum=data.alta, starts_at=at(dt.date(2023, 9, 13)), status="held"
    )
    after_meeting = body()
    assert "2 av 6" in after_meeting and "2023-09-13" in after_meeting

    services.decision_set_status(
        actor=None,
        decision=data.alta_decision,
        status=DecisionStatus.DONE,
        completed_on=dt.date(2023, 4, 1),
    )
    after_decision = body()
    assert data.alta_decision.text not in after_decision
    assert "Inga öppna beslut." in after_decision

    services.meeting_update(actor=None, meeting=data.alta_empty_meeting, status="cancelled")
    assert "badge--meeting-cancelled" in body()

    def members() -> str:
        return body().split("<dt>Medlemmar</dt>")[1].split("</dd>")[0]

    police_officer = data.users["polis"].get_full_name()
    assert police_officer in members()
    services.forum_update(actor=None, forum=data.alta, members=[data.users["arbetsgrupp"]])
    assert police_officer not in members()


def test_the_forum_page_kept_in_the_cache_is_kept_per_viewer_scope(data, login):
    """What one viewer's view kept is never shown to a viewer with another scope: the
    buttons that need a change, and the forum itself, follow each viewer's restriction."""
    from trygg.core.models import Membership

    alta = reverse("forums:forum_detail", args=[data.alta.pk])
    boo = reverse("forums:forum_detail", args=[data.boo.pk])
    new_meeting = reverse("forums:meeting_create", args=[data.alta.pk])
    samordnare = login("samordnare")
    assert new_meeting in samordnare.get(alta).content.decode()
    assert samordnare.get(boo).status_code == 200
    polis = login("polis")
    page = polis.get(alta)
    assert page.status_code == 200 and new_meeting not in page.content.decode()
    assert login("arbetsgrupp").get(boo).status_code == 404
    assert login("utomstaende").get(alta).status_code == 404
    # The same user with another scope (no memberships left, changed without a signal).
    Membership.objects.filter(user=data.users["polis"]).update(is_active=False)
    assert polis.get(alta).status_code == 404


@pytest.mark.parametrize(
    "persona", ["admin", "samordnare", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende"]
)
def test_the_follow_ups_status_buttons_are_what_restrict_lets_through(data, login, persona):
    """The follow-up reads the decisions of the forums the viewer may see and decides whose
    status they may set from their scope and the forums they may change (both kept in the
    cache): exactly what restrict() for a view and for STATUS says, for every persona, with decisions owned by a person, by the partner and by the kommun, after the
    others' views warmed the cache."""
    from django.contrib.auth import get_user_model

    from trygg.forums.models import STATUS
    from trygg.forums.selectors import decisions_visible, status_settable

    _many(data, n=2)  # owned by the police officer in person
    for other in ("samordnare", "polis", "arbetsgrupp"):
        login(other).get(reverse("forums:followup"))
    user = get_user_model().objects.get(username=persona)
    seen = list(Decision.objects.restrict(user, "view").select_related("meeting"))
    expected = set(
        Decision.objects.restrict(user, STATUS)
        .filter(pk__in=[d.pk for d in seen])
        .values_list("pk", flat=True)
    )
    assert status_settable(user, seen) == expected
    assert set(decisions_visible(user)) == set(seen)  # the follow-up's rows
    page = login(persona).get(reverse("forums:followup"))
    if page.status_code == 200:
        assert page.content.decode().count('class="status-buttons"') == len(expected)


def test_the_forum_lists_summary_follows_a_new_meeting_and_each_viewers_scope(data, login):
    """The summary per kind is kept in the cache under the forums' version and the viewer's
    scope: a meeting held after a view shows on the next, and a member limited to Älta does
    not get the coordinator's reading."""
    from trygg.forums.choices import MeetingStatus

    def held(username):
        page = login(username).get(reverse("forums:forum_list"), {"year": 2023})
        return {kind.kind: kind.held for kind in page.context["kinds"]}

    before = held("samordnare")
    services.meeting_create(
        actor=None,
        forum=data.alta,
        starts_at=at(dt.date(2023, 11, 20), 17),
        status=MeetingStatus.HELD,
    )
    after = held("samordnare")
    assert after[ForumKind.ARBETSGRUPP] == before[ForumKind.ARBETSGRUPP] + 1
    limited = held("arbetsgrupp")
    assert sum(limited.values()) < sum(after.values())
