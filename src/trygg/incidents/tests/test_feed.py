"""Tests for the police events feed parser, on the real files in the shared data folder."""

from __future__ import annotations

import csv
import gzip
import json
import os
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from trygg.incidents.feed import (
    STOCKHOLM,
    FeedError,
    KommunResolver,
    iter_feed_records,
    parse_event,
    parse_feed,
    parse_published_at,
)

DATA_DIR = Path(os.environ.get("TRYGG_DATA_DIR", "/work/shared/data"))
ALL_EVENTS = DATA_DIR / "polisen" / "polisen_events_all.jsonl.gz"
LATEST_WINDOW = DATA_DIR / "polisen" / "events_latest_window.json"
ADMIN_AREAS = DATA_DIR / "reference" / "swedish_admin_areas_dnouri.csv"
SJBRG_MUNICIPALITIES = DATA_DIR / "reference" / "sjbrg_municipalities.csv"
SJBRG_COUNTIES = DATA_DIR / "reference" / "sjbrg_counties.csv"

pytestmark = pytest.mark.skipif(
    not ALL_EVENTS.exists(), reason=f"the shared data folder {DATA_DIR} is not available"
)


def record(**overrides):
    base = {
        "id": 1,
        "datetime": "2026-08-22 19:51:41 +02:00",
        "name": "22 augusti 17.59, Brand, Kävlinge",
        "summary": "Försök till grov mordbrand, Kävlinge.",
        "url": "/aktuellt/handelser/2026/augusti/22/22-augusti-17.59-brand-kavlinge/",
        "type": "Brand",
        "location": {"name": "Skåne län", "gps": "55.990257,13.595769"},
    }
    base.update(overrides)
    return base


@pytest.fixture(scope="module")
def all_events():
    started = time.perf_counter()
    events, errors = parse_feed(ALL_EVENTS)
    elapsed = time.perf_counter() - started
    return events, errors, elapsed


@pytest.fixture(scope="module")
def resolver():
    return KommunResolver.from_csv(ADMIN_AREAS, SJBRG_MUNICIPALITIES, SJBRG_COUNTIES)


@pytest.fixture(scope="module")
def kommun_names_and_codes():
    with ADMIN_AREAS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {r["municipality_name"].casefold(): r["municipality_code"] for r in rows}


# -- the whole archive --------------------------------------------------------------


def test_every_record_of_the_archive_parses_fast(all_events):
    events, errors, elapsed = all_events
    assert errors == []
    assert len(events) == 85_011
    assert len({e.id for e in events}) == 85_011
    assert elapsed < 15, f"parsing took {elapsed:.1f} s"
    assert all(e.published_at.tzinfo is not None for e in events)
    assert all(e.occurred_at.tzinfo is STOCKHOLM for e in events)


def test_line_numbers_are_one_based(all_events):
    events, _, _ = all_events
    assert events[0].line == 1
    assert events[-1].line == 85_011


def test_occurred_at_is_close_to_published_at(all_events):
    """The inferred year puts every incident within a few weeks of its publication."""
    events, _, _ = all_events
    for event in events:
        assert abs(event.published_at - event.occurred_at) < timedelta(days=60), event


def test_every_kommun_named_event_resolves_to_a_kommun_code(
    all_events, resolver, kommun_names_and_codes
):
    events, _, _ = all_events
    codes = set(kommun_names_and_codes.values())
    assert len(codes) == 290
    checked = 0
    outcomes = Counter()
    for event in events:
        code, how = resolver.resolve(event)
        outcomes[how] += 1
        if how in ("location", "name"):
            assert code in codes
        if event.place_name and event.place_name.casefold() in kommun_names_and_codes:
            checked += 1
            assert code in codes, event
            if how == "name":
                assert code == kommun_names_and_codes[event.place_name.casefold()]
    assert checked > 60_000
    assert outcomes["unknown"] == 0
    # Every county-only location is resolved either through the name or stays a county; beside
    # them, the heading decides where it names another kommun than the location (one event).
    county_only = sum(e.county_only for e in events)
    overruled = [
        e.id
        for e in events
        if not e.county_only
        and resolver.kommun_code(e.place_name) not in (None, resolver.kommun_code(e.location_name))
    ]
    assert overruled == [472285]
    assert outcomes["name"] + outcomes["county"] == county_only + len(overruled)


def test_both_time_separators(all_events):
    events, _, _ = all_events
    by_id = {e.id: e for e in events}
    colon = by_id[371971]  # "26 september 14:21, Mord/dråp, försök, Stockholm"
    assert colon.occurred_at == datetime(2022, 9, 26, 14, 21, tzinfo=STOCKHOLM)
    assert colon.event_type == "Mord/dråp, försök"
    assert colon.place_name == "Stockholm"
    dot = parse_event(record())
    assert dot.occurred_at == datetime(2026, 8, 22, 17, 59, tzinfo=STOCKHOLM)


