"""Permission matrix for the plans pages and API: every URL and endpoint × every persona.

The plan is Nacka kommun's, shared with LPO Nacka. ``m_alta`` is in Älta with Kommun and
Polis responsible; ``m_boo`` is in Boo with only Kommun responsible. Expected status per
persona; "anonymous" is not logged in (302 to the login page, 401 from the API). Writes use
values that change nothing where the same row runs for several personas.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
    form_payload,
    only,
    with_status,
)
from trygg.plans import services
from trygg.plans.api import router
from trygg.plans.forms import (
    ActivityForm,
    FocusAreaForm,
    MeasureForm,
    MeasureStatusForm,
    PlanForm,
    TargetForm,
)
from trygg.plans.models import MeasureStatus


def build(world):
    nacka, lpo = world.organisations["nacka"], world.organisations["lpo_nacka"]
    plan = services.plan_create(
        actor=None,
        organisation=nacka,
        title="Plan för samverkan",
        partner_organisations=[lpo],
    )
    focus_area = services.focus_area_create(actor=None, plan=plan, title="Platssamverkan")
    activity = services.activity_create(
        actor=None, plan=plan, focus_area=focus_area, title="Trygghetsvandringar"
    )
    m_alta = services.measure_create(
        actor=None,
        plan=plan,
        activity=activity,
        title="Trygghetsvandring Älta",
        action="Vandring i Älta centrum",
        responsibles=[("Kommun", "Brå"), ("Polis", "")],
        areas=[world.areas["Älta"]],
    )
    m_boo = services.measure_create(
        actor=None,
        plan=plan,
        activity=activity,
        title="Trygghetsvandring Orminge",
        responsibles=[("Kommun", "Brå")],
        areas=[world.areas["Boo"]],
    )
    target = services.target_create(
        actor=None, measure=m_alta, description="Minst 2 vandringar per år", value=2
    )
    status = MeasureStatus.objects.get(organisation=nacka, category="ongoing")
    return {
        "plan": plan,
        "focus_area": focus_area,
        "activity": activity,
        "m_alta": m_alta,
        "m_boo": m_boo,
        "target": target,
        "status": status,
        "world": world,
    }


# Who may do what on Nacka's plan.
VIEWERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "polis": 200, "sspf": 200}
BOO_VIEWERS = {"admin": 200, "samordnare": 200, "polis": 200, "sspf": 200}
PLAN_EDITORS = {"admin": 200, "samordnare": 200, "sspf": 200}
# m_alta: Nacka's unlimited members and the Älta group (its area) change it; LPO Nacka
# (responsible) reports its status and nothing more (plans.models.STATUS).
ALTA_CHANGERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}
ALTA_REPORTERS = {**ALTA_CHANGERS, "polis": 200}
ADDERS = {"admin": 200, "samordnare": 200, "arbetsgrupp": 200, "sspf": 200}
# Roles that may add plans somewhere (without area limits).
PLAN_CREATORS = {"admin": 200, "samordnare": 200, "polis": 200, "sspf": 200, "utomstaende": 200}
# The police partner's import of a whole measure row is refused with the rows' problems.
PARTNER_REFUSED = {"polis": 200}
STATUS_EDITORS_ANYWHERE = {"admin": 200, "samordnare": 200, "polis": 200, "utomstaende": 200}


def foreign(world):
    """The same kind of objects in Tyresö kommun, which no persona belongs to."""
    organisation, area, _place = foreign_organisation()
    plan = services.plan_create(actor=None, organisation=organisation, title="Tyresös plan")
    focus_area = services.focus_area_create(actor=None, plan=plan, title="Tyresö område")
    activity = services.activity_create(
        actor=None, plan=plan, focus_area=focus_area, title="Tyresö aktivitet"
    )
    measure = services.measure_create(
        actor=None, plan=plan, activity=activity, title="Tyresö vandring", areas=[area]
    )
    target = services.target_create(actor=None, measure=measure, description="Tyresö mål", value=1)
    status = MeasureStatus.objects.filter(organisation=organisation).first()
    return {
        "plan": plan,
        "focus_area": focus_area,
        "activity": activity,
        "measure": measure,
        "target": target,
        "status": status,
        "area": area,
    }


def _csv_of(plan, measure) -> SimpleUploadedFile:
    """The plan's own CSV export cut to one measure: re-importing it changes nothing."""
    response = client_for("samordnare").get(reverse("plans:plan_export", args=[plan.pk, "csv"]))
    lines = response.content.decode("utf-8-sig").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.startswith(f"{measure.pk};")]
    assert len(kept) == 2, lines
    return SimpleUploadedFile("plan.csv", ("\r\n".join(kept) + "\r\n").encode("utf-8"))


