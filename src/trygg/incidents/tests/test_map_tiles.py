"""Base map tiles are optional: with TRYGG_MAP_TILES_URL set, the maps draw them (with their
attribution) from the tile server; here a small one started on loopback by the test."""

from __future__ import annotations

import http.server
import io
import threading

import pytest
from PIL import Image
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.incidents import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 235, 220)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def tile_server():
    """A tile server on 127.0.0.1 that answers every /z/x/y.png with a green tile."""
    tile = _tile()
    requested: list[str] = []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requested
    server.shutdown()
    server.server_close()


def test_the_report_form_map_draws_tiles_with_their_attribution(
    browser_page, world, tile_server, settings
):
    base, requested = tile_server
    settings.MAP_TILE_URL = base + "/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Kartleverantören <test>"
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], base]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    services.categories_ensure_defaults(world.organisations["nacka"])

    page = browser_page(390)
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    browser_login(page, "rapportor")
    page.goto("/handelser/ny/")
    expect(page.locator("[data-report-map] img.leaflet-tile-loaded").first).to_be_visible()
    assert requested and all(path.endswith(".png") for path in requested)
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("© Kartleverantören <test>")  # shown as text
    assert page.locator(".leaflet-control-attribution test").count() == 0
    assert violations == []
    axe_check(page)
    screenshot(page, "incidents-map-tiles-390")


def test_without_a_tile_url_no_tile_is_requested(browser_page, world, tile_server, settings):
    _base, requested = tile_server
    settings.MAP_TILE_URL = ""
    services.categories_ensure_defaults(world.organisations["nacka"])
    page = browser_page(1280)
    browser_login(page, "rapportor")
    page.goto("/handelser/ny/")
    expect(page.locator("[data-report-map]")).to_be_visible()
    assert page.locator("img.leaflet-tile").count() == 0
    assert requested == []
