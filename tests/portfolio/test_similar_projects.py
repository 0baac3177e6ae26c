"""Typing a project's title shows the projects the person may see with a similar title; without JavaScript the
form's "Vérifier les doublons" shows them without saving anything."""

from django.urls import reverse

from portfolio.models import Project
from tests.factories import ProjectFactory
from tests.portfolio.test_project_forms import valid_data  # noqa: F401 (fixture)

URL = reverse("portfolio:similar")


def test_typing_a_title_suggests_a_project_with_accents_plurals_and_a_typo(client, lead):
    carpool = ProjectFactory(title="Covoiturage des agents", visibility="all")
    ProjectFactory(title="Formation des agents au numérique")
    client.force_login(lead)
    html = client.get(URL, {"titre": "covoitrages entre agents"}).content.decode()
    assert carpool.get_absolute_url() in html and "Formation" not in html
    assert 'target="_blank"' in html and "nouvel onglet" in html


def test_a_restricted_project_is_suggested_only_to_those_who_see_it(client, restricted, stranger, lead):
    client.force_login(stranger)
    assert "Projet confidentiel" not in client.get(URL, {"titre": "Projet confidentiel"}).content.decode()
    client.force_login(lead)
    assert "Projet confidentiel" in client.get(URL, {"titre": "Projets confidentiels"}).content.decode()


def test_excluding_a_project_one_may_not_see_answers_404(client, restricted, stranger):
    client.force_login(stranger)
    assert client.get(URL, {"titre": "Projet", "exclure": restricted.pk}).status_code == 404


def test_the_check_button_shows_the_similar_projects_and_creates_nothing(client, lead, valid_data):  # noqa: F811
    existing = ProjectFactory(title="Espace numérique citoyen")
    client.force_login(lead)
    response = client.post("/projets/nouveau/", {**valid_data, "title": "Espaces numériques citoyens", "check": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and existing.get_absolute_url() in html
    assert "Rien n'est encore enregistré" in html and "Le formulaire contient des erreurs" not in html
    assert Project.objects.count() == 1


def test_the_edit_form_does_not_suggest_the_project_itself(client, project, lead):
    client.force_login(lead)
    html = client.get(reverse("portfolio:edit", args=[project.pk])).content.decode()
    assert 'aria-live="polite"' in html and "Vérifier les doublons" in html
    assert f'href="{project.get_absolute_url()}" target="_blank"' not in html


def test_a_search_without_results_shows_the_projects_with_a_close_title(client, lead):
    carpool = ProjectFactory(title="Covoiturage des agents")
    client.force_login(lead)
    html = client.get("/projets/", {"q": "covoiturage entre agents"}).content.decode()
    assert "Aucun projet ne correspond à ces filtres." in html
    assert "Projets au titre proche de « covoiturage entre agents »" in html and carpool.get_absolute_url() in html
    assert "titre proche" not in client.get("/projets/", {"q": "covoiturage"}).content.decode()  # already listed