def test_unpadded_hours(all_events):
    assert parse_published_at("2026-08-22 9:48:12 +02:00") == datetime(
        2026, 8, 22, 9, 48, 12, tzinfo=timezone(timedelta(hours=2))
    )
    event = parse_event(record(datetime="2026-08-22 9:48:12 +02:00", name="22 augusti 7.05, B, X"))
    assert event.occurred_at == datetime(2026, 8, 22, 7, 5, tzinfo=STOCKHOLM)
    # The archive holds tens of thousands of them; all parsed above.
    with gzip.open(ALL_EVENTS, "rt", encoding="utf-8") as handle:
        unpadded = sum(1 for line in handle if json.loads(line)["datetime"][12] == ":")
    assert unpadded > 30_000


def test_year_comes_from_publication_and_rolls_back_at_new_year():
    event = parse_event(
        record(datetime="2026-01-01 0:30:00 +01:00", name="31 december 23.50, Rån, Malmö")
    )
    assert event.occurred_at == datetime(2025, 12, 31, 23, 50, tzinfo=STOCKHOLM)


def test_real_new_year_and_announced_events(all_events):
    events, _, _ = all_events
    by_id = {e.id: e for e in events}
    ronneby = next(
        e
        for e in events
        if e.place_name == "Ronneby"
        and e.occurred_at.month == 12
        and e.occurred_at.day == 31
        and e.published_at.year == 2026
    )
    assert ronneby.occurred_at.year == 2025
    # "01 maj 08:00, Övrigt, Stockholm" announced on 28 April 2023: same year, not 2022.
    announced = [
        e
        for e in by_id.values()
        if e.published_at.date().isoformat() == "2023-04-28" and e.occurred_at.month == 5
    ]
    assert announced and all(e.occurred_at.year == 2023 for e in announced)


def test_leap_day():
    event = parse_event(
        record(datetime="2024-03-01 7:47:13 +01:00", name="29 februari 20.35, Misshandel, Pajala")
    )
    assert event.occurred_at == datetime(2024, 2, 29, 20, 35, tzinfo=STOCKHOLM)


def test_latest_window_json_parses():
    events, errors = parse_feed(LATEST_WINDOW)
    assert errors == []
    assert len(events) == 500
    assert [n for n, _ in iter_feed_records(LATEST_WINDOW)][:3] == [1, 2, 3]
    first = events[0]
    assert first.id == 650297
    assert first.location_name == "Skåne län"
    assert first.county_only is True
    assert first.place_name == "Kävlinge"
    assert (first.area_centre_lat, first.area_centre_lon) == (55.990257, 13.595769)
    # The same content as bytes.
    from_bytes, _ = parse_feed(LATEST_WINDOW.read_bytes())
    assert from_bytes == events


def test_sources_as_bytes_jsonl_and_gzip(tmp_path):
    lines = [json.dumps(record(id=i), ensure_ascii=False) for i in (1, 2, 3)]
    text = ("\n".join(lines) + "\n").encode("utf-8")
    plain = tmp_path / "events.jsonl"
    plain.write_bytes(text)
    packed = tmp_path / "events.jsonl.gz"
    packed.write_bytes(gzip.compress(text))
    array_gz = gzip.compress(json.dumps([record(id=9)]).encode("utf-8"))
    for source in (text, plain, str(plain), packed, gzip.compress(text)):
        assert [(n, r["id"]) for n, r in iter_feed_records(source)] == [(1, 1), (2, 2), (3, 3)]
    assert [r["id"] for _, r in iter_feed_records(array_gz)] == [9]


def test_malformed_record_gives_feed_error_with_line_number(tmp_path):
    bad_id = record()
    del bad_id["id"]
    lines = [
        json.dumps(record(id=1)),
        json.dumps(bad_id),
        json.dumps(record(id=3, name="22 augusti kväll, Brand, Kävlinge")),
        "{not json",
        json.dumps(record(id=5)),
    ]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    events, errors = parse_feed(path)
    assert [e.id for e in events] == [1, 5]
    assert [e.line for e in errors] == [2, 3, 4]
    assert "saknar id" in errors[0].message
    assert "Händelsetiden" in errors[1].message
    assert "Ogiltig JSON" in errors[2].message

    with pytest.raises(FeedError) as info:
        for line, item in iter_feed_records(path):
            parse_event(item, line)
    assert info.value.line == 2
    assert str(info.value).startswith("rad 2:")


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"datetime": "igår"}, "Publiceringstiden"),
        ({"name": "22 smörgås 17.59, Brand, Kävlinge"}, "Okänd månad"),
        ({"name": "22 augusti 25.10, Brand, Kävlinge"}, "Ogiltigt klockslag"),
        ({"name": "31 februari 10.10, Brand, Kävlinge"}, "Ogiltigt datum"),
        ({"id": "abc"}, "inte ett heltal"),
        ({"location": {"name": "Skåne län", "gps": "norr"}}, "location.gps"),
        ({"location": None}, "location"),
    ],
)
def test_malformed_fields(overrides, fragment):
    with pytest.raises(FeedError) as info:
        parse_event(record(**overrides), line=7)
    assert info.value.line == 7
    assert fragment in info.value.message


