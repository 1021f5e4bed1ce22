"""Statistics: the demo reproduces seed 000, and small counts are suppressed for everyone but
the coordinator – in the selector, the page and the API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from trygg.cases import demo, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world):
    demo.load(world, io.StringIO())
    return world


def run(*args) -> dict:
    out = io.StringIO()
    call_command("case_statistics", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_reproduces_seed_000_for_sspf_2023(demo_world):
    result = run("--organisation", "Nacka kommun", "--year", "2023", "--programme", "sspf")
    assert result == {
        "open_at_start": 72,
        "open_at_end": 117,
        "new": 62,
        "closed": 17,
        "girls_at_end": 39,
        "youngest": 9,
        "oldest": 19,
        "satisfied_percent": 92,
    }
    by_code = run("--organisation", "0182", "--year", "2023", "--programme", "sspf")
    assert by_code == result
    org_id = str(demo_world.organisations["nacka"].pk)
    assert run("--organisation", org_id, "--year", "2023", "--programme", "sspf") == result


def test_six_sig_youths_of_whom_one_closed_and_every_guardian_satisfied(demo_world):
    sig = run("--organisation", "Nacka kommun", "--year", "2023", "--programme", "sig", "--all")
    assert sig["open_at_start"] + sig["new"] == 6
    assert sig["closed"] == 1
    sspf = run("--organisation", "Nacka kommun", "--year", "2023", "--programme", "sspf", "--all")
    assert sspf["guardians_satisfied_percent"] == 100
    assert sum(sspf["by_area"].values()) == 72 + 62


def test_small_counts_are_suppressed_for_all_but_the_coordinator(demo_world, login):
    nacka = demo_world.organisations["nacka"]
    users = demo_world.users
    full = selectors.case_statistics(
        user=users["sspf"], organisation=nacka, year=2023, programme="sig"
    )
    assert full.closed == 1 and full.open_at_start == 2 and not full.suppressed
    shown = selectors.case_statistics(
        user=users["samordnare"], organisation=nacka, year=2023, programme="sig"
    )
    assert shown.closed == "<5" and shown.open_at_start == "<5" and shown.suppressed
    assert shown.open_at_end == 5 and shown.girls_at_end == 0
    assert (shown.youngest, shown.oldest) == (full.youngest, full.oldest)  # 6 youths behind
    assert (
        selectors.case_statistics(
            user=users["polis"], organisation=nacka, year=2023, programme="sig"
        )
        is None
    )
    query = f"?organisation={nacka.pk}&year=2023&programme=sig"
    api = login("samordnare").get("/api/cases/statistics" + query).json()
    assert api["closed"] == "<5"
    assert login("sspf").get("/api/cases/statistics" + query).json()["closed"] == 1
    page = login("samordnare").get(reverse("cases:statistics") + query).content.decode()
    assert "&lt;5" in page
    coordinator_page = login("sspf").get(reverse("cases:statistics") + query).content.decode()
    assert "&lt;5" not in coordinator_page


def test_the_threshold_is_a_setting(demo_world, settings):
    settings.CASES_SMALL_COUNT_THRESHOLD = 10
    nacka = demo_world.organisations["nacka"]
    shown = selectors.case_statistics(
        user=demo_world.users["samordnare"], organisation=nacka, year=2023, programme="sig"
    )
    assert shown.open_at_end == "<10"
    assert shown.youngest is None and shown.oldest is None  # fewer than 10 youths behind them


def test_an_unknown_organisation_is_a_clear_error(demo_world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--organisation", "Ingenstans kommun", "--year", "2023", "--programme", "sspf")
