"""The accessibility statement: public, in the RGAA model, its level said in every footer."""

from django.urls import reverse

from innovation_portal.accessibility import CONFORMITY


def test_anyone_reads_the_statement_without_signing_in(client, db):
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    page = response.content.decode()
    for heading in [
        "État de conformité",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Pages vérifiées",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert heading in page.replace("&#x27;", "'"), heading
    assert "<strong>non conforme</strong>" in page
    assert "Libre réponse 71120" in page
    assert "https://formulaire.defenseurdesdroits.fr/" in page


def test_the_statement_gives_the_configured_contact(client, db, settings):
    settings.ACCESSIBILITY_CONTACT = "accessibilite@ville.example"
    page = client.get("/accessibilite/").content.decode()
    assert 'href="mailto:accessibilite@ville.example"' in page


def test_the_footer_of_every_page_links_to_the_statement(client, agent):
    link = f'<a href="{reverse("accessibility")}">Accessibilité : {CONFORMITY.label}</a>'
    assert link in client.get("/comptes/connexion/").content.decode()
    client.force_login(agent)
    for path in ["/", "/projets/", "/concours/", "/nulle-part/"]:
        assert link in client.get(path).content.decode(), path


def test_the_statement_only_answers_reading(client, db):
    assert client.post("/accessibilite/").status_code == 405
