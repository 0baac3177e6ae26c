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
