"""Charts in the browser: our small plotly.js, drawn when they scroll into view, in French, without a toolbar."""

import datetime

from accounts.roles import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, ProjectFactory, UserFactory

DRAWN = "[data-figure] .main-svg"


def test_dashboard_charts_are_drawn_as_they_scroll_into_view_without_toolbar(page):
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(3)
    log_in(page, "elu", PASSWORD)
    page.goto("/tableaux-de-bord/")
    page.wait_for_selector(DRAWN)
    charts = page.locator("[data-figure]")
    total = charts.count()
    drawn_at_first = page.locator(DRAWN).count()
    assert 0 < drawn_at_first < total  # those below the fold wait
    last = charts.nth(total - 1)
    assert last.locator(".main-svg").count() == 0
    last.scroll_into_view_if_needed()
    last.locator(".main-svg").first.wait_for()
    assert page.locator(".modebar-btn, .modebar-group").count() == 0
    assert page.locator("[data-figure] a, [data-figure] button, [data-figure] [tabindex]").count() == 0  # no tab stop
    assert last.get_attribute("aria-hidden") == "true"  # its data table says the same to screen readers
    loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    assert any(name.endswith("/static/js/plotly-portal.min.js") for name in loaded)
    assert not any("plotly.min.js" in name for name in loaded)
    # Only the trace types the portal draws are in the bundle.
    traces = page.evaluate("Object.keys(Plotly.PlotSchema.get().traces).sort()")
    assert traces == ["bar", "scatter", "scatterpolar"]
    assert page.evaluate("document.querySelector('link#plotly\\\\.js-style-global').sheet !== null")
    assert page.locator("style#plotly\\.js-style-global").count() == 0  # no injected <style>


def test_charts_use_plotly_french_locale_from_the_page_language(page):
    from portfolio.models import Indicator, Measurement

    lead = UserFactory(username="cheffe", roles=[Role.PROJECT_LEAD])
    project = ProjectFactory(lead=lead)
    indicator = Indicator.objects.create(project=project, name="Part en ligne", unit="%", baseline=0, target=70)
    for month, value in ((1, 10), (2, 25), (4, 40)):
        Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, month, 15), value=value)
    log_in(page, "cheffe", PASSWORD)
    page.goto(f"/projets/{project.pk}/")
    page.locator("[data-figure]").scroll_into_view_if_needed()
    page.wait_for_selector(DRAWN)
    assert page.evaluate("document.querySelector('.chart-drawn')._context.locale") == "fr"
    ticks = " ".join(page.locator(".xtick text").all_text_contents())
    assert "Fév" in ticks or "Avr" in ticks, ticks  # plotly.js's French month names ("Feb", "Apr" in English)
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.locator("[data-figure]").scroll_into_view_if_needed()
    page.wait_for_selector(DRAWN)
    assert page.evaluate("document.querySelector('.chart-drawn')._context.locale") == "en"
    ticks = " ".join(page.locator(".xtick text").all_text_contents())
    assert "Feb" in ticks or "Apr" in ticks, ticks


STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"
VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", event => window.violations.push(
  `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


def test_charts_draw_under_a_csp_without_unsafe_inline_or_unsafe_eval(page):
    """Until the portal sends its own Content-Security-Policy, the test adds a strict one to the pages."""

    def with_strict_csp(route):
        response = route.fetch()
        headers = dict(response.headers)
        if headers.get("content-type", "").startswith("text/html"):
            headers["content-security-policy"] = STRICT_CSP
        route.fulfill(response=response, headers=headers)

    page.context.route("**/*", with_strict_csp)
    page.add_init_script(VIOLATIONS)
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(3)
    log_in(page, "elu", PASSWORD)
    page.goto("/tableaux-de-bord/")
    charts = page.locator("[data-figure]")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        charts.nth(index).locator(".main-svg").first.wait_for()
    assert page.evaluate("window.violations") == []
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p {}'")
    assert page.evaluate("window.violations")[0].startswith("style-src-elem inline")  # the policy was in force
