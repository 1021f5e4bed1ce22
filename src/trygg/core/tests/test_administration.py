"""Administration pages and API: the permission matrix for every persona, and an
administratör of one kommun against another kommun's people and organisations (404)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from trygg.core import services
from trygg.core.choices import OrganisationKind, Role
from trygg.core.models import AuditEntry, Invitation, Membership, Organisation, Partnership

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
    "admin_varmdo",  # administratör of Värmdö kommun
]


@pytest.fixture
def admin_world(world):
    varmdo_admin = services.user_create(
        actor=None, username="admin_varmdo", password="x" * 14, email="admin@varmdo.example"
    )
    services.membership_create(
        actor=None,
        user=varmdo_admin,
        organisation=world.organisations["varmdo"],
        role=Role.ADMINISTRATOR,
    )
    world.users["admin_varmdo"] = varmdo_admin
    world.organisations["bolag"] = services.organisation_register(
        actor=None,
        name="Nacka Vatten och Avfall AB",
        kind=OrganisationKind.BOLAG,
        parent=world.organisations["nacka"],
    )
    world.invitation, world.invitation_key = services.invitation_create(
        actor=None,
        organisation=world.organisations["nacka"],
        email="ny@nacka.example",
        role=Role.MEDLEM,
        send=False,
    )
    return world


def only(allowed: dict, default=404, anonymous=302):
    result = dict.fromkeys(PERSONAS, default)
    result["anonymous"] = anonymous
    result.update(allowed)
    return result


def everyone(code, anonymous=302):
    return {p: (anonymous if p == "anonymous" else code) for p in PERSONAS}


ADMINS = {"admin": 200, "admin_varmdo": 200}
NACKA_ADMIN = {"admin": 200}


def matrix(world):
    """GET status per persona for every administration page and endpoint."""
    nacka = world.organisations["nacka"]
    bolag = world.organisations["bolag"]
    samordnare = Membership.objects.get(user__username="samordnare")
    partnership = Partnership.objects.get(organisation=nacka)
    viewers = {p: 200 for p in ["admin", "samordnare", "arbetsgrupp", "sspf", "polis"]}
    invitation = world.invitation
    return [
        (reverse("core:first_run"), only(ADMINS)),
        (reverse("core:people"), only(ADMINS)),
        (reverse("core:people") + "?format=csv", only(ADMINS)),
        (reverse("core:membership_edit", args=[samordnare.pk]), only(NACKA_ADMIN)),
        (reverse("core:membership_deactivate", args=[samordnare.pk]), only(NACKA_ADMIN)),
        (reverse("core:invitation_list"), only(ADMINS)),
        (reverse("core:invitation_create"), only(ADMINS)),
        (reverse("core:organisation_create"), only(ADMINS)),
        (reverse("core:organisation_edit", args=[nacka.pk]), only(NACKA_ADMIN)),
        (reverse("core:organisation_edit", args=[bolag.pk]), only(NACKA_ADMIN)),
        (reverse("core:organisation_deactivate", args=[bolag.pk]), only(NACKA_ADMIN)),
        # Nobody deactivates their own top organisation.
        (reverse("core:organisation_deactivate", args=[nacka.pk]), only({})),
        (reverse("core:partnership_create"), only(ADMINS)),
        (reverse("core:partnership_detail", args=[partnership.pk]), only(viewers)),
        (
            reverse("core:invitation_accept", args=[world.invitation_key]),
            everyone(200, anonymous=200),
        ),
        (reverse("core:invitation_accept", args=["inv_forged"]), everyone(404, anonymous=404)),
        ("/api/memberships", everyone(200, anonymous=401)),
        (f"/api/memberships/{samordnare.pk}", only(NACKA_ADMIN, anonymous=401)),
        ("/api/invitations", everyone(200, anonymous=401)),
        (f"/api/invitations/{invitation.pk}", only(NACKA_ADMIN, anonymous=401)),
        ("/api/partnerships", everyone(200, anonymous=401)),
        (f"/api/partnerships/{partnership.pk}", only(viewers, anonymous=401)),
    ]


# Writes answered by POST only: (url, body, persona allowed) – others get 404.
def post_matrix(world):
    nacka = world.organisations["nacka"]
    partnership = Partnership.objects.get(organisation=nacka)
    samordnare = Membership.objects.get(user__username="samordnare")
    return [
        reverse("core:invitation_resend", args=[world.invitation.pk]),
        reverse("core:invitation_revoke", args=[world.invitation.pk]),
        reverse("core:partnership_end", args=[partnership.pk]),
        reverse("core:membership_reactivate", args=[samordnare.pk]),
        f"/api/memberships/{samordnare.pk}/deactivate",
        f"/api/invitations/{world.invitation.pk}/resend",
        f"/api/invitations/{world.invitation.pk}/revoke",
        f"/api/partnerships/{partnership.pk}/end",
        f"/api/organisations/{world.organisations['bolag'].pk}/deactivate",
    ]


def client_for(persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    return client


def test_every_administration_url_answers_each_persona_as_expected(admin_world):
    failures = []
    clients = {p: client_for(p) for p in PERSONAS}
    for url, expected in matrix(admin_world):
        for persona in PERSONAS:
            status = clients[persona].get(url).status_code
            if status != expected[persona]:
                failures.append(f"{persona} GET {url}: {status}, expected {expected[persona]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("admin", "anonymous")])
def test_no_one_but_nackas_administrator_can_post_to_nackas_administration(admin_world, persona):
    client = client_for(persona)
    before = AuditEntry.objects.count()
    for url in post_matrix(admin_world):
        status = client.post(url).status_code
        assert status == 404, f"{persona} POST {url}: {status}"
    assert AuditEntry.objects.count() == before


def test_another_kommuns_administrator_cannot_change_nackas_people_or_organisations(admin_world):
    client = client_for("admin_varmdo")
    nacka = admin_world.organisations["nacka"]
    samordnare = Membership.objects.get(user__username="samordnare")
    responses = [
        client.post(
            reverse("core:membership_edit", args=[samordnare.pk]),
            {"role": Role.ADMINISTRATOR, "title": ""},
        ),
        client.post(reverse("core:membership_deactivate", args=[samordnare.pk])),
        client.post(
            reverse("core:organisation_edit", args=[nacka.pk]),
            {"name": "Kapad", "kind": "kommun"},
        ),
        client.patch(
            f"/api/memberships/{samordnare.pk}",
            {"role": "administrator"},
            content_type="application/json",
        ),
        client.patch(
            f"/api/organisations/{nacka.pk}", {"name": "Kapad"}, content_type="application/json"
        ),
        client.post(
            "/api/invitations",
            {"email": "x@example.se", "organisation_id": nacka.pk, "role": "administrator"},
            content_type="application/json",
        ),
        client.post(
            "/api/organisations",
            {"name": "Kapad AB", "kind": "bolag", "parent_id": nacka.pk},
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    # The invite form offers only Värmdö, and a forged organisation is refused next to the field.
    page = client.post(
        reverse("core:invitation_create"),
        {"email": "x@example.se", "organisation": nacka.pk, "role": Role.MEDLEM},
    )
    assert page.status_code == 200
    assert "Välj ett giltigt alternativ" in page.content.decode()
    assert "Nacka kommun" not in page.content.decode()
    listing = client.get(reverse("core:people")).content.decode()
    assert "samordnare@example.se" not in listing and "admin@varmdo.example" in listing
    samordnare.refresh_from_db()
    nacka.refresh_from_db()
    assert samordnare.role == Role.SAMORDNARE and nacka.name == "Nacka kommun"
    assert not Invitation.objects.filter(email="x@example.se").exists()


def test_the_matrix_covers_every_administration_url_and_endpoint(admin_world):
    from django.urls import resolve

    from trygg.api import api
    from trygg.core import administration

    urls = [u for u, _e in matrix(admin_world)] + post_matrix(admin_world)
    names = {resolve(u.split("?")[0]).url_name for u in urls if not u.startswith("/api/")}
    from trygg.core import urls as core_urls

    admin_names = {
        p.name
        for p in core_urls.urlpatterns
        if getattr(p.callback, "__module__", "") == administration.__name__
        or getattr(getattr(p.callback, "view_class", None), "__module__", "")
        == administration.__name__
    }
    # organisation_create/edit/deactivate and the invitation pages are all in the rows above.
    assert admin_names - names == set()
    paths = [
        p
        for p in api.get_openapi_schema()["paths"]
        if p.startswith(("/api/memberships", "/api/invitations", "/api/partnerships"))
    ]
    covered = {u.split("?")[0] for u in urls if u.startswith("/api/")}
    for path in paths:
        pattern = path.split("{")[0]
        assert any(c == path or (("{" in path) and c.startswith(pattern)) for c in covered), path


# The flows through the pages


def test_an_administrator_invites_sets_role_and_area_and_deactivates(
    admin_world, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://testserver"
    admin = client_for("admin")
    nacka = admin_world.organisations["nacka"]
    boo = admin_world.areas["Boo"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("core:invitation_create"),
            {
                "email": "Kalle@Nacka.example",
                "organisation": nacka.pk,
                "role": Role.MEDLEM,
                "title": "Fältassistent",
                "areas": [boo.pk],
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kalle@nacka.example"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/inbjudan/" in line)
    path = link.replace("http://testserver", "")
    newcomer = Client()
    accepted = newcomer.post(
        path,
        {
            "first_name": "Kalle",
            "last_name": "Fält",
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
        },
    )
    assert accepted.status_code == 302 and accepted["Location"] == reverse("core:home")
    assert newcomer.get(path).status_code == 404  # single use
    membership = Membership.objects.get(user__email="kalle@nacka.example")
    assert membership.role == Role.MEDLEM and list(membership.areas.all()) == [boo]

    edit = admin.post(
        reverse("core:membership_edit", args=[membership.pk]),
        {"role": Role.SAMORDNARE, "title": "Samordnare", "areas": [admin_world.areas["Älta"].pk]},
    )
    assert edit.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.SAMORDNARE
    assert list(membership.areas.all()) == [admin_world.areas["Älta"]]
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="update").exists()

    assert newcomer.get("/").status_code == 200
    admin.post(reverse("core:membership_deactivate", args=[membership.pk]))
    assert newcomer.get("/").status_code == 302


def test_an_area_limit_from_another_organisation_is_refused_next_to_the_field(admin_world):
    admin = client_for("admin")
    bolag = admin_world.organisations["bolag"]
    response = admin.post(
        reverse("core:invitation_create"),
        {
            "email": "x@example.se",
            "organisation": bolag.pk,
            "role": Role.MEDLEM,
            "areas": [admin_world.areas["Boo"].pk],
        },
    )
    assert response.status_code == 200
    assert (
        "En områdesbegränsning måste vara ett av organisationens områden."
        in response.content.decode()
    )
    assert not Invitation.objects.filter(email="x@example.se").exists()


def test_the_people_list_filters_sorts_pages_and_exports(admin_world):
    admin = client_for("admin")
    page = admin.get(reverse("core:people"), {"role": Role.MEDLEM, "sort": "-name"})
    text = page.content.decode()
    assert "Arvid" in text and "Siv" in text and "Sara" not in text
    assert text.index("Siv") < text.index("Arvid")  # Socialsekreterare before Arbetsgrupp
    csv = admin.get(reverse("core:people"), {"role": Role.MEDLEM, "format": "csv"})
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Namn;E-post;Organisation;Roll")
    assert len(body.splitlines()) == 3
    xlsx = admin.get(reverse("core:people"), {"format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert (
        sheet.max_row
        == 1 + Membership.objects.filter(organisation=admin_world.organisations["nacka"]).count()
    )


def test_organisations_are_created_edited_and_deactivated_through_the_pages(admin_world):
    admin = client_for("admin")
    nacka = admin_world.organisations["nacka"]
    response = admin.post(
        reverse("core:organisation_create"),
        {"kind": OrganisationKind.FORENING, "owner": nacka.pk, "name": "Fisksätra IF"},
    )
    assert response.status_code == 302
    club = Organisation.objects.get(name="Fisksätra IF")
    assert club.steward == nacka and club.parent is None
    detail = admin.get(
        reverse("core:partnership_detail", args=[nacka.partnerships.get(partner=club).pk])
    )
    assert "Vad som delas" in detail.content.decode()
    admin.post(
        reverse("core:organisation_edit", args=[club.pk]),
        {"name": "Fisksätra Idrottsförening", "kind": OrganisationKind.FORENING},
    )
    club.refresh_from_db()
    assert club.name == "Fisksätra Idrottsförening"
    duplicate = admin.post(
        reverse("core:organisation_create"),
        {"kind": OrganisationKind.BOLAG, "owner": nacka.pk, "name": "Nacka kommun"},
    )
    assert "Det finns redan en organisation med det namnet." in duplicate.content.decode()
    admin.post(reverse("core:organisation_deactivate", args=[club.pk]))
    club.refresh_from_db()
    assert not club.is_active
    # The API does the same, with the same rules.
    api = admin.post(
        "/api/organisations",
        {"name": "Nacka Fritid AB", "kind": "bolag", "parent_id": nacka.pk},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["parent_id"] == nacka.pk


def test_the_api_invites_and_changes_a_membership(admin_world, django_capture_on_commit_callbacks):
    admin = client_for("admin")
    nacka = admin_world.organisations["nacka"]
    with django_capture_on_commit_callbacks(execute=True):
        created = admin.post(
            "/api/invitations",
            {
                "email": "api@nacka.example",
                "organisation_id": nacka.pk,
                "role": "medlem",
                "area_ids": [admin_world.areas["Boo"].pk],
            },
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "pending" and "key" not in created.json()
    assert len(mail.outbox) == 1
    samordnare = Membership.objects.get(user__username="samordnare")
    changed = admin.patch(
        f"/api/memberships/{samordnare.pk}",
        {"area_ids": [admin_world.areas["Älta"].pk]},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["area_ids"] == [
        admin_world.areas["Älta"].pk
    ]
    bad = admin.patch(
        f"/api/memberships/{samordnare.pk}",
        {"area_ids": [admin_world.areas["Nacka"].pk]},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_people_list_does_not_grow_its_queries_with_its_rows(admin_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = client_for("admin")
    with CaptureQueriesContext(connection) as few:
        admin.get(reverse("core:people"))
    nacka = admin_world.organisations["nacka"]
    for number in range(15):
        user = services.user_create(actor=None, username=f"extra{number}", password="x" * 14)
        services.membership_create(
            actor=None,
            user=user,
            organisation=nacka,
            role=Role.MEDLEM,
            areas=[admin_world.areas["Boo"]],
        )
    with CaptureQueriesContext(connection) as many:
        admin.get(reverse("core:people"))
    assert len(many) == len(few)


def test_a_person_with_a_login_accepts_an_invitation_after_logging_in(admin_world):
    polis = admin_world.users["polis"]
    invitation, key = services.invitation_create(
        actor=admin_world.users["admin"],
        organisation=admin_world.organisations["nacka"],
        email=polis.email,
        role=Role.LASARE,
        send=False,
    )
    url = reverse("core:invitation_accept", args=[key])
    anonymous = Client().get(url).content.decode()
    assert "Logga in för att tacka ja" in anonymous
    other = client_for("samordnare").get(url).content.decode()
    assert "du är inloggad som någon annan" in other
    client = client_for("polis")
    assert "Tacka ja till inbjudan" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert Membership.objects.filter(
        user=polis, organisation=admin_world.organisations["nacka"], role=Role.LASARE
    ).exists()
    assert Membership.objects.filter(
        user=polis, organisation__name="Lokalpolisområde Nacka"
    ).exists()
    assert client.get(url).status_code == 404


def test_the_invite_form_has_no_default_role_and_keeps_what_was_typed(admin_world):
    admin = client_for("admin")
    page = admin.get(reverse("core:invitation_create")).content.decode()
    assert '<option value="" selected>—</option>' in page
    response = admin.post(
        reverse("core:invitation_create"),
        {"email": "ny@nacka.example", "organisation": admin_world.organisations["nacka"].pk},
    )
    html = response.content.decode()
    assert "Detta fält måste fyllas i." in html and 'value="ny@nacka.example"' in html
    assert Invitation.objects.filter(email="ny@nacka.example").count() == 1  # only the fixture's
