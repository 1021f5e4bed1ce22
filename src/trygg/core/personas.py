"""The fixed personas used by the demo and by every test (see docs/architecture.md).

- samordnare: säkerhetsstrateg in Nacka kommun (the law's samordningsfunktion)
- admin: administrator of Nacka kommun
- arbetsgrupp: member of the Älta working group, limited to Älta
- polis: kommunpolis in LPO Nacka, a partner of Nacka kommun
- rapportor: a trygghetsvärd who files incident reports
- sspf: SSPF coordinator in the social services
- utomstaende: säkerhetsstrateg in another kommun (Värmdö)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from trygg.core import services
from trygg.core.choices import AreaKind, OrganisationKind, Role
from trygg.core.models import Area, Organisation, Place

DEMO_PASSWORD = "trygg-demo-2026"

NACKA_KOMMUNDELAR = ["Sicklaön", "Älta", "Boo", "Fisksätra/Saltsjöbaden"]

# Real places in Nacka with approximate coordinates (WGS84).
NACKA_PLACES = [
    ("Fisksätra centrum", "Fisksätra/Saltsjöbaden", 59.2945, 18.2560),
    ("Saltsjöbadens centrum", "Fisksätra/Saltsjöbaden", 59.2790, 18.2990),
    ("Orminge centrum", "Boo", 59.3270, 18.2550),
    ("Kummelbergets industriområde", "Boo", 59.3230, 18.2300),
    ("Älta centrum", "Älta", 59.2600, 18.1790),
    ("Nacka Forum", "Sicklaön", 59.3095, 18.1630),
    ("Sickla köpkvarter", "Sicklaön", 59.3050, 18.1230),
    ("Nacka strand", "Sicklaön", 59.3170, 18.1610),
]

PERSONAS = {
    # username: (first name, last name, organisation key, role, title, limited to areas)
    "admin": ("Alva", "Admin", "nacka", Role.ADMINISTRATOR, "Systemförvaltare", []),
    "samordnare": ("Sara", "Samordnare", "nacka", Role.SAMORDNARE, "Säkerhetsstrateg", []),
    "arbetsgrupp": (
        "Arvid",
        "Arbetsgrupp",
        "nacka",
        Role.MEDLEM,
        "Arbetsgruppen Trygg och säker Älta",
        ["Älta"],
    ),
    "polis": ("Per", "Polis", "lpo_nacka", Role.SAMORDNARE, "Kommunpolis", []),
    "rapportor": ("Rut", "Rapportör", "nacka", Role.RAPPORTOR, "Trygghetsvärd", []),
    "sspf": ("Siv", "Socialsekreterare", "nacka", Role.MEDLEM, "SSPF-samordnare", []),
    "utomstaende": ("Ulf", "Utomstående", "varmdo", Role.SAMORDNARE, "Säkerhetsstrateg", []),
}


@dataclass
class World:
    """What build() made, for the demo loader and for tests."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def _kommun_area(code: str, name: str) -> Area:
    area = Area.objects.filter(kind=AreaKind.KOMMUN, code=code).first()
    if area is None:  # reference geography not loaded (unit tests): a bare kommun area
        area = services.area_create(
            actor=None, organisation=None, kind=AreaKind.KOMMUN, name=name, code=code
        )
    return area


def build(*, password: str = DEMO_PASSWORD) -> World:
    """Create Nacka kommun, LPO Nacka, Värmdö kommun, the kommundelar, places and personas."""
    world = World()
    nacka_area = _kommun_area("0182", "Nacka")
    varmdo_area = _kommun_area("0120", "Värmdö")
    orgs = world.organisations
    orgs["nacka"] = services.organisation_create(
        actor=None, name="Nacka kommun", kind=OrganisationKind.KOMMUN, area=nacka_area
    )
    orgs["lpo_nacka"] = services.organisation_create(
        actor=None, name="Lokalpolisområde Nacka", kind=OrganisationKind.POLIS, area=nacka_area
    )
    orgs["varmdo"] = services.organisation_create(
        actor=None, name="Värmdö kommun", kind=OrganisationKind.KOMMUN, area=varmdo_area
    )
    services.partnership_create(
        actor=None,
        organisation=orgs["nacka"],
        partner=orgs["lpo_nacka"],
        name="Samverkansöverenskommelse Nacka kommun – LPO Nacka",
    )
    world.areas["Nacka"] = nacka_area
    for name in NACKA_KOMMUNDELAR:
        world.areas[name] = services.area_create(
            actor=None,
            organisation=orgs["nacka"],
            kind=AreaKind.KOMMUNDEL,
            name=name,
            parent=nacka_area,
        )
    for name, area_name, lat, lon in NACKA_PLACES:
        world.places[name] = services.place_create(
            actor=None,
            organisation=orgs["nacka"],
            area=world.areas[area_name],
            name=name,
            lat=lat,
            lon=lon,
        )
    for username, (first, last, org_key, role, title, area_names) in PERSONAS.items():
        user = services.user_create(
            actor=None,
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.se",
        )
        services.membership_create(
            actor=None,
            user=user,
            organisation=orgs[org_key],
            role=role,
            title=title,
            areas=[world.areas[a] for a in area_names],
        )
        world.users[username] = user
    # Demo users who must have two-factor share the documented demo secret (`make run`
    # prints it), so that every demo login keeps working.
    from trygg.core.twofactor import demo_devices_ensure

    demo_devices_ensure(world.users.values())
    return world


def existing() -> World:
    """The world as build() left it in the database (for app demo loaders run later)."""
    world = World()
    for key, name in [
        ("nacka", "Nacka kommun"),
        ("lpo_nacka", "Lokalpolisområde Nacka"),
        ("varmdo", "Värmdö kommun"),
    ]:
        world.organisations[key] = Organisation.objects.get(name=name)
    world.areas["Nacka"] = world.organisations["nacka"].area
    for area in Area.objects.filter(organisation=world.organisations["nacka"]):
        world.areas[area.name] = area
    for place in Place.objects.filter(organisation=world.organisations["nacka"]):
        world.places[place.name] = place
    User = get_user_model()
    for username in PERSONAS:
        world.users[username] = User.objects.get(username=username)
    return world
