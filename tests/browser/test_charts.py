"""Charts in the browser: our small plotly.js, drawn when they scroll into view, in French, without a toolbar."""

import datetime

from playwright.sync_api import expect

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
    expect(last.locator(".main-svg")).to_have_count(0)
    last.scroll_into_view_if_needed()
    last.locator(".main-svg").first.wait_for()
    expect(page.locator(".modebar-btn, .modebar-group")).to_have_count(0)
    # no tab stop
    expect(page.locator("[data-figure] a, [data-figure] button, [data-figure] [tabindex]")).to_have_count(0)
    assert last.get_attribute("aria-hidden") == "true"  # its data table says the same to screen readers
    loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    assert any(name.endswith("/static/js/plotly-portal.min.js") for name in loaded)
    assert not any("plotly.min.js" in name for name in loaded)
    # Only the trace types the portal draws are in the bundle.
    traces = page.evaluate("Object.keys(Plotly.PlotSchema.get().traces).sort()")
    assert traces == ["bar", "scatter", "scatterpolar"]
    assert page.evaluate("document.querySelector('link#plotly\\\\.js-style-global').sheet !== null")
    expect(page.locator("style#plotly\\.js-style-global")).to_have_count(0)  # no injected <style>


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


def test_charts_draw_under_the_portal_policy_without_unsafe_inline_or_unsafe_eval(page, csp_violations):
    """Every chart of the dashboard, drawn under the policy the portal sends; the page fixture fails the
    test on any violation, and an inline <style> added here shows that the policy is in force."""
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(3)
    log_in(page, "elu", PASSWORD)
    response = page.goto("/tableaux-de-bord/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
    charts = page.locator("[data-figure]")
    assert charts.count() >= 10
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        charts.nth(index).locator(".main-svg").first.wait_for()
    # A hover label, drawn with its styles (plotly's drag layer above the bar takes the mouse).
    page.locator("[data-figure] .bars path").locator("visible=true").first.hover(force=True)
    page.locator(".hoverlayer .hovertext").first.wait_for()
    assert csp_violations == []
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p {}'")
    page.wait_for_function("window.__cspSeen.length > 0")
    assert [v for v in csp_violations if v.startswith("style-src-elem blocked inline")], csp_violations
    csp_violations.clear()  # caused on purpose
