"""A name is text on every map: an area imported with markup as its name creates no element."""

from __future__ import annotations

import json

import pytest

from trygg.conftest import browser_login
from trygg.core import services

NAME = "<img src=x onerror=alert(1)>"
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[18.20, 59.28], [18.26, 59.28], [18.26, 59.31], [18.20, 59.31], [18.20, 59.28]]
    ],
}


@pytest.fixture
def hostile_area(world):
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"name": NAME}, "geometry": SQUARE}],
        }
    ).encode()
    services.areas_import_geojson(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        parent=world.areas["Nacka"],
        kind="kommundel",
        data=data,
    )


def _injected(page) -> int:
    return page.evaluate(
        "document.querySelectorAll('.leaflet-container img:not(.leaflet-tile)').length"
    )


def test_an_area_named_with_markup_is_text_on_the_lagesbild_map(browser_page, world, hostile_area):
    from trygg.incidents.services import categories_ensure_defaults

    categories_ensure_defaults(world.organisations["nacka"])
    page = browser_page(1280)
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    browser_login(page, "samordnare")
    page.goto("/lagesbild/")
    page.wait_for_selector(".leaflet-tooltip")
    labels = page.evaluate(
        "[...document.querySelectorAll('.leaflet-tooltip')].map(e => e.textContent)"
    )
    assert any(NAME in label for label in labels), labels
    assert _injected(page) == 0
    assert not alerts


def test_an_area_named_with_markup_is_text_on_the_report_form_map(
    browser_page, world, hostile_area
):
    from trygg.incidents.services import categories_ensure_defaults

    categories_ensure_defaults(world.organisations["nacka"])
    page = browser_page(1280)
    browser_login(page, "samordnare")
    page.goto("/handelser/ny/")
    page.wait_for_selector(".leaflet-container path.leaflet-interactive", state="attached")
    for path in page.locator(".leaflet-container path.leaflet-interactive").all():
        path.dispatch_event("mouseover")
    texts = page.evaluate(
        "[...document.querySelectorAll('.leaflet-tooltip')].map(e => e.textContent)"
    )
    assert _injected(page) == 0
    assert any(NAME in text for text in texts), texts
