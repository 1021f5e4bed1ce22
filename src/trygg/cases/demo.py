"""Demo data: Nacka's SSPF and SIG cases, generated so that the 2023 figures of seed 000 come
out of ``case_statistics`` (72 → 117 youths, 39 girls at year end, aged 9–19, 17 closed,
92 % of the youths and every parent satisfied; six SIG youths of whom one closed).

The figures are not typed anywhere: the cases are generated, and the statistics computed from
them. Every name and personnummer is fictitious and every case is marked as demo data.
"""

from __future__ import annotations

import datetime as dt
import random

from trygg.cases import services
from trygg.cases.choices import (
    CaseRoleKind,
    ClosureReason,
    ConsentGiver,
    Gender,
    NoteKind,
    ParticipantFunction,
    Programme,
    Satisfaction,
)
from trygg.core import services as core_services
from trygg.core.choices import Role
from trygg.core.personas import DEMO_PASSWORD

FIRST_GIRLS = ["Alva", "Ebba", "Saga", "Wilma", "Nora", "Elsa", "Leah", "Amira", "Selma", "Tyra"]
FIRST_BOYS = ["Noah", "Elias", "Liam", "Adam", "Omar", "Hugo", "Leo", "Ali", "Isak", "Melvin"]
SURNAMES = ["Exempelsson", "Demogren", "Provqvist", "Testberg", "Fiktivsson", "Påhittsdotter"]
# Kommundel → school; most cases are in Fisksätra, Orminge (Boo) and Älta (seed 000).
AREAS = [
    ("Fisksätra/Saltsjöbaden", "Fisksätra skola", 4),
    ("Boo", "Orminge skola", 3),
    ("Älta", "Ältaskolan", 3),
    ("Sicklaön", "Sickla skola", 1),
]

# Extra demo people around the cases (the fixed personas stay as they are; `polis` is in none).
PEOPLE = {
    # username: (first, last, organisation key, title)
    "kurator": ("Kim", "Kurator", "nacka", "Skolkurator, Fisksätra skola"),
    "faltare": ("Fia", "Fältassistent", "nacka", "Fältassistent"),
    "ungdomspolis": ("Ulla", "Ungdomspolis", "lpo_nacka", "Ungdomssamordnare, polisen"),
    "varmdo_sspf": ("Vera", "Värmdö", "varmdo", "SSPF-samordnare, Värmdö"),
    "enhetschef": ("Eva", "Enhetschef", "nacka", "Enhetschef, ungdomsenheten"),
    "socjour": ("Sam", "Socjour", "nacka", "Socialjouren (nödåtkomst)"),
}


def _personnummer(rng: random.Random, birth_year: int, girl: bool) -> str:
    born = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    serial = rng.randrange(10, 99)
    gender_digit = rng.choice([0, 2, 4, 6, 8] if girl else [1, 3, 5, 7, 9])
    nine = f"{born:%y%m%d}{serial:02d}{gender_digit}"
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    check = (10 - total % 10) % 10
    return f"{born:%Y%m%d}-{nine[6:]}{check}"


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _plan(total: int, girls: int) -> list[bool]:
    return [True] * girls + [False] * (total - girls)


