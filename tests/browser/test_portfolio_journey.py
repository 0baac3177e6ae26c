"""A project lead creates a project; the DGS takes it through the four phases; every page passes axe."""

from playwright.sync_api import expect

from accounts.roles import Role
from portfolio.models import Project
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, DirectionFactory, UserFactory


def test_a_project_goes_from_creation_to_appropriation(browser, live_server, reference_data):
    direction = DirectionFactory(code="DSI", name="Direction du numérique")
    UserFactory(
        username="cheffe", first_name="Sophie", last_name="Bernard", direction=direction, roles=[Role.PROJECT_LEAD]
    )
    UserFactory(username="dgs", first_name="Claire", last_name="Martin", roles=[Role.DGS], is_staff=True)

    lead_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    lead = lead_context.new_page()
    log_in(lead, "cheffe", PASSWORD)
    lead.get_by_role("link", name="Nouveau projet").first.click()
    assert serious_violations(lead) == []
    lead.get_by_label("Titre").fill("Guichet unique des démarches")
    lead.get_by_label("Résumé").fill("Tous les services en un seul lieu.")
    lead.get_by_label("Nature").select_option("managerial")
    lead.get_by_label("Nouveaux modes d'organisation").check()
    lead.get_by_label("Origine").select_option("administrative")
    lead.get_by_label("Direction du numérique").check()
    lead.get_by_label("Date de début").fill("2026-01-05")
    lead.get_by_label("Date de fin prévue").fill("2025-12-01")
    lead.get_by_role("button", name="Créer le projet").click()
    expect(lead.get_by_text("La date de fin prévue ne peut pas précéder la date de début.")).to_be_visible()
    assert serious_violations(lead) == []
    lead.get_by_label("Date de fin prévue").fill("2026-12-31")
    lead.get_by_role("button", name="Créer le projet").click()
    assert lead.get_by_role("status").inner_text().startswith("Le projet « Guichet unique des démarches » est créé")
    assert serious_violations(lead) == []
    project = Project.objects.get()
    lead_context.close()

    dgs_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    dgs = dgs_context.new_page()
    log_in(dgs, "dgs", PASSWORD)
    dgs.goto(f"/projets/{project.pk}/")
    for rationale in (
        "Commanditaire et note de valeur validés.",
        "Go du comité de pilotage.",
        "Résultats conformes aux indicateurs.",
    ):
        dgs.get_by_label("Décision (obligatoire)", exact=True).select_option("go")
        dgs.get_by_label("Motivation").fill(rationale)
        dgs.get_by_role("button", name="Enregistrer la décision").click()
        if rationale == "Go du comité de pilotage.":  # leaving Adoption: who played a positive role?
            actors = dgs.get_by_role("group", name="Acteurs ayant joué un rôle positif dans l'adoption")
            expect(actors.get_by_text("Cochez au moins un acteur")).to_be_visible()
            assert serious_violations(dgs) == []
            actors.get_by_label("L'engagement d'un acteur politique (élu)").check()
            actors.get_by_label("La proposition d'agents opérationnels ou de cadres intermédiaires").check()
            dgs.get_by_role("button", name="Enregistrer la décision").click()
        expect(dgs.get_by_role("status")).to_have_text(
            "Décision enregistrée : Passage à la phase suivante.", use_inner_text=True
        )
    assert set(project.adoption_actors.values_list("code", flat=True)) == {"politique", "agents"}
    timeline = dgs.locator(".timeline-item")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("Émergence → Adoption", use_inner_text=True)
    expect(timeline.nth(1)).to_contain_text("Adoption → Mise en œuvre", use_inner_text=True)
    expect(timeline.nth(2)).to_contain_text("Mise en œuvre → Appropriation", use_inner_text=True)
    assert dgs.locator("[aria-current=step]").inner_text().startswith("Appropriation")
    assert serious_violations(dgs) == []

    for path in (
        "/projets/",
        "/projets/tableau/",
        "/projets/mes-projets/",
        f"/projets/{project.pk}/historique/",
        f"/projets/{project.pk}/facteurs/",
        f"/projets/{project.pk}/modifier/",
    ):
        dgs.goto(path)
        assert serious_violations(dgs) == [], path
    dgs_context.close()


def test_the_indicator_chart_is_drawn_and_the_page_passes_axe(page):
    from portfolio.models import Indicator, Measurement
    from tests.factories import ProjectFactory

    lead = UserFactory(username="cheffe", roles=[Role.PROJECT_LEAD])
    project = ProjectFactory(lead=lead, title="Portail famille")
    indicator = Indicator.objects.create(project=project, name="Part en ligne", unit="%", baseline=0, target=70)
    Measurement.objects.create(indicator=indicator, measured_on="2026-03-01", value=35)
    log_in(page, "cheffe", PASSWORD)
    page.goto(f"/projets/{project.pk}/")
    page.locator(".chart").scroll_into_view_if_needed()  # drawn when it scrolls into view
    page.wait_for_selector(".chart .main-svg")
    assert serious_violations(page) == []
    page.goto(f"/projets/{project.pk}/indicateurs/{indicator.pk}/mesure/")
    assert serious_violations(page) == []


def test_the_lead_corrects_then_deletes_a_measurement_with_the_keyboard(page):
    from portfolio.models import Indicator, Measurement
    from tests.factories import ProjectFactory

    lead = UserFactory(username="cheffe", roles=[Role.PROJECT_LEAD])
    project = ProjectFactory(lead=lead, title="Portail famille")
    indicator = Indicator.objects.create(project=project, name="Part en ligne", unit="%", baseline=0, target=70)
    measurement = Measurement.objects.create(indicator=indicator, measured_on="2026-03-01", value=35)
    log_in(page, "cheffe", PASSWORD)
    page.goto(f"/projets/{project.pk}/")
    link = page.get_by_role("link", name="Modifier — mesure du 01/03/2026")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/mesures/{measurement.pk}/modifier/")
    assert serious_violations(page) == []
    page.get_by_label("Valeur").fill("36")
    page.get_by_role("button", name="Enregistrer la mesure").press("Enter")
    page.get_by_text("La mesure est modifiée.").wait_for()
    page.get_by_role("link", name="Supprimer — mesure du 01/03/2026").press("Enter")
    page.wait_for_url(f"**/mesures/{measurement.pk}/supprimer/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Supprimer la mesure").press("Enter")
    page.get_by_text("La mesure du 01/03/2026 est supprimée.").wait_for()
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    page.get_by_role("link", name="Supprimer l'indicateur — Part en ligne").press("Enter")
    assert serious_violations(page) == []
