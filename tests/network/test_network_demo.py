"""``seed_demo --network``: a network of an EPCI and three communes, idempotent; plain ``seed_demo`` unchanged."""

import io

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Direction, Network, Organisation, User
from portfolio.models import Project


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Network, Organisation, Direction, User, Project))


def test_plain_seed_demo_serves_one_collectivite_and_no_network(db, demo_settings):
    call_command("seed_demo", stdout=io.StringIO())
    assert list(Organisation.objects.values_list("name", "network")) == [("Ville de Bellerive-sur-Loire", None)]
    assert not Network.objects.exists()
    assert not User.objects.filter(username="animateur").exists()


def test_seed_demo_network_builds_a_network_of_an_epci_and_three_communes_and_is_idempotent(db, demo_settings):
    output = io.StringIO()
    call_command("seed_demo", "--network", stdout=output)
    first = counts()
    call_command("seed_demo", "--network", stdout=io.StringIO())
    assert counts() == first

    network = Network.objects.get()
    members = {organisation.name: organisation for organisation in network.members.all()}
    assert {name: (m.kind, m.size_band) for name, m in members.items()} == {
        "Communauté de communes Loire et Coteaux": ("epci", "lt100000"),
        "Ville de Bellerive-sur-Loire": ("commune", "lt100000"),
        "Commune de Saint-Aubin-des-Prés": ("commune", "lt3500"),
        "Ville de Montfleury-sur-Cher": ("commune", "lt20000"),
    }
    for organisation in members.values():
        assert Direction.objects.filter(organisation=organisation).exists()
        assert Project.objects.filter(organisation=organisation).count() >= 2
    animateur = User.objects.get(username="animateur")
    assert (animateur.organisation, animateur.network) == (None, network)
    assert animateur.check_password(DEMO_PASSWORD)
    dgs = User.objects.get(username="dgs-montfleury")
    assert dgs.organisation == members["Ville de Montfleury-sur-Cher"] and dgs.check_password(DEMO_PASSWORD)
    assert dgs.direction.organisation == dgs.organisation
    assert "animateur" in output.getvalue() and "dgs-saint-aubin" in output.getvalue()

    from catalogue.models import Publication

    publication = Publication.objects.get()  # published once, replicated once, however often the command runs
    assert publication.organisation == members["Ville de Bellerive-sur-Loire"]
    replica = Project.objects.get(replicated_from=publication)
    assert replica.organisation == members["Commune de Saint-Aubin-des-Prés"]
    assert f"« {publication.title} » essaimé par Commune de Saint-Aubin-des-Prés" in output.getvalue()

    from surveys.models import Campaign, NationalEdition, Response

    edition = NationalEdition.objects.get(network=network)  # open, one campaign per member, each with answers
    assert edition.is_open
    assert {campaign.organisation for campaign in Campaign.objects.filter(edition=edition)} == set(members.values())
    for organisation in members.values():
        assert Response.objects.filter(campaign__edition=edition, campaign__organisation=organisation).exists()


def sign_in(client, username: str) -> None:
    client.logout()
    response = client.post("/comptes/connexion/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username


def test_in_the_network_demo_each_person_sees_their_own_collectivite(client, db, demo_settings):
    call_command("seed_demo", "--network", stdout=io.StringIO())

    sign_in(client, "animateur")
    page = client.get("/reseau/").content.decode()
    assert "Collectivités membres (4)" in page
    assert "Mairie itinérante" not in page

    sign_in(client, "dgs-saint-aubin")
    comparison = client.get("/enquetes/edition-nationale-2026/comparaison/")
    assert comparison.status_code == 200 and "Pairs" in comparison.content.decode()
    projects = client.get("/projets/").content.decode()
    assert "Mairie itinérante" in projects
    assert "Cantine : commandes sans papier" not in projects  # Montfleury's
    assert "Guichet unique des démarches" not in projects  # Bellerive's
    assert "Collectivités membres (4)" in client.get("/reseau/").content.decode()

    sign_in(client, "dgs")
    assert "Mairie itinérante" not in client.get("/projets/").content.decode()
