"""Permission matrix for the core pages and API: every URL and endpoint × every persona.

Expected status per persona; "anonymous" is not logged in (302 to the login page, 401 from
the API). Every form is posted as every persona, with a valid CSRF token; writes aimed at
Tyresö kommun (no persona's) are 404 for all.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.core import services
from trygg.core.api import router
from trygg.core.models import Place
from trygg.core.testing import (
    PERSONAS,
    Row,
    assert_covers,
    assert_csrf_required,
    assert_matrix,
    client_for,
    everyone,
    foreign_organisation,
    forged,
    only,
    with_status,
)

pytestmark = pytest.mark.django_db

# Who may change Nacka's areas and places (the Älta group only in Älta).
NACKA_CHANGERS = {"admin", "samordnare", "arbetsgrupp", "sspf"}
# Those who may change something somewhere see the forms; Nacka is not among the choices of
# the police and Värmdö, so their post for Nacka is answered with an error (200).
OTHER_CHANGERS = {"polis": 200, "utomstaende": 200}


def matrix(world, tyreso=None):
    nacka = world.organisations["nacka"]
    lpo = world.organisations["lpo_nacka"]
    boo = world.areas["Boo"]
    alta, sicklaon = world.areas["Älta"], world.areas["Sicklaön"]
    alta_place = world.places["Älta centrum"]
    boo_place = world.places["Orminge centrum"]
    nacka_viewers = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}
    # The Älta working group does not see objects placed in Boo.
    nacka_boo_viewers = {"admin": 200, "samordnare": 200, "sspf": 200}
    geojson = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Älta östra"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[18.17, 59.25], [18.19, 59.25], [18.19, 59.27], [18.17, 59.25]]
                        ],
                    },
                }
            ],
        }
    ).encode()
    place = {"organisation": nacka.pk, "area": alta.pk, "name": "Älta bibliotek"}
    rows = [
        Row("get", "/", everyone(200)),
        Row("get", reverse("core:organisation_list"), everyone(200)),
        Row(
            "get",
            reverse("core:organisation_detail", args=[nacka.pk]),
            only({**nacka_viewers, "polis": 200}),
        ),
        Row(
            "get",
            reverse("core:organisation_detail", args=[lpo.pk]),
            only({**nacka_viewers, "polis": 200}),
        ),
        Row("get", reverse("core:area_list"), everyone(200)),
        Row("get", reverse("core:area_detail", args=[boo.pk]), only(nacka_viewers)),
        Row("get", reverse("core:area_detail", args=[world.areas["Nacka"].pk]), everyone(200)),
        Row("get", reverse("core:area_geojson", args=[world.areas["Nacka"].pk]), everyone(200)),
        Row("get", reverse("core:area_create"), everyone(200)),
        Row(
            "post",
            reverse("core:area_create"),
            only({**with_status(NACKA_CHANGERS, 302)}, default=200),
            payload={
                "organisation": nacka.pk,
                "parent": world.areas["Nacka"].pk,
                "kind": "kommundel",
                "name": "Nya kommundelen",
            },
        ),
        Row("get", reverse("core:area_import"), everyone(200)),
        Row(
            "post",
            reverse("core:area_import"),
            only({**with_status(NACKA_CHANGERS, 302)}, default=200),
            payload={
                "organisation": nacka.pk,
                "parent": alta.pk,
                "kind": "omrade",
                "name_property": "name",
            },
            files={"file": SimpleUploadedFile("omraden.geojson", geojson)},
        ),
        Row("get", reverse("core:place_list"), everyone(200)),
        Row("get", reverse("core:place_create"), everyone(200)),
        Row(
            "post",
            reverse("core:place_create"),
            only(with_status(NACKA_CHANGERS, 302), default=200),
            payload=place,
        ),
        Row(
            "post",
            reverse("core:place_create"),
            only(with_status(NACKA_CHANGERS - {"arbetsgrupp"}, 302), default=200),
            payload={**place, "area": sicklaon.pk},
            note="in Sicklaön: the Älta group is refused next to the field",
            check=_no_place_named("Älta bibliotek", unless={"admin", "samordnare", "sspf"}),
        ),
        Row(
            "get",
            reverse("core:place_edit", args=[alta_place.pk]),
            only({"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}),
        ),
        Row(
            "post",
            reverse("core:place_edit", args=[alta_place.pk]),
            only(with_status(NACKA_CHANGERS, 302)),
            payload={"area": alta.pk, "name": alta_place.name, "lat": 59.26, "lon": 18.179},
        ),
        Row(
            "post",
            reverse("core:place_edit", args=[alta_place.pk]),
            only({**with_status(NACKA_CHANGERS, 302), "arbetsgrupp": 200}),
            payload={"area": sicklaon.pk, "name": alta_place.name},
            note="moved to Sicklaön: the Älta group is refused next to the field",
        ),
        Row(
            "get",
            reverse("core:place_edit", args=[boo_place.pk]),
            only({"admin": 200, "samordnare": 200, "sspf": 200}),
        ),
        Row(
            "get",
            reverse("core:history", args=["core", "place", boo_place.pk]),
            only(nacka_boo_viewers),
        ),
        Row(
            "get",
            reverse("core:history", args=["core", "organisation", nacka.pk]),
            only({**nacka_viewers, "polis": 200}),
        ),
        Row("get", reverse("core:audit_log"), only({"admin": 200})),
        Row("get", reverse("core:api_tokens"), everyone(200)),
        Row("post", reverse("core:api_tokens"), everyone(200), payload={"name": "Rapporter"}),
        # Two-factor: each user's own; verifying needs a device (the demo admin has one).
        Row("get", reverse("core:two_factor"), everyone(200)),
        Row("get", reverse("core:two_factor_enrol"), everyone(200)),
        Row("post", reverse("core:two_factor_enrol"), everyone(200), payload={"token": "000000"}),
        Row("get", reverse("core:two_factor_verify"), only({"admin": 200}, default=302)),
        Row(
            "post",
            reverse("core:two_factor_verify"),
            only({"admin": 200}, default=302),
            payload={"token": "000000"},
        ),
        # Recovery codes are shown only right after they are made.
        Row("get", reverse("core:two_factor_recovery_codes"), everyone(302)),
        Row("get", reverse("core:two_factor_regenerate"), everyone(405)),  # POST only
        Row("post", reverse("core:two_factor_regenerate"), everyone(302), payload={}),
        Row("get", reverse("core:two_factor_disable"), everyone(405)),  # POST only
        Row("post", reverse("core:two_factor_disable"), everyone(302), payload={}),
        # Single sign-on is off unless configured (tested on in test_sso.py).
        Row("get", reverse("core:sso_start"), everyone(404, anonymous=404)),
        Row("get", reverse("core:sso_callback"), everyone(404, anonymous=404)),
        # The API description needs a login unless TRYGG_API_DOCS_PUBLIC publishes it (the
        # hardening made it so; test_hardening.py checks the setting).
        Row("get", "/api/docs", everyone(200, anonymous=302)),
        Row("get", "/api/organisations", everyone(200, anonymous=401)),
        Row(
            "get",
            f"/api/organisations/{nacka.pk}",
            only({**nacka_viewers, "polis": 200}, anonymous=401),
        ),
        Row("get", "/api/areas", everyone(200, anonymous=401)),
        Row("get", f"/api/areas/{boo.pk}", only(nacka_viewers, anonymous=401)),
        Row(
            "post",
            "/api/areas",
            only(with_status(NACKA_CHANGERS, 201), anonymous=401),
            payload={
                "organisation_id": nacka.pk,
                "parent_id": world.areas["Nacka"].pk,
                "kind": "kommundel",
                "name": "Nya kommundelen",
            },
        ),
        Row(
            "patch",
            f"/api/areas/{alta.pk}",
            # The kommun's areas are its structure: the Älta group does not change them.
            only(with_status(NACKA_CHANGERS - {"arbetsgrupp"}, 200), anonymous=401),
            payload={"name": "Älta"},
        ),
        Row("get", "/api/places", everyone(200, anonymous=401)),
        Row("get", f"/api/places/{boo_place.pk}", only(nacka_boo_viewers, anonymous=401)),
        Row(
            "post",
            "/api/places",
            only(with_status(NACKA_CHANGERS, 201), anonymous=401),
            payload={"organisation_id": nacka.pk, "area_id": alta.pk, "name": "Älta bibliotek"},
        ),
        Row(
            "post",
            "/api/places",
            only({**with_status(NACKA_CHANGERS, 201), "arbetsgrupp": 422}, anonymous=401),
            payload={
                "organisation_id": nacka.pk,
                "area_id": sicklaon.pk,
                "name": "Sickla bibliotek",
            },
            note="in Sicklaön",
        ),
        Row(
            "patch",
            f"/api/places/{alta_place.pk}",
            only(with_status(NACKA_CHANGERS, 200), anonymous=401),
            payload={"name": alta_place.name},
        ),
        Row(
            "patch",
            f"/api/places/{alta_place.pk}",
            only({**with_status(NACKA_CHANGERS, 200), "arbetsgrupp": 422}, anonymous=401),
            payload={"area_id": sicklaon.pk},
            note="moved to Sicklaön",
        ),
    ]
    if tyreso is not None:
        organisation, area, place_ = tyreso
        rows += [
            forged("post", reverse("core:place_edit", args=[place_.pk]), {"name": "x"}),
            forged("patch", f"/api/areas/{area.pk}", {"name": "x"}),
            forged("patch", f"/api/places/{place_.pk}", {"name": "x"}),
            forged(
                "post",
                "/api/places",
                {"organisation_id": organisation.pk, "area_id": area.pk, "name": "x"},
            ),
            forged(
                "post",
                "/api/areas",
                {
                    "organisation_id": organisation.pk,
                    "parent_id": area.pk,
                    "kind": "omrade",
                    "name": "x",
                },
            ),
            # Nacka's place moved into Tyresö's area: the area is not Nacka's.
            Row(
                "patch",
                f"/api/places/{alta_place.pk}",
                only({}, anonymous=401),
                payload={"area_id": area.pk},
                note="into another kommun's area",
            ),
        ]
    return rows


def _no_place_named(name, *, unless):
    def check(persona, response):
        if persona not in unless:
            assert not Place.objects.filter(name=name).exists(), f"{name} was created"

    return check


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_core_url_and_endpoint_answers_each_persona_as_expected(world, persona):
    assert_matrix(matrix(world, foreign_organisation()), persona)


def test_every_core_write_needs_the_csrf_token(world):
    assert_csrf_required(matrix(world))


def test_the_matrix_covers_every_core_url_and_endpoint(world):
    assert_covers(
        matrix(world),
        namespace="core",
        read_only={
            "home",
            "organisation_list",
            "organisation_detail",
            "area_list",
            "area_detail",
            "area_geojson",
            "place_list",
            "history",
            "audit_log",
            "two_factor",
            "two_factor_recovery_codes",
            "sso_start",
            "sso_callback",
        },
        # POST only, for one's own token: tested below. The administration pages and
        # endpoints have their own matrix, with an administratör of a second kommun
        # (test_administration.py, with its own coverage check).
        exempt={"api_token_delete", *administration_page_names()},
        exempt_api=(
            "/api/organisations",
            "/api/partnerships",
            "/api/memberships",
            "/api/invitations",
        ),
        router=router,
        api_prefix="/api",
    )


def administration_page_names() -> set[str]:
    from trygg.core import administration
    from trygg.core import urls as core_urls

    def module(pattern) -> str:
        view = getattr(pattern.callback, "view_class", pattern.callback)
        return getattr(view, "__module__", "")

    return {p.name for p in core_urls.urlpatterns if module(p) == administration.__name__}


def test_an_area_limited_member_cannot_create_or_move_a_place_outside_their_areas(world):
    """Älta's working group: no place in Sicklaön, and Älta centrum stays in Älta."""
    alta_place = world.places["Älta centrum"]
    sicklaon = world.areas["Sicklaön"]
    client = client_for("arbetsgrupp")
    response = client.post(
        reverse("core:place_edit", args=[alta_place.pk]),
        {"area": sicklaon.pk, "name": alta_place.name},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    response = client.patch(
        f"/api/places/{alta_place.pk}",
        json.dumps({"area_id": sicklaon.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    alta_place.refresh_from_db()
    assert alta_place.area == world.areas["Älta"]
    with pytest.raises(Exception, match="own areas|egna områden"):
        services.place_create(
            actor=world.users["arbetsgrupp"],
            organisation=world.organisations["nacka"],
            area=sicklaon,
            name="Sickla bibliotek",
        )
    assert not Place.objects.filter(name="Sickla bibliotek").exists()


@pytest.mark.parametrize(
    "persona,expected", [("samordnare", 302), ("utomstaende", 404), ("anonymous", 302)]
)
def test_deleting_another_users_token_is_a_404(world, persona, expected):
    _token, _key = services.api_token_create(actor=world.users["samordnare"], name="mine")
    status = (
        client_for(persona).post(reverse("core:api_token_delete", args=[_token.pk])).status_code
    )
    assert status == expected
