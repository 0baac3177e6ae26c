"""A network's animateur belongs to no collectivité: the network's pages only, and no page answers 500."""

import re

import pytest

from accounts.roles import Role
from tests.factories import UserFactory


def navigation(page: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', page, flags=re.DOTALL)
    return re.findall(r'<a href="([^"]+)"', nav.group(0)) if nav else []


def test_the_animateur_is_sent_from_home_to_the_network_page_and_sees_only_it_in_the_navigation(client, animateur):
    client.force_login(animateur)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/reseau/", 302)]
    page = response.content.decode()
    assert navigation(page) == ["/reseau/", "/reseau/catalogue/"]
    assert 'href="/reseau/" aria-current="page"' in page
    assert '<span class="brand-organisation">Réseau des communes du Val</span>' in page


@pytest.mark.parametrize(
    "path",
    [
        "/projets/",
        "/projets/tableau/",
        "/projets/export.csv",
        "/projets/carte-du-portefeuille/",
        "/concours/",
        "/enquetes/",
        "/tableaux-de-bord/",
        "/rapports/",
        "/journal/",
        "/comptes/jetons-api/",
        "/api/projets",
        "/admin/",
    ],
)
def test_the_animateur_gets_404_on_the_members_pages(client, animateur, members_with_a_project, path):
    client.force_login(animateur)
    assert client.get(path).status_code == 404


def test_the_animateur_gets_404_on_a_members_project(client, animateur, members_with_a_project):
    client.force_login(animateur)
    project = members_with_a_project
    assert client.get(f"/projets/{project.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/comptes/profil/", "/comptes/notifications/", "/comptes/mot-de-passe/", "/accessibilite/"]
)
def test_the_animateur_keeps_their_own_account_pages(client, animateur, path):
    client.force_login(animateur)
    response = client.get(path)
    assert response.status_code == 200
    assert navigation(response.content.decode()) == ["/reseau/", "/reseau/catalogue/"]


@pytest.fixture
def members_with_a_project(make_member, project_of, phases):
    return project_of(make_member("Saint-Aubin", population=2_100), title="Projet de Saint-Aubin", phase=phases[0])


def test_the_host_operator_without_collectivite_has_a_home_page(client, db):
    operator = UserFactory(organisation=None, direction=None, is_superuser=True, is_staff=True)
    client.force_login(operator)
    response = client.get("/")
    assert response.status_code == 200
    assert "Aucun rôle ne vous est attribué" in response.content.decode()
    assert "/reseau/" not in navigation(response.content.decode())
    assert client.get("/reseau/").status_code == 404


def test_a_members_dgs_has_the_network_in_the_navigation_and_keeps_their_own(client, make_member, person_of):
    dgs = person_of(make_member("Montfleury", population=8_700), Role.DGS, is_staff=True)
    client.force_login(dgs)
    links = navigation(client.get("/").content.decode())
    assert "/reseau/" in links and "/reseau/catalogue/" not in links  # reached from the project list
    assert {"/", "/projets/", "/tableaux-de-bord/", "/journal/", "/admin/"} <= set(links)


def test_the_host_operator_sees_no_collectivite_named_in_the_header_of_a_network(client, make_member):
    make_member("Saint-Aubin")
    make_member("Montfleury")
    operator = UserFactory(organisation=None, direction=None, is_superuser=True, is_staff=True)
    client.force_login(operator)
    assert 'class="brand-organisation"' not in client.get("/").content.decode()


def test_the_host_operator_of_one_collectivite_sees_its_name_as_before(client, db):
    from accounts.models import Organisation

    Organisation.objects.create(name="Ville de Bellerive", kind="commune")
    operator = UserFactory(organisation=None, direction=None, is_superuser=True, is_staff=True)
    client.force_login(operator)
    assert '<span class="brand-organisation">Ville de Bellerive</span>' in client.get("/").content.decode()


def test_the_animateur_reaches_the_networks_catalogue_marked_as_the_current_section(client, animateur):
    client.force_login(animateur)
    response = client.get("/reseau/catalogue/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/reseau/catalogue/" aria-current="page"' in page
    assert 'href="/reseau/" aria-current' not in page
