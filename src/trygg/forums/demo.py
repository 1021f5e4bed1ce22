"""Demo: Nacka's forums as seed 000 (verksamhetsberättelse 2023) describes them.

- the four local working groups "Trygg och säker" (Sicklaön, Älta, Boo,
  Fisksätra/Saltsjöbaden), six meetings each in 2023 – 24 together – with LPO Nacka as member;
- kommunstyrelsens trygghetsutskott, six meetings in 2023;
- the weekly check-in with the kommun's "goda krafter", the weekly individavstämning
  (Mondays 10:30–11:00), ungdomsutsättning every sixth week, the monthly SSPF forum and
  network meetings when needed, with meetings planned around today.

The forums, their cadences and the 2023 counts are from the seed. Meeting dates, minutes and
decisions are invented for the demo; some decisions are linked to measures of the demo plan.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trygg.forums import services
from trygg.forums.choices import CadenceKind, DecisionStatus, ForumKind, MeetingStatus, Weekday

GROUPS = [
    # (kommundel, weekday, time, place)
    ("Sicklaön", Weekday.TUESDAY, dt.time(15, 0), "Nacka stadshus"),
    ("Älta", Weekday.WEDNESDAY, dt.time(15, 0), "Älta bibliotek"),
    ("Boo", Weekday.TUESDAY, dt.time(9, 0), "Orminge centrum, medborgarkontoret"),
    ("Fisksätra/Saltsjöbaden", Weekday.THURSDAY, dt.time(14, 0), "Fisksätra folkets hus"),
]

# Decisions per working group: (meeting number 0–5, text, owner: "kommun"/"polis", days
# to due date, status, activity title of a plan measure to link or "").
GROUP_DECISIONS = {
    "Sicklaön": [
        (
            0,
            "Bjuda in bostadsbolagen till nästa möte om nedskräpning vid Sickla köpkvarter.",
            "kommun",
            40,
            DecisionStatus.DONE,
            "",
        ),
        (
            2,
            "Genomföra en trygghetsvandring vid Nacka strand med fastighetsägare och polis.",
            "kommun",
            60,
            DecisionStatus.DONE,
            "Trygghetsvandringar",
        ),
        (
            4,
            "Följa upp belysningen längs gångvägen mot Nacka Forum efter trygghetsvandringen.",
            "kommun",
            50,
            DecisionStatus.OPEN,
            "Trygghetsvandringar",
        ),
    ],
    "Älta": [
        (
            0,
            "Ta fram en lägesbild för Älta centrum inför våren.",
            "kommun",
            45,
            DecisionStatus.DONE,
            "",
        ),
        (
            1,
            "Polisen redovisar anmälda brott i Älta centrum kvartalsvis för arbetsgruppen.",
            "polis",
            90,
            DecisionStatus.DONE,
            "",
        ),
        (
            3,
            "Genomföra trygghetsvandring i Älta centrum med bostadsbolag och föreningar.",
            "kommun",
            45,
            DecisionStatus.DONE,
            "Trygghetsvandringar",
        ),
        (
            5,
            "Sätta upp information om våld i nära relation i tvättstugor i Älta.",
            "kommun",
            60,
            DecisionStatus.OPEN,
            "Information i tvättstugor, toaletter, etc.",
        ),
    ],
    "Boo": [
        (
            1,
            "Kartlägga platser i Orminge centrum där unga samlas kvällstid.",
            "kommun",
            45,
            DecisionStatus.DONE,
            "",
        ),
        (
            3,
            "Samordna kommunvakternas och polisens närvaro i Orminge under sommarlovet.",
            "polis",
            30,
            DecisionStatus.DONE,
            "",
        ),
        (
            5,
            "Bjuda in näringsidkarna i Kummelbergets industriområde till platssamverkan.",
            "kommun",
            75,
            DecisionStatus.OPEN,
            "Platssamverkan i Industriområde",
        ),
    ],
    "Fisksätra/Saltsjöbaden": [
        (
            0,
            "Följa upp Framgång Fisksätra i varje möte under året.",
            "kommun",
            300,
            DecisionStatus.DONE,
            "",
        ),
        (
            2,
            "Trygghetsvärdarna rapporterar händelser vid Fisksätra centrum veckovis.",
            "kommun",
            30,
            DecisionStatus.DONE,
            "Trygghetsvärdar i Fisksätra och Orminge",
        ),
        (
            4,
            "Ta fram förslag på feriearbete för 13–14-åringar i Fisksätra.",
            "kommun",
            60,
            DecisionStatus.DONE,
            "",
        ),
    ],
}

COMMITTEE_DECISIONS = [
    (
        1,
        "Genomföra en kampanj mot bedrägerier riktad till alla Nackabor 65 år och äldre.",
        dt.date(2023, 11, 30),
        DecisionStatus.DONE,
        "Äldre Brå",
    ),
    (
        2,
        "Kartlägga välfärdsbrott genom intervjuer med kommunens direktörer.",
        dt.date(2023, 12, 15),
        DecisionStatus.DONE,
        "",
    ),
    (
        3,
        "Genomföra en kampanj om våld i nära relation på platser där kvinnor kan vara ifred.",
        dt.date(2023, 12, 31),
        DecisionStatus.DONE,
        "Information i tvättstugor, toaletter, etc.",
    ),
    (
        5,
        "Ta fram en lägesbild och en åtgärdsplan enligt lagen (2023:196) före den 1 juli 2024.",
        dt.date(2024, 6, 30),
        DecisionStatus.DONE,
        "",
    ),
    (
        5,
        "Ta fram en ny samverkansöverenskommelse med polisen och besluta den i styrgruppen.",
        dt.date(2024, 12, 31),
        DecisionStatus.OPEN,
        "",
    ),
]

MINUTES = """Lägesbild från polisen och kommunen sedan förra mötet.

