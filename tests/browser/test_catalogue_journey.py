"""Essaimage: A's DGS publishes a project after a preview, B's project lead finds it in the network's catalogue with
an accent-insensitive search and replicates it; the new project tells its origin. Every page passes axe."""

from playwright.sync_api import expect

from portfolio.models import Project
from tests.browser.conftest import log_in, serious_violations
from tests.catalogue.conftest import build_network
from tests.factories import PASSWORD, ProjectFactory


def test_publish_find_and_replicate_across_the_network(browser, live_server, reference_data):
    network = build_network()
    project = ProjectFactory(
        organisation=network.a,
        lead=network.lead_a,
        title="Éclairage public intelligent",
        summary="Des lampadaires qui s'allument au passage.",
        status="completed",
        observed_results="Consommation divisée par deux.",
        lessons_learned="Prévenir les riverains avant la pose.",
    )

    a_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    a = a_context.new_page()
    log_in(a, "dgs-amont", PASSWORD)
    a.goto(f"/projets/{project.pk}/")
    a.get_by_role("link", name="Publier au catalogue du réseau").click()
    expect(a.get_by_role("heading", name="Publier au catalogue du réseau")).to_be_visible()
    assert serious_violations(a) == []
    a.get_by_label("Résumé publié").fill("Des lampadaires sobres, allumés au passage.")
    a.get_by_label("Contact (nom et adresse e-mail ci-dessous)").check()
    a.get_by_label("Nom du contact (facultatif)").fill("Service de l'éclairage")
    a.get_by_role("button", name="Prévisualiser").click()
    expect(a.get_by_role("heading", name="Aperçu de la publication")).to_be_visible()
    expect(a.get_by_text("Prévenir les riverains avant la pose.")).to_be_visible()
    assert serious_violations(a) == []
    a.get_by_role("button", name="Confirmer la publication").click()
    expect(a.get_by_text("Le projet est publié au catalogue du réseau.")).to_be_visible()
    assert serious_violations(a) == []
    a_context.close()

    b_context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 320, "height": 640})
    b = b_context.new_page()
    log_in(b, "cheffe-bellerive", PASSWORD)
    b.goto("/projets/")
    b.get_by_role("link", name="Catalogue du réseau").click()
    b.get_by_label("Rechercher", exact=True).fill("eclairage LAMPADAIRES")
    b.get_by_role("button", name="Rechercher").click()
    expect(b.get_by_role("heading", name="1 projet publié")).to_be_visible()
    assert serious_violations(b) == []
    assert b.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    b.get_by_role("link", name="Éclairage public intelligent").click()
    expect(b.get_by_text("Ville d'Amont").first).to_be_visible()
    assert serious_violations(b) == []
    b.get_by_role("link", name="Essaimer dans notre portefeuille").click()
    expect(b.get_by_label("Titre")).to_have_value("Éclairage public intelligent")
    b.get_by_label("Titre").fill("Éclairage intelligent à Bellerive")
    b.get_by_label("Nature").select_option("societal")
    b.get_by_label("Origine").select_option("agents")
    assert serious_violations(b) == []
    b.get_by_role("button", name="Créer le projet").click()
    expect(b.get_by_text("Essaimé depuis « Éclairage public intelligent » de Ville d'Amont.")).to_be_visible()
    expect(b.get_by_role("heading", name="Éclairage intelligent à Bellerive")).to_be_visible()
    assert serious_violations(b) == []
    assert b.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    b_context.close()

    replica = Project.objects.get(title="Éclairage intelligent à Bellerive")
    assert replica.organisation == network.b