def matrix(o, f=None):
    plan, fa, act = o["plan"], o["focus_area"], o["activity"]
    alta, boo, target, status = o["m_alta"], o["m_boo"], o["target"], o["status"]
    world = o["world"]
    nacka = world.organisations["nacka"]
    sara = get_user_model().objects.get(username="samordnare")
    today = dt.date.today().isoformat()

    def page(name, *args):
        return reverse(f"plans:{name}", args=args)

    def moved(codes):
        return only(with_status(codes, 302))

    new_plan = form_payload(PlanForm(user=sara), organisation=nacka.pk, title="Ny plan")
    new_measure = form_payload(
        MeasureForm(plan=plan, user=sara),
        activity=act.pk,
        title="Ny vandring",
        areas=[world.areas["Älta"].pk],
    )
    rows = [
        Row("get", page("plan_list"), everyone(200)),
        Row("get", page("plan_create"), only(PLAN_CREATORS)),
        # Partners and other kommuner may create plans, but not for Nacka: the organisation
        # is not among their choices (the form answers with an error).
        Row(
            "post",
            page("plan_create"),
            only({**with_status(PLAN_EDITORS, 302), "polis": 200, "utomstaende": 200}),
            payload=new_plan,
        ),
        Row("get", page("plan_import_new"), only(PLAN_CREATORS)),
        Row(
            "post",
            page("plan_import_new"),
            only({**with_status(PLAN_EDITORS, 200), "polis": 200, "utomstaende": 200}),
            payload={"organisation": nacka.pk, "kind": "samverkan", "title": "Importerad"},
            files={
                "file": SimpleUploadedFile(
                    "plan.txt", "Importerad plan\n\nInget innehåll.\n".encode()
                )
            },
            note="a text without measures is refused with a message",
        ),
        Row("get", page("plan_detail", plan.pk), only(VIEWERS)),
        Row("get", page("plan_edit", plan.pk), only(PLAN_EDITORS)),
        Row(
            "post",
            page("plan_edit", plan.pk),
            moved(PLAN_EDITORS),
            payload=form_payload(PlanForm(instance=plan, user=sara)),
        ),
        Row("get", page("plan_export", plan.pk, "csv"), only(VIEWERS)),
        Row("get", page("plan_export", plan.pk, "xlsx"), only(VIEWERS)),
        # The Word document is made by the reports app now.
        Row("get", page("plan_export", plan.pk, "docx"), only({})),
        Row("get", page("plan_export", plan.pk, "pdf"), only({})),
        Row("get", page("plan_import", plan.pk), only(ALTA_REPORTERS)),
        Row(
            "post",
            page("plan_import", plan.pk),
            only({**with_status(ALTA_CHANGERS, 302), **PARTNER_REFUSED}),
            files={"file": _csv_of(plan, alta)},
        ),
        # A pending import lives in the session of the one who uploaded it: a token from
        # anywhere else is no page, for anyone (test_import_steps follows a real one).
        Row("get", page("import_columns", "someone-elses"), only({})),
        Row("post", page("import_columns", "someone-elses"), only({})),
        Row("get", page("import_preview", "someone-elses"), only({})),
        Row("post", page("import_preview", "someone-elses"), only({})),
        Row("get", page("focus_area_create", plan.pk), only(PLAN_EDITORS)),
        Row(
            "post",
            page("focus_area_create", plan.pk),
            moved(PLAN_EDITORS),
            payload={"title": "Nytt område", "order": 1},
        ),
        Row("get", page("focus_area_edit", fa.pk), only(PLAN_EDITORS)),
        Row(
            "post",
            page("focus_area_edit", fa.pk),
            moved(PLAN_EDITORS),
            payload=form_payload(FocusAreaForm(instance=fa)),
        ),
        Row("get", page("activity_create", plan.pk), only(PLAN_EDITORS)),
        Row(
            "post",
            page("activity_create", plan.pk),
            moved(PLAN_EDITORS),
            payload={"focus_area": fa.pk, "title": "Ny aktivitet", "order": 2},
        ),
        Row("get", page("activity_edit", act.pk), only(PLAN_EDITORS)),
        Row(
            "post",
            page("activity_edit", act.pk),
            moved(PLAN_EDITORS),
            payload=form_payload(ActivityForm(instance=act, plan=plan)),
        ),
        Row("get", page("measure_create", plan.pk), only(ADDERS)),
        Row("post", page("measure_create", plan.pk), moved(ADDERS), payload=new_measure),
        Row("get", page("measure_detail", alta.pk), only(VIEWERS)),
        Row("get", page("measure_detail", boo.pk), only(BOO_VIEWERS)),
        Row("get", page("measure_edit", alta.pk), only(ALTA_CHANGERS)),
        Row(
            "post",
            page("measure_edit", alta.pk),
            moved(ALTA_CHANGERS),
            payload=form_payload(MeasureForm(instance=alta, plan=plan, user=sara)),
        ),
        Row("get", page("measure_edit", boo.pk), only(PLAN_EDITORS)),
        Row("get", page("measure_delete", alta.pk), only({"admin": 200, "samordnare": 200})),
        Row("post", page("measure_delete", alta.pk), moved({"admin", "samordnare"})),
        Row("get", page("measure_status", alta.pk), only(ALTA_REPORTERS)),
        Row(
            "post",
            page("measure_status", alta.pk),
            moved(ALTA_REPORTERS),
            payload={"status": status.pk, "on": today},
        ),
        Row(
            "post",
            page("measure_status", boo.pk),
            moved(PLAN_EDITORS),
            payload={"status": status.pk, "on": today},
        ),
        Row("get", page("target_create", alta.pk), only(ALTA_CHANGERS)),
        Row(
            "post",
            page("target_create", alta.pk),
            moved(ALTA_CHANGERS),
            payload=form_payload(
                TargetForm(user=sara, measure=alta), description="Minst 3", value=3
            ),
        ),
        Row("get", page("outcome_create", target.pk), only(ALTA_CHANGERS)),
        Row(
            "post",
            page("outcome_create", target.pk),
            moved(ALTA_CHANGERS),
            payload={"period_start": "2024-01-01", "actual": 2},
        ),
        Row("get", page("status_list"), everyone(200)),
        Row("get", page("status_create"), only(STATUS_EDITORS_ANYWHERE)),
        Row(
            "post",
            page("status_create"),
            # Partners and other kommuner create statuses for their own organisation, not
            # for Nacka (not among their choices: the form answers with an error).
            only({"admin": 302, "samordnare": 302, "polis": 200, "utomstaende": 200}),
            payload=form_payload(
                MeasureStatusForm(),
                organisation=nacka.pk,
                name="Vilande",
                category="ongoing",
                default_progress=0,
            ),
        ),
        Row("get", page("status_edit", status.pk), only({"admin": 200, "samordnare": 200})),
        Row(
            "post",
            page("status_edit", status.pk),
            moved({"admin", "samordnare"}),
            payload=form_payload(MeasureStatusForm(instance=status)),
        ),
        Row("get", reverse("core:history", args=["plans", "plan", plan.pk]), only(VIEWERS)),
        Row(
            "get",
            reverse("core:history", args=["plans", "measure", boo.pk]),
            only(BOO_VIEWERS),
        ),
        # API
        Row("get", "/api/plans/plans", everyone(200, anonymous=401)),
        Row("get", f"/api/plans/plans/{plan.pk}", only(VIEWERS, anonymous=401)),
        Row(
            "post",
            "/api/plans/plans",
            only({"admin": 201, "samordnare": 201, "sspf": 201}, default=404, anonymous=401),
            payload={"organisation_id": plan.organisation_id, "title": "Ny plan"},
        ),
        Row(
            "patch",
            f"/api/plans/plans/{plan.pk}",
            only(PLAN_EDITORS, anonymous=401),
            payload={"title": plan.title},
        ),
        Row("get", "/api/plans/focus-areas", everyone(200, anonymous=401)),
        Row("get", f"/api/plans/focus-areas/{fa.pk}", only(VIEWERS, anonymous=401)),
        Row(
            "post",
            "/api/plans/focus-areas",
            only({"admin": 201, "samordnare": 201, "sspf": 201}, default=404, anonymous=401),
            payload={"plan_id": plan.pk, "title": "Nytt område"},
        ),
        Row(
            "patch",
            f"/api/plans/focus-areas/{fa.pk}",
            only(PLAN_EDITORS, anonymous=401),
            payload={"title": fa.title},
        ),
        Row("get", "/api/plans/activities", everyone(200, anonymous=401)),
        Row("get", f"/api/plans/activities/{act.pk}", only(VIEWERS, anonymous=401)),
        Row(
            "post",
            "/api/plans/activities",
            only({"admin": 201, "samordnare": 201, "sspf": 201}, default=404, anonymous=401),
            payload={"plan_id": plan.pk, "title": "Ny aktivitet", "focus_area_id": fa.pk},
        ),
        Row(
            "patch",
            f"/api/plans/activities/{act.pk}",
            only(PLAN_EDITORS, anonymous=401),
            payload={"title": act.title},
        ),
        Row("get", "/api/plans/measures", everyone(200, anonymous=401)),
        Row("get", f"/api/plans/measures/{alta.pk}", only(VIEWERS, anonymous=401)),
        Row("get", f"/api/plans/measures/{boo.pk}", only(BOO_VIEWERS, anonymous=401)),
        Row(
            "post",
            "/api/plans/measures",
            only(
                {"admin": 201, "samordnare": 201, "arbetsgrupp": 201, "sspf": 201},
                default=404,
                anonymous=401,
            ),
            payload={
                "plan_id": plan.pk,
                "activity_id": act.pk,
                "title": "Ny vandring",
                "area_ids": [world.areas["Älta"].pk],
            },
        ),
        Row(
            "patch",
            f"/api/plans/measures/{alta.pk}",
            only(ALTA_CHANGERS, anonymous=401),
            payload={"title": alta.title},
        ),
        Row(
            "patch",
            f"/api/plans/measures/{boo.pk}",
            only(PLAN_EDITORS, anonymous=401),
            payload={"title": boo.title},
        ),
        Row(
            "post",
            f"/api/plans/measures/{alta.pk}/status",
            only(ALTA_REPORTERS, anonymous=401),
            payload={"status_id": status.pk},
        ),
        Row("get", f"/api/plans/measures/{alta.pk}/timeline", only(VIEWERS, anonymous=401)),
        Row("get", "/api/plans/statuses", everyone(200, anonymous=401)),
    ]
    if f is not None:
        rows += forged_rows(o, f)
    return rows


