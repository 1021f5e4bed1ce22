"""Demo: Nacka's plan för samverkan (seed 002), imported by the plan importer itself.

The plan text is real. Its statuses, dates and outcomes are not in the document and are
invented here, deterministically; the plan says so (statuses_are_demo) and its page shows a
notice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from trygg.plans import importers, services
from trygg.plans.choices import Comparison, PlanKind, PlanState, PreventionType
from trygg.plans.models import MeasureStatus

SEED_NAME = "002_7afaad1d1abdb047.txt"

DONE = [
    "Avhopparverksamhet",
    "Arbetsplatskontroller i utsatta områden",
    "Krogkontroller",
    "Tobakstillsyner",
    "Utröna behovet av SIG unga vuxna",
    "ANDTS arbete",
    "Vår och höstglöd",
    "Statistik från akutsjukhus",
    "Information i tvättstugor, toaletter, etc.",
    "Äldre Brå",
    "Platssamverkan i Industriområde",
    "Trygghetsvandringar",
    "Föräldravandring",
    "Utbildning av förtroendevalda",
    "Trygga och säkra valstugor/torgmöten etc.",
    "Trygga och säkra vallokaler",
]

# (activity, areas, places) where the plan's text names the place.
WHERE = [
    (
        "Trygghetsvärdar i Fisksätra och Orminge",
        ["Fisksätra/Saltsjöbaden", "Boo"],
        ["Fisksätra centrum", "Orminge centrum"],
    ),
    ("Platssamverkan i Industriområde", ["Boo"], ["Kummelbergets industriområde"]),
    ("Arbetsgrupperna Trygg och säker (4 st, á 6ggr/år)", ["Älta"], ["Älta centrum"]),
]

PREVENTION = {
    "Områden med kriminell påverkan": PreventionType.BADA,
    "Unga i risk för kriminalitet": PreventionType.SOCIAL,
    "Särskilt utsatta brottsoffer": PreventionType.SOCIAL,
    "Platssamverkan": PreventionType.SITUATIONELL,
    "Ett tryggt och säkert valår": PreventionType.SITUATIONELL,
}

# Targets whose outcomes Trygg cannot see (controls made by the police and the kommun's
# inspectors), so they are typed: (activity, description, value, unit, {year: actual})
TARGETS = [
    ("Krogkontroller", "Minst 2 krogkontroller per år", 2, "krogkontroller", {2022: 2, 2023: 3}),
    (
        "Tobakstillsyner",
        "Minst 2 tobakskontroller per år",
        2,
        "tobakskontroller",
        {2022: 2, 2023: 1},
    ),
    (
        "Arbetsplatskontroller i utsatta områden",
        "Minst 2 arbetsplatskontroller per år",
        2,
        "kontroller",
        {2022: 2, 2023: 2},
    ),
    (
        "Utbildning av förtroendevalda",
        "Minst 1 utbildning för förtroendevalda per år",
        1,
        "utbildningar",
        {2022: 1, 2023: 1},
    ),
]
# The working groups' target ("minst 6 möten per arbetsgrupp och år") is not typed here:
# Trygg counts the held meetings, so forums.demo adds it once the groups exist.


def seed_path() -> Path:
    """The seed document next to the reference data, or the copy kept with the tests."""
    for candidate in (
        settings.REFERENCE_DATA_DIR.parent / "seeds" / SEED_NAME,
        Path(__file__).parent / "tests" / "data" / "plan_for_samverkan_nacka.txt",
    ):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(SEED_NAME)


def load(world, stdout) -> None:
    nacka = world.organisations["nacka"]
    police = world.organisations["lpo_nacka"]
    path = seed_path()
    document = importers.read_plan_document(path.name, path.read_bytes())
    report = importers.import_plan_document(
        actor=None,
        organisation=nacka,
        document=document,
        kind=PlanKind.PLAN_FOR_SAMVERKAN,
        partners=[police],
        source=path.name,
    )
    plan = services.plan_update(
        actor=None,
        plan=report.plan,
        state=PlanState.BESLUTAD,
        starts_on=dt.date(2022, 1, 1),
        ends_on=dt.date(2023, 12, 31),
        decided_on=dt.date(2022, 2, 21),
        decided_by="Kommunstyrelsen",
        diarienummer="KFKS-2021-00932",
        last_evaluated_on=dt.date(2023, 2, 13),
        statuses_are_demo=True,
    )
    statuses = {s.category: s for s in MeasureStatus.objects.filter(organisation=nacka)}
    coordinator = world.users["samordnare"]
    officer = world.users["polis"]

    measures = list(
        plan.measures.select_related("activity__focus_area", "status").order_by("order", "pk")
    )
    sspf_seen = 0
    for index, measure in enumerate(measures):
        title = measure.activity.title
        services.measure_update(
            actor=None,
            measure=measure,
            prevention_type=PREVENTION.get(measure.activity.focus_area.title, ""),
            starts_on=dt.date(2022, 1, 1),
            ends_on=dt.date(2023, 12, 31),
        )
        if title == "SSPF":
            sspf_seen += 1
            if sspf_seen == 2:
                continue  # the second SSPF row has not started: "1 ej påbörjad"
        started = dt.date(2022, 2, 1) + dt.timedelta(days=7 * index)
        police_responsible = measure.responsibles.filter(organisation_ref=police).exists()
        services.measure_set_status(
            actor=coordinator,
            measure=measure,
            status=statuses["ongoing"],
            on=started,
            note="Arbetet har startat.",
        )
        if title in DONE:
            services.measure_set_status(
                actor=officer if police_responsible and index % 2 else coordinator,
                measure=measure,
                status=statuses["done"],
                on=started + dt.timedelta(days=180 + 11 * index),
                note="Genomförd enligt plan.",
            )
    for title, area_names, place_names in WHERE:
        measure = plan.measures.get(activity__title=title)
        services.measure_update(
            actor=None,
            measure=measure,
            areas=[world.areas[name] for name in area_names],
            places=[world.places[name] for name in place_names],
        )
    for title, description, value, unit, outcomes in TARGETS:
        measure = plan.measures.get(activity__title=title)
        target = services.target_create(
            actor=None,
            measure=measure,
            description=description,
            comparison=Comparison.AT_LEAST,
            value=Decimal(value),
            unit=unit,
            period="year",
        )
        for year, actual in outcomes.items():
            services.outcome_record(
                actor=coordinator,
                target=target,
                period_start=dt.date(year, 1, 1),
                actual=Decimal(actual),
            )
    for line in report.lines():
        stdout.write(line)
