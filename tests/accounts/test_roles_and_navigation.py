"""Each person sees the navigation and the home page of their roles."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role


def test_the_five_roles_exist_as_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_the_dgs_group_manages_directions(db):
    permissions = set(Group.objects.get(name=Role.DGS).permissions.values_list("codename", flat=True))
    assert {"view_user", "change_direction"} <= permissions


def test_home_needs_a_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/comptes/connexion/?next=/"


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.DGS, "Direction générale", "Membre du jury"),
        (Role.PROJECT_LEAD, "Chef de projet", "Direction générale"),
        (Role.AGENT, "Agent", "Comité de pilotage"),
        (Role.JURY, "Membre du jury", "Chef de projet"),
        (Role.COPIL, "Comité de pilotage", "Agent"),
    ],
)
def test_home_shows_the_panel_of_each_role_and_no_other(client, make_user, role, shown, hidden):
    client.force_login(make_user(role))
    page = client.get("/").content.decode()
    assert f'<h2 id="home-{role.value.replace("_", "-")}">{shown}</h2>' in page
    assert f">{hidden}</h2>" not in page


def test_a_person_with_two_roles_sees_both_panels(client, make_user):
    client.force_login(make_user(Role.JURY, Role.AGENT))
    page = client.get("/").content.decode()
    assert 'id="home-jury"' in page and 'id="home-agent"' in page


def test_a_person_without_role_is_told_so(client, make_user):
    client.force_login(make_user())
    assert "Aucun rôle ne vous est attribué" in client.get("/").content.decode()


def test_administration_is_in_the_navigation_of_staff_only(client, dgs, agent):
    client.force_login(dgs)
    assert 'href="/admin/">Administration</a>' in client.get("/").content.decode()
    client.force_login(agent)
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_the_dgs_manages_directions_and_people_but_grants_no_admin_rights(client, dgs, agent):
    client.force_login(dgs)
    assert client.get("/admin/accounts/direction/add/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200
    page = client.get(f"/admin/accounts/user/{agent.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert 'name="groups"' in page


def test_a_signed_in_agent_reaching_the_admin_gets_a_403_not_a_loop(client, agent):
    client.force_login(agent)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]


def test_the_current_section_is_marked_for_screen_readers(client, agent):
    client.force_login(agent)
    assert 'href="/" aria-current="page">Accueil</a>' in client.get("/").content.decode()


def test_the_profile_lists_the_roles_and_direction(client, make_user):
    user = make_user(Role.COPIL)
    client.force_login(user)
    page = client.get("/comptes/profil/").content.decode()
    assert "Comité de pilotage" in page and user.direction.name in page


def test_the_dgs_home_counts_active_projects_by_phase(client, dgs):
    from portfolio.models import Phase
    from tests.factories import ProjectFactory

    ProjectFactory.create_batch(2, phase=Phase.objects.get(code="adoption"))
    ProjectFactory(phase=Phase.objects.get(code="adoption"), status="stopped")
    client.force_login(dgs)
    page = client.get("/").content.decode()
    assert '<a href="/projets/?phase=adoption&amp;statut=active"><strong>2</strong> Adoption</a>' in page


def test_an_agent_who_leads_a_project_finds_it_on_his_home_page(client, make_user):
    from tests.factories import ProjectFactory

    agent = make_user(Role.AGENT)
    ProjectFactory(lead=agent, title="Mon idée devenue projet")
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert 'id="home-project-lead"' in page and 'id="home-agent"' in page
    assert page.index('id="home-project-lead"') < page.index('id="home-agent"')
    assert "Mon idée devenue projet" in page


def test_an_agent_who_leads_nothing_has_no_project_lead_panel(client, make_user):
    client.force_login(make_user(Role.AGENT))
    assert 'id="home-project-lead"' not in client.get("/").content.decode()


def test_a_lead_home_lists_their_current_projects(client, make_user):
    from tests.factories import ProjectFactory

    lead = make_user(Role.PROJECT_LEAD)
    ProjectFactory(lead=lead, title="Mon projet")
    ProjectFactory(lead=lead, title="Projet arrêté", status="stopped")
    client.force_login(lead)
    page = client.get("/").content.decode()
    assert "Mon projet" in page and "Projet arrêté" not in page


def test_the_dgs_cannot_touch_a_superuser_account(client, dgs, make_user):
    boss = make_user(username="root", is_superuser=True, is_staff=True)
    client.force_login(dgs)
    assert client.get(f"/admin/accounts/user/{boss.pk}/change/").status_code in (302, 403, 404)
    assert client.get(f"/admin/accounts/user/{boss.pk}/password/").status_code in (302, 403, 404)
    assert "root" not in client.get("/admin/accounts/user/").content.decode()


def test_opening_the_inbox_marks_only_what_was_shown(client, agent):
    from accounts.models import Notification

    Notification.objects.bulk_create(Notification(user=agent, message=f"Message {n}") for n in range(35))
    client.force_login(agent)
    client.get("/comptes/notifications/")
    assert Notification.objects.filter(user=agent, read_at__isnull=True).count() == 5
