"""The portfolio map in a browser: the DGS opens it, filters it with the keyboard, reaches a project from the
table beside the chart by keyboard and from a bubble with the mouse; axe-core finds nothing serious."""

import datetime
from decimal import Decimal

from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory

START = datetime.date(2026, 1, 5)


def rated(title: str, nature: str, value: int) -> None:
    ProjectFactory(
        title=title,
        nature=nature,
        value_rating=value,
        estimated_cost=Decimal(20_000),
        start_date=START,
        expected_end_date=START + datetime.timedelta(days=60),
        perimeter="service",
    )


def focus_by_tab(page, locator, presses: int = 120) -> None:
    for _ in range(presses):  # Tab from where the focus is until the element has it
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError("never reached with Tab")


def test_the_dgs_filters_the_map_and_reaches_a_project_by_keyboard(page):
    UserFactory(username="dgs", roles=[Role.DGS])
    rated("Guichet unique", "societal", 5)
    rated("Charte managériale", "managerial", 4)
    ProjectFactory(title="Budget sans note", nature="societal")
    log_in(page, "dgs", PASSWORD)
    page.goto("/projets/carte-du-portefeuille/")
    page.locator(".chart-drawn").wait_for()
    assert page.get_by_role("heading", name="Carte du portefeuille", exact=True).is_visible()
    assert page.get_by_role("link", name="Budget sans note").is_visible()  # « à compléter », not on the chart
    assert serious_violations(page) == []

    nature = page.get_by_label("Nature")
    focus_by_tab(page, nature)
    nature.select_option("societal")
    focus_by_tab(page, page.get_by_role("button", name="Appliquer les filtres"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/carte-du-portefeuille/?*nature=societal*")
    page.locator(".chart-drawn").wait_for()
    table = page.locator("#map-table")
    assert table.get_by_role("link", name="Guichet unique").is_visible()
    assert table.get_by_role("link", name="Charte managériale").count() == 0

    link = table.get_by_role("link", name="Guichet unique")
    page.locator("h1").focus()
    focus_by_tab(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url("**/projets/*/")
    assert page.get_by_role("heading", name="Guichet unique", level=1).is_visible()
    assert page.get_by_text("Gains rapides").first.is_visible()

    page.go_back()
    page.locator(".chart-drawn").wait_for()
    bubble = page.locator("[data-figure='figure-portfolio-map'] .scatterlayer .point").first
    bubble.scroll_into_view_if_needed()  # a mouse clicks only what is on the screen
    box = bubble.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/projets/*/")
    assert page.get_by_role("heading", name="Guichet unique", level=1).is_visible()


def test_the_map_fits_320_px_and_passes_axe(browser, live_server, reference_data, csp_violations):
    from tests.browser.conftest import _no_violation, _watched

    UserFactory(username="dgs", roles=[Role.DGS])
    rated("Guichet numérique unique des démarches de la collectivité", "societal", 5)
    ProjectFactory(title="Budget participatif sans note", nature="societal")
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 320, "height": 640})
    page = _watched(context, csp_violations).new_page()
    page.set_default_timeout(60_000)
    log_in(page, "dgs", PASSWORD)
    page.goto("/projets/carte-du-portefeuille/")
    page.locator("[data-figure='figure-portfolio-map']").scroll_into_view_if_needed()  # drawn when in view
    page.locator(".chart-drawn").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert serious_violations(page) == []
    context.close()
    _no_violation(csp_violations)
