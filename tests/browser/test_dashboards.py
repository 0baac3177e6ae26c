"""The COPIL reads the dashboards (charts drawn from our own plotly.js, each when it scrolls into view) and the
reports page; axe finds nothing."""

from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory


def test_the_copil_reads_the_dashboards_and_requests_a_report(page, monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)  # no worker in this test
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(3)
    log_in(page, "elu", PASSWORD)
    page.get_by_role("link", name="Tableaux de bord").first.click()
    page.locator("[data-figure]").first.scroll_into_view_if_needed()
    page.wait_for_selector("[data-figure] .main-svg")
    charts = page.locator("[data-figure]")
    assert charts.count() >= 6
    for index in range(charts.count()):  # each chart is drawn when the reader scrolls to it
        charts.nth(index).scroll_into_view_if_needed()
        charts.nth(index).locator(".main-svg").first.wait_for()
    expect(page.locator(".modebar-btn")).to_have_count(0)  # no toolbar: the data tables are beside the charts
    assert serious_violations(page) == []
    # the last complete quarter, dated
    expect(page.locator(".lead").first).to_contain_text("Situation au", use_inner_text=True)
    expect(page.locator(".notice").first).to_contain_text(
        "ne compte au moins 5 réponses complètes", use_inner_text=True
    )
    page.locator("#id_trimestre").select_option(index=0)  # the quarter in progress, offered first
    page.get_by_label("Sans mouvement depuis plus de (jours)").fill("1")
    page.get_by_role("button", name="Afficher").click()
    page.locator("[data-figure]").first.scroll_into_view_if_needed()  # charts are drawn as the reader reaches them
    page.wait_for_selector("[data-figure] .main-svg")
    expect(page.locator(".lead").first).to_contain_text("(trimestre en cours)", use_inner_text=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Rapports").first.click()
    page.get_by_role("button", name="Produire le rapport").click()
    expect(page.get_by_role("status").first).to_contain_text("est demandé", use_inner_text=True)
    expect(page.locator(".report-status").first).to_have_text("En attente", use_inner_text=True)
    assert serious_violations(page) == []


def test_dashboards_fit_a_phone(phone):
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(2)
    log_in(phone, "elu", PASSWORD)
    phone.goto("/tableaux-de-bord/")
    phone.locator("[data-figure]").first.scroll_into_view_if_needed()  # below the filters on a phone
    phone.wait_for_selector("[data-figure] .main-svg")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
