import pytest
from django.utils import timezone

from surveys.models import Campaign, Invitation, Questionnaire
from surveys.national import EDITION, SERIES
from surveys.selectors import questionnaire_structure


@pytest.fixture
def questionnaire(db) -> Questionnaire:
    """The national questionnaire, loaded by migration 0002."""
    return Questionnaire.objects.get(series=SERIES, edition=EDITION)


@pytest.fixture
def structure(questionnaire):
    return questionnaire_structure(questionnaire)


@pytest.fixture
def campaign(questionnaire, dgs) -> Campaign:
    """An open campaign of the national questionnaire."""
    return Campaign.objects.create(
        questionnaire=questionnaire,
        title="Enquête des cadres 2026",
        slug="cadres-2026",
        status=Campaign.Status.OPEN,
        opened_at=timezone.now(),
        created_by=dgs,
    )


@pytest.fixture
def invitation(campaign) -> Invitation:
    return Invitation.objects.create(
        campaign=campaign, email="cadre@exemple.fr", token="jeton-personnel-de-test-0123456789abcdef"
    )


@pytest.fixture
def stranger(make_user):
    """A signed-in agent and project lead: no business with surveys."""
    from accounts.roles import Role

    return make_user(Role.AGENT, Role.PROJECT_LEAD, username="inconnu")
