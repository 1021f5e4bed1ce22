"""Fixtures for the cases tests: case roles, extra people and three cases on top of the
personas' world.

- sspf: coordinator of every case here
- kurator (Nacka kommun, school): participant in case `alva` and `omar`
- ungdomspolis (LPO Nacka): participant in `alva` (the consent covers LPO Nacka)
- varmdo_sspf (Värmdö kommun): participant in `alva` (the consent covers the kommun Värmdö)
- enhetschef: unit manager of kurator; socjour: the emergency role
- `nils` has no consent: only the coordinator sees it
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from trygg.cases import services
from trygg.cases.choices import (
    CaseRoleKind,
    ConsentGiver,
    Gender,
    ParticipantFunction,
    Programme,
)
from trygg.core import services as core_services
from trygg.core.choices import Role

# Valid, fictitious numbers (check digit right); the tests search every output for them.
PNR_ALVA = "20100315-2384"
PNR_OMAR = "20090704-1230"
PNR_NILS = "20120101-0012"


def make_user(world, username, org_key, *, role=Role.MEDLEM):
    user = core_services.user_create(
        actor=None,
        username=username,
        password="trygg-demo-2026",
        first_name=username.capitalize(),
        last_name="Test",
        email=f"{username}@example.se",
    )
    core_services.membership_create(
        actor=None, user=user, organisation=world.organisations[org_key], role=role
    )
    world.users[username] = user
    return user


@pytest.fixture
def cases(world):
    nacka = world.organisations["nacka"]
    lpo = world.organisations["lpo_nacka"]
    varmdo = world.organisations["varmdo"]
    users = world.users
    for name, org in [
        ("kurator", "nacka"),
        ("ungdomspolis", "lpo_nacka"),
        ("varmdo_sspf", "varmdo"),
        ("enhetschef", "nacka"),
        ("socjour", "nacka"),
    ]:
        make_user(world, name, org)
    services.case_role_grant(
        actor=None, organisation=nacka, user=users["sspf"], role=CaseRoleKind.COORDINATOR
    )
    services.case_role_grant(
        actor=None,
        organisation=nacka,
        user=users["enhetschef"],
        role=CaseRoleKind.SUPERVISOR,
        staff=[users["kurator"]],
    )
    services.case_role_grant(
        actor=None, organisation=nacka, user=users["socjour"], role=CaseRoleKind.EMERGENCY
    )

    def new_case(name, pnr, gender, start):
        return services.case_create(
            actor=users["sspf"],
            organisation=nacka,
            programme=Programme.SSPF,
            youth_name=name,
            personnummer=pnr,
            gender=gender,
            start_date=start,
            coordinator=users["sspf"],
            school="Fisksätra skola",
            home_area=world.areas["Fisksätra/Saltsjöbaden"],
        )

    alva = new_case("Alva Exempelsson", PNR_ALVA, Gender.GIRL, dt.date(2023, 2, 1))
    omar = new_case("Omar Provqvist", PNR_OMAR, Gender.BOY, dt.date(2023, 3, 1))
    nils = new_case("Nils Utansamtycke", PNR_NILS, Gender.BOY, dt.date(2023, 4, 1))
    consent = services.consent_add(
        actor=users["sspf"],
        case=alva,
        given_by=ConsentGiver.GUARDIANS,
        valid_from=dt.date(2023, 2, 1),
        organisations=[nacka, lpo],
        kommuner=[varmdo.area],
    )
    omar_consent = services.consent_add(
        actor=users["sspf"],
        case=omar,
        given_by=ConsentGiver.GUARDIANS,
        valid_from=dt.date(2023, 3, 1),
        organisations=[nacka],
    )
    for case, username, org, function in [
        (alva, "kurator", nacka, ParticipantFunction.SCHOOL),
        (alva, "ungdomspolis", lpo, ParticipantFunction.POLICE),
        (alva, "varmdo_sspf", varmdo, ParticipantFunction.SOCIAL),
        (omar, "kurator", nacka, ParticipantFunction.SCHOOL),
        (nils, "kurator", nacka, ParticipantFunction.SCHOOL),
    ]:
        services.participant_add(
            actor=users["sspf"],
            case=case,
            user=users[username],
            function=function,
            organisation=org,
        )
    entry = services.plan_entry_add(
        actor=users["sspf"],
        case=alva,
        what_happened="Hög frånvaro.",
        what_is_needed="Nätverksmöte.",
        who_does_what="Kuratorn kallar.",
        due_date=dt.date(2023, 3, 1),
    )
    from trygg.core.twofactor import demo_devices_ensure

    # Everyone who can read cases must use two factors; the demo secret stands in for their app.
    demo_devices_ensure(users.values())
    return SimpleNamespace(
        world=world,
        users=users,
        nacka=nacka,
        lpo=lpo,
        varmdo=varmdo,
        alva=alva,
        omar=omar,
        nils=nils,
        consent=consent,
        omar_consent=omar_consent,
        entry=entry,
    )
