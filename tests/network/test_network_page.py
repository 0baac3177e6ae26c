"""The network's page: its members and aggregated figures, for its animateur and its members' DGS only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Network, Organisation
from accounts.roles import Role
from portfolio.models import Project
from tests.factories import UserFactory


def cells(page: str, label: str) -> list[str]:
    """The cells of the table row headed ``label``."""
    row = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', page)
    assert row, f"no row {label}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


@pytest.fixture
def members(make_member):
    return [
        make_member("Communauté du Val", kind=Organisation.Kind.EPCI, population=42_000),
        make_member("Saint-Aubin", population=2_100),
        make_member("Montfleury", population=8_700),
    ]


def test_the_animateur_sees_the_members_and_the_projects_counted_by_phase_and_nature(
    client, animateur, members, project_of, phases
):
    epci, aubin, montfleury = members
    project_of(epci, title="Guichet numérique intercommunal", phase=phases[0], nature=Project.Nature.SOCIETAL)
    project_of(aubin, title="Atelier participatif du marché", phase=phases[0], nature=Project.Nature.MANAGERIAL)
    project_of(montfleury, title="Plan vélo des agents", phase=phases[2], nature=Project.Nature.SOCIETAL)
    client.force_login(animateur)

    page = client.get("/reseau/").content.decode()

    assert "<h1>Réseau des communes du Val</h1>" in page
    assert "Collectivités membres (3)" in page
    assert cells(page, "Communauté du Val") == ["EPCI", "de 20 000 à 99 999 habitants"]
    assert cells(page, "Saint-Aubin") == ["Commune", "moins de 3 500 habitants"]
    assert cells(page, "Montfleury") == ["Commune", "de 3 500 à 19 999 habitants"]
    assert cells(page, phases[0].label) == ["2", "67 %"]
    assert cells(page, phases[1].label) == ["0", "0 %"]
    assert cells(page, phases[2].label) == ["1", "33 %"]
    assert cells(page, "Sociétale / servicielle") == ["2", "67 %"]
    assert cells(page, "Managériale / organisationnelle") == ["1", "33 %"]
    assert "Base : 3 projets en cours au " in page
    assert "Membres qui en comptent au moins un : 3." in page
    for title in ("Guichet numérique", "Atelier participatif", "Plan vélo"):
        assert title not in page


def test_a_restricted_project_is_never_counted_nor_named(client, animateur, members, project_of, phases):
    project_of(members[0], title="Projet ouvert", phase=phases[0])
    project_of(members[1], title="Réorganisation confidentielle", phase=phases[1], visibility="restricted")
    client.force_login(animateur)

    page = client.get("/reseau/").content.decode()

    assert "Base : 1 projet en cours au " in page
    assert cells(page, phases[1].label) == ["0", "0 %"]
    assert "confidentielle" not in page
    assert "Membres qui en comptent au moins un : 1." in page


def test_projects_stopped_completed_or_outside_the_network_are_not_counted(
    client, animateur, members, project_of, phases
):
    outsider = Organisation.objects.create(name="Ville d'ailleurs", slug="ailleurs", kind="commune")
    project_of(outsider, phase=phases[0])
    project_of(members[0], phase=phases[0], status=Project.Status.STOPPED)
    project_of(members[0], phase=phases[0], status=Project.Status.COMPLETED)
    client.force_login(animateur)

    page = client.get("/reseau/").content.decode()

    assert "ailleurs" not in page
    assert "Base : aucun projet en cours au " in page
    assert "Aucun projet en cours à compter parmi les membres." in page


def test_a_members_dgs_sees_the_page_and_no_other_members_project(client, members, person_of, project_of, phases):
    dgs = person_of(members[1], Role.DGS)
    project_of(members[2], title="Projet de Montfleury", phase=phases[0])
    client.force_login(dgs)

    response = client.get("/reseau/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Votre collectivité est membre de ce réseau" in page
    assert "Base : 1 projet en cours au " in page
    assert "Projet de Montfleury" not in page
    assert 'href="/reseau/"' in page  # in the navigation


@pytest.mark.parametrize("role", [Role.AGENT, Role.PROJECT_LEAD, Role.COPIL, Role.JURY])
def test_other_people_of_a_member_get_404(client, members, person_of, role):
    client.force_login(person_of(members[0], role))
    assert client.get("/reseau/").status_code == 404
    assert 'href="/reseau/"' not in client.get("/").content.decode()


def test_the_dgs_of_a_collectivite_outside_any_network_gets_404_and_no_link(client, dgs):
    client.force_login(dgs)
    assert client.get("/reseau/").status_code == 404
    assert 'href="/reseau/"' not in client.get("/").content.decode()


def test_the_animateur_of_another_network_sees_only_their_own(client, members, project_of, phases):
    other = Network.objects.create(name="Autre réseau", slug="autre")
    client.force_login(UserFactory(organisation=None, direction=None, network=other))
    project_of(members[0], phase=phases[0])

    page = client.get("/reseau/").content.decode()

    assert "<h1>Autre réseau</h1>" in page
    assert "Aucune collectivité n'est encore membre de ce réseau." in page
    assert "Communauté du Val" not in page
    assert "Base : aucun projet en cours au " in page


def test_a_visitor_is_asked_to_sign_in(client, network):
    response = client.get("/reseau/")
    assert response.status_code == 302
    assert response.url.startswith("/comptes/connexion/")


def test_an_unknown_population_is_said_so(client, animateur, make_member):
    make_member("Petit-Village")
    client.force_login(animateur)
    assert cells(client.get("/reseau/").content.decode(), "Petit-Village") == ["Commune", "non renseignée"]


def _add_members(network, count, project_of, phases, *, first=0):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Commune {n:03}", slug=f"commune-{n}", kind="commune", population=700 * n, network=network)
        for n in range(first, first + count)
    )
    for organisation in organisations[:5]:
        project_of(organisation, phase=phases[organisation.pk % len(phases)])


def test_the_page_reads_as_many_queries_with_300_members_as_with_3(client, animateur, network, project_of, phases):
    client.force_login(animateur)
    _add_members(network, 3, project_of, phases)
    client.get("/reseau/")  # the session settles
    with CaptureQueriesContext(connection) as small:
        assert "Collectivités membres (3)" in client.get("/reseau/").content.decode()

    _add_members(network, 297, project_of, phases, first=3)
    with CaptureQueriesContext(connection) as large:
        assert "Collectivités membres (300)" in client.get("/reseau/").content.decode()

    assert len(large.captured_queries) == len(small.captured_queries) <= 10
