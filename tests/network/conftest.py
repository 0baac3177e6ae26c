import pytest

from accounts.models import Network, Organisation, User
from accounts.roles import Role
from portfolio.models import Phase, Project
from tests.factories import DirectionFactory, ProjectFactory, UserFactory


@pytest.fixture
def network(db) -> Network:
    return Network.objects.create(name="Réseau des communes du Val", slug="val")


@pytest.fixture
def make_member(network):
    def make(name: str, *, kind: str = Organisation.Kind.COMMUNE, population: int | None = None) -> Organisation:
        return Organisation.objects.create(
            name=name, slug=name.lower().replace(" ", "-"), kind=kind, population=population, network=network
        )

    return make


@pytest.fixture
def person_of():
    def make(organisation: Organisation, *roles: Role, **fields: object) -> User:
        direction = DirectionFactory(organisation=organisation, code=f"DG{organisation.pk}")
        return UserFactory(organisation=organisation, direction=direction, roles=list(roles), **fields)

    return make


@pytest.fixture
def project_of(person_of):
    def make(organisation: Organisation, **fields: object) -> Project:
        lead = person_of(organisation, Role.PROJECT_LEAD)
        return ProjectFactory(organisation=organisation, lead=lead, **fields)

    return make


@pytest.fixture
def animateur(network) -> User:
    return UserFactory(username="animatrice", organisation=None, direction=None, network=network)


@pytest.fixture
def phases(db) -> list[Phase]:
    if not Phase.objects.exists():  # a reused test database emptied by a transactional test
        from django.apps import apps

        from portfolio.reference import seed_reference_data

        seed_reference_data(apps)
    return list(Phase.objects.order_by("order"))
