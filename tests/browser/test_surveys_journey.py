"""A respondent answers through a personal link, stops, resumes and submits; the DGS compares
the collectivité with the national figures; every page passes axe."""

import secrets

from playwright.sync_api import expect

from accounts.roles import Role
from surveys.models import Campaign, Invitation, Questionnaire, Response
from surveys.national import EDITION, SERIES
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, UserFactory
from tests.surveys.builders import add_responses


def _campaign(dgs) -> tuple[Campaign, Invitation]:
    campaign = Campaign.objects.create(
        questionnaire=Questionnaire.objects.get(series=SERIES, edition=EDITION),
        title="L'innovation chez nos cadres",
        slug="cadres",
        status=Campaign.Status.OPEN,
        created_by=dgs,
    )
    add_responses(
        campaign,
        6,
        {
            "B1": "societal",
            "C1": ["administratif", "politique"],
            "D1": 4,
            "D6": 2,
            "F1": 2,
            "G1": 3,
            "H1": 5,
            "I2": "Plus d'entraide",
        },
    )
    # 5 EPCI respondents, 4 of whom scored the determinants: too few for any family mean.
    add_responses(campaign, 4, {"A1": "epci", "D1": 3, "F1": 2, "G1": 4, "H1": 4})
    add_responses(campaign, 1, {"A1": "epci"})
    invitation = Invitation.objects.create(campaign=campaign, email="cadre@ville.fr", token=secrets.token_urlsafe(32))
    Invitation.objects.create(campaign=campaign, email="retard@ville.fr", token=secrets.token_urlsafe(32))
    return campaign, invitation


def _first_visit(browser, live_server, link: str) -> None:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto(link)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Commencer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A. Profil", use_inner_text=True)
    assert serious_violations(page) == []
    page.get_by_role("group", name="A1.").get_by_label("Commune").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Question A2 (« Votre fonction ») : une réponse est obligatoire.").first).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Directeur ou directrice d'un service").check()
    page.get_by_label("Nombre d'agents de la collectivité").fill("420")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("B. L'innovation", use_inner_text=True)
    page.get_by_label("Innovation managériale ou organisationnelle (logique interne)").check()
    page.get_by_label("Nouveaux modes d'organisation").check()
    page.get_by_label("Nouveaux services").check()
    page.get_by_role("button", name="Enregistrer et finir plus tard").click()
    expect(page.get_by_role("status")).to_contain_text("Vos réponses sont enregistrées", use_inner_text=True)
    context.close()


def _second_visit(browser, live_server, link: str) -> None:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto(link)
    page.get_by_role("link", name="Reprendre à la page 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("C. L'adoption", use_inner_text=True)
    page.get_by_label("L'initiative d'un acteur administratif (DGS, DGA…)").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("D. La mise en œuvre", use_inner_text=True)
    page.get_by_role("group", name="D1.").get_by_label("5 — L'a fortement favorisée").check()
    page.get_by_role("group", name="D7.").get_by_label("2", exact=True).check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("group", name="E1.").get_by_label("Oui").check()
    page.get_by_role("group", name="E2.").get_by_label("Peu ou pas d'influence").check()
    for _page in range(5):  # F to I, left as they are
        page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relire et envoyer", use_inner_text=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("status")).to_have_text("Merci ! Votre réponse est envoyée.", use_inner_text=True)
    assert serious_violations(page) == []
    context.close()


def test_a_respondent_answers_stops_resumes_and_submits_then_the_dgs_compares(browser, live_server, reference_data):
    dgs = UserFactory(username="dgs", first_name="Claire", last_name="Martin", roles=[Role.DGS], is_staff=True)
    campaign, invitation = _campaign(dgs)
    link = f"/enquetes/r/{invitation.token}/"
    _first_visit(browser, live_server, link)
    response = Response.objects.get(invitation=invitation)
    assert (response.status, response.last_step) == (Response.Status.IN_PROGRESS, 2)
    _second_visit(browser, live_server, link)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED

    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, "dgs", PASSWORD)
    page.goto(f"/enquetes/{campaign.slug}/")
    expect(page.locator(".counts")).to_contain_text("12", use_inner_text=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Relancer ceux qui n'ont pas terminé").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 relance envoyée à une personne qui n'a pas terminé.", use_inner_text=True
    )
    page.get_by_role("button", name="Relancer ceux qui n'ont pas terminé").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 personne déjà relancée il y a moins de 24 heures", use_inner_text=True
    )
    expect(page.get_by_role("columnheader", name="Dernière relance")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Résultats", exact=True).click()
    for figure in ("figure-b1", "figure-determinants"):  # each chart is drawn when it scrolls into view
        page.locator(f"[data-figure='{figure}']").scroll_into_view_if_needed()
        page.wait_for_selector(f"[data-figure='{figure}'] .main-svg")
    b1 = page.get_by_role("table", name="Réponses à B1")
    assert "53\xa0%" in b1.inner_text() and "50\xa0%" in b1.inner_text()  # 6 societal of 12, against 47 % nationally
    assert serious_violations(page) == []
    page.get_by_role("combobox", name="Type de collectivité").select_option("epci")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_text("5 répondants dans cette sélection")).to_be_visible()
    expect(page.get_by_text("Moins de 5 répondants ont répondu à chacune des familles de facteurs")).to_be_visible()
    expect(page.locator("[data-figure='figure-determinants']")).to_have_count(0)
    section_d = page.get_by_role("region", name="D. La mise en œuvre")
    expect(section_d).to_contain_text("résultats masqués pour protéger l'anonymat", use_inner_text=True)
    assert serious_violations(page) == []
    page.get_by_role("combobox", name="Type de collectivité").select_option("sdis")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_text("aucun résultat n'est affiché")).to_be_visible()
    assert serious_violations(page) == []
    for path in (
        "/enquetes/",
        "/enquetes/nouvelle/",
        f"/enquetes/{campaign.slug}/repondants/{invitation.pk}/supprimer/",
        f"/enquetes/{campaign.slug}/importer/",
        f"/enquetes/{campaign.slug}/resultats/textes/I2/",
        "/enquetes/questionnaires/",
        f"/enquetes/questionnaires/{campaign.questionnaire_id}/",
    ):
        page.goto(path)
        assert serious_violations(page) == [], path
    context.close()
