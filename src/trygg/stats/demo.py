"""Demo statistics: Nacka's figures from seed 000, Nacka's population, and real Brå and SCB
files as examples.

Every figure here is taken from its source as written; nothing is invented. Where the
annual report (seed 000) gives only a change in percent, the change is stored as a
percentage, not turned into counts.

The Göteborg figures belong to a demo organisation "Göteborgs stad" (samordnare
"goteborg") and are marked public, so that every demo user can try the trend analysis on
real counts without a partnership that would also open Nacka's or Göteborg's other data
(see docs/adr/0005-statistics.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from trygg.core import personas
from trygg.core import services as core_services
from trygg.core.choices import AreaKind, OrganisationKind, Role
from trygg.core.models import Area, Organisation
from trygg.stats import importers, services
from trygg.stats.choices import ImportKind, SeriesKind, Unit
from trygg.stats.models import IndicatorSeries

SCB_SURVEY = "SCB:s medborgarundersökning (verksamhetsberättelse 2023, KSTU)"
POPULATION_SOURCE = "SCB folkmängd 31 dec"

# Nacka kommun, folkmängd 31 december (SCB).
NACKA_POPULATION = {2020: 105087, 2021: 106429, 2022: 107866, 2023: 109166, 2024: 110394}

# Seed 000, "Trygghet kopplat till utomhusvistelse": (indicator, year, value, riket).
NACKA_SURVEY = [
    ("Trygg utomhus i området när det är mörkt", 2023, "83.5", "75"),
    ("Trygg utomhus i området när det är mörkt", 2022, "81.3", None),
    ("Inte orolig för att utsättas för våldsbrott", 2023, "82", "76"),
    ("Inte orolig för att utsättas för våldsbrott", 2022, "79", None),
]

# Seed 000, table "Kommundel 2020 jämfört med 2023": change in percent per kommundel.
# The seed's "Totalt" row (−93, −289, 183) adds the percentages together; it is not
# stored: a total must come from counts, which the seed does not give.
NACKA_CHANGE_BY_KOMMUNDEL = {
    "Boo": (-26, -74, 50),
    "Fisksätra/Saltsjöbaden": (-18, -77, 40),
    "Sicklaön": (-27, -74, 43),
    "Älta": (-22, -64, 50),
}
CHANGE_CATEGORIES = ("Antal brott", "Skadegörelse", "Bedrägerier")
# Skadegörelse and bedrägerier are parts of all crimes: the hierarchy says so, and nothing
# adds them up.
CHANGE_CODES = {
    "Antal brott": ("alla_brott", "", 1),
    "Skadegörelse": ("skadegorelse", "alla_brott", 2),
    "Bedrägerier": ("bedragerier", "alla_brott", 2),
}
# Seed 000, text under "Polisanmälda brott": the whole kommun, "år 2020 – 2024".
NACKA_CHANGE_KOMMUN = (-23, -72, 46)


def _data(*parts: str) -> Path:
    return Path(settings.REFERENCE_DATA_DIR).joinpath(*parts)


def _import(organisation, kind, path: Path, options, stdout):
    content = path.read_bytes()
    batch = services.import_batch_create(
        actor=None, organisation=organisation, kind=kind, filename=path.name, content=content
    )
    batch = importers.run(actor=None, batch=batch, content=content, options=options)
    if batch.status != batch.Status.DONE:
        stdout.write(f"Statistik: {path.name} kunde inte läsas in: {batch.problems[:3]}")
    return batch


def _goteborg(stdout) -> Organisation | None:
    area = Area.objects.filter(kind=AreaKind.KOMMUN, code="1480").first()
    if area is None:
        stdout.write("Statistik: Göteborgs kommun saknas bland områdena – hoppar över Göteborg.")
        return None
    organisation = core_services.organisation_create(
        actor=None, name="Göteborgs stad", kind=OrganisationKind.KOMMUN, area=area
    )
    user = core_services.user_create(
        actor=None,
        username="goteborg",
        password=personas.DEMO_PASSWORD,
        first_name="Göta",
        last_name="Samordnare",
        email="goteborg@example.se",
    )
    core_services.membership_create(
        actor=None,
        user=user,
        organisation=organisation,
        role=Role.SAMORDNARE,
        title="Säkerhetssamordnare",
    )
    return organisation


def load(world, stdout) -> None:
    nacka = world.organisations["nacka"]
    nacka_area = world.areas["Nacka"]

    # Another section may already have recorded one year; the series names the source once.
    population = IndicatorSeries.objects.filter(
        organisation=nacka, name=services.POPULATION_SERIES_NAME
    ).first()
    if population is not None and population.source != POPULATION_SOURCE:
        services.series_update(actor=None, series=population, source=POPULATION_SOURCE)
    for year, count in NACKA_POPULATION.items():
        services.population_set(
            actor=None,
            organisation=nacka,
            area=nacka_area,
            year=year,
            count=count,
            source=POPULATION_SOURCE,
        )

    for indicator, year, value, national in NACKA_SURVEY:
        services.survey_value_set(
            actor=None,
            organisation=nacka,
            indicator=indicator,
            area=nacka_area,
            year=year,
            value=Decimal(value),
            comparison_value=Decimal(national) if national else None,
            source=SCB_SURVEY,
        )

    change = services.series_create(
        actor=None,
        organisation=nacka,
        name="Förändring i polisanmälda brott (procent)",
        kind=SeriesKind.REPORTED_CRIME,
        unit=Unit.PERCENT,
        source="Verksamhetsberättelse 2023, KSTU (Brå:s statistik)",
        description=(
            "Förändring i procent per kommundel, 2020 jämfört med 2023, enligt "
            "verksamhetsberättelsens tabell, och för hela kommunen enligt texten, som anger "
            "perioden 2020–2024. Antalen finns inte i underlaget, så ingen summa kan "
            'räknas fram: tabellens rad "Totalt" (−93, −289, 183) lade ihop procentsatser '
            "och är inte med."
        ),
    )
    for name, values in NACKA_CHANGE_BY_KOMMUNDEL.items():
        for category, value in zip(CHANGE_CATEGORIES, values, strict=True):
            services.observation_set(
                actor=None,
                series=change,
                area=world.areas[name],
                period_start=dt.date(2020, 1, 1),
                period_end=dt.date(2023, 12, 31),
                period_label="2020–2023",
                category=category,
                value=value,
                category_code=CHANGE_CODES[category][0],
                category_parent_code=CHANGE_CODES[category][1],
                category_level=CHANGE_CODES[category][2],
            )
    for category, value in zip(CHANGE_CATEGORIES, NACKA_CHANGE_KOMMUN, strict=True):
        services.observation_set(
            actor=None,
            series=change,
            area=nacka_area,
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2024, 12, 31),
            period_label="2020–2024",
            category=category,
            value=value,
            category_code=CHANGE_CODES[category][0],
            category_parent_code=CHANGE_CODES[category][1],
            category_level=CHANGE_CODES[category][2],
        )

    goteborg = _goteborg(stdout)
    if goteborg is not None:
        _import(
            goteborg,
            ImportKind.BRA_YEARLY,
            _data("bra", "bra_goteborg_stadsomraden_2023_2025.csv"),
            {"series_name": "Anmälda brott per stadsområde (Brå)", "is_public": True},
            stdout,
        )
    _import(
        nacka,
        ImportKind.BRA_MONTHLY,
        _data("bra", "lulea_boden_monthly_2026-08_excerpt.csv"),
        {"series_name": "Exempel: anmälda brott per månad, Luleå och Boden (Brå)"},
        stdout,
    )
    _import(
        nacka,
        ImportKind.PX,
        _data("px", "BE0101F1datasymbols.px"),
        {"series_name": "Exempel: inflyttade efter region, ålder och kön 2003 (SCB, PX)"},
        stdout,
    )
    stdout.write("Statistik: folkmängd, enkätresultat, Brå-siffror och exempelfiler.")
