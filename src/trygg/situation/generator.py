"""Generated incident reports for the demo and the benchmark ("genererade demodata").

The reports follow realistic time-of-week and category profiles, so that the heatmap and
the weekly picture show what a kommun actually sees: klotter and skadegörelse at night and
at weekends, youths gathering on Friday and Saturday evenings, litter found in the morning
(after the weekend most of all), thefts in shopping hours. A few planted bursts ("a run of
klotter at Älta centrum") give the weekly picture deviations to flag.

Everything is drawn from one ``random.Random(seed)``: the same seed, period and places give
the same reports, so the demo and the benchmark are repeatable.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

LOCAL = ZoneInfo(settings.TIME_ZONE)

# Weekday weights, Monday first.
WEEKDAYS_FLAT = (1, 1, 1, 1, 1, 1, 1)
WEEKEND = (0.8, 0.7, 0.8, 0.9, 1.4, 1.8, 1.5)
FRIDAY_SATURDAY = (0.4, 0.4, 0.6, 0.8, 2.2, 2.5, 0.9)
AFTER_WEEKEND = (1.9, 1.1, 1.0, 1.0, 1.0, 0.7, 0.9)
WORKDAYS = (1.2, 1.2, 1.2, 1.2, 1.1, 0.6, 0.5)


def _hours(*peaks: tuple[int, float, float], base: float = 0.05) -> tuple[float, ...]:
    """24 weights: a small base plus Gaussian bumps (centre hour, width, height), wrapping."""
    weights = []
    for hour in range(24):
        value = base
        for centre, width, height in peaks:
            distance = min(abs(hour - centre), 24 - abs(hour - centre))
            value += height * math.exp(-(distance**2) / (2 * width**2))
        weights.append(value)
    return tuple(weights)


@dataclass(frozen=True)
class CategoryProfile:
    """When and how a kind of incident happens, as a share of all reports."""

    name: str
    share: float
    weekdays: tuple[float, ...]
    hours: tuple[float, ...]
    assessments: tuple[float, float, float] = (0.6, 0.3, 0.1)
    # Month weights January first; None: even over the year.
    months: tuple[float, ...] | None = None
    # Place name → relative weight; places not named get weight 1.
    places: dict[str, float] = field(default_factory=dict)
    descriptions: tuple[str, ...] = ()


SUMMER = (0.6, 0.6, 0.8, 1.0, 1.2, 1.4, 1.3, 1.3, 1.1, 0.9, 0.8, 0.7)
DARK = (1.6, 1.4, 1.1, 0.8, 0.5, 0.3, 0.3, 0.5, 0.9, 1.3, 1.6, 1.8)

# The category names are those of trygg.incidents.services.DEFAULT_CATEGORIES.
PROFILES: tuple[CategoryProfile, ...] = (
    CategoryProfile(
        "Klotter",
        0.17,
        WEEKEND,
        _hours((1, 2.2, 1.0), (22, 1.5, 0.5), base=0.04),
        places={"Älta centrum": 1.6, "Sickla köpkvarter": 1.3, "Fisksätra centrum": 1.4},
        descriptions=(
            "Nytt klotter på fasaden vid entrén.",
            "Klotter i gångtunneln, ca 3 m².",
            "Taggar på busskuren och elskåpet.",
            "Klotter på lekplatsens redskap.",
        ),
    ),
    CategoryProfile(
        "Skadegörelse",
        0.14,
        WEEKEND,
        _hours((0, 2.5, 1.0), (21, 1.5, 0.4), base=0.05),
        assessments=(0.45, 0.4, 0.15),
        places={"Orminge centrum": 1.4, "Fisksätra centrum": 1.5},
        descriptions=(
            "Krossad ruta i busskuren.",
            "Sönderslagen papperskorg.",
            "Trasig belysningsstolpe efter sparkar.",
            "Skadad cykelparkering.",
        ),
    ),
    CategoryProfile(
        "Nedskräpning",
        0.13,
        AFTER_WEEKEND,
        _hours((8, 1.5, 1.0), (16, 2.5, 0.25), base=0.02),
        months=SUMMER,
        descriptions=(
            "Mycket skräp efter helgen vid bänkarna.",
            "Överfulla papperskorgar.",
            "Skräp och glasflaskor på badplatsen.",
            "Grovsopor dumpade vid återvinningen.",
        ),
    ),
    CategoryProfile(
        "Ungdomar som samlas/stök",
        0.13,
        FRIDAY_SATURDAY,
        _hours((21, 2.0, 1.0), (17, 1.5, 0.3), base=0.01),
        months=SUMMER,
        assessments=(0.5, 0.4, 0.1),
        places={"Orminge centrum": 1.8, "Fisksätra centrum": 1.6, "Älta centrum": 1.5},
        descriptions=(
            "Grupp om ca 15 ungdomar, hög ljudnivå.",
            "Ungdomar samlas vid entrén, mopeder.",
            "Stök vid busshållplatsen, smällare.",
            "Ungdomar samlade vid skolgården sent.",
        ),
    ),
    CategoryProfile(
        "Bristande belysning",
        0.05,
        WORKDAYS,
        _hours((17, 2.0, 1.0), (7, 1.0, 0.4), base=0.02),
        months=DARK,
        assessments=(0.7, 0.25, 0.05),
        descriptions=(
            "Gatubelysningen släckt längs gångvägen.",
            "Trasig armatur i parkeringshuset.",
            "Mörkt vid busshållplatsen, lampa ur funktion.",
        ),
    ),
    CategoryProfile(
        "Otrygg plats",
        0.06,
        WEEKEND,
        _hours((20, 2.5, 1.0), base=0.05),
        months=DARK,
        descriptions=(
            "Boende upplever platsen som otrygg kvällstid.",
            "Skymd sikt och buskage vid gångvägen.",
        ),
    ),
    CategoryProfile(
        "Ordningsstörning",
        0.08,
        WEEKEND,
        _hours((23, 2.0, 1.0), (15, 2.0, 0.2), base=0.03),
        assessments=(0.45, 0.4, 0.15),
        places={"Nacka Forum": 1.3, "Sickla köpkvarter": 1.2},
        descriptions=(
            "Berusade personer, högljutt bråk.",
            "Störande musik och bråk vid torget.",
        ),
    ),
    CategoryProfile(
        "Misstänkt narkotikahandel",
        0.04,
        WEEKDAYS_FLAT,
        _hours((19, 2.5, 1.0), base=0.03),
        assessments=(0.2, 0.5, 0.3),
        places={"Fisksätra centrum": 2.0, "Orminge centrum": 1.5},
        descriptions=(
            "Misstänkt överlämning vid gångtunneln.",
            "Återkommande bilar som stannar kort vid parkeringen.",
        ),
    ),
    CategoryProfile(
        "Inbrott",
        0.03,
        WEEKDAYS_FLAT,
        _hours((3, 2.0, 1.0), base=0.05),
        assessments=(0.2, 0.5, 0.3),
        places={"Kummelbergets industriområde": 3.0},
        descriptions=(
            "Uppbrutet förråd.",
            "Inbrottsförsök i lokal, bänd dörr.",
        ),
    ),
    CategoryProfile(
        "Stöld",
        0.07,
        WORKDAYS,
        _hours((14, 3.0, 1.0), base=0.02),
        places={"Nacka Forum": 2.0, "Sickla köpkvarter": 2.0, "Orminge centrum": 1.3},
        descriptions=(
            "Cykelstöld vid pendelparkeringen.",
            "Stöld ur butik, personal larmade.",
        ),
    ),
    CategoryProfile(
        "Brand/anlagd brand",
        0.02,
        WEEKEND,
        _hours((22, 2.5, 1.0), base=0.03),
        assessments=(0.3, 0.4, 0.3),
        descriptions=("Brand i papperskorg.", "Anlagd brand i container."),
    ),
    CategoryProfile(
        "Hot/våld mot personal",
        0.02,
        WEEKEND,
        _hours((20, 3.0, 1.0), base=0.04),
        assessments=(0.1, 0.5, 0.4),
        descriptions=("Trygghetsvärd hotad verbalt.", "Personal knuffad vid tillsägelse."),
    ),
    CategoryProfile(
        "Övrigt",
        0.06,
        WORKDAYS,
        _hours((12, 4.0, 1.0), base=0.05),
        descriptions=("Övergiven cykel.", "Hund lös i lekparken.", "Vattenläcka i gångtunnel."),
    ),
)

# Relative weight of reports at each place (centres draw more); reports without a place are
# spread over the areas by AREA_WEIGHTS.
PLACE_WEIGHTS = {
    "Fisksätra centrum": 1.6,
    "Orminge centrum": 1.5,
    "Älta centrum": 1.2,
    "Nacka Forum": 1.4,
    "Sickla köpkvarter": 1.3,
    "Saltsjöbadens centrum": 0.6,
    "Kummelbergets industriområde": 0.5,
    "Nacka strand": 0.6,
}
AREA_WEIGHTS = {"Sicklaön": 0.36, "Boo": 0.3, "Fisksätra/Saltsjöbaden": 0.19, "Älta": 0.15}
SHARE_AT_PLACE = 0.6


class GeneratedReport(NamedTuple):
    """One generated report, as plain values (the bulk service inserts them as rows)."""

    occurred_at: dt.datetime
    category_id: int
    area_id: int | None
    place_id: int | None
    lat: float | None
    lon: float | None
    assessment: int
    description: str
    status: str


@dataclass(frozen=True)
class Burst:
    """A planted run of reports: ``count`` extra reports of a category at a place in a week."""

    category: str
    place: str
    week_start: dt.date  # a Monday
    count: int


@dataclass
class Target:
    """Where reports can be put: an area with its places and a centre for coordinates."""

    area: object
    places: list
    centre: tuple[float, float] | None


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


class ReportGenerator:
    """Draws generated reports; ``reports()`` yields GeneratedReport rows."""

    def __init__(
        self,
        *,
        organisation,
        categories: dict[str, object],
        areas: list,
        places: list,
        seed: int,
        profiles: tuple[CategoryProfile, ...] = PROFILES,
    ):
        self.organisation = organisation
        self.random = random.Random(seed)
        self.profiles = [p for p in profiles if p.name in categories]
        if not self.profiles:
            raise ValueError("none of the profiled categories exists")
        self.categories = categories
        self.category_ids = [categories[p.name].pk for p in self.profiles]
        self.assessment_cum = [_cumulative(p.assessments) for p in self.profiles]
        self.description_lists = [p.descriptions or ("",) for p in self.profiles]
        self.month_keep = [
            None if p.months is None else [w / max(p.months) for w in p.months]
            for p in self.profiles
        ]
        self.category_cum = _cumulative(p.share for p in self.profiles)
        self.places_by_name = {p.name: p for p in places}
        self.targets = self._targets(areas, places)
        # Per profile: cumulative weights over the 168 hours of the week.
        self.week_cum = [
            _cumulative(d * h for d in profile.weekdays for h in profile.hours)
            for profile in self.profiles
        ]
        self.place_cum = []
        for profile in self.profiles:
            weights = [
                PLACE_WEIGHTS.get(p.name, 1.0) * profile.places.get(p.name, 1.0) for p in places
            ]
            self.place_cum.append((list(places), _cumulative(weights)))
        self.area_list = list(self.targets.values())
        self.area_cum = _cumulative(
            AREA_WEIGHTS.get(t.area.name, 1 / max(len(self.targets), 1)) for t in self.area_list
        )

    @staticmethod
    def _targets(areas, places) -> dict[int, Target]:
        targets: dict[int, Target] = {}
        for area in areas:
            own = [p for p in places if p.area_id == area.pk]
            points = [(p.lat, p.lon) for p in own if p.lat is not None]
            if area.centre_lat is not None:
                centre = (area.centre_lat, area.centre_lon)
            elif points:
                centre = (
                    sum(p[0] for p in points) / len(points),
                    sum(p[1] for p in points) / len(points),
                )
            else:
                centre = None
            targets[area.pk] = Target(area=area, places=own, centre=centre)
        return targets

    def reports(
        self,
        *,
        start: dt.datetime,
        end: dt.datetime,
        count: int,
        bursts: tuple[Burst, ...] = (),
        now: dt.datetime | None = None,
    ) -> Iterator[GeneratedReport]:
        """``count`` reports over [start, end) in time order, with the planted bursts.

        Reports are drawn week by week, each week's share sorted by time: a load in time
        order appends to the time indexes instead of inserting all over them.
        """
        now = min(now or end, end)
        first_monday = start.astimezone(LOCAL).date()
        first_monday -= dt.timedelta(days=first_monday.weekday())
        mondays = []
        monday = first_monday
        while dt.datetime.combine(monday, dt.time(), tzinfo=LOCAL) < now:
            mondays.append(monday)
            monday += dt.timedelta(days=7)
        # Each week's share of the count, in proportion to how much of it lies in the range.
        spans = []
        for monday in mondays:
            week_start = max(start, dt.datetime.combine(monday, dt.time(), tzinfo=LOCAL))
            week_end = min(
                now, dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), tzinfo=LOCAL)
            )
            spans.append(max((week_end - week_start).total_seconds(), 0))
        total_span = sum(spans) or 1
        quotas = [int(count * span / total_span) for span in spans]
        for index in range(count - sum(quotas)):
            quotas[index % len(quotas)] += 1
        by_week = {b.week_start: [] for b in bursts}
        for burst in bursts:
            by_week[burst.week_start].append(burst)
        for monday, quota in zip(mondays, quotas, strict=True):
            week = list(self._week(monday, quota, start, now))
            for burst in by_week.get(monday, []):
                week.extend(self._burst(burst, start, now))
            week.sort(key=lambda report: report.occurred_at)
            yield from week

    def _week(self, monday: dt.date, quota: int, start, now) -> Iterator[GeneratedReport]:
        rnd = self.random.random
        randrange = self.random.randrange
        last = len(self.profiles) - 1
        category_cum, category_total = self.category_cum, self.category_cum[-1]
        made = attempts = 0
        while made < quota and attempts < quota * 20 + 100:
            attempts += 1
            index = min(bisect.bisect(category_cum, rnd() * category_total), last)
            cum = self.week_cum[index]
            cell = min(bisect.bisect(cum, rnd() * cum[-1]), 167)
            day = monday + dt.timedelta(days=cell // 24)
            keep = self.month_keep[index]
            if keep is not None and rnd() >= keep[day.month - 1]:
                continue  # the season: fewer of this kind this month
            moment = dt.datetime(
                day.year, day.month, day.day, cell % 24, randrange(60), tzinfo=LOCAL
            ).astimezone(dt.UTC)
            if not (start <= moment < now):
                continue
            made += 1
            yield self._report(index, moment, now)

    def _report(self, index: int, moment: dt.datetime, now: dt.datetime, place=None):
        rnd = self.random.random
        lat = lon = None
        if place is None and rnd() < SHARE_AT_PLACE:
            places, cum = self.place_cum[index]
            if places:
                place = places[min(bisect.bisect(cum, rnd() * cum[-1]), len(places) - 1)]
        if place is not None:
            area_id = place.area_id
            if place.lat is not None:
                # About ±150 m around the place: reports are made where it happened.
                lat = round(place.lat + (rnd() - 0.5) * 0.0028, 6)
                lon = round(place.lon + (rnd() - 0.5) * 0.0052, 6)
        else:
            cum = self.area_cum
            target = self.area_list[min(bisect.bisect(cum, rnd() * cum[-1]), len(cum) - 1)]
            area_id = target.area.pk
            if target.centre is not None:
                lat = round(target.centre[0] + (rnd() - 0.5) * 0.024, 6)
                lon = round(target.centre[1] + (rnd() - 0.5) * 0.044, 6)
        cum = self.assessment_cum[index]
        assessment = 1 + min(bisect.bisect(cum, rnd() * cum[-1]), 2)
        age = (now - moment).days
        status = "ny" if age < 7 else ("granskad" if age < 30 else "avslutad")
        descriptions = self.description_lists[index]
        return GeneratedReport(
            occurred_at=moment,
            category_id=self.category_ids[index],
            area_id=area_id,
            place_id=place.pk if place is not None else None,
            lat=lat,
            lon=lon,
            assessment=assessment,
            description=descriptions[int(rnd() * len(descriptions))],
            status=status,
        )

    def _burst(self, burst: Burst, start, now):
        if burst.category not in self.categories or burst.place not in self.places_by_name:
            return
        index = next(i for i, p in enumerate(self.profiles) if p.name == burst.category)
        place = self.places_by_name[burst.place]
        cum = self.week_cum[index]
        made = attempts = 0
        while made < burst.count and attempts < burst.count * 50:
            attempts += 1
            cell = min(bisect.bisect(cum, self.random.random() * cum[-1]), 167)
            day = burst.week_start + dt.timedelta(days=cell // 24)
            moment = dt.datetime(
                day.year, day.month, day.day, cell % 24, self.random.randrange(60), tzinfo=LOCAL
            ).astimezone(dt.UTC)
            if not (start <= moment < now):
                continue
            made += 1
            yield self._report(index, moment, now, place=place)


def nacka_bursts(last_week_start: dt.date) -> tuple[Burst, ...]:
    """Deviations for the demo's default weekly picture (the last complete week) and a few
    earlier ones, so that the quarter's top places differ from the year's."""
    week = dt.timedelta(days=7)
    return (
        Burst("Klotter", "Älta centrum", last_week_start, 9),
        Burst("Ungdomar som samlas/stök", "Orminge centrum", last_week_start, 8),
        Burst("Skadegörelse", "Fisksätra centrum", last_week_start - 3 * week, 7),
        Burst("Inbrott", "Kummelbergets industriområde", last_week_start - 6 * week, 6),
        Burst("Nedskräpning", "Saltsjöbadens centrum", last_week_start - 20 * week, 8),
    )
