"""Demo: a year of generated incident reports for Nacka, and Nacka's lägesbild 2024 with
three prioritised problems taken from seed 000 (Verksamhetsberättelse 2023, KFKS-2024-00431),
its sources, its åtgärdsplan and the samordningsfunktion.

The reports are generated ("genererade demodata"): the pages say so wherever they are
counted. The problems, their cause analyses and the links to the plan's measures are
written from what seed 000 says (bedrägerier the only rising crime; oroligheter in Orminge,
Fisksätra and Älta; broken outdoor lighting felt as a larger problem than the year before,
skadegörelse and klotter in the plan's platssamverkan). The sources are the ones seed 000
names (medarbetardialoger, samverkanspartners bild, brottsstatistik, trygghetsundersökningen,
incidentrapporteringen).

The texts carry no figure: the figures are in the statistics series (stats.demo), and the
texts name only the periods those series store (2022 and 2023 for the survey, 2020–2024 for
the whole kommun and 2020–2023 per kommundel for reported crime).

Invented for the demo, and said so here: the åtgärdsplan that kommunfullmäktige decided in
June 2024 (seed 000 says one was to be decided before 1 July 2024) with one measure per
cause, its follow-up, the decision of the lägesbild, and a fourth problem – an open drug
scene that was watched and then solved – whose history shows how a problem leaves the list.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trygg.core.models import Place
from trygg.situation import services
from trygg.situation.choices import SourceKind
from trygg.situation.generator import ReportGenerator, nacka_bursts
from trygg.situation.selectors import last_complete_week
from trygg.stats.models import IndicatorSeries

SEED = 2024
REPORTS_PER_YEAR = 4000

PROBLEMS = [
    {
        "title": "Bedrägerier mot äldre",
        "priority": 1,
        "description": (
            "Bedrägerierna är det enda brott som ökar tydligt i Nacka: i hela kommunen "
            "2020–2024 och i samtliga kommundelar 2020–2023. Äldre är ett särskilt utsatt "
            "brottsoffer som är svårt att nå."
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
            "ungdomar aktuella för SSPF ökade under 2023, med tonvikt på samma tre områden."
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
            "problem 2023 än 2022. Klotter och skadegörelse syns på samma platser och skapar "
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


SUMMARY = (
    "Nacka upplevs som tryggt: andelen som känner sig trygga utomhus när det är mörkt "
    "ökade från 2022 till 2023 och ligger över riket (SCB:s medborgarundersökning). "
    "De polisanmälda brotten minskade i hela kommunen 2020–2024, mest "
    "skadegörelsen, medan bedrägerierna ökade. Utifrån lägesbilden prioriteras tre "
    "problem; åtgärdsplanens insatser ska svara mot dem (lag 2023:196). Källa: "
    "Verksamhetsberättelse 2023, KFKS-2024-00431."
)
CONSEQUENCES = (
    "Bedrägerierna drabbar äldre ekonomiskt och gör dem mindre benägna att ta hjälp "
    "digitalt. Oroligheterna vid centrumen gör att boende undviker dem kvällstid och "
    "drabbar näringsidkarna. Klotter och trasig belysning ökar otryggheten utomhus "
    "och kostar fastighetsägare och kommun pengar för sanering."
)

# The sources seed 000 names for the lägesbild: (kind, title, provider, findings, series name)
SOURCES = [
    (
        SourceKind.REPORTED_CRIME,
        "Polisanmälda brott 2020–2024 (Brå:s statistik)",
        "Brottsförebyggande rådet, via verksamhetsberättelsen 2023",
        "Förändringen i polisanmälda brott för hela kommunen och per kommundel.",
        "Förändring i polisanmälda brott (procent)",
    ),
    (
        SourceKind.SURVEY,
        "SCB:s medborgarundersökning 2022 och 2023",
        "SCB",
        "Trygghet utomhus när det är mörkt och oro för våldsbrott, jämfört med riket.",
        "Trygg utomhus i området när det är mörkt",
    ),
    (
        SourceKind.INCIDENT_REPORTS,
        "Händelserapporter från trygghetsvärdar och kommunvakter",
        "Nacka kommun",
        "Var och när händelserna inträffar; underlag för veckobilden.",
        "",
    ),
    (
        SourceKind.POLICE_EVENTS,
        "Polisens händelser i Nacka (polisen.se)",
        "Polisen",
        "Händelsetyper i kommunen de senaste veckorna.",
        "",
    ),
    (
        SourceKind.STAFF_DIALOGUE,
        "Sammanfattning av medarbetardialoger",
        "Fältassistenter, fritidsgårdar, trygghetsvärdar och SSPF-samordnare",
        "Oro kring ungdomar som samlas vid centrumen i Orminge, Fisksätra och Älta fredag och "
        "lördag kväll; äldre som hör av sig om bedrägeriförsök.",
        "",
    ),
    (
        SourceKind.PARTNER_PICTURE,
        "Samverkanspartners bild: lokalpolisområde Nacka",
        "Polisen, LPO Nacka",
        "Polisens beskrivning av brottsligheten i kommunen inom samverkansöverenskommelsen "
        "2022–2024.",
        "",
    ),
]

# The åtgärdsplan decided on the lägesbild (invented for the demo): (problem priority,
# cause, title, action, responsible).
ACTION_PLAN_MEASURES = [
    (
        1,
        "organisation",
        "Gemensam rutin för att varna äldre för bedrägerier",
        "Hemtjänst, PRO, SPF och äldre-Brå sprider varningar om nya bedrägeriupplägg.",
        "Kommun/Äldreomsorgen",
    ),
    (
        1,
        "individual",
        "Informationsträffar om bedrägerier för äldre",
        "Träffar på träffpunkter och i föreningar, tillsammans med polisen.",
        "Kommun/Säkerhet",
    ),
    (
        2,
        "school_leisure",
        "Öppen verksamhet sena helgkvällar",
        "Fritidsgårdarna i Orminge, Fisksätra och Älta håller öppet fredag och lördag kväll.",
        "Kommun/Fritid",
    ),
    (
        2,
        "place",
        "Vuxennärvaro vid centrumen kvällstid",
        "Trygghetsvärdar och föräldravandrare där händelserapporterna visar oro.",
        "Kommun/Säkerhet",
    ),
    (
        3,
        "place",
        "Klottersanering inom 24 timmar och felanmälan av belysning",
        "Klotter och trasig belysning rapporteras som händelser och åtgärdas snabbt.",
        "Kommun/Gata och park",
    ),
]

DRUG_SCENE = {
    "title": "Öppen drogscen vid Saltsjöbadens centrum",
    "priority": 4,
    "description": "Försäljning av narkotika öppet vid centrum och pendelbanans station.",
    "areas": ["Fisksätra/Saltsjöbaden"],
    "places": ["Saltsjöbadens centrum"],
    "analysis": {
        "victim": "Unga som erbjuds narkotika; boende och resenärer som känner sig otrygga.",
        "offender": "Säljare från andra kommundelar som söker en plats med låg upptäcktsrisk.",
        "place": "Skymda ytor vid stationen, kvällstid.",
        "causes": {"place": ["Skymda ytor och dålig belysning vid stationen"]},
        "conclusion": "Situationella åtgärder på platsen och polisens närvaro.",
    },
    # (date, status, note)
    "history": [
        (
            dt.date(2024, 9, 16),
            "bevakas",
            "Försäljningen har upphört efter polisens insatser; "
            "platsen bevakas via händelserapporterna.",
        ),
        (
            dt.date(2025, 3, 3),
            "lost",
            "Inga tecken på försäljning på ett halvår: problemet tas bort från listan.",
        ),
    ],
}


def load_picture(world, *, today: dt.date | None = None):
    """Nacka's lägesbild 2024 with its prioritised problems (seed 000), its sources, the
    åtgärdsplan built on it and the samordningsfunktion."""
    from trygg.plans.models import Measure

    nacka = world.organisations["nacka"]
    picture = services.picture_create(
        actor=None,
        organisation=nacka,
        year=2024,
        title="Lägesbild 2024 – Nacka kommun",
        summary=SUMMARY,
        consequences=CONSEQUENCES,
        state="beslutad",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        decided_by="Kommunstyrelsens trygghetsutskott",
        decided_on=dt.date(2024, 5, 13),
        diarienummer="KFKS-2024-00431",
    )
    series = {s.name: s for s in IndicatorSeries.objects.filter(organisation=nacka)}
    for kind, title, provider, findings, series_name in SOURCES:
        services.picture_source_create(
            actor=None,
            picture=picture,
            kind=kind,
            title=title,
            provider=provider,
            findings=findings,
            series=series.get(series_name),
        )
    places = {p.name: p for p in Place.objects.filter(organisation=nacka)}
    linked = 0
    problems = {}
    for spec in [*PROBLEMS, DRUG_SCENE]:
        problem = services.problem_create(
            actor=None,
            situation_picture=picture,
            title=spec["title"],
            description=spec["description"],
            priority=spec["priority"],
            areas=[world.areas[name] for name in spec["areas"]],
            places=[places[name] for name in spec["places"] if name in places],
            status_since=dt.date(2024, 3, 4),
        )
        services.cause_analysis_save(actor=None, problem=problem, **spec["analysis"])
        for on, status, note in spec.get("history", []):
            services.problem_set_status(
                actor=world.users["samordnare"], problem=problem, status=status, on=on, note=note
            )
        problems[spec["priority"]] = problem
        for measure in Measure.objects.filter(
            organisation=nacka, activity__title__in=spec.get("activities", [])
        ).order_by("order", "id"):
            services.problem_measure_link(
                actor=None,
                problem=problem,
                measure=measure,
                note="Ur planen för samverkan med polisen",
            )
            linked += 1
    plan = _action_plan(world, problems, today or timezone.localdate())
    services.picture_update(actor=None, picture=picture, plan=plan)
    services.coordination_function_set(
        actor=None,
        organisation=nacka,
        title="Säkerhetsstrateg",
        unit="Kommunledningskontoret, säkerhet",
        person=world.users["samordnare"],
        contact="samordnare@example.se",
        decided_by="Kommunstyrelsen",
    )
    return picture, linked


def _action_plan(world, problems: dict, today: dt.date):
    """The åtgärdsplan that kommunfullmäktige decided on the lägesbild (demo), followed up
    shortly before today and revised once per mandate period."""
    from trygg.plans import services as plan_services
    from trygg.plans.choices import PlanKind, PlanState
    from trygg.plans.models import MeasureStatus

    nacka = world.organisations["nacka"]
    decided = dt.date(2024, 6, 17)
    plan = plan_services.plan_create(
        actor=None,
        organisation=nacka,
        title="Åtgärdsplan för brottsförebyggande arbete 2024–2027",
        kind=PlanKind.ATGARDSPLAN,
        description="Åtgärder utifrån lägesbilden 2024 och dess orsaksanalyser (lag 2023:196).",
    )
    plan = plan_services.plan_update(
        actor=None,
        plan=plan,
        state=PlanState.BESLUTAD,
        starts_on=dt.date(2024, 7, 1),
        ends_on=dt.date(2027, 12, 31),
        decided_on=decided,
        decided_by="Kommunfullmäktige",
        diarienummer="KFKS-2024-00512",
        revision_interval_months=48,
        last_evaluated_on=max(decided, today - dt.timedelta(days=45)),
        statuses_are_demo=True,
    )
    ongoing = MeasureStatus.objects.get(organisation=nacka, category="ongoing")
    for order, (priority, cause, title, action, responsible) in enumerate(
        ACTION_PLAN_MEASURES, start=1
    ):
        measure = plan_services.measure_create(
            actor=None,
            plan=plan,
            title=title,
            action=action,
            order=order,
            starts_on=dt.date(2024, 8, 1),
            ends_on=dt.date(2027, 12, 31),
            responsibles=[tuple(responsible.split("/", 1))],
        )
        plan_services.measure_set_status(
            actor=None, measure=measure, status=ongoing, on=dt.date(2024, 8, 1)
        )
        services.problem_measure_link(
            actor=None,
            problem=problems[priority],
            measure=measure,
            cause=cause,
            note="Ur åtgärdsplanen",
        )
    return plan


def load(world, stdout) -> None:
    counts = generate_reports(world)
    stdout.write(
        f"Händelserapporter (genererade demodata) för Nacka: {counts['created']} "
        f"({counts['count_rows']} förberäknade antal)."
    )
    picture, linked = load_picture(world)
    stdout.write(
        f"{picture}: {len(PROBLEMS)} prioriterade problem och ett löst, {linked} kopplade "
        "åtgärder ur planen för samverkan, en åtgärdsplan och samordningsfunktionen."
    )
