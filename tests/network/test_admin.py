"""The administration of a deployment serving several collectivités.

The host operator (a superuser of no collectivité) manages the networks and the collectivités; a member's DGS
sees and edits only its own directions and accounts, without ever choosing a collectivité.
"""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Direction, Network, Organisation, User
from accounts.roles import Role
from tests.factories import DirectionFactory, UserFactory


@pytest.fixture
def operator(db) -> User:
    return UserFactory(username="hebergeur", organisation=None, direction=None, is_superuser=True, is_staff=True)


@pytest.fixture
def two_members(make_member):
    return make_member("Saint-Aubin", population=2_100), make_member("Montfleury", population=8_700)


@pytest.fixture
def aubin_dgs(two_members, person_of) -> User:
    return person_of(two_members[0], Role.DGS, username="dgs-aubin", is_staff=True)


def test_the_host_operator_creates_a_network_a_member_and_its_animateur(client, operator):
    client.force_login(operator)

    response = client.post("/admin/accounts/network/add/", {"name": "Réseau du Val", "slug": "val"})
    assert response.status_code == 302
    network = Network.objects.get(slug="val")

    response = client.post(
        "/admin/accounts/organisation/add/",
        {"name": "Saint-Aubin", "slug": "saint-aubin", "kind": "commune", "population": "2100", "network": network.pk},
    )
    assert response.status_code == 302
    member = Organisation.objects.get(slug="saint-aubin")
    assert member.network == network
    listing = client.get("/admin/accounts/organisation/").content.decode()
    assert "moins de 3 500 habitants" in listing and "Réseau du Val" in listing

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "animatrice",
            "email": "animatrice@val.example",
            "network": network.pk,
            "usable_password": "true",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302, response.content.decode()
    animatrice = User.objects.get(username="animatrice")
    assert (animatrice.organisation, animatrice.network) == (None, network)


def test_the_host_operator_places_an_account_in_one_collectivite_or_one_network(client, operator, two_members):
    aubin, montfleury = two_members
    direction_of_montfleury = DirectionFactory(organisation=montfleury, code="DGM")
    client.force_login(operator)
    base = {
        "username": "quelquun",
        "usable_password": "true",
        "password1": "Un-mot-de-passe-solide-42",
        "password2": "Un-mot-de-passe-solide-42",
    }

    both = client.post("/admin/accounts/user/add/", {**base, "organisation": aubin.pk, "network": aubin.network_id})
    neither = client.post("/admin/accounts/user/add/", base)
    elsewhere = client.post(
        "/admin/accounts/user/add/", {**base, "organisation": aubin.pk, "direction": direction_of_montfleury.pk}
    )

    assert "L&#x27;animateur d&#x27;un réseau n&#x27;appartient à aucune collectivité" in both.content.decode()
    assert "Choisissez la collectivité de la personne, ou le réseau qu&#x27;elle anime." in neither.content.decode()
    assert "Cette direction n&#x27;appartient pas à la collectivité choisie." in elsewhere.content.decode()
    assert not User.objects.filter(username="quelquun").exists()


def test_a_members_dgs_sees_and_edits_only_its_own_directions(client, two_members, aubin_dgs):
    aubin, montfleury = two_members
    theirs = DirectionFactory(organisation=montfleury, code="DRH", name="Ressources humaines de Montfleury")
    client.force_login(aubin_dgs)

    listing = client.get("/admin/accounts/direction/").content.decode()
    assert "Ressources humaines de Montfleury" not in listing
    assert f"DG{aubin.pk}" in listing
    assert client.get(f"/admin/accounts/direction/{theirs.pk}/change/").status_code == 302  # "does not exist"

    form = client.get("/admin/accounts/direction/add/").content.decode()
    assert 'name="organisation"' not in form
    response = client.post(
        "/admin/accounts/direction/add/", {"code": "drh", "name": "Ressources humaines", "is_active": "on"}
    )

    assert response.status_code == 302
    created = Direction.objects.get(name="Ressources humaines")
    assert (created.organisation, created.code) == (aubin, "DRH")  # the same code as Montfleury's: allowed
    again = client.post("/admin/accounts/direction/add/", {"code": "DRH", "name": "Doublon", "is_active": "on"})
    assert "Une direction de la collectivité porte déjà ce code." in again.content.decode()


def test_a_members_dgs_sees_and_adds_only_its_own_accounts(client, two_members, aubin_dgs, person_of):
    aubin, montfleury = two_members
    stranger = person_of(montfleury, Role.AGENT, username="agent-montfleury")
    animatrice = UserFactory(username="animatrice", organisation=None, direction=None, network=aubin.network)
    client.force_login(aubin_dgs)

    listing = client.get("/admin/accounts/user/").content.decode()
    assert "dgs-aubin" in listing
    assert "agent-montfleury" not in listing and "animatrice" not in listing
    assert client.get(f"/admin/accounts/user/{stranger.pk}/change/").status_code == 302
    assert client.get(f"/admin/accounts/user/{animatrice.pk}/change/").status_code == 302

    form = client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="organisation"' not in form and 'name="network"' not in form
    assert f"DG{montfleury.pk}" not in form  # no direction of another collectivité to choose
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "agent-aubin",
            "email": "agent@aubin.example",
            "direction": Direction.objects.get(code=f"DG{aubin.pk}").pk,
            "groups": [Group.objects.get(name=Role.AGENT).pk],
            "usable_password": "true",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert User.objects.get(username="agent-aubin").organisation == aubin


def test_a_members_dgs_sees_only_its_collectivite_and_no_network(client, two_members, aubin_dgs):
    aubin, montfleury = two_members
    client.force_login(aubin_dgs)

    listing = client.get("/admin/accounts/organisation/").content.decode()
    assert "Saint-Aubin" in listing and "Montfleury" not in listing
    assert client.get(f"/admin/accounts/organisation/{montfleury.pk}/change/").status_code == 302
    form = client.get(f"/admin/accounts/organisation/{aubin.pk}/change/").content.decode()
    assert 'name="network"' not in form and 'name="name"' in form
    assert client.get("/admin/accounts/network/").status_code == 403
    assert client.get("/admin/accounts/organisation/add/").status_code == 403
    assert "/admin/accounts/network/" not in client.get("/admin/").content.decode()


def test_a_members_dgs_updates_its_population_but_not_its_network(client, two_members, aubin_dgs):
    aubin, _montfleury = two_members
    client.force_login(aubin_dgs)

    response = client.post(
        f"/admin/accounts/organisation/{aubin.pk}/change/",
        {"name": "Saint-Aubin-des-Prés", "kind": "commune", "population": "3600", "network": ""},
    )

    assert response.status_code == 302
    aubin.refresh_from_db()
    assert (aubin.name, aubin.size_band, aubin.network.slug) == ("Saint-Aubin-des-Prés", "lt20000", "val")
