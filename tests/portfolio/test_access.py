"""Who sees and edits which project: owner, allowed and stranger for every view."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from portfolio.models import Indicator
from tests.factories import PASSWORD, ProjectFactory

OBJECT_VIEWS = [
    ("get", "portfolio:detail"),
    ("get", "portfolio:edit"),
    ("get", "portfolio:scorecard"),
    ("post", "portfolio:decide"),
    ("get", "portfolio:history"),
    ("post", "portfolio:indicator_create"),
    ("post", "portfolio:attachment_upload"),
]


@pytest.mark.parametrize(("method", "name"), OBJECT_VIEWS)
def test_a_stranger_gets_404_on_every_view_of_a_restricted_project(client, restricted, stranger, method, name):
    client.force_login(stranger)
    response = getattr(client, method)(reverse(name, args=[restricted.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["portfolio:measurement_add", "portfolio:attachment_download"])
def test_a_stranger_gets_404_on_the_indicators_and_documents_of_a_restricted_project(
    client, restricted, stranger, name
):
    indicator = Indicator.objects.create(project=restricted, name="Délai")
    client.force_login(stranger)
    assert client.get(reverse(name, args=[restricted.pk, indicator.pk])).status_code == 404


def test_the_lead_a_team_member_and_the_dgs_see_a_restricted_project(client, restricted, lead, dgs):
    from accounts.models import User

    for user in (lead, User.objects.get(username="equipier"), dgs):
        client.force_login(user)
        assert client.get(restricted.get_absolute_url()).status_code == 200


def test_a_restricted_project_is_in_no_list_search_or_export_of_a_stranger(client, restricted, project, stranger):
    client.force_login(stranger)
    for url in (
        "/projets/",
        "/projets/?q=confidentiel",
        "/projets/tableau/",
        "/projets/export.csv",
        "/projets/mes-projets/",
    ):
        assert "Projet confidentiel" not in client.get(url).getvalue().decode("utf-8-sig"), url
    assert "Guichet unique" in client.get("/projets/").content.decode()


@pytest.mark.parametrize(("method", "name"), [m for m in OBJECT_VIEWS if m[1] != "portfolio:detail"])
def test_an_agent_who_can_see_a_project_cannot_change_it(client, project, stranger, method, name):
    client.force_login(stranger)
    assert getattr(client, method)(reverse(name, args=[project.pk])).status_code == 403


def test_a_team_member_reads_but_does_not_edit(client, restricted):
    client.force_login(restricted.team.get())
    assert client.get(reverse("portfolio:edit", args=[restricted.pk])).status_code == 403


def test_the_lead_and_co_leads_edit_their_project(client, project, make_user):
    co_lead = make_user(username="copilote")
    project.co_leads.add(co_lead)
    for user in (project.lead, co_lead):
        client.force_login(user)
        assert client.get(reverse("portfolio:edit", args=[project.pk])).status_code == 200
        assert client.get(reverse("portfolio:scorecard", args=[project.pk])).status_code == 200


def test_the_dgs_edits_every_project_and_sees_its_history(client, restricted, dgs):
    client.force_login(dgs)
    assert client.get(reverse("portfolio:edit", args=[restricted.pk])).status_code == 200
    assert client.get(reverse("portfolio:history", args=[restricted.pk])).status_code == 200


def test_only_the_dgs_decides_gates(client, project):
    client.force_login(project.lead)
    response = client.post(reverse("portfolio:decide", args=[project.pk]), {"decision": "go", "rationale": "x"})
    assert response.status_code == 403


def test_an_agent_cannot_create_a_project(client, agent):
    client.force_login(agent)
    assert client.get("/projets/nouveau/").status_code == 403


def test_an_agent_sees_no_new_project_button_he_could_not_use(client, agent):
    client.force_login(agent)
    assert "/projets/nouveau/" not in client.get("/projets/").content.decode()
    assert "/projets/nouveau/" not in client.get("/").content.decode()


@pytest.mark.parametrize("how", ["lead", "co_lead"])
def test_an_agent_who_leads_a_project_may_create_another_and_sees_the_button(client, make_user, how):
    agent = make_user(Role.AGENT, username="porteur")
    project = ProjectFactory(title="Idée devenue projet")
    if how == "lead":
        project.lead = agent
        project.save()
    else:
        project.co_leads.add(agent)
    client.force_login(agent)
    assert 'href="/projets/nouveau/"' in client.get("/projets/").content.decode()
    assert 'href="/projets/nouveau/"' in client.get("/").content.decode()
    assert client.get("/projets/nouveau/").status_code == 200


def test_a_project_lead_can_create_a_project(client, lead):
    client.force_login(lead)
    assert client.get("/projets/nouveau/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/projets/",
        "/projets/tableau/",
        "/projets/mes-projets/",
        "/projets/export.csv",
        "/projets/export.xlsx",
        "/projets/nouveau/",
    ],
)
def test_every_project_page_needs_a_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/comptes/connexion/")


def test_projects_are_in_the_navigation_of_every_role(client, copil):
    client.force_login(copil)
    assert 'href="/projets/">Projets</a>' in client.get("/").content.decode()


def test_login_then_project_page(client, project):
    client.post("/comptes/connexion/", {"username": "cheffe", "password": PASSWORD})
    assert client.get(project.get_absolute_url()).status_code == 200
