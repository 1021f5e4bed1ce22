"""Demo: a year of generated incident reports for Nacka, and Nacka's lägesbild 2024 with
three prioritised problems taken from seed 000 (Verksamhetsberättelse 2023, KFKS-2024-00431).

The reports are generated ("genererade demodata"): the pages say so wherever they are
counted. The problems, their cause analyses and the links to the plan's measures are
written from what seed 000 says (bedrägerier the only rising crime, +46 % 2020–2023;
oroligheter in Orminge, Fisksätra and Älta; broken outdoor lighting felt as a larger
problem than the year before, skadegörelse and klotter in the plan's platssamverkan).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trygg.core.models import Place
from trygg.situation import services
from trygg.situation.generator import ReportGenerator, nacka_bursts
from trygg.situation.selectors import last_complete_week

SEED = 2024
REPORTS_PER_YEAR = 4000

PROBLEMS = [
    {
        "title": "Bedrägerier mot äldre",
        "priority": 1,
        "description": (
            "Bedrägeribrotten är det enda brott som ökar tydligt i Nacka: +46 % 2020–2023, "
            "i samtliga kommundelar. Äldre är ett särskilt utsatt brottsoffer som är svårt att nå."
        ),
        "areas": [],
        "places": [],
        "analysis": {
            "victim": "Äldre, ofta ensamboende, som inte känner igen nya bedrägeriupplägg "
            "(telefon, bank-id, falska hantverkare).",
            "offender": "Organiserade nätverk som arbetar på distans; låg upptäcktsrisk och "
            "hög vinst.",
            "place": "I hemmet, via telefon och nätet – inte knutet till en fysisk plats.",
            "causes": {
                "individual": ["Låg kännedom om nya bedrägeriupplägg"],
                "family_peers": ["Få anhöriga att fråga innan man agerar"],
                "organisation": ["Hemtjänst och föreningar har ingen gemensam rutin för att varna"],
                "society": ["Digitalisering av bankärenden", "Hög vinst, låg straffrisk"],
            },
            "conclusion": "Informationsinsatser via de kanaler äldre redan använder: PRO, SPF, "
            "hemtjänst och äldre-Brå.",
        },
        "activities": ["Äldre Brå"],
    },
    {
        "title": "Ungdomar som samlas och oroligheter i Orminge, Fisksätra och Älta",
        "priority": 2,
        "description": (
            "Oroligheter i Orminge, Fisksätra och Älta har tagits upp i utskottet. Antalet "
            "ungdomar aktuella för SSPF ökade från 72 till 117 under 2023, med tonvikt på "
            "samma tre områden."
        ),
        "areas": ["Boo", "Fisksätra/Saltsjöbaden", "Älta"],
        "places": ["Orminge centrum", "Fisksätra centrum", "Älta centrum"],
        "analysis": {
            "victim": "Boende och näringsidkare runt centrumen, andra ungdomar.",
            "offender": "Grupper av ungdomar, några i riskzon för kriminalitet och rekrytering.",
            "place": "Centrumen fredag och lördag kväll, särskilt efter att fritidsgårdarna "
            "stängt.",
            "causes": {
                "individual": ["Riskfaktorer hos ett fåtal ungdomar"],
                "family_peers": ["Kamratgrupper med äldre förebilder i kriminalitet"],
                "school_leisure": ["Få öppna verksamheter sena helgkvällar"],
                "place": ["Skymda platser och bristande belysning vid entréer"],
            },
            "conclusion": "Vuxennärvaro på rätt plats och tid (trygghetsvärdar, polarna, "
            "föräldravandring) och SSPF för ungdomar i riskzon.",
        },
        "activities": [
            "Trygghetsvärdar i Fisksätra och Orminge",
            "Polarverksamhet",
            "Föräldravandring",
            "SSPF",
        ],
    },
    {
        "title": "Klotter, skadegörelse och otrygghet utomhus kvällstid",
        "priority": 3,
        "description": (
            "Nackaborna upplever bristande eller trasig utomhusbelysning som ett större "
            "problem än 2022. Klotter och skadegörelse syns på samma platser och skapar "
            "otrygghet, även om de anmälda skadegörelsebrotten minskat."
        ),
        "areas": ["Sicklaön", "Älta"],
        "places": ["Älta centrum", "Sickla köpkvarter"],
        "analysis": {
            "victim": "Alla som rör sig utomhus kvällstid; fastighetsägare som får kostnaderna.",
            "offender": "Främst unga, nattetid och helger.",
            "place": "Gångtunnlar, busskurer och fasader vid centrumen, dåligt belysta gångvägar.",
            "causes": {
                "place": ["Trasig belysning som inte anmäls", "Klotter som inte saneras snabbt"],
                "organisation": ["Ingen samlad bild av dagar, tider och platser för klotter"],
                "society": ["Normer om att klotter är harmlöst"],
            },
            "conclusion": "Samla data om klotter (dagar, tider, platser) via händelserapporterna "
            "och sanera inom 24 timmar; kommunvakter där otryggheten är tillfällig.",
        },
        "activities": [
            "Insatser på klotterdrabbade platser",
            "Kommunvakter på otrygga platser av tillfällig art",
            "Trygghetsvandringar",
        ],
    },
]


def generate_reports(world, *, now: dt.datetime | None = None, count: int = REPORTS_PER_YEAR):
    """The demo's year of generated reports for Nacka (last 12 months up to ``now``)."""
    from trygg.incidents.models import IncidentCategory
    from trygg.incidents.services import categories_ensure_defaults

    nacka = world.organisations["nacka"]
    categories_ensure_defaults(nacka)
    now = now or timezone.now()
    start = now - dt.timedelta(days=365)
    generator = ReportGenerator(
        organisation=nacka,
        categories={c.name: c for c in IncidentCategory.objects.filter(organisation=nacka)},
        areas=[world.areas[name] for name in world.areas if name != "Nacka"],
        places=list(Place.objects.filter(organisation=nacka).select_related("area")),
        seed=SEED,
    )
    bursts = nacka_bursts(last_complete_week(timezone.localtime(now).date()))
    return services.generated_reports_create(
        actor=None,
        organisation=nacka,
        reports=generator.reports(start=start, end=now, count=count, bursts=bursts, now=now),
        description="Genererade demodata: händelserapporter för Nacka, senaste 12 månaderna",
    )


