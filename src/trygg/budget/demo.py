"""Demo data from seed 001 (Nacka's trygghetspaket) and seed 004 (Hägersten-Älvsjö's measures).

Nacka: the 2023 budget with its lines (Budget 2023, Utfall 2023 and Förslag 2024 exactly as
in tjänsteskrivelse KFKS-2024-00430), the 2024 budget made from the proposal with the frame
of 5,0 mkr, and the population on 31 December 2023 for the 2024 state grant.

Hägersten-Älvsjö: the stadsdelsförvaltning under Stockholm stad, its stadsdelar, a samordnare
("hagersten") and an insatsregister with the concrete measures that the answer to the
skrivelse from (M), (L), (C) and (SD) of 2024-09-26 names, with the partners and funding
sources that it names. The answer gives no amounts, so no amount is invented: the fundings
carry the source and leave the amount empty.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from trygg.budget import services
from trygg.budget.choices import FundingSource, MeasureTagKind
from trygg.budget.models import Budget
from trygg.core import services as core_services
from trygg.core.choices import AreaKind, OrganisationKind, Role
from trygg.core.models import Area, Organisation
from trygg.core.personas import DEMO_PASSWORD

MKR = Decimal(1_000_000)

# Seed 001, "Förslag till fördelning av trygghetspaketets 5 mkr för 2024", in the seed's order:
# (line, Förslag 2024, Utfall 2023, Budget 2023, note) in mkr.
NACKA_LINES = [
    ("Trygghetsvärdar", "1.6", "1.2", "1.4", ""),
    ("SSPF (skola, socialtjänst, polis, fritid)", "1.5", "1.6", "1.5", ""),
    ("Stöd till lokala arbetsgrupper", "0.6", "0.6", "0.9", ""),
    ("Kameraövervakning – centrala funktioner", "0.1", "0.0", "0.2", ""),
    ("Insatser i samverkan med lokala aktörer", "1.1", "0.8", "0.4", ""),
    ("Övriga insatser", "0.1", "0.09", "0.6", "Exempelvis insatser mot unga i riskzon."),
]
NACKA_FRAME = 5 * MKR
NACKA_POPULATION_2023 = 109_166  # SCB, folkmängd 31 december 2023

STOCKHOLM_STAD = "Stockholm stad"
HAGERSTEN_ALVSJO = "Hägersten-Älvsjö stadsdelsförvaltning"
HAGERSTEN_AREA = "Hägersten-Älvsjö"
# The stadsdelar of Hägersten-Älvsjö stadsdelsområde, as named in the boundary file.
HAGERSTEN_STADSDELAR = [
    "ASPUDDEN",
    "FRUÄNGEN",
    "GRÖNDAL",
    "HERRÄNGEN",
    "HÄGERSTEN",
    "HÄGERSTENSÅSEN",
    "LILJEHOLMEN",
    "LISEBERG",
    "LÅNGBRO",
    "LÅNGSJÖ",
    "MIDSOMMARKRANSEN",
    "MÄLARHÖJDEN",
    "SOLBERGA",
    "VÄSTBERGA",
    "VÄSTERTORP",
    "ÄLVSJÖ",
    "ÖRBY SLOTT",
]
SKRIVELSE_DATE = dt.date(2024, 9, 26)


def load(world, stdout) -> None:
    budget_2023, _budget_2024 = load_nacka_budget(world)
    linked = fund_nacka_measures(budget_2023)
    stdout.write(
        f"Budget: Nacka trygghetspaket 2023 och 2024 (seed 001), {linked} insatser kopplade."
    )
    hagersten = load_hagersten()
    stdout.write(
        f"Budget: Hägersten-Älvsjö insatsregister med {len(hagersten.measures)} insatser (seed 004)."
    )


def _mkr(value: str) -> Decimal:
    return Decimal(value) * MKR


def load_nacka_budget(world) -> tuple[Budget, Budget]:
    nacka = world.organisations["nacka"]
    budget_2023 = services.budget_create(
        actor=None,
        organisation=nacka,
        year=2023,
        frame=NACKA_FRAME,
        decided_by="Kommunfullmäktige",
        note=(
            "Trygghetspaketet är 6 mkr, varav 1 mkr går direkt till socialnämnden och följs "
            "upp där. De återstående 5 mkr fördelas här."
        ),
    )
    for position, (name, proposal, outcome, amount, note) in enumerate(NACKA_LINES, start=1):
        services.budget_line_create(
            actor=None,
            budget=budget_2023,
            position=position,
            name=name,
            amount=_mkr(amount),
            outcome=_mkr(outcome),
            proposal=_mkr(proposal),
            note=note,
        )
    budget_2024 = services.budget_create_from_proposal(
        actor=None,
        budget=budget_2023,
        frame=NACKA_FRAME,
        decided_by="Kommunfullmäktige",
        diarienummer="KFKS-2024-00430",
        note=(
            "Ramen är beslutad av kommunfullmäktige; fördelningen föreslås av trygghetsutskottet "
            "till kommunstyrelsen i tjänsteskrivelse 2024-03-25. "
            "Trygghetsvärdar utökas med 200 tkr för en satsning tillsammans med fastighetsbolag "
            "i Älta eller på Sicklaön."
        ),
    )
    from trygg.stats.services import population_set

    population_set(
        actor=None,
        organisation=nacka,
        area=nacka.area,
        year=2023,
        count=NACKA_POPULATION_2023,
        source="SCB, folkmängd 31 december 2023",
    )
    return budget_2023, budget_2024


# Which activities of Nacka's plan (seed 002, loaded by the plans demo) each line pays for.
NACKA_LINE_ACTIVITIES = {
    "Trygghetsvärdar": "Trygghetsvärdar i Fisksätra och Orminge",
    "SSPF (skola, socialtjänst, polis, fritid)": "SSPF",
    "Stöd till lokala arbetsgrupper": "Arbetsgrupperna Trygg och säker",
}


def fund_nacka_measures(budget) -> int:
    """Link the measures of Nacka's plan (2022–2023) to the 2023 lines that paid for them.

    The tjänsteskrivelse names what each line pays for but not the cost per measure, so the
    amount is left empty.
    """
    from trygg.plans.models import Measure

    linked = 0
    for line in budget.lines.all():
        activity = NACKA_LINE_ACTIVITIES.get(line.name)
        if activity is None:
            continue
        measures = Measure.objects.filter(
            organisation_id=budget.organisation_id, activity__title__startswith=activity
        )
        for measure in measures:
            services.measure_funding_create(
                actor=None,
                measure=measure,
                source=FundingSource.TRYGGHETSPAKET,
                budget_line=line,
                amount=None,
                year=budget.year,
                note="Beloppet per insats anges inte i tjänsteskrivelsen.",
            )
            linked += 1
    return linked


# Hägersten-Älvsjö (seed 004)


@dataclass
class Hagersten:
    stockholm: Organisation
    organisation: Organisation
    area: Area
    stadsdelar: dict[str, Area] = field(default_factory=dict)
    user: object = None
    plan: object = None
    measures: dict[str, object] = field(default_factory=dict)


def _stockholm_kommun_area() -> Area:
    area = Area.objects.filter(kind=AreaKind.KOMMUN, code="0180").first()
    if area is None:  # reference geography not loaded (unit tests): a bare kommun area
        area = core_services.area_create(
            actor=None, organisation=None, kind=AreaKind.KOMMUN, name="Stockholm", code="0180"
        )
    return area


def _stadsdel_shapes() -> dict[str, dict]:
    path = Path(settings.REFERENCE_DATA_DIR) / "geo" / "stockholm_stadsdelar_simplified.geo.json"
    if not path.exists():
        return {}
    features = json.loads(path.read_text("utf-8"))["features"]
    return {f["properties"]["name"]: f["geometry"] for f in features}


def _display_name(upper: str) -> str:
    return upper[:1] + upper[1:].lower()


def ensure_hagersten_organisation() -> Hagersten:
    """Stockholm stad, Hägersten-Älvsjö stadsdelsförvaltning, its areas and the samordnare.

    The stadsdelsområde is reference geography of Stockholm (like the kommuner), so it has no
    owning organisation; the stadsdelar belong to the stadsdelsförvaltning, which keeps them.
    """
    existing = Organisation.objects.filter(name=HAGERSTEN_ALVSJO).first()
    if existing is not None:
        result = Hagersten(stockholm=existing.parent, organisation=existing, area=existing.area)
        for area in Area.objects.filter(parent=existing.area):
            result.stadsdelar[area.name] = area
        result.user = get_user_model().objects.filter(username="hagersten").first()
        return result
    kommun = _stockholm_kommun_area()
    stockholm = core_services.organisation_create(
        actor=None, name=STOCKHOLM_STAD, kind=OrganisationKind.KOMMUN, area=kommun
    )
    district = core_services.area_create(
        actor=None,
        organisation=None,
        kind=AreaKind.STADSDELSOMRADE,
        name=HAGERSTEN_AREA,
        parent=kommun,
    )
    organisation = core_services.organisation_create(
        actor=None,
        name=HAGERSTEN_ALVSJO,
        kind=OrganisationKind.STADSDELSFORVALTNING,
        parent=stockholm,
        area=district,
    )
    result = Hagersten(stockholm=stockholm, organisation=organisation, area=district)
    shapes = _stadsdel_shapes()
    for upper in HAGERSTEN_STADSDELAR:
        name = _display_name(upper)
        result.stadsdelar[name] = core_services.area_create(
            actor=None,
            organisation=organisation,
            kind=AreaKind.STADSDEL,
            name=name,
            parent=district,
            geometry=shapes.get(upper),
        )
    user = core_services.user_create(
        actor=None,
        username="hagersten",
        password=DEMO_PASSWORD,
        first_name="Hanna",
        last_name="Hägersten",
        email="hagersten@example.se",
    )
    core_services.membership_create(
        actor=None,
        user=user,
        organisation=organisation,
        role=Role.SAMORDNARE,
        title="Trygghetssamordnare",
    )
    result.user = user
    return result


OWN = HAGERSTEN_ALVSJO  # a responsible party written as the förvaltning resolves to it

# (key, title, action, prevention type, stadsdelar (empty: the whole stadsdelsområde),
#  target group, starts, ends, status category, responsibles [(party, unit)],
#  fundings [(source, note)], staff training?)
HAGERSTEN_MEASURES = [
    (
        "faltassistenter",
        "Fältassistenternas uppsökande arbete",
        "Fältassistenterna arbetar uppsökande och deltar regelbundet i utsättningsmöten med "
        "polis, där lägesbild om droghandel, ungdomssamlingar och hotspots delas.",
        "social",
        [],
        "Barn och unga",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, "Fältassistenter"), ("Polisen", ""), ("Nattvandrare", ""), ("Civilsamhället", "")],
        [(FundingSource.BEFINTLIG_BUDGET, "Förvaltningens budgetuppdrag.")],
        False,
    ),
    (
        "spontanfotboll",
        "Spontanfotboll i Solberga",
        "Förvaltningen driver och betalar spontanfotboll för barn och unga i Solberga.",
        "social",
        ["Solberga"],
        "Barn och unga",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, "Fritid")],
        [(FundingSource.BEFINTLIG_BUDGET, "Förvaltningen betalar insatsen.")],
        False,
    ),
    (
        "nattvandring",
        "Nattvandringsgrupper i Älvsjö/Solberga",
        "Förvaltningen är drivande och betalar för nattvandringsgrupperna.",
        "social",
        ["Älvsjö", "Solberga"],
        "Barn och unga",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, ""), ("Nattvandrargrupper", "")],
        [(FundingSource.BEFINTLIG_BUDGET, "Förvaltningen betalar insatsen.")],
        False,
    ),
    (
        "sommar_pa_torget",
        "Sommar på torget",
        "Aktiviteter på torget under sommaren, genomförda av stadsdelsförvaltningen i samarbete "
        "med föreningar, företag och civilsamhälle.",
        "situationell",
        [],
        "Boende och besökare",
        dt.date(2024, 6, 10),
        dt.date(2024, 8, 16),
        "done",
        [(OWN, ""), ("Föreningar", ""), ("Företag", ""), ("Civilsamhället", "")],
        [(FundingSource.PLATSSAMVERKAN, "Medel för platssamverkan.")],
        False,
    ),
    (
        "platssamverkan",
        "Platssamverkan med löpande möten",
        "Strukturerat arbete med platssamverkan där möten sker löpande med aktuella "
        "samverkansparter.",
        "situationell",
        [],
        "Boende och besökare",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, ""), ("Polisen", ""), ("Företagare", ""), ("Civilsamhället", "")],
        [(FundingSource.BEFINTLIG_BUDGET, "")],
        False,
    ),
    (
        "meningsfull_fritid",
        "Meningsfull fritid",
        "Arbetet med Meningsfull fritid bedrivs tillsammans med två skolor.",
        "social",
        [],
        "Barn och unga",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, "Fritid"), ("Två skolor", "")],
        [(FundingSource.BEFINTLIG_BUDGET, "Inom befintlig budget.")],
        False,
    ),
    (
        "fritidsklubbar",
        "Stärkt utbud på fritidsklubbar",
        "Utbudet stärks på ett tiotal skolors fritidsklubbar.",
        "social",
        [],
        "Barn",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, "Fritid"), ("Skolor (ett tiotal fritidsklubbar)", "")],
        [(FundingSource.OTHER, "Medel som förvaltningen får via utbildningsförvaltningen.")],
        False,
    ),
    (
        "sspf_implementering",
        "SSPF – implementering",
        "Samverkan socialtjänst, skola, polis och fritid under implementeringsfas vårterminen "
        "2024; barn med tidiga tecken på normbrytande beteende identifieras.",
        "social",
        [],
        "Barn och unga i riskzon",
        dt.date(2024, 1, 8),
        dt.date(2024, 6, 14),
        "done",
        [(OWN, "Socialtjänst"), ("Skolor", ""), ("Polisen", "")],
        [(FundingSource.BEFINTLIG_BUDGET, "")],
        False,
    ),
    (
        "fotbollsvecka",
        "Fotbollsvecka på sommarlovet för barn som SSPF identifierat",
        "Organiserad sommarlovsaktivitet genom samarbete med en lokal idrottsförening.",
        "social",
        [],
        "Barn med tidiga tecken på normbrytande beteende",
        dt.date(2024, 6, 24),
        dt.date(2024, 6, 28),
        "done",
        [(OWN, "SSPF"), ("Lokal idrottsförening", "")],
        [],
        False,
    ),
    (
        "sommarlovsprogram",
        "Sommarlovsprogram för barn och unga",
        "Sommarlovsprogram med aktiviteter (bilaga 2); fältassistenterna erbjuder dessutom minst "
        "två väderanpassade aktiviteter i veckan, t.ex. SUP, beachvolley, badminton och "
        "frisbeegolf.",
        "social",
        [],
        "Barn och unga",
        dt.date(2024, 6, 10),
        dt.date(2024, 8, 16),
        "done",
        [(OWN, "Fältassistenter och fritid")],
        [
            (FundingSource.PLATSSAMVERKAN, ""),
            (FundingSource.OTHER, "Extramedel från stadsledningskontoret till Ung fritid."),
            (FundingSource.RF_SISU, ""),
            (FundingSource.BEFINTLIG_BUDGET, ""),
        ],
        False,
    ),
    (
        "sspf_omradesmoten",
        "SSPF startar fullt ut med områdesmöten",
        "Områdesmöten där alla skolor bjuds in tillsammans med polis, socialtjänst och fritid "
        "utifrån en geografisk klusterindelning.",
        "social",
        [],
        "Barn och unga",
        dt.date(2024, 9, 1),
        dt.date(2024, 12, 31),
        "not_started",
        [(OWN, "Socialtjänst"), ("Skolor", ""), ("Polisen", "")],
        [],
        False,
    ),
    (
        "sst_plus",
        "Skolsociala team utökas till SST+; SIG och Trefas utvecklas",
        "Skolsociala team (SST) utökas till SST+; Sociala insatsgrupper (SIG) och Trefas "
        "fortsätter att utvecklas.",
        "social",
        [],
        "Barn och unga i riskzon",
        dt.date(2024, 10, 1),
        dt.date(2024, 12, 31),
        "not_started",
        [(OWN, "Socialtjänst"), ("Skolor", "")],
        [],
        False,
    ),
    (
        "foreningar_rf_sisu",
        "Samverkan med föreningar och RF-SISU för fler aktiva barn och unga",
        "Fler barn och unga ska aktiveras, i synnerhet de som i dag saknar fritidssysselsättning.",
        "social",
        [],
        "Barn och unga utan fritidssysselsättning",
        dt.date(2024, 10, 1),
        dt.date(2024, 12, 31),
        "not_started",
        [(OWN, "Fritid"), ("Föreningar", ""), ("RF-SISU", "")],
        [],
        False,
    ),
    (
        "ideburet_partnerskap",
        "Nattvandring i Älvsjö/Solberga övergår i idéburet partnerskap",
        "Under hösten och 2025 utvecklas samverkan med samtliga nattvandrargrupper i "
        "stadsdelsområdet och Nattvandring.nu.",
        "social",
        ["Älvsjö", "Solberga"],
        "Barn och unga",
        dt.date(2024, 10, 1),
        dt.date(2025, 12, 31),
        "not_started",
        [(OWN, ""), ("Nattvandring.nu", ""), ("Nattvandrargrupper", "")],
        [],
        False,
    ),
    (
        "ordningsvakter",
        "Ansökan om tillståndsområden för ordningsvakter",
        "Förvaltningen ansöker om tillståndsområden för ordningsvakter i Västberga, Axelsberg, "
        "Örnberg, Sjövikskajen/Marievik samt utökat område i Liljeholmen, Älvsjö/Solberga, "
        "Fruängen och Västertorp.",
        "situationell",
        [
            "Västberga",
            "Hägersten",
            "Mälarhöjden",
            "Liljeholmen",
            "Älvsjö",
            "Solberga",
            "Fruängen",
            "Västertorp",
        ],
        "Boende och besökare",
        dt.date(2024, 10, 1),
        dt.date(2024, 12, 31),
        "not_started",
        [(OWN, "")],
        [],
        False,
    ),
    (
        "trygghetsvandringar",
        "Trygghetsvandringar i Västertorp, Fruängen, Liljeholmen och Älvsjö/Solberga",
        "Trygghetsvandringar genomförs i fyra områden.",
        "situationell",
        ["Västertorp", "Fruängen", "Liljeholmen", "Älvsjö", "Solberga"],
        "Boende",
        dt.date(2024, 10, 1),
        dt.date(2024, 12, 31),
        "not_started",
        [(OWN, "")],
        [],
        False,
    ),
    (
        "kriminalitet_som_livsstil",
        "Utbildningen Kriminalitet som livsstil för fältassistenter",
        "Kunskapen om kriminalitet höjs bland fältassistenterna.",
        "social",
        [],
        "Personal: fältassistenter",
        dt.date(2024, 3, 1),
        dt.date(2024, 6, 30),
        "done",
        [(OWN, "Fältassistenter")],
        [(FundingSource.BRA, "Beviljade medel från Brottsförebyggande rådet.")],
        True,
    ),
    (
        "mi_fritidsledare",
        "Motiverande samtal (MI) för fritidsledare",
        "Fritidsledarna får kompetens i motiverande och coachande samtal med ungdomar som "
        "behöver lotsas till fritidsaktivitet.",
        "social",
        [],
        "Personal: fritidsledare",
        dt.date(2024, 3, 1),
        dt.date(2024, 6, 30),
        "done",
        [(OWN, "Fritid")],
        [(FundingSource.BRA, "Beviljade medel från Brottsförebyggande rådet.")],
        True,
    ),
    (
        "pa_ratt_vag",
        "Fältassistenter utbildade i föräldrastödsprogrammet På rätt väg",
        "Utbildningen ger också faktakunskap om gängkriminalitet och tidiga tecken.",
        "social",
        [],
        "Personal: fältassistenter",
        dt.date(2024, 1, 1),
        dt.date(2024, 6, 30),
        "done",
        [(OWN, "Fältassistenter")],
        [],
        True,
    ),
    (
        "tidiga_tecken",
        "Föreläsning om tidiga tecken och rekrytering för personal på två skolor",
        "SSPF-koordinatorerna föreläste tillsammans med kommunpolis för personal på två skolor "
        "nära den öppna drogscenen.",
        "social",
        [],
        "Personal: skolpersonal",
        dt.date(2024, 4, 1),
        dt.date(2024, 5, 31),
        "done",
        [(OWN, "SSPF-koordinatorer"), ("Kommunpolis", "")],
        [],
        True,
    ),
    (
        "andt",
        "Fältassistenter utbildar fritidspersonal i ANDT-frågor",
        "Fältassistenterna utbildar fritidspersonalen i frågor om alkohol, narkotika, doping och "
        "tobak.",
        "social",
        [],
        "Personal: fritidspersonal",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "ongoing",
        [(OWN, "Fältassistenter")],
        [],
        True,
    ),
]


def load_hagersten() -> Hagersten:
    """The organisation, areas, samordnare and the insatsregister of seed 004."""
    from trygg.plans import services as plan_services
    from trygg.plans.choices import PlanKind

    hagersten = ensure_hagersten_organisation()
    organisation = hagersten.organisation
    plan = plan_services.plan_create(
        actor=None,
        organisation=organisation,
        title="Insatser mot kriminalitet, rekrytering och droghandel 2024",
        kind=PlanKind.INSATSREGISTER,
        description=(
            "Konkreta insatser som stadsdelsförvaltningen har genomfört eller planerar under "
            "2024 (bilaga 1 till svar på skrivelse, 2024-09-26)."
        ),
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 12, 31),
    )
    statuses = {s.category: s for s in plan_services.statuses_ensure_defaults(organisation)}
    hagersten.plan = plan
    for (
        key,
        title,
        action,
        prevention,
        area_names,
        target_group,
        starts_on,
        ends_on,
        category,
        responsibles,
        fundings,
        training,
    ) in HAGERSTEN_MEASURES:
        areas = [hagersten.stadsdelar[name] for name in area_names] or [hagersten.area]
        measure = plan_services.measure_create(
            actor=None,
            plan=plan,
            title=title,
            action=action,
            status=statuses[category],
            responsibles=responsibles,
            areas=areas,
            prevention_type=prevention,
            target_group=target_group,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for source, note in fundings:
            services.measure_funding_create(
                actor=None, measure=measure, source=source, amount=None, year=2024, note=note
            )
        if training:
            services.measure_tags_set(
                actor=None, measure=measure, kinds=[MeasureTagKind.STAFF_TRAINING]
            )
        hagersten.measures[key] = measure
    return hagersten
