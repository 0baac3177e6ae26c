from types import SimpleNamespace

import pytest

from accounts.models import Network, Organisation
from accounts.roles import Role
from tests.factories import DirectionFactory, OrganisationFactory, ProjectFactory, UserFactory


def build_network() -> SimpleNamespace:
    """A network of two collectivités, A (the suite's default collectivité) and B, and C outside any network."""
    network = Network.objects.create(name="Réseau des Rives", slug="rives")
    a = OrganisationFactory()
    a.name, a.network = "Ville d'Amont", network
    a.save()
    b = Organisation.objects.create(pk=2, name="Ville de Bellerive", kind=Organisation.Kind.COMMUNE, network=network)
    c = Organisation.objects.create(pk=3, name="Ville d'Ailleurs", kind=Organisation.Kind.COMMUNE)

    def person(organisation, username, *roles):
        direction = DirectionFactory(organisation=organisation, code=f"D{organisation.pk}", name="Direction générale")
        return UserFactory(username=username, organisation=organisation, direction=direction, roles=list(roles))

    return SimpleNamespace(
        network=network,
        a=a,
        b=b,
        c=c,
        dgs_a=person(a, "dgs-amont", Role.DGS),
        lead_a=person(a, "cheffe-amont", Role.PROJECT_LEAD, Role.AGENT),
        lead_b=person(b, "cheffe-bellerive", Role.PROJECT_LEAD, Role.AGENT),
        agent_b=person(b, "agent-bellerive", Role.AGENT),
        dgs_c=person(c, "dgs-ailleurs", Role.DGS),
    )


@pytest.fixture
def network(db):
    return build_network()


@pytest.fixture
def lighting(network):
    """A's finished project, open to all its agents."""
    return ProjectFactory(
        organisation=network.a,
        lead=network.lead_a,
        title="Éclairage public intelligent",
        summary="Des lampadaires qui s'allument au passage.",
        status="completed",
        observed_results="Consommation divisée par deux.",
        lessons_learned="Prévenir les riverains avant la pose.",
    )
