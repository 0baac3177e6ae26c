"""The COPIL reads the dashboards (charts drawn from our own plotly.js) and the reports page; axe finds nothing."""

from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory


def test_the_copil_reads_the_dashboards_and_requests_a_report(page, monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)  # no worker in this test
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(3)
    log_in(page, "elu", PASSWORD)
    page.get_by_role("link", name="Tableaux de bord").first.click()
    page.wait_for_selector("[data-figure] .main-svg")
    assert page.locator("[data-figure] .main-svg").count() >= 6
    assert page.locator(".modebar-btn[data-title*='Cloud'], .modebar-btn[data-title*='Chart Studio']").count() == 0
    assert serious_violations(page) == []
    assert "Situation au" in page.locator(".lead").first.inner_text()  # the last complete quarter, dated
    assert "ne compte au moins 5 réponses complètes" in page.locator(".notice").first.inner_text()
    page.locator("#id_trimestre").select_option(index=0)  # the quarter in progress, offered first
    page.get_by_label("Projets sans mouvement après (jours)").fill("1")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_selector("[data-figure] .main-svg")
    assert "(trimestre en cours)" in page.locator(".lead").first.inner_text()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Rapports").first.click()
    page.get_by_role("button", name="Produire le rapport").click()
    assert "est demandé" in page.get_by_role("status").first.inner_text()
    assert page.locator(".report-status").first.inner_text() == "En attente"
    assert serious_violations(page) == []


def test_dashboards_fit_a_phone(phone):
    UserFactory(username="elu", roles=[Role.COPIL])
    ProjectFactory.create_batch(2)
    log_in(phone, "elu", PASSWORD)
    phone.goto("/tableaux-de-bord/")
    phone.wait_for_selector("[data-figure] .main-svg")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
