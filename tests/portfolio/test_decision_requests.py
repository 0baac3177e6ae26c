"""A lead asks the direction générale for a decision; the request waits on the DGS's « À décider » list until a
decision is recorded or the lead withdraws it."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from audit.models import AuditEntry
from portfolio import services
from portfolio.models import DecisionRequest, Project
from tests.factories import ProjectFactory


@pytest.fixture
def project(lead):
    return ProjectFactory(title="Guichet unique", lead=lead)


def _ask(client, project, message="Prêt pour l'adoption : le sponsor est trouvé."):
    return client.post(reverse("portfolio:decision_request", args=[project.pk]), {"request-message": message})


def test_a_lead_asks_for_a_decision_and_the_dgs_is_told(client, lead, dgs, project):
    client.force_login(lead)
    response = _ask(client, project)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projets/{project.pk}/#decisions")
    waiting = DecisionRequest.objects.get()
    assert (waiting.project, waiting.requested_by, waiting.closed_at) == (project, lead, None)
    assert Notification.objects.filter(user=dgs, kind="decision_request", url__contains="#decisions").exists()
    assert AuditEntry.objects.filter(action="project.decision_requested", object_id=str(project.pk)).exists()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Décision demandée à la direction générale par" in page
    assert "Prêt pour l&#x27;adoption" in page
    assert "Retirer la demande" in page


def test_asking_twice_is_refused_in_french(client, lead, project):
    client.force_login(lead)
    _ask(client, project)
    response = client.post(
        reverse("portfolio:decision_request", args=[project.pk]), {"request-message": "Encore"}, follow=True
    )
    # The form is no longer offered; a second request (another tab, a co-lead) is refused with a clear message.
    assert "Une décision est déjà demandée pour ce projet, depuis le" in response.content.decode()
    assert DecisionRequest.objects.count() == 1


def test_a_too_long_message_is_refused_and_nothing_is_saved(client, lead, project):
    client.force_login(lead)
    response = _ask(client, project, "x" * 2001)
    assert response.status_code == 400
    assert "auplus2000caractères" in response.content.decode().replace("\u202f", "").replace(" ", "")
    assert not DecisionRequest.objects.exists()


def test_a_decision_answers_the_request(client, lead, dgs, project):
    client.force_login(lead)
    _ask(client, project)
    gate = services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Adopté.")
    waiting = DecisionRequest.objects.get()
    assert waiting.closed_at is not None
    assert waiting.decision == gate
    # Answered: the lead may ask again later.
    assert "Demander une décision" in client.get(project.get_absolute_url()).content.decode()


def test_the_lead_withdraws_the_request(client, lead, project):
    client.force_login(lead)
    _ask(client, project)
    response = client.post(reverse("portfolio:decision_request_withdraw", args=[project.pk]), follow=True)
    assert "Votre demande de décision est retirée." in response.content.decode()
    assert DecisionRequest.objects.get().closed_at is not None
    assert AuditEntry.objects.filter(action="project.decision_request_withdrawn").exists()


def test_strangers_and_team_members_cannot_ask(client, make_user, agent, project):
    restricted = ProjectFactory(visibility=Project.Visibility.RESTRICTED, lead=project.lead)
    client.force_login(agent)
    assert _ask(client, restricted).status_code == 404  # a stranger does not learn it exists
    assert _ask(client, project).status_code == 403  # visible, but not theirs to run
    assert client.get(reverse("portfolio:decision_request", args=[project.pk])).status_code == 405
    assert not DecisionRequest.objects.exists()


def test_a_closed_project_waits_for_no_decision(client, lead, dgs, project):
    services.project_decide_gate(project=project, decided_by=dgs, decision="stop", rationale="Abandon.")
    client.force_login(lead)
    response = client.post(reverse("portfolio:decision_request", args=[project.pk]), follow=True)
    assert "aucune décision n&#x27;est plus à prendre" in response.content.decode()
    assert not DecisionRequest.objects.exists()


def test_the_list_filters_the_projects_waiting_for_a_decision(client, lead, dgs, project):
    other = ProjectFactory(title="Autre projet", lead=lead)
    client.force_login(lead)
    _ask(client, project)
    client.force_login(dgs)
    page = client.get("/projets/?decision_demandee=on").content.decode()
    assert "Guichet unique" in page
    assert other.title not in page
