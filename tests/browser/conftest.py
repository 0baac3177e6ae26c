"""Browser tests: Playwright drives Debian's chromium (no browser download) against a live server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by
# the tests themselves (creating users) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SERIOUS = {"serious", "critical"}
# Every wait is on a condition the user sees (a chart drawn, a message shown, the next page's heading); this only
# bounds a hang, and is generous because a busy machine (another suite running beside this one) slows Chromium and
# the server. It applies to every page's actions and to the assertions (``expect``), which wait until they hold.
PATIENCE_MS = 60_000
expect.set_options(timeout=PATIENCE_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"chromium not found at {CHROMIUM}: `make test` installs it (apt-get, as root)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        open_context = browser.new_context

        def new_context(**options):  # every test's pages, whichever way it opens them, wait as long
            context = open_context(**options)
            context.set_default_timeout(PATIENCE_MS)
            return context

        browser.new_context = new_context
        yield browser
        browser.close()


# Every page of a browser test is watched: a Content-Security-Policy violation (an inline style or
# script, an eval, a resource from elsewhere) fails the test, whatever the test itself checks.
WATCH_CSP = """
window.__cspSeen = [];
document.addEventListener("securitypolicyviolation", event => {
  const line = `${event.effectiveDirective} blocked ${event.blockedURI || "?"} at ` +
    `${event.sourceFile || event.documentURI}:${event.lineNumber} (${event.sample || "no sample"})`;
  window.__cspSeen.push(line);
  window.__cspViolation(line);
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations seen by the browser during the test; a test that causes one on purpose empties it."""
    return []


def _watched(context, violations: list[str]):
    context.expose_function("__cspViolation", lambda line: violations.append(line))
    context.add_init_script(WATCH_CSP)
    return context


def _no_violation(violations: list[str]) -> None:
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def page(browser, live_server, reference_data, csp_violations):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = _watched(context, csp_violations).new_page()
    yield page
    context.close()
    _no_violation(csp_violations)


@pytest.fixture
def phone(browser, live_server, reference_data, csp_violations):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = _watched(context, csp_violations).new_page()
    yield page
    context.close()
    _no_violation(csp_violations)


def log_in(page, username: str, password: str) -> None:
    page.goto("/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
