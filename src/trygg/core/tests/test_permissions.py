"""Permission matrix for the core pages and API: every URL × every persona.

Expected status per persona; "anonymous" is not logged in. 302 means sent to the login page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from trygg.core import services

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


def everyone(code, anonymous=302):
    return {p: (anonymous if p == "anonymous" else code) for p in PERSONAS}


def only(allowed: dict, default=404, anonymous=302):
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(allowed)
    return result


def matrix(world):
    nacka = world.organisations["nacka"]
    lpo = world.organisations["lpo_nacka"]
    boo = world.areas["Boo"]
    alta_place = world.places["Älta centrum"]
    boo_place = world.places["Orminge centrum"]
    nacka_viewers = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}
    # The Älta working group does not see objects placed in Boo.
    nacka_boo_viewers = {"admin": 200, "samordnare": 200, "sspf": 200}
    return [
        ("/", everyone(200)),
        (reverse("core:organisation_list"), everyone(200)),
        (
            reverse("core:organisation_detail", args=[nacka.pk]),
            only({**nacka_viewers, "polis": 200}),
        ),
        (reverse("core:organisation_detail", args=[lpo.pk]), only({**nacka_viewers, "polis": 200})),
        (reverse("core:area_list"), everyone(200)),
        (reverse("core:area_detail", args=[boo.pk]), only(nacka_viewers)),
        (reverse("core:area_detail", args=[world.areas["Nacka"].pk]), everyone(200)),
        (reverse("core:area_geojson", args=[world.areas["Nacka"].pk]), everyone(200)),
        (reverse("core:area_create"), everyone(200)),
        (reverse("core:area_import"), everyone(200)),
        (reverse("core:place_list"), everyone(200)),
        (reverse("core:place_create"), everyone(200)),
        (
            reverse("core:place_edit", args=[alta_place.pk]),
            only({"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}),
        ),
        (
            reverse("core:place_edit", args=[boo_place.pk]),
            only({"admin": 200, "samordnare": 200, "sspf": 200}),
        ),
        (reverse("core:history", args=["core", "place", boo_place.pk]), only(nacka_boo_viewers)),
        (
            reverse("core:history", args=["core", "organisation", nacka.pk]),
            only({**nacka_viewers, "polis": 200}),
        ),
        (reverse("core:audit_log"), only({"admin": 200})),
        (reverse("core:api_tokens"), everyone(200)),
        # Two-factor: each user's own; verifying needs a device (the demo admin has one).
        (reverse("core:two_factor"), everyone(200)),
        (reverse("core:two_factor_enrol"), everyone(200)),
        (reverse("core:two_factor_verify"), only({"admin": 200}, default=302)),
        (reverse("core:two_factor_recovery_codes"), everyone(302)),  # only right after making
        (reverse("core:two_factor_regenerate"), everyone(405)),  # POST only
        (reverse("core:two_factor_disable"), everyone(405)),  # POST only
        # Single sign-on is off unless configured (tested on in test_sso.py).
        (reverse("core:sso_start"), everyone(404, anonymous=404)),
        (reverse("core:sso_callback"), everyone(404, anonymous=404)),
        ("/api/docs", everyone(200, anonymous=200)),
        ("/api/organisations", everyone(200, anonymous=401)),
        (f"/api/organisations/{nacka.pk}", only({**nacka_viewers, "polis": 200}, anonymous=401)),
        ("/api/areas", everyone(200, anonymous=401)),
        (f"/api/areas/{boo.pk}", only(nacka_viewers, anonymous=401)),
        ("/api/places", everyone(200, anonymous=401)),
        (f"/api/places/{boo_place.pk}", only(nacka_boo_viewers, anonymous=401)),
    ]


def client_for(persona):
    from django.contrib.auth import get_user_model

    client = Client()
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    return client


def test_every_core_url_answers_each_persona_as_expected(world):
    failures = []
    for url, expected in matrix(world):
        for persona in PERSONAS:
            status = client_for(persona).get(url).status_code
            if status != expected[persona]:
                failures.append(f"{persona} GET {url}: {status}, expected {expected[persona]}")
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_core_url_and_endpoint(world):
    from trygg.api import api
    from trygg.core import urls as core_urls

    covered = {url for url, _expected in matrix(world)}
    from trygg.core import administration

    # The administration pages have their own matrix (test_administration.py), with an
    # administratör of a second kommun.
    names = {
        p.name
        for p in core_urls.urlpatterns
        if getattr(p.callback, "__module__", "") != administration.__name__
        and getattr(getattr(p.callback, "view_class", None), "__module__", "")
        != administration.__name__
    }
    resolved = set()
    from django.urls import resolve

    for url in covered:
        try:
            match = resolve(url)
        except Exception:  # noqa: BLE001
            continue
        if match.namespace == "core":
            resolved.add(match.url_name)
    missing_pages = names - resolved - {"api_token_delete"}  # POST only: tested below
    assert not missing_pages, f"core pages without a matrix row: {missing_pages}"
    paths = {
        path
        for path in api.get_openapi_schema()["paths"]
        if not path.startswith(
            (
                "/api/plans",
                "/api/forums",
                "/api/budget",
                "/api/incidents",
                "/api/stats",
                "/api/situation",
                "/api/cases",
                "/api/reports",
                "/api/memberships",
                "/api/invitations",
                "/api/partnerships",
            )
        )
    }
    covered_paths = {u.split("?")[0] for u in covered}
    normalised = set()
    for path in paths:
        prefix = path.split("{")[0]
        if any(
            c == path or (("{" in path) and c.startswith(prefix) and c != prefix.rstrip("/"))
            for c in covered_paths
        ):
            normalised.add(path)
    assert paths == normalised, f"core API paths without a matrix row: {paths - normalised}"


@pytest.mark.parametrize(
    "persona,expected", [("samordnare", 302), ("utomstaende", 404), ("anonymous", 302)]
)
def test_deleting_another_users_token_is_a_404(world, persona, expected):
    _token, _key = services.api_token_create(actor=world.users["samordnare"], name="mine")
    status = (
        client_for(persona).post(reverse("core:api_token_delete", args=[_token.pk])).status_code
    )
    assert status == expected