def load_picture(world):
    """Nacka's lägesbild 2024 with its three prioritised problems (seed 000)."""
    from trygg.plans.models import Measure

    nacka = world.organisations["nacka"]
    picture = services.picture_create(
        actor=None,
        organisation=nacka,
        year=2024,
        title="Lägesbild 2024 – Nacka kommun",
        summary=(
            "Nacka upplevs som tryggt: 83,5 % känner sig trygga utomhus när det är mörkt "
            "(81,3 % år 2022, riket 75 %). De anmälda brotten minskar (−23 % 2020–2023, "
            "skadegörelse −72 %), men bedrägerierna ökar (+46 %). Utifrån lägesbilden "
            "prioriteras tre problem; åtgärdsplanens insatser ska svara mot dem "
            "(lag 2023:196). Källa: Verksamhetsberättelse 2023, KFKS-2024-00431."
        ),
        state="beslutad",
    )
    places = {p.name: p for p in Place.objects.filter(organisation=nacka)}
    linked = 0
    for spec in PROBLEMS:
        problem = services.problem_create(
            actor=None,
            situation_picture=picture,
            title=spec["title"],
            description=spec["description"],
            priority=spec["priority"],
            areas=[world.areas[name] for name in spec["areas"]],
            places=[places[name] for name in spec["places"] if name in places],
        )
        services.cause_analysis_save(actor=None, problem=problem, **spec["analysis"])
        for measure in Measure.objects.filter(
            organisation=nacka, activity__title__in=spec["activities"]
        ).order_by("order", "id"):
            services.problem_measure_link(
                actor=None,
                problem=problem,
                measure=measure,
                note="Ur planen för samverkan med polisen",
            )
            linked += 1
    return picture, linked


def load(world, stdout) -> None:
    counts = generate_reports(world)
    stdout.write(
        f"Händelserapporter (genererade demodata) för Nacka: {counts['created']} "
        f"({counts['count_rows']} förberäknade antal)."
    )
    picture, linked = load_picture(world)
    stdout.write(f"{picture}: {len(PROBLEMS)} prioriterade problem, {linked} kopplade åtgärder.")
