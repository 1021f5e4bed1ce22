"""Fixtures for every app: the personas, logged-in clients and the browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from trygg.core import personas

SCREENSHOT_DIR = Path(
    os.environ.get(
        "TRYGG_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots"
    )
)
AXE_SOURCE = (Path(__file__).parent / "core" / "tests" / "assets" / "axe.min.js").read_text(
    encoding="utf-8"
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the database is rolled back between tests, so
    what one test cached (the lägesbild's aggregates, rate limits) must not reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def force_login_includes_second_factor(monkeypatch):
    """``Client.force_login`` stands for a completed sign-in, second factor included, as it
    already skips the password. Two-factor itself is tested through the real sign-in pages
    (core/tests/test_two_factor.py)."""
    from trygg.core.twofactor import SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SESSION_KEY] = {"user": user.pk, "how": "test"}
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def world(db):
    """Nacka kommun, LPO Nacka, Värmdö kommun, the kommundelar, places and the personas."""
    return personas.build()


@pytest.fixture
def login(client):
    """login("samordnare") → a test client logged in as that persona."""

    def _login(username: str) -> Client:
        from django.contrib.auth import get_user_model

        c = Client()
        c.force_login(get_user_model().objects.get(username=username))
        return c

    return _login


# Browser tests: Playwright driving Debian's chromium.


def _chromium_path() -> str | None:
    for candidate in (
        os.environ.get("TRYGG_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("TRYGG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (TRYGG_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that the test
    # makes between browser steps are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


_warmed: set[str] = set()


def _warm_up(url: str) -> None:
    """The live server's first answer loads templates and catalogues; on a busy machine that
    can outlast a page's timeout, so it is fetched once without one."""
    if url in _warmed:
        return
    import urllib.request

    with urllib.request.urlopen(f"{url}/logga-in/", timeout=180) as response:  # noqa: S310
        response.read()
    _warmed.add(url)


@pytest.fixture
def browser_page(browser, live_server):
    """new_page(width=1280) → a page on the live server; closed after the test."""
    _warm_up(live_server.url)
    contexts = []

    def _new_page(width: int = 1280, height: int = 900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="sv-SE", base_url=live_server.url
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield _new_page
    for context in contexts:
        context.close()


def browser_login(page, username: str) -> None:
    """Sign in as a persona; a persona with two-factor enters the code from the demo secret."""
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(personas.DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)
    if "/tvastegsverifiering/verifiera/" in page.url:
        page.get_by_label("Kod").fill(next_totp_code(username))
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_url(lambda url: "/tvastegsverifiering/" not in url)


def next_totp_code(username: str) -> str:
    """A code for the user's demo authenticator that it has not accepted yet (a code is
    accepted once; the step after the current one is still inside the tolerance)."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from trygg.core.twofactor import DEMO_TOTP_SECRET, totp_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now = time.time()
    step = int(now // 30)
    if device.last_t >= step:
        now += 30 * (device.last_t - step + 1)
    return totp_code(DEMO_TOTP_SECRET, at=now)


def axe_check(page, *, impacts=("serious", "critical")) -> list:
    """Run axe-core on the page; fail on violations of the given impacts."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    bad = [v for v in result["violations"] if v.get("impact") in impacts]
    assert not bad, "axe: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad
    )
    return result["violations"]


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def count_queries(db):
    """count_queries("app.page", lambda: client.get(url)) → the response, after asserting its
    status (200 unless ``status=``) and that it made exactly the baseline's number of queries
    (src/trygg/query_counts.json)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.core.testing import assert_queries

    def _count(key: str, request, *, status: int = 200):
        with CaptureQueriesContext(connection) as queries:
            response = request()
        assert_queries(key, response, queries, status=status)
        return response

    return _count
