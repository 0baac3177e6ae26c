"""Daily use in a browser, by keyboard: a lead registers an existing project at its current phase and asks for a
decision; the DGS finds it on « À décider » and decides from there; axe-core finds nothing serious."""

from accounts.roles import Role
from portfolio.models import DecisionRequest, GateDecision, Project
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, DirectionFactory, UserFactory


def _tab_to(page, locator, presses: int = 150) -> None:
    """Tab from where the focus is until ``locator`` has it: the way a keyboard user gets there."""
    for _ in range(presses):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("the element never got the focus")


def test_a_lead_registers_an_existing_project_asks_for_a_decision_and_the_dgs_decides(page):
    UserFactory(username="dgs", roles=[Role.DGS], first_name="Dana", last_name="Gérard")
    UserFactory(username="cheffe", roles=[Role.PROJECT_LEAD, Role.AGENT], first_name="Chloé", last_name="Fabre")
    DirectionFactory(code="DVA", name="Vie associative")

    log_in(page, "cheffe", PASSWORD)
    page.goto("/projets/nouveau/")
    page.get_by_label("Titre").fill("Guichet unique des associations")
    page.get_by_label("Résumé").fill("Un seul dossier pour toutes les subventions.")
    page.get_by_label("Nature").select_option("societal")
    page.get_by_label("Origine").select_option("agents")
    page.get_by_label("Vie associative").check()
    page.get_by_label("NTIC (numérique)").check()
    page.get_by_label("Date de début").fill("2024-03-01")
    phase = page.get_by_label("Phase actuelle")
    _tab_to(page, phase)
    phase.select_option(label="Mise en œuvre")
    page.get_by_label("Dans cette phase depuis le").fill("2025-06-10")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Créer le projet").press("Enter")
    page.wait_for_url("**/projets/*/")
    assert page.get_by_text("est créé, en phase « Mise en œuvre ».").is_visible()
    timeline = page.locator("#decisions")
    assert timeline.get_by_text("Reprise de l'existant").count() == 2
    project = Project.objects.get()
    assert GateDecision.objects.filter(project=project, prior_existing=True).count() == 2

    message = page.get_by_label("Message à la direction générale (facultatif)")
    _tab_to(page, message)
    page.keyboard.type("Déploiement prêt dans les quatre mairies annexes.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # « Demander une décision »
    page.wait_for_url(f"**/projets/{project.pk}/#decisions")
    assert page.get_by_role("status").get_by_text("Votre demande de décision est transmise").is_visible()
    assert page.get_by_text("Décision demandée à la direction générale par Chloé Fabre").is_visible()
    assert serious_violations(page) == []

    dgs_page = page
    dgs_page.context.clear_cookies()  # the DGS signs in on the same browser
    log_in(dgs_page, "dgs", PASSWORD)
    dgs_page.goto("/")
    assert dgs_page.get_by_role("heading", name="À décider").is_visible()
    assert dgs_page.get_by_role("heading", name="1 décision demandée").is_visible()
    link = dgs_page.get_by_role("link", name="Décider : Guichet unique des associations")
    _tab_to(dgs_page, link)
    assert serious_violations(dgs_page) == []
    dgs_page.keyboard.press("Enter")
    dgs_page.wait_for_url(f"**/projets/{project.pk}/#decisions")
    assert dgs_page.get_by_text("Déploiement prêt dans les quatre mairies annexes.").is_visible()
    dgs_page.get_by_label("Décision (obligatoire)", exact=True).select_option("go")
    dgs_page.get_by_label("Motivation").fill("Appropriation actée par le comité.")
    dgs_page.get_by_role("button", name="Enregistrer la décision").press("Enter")
    dgs_page.wait_for_url(f"**/projets/{project.pk}/")
    assert DecisionRequest.objects.get().closed_at is not None
    dgs_page.goto("/")
    assert dgs_page.get_by_role("heading", name="1 décision demandée").count() == 0