def load(world, stdout) -> None:
    rng = random.Random(2023)
    nacka = world.organisations["nacka"]
    lpo = world.organisations["lpo_nacka"]
    varmdo = world.organisations["varmdo"]
    users = dict(world.users)
    for username, (first, last, org_key, title) in PEOPLE.items():
        user = core_services.user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@example.se",
        )
        core_services.membership_create(
            actor=None,
            user=user,
            organisation=world.organisations[org_key],
            role=Role.MEDLEM,
            title=title,
        )
        users[username] = user
    coordinator = users["sspf"]
    services.case_role_grant(
        actor=None, organisation=nacka, user=coordinator, role=CaseRoleKind.COORDINATOR
    )
    services.case_role_grant(
        actor=None,
        organisation=nacka,
        user=users["enhetschef"],
        role=CaseRoleKind.SUPERVISOR,
        staff=[coordinator, users["kurator"], users["faltare"]],
    )
    services.case_role_grant(
        actor=None, organisation=nacka, user=users["socjour"], role=CaseRoleKind.EMERGENCY
    )

    # SSPF, 2023: 72 open at the start, 62 new, 17 closed → 117 open at the end, 39 of them
    # girls. Ages during 2023 run from 9 to 19.
    specs = []  # (start, closed_on or None, girl, birth year)
    end_girls = _plan(117, 39)
    rng.shuffle(end_girls)
    closed_2023_girls = _plan(17, 6)
    for _ in range(72):
        specs.append({"start": _date(rng, dt.date(2020, 9, 1), dt.date(2022, 12, 31))})
    for _ in range(62):
        specs.append({"start": _date(rng, dt.date(2023, 1, 9), dt.date(2023, 12, 15))})
    # Which cases close in 2023: 12 of those open at the start, 5 of the new ones.
    closing = rng.sample(range(72), 12) + rng.sample(range(72, 134), 5)
    staying = [i for i in range(134) if i not in closing]
    for position, index in enumerate(closing):
        spec = specs[index]
        earliest = max(spec["start"] + dt.timedelta(days=30), dt.date(2023, 1, 15))
        spec["closed"] = _date(rng, min(earliest, dt.date(2023, 12, 20)), dt.date(2023, 12, 20))
        spec["girl"] = closed_2023_girls[position]
    for position, index in enumerate(staying):
        specs[index]["girl"] = end_girls[position]
    for spec in specs:
        spec["birth_year"] = 2023 - rng.randint(11, 17)
    specs[staying[0]]["birth_year"] = 2023 - 9  # the youngest
    specs[staying[1]]["birth_year"] = 2023 - 10
    specs[closing[0]]["birth_year"] = 2023 - 19  # the oldest, closed for age
    specs[closing[0]]["reason"] = ClosureReason.AGE
    # Some of those still open at the end of 2023 close later; a few cases closed before 2023.
    for index in rng.sample(staying, 20):
        specs[index]["closed"] = _date(rng, dt.date(2024, 2, 1), dt.date(2025, 11, 30))
    history = [
        {
            "start": _date(rng, dt.date(2019, 9, 1), dt.date(2021, 6, 30)),
            "closed": _date(rng, dt.date(2021, 9, 1), dt.date(2022, 12, 20)),
            "girl": rng.random() < 0.35,
            "birth_year": 2022 - rng.randint(13, 18),
        }
        for _ in range(8)
    ]
    # Satisfaction follow-up in 2023: 13 of the 17 who closed answered, 12 of them very or
    # fairly satisfied (92 %); all 13 guardians were satisfied.
    answered = closing[:13]
    youth_answers = {
        i: Satisfaction.VERY if k % 2 else Satisfaction.FAIRLY for k, i in enumerate(answered)
    }
    youth_answers[answered[5]] = Satisfaction.NOT_VERY

    cases = []
    for index, spec in enumerate(history + specs):
        cases.append(
            _make_case(
                rng,
                world,
                coordinator,
                Programme.SSPF,
                spec,
                youth=youth_answers.get(index - len(history)),
                guardians=Satisfaction.VERY if (index - len(history)) in youth_answers else None,
                lpo=lpo,
                varmdo=varmdo,
                users=users,
            )
        )

    # SIG: six youths during 2023, one of whom closed.
    sig_specs = [
        {"start": dt.date(2022, 5, 10)},
        {"start": dt.date(2022, 10, 3)},
        {"start": dt.date(2023, 2, 14), "closed": dt.date(2023, 11, 20)},
        {"start": dt.date(2023, 4, 3)},
        {"start": dt.date(2023, 6, 12)},
        {"start": dt.date(2023, 9, 25)},
    ]
    for spec in sig_specs:
        spec["girl"] = False
        spec["birth_year"] = 2023 - rng.randint(15, 18)
        cases.append(
            _make_case(
                rng, world, coordinator, Programme.SIG, spec, lpo=lpo, varmdo=varmdo, users=users
            )
        )

    _work_in_cases(rng, world, coordinator, [c for c in cases if c.is_open][:6])
    stdout.write(f"Ungdomsärenden: {len(cases)} (demo), samordnare: {coordinator.username}.")


