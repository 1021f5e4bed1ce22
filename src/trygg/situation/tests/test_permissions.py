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
from django.urls import URLPattern, get_resolver, reverse

from trygg.plans import services as plan_services
from trygg.situation import services
from trygg.situation.models import Problem, ProblemMeasure

PERSONAS = ["admin", "samordnare", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende", None]


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


def test_the_table_covers_every_url_and_endpoint():
    from trygg.situation import api, urls

    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for name, *_ in PAGES}
    paths = set()
    for path, path_view in api.router.path_operations.items():
        for _operation in path_view.operations:
            paths.add(
                path.replace("{picture_id}", "{picture}").replace("{problem_id}", "{problem}")
            )
    assert {p.removeprefix("/api/situation") for p, _ in API} == paths
    assert get_resolver()  # the URLconf loads


def _client(login, username):
    if username is None:
        from django.test import Client

        return Client()
    return login(username)


@pytest.mark.parametrize("username", PERSONAS, ids=lambda u: u or "anonymous")
def test_pages_answer_each_persona_as_the_table_says(objects, login, username):
    client = _client(login, username)
    failures = []
    for name, key, method, expected in PAGES:
        kwargs = {}
        data = {}
        if key == "picture_pk":
            kwargs = {"picture_pk": objects["picture"].pk}
        elif key == "link":
            link = services.problem_measure_link(
                actor=None, problem=objects["problem"], measure=objects["measures"][0]
            )
            kwargs = {"pk": objects["problem"].pk, "link_pk": link.pk}
        elif key and key != "nacka_query":
            kwargs = {"pk": objects[key].pk}
        if name == "problem_measure_add":
            ProblemMeasure.objects.filter(problem=objects["problem"]).delete()
            data = {"measure": objects["measures"][1].pk, "note": "Svarar mot problemet"}
        if name == "coordination_function":
            data = {"title": "Säkerhetsstrateg"}
        if name == "problem_status":
            data = {"status": "bevakas", "on": "2025-01-15", "note": "Bevakas"}
        url = reverse(f"situation:{name}", kwargs=kwargs)
        if key == "nacka_query":
            url += f"?organisation={objects['nacka'].pk}"
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        if response.status_code != expected[username]:
            failures.append(
                f"{method.upper()} {name} {url}: {response.status_code} != {expected[username]}"
            )
        ProblemMeasure.objects.filter(problem=objects["problem"]).delete()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("username", PERSONAS, ids=lambda u: u or "anonymous")
def test_api_answers_each_persona_as_the_table_says(objects, login, username):
    client = _client(login, username)
    failures = []
    for path, expected in API:
        url = path.format(picture=objects["picture"].pk, problem=objects["problem"].pk)
        response = client.get(url)
        if response.status_code != expected[username]:
            failures.append(f"GET {url}: {response.status_code} != {expected[username]}")
    assert not failures, "\n".join(failures)


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
    assert response.status_code == 422