def test_summaries_are_flagged(all_events):
    events, _, _ = all_events
    summaries = [e for e in events if e.is_summary]
    assert summaries
    assert all(e.event_type.startswith("Sammanfattning") for e in summaries)
    assert {e.event_type for e in summaries} >= {
        "Sammanfattning natt",
        "Sammanfattning kväll och natt",
    }
    assert not any(e.is_summary for e in events if not e.event_type.startswith("Sammanfattning"))


def test_empty_place_is_none(all_events):
    events, _, _ = all_events
    # Two events in the archive end their name with ", " (no place at all).
    assert {e.id for e in events if e.place_name is None} == {586066, 643427}


# -- kommun resolution -------------------------------------------------------------


def test_resolver_matches_case_insensitively(resolver):
    assert resolver.kommun_code("Upplands väsby") == "0114"
    assert resolver.kommun_code("  UPPLANDS   Väsby ") == "0114"
    assert resolver.kommun_code("Upplands Väsby kommun") == "0114"
    assert resolver.kommun_code("Upplands - Bro") == "0139"
    assert resolver.kommun_code("Göteborgs stad") == "1480"
    assert resolver.kommun_code("Falu kommun") == "2080"
    assert resolver.kommun_code("Stockholms län") is None
    assert resolver.kommun_code("Atlantis") is None


def test_resolver_counties(resolver):
    assert resolver.resolve_county("Stockholms län") == "01"
    assert resolver.resolve_county("stockholms LÄN") == "01"
    assert resolver.resolve_county("Stockholm län") == "01"
    assert resolver.resolve_county("Skåne") == "12"
    assert resolver.resolve_county("Västra Götalands län") == "14"
    assert resolver.resolve_county("Gotlands län") == "09"
    assert len(resolver.counties) == 21
    for county in resolver.counties.values():
        assert resolver.resolve_county(county.name) == county.code


def test_resolver_outcomes(resolver):
    located = parse_event(
        record(
            name="22 augusti 17.59, Brand, Nacka", location={"name": "Nacka", "gps": "59.3,18.1"}
        )
    )
    assert resolver.resolve(located) == ("0182", "location")
    named = parse_event(
        record(
            name="22 augusti 17.59, Brand, upplands väsby",
            location={"name": "Stockholms län", "gps": "59.3,18.1"},
        )
    )
    assert resolver.resolve(named) == ("0114", "name")
    county = parse_event(
        record(
            name="22 augusti 06.00, Sammanfattning natt, Hallands län",
            type="Sammanfattning natt",
            location={"name": "Hallands län", "gps": "56.9,12.8"},
        )
    )
    assert resolver.resolve(county) == (None, "county")
    unknown = parse_event(
        record(
            name="22 augusti 17.59, Brand, Atlantis", location={"name": "Atlantis", "gps": "0,0"}
        )
    )
    assert resolver.resolve(unknown) == (None, "unknown")


def test_gotland_kommun_and_county(resolver):
    """Gotland is a kommun (0980); Gotlands län is the county (09), whose only kommun is 0980."""
    kommun = parse_event(
        record(
            name="22 augusti 17.59, Brand, Gotland",
            location={"name": "Gotland", "gps": "57.5,18.5"},
        )
    )
    assert resolver.resolve(kommun) == ("0980", "location")
    county = parse_event(
        record(
            name="22 augusti 17.59, Brand, Gotlands län",
            location={"name": "Gotlands län", "gps": "57.5,18.5"},
        )
    )
    assert resolver.resolve(county) == ("0980", "county")
    result = resolver.resolve_names("Gotlands län", "Gotlands län")
    assert result.county_code == "09"


def test_resolver_without_sjbrg_files():
    plain = KommunResolver.from_csv(ADMIN_AREAS)
    assert len(plain.kommuner) == 290
    assert plain.kommun_code("upplands väsby") == "0114"
    assert plain.resolve_county("Skåne län") == "12"


def test_a_kommun_at_the_end_of_the_heading_decides_over_the_location(resolver):
    # Event 472285: location "Järfälla", heading ending "Upplands-Bro", text "i Bro".
    event = parse_event(
        record(
            name="25 november 13.10, Farligt föremål, misstänkt, Upplands-Bro",
            location={"name": "Järfälla", "gps": "59.410065,17.836804"},
        )
    )
    assert resolver.resolve(event) == ("0139", "name")


def test_a_heading_naming_the_same_kommun_as_the_location_counts_as_location(resolver):
    event = parse_event(
        record(
            name="5 mars 22.10, Brand, Järfälla", location={"name": "Järfälla", "gps": "59.4,17.8"}
        )
    )
    assert resolver.resolve(event) == ("0123", "location")