- Genomgång av händelser och anmälda brott i kommundelen
- Rapport från trygghetsvärdar och kommunvakter
- Uppföljning av beslutade åtgärder

Beslut enligt listan nedan."""

AGENDA = """1. Föregående minnesanteckningar
2. Lägesbild: polisen och kommunen
3. Uppföljning av beslutade åtgärder
4. Nya frågor
5. Nästa möte"""


def _measure(plan, activity_title: str):
    if plan is None or not activity_title:
        return None
    return plan.measures.filter(activity__title=activity_title).order_by("order", "pk").first()


def _hold(meeting, people, organisations, minutes: str = MINUTES) -> None:
    services.meeting_update(
        actor=None,
        meeting=meeting,
        status=MeetingStatus.HELD,
        agenda=AGENDA,
        minutes=minutes,
        participants=people,
        represented_organisations=organisations,
    )


def _working_group_target(plan, groups) -> None:
    """The plan's target for the working groups, computed from their held meetings."""
    from trygg.plans import services as plan_services
    from trygg.plans.choices import TargetSource

    measure = _measure(plan, "Arbetsgrupperna Trygg och säker (4 st, á 6ggr/år)")
    if measure is None:
        return
    plan_services.target_create(
        actor=None,
        measure=measure,
        description="Minst 6 möten per arbetsgrupp och år",
        value=6,
        unit="möten",
        period="year",
        source=TargetSource.MEETINGS,
        forums=groups,
        per_forum=True,
    )