def _make_case(
    rng, world, coordinator, programme, spec, *, lpo, varmdo, users, youth=None, guardians=None
):
    nacka = world.organisations["nacka"]
    area_name, school, _weight = rng.choices(AREAS, weights=[a[2] for a in AREAS])[0]
    girl = spec["girl"]
    first = rng.choice(FIRST_GIRLS if girl else FIRST_BOYS)
    case = services.case_create(
        actor=None,
        organisation=nacka,
        programme=programme,
        youth_name=f"{first} {rng.choice(SURNAMES)}",
        personnummer=_personnummer(rng, spec["birth_year"], girl),
        gender=Gender.GIRL if girl else Gender.BOY,
        start_date=spec["start"],
        coordinator=coordinator,
        school=school if 2023 - spec["birth_year"] < 16 else "",
        home_area=world.areas[area_name],
        is_demo=True,
    )
    age_at_start = spec["start"].year - spec["birth_year"]
    covers_varmdo = rng.random() < 0.1
    services.consent_add(
        actor=None,
        case=case,
        given_by=ConsentGiver.BOTH if age_at_start >= 15 else ConsentGiver.GUARDIANS,
        given_by_names="Vårdnadshavare (demo)",
        valid_from=spec["start"],
        organisations=[nacka, lpo],
        kommuner=[varmdo.area] if covers_varmdo and varmdo.area else [],
    )
    if school == "Fisksätra skola":
        services.participant_add(
            actor=None,
            case=case,
            user=users["kurator"],
            function=ParticipantFunction.SCHOOL,
            organisation=nacka,
        )
    if rng.random() < 0.3:
        services.participant_add(
            actor=None,
            case=case,
            user=users["faltare"],
            function=ParticipantFunction.FIELD,
            organisation=nacka,
        )
    if programme == Programme.SIG or rng.random() < 0.15:
        services.participant_add(
            actor=None,
            case=case,
            user=users["ungdomspolis"],
            function=ParticipantFunction.POLICE,
            organisation=lpo,
        )
    if covers_varmdo:
        services.participant_add(
            actor=None,
            case=case,
            user=users["varmdo_sspf"],
            function=ParticipantFunction.SOCIAL,
            organisation=varmdo,
        )
    closed = spec.get("closed")
    if closed:
        services.case_close(
            actor=None,
            case=case,
            closed_on=closed,
            reason=spec.get("reason")
            or rng.choice(
                [ClosureReason.GOAL_REACHED, ClosureReason.OTHER_SUPPORT, ClosureReason.MOVED]
            ),
            youth_satisfaction=youth,
            guardian_satisfaction=guardians,
        )
    return case


def _work_in_cases(rng, world, coordinator, cases) -> None:
    """Plan entries, follow-ups and notes from the SSPF forum's individual part in a few cases."""
    from django.utils import timezone

    from trygg.forums.choices import ForumKind, MeetingStatus
    from trygg.forums.models import Meeting

    meetings = list(
        Meeting.objects.filter(
            forum__organisation=world.organisations["nacka"],
            forum__kind=ForumKind.SSPF,
            status=MeetingStatus.HELD,
        ).order_by("-starts_at")[:1]
    )
    today = timezone.localdate()
    for number, case in enumerate(cases):
        entry = services.plan_entry_add(
            actor=None,
            case=case,
            what_happened="Hög frånvaro sedan höstlovet; setts i centrum sent på kvällarna.",
            what_is_needed="Kontakt med vårdnadshavare och en plan för skolnärvaro.",
            who_does_what="Kurator kallar till nätverksmöte; fältassistent tar kontakt på fritiden.",
            due_date=today - dt.timedelta(days=14),
        )
        services.plan_entry_follow_up(
            actor=None,
            entry=entry,
            followed_up_on=today - dt.timedelta(days=14),
            note="Nätverksmöte hållet. Närvaron har börjat öka.",
            status="pagar",
            next_date=today + dt.timedelta(days=21),
        )
        if meetings:
            meeting = meetings[0]
            services.note_add(
                actor=None,
                case=case,
                kind=NoteKind.SSPF_INDIVIDUAL,
                held_on=timezone.localdate(meeting.starts_at),
                text="Skolan ser förbättrad närvaro. Polisen har inga nya händelser. "
                "Fritidsgården erbjuder plats i kvällsverksamheten.",
                meeting=meeting,
            )
        if number == 0:
            # One case whose consent has been withdrawn: only the coordinator still sees it.
            for consent in case.consents.all():
                services.consent_withdraw(actor=None, consent=consent)
