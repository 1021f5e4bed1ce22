"""Every page and API endpoint of the lägesbild for every persona, with the expected status.

Rules behind the table:
- The analyses need VIEW in some organisation: the reporter (REPORT only) gets 404, the
  police (partner of Nacka) and Värmdö see an organisation's analyses (Värmdö its own).
- A situation picture and its problems are visible to the owner and its partners (polis),
  not to Värmdö. Writing the picture needs a whole-organisation membership; problems may be
  written by area-limited members when they touch their area (Älta). Delete needs DELETE.
- Out of scope is 404, never 403. Anonymous users are sent to the login page (302); the API
  answers 401.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.core.testing import (
    Row,
    assert_covers,
    assert_csrf_required,
    assert_matrix,
    empty_posts,
)
from trygg.plans import services as plan_services
from trygg.situation import services
from trygg.situation.models import Problem

PERSONAS = [
    "admin",
    "samordnare",
    "arbetsgrupp",
    "polis",
    "rapportor",
    "sspf",
    "utomstaende",
    "anonymous",
]


def row(admin, samordnare, arbetsgrupp, polis, rapportor, sspf, utomstaende, anonymous):
    return dict(
        zip(
            PERSONAS,
            [admin, samordnare, arbetsgrupp, polis, rapportor, sspf, utomstaende, anonymous],
            strict=True,
        )
    )


ANALYSIS = row(200, 200, 200, 200, 404, 200, 200, 302)
API_ANALYSIS = row(200, 200, 200, 200, 404, 200, 200, 401)
SHARED = row(200, 200, 200, 200, 404, 200, 404, 302)
API_SHARED = row(200, 200, 200, 200, 404, 200, 404, 401)
WHOLE_CHANGE = row(200, 200, 404, 404, 404, 200, 404, 302)
DELETE = row(200, 200, 404, 404, 404, 404, 404, 302)

# (url name, kwargs key, method, expectations); kwargs keys are filled from the fixture.
PAGES = [
    ("overview", None, "get", ANALYSIS),
    ("weekly", None, "get", ANALYSIS),
    ("time_of_week", None, "get", ANALYSIS),
    ("places", None, "get", ANALYSIS),
    ("picture_list", None, "get", row(200, 200, 200, 200, 200, 200, 200, 302)),
    # Whole-organisation members may start a lägesbild for their own organisation.
    ("picture_create", None, "get", row(200, 200, 404, 200, 404, 200, 200, 302)),
    ("picture_detail", "picture", "get", SHARED),
    ("picture_edit", "picture", "get", WHOLE_CHANGE),
    ("picture_delete", "picture", "get", DELETE),
    ("problem_create", "picture_pk", "get", row(200, 200, 200, 404, 404, 200, 404, 302)),
    ("problem_detail", "problem", "get", SHARED),
    # A problem of the whole kommun: not for the Älta member …
    ("problem_edit", "problem", "get", WHOLE_CHANGE),
    # … but one that touches Älta is.
    ("problem_edit", "alta_problem", "get", row(200, 200, 200, 404, 404, 200, 404, 302)),
    ("problem_delete", "problem", "get", DELETE),
    ("cause_analysis_edit", "problem", "get", WHOLE_CHANGE),
    ("problem_measure_add", "problem", "get", row(405, 405, 405, 405, 405, 405, 405, 302)),
    ("problem_measure_add", "problem", "post", row(302, 302, 404, 404, 404, 302, 404, 302)),
    (
        "problem_measure_remove",
        "link",
        "get",
        row(405, 405, 405, 405, 405, 405, 405, 302),
    ),
    ("problem_measure_remove", "link", "post", row(302, 302, 404, 404, 404, 302, 404, 302)),
    # The law's chain: the checklist and the samordningsfunktion of Nacka (?organisation=),
    # sources (whole organisation), a problem's status, the plan's measures by problem.
    ("law_checklist", "nacka_query", "get", SHARED),
    ("coordination_function", "nacka_query", "get", SHARED),
    ("coordination_function", "nacka_query", "post", row(302, 302, 404, 404, 404, 302, 404, 302)),
    ("source_create", "picture", "get", WHOLE_CHANGE),
    ("source_edit", "source", "get", WHOLE_CHANGE),
    ("source_delete", "source", "get", WHOLE_CHANGE),
    ("problem_status", "problem", "get", row(405, 405, 405, 405, 405, 405, 405, 302)),
    ("problem_status", "problem", "post", row(302, 302, 404, 404, 404, 302, 404, 302)),
    ("plan_by_problem", "plan", "get", SHARED),
]

API = [
    ("/api/situation/time-of-week", API_ANALYSIS),
    ("/api/situation/places", API_ANALYSIS),
    ("/api/situation/trend", API_ANALYSIS),
    ("/api/situation/weekly", API_ANALYSIS),
    ("/api/situation/police-events", API_ANALYSIS),
    ("/api/situation/map", API_ANALYSIS),
    ("/api/situation/pictures", row(200, 200, 200, 200, 200, 200, 200, 401)),
    ("/api/situation/pictures/{picture}", API_SHARED),
    ("/api/situation/problems/{problem}", API_SHARED),
]


@pytest.fixture
def objects(world, generated, picture):
    nacka = world.organisations["nacka"]
    plan = plan_services.plan_create(
        actor=None,
        organisation=nacka,
        title="Åtgärdsplan 2024",
        partner_organisations=[world.organisations["lpo_nacka"]],
    )
    measures = [
        plan_services.measure_create(actor=None, plan=plan, title=f"Insats {n}") for n in range(3)
    ]
    problem = Problem.objects.get(situation_picture=picture, priority=1)  # no areas
    alta = Problem.objects.get(situation_picture=picture, priority=2)  # Boo, Fisksätra, Älta
    source = services.picture_source_create(
        actor=None, picture=picture, kind="staff_dialogue", title="Medarbetardialog"
    )
    return {
        "picture": picture,
        "source": source,
        "plan": plan,
        "problem": problem,
        "alta_problem": alta,
        "measures": measures,
        "nacka": nacka,
    }


def matrix(objects) -> list[Row]:
    link = services.problem_measure_link(
        actor=None, problem=objects["problem"], measure=objects["measures"][0]
    )
    rows = []
    for name, key, method, expected in PAGES:
        kwargs = {}
        payload = None
        if key == "picture_pk":
            kwargs = {"picture_pk": objects["picture"].pk}
        elif key == "link":
            kwargs = {"pk": objects["problem"].pk, "link_pk": link.pk}
        elif key and key != "nacka_query":
            kwargs = {"pk": objects[key].pk}
        if name == "problem_measure_add":
            payload = {"measure": objects["measures"][1].pk, "note": "Svarar mot problemet"}
        if name == "coordination_function":
            payload = {"title": "Säkerhetsstrateg"}
        if name == "problem_status":
            payload = {"status": "bevakas", "on": "2025-01-15", "note": "Bevakas"}
        if method == "get":
            # A GET sends no form: data given to the test client's get() would replace the
            # ?organisation= of the URL, and the page would show the reader's own kommun.
            payload = None
        url = reverse(f"situation:{name}", kwargs=kwargs)
        if key == "nacka_query":
            url += f"?organisation={objects['nacka'].pk}"
        rows.append(Row(method, url, expected, payload))
    for path, expected in API:
        url = path.format(picture=objects["picture"].pk, problem=objects["problem"].pk)
        rows.append(Row("get", url, expected))
    rows += empty_posts(
        rows,
        [
            "situation:picture_create",
            "situation:picture_edit",
            "situation:problem_create",
            "situation:problem_edit",
        ],
    )
    source = services.picture_source_create(
        actor=None, picture=objects["picture"], kind="reported_crime", title="Anmälda brott"
    )
    picture_pk, problem_pk = objects["picture"].pk, objects["problem"].pk
    chain = [
        Row("get", reverse("situation:law_checklist"), ANALYSIS),
        Row("get", reverse("situation:coordination_function"), ANALYSIS),
        Row("get", reverse("situation:source_create", args=[picture_pk]), WHOLE_CHANGE),
        Row("get", reverse("situation:source_edit", args=[source.pk]), WHOLE_CHANGE),
        Row("get", reverse("situation:source_delete", args=[source.pk]), WHOLE_CHANGE),
        # A form on the problem page: POST only.
        Row(
            "get",
            reverse("situation:problem_status", args=[problem_pk]),
            row(405, 405, 405, 405, 405, 405, 405, 302),
        ),
        Row("get", reverse("situation:plan_by_problem", args=[objects["plan"].pk]), SHARED),
    ]
    rows += chain
    rows += empty_posts(chain, ["situation:source_create", "situation:source_edit"], invalid=400)
    refused = {k: (400 if v == 200 else v) for k, v in WHOLE_CHANGE.items()}
    rows += [
        Row(
            "post",
            reverse("situation:problem_status", args=[problem_pk]),
            refused,
            payload={"empty": "1"},
        ),
        # Each kommun names its own coordination function; the Älta group (limited to an
        # area) names none.
        Row(
            "post",
            reverse("situation:coordination_function"),
            {
                **{k: (400 if v == 200 else v) for k, v in ANALYSIS.items()},
                "arbetsgrupp": 404,
                "polis": 404,  # the police is no kommun: it has no samordningsfunktion
            },
            payload={"empty": "1"},
        ),
    ]
    rows.append(
        Row(
            "post",
            reverse("situation:source_delete", args=[source.pk]),
            {k: (302 if v == 200 else v) for k, v in WHOLE_CHANGE.items()},
        )
    )
    moved = {k: (302 if v == 200 else v) for k, v in DELETE.items()}
    rows += [
        # Every field of a cause analysis may be empty: an empty form is saved.
        Row(
            "post",
            reverse("situation:cause_analysis_edit", args=[objects["problem"].pk]),
            {k: (302 if v == 200 else v) for k, v in WHOLE_CHANGE.items()},
            payload={"empty": "1"},
        ),
        Row("post", reverse("situation:problem_delete", args=[objects["problem"].pk]), moved),
        Row("post", reverse("situation:picture_delete", args=[objects["picture"].pk]), moved),
    ]
    return rows


def test_the_table_covers_every_url_and_endpoint(objects):
    from trygg.situation import api

    assert_covers(
        matrix(objects),
        namespace="situation",
        read_only={
            "overview",
            "weekly",
            "time_of_week",
            "places",
            "picture_list",
            "picture_detail",
            "problem_detail",
            "law_checklist",
            "plan_by_problem",
        },
        router=api.router,
        api_prefix="/api/situation",
    )


@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_and_endpoint_answers_each_persona_as_the_table_says(objects, username):
    assert_matrix(matrix(objects), username)


def test_every_situation_write_needs_the_csrf_token(objects):
    assert_csrf_required(matrix(objects))


def test_out_of_scope_objects_are_404_not_403(objects, login):
    client = login("utomstaende")
    for name in ("picture_detail", "picture_edit", "picture_delete"):
        assert (
            client.get(reverse(f"situation:{name}", args=[objects["picture"].pk])).status_code
            == 404
        )
    assert client.get(f"/api/situation/pictures/{objects['picture'].pk}").status_code == 404
    # A forged organisation in the filters is a form error, not somebody else's figures.
    response = client.get(reverse("situation:overview"), {"organisation": objects["nacka"].pk})
    assert response.status_code == 200
    assert response.context["organisation"].name == "Värmdö kommun"
    response = client.get("/api/situation/places", {"organisation": objects["nacka"].pk})
    assert response.status_code == 404  # an id the user may not use is nobody's, in the API