def load(world, stdout) -> None:
    from trygg.plans.models import Plan

    nacka = world.organisations["nacka"]
    police = world.organisations["lpo_nacka"]
    kommun_area = world.areas["Nacka"]
    coordinator = world.users["samordnare"]
    member = world.users["arbetsgrupp"]
    officer = world.users["polis"]
    plan = Plan.objects.filter(organisation=nacka).first()
    today = timezone.localdate()
    counts = {"forums": 0, "meetings": 0, "decisions": 0}

    def decide(meeting, text, owner, due, status, activity):
        measure = _measure(plan, activity)
        decision = services.decision_create(
            actor=None,
            meeting=meeting,
            text=text,
            due_date=due,
            owner_user=owner[0],
            owner_organisation=owner[1],
            measures=[measure] if measure else [],
        )
        if status != DecisionStatus.OPEN:
            services.decision_set_status(
                actor=None,
                decision=decision,
                status=status,
                completed_on=min(due, today),
                note="Klart." if status == DecisionStatus.DONE else "",
            )
        counts["decisions"] += 1

    owners = {"kommun": (coordinator, nacka), "polis": (officer, police)}
    groups = []

    for area_name, weekday, at, place in GROUPS:
        members = [coordinator, officer] + ([member] if area_name == "Älta" else [])
        forum = services.forum_create(
            actor=None,
            organisation=nacka,
            name=f"Trygg och säker {area_name}",
            kind=ForumKind.ARBETSGRUPP,
            area=world.areas[area_name],
            description=(
                "Lokal arbetsgrupp med aktörer från kommun, polis, civilsamhälle och näringsliv. "
                "Skapar en gemensam lägesbild för kommundelen och vidtar åtgärder utifrån den."
            ),
            member_organisations=[police],
            members=members,
            cadence_kind=CadenceKind.PER_YEAR,
            cadence_count=6,
            cadence_weekday=weekday,
            cadence_time=at,
        )
        counts["forums"] += 1
        groups.append(forum)
        meetings = services.meeting_series_plan(
            actor=None, forum=forum, start=dt.date(2023, 1, 1), until=dt.date(2023, 12, 31)
        )
        for meeting in meetings:
            services.meeting_update(actor=None, meeting=meeting, location=place)
            _hold(meeting, members, [nacka, police])
        counts["meetings"] += len(meetings)
        for index, text, owner, days, status, activity in GROUP_DECISIONS[area_name]:
            meeting = meetings[index]
            due = timezone.localtime(meeting.starts_at).date() + dt.timedelta(days=days)
            decide(meeting, text, owners[owner], due, status, activity)
        # The group goes on meeting: the rest of this year and next year are planned.
        upcoming = services.meeting_series_plan(
            actor=None, forum=forum, start=today, until=dt.date(today.year + 1, 12, 31)
        )
        counts["meetings"] += len(upcoming)
        if area_name == "Älta" and upcoming:
            # An open decision from the latest meeting, due soon: it shows in the follow-up.
            latest = services.meeting_create(
                actor=None,
                forum=forum,
                starts_at=timezone.make_aware(
                    dt.datetime.combine(today - dt.timedelta(days=21), at)
                ),
                location=place,
            )
            _hold(latest, members, [nacka, police])
            decide(
                latest,
                "Kontakta fastighetsägaren om klotter och trasig belysning vid Älta centrum.",
                (member, nacka),
                today + dt.timedelta(days=10),
                DecisionStatus.OPEN,
                "",
            )
            decide(
                latest,
                "Polisen återkommer med en bedömning av mopedåkningen på gång- och cykelvägarna.",
                (officer, police),
                today - dt.timedelta(days=3),
                DecisionStatus.OPEN,
                "",
            )
            counts["meetings"] += 1

    _working_group_target(plan, groups)

    committee = services.forum_create(
        actor=None,
        organisation=nacka,
        name="Kommunstyrelsens trygghetsutskott",
        kind=ForumKind.UTSKOTT,
        area=kommun_area,
        description=(
            "Leder och samordnar kommunens trygghetsarbete. Tar emot rapporter från de lokala "
            "arbetsgrupperna, polisen och säkerhetsfunktionen."
        ),
        members=[coordinator],
        cadence_kind=CadenceKind.PER_YEAR,
        cadence_count=6,
        cadence_weekday=Weekday.MONDAY,
        cadence_time=dt.time(13, 0),
    )
    counts["forums"] += 1
    sessions = services.meeting_series_plan(
        actor=None, forum=committee, start=dt.date(2023, 1, 1), until=dt.date(2023, 12, 31)
    )
    for meeting in sessions:
        services.meeting_update(actor=None, meeting=meeting, location="Nacka stadshus, KS-salen")
        _hold(
            meeting,
            [coordinator],
            [nacka],
            minutes="Rapporter från de lokala arbetsgrupperna, polisen och säkerhetsfunktionen.\n\n"
            "- Välfärdsbrottslighet och folkbokföringsbrott\n"
            "- Trygghetsundersökningen\n"
            "- Plan för samverkan mellan kommun och polis",
        )
    counts["meetings"] += len(sessions)
    for index, text, due, status, activity in COMMITTEE_DECISIONS:
        decide(sessions[index], text, (coordinator, nacka), due, status, activity)

    recurring = [
        (
            "Veckoavstämning goda krafter",
            ForumKind.VECKOAVSTAMNING,
            CadenceKind.WEEKLY,
            None,
            Weekday.MONDAY,
            dt.time(9, 0),
            "",
            "Polarna, trygghetsvärdar, kommunvakter, SSPF-samordnare, fritidsgårdar, "
            "ambulans, räddningstjänst, elevhälsa och polis: händelser från den senaste veckan "
            "och helgen, så att de goda krafterna är på rätt plats vid rätt tidpunkt.",
        ),
        (
            "Individavstämning",
            ForumKind.INDIVIDAVSTAMNING,
            CadenceKind.WEEKLY,
            None,
            Weekday.MONDAY,
            dt.time(10, 30),
            "måndagar 10:30–11:00",
            "Händelser kring aktuella ungdomar: vad har hänt, vad behöver hända och vem gör vad.",
        ),
        (
            "Ungdomsutsättning",
            ForumKind.UNGDOMSUTSATTNING,
            CadenceKind.EVERY_N_WEEKS,
            6,
            Weekday.WEDNESDAY,
            dt.time(13, 0),
            "",
            "Avstämning om unga i riskzon och lägesbild för Älta, Orminge och Fisksätra.",
        ),
        (
            "SSPF-forum",
            ForumKind.SSPF,
            CadenceKind.PER_YEAR,
            12,
            Weekday.THURSDAY,
            dt.time(13, 0),
            "en gång per månad",
            "Skola, socialtjänst, polis och fritid: allmän lägesbild och individuell del per "
            "skola.",
        ),
        (
            "Nätverksmöten",
            ForumKind.NATVERKSMOTE,
            CadenceKind.AS_NEEDED,
            None,
            None,
            None,
            "",
            "Kallas vid behov med aktuell ungdom, vårdnadshavare och relevanta aktörer.",
        ),
    ]
    for name, kind, cadence_kind, count, weekday, at, text, description in recurring:
        forum = services.forum_create(
            actor=None,
            organisation=nacka,
            name=name,
            kind=kind,
            area=kommun_area,
            description=description,
            member_organisations=[police],
            members=[coordinator, officer],
            cadence_kind=cadence_kind,
            cadence_count=count,
            cadence_weekday=weekday,
            cadence_time=at,
            cadence_text=text,
        )
        counts["forums"] += 1
        if cadence_kind == CadenceKind.AS_NEEDED:
            continue
        planned = services.meeting_series_plan(
            actor=None,
            forum=forum,
            start=today - dt.timedelta(days=42),
            until=today + dt.timedelta(days=84),
        )
        for meeting in planned:
            if meeting.starts_at < timezone.now():
                _hold(meeting, [coordinator, officer], [nacka, police], minutes="")
        counts["meetings"] += len(planned)
        if kind == ForumKind.VECKOAVSTAMNING:
            past = [m for m in planned if m.status == MeetingStatus.HELD]
            if past:
                decide(
                    past[-1],
                    "Kommunvakterna förstärker närvaron vid Orminge centrum fredag och lördag kväll.",
                    (coordinator, nacka),
                    today + dt.timedelta(days=4),
                    DecisionStatus.OPEN,
                    "",
                )
    stdout.write(
        f"Samverkan: {counts['forums']} forum, {counts['meetings']} möten, "
        f"{counts['decisions']} beslut."
    )
