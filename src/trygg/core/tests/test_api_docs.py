"""The API documentation renders in chromium from this server alone, under the strict CSP."""

import pytest
from playwright.sync_api import expect

from trygg.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every Content-Security-Policy violation the page reports, before any script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_the_api_docs_render_offline_without_csp_violations(browser_page, world, live_server):
    page = browser_page(1280)
    page.add_init_script(CSP_LISTENER)
    requests, console_errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    browser_login(page, "samordnare")
    requests.clear()
    response = page.goto("/api/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Trygg API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    screenshot(page, "core-api-docs-1280")
    foreign = [url for url in requests if not url.startswith(live_server.url)]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert any(url.endswith("/api/openapi.json") for url in requests)
    assert page.evaluate("window.__cspViolations") == []
    assert not [text for text in console_errors if "Content Security Policy" in text]
