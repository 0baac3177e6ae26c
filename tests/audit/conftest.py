import pytest

from audit.models import AuditEntry
from tests.factories import ProjectFactory


@pytest.fixture
def project(lead):
    return ProjectFactory(lead=lead, title="Guichet unique")


@pytest.fixture
def entries():
    """The journal's entries of one action code, oldest first."""

    def of(action: str) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(action=action).order_by("at", "id"))

    return of
