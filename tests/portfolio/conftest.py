import pytest

from accounts.roles import Role
from portfolio.models import Project
from tests.factories import ProjectFactory


@pytest.fixture
def project(lead) -> Project:
    """An open project led by the `cheffe` fixture."""
    return ProjectFactory(lead=lead, title="Guichet unique")


@pytest.fixture
def restricted(lead, make_user) -> Project:
    """A restricted project: its lead, a team member and the DGS may see it."""
    project = ProjectFactory(lead=lead, title="Projet confidentiel", visibility=Project.Visibility.RESTRICTED)
    project.team.add(make_user(Role.AGENT, username="equipier"))
    return project


@pytest.fixture
def stranger(make_user):
    return make_user(Role.AGENT, Role.PROJECT_LEAD, username="inconnu")
