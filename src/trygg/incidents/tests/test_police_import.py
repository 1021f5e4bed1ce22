"""Importing the police's events feed: the real national file, the quirks, idempotence."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from trygg.core.choices import AreaKind
from trygg.core.models import Area, AuditEntry
from trygg.core.reference import load_reference_geography
from trygg.incidents import feed, selectors, services
from trygg.incidents.models import PoliceEvent

DATA = Path(settings.REFERENCE_DATA_DIR) / "polisen"
ALL_EVENTS = DATA / "polisen_events_all.jsonl.gz"
WINDOW = DATA / "events_latest_window.json"


@pytest.fixture
def geography(db):
    load_reference_geography()
    return {a.code: a for a in Area.objects.filter(kind=AreaKind.KOMMUN)}


def _event(**overrides):
    record = {
        "id": 1,
        "datetime": "2024-03-25 9:48:12 +01:00",
        "name": "25 mars 08.15, Skadegörelse, Nacka",
        "summary": "Klotter på en skola.",
        "url": "/aktuellt/handelser/2024/mars/25/x/",
        "type": "Skadegörelse",
        "location": {"name": "Nacka", "gps": "59.310512,18.163718"},
    }
    record.update(overrides)
    return record


def _jsonl(*records) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


@pytest.mark.django_db
def test_it_imports_the_whole_national_file_once_and_a_second_import_adds_nothing(geography):
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_police_events", str(ALL_EVENTS), stdout=out)
    first = time.perf_counter() - started
    assert PoliceEvent.objects.count() == 85011
    text = out.getvalue()
    for label in (
        "kommun i location",
        "kommun ur rubriken",
        "endast län",
        "okänd",
        "Sammanfattningar",
    ):
        assert label in text
    assert first < 60, f"the import took {first:.1f} s"

    # Every event whose heading or location names a kommun is placed in one of the 290.
    resolver = services.kommun_resolver()
    assert len(geography) == 290
    misplaced = []
    for event in PoliceEvent.objects.only("id", "location_name", "name", "kommun_id").iterator():
        place = event.name.rsplit(",", 1)[-1].strip()
        names_kommun = resolver.kommun_code(event.location_name) or resolver.kommun_code(place)
        if names_kommun and event.kommun_id is None:
            misplaced.append(event.id)
    assert not misplaced, misplaced[:10]
    outcomes = selectors.police_event_outcome_counts(PoliceEvent.objects.all())
    assert sum(outcomes.values()) == 85011
    assert outcomes["summaries"] == PoliceEvent.objects.filter(is_summary=True).count() > 0
    assert outcomes["location"] > 0 and outcomes["name"] > 0 and outcomes["county"] > 0

    assert AuditEntry.objects.filter(action="import").count() == 1  # one entry, not 85 011
    audit_before = AuditEntry.objects.count()
    snapshot = list(
        PoliceEvent.objects.order_by("id").values_list("id", "kommun_id", "occurred_at")[:500]
    )
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_police_events", str(ALL_EVENTS), stdout=out)
    second = time.perf_counter() - started
    assert PoliceEvent.objects.count() == 85011
    assert "nya: 0" in out.getvalue()
    assert (
        list(PoliceEvent.objects.order_by("id").values_list("id", "kommun_id", "occurred_at")[:500])
        == snapshot
    )
    assert AuditEntry.objects.count() == audit_before  # nothing new, nothing logged
    print(f"\nfirst import {first:.1f} s, second import {second:.1f} s")


@pytest.mark.django_db
def test_it_handles_the_feed_quirks(geography):
    records = [
        # "HH.MM" in the heading and an unpadded hour in datetime.
        _event(id=1),
        # "HH:MM" (2023 style).
        _event(
            id=2,
            name="3 juni 16:01, Stöld, Nacka",
            datetime="2023-06-03 17:01:00 +02:00",
            type="Stöld",
        ),
        # Only the county in location: the kommun is the last part of the heading.
        _event(
            id=3,
            name="5 mars 22.10, Misshandel, Nacka",
            type="Misshandel",
            location={"name": "Stockholms län", "gps": "59.33,18.06"},
        ),
        # Casing that differs from the official name.
        _event(
            id=4,
            name="5 mars 22.10, Brand, Upplands väsby",
            type="Brand",
            location={"name": "Upplands väsby", "gps": "59.51,17.91"},
        ),
        # County only, also in the heading.
        _event(
            id=5,
            name="5 mars 23.00, Trafikolycka, Stockholms län",
            type="Trafikolycka",
            location={"name": "Stockholms län", "gps": "59.33,18.06"},
        ),
        # A summary post.
        _event(
            id=6,
            name="6 mars 06.00, Sammanfattning natt, Stockholms län",
            type="Sammanfattning natt",
            location={"name": "Stockholms län", "gps": "59.33,18.06"},
        ),
    ]
    counts = services.police_events_import(actor=None, source=_jsonl(*records), filename="x.jsonl")
    assert counts["created"] == 6
    assert counts["by_resolution"] == {"location": 2 + 1, "name": 1, "county": 1, "unknown": 0}
    assert counts["summaries"] == 1
    events = {e.id: e for e in PoliceEvent.objects.select_related("kommun", "county")}
    assert events[1].occurred_at.isoformat() == "2024-03-25T07:15:00+00:00"
    assert events[1].published_at.isoformat() == "2024-03-25T08:48:12+00:00"
    assert events[2].occurred_at.isoformat() == "2023-06-03T14:01:00+00:00"
    assert events[3].kommun.code == "0182" and events[3].resolution == "name"
    assert events[4].kommun.code == "0114" and events[4].resolution == "location"
    assert events[5].kommun is None and events[5].county.code == "01"
    assert events[6].is_summary
    # The gps is the centre of the kommun or län: it is never stored as a place.
    assert not any(f.name in {"lat", "lon", "gps"} for f in PoliceEvent._meta.get_fields())


@pytest.mark.django_db
def test_it_refuses_a_file_with_a_bad_line_and_writes_nothing(geography):
    data = (
        _jsonl(_event(id=1), _event(id=2))
        + b"\n{not json\n"
        + _jsonl(_event(id=3, name="32 mars 08.15, Stöld, Nacka"))
    )
    with pytest.raises(ValidationError) as error:
        services.police_events_import(actor=None, source=data, filename="bad.jsonl")
    messages = error.value.messages
    assert any(m.startswith("Line 3") or m.startswith("Rad 3") for m in messages), messages
    assert any("4" in m for m in messages), messages
    assert PoliceEvent.objects.count() == 0


@pytest.mark.django_db
def test_it_reads_the_raw_api_response_and_skips_events_already_stored(geography):
    first = services.police_events_import(actor=None, source=WINDOW, filename=WINDOW.name)
    assert first["created"] == 500
    again = services.police_events_import(actor=None, source=WINDOW, filename=WINDOW.name)
    assert again["created"] == 0 and again["existing"] == 500


@pytest.mark.django_db
def test_police_events_for_kommun_leaves_out_summaries_unless_asked(world, geography):
    import datetime as dt

    from django.utils import timezone

    nacka = Area.objects.get(kind=AreaKind.KOMMUN, code="0182")
    records = [
        _event(id=10),
        _event(id=11, name="25 mars 09.15, Sammanfattning natt, Nacka", type="Sammanfattning natt"),
        _event(
            id=12,
            name="25 mars 08.15, Stöld, Värmdö",
            location={"name": "Värmdö", "gps": "59.3,18.5"},
        ),
    ]
    services.police_events_import(actor=None, source=_jsonl(*records), filename="x.jsonl")
    start = timezone.make_aware(dt.datetime(2024, 3, 1))
    end = timezone.make_aware(dt.datetime(2024, 4, 1))
    samordnare = world.users["samordnare"]
    assert [e.id for e in selectors.police_events_for_kommun(samordnare, nacka, start, end)] == [10]
    assert {
        e.id
        for e in selectors.police_events_for_kommun(
            samordnare, nacka, start, end, include_summaries=True
        )
    } == {10, 11}
    # A reporter without any view right sees none of it.
    assert not selectors.police_events_for_kommun(
        world.users["rapportor"], nacka, start, end
    ).exists()


def test_the_parser_keeps_the_heading():
    event = feed.parse_event(_event(name="25  mars 08.15, Skadegörelse,  Nacka"))
    assert event.name == "25 mars 08.15, Skadegörelse, Nacka"


@pytest.mark.django_db
def test_the_police_event_page_opens_on_the_users_kommun_with_the_whole_country_a_choice(
    world, login
):
    from django.urls import reverse

    services.police_events_import(
        actor=None,
        source=_jsonl(
            _event(id=1),
            _event(
                id=3,
                name="25 mars 10.15, Stöld, Värmdö",
                type="Stöld",
                location={"name": "Värmdö", "gps": "59.3,18.5"},
            ),
        ),
        filename="x.jsonl",
    )
    url = reverse("incidents:police_event_list")
    nacka_page = login("samordnare").get(url).content.decode()
    assert "Klotter på en skola." in nacka_page and "Stöld" not in nacka_page.split("<tbody>")[1]
    assert "Hela landet" in nacka_page
    country = login("samordnare").get(url, {"kommun": ""}).content.decode()
    assert "Stöld" in country.split("<tbody>")[1]
    # Lokalpolisområde Nacka lies in Nacka: the police partner opens on Nacka too.
    assert "Stöld" not in login("polis").get(url).content.decode().split("<tbody>")[1]