def forged_rows(o, f):
    """Every write aimed at Tyresö's objects, and Nacka's writes pointing at them."""
    plan, act = o["plan"], o["activity"]

    def page(name, *args):
        return reverse(f"plans:{name}", args=args)

    return [
        forged("post", page("plan_edit", f["plan"].pk), {"title": "x"}),
        forged("post", page("plan_import", f["plan"].pk)),
        forged("post", page("focus_area_create", f["plan"].pk), {"title": "x", "order": 1}),
        forged("post", page("focus_area_edit", f["focus_area"].pk), {"title": "x", "order": 1}),
        forged("post", page("activity_create", f["plan"].pk), {"title": "x", "order": 1}),
        forged("post", page("activity_edit", f["activity"].pk), {"title": "x", "order": 1}),
        forged("post", page("measure_create", f["plan"].pk), {"title": "x"}),
        forged("post", page("measure_edit", f["measure"].pk), {"title": "x"}),
        forged("post", page("measure_delete", f["measure"].pk)),
        forged("post", page("measure_status", f["measure"].pk), {"status": f["status"].pk}),
        forged("post", page("target_create", f["measure"].pk), {"description": "x"}),
        forged("post", page("outcome_create", f["target"].pk), {"actual": 1}),
        forged("post", page("status_edit", f["status"].pk), {"name": "x"}),
        forged("patch", f"/api/plans/plans/{f['plan'].pk}", {"title": "x"}),
        forged("patch", f"/api/plans/focus-areas/{f['focus_area'].pk}", {"title": "x"}),
        forged("patch", f"/api/plans/activities/{f['activity'].pk}", {"title": "x"}),
        forged("patch", f"/api/plans/measures/{f['measure'].pk}", {"title": "x"}),
        forged("post", f"/api/plans/measures/{f['measure'].pk}/status", {"status_id": 1}),
        # A forged id in the body: Tyresö's plan, area or status for Nacka's rows.
        forged(
            "post",
            "/api/plans/measures",
            {"plan_id": f["plan"].pk, "activity_id": f["activity"].pk, "title": "x"},
            status=404,
        ),
        forged(
            "post", "/api/plans/focus-areas", {"plan_id": f["plan"].pk, "title": "x"}, status=404
        ),
        Row(
            "post",
            "/api/plans/measures",
            only({}, default=404, anonymous=401),
            payload={
                "plan_id": plan.pk,
                "activity_id": act.pk,
                "title": "x",
                "area_ids": [f["area"].pk],
            },
            note="another kommun's area",
        ),
        Row(
            "post",
            f"/api/plans/measures/{o['m_alta'].pk}/status",
            only(with_status(ALTA_REPORTERS, 404), anonymous=401),
            payload={"status_id": f["status"].pk},
            note="another kommun's status",
        ),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_plans_url_and_endpoint_answers_the_persona_as_expected(world, persona):
    objects = build(world)
    assert_matrix(matrix(objects, foreign(world)), persona)


def test_every_plans_write_needs_the_csrf_token(world):
    assert_csrf_required(matrix(build(world)))


@pytest.mark.parametrize("persona", ["rapportor", "utomstaende"])
def test_outsiders_get_empty_lists_from_the_api(world, persona):
    build(world)
    client = client_for(persona)
    for url in [
        "/api/plans/plans",
        "/api/plans/focus-areas",
        "/api/plans/activities",
        "/api/plans/measures",
    ]:
        body = client.get(url).json()
        assert body["count"] == 0 and body["items"] == [], url


def test_the_matrix_covers_every_plans_url_and_endpoint(world):
    assert_covers(
        matrix(build(world)),
        namespace="plans",
        read_only={"plan_list", "plan_detail", "plan_export", "measure_detail", "status_list"},
        router=router,
        api_prefix="/api/plans",
    )


@pytest.mark.parametrize(
    "persona,expected",
    [("admin", 302), ("samordnare", 302), ("sspf", 404), ("arbetsgrupp", 404), ("polis", 404)],
)
def test_only_those_who_may_delete_can_delete_a_measure(world, persona, expected):
    objects = build(world)
    url = reverse("plans:measure_delete", args=[objects["m_alta"].pk])
    assert client_for(persona).post(url).status_code == expected


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("rapport.csv", text.encode("utf-8"))


def test_a_partner_reports_the_status_of_its_measures_and_changes_nothing_else(world):
    """The police partner is responsible for m_alta: it sets the status with a note through
    the form, the API and the CSV import, but neither the API, the edit form nor the import
    changes the title, the responsible parties, the dates or the targets."""
    o = build(world)
    alta, plan, status = o["m_alta"], o["plan"], o["status"]
    polis = client_for("polis")
    title, responsibles = alta.title, sorted(r.display for r in alta.responsibles.all())

    # Every way of changing the measure itself is refused.
    response = polis.patch(
        f"/api/plans/measures/{alta.pk}",
        '{"title": "Polisens vandring", "starts_on": "2030-01-01"}',
        content_type="application/json",
    )
    assert response.status_code == 404
    assert polis.get(reverse("plans:measure_edit", args=[alta.pk])).status_code == 404
    response = polis.post(
        reverse("plans:measure_edit", args=[alta.pk]),
        {"title": "Polisens vandring", "responsibles": "Polis", "activity": o["activity"].pk},
    )
    assert response.status_code == 404
    assert polis.get(reverse("plans:target_create", args=[alta.pk])).status_code == 404
    response = polis.post(
        reverse("plans:plan_import", args=[plan.pk]),
        {"file": _upload(f"ID;Titel;Ansvarig\r\n{alta.pk};Polisens vandring;Polis\r\n")},
    )
    assert response.status_code == 200  # refused with the rows' problems
    alta.refresh_from_db()
    assert alta.title == title
    assert sorted(r.display for r in alta.responsibles.all()) == responsibles

    # The status report goes through on every path.
    done = MeasureStatus.objects.get(organisation=plan.organisation, category="done")
    response = polis.post(
        f"/api/plans/measures/{alta.pk}/status",
        f'{{"status_id": {status.pk}, "note": "Planerad"}}',
        content_type="application/json",
    )
    assert response.status_code == 200
    response = polis.post(
        reverse("plans:measure_status", args=[alta.pk]),
        {"status": done.pk, "on": dt.date.today().isoformat(), "note": "Genomförd"},
    )
    assert response.status_code == 302
    alta.refresh_from_db()
    assert alta.status == done
    response = polis.post(
        reverse("plans:plan_import", args=[plan.pk]),
        {
            "file": _upload(
                f"ID;Status;Anteckning vid statusändring\r\n{alta.pk};{status.name};Åter\r\n"
            )
        },
    )
    # The upload leads to the preview; the status is written when the partner confirms.
    assert response.status_code == 302
    alta.refresh_from_db()
    assert alta.status == done
    assert polis.post(response.url).status_code == 302
    alta.refresh_from_db()
    assert alta.status == status and alta.title == title


def test_the_partner_rule_holds_in_the_service_whatever_the_caller(world):
    from django.core.exceptions import PermissionDenied

    o = build(world)
    polis = world.users["polis"]
    with pytest.raises(PermissionDenied):
        services.measure_update(actor=polis, measure=o["m_alta"], title="Polisens vandring")
    with pytest.raises(PermissionDenied):
        services.target_create(actor=polis, measure=o["m_alta"], description="x", value=1)
    update = services.measure_set_status(
        actor=polis, measure=o["m_alta"], status=o["status"], note="Rapport"
    )
    assert update is not None


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_pages_answers_from_the_scope_are_the_restrictions(world, persona):
    """The measure page's change/status/delete answers and the plan page's "may change the
    plan" come from the user's scope; they must be what restrict() says, for every persona
    and for measures in an area, in another area and in none."""
    from trygg.core.access import CHANGE, DELETE, may
    from trygg.plans.models import STATUS, Measure, Plan
    from trygg.plans.views import measure_permissions

    objects = build(world)
    nowhere = services.measure_create(
        actor=None,
        plan=objects["plan"],
        title="Utan område",
        responsibles=[("Polis", "")],
    )
    lpo = world.organisations["lpo_nacka"]
    nowhere.responsibles.update(organisation_ref=lpo)
    user = get_user_model().objects.get(username=persona)
    plan = objects["plan"]
    assert may(user, CHANGE, plan.organisation_id, whole_organisation=True) == (
        Plan.objects.restrict(user, CHANGE).filter(pk=plan.pk).exists()
    )
    if Plan.objects.restrict(user, "view").filter(pk=plan.pk).exists():
        from trygg.plans.models import Activity, FocusArea
        from trygg.plans.selectors import plan_view

        view = plan_view(user, plan)
        assert view.can_report_status == (
            view.can_change_plan
            or Measure.objects.restrict(user, STATUS).filter(plan=plan).exists()
        )
        assert [f.pk for f in view.all_focus_areas] == list(
            FocusArea.objects.restrict(user, "view").filter(plan=plan).values_list("pk", flat=True)
        )
        shown = [a.activity.pk for f in view.focus_areas for a in f.activities]
        assert shown == list(
            Activity.objects.restrict(user, "view").filter(plan=plan).values_list("pk", flat=True)
        )
    for measure in (objects["m_alta"], objects["m_boo"], nowhere):
        areas = list(measure.areas.values_list("pk", flat=True))
        responsible = [
            r for r in measure.responsibles.values_list("organisation_ref_id", flat=True) if r
        ]
        answers = measure_permissions(user, measure, areas, responsible)
        for action in (CHANGE, STATUS, DELETE):
            restricted = Measure.objects.restrict(user, action).filter(pk=measure.pk).exists()
            assert answers[action] == restricted, (measure.title, action)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_measure_panels_read_what_restrict_lets_through(world, persona):
    """The budget panel skips its reads for a user outside the measure's organisation; it
    shows exactly the funding restrict() lets through, for every persona."""
    from trygg.budget.models import MeasureFunding
    from trygg.budget.selectors import measure_finance

    objects = build(world)
    measure = objects["m_alta"]
    MeasureFunding.objects.create(
        organisation_id=measure.organisation_id, measure=measure, source="bra", year=2024
    )
    user = get_user_model().objects.get(username=persona)
    shown = [f.pk for f in measure_finance(user, measure).fundings]
    assert shown == list(
        MeasureFunding.objects.restrict(user, "view")
        .filter(measure=measure)
        .values_list("pk", flat=True)
    )
