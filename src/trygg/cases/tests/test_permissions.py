"""Permission matrix: every case URL and API endpoint × every persona (and anonymous).

Participants only (need-to-know): everyone else gets a 404 whether or not the case exists.
Every permitted read of a case writes an access-log row for that user and case in the same
request. The police partner persona `polis` is in no case and sees none.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from trygg.cases.models import Case
from trygg.core.models import AccessLogEntry
from trygg.forums import services as forum_services
from trygg.forums.choices import ForumKind, MeetingStatus

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
    "kurator",
    "ungdomspolis",
    "varmdo_sspf",
    "enhetschef",
    "socjour",
]
CASE_USERS = {"sspf", "kurator", "ungdomspolis", "varmdo_sspf", "enhetschef", "socjour"}
IN_ALVA = {"sspf", "kurator", "ungdomspolis", "varmdo_sspf"}
COORDINATOR = {"sspf"}
NACKA_MEMBERS = {"admin", "samordnare", "arbetsgrupp", "sspf", "kurator", "enhetschef", "socjour"}


def expect(allowed, ok=200, denied=404, anonymous=302):
    return {p: anonymous if p == "anonymous" else ok if p in allowed else denied for p in PERSONAS}


@pytest.fixture
def meeting(cases):
    forum = forum_services.forum_create(
        actor=None,
        organisation=cases.nacka,
        name="SSPF-forum",
        kind=ForumKind.SSPF,
        area=cases.world.areas["Nacka"],
    )
    return forum_services.meeting_create(
        actor=None,
        forum=forum,
        starts_at=timezone.now() - dt.timedelta(days=1),
        status=MeetingStatus.HELD,
    )


def matrix(cases, meeting):
    """(url, expected by persona, the case whose read must be logged or None)."""
    a = cases.alva
    participant = a.participants.get(user__username="kurator")
    stats = f"?organisation={cases.nacka.pk}&year=2023&programme=sspf"
    return [
        (reverse("cases:case_list"), expect(CASE_USERS), None),
        (reverse("cases:case_list") + "?q=Alva", expect(CASE_USERS), None),
        (reverse("cases:case_list") + "?format=csv", expect(CASE_USERS), None),
        (reverse("cases:case_list") + "?format=xlsx", expect(CASE_USERS), None),
        (reverse("cases:case_create"), expect(COORDINATOR), None),
        (reverse("cases:case_detail", args=[a.pk]), expect(IN_ALVA), a),
        (
            reverse("cases:case_detail", args=[cases.omar.pk]),
            expect({"sspf", "kurator"}),
            cases.omar,
        ),
        (reverse("cases:case_detail", args=[cases.nils.pk]), expect(COORDINATOR), cases.nils),
        (reverse("cases:case_detail", args=[999999]), expect(set()), None),
        (reverse("cases:case_edit", args=[a.pk]), expect(COORDINATOR), a),
        (reverse("cases:case_close", args=[a.pk]), expect(COORDINATOR), a),
        (reverse("cases:plan_entry_add", args=[a.pk]), expect(IN_ALVA), a),
        (reverse("cases:note_add", args=[a.pk]), expect(IN_ALVA), a),
        (reverse("cases:satisfaction_add", args=[a.pk]), expect(IN_ALVA), a),
        (reverse("cases:consent_add", args=[a.pk]), expect(COORDINATOR), a),
        (reverse("cases:participant_add", args=[a.pk]), expect(COORDINATOR), a),
        (reverse("cases:plan_follow_up", args=[cases.entry.pk]), expect(IN_ALVA), a),
        (reverse("cases:consent_withdraw", args=[cases.consent.pk]), expect(COORDINATOR), a),
        (reverse("cases:participant_remove", args=[participant.pk]), expect(COORDINATOR), a),
        (reverse("cases:case_access_log", args=[a.pk]), expect({"sspf", "enhetschef"}), None),
        (
            reverse("cases:case_access_log", args=[cases.nils.pk]),
            expect({"sspf", "enhetschef"}),
            None,
        ),
        (reverse("cases:access_log"), expect(CASE_USERS), None),
        (reverse("cases:emergency"), expect({"socjour"}), None),
        (reverse("cases:case_roles"), expect({"admin"}), None),
        (
            reverse("cases:statistics"),
            expect(
                NACKA_MEMBERS - {"admin", "samordnare", "arbetsgrupp"}
                | {"admin", "samordnare", "arbetsgrupp"}
            ),
            None,
        ),
        (reverse("cases:statistics") + stats, expect(NACKA_MEMBERS), None),
        (reverse("cases:meeting_note_add", args=[meeting.pk]), expect({"sspf", "kurator"}), None),
        ("/api/cases/", expect(CASE_USERS, anonymous=401), None),
        ("/api/cases/?q=Alva", expect(CASE_USERS, anonymous=401), None),
        (f"/api/cases/{a.pk}", expect(IN_ALVA, anonymous=401), a),
        (f"/api/cases/{cases.nils.pk}", expect(COORDINATOR, anonymous=401), cases.nils),
        (f"/api/cases/statistics{stats}", expect(NACKA_MEMBERS, anonymous=401), None),
    ]


def client_for(persona):
    client = Client()
    if persona != "anonymous":
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=persona))
    return client


def _logged(persona, case) -> int:
    return AccessLogEntry.objects.filter(
        actor__username=persona,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case.pk),
    ).count()


def test_every_case_url_and_endpoint_as_every_persona(cases, meeting):
    failures = []
    for url, expected, logged_case in matrix(cases, meeting):
        for persona in PERSONAS:
            before = _logged(persona, logged_case) if logged_case else 0
            status = client_for(persona).get(url).status_code
            if status != expected[persona]:
                failures.append(f"{persona} GET {url}: {status}, expected {expected[persona]}")
            elif logged_case and status == 200 and _logged(persona, logged_case) != before + 1:
                failures.append(f"{persona} GET {url}: the read was not logged")
            elif logged_case and status != 200 and _logged(persona, logged_case) != before:
                failures.append(f"{persona} GET {url}: a refused read was logged")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_search_finds_only_the_users_cases(cases, persona):
    response = client_for(persona).post(
        "/api/cases/search", {"q": "Exempelsson"}, content_type="application/json"
    )
    if persona == "anonymous":
        assert response.status_code == 401
    elif persona not in CASE_USERS:
        assert response.status_code == 404
    else:
        assert response.json()["count"] == (1 if persona in IN_ALVA else 0)
        assert _logged(persona, cases.alva) == (1 if persona in IN_ALVA else 0)


def test_every_case_url_is_in_the_matrix(cases, meeting):
    covered = {url.split("?")[0] for url, _expected, _case in matrix(cases, meeting)}
    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "cases":
            names |= {p.name for p in pattern.url_patterns}
    resolved = set()
    from django.urls import resolve

    for url in covered:
        match = resolve(url)
        if match.namespace == "cases":
            resolved.add(match.url_name)
    assert names - resolved - {"case_role_revoke"} == set()


@pytest.mark.parametrize(
    "persona,cases_seen",
    [
        ("sspf", {"alva", "omar", "nils"}),
        ("kurator", {"alva", "omar"}),
        ("ungdomspolis", {"alva"}),
        ("varmdo_sspf", {"alva"}),
        ("enhetschef", set()),
        ("socjour", set()),
    ],
)
def test_lists_search_export_and_api_show_only_the_users_cases_and_log_each(
    cases, persona, cases_seen
):
    client = client_for(persona)
    names = {"alva": "Alva Exempelsson", "omar": "Omar Provqvist", "nils": "Nils Utansamtycke"}
    ids = {getattr(cases, key).pk: key for key in names}
    for url in [
        reverse("cases:case_list"),
        reverse("cases:case_list") + "?q=Exempelsson",
        reverse("cases:case_list") + "?format=csv",
        "/api/cases/",
    ]:
        before = {key: _logged(persona, getattr(cases, key)) for key in names}
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode("utf-8")
        for key, name in names.items():
            searched_away = "q=" in url and key != "alva"
            visible = key in cases_seen and not searched_away
            assert (name in text) == visible, (url, key)
            assert _logged(persona, getattr(cases, key)) == before[key] + (1 if visible else 0)
    assert set(ids.values()) >= cases_seen


def test_the_police_partner_sees_no_case_and_no_count(cases):
    client = client_for("polis")
    assert client.get(reverse("cases:case_list")).status_code == 404
    assert client.get("/api/cases/").status_code == 404
    stats = f"?organisation={cases.nacka.pk}&year=2023&programme=sspf"
    assert client.get(f"/api/cases/statistics{stats}").status_code == 404
    home = client.get(reverse("core:home")).content.decode()
    assert "Ungdomssamverkan" not in home and "/ungdomar/" not in home


def test_the_navigation_entry_shows_only_to_those_who_can_read_cases(cases):
    for persona in PERSONAS[1:]:
        page = client_for(persona).get(reverse("core:home")).content.decode()
        assert ('href="/ungdomar/"' in page) == (persona in CASE_USERS), persona
