"""Simultaneous gate decisions on one project: exactly one is recorded, the others are told so in French."""

from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from portfolio.models import GateDecision, Phase, Project
from tests.factories import ProjectFactory, UserFactory
from tests.live import Session, all_at_once, on_postgresql

pytestmark = [on_postgresql, pytest.mark.usefixtures("messages_in_session")]

REFUSED = "Une autre décision vient d'être enregistrée sur ce projet : la vôtre ne l'a pas été."


def decide(session: Session, project: Project, decision: str, rationale: str):
    data = {
        "decision": decision,
        "decided_on": timezone.localdate().isoformat(),
        "rationale": rationale,
        "last_decision": project.last_decision_pk(),
    }
    return partial(session.post, reverse("portfolio:decide", args=[project.pk]), data)


def test_six_simultaneous_go_decisions_move_the_project_one_phase_only(live_server, reference_data):
    dgs = UserFactory(roles=[Role.DGS], username="dgs")
    project = ProjectFactory()
    sessions = [Session(live_server.url, dgs) for _ in range(6)]
    answers = all_at_once([decide(session, project, "go", f"Feu vert n° {n}") for n, session in enumerate(sessions)])

    assert GateDecision.objects.filter(project=project).count() == 1
    project.refresh_from_db()
    assert project.phase.code == Phase.ADOPTION
    accepted = [answer for answer in answers if answer.redirected]
    assert len(accepted) == 1 and "Décision enregistrée : Passage à la phase suivante." in accepted[0].page
    refused = [answer for answer in answers if not answer.redirected]
    assert [answer.status for answer in refused] == [400] * 5
    assert all(REFUSED in answer.page for answer in refused)


def test_different_decisions_taken_together_by_several_people_leave_one_of_them(live_server, reference_data):
    deciders = [UserFactory(roles=[Role.DGS], username=f"dga{n}") for n in range(3)]
    project = ProjectFactory()
    choices = ["go", "hold", "stop"] * 2
    actions = [
        decide(Session(live_server.url, deciders[n % 3]), project, decision, f"Décision {n}")
        for n, decision in enumerate(choices)
    ]
    answers = all_at_once(actions)

    decisions = list(GateDecision.objects.filter(project=project))
    assert len(decisions) == 1
    assert sorted(answer.status for answer in answers) == [200] + [400] * 5
    project.refresh_from_db()
    expected = {"go": Project.Status.ACTIVE, "hold": Project.Status.ON_HOLD, "stop": Project.Status.STOPPED}
    assert project.status == expected[decisions[0].decision]


def test_a_refused_decision_can_be_taken_again_from_the_page_it_returns(client, dgs, reference_data):
    project = ProjectFactory()
    stale = project.last_decision_pk()
    client.force_login(dgs)
    url = reverse("portfolio:decide", args=[project.pk])
    today = timezone.localdate().isoformat()
    client.post(url, {"decision": "hold", "decided_on": today, "rationale": "Budget.", "last_decision": stale})
    response = client.post(url, {"decision": "stop", "decided_on": today, "rationale": "Non.", "last_decision": stale})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Une autre décision vient d&#x27;être enregistrée sur ce projet" in page
    assert f'name="last_decision" value="{project.last_decision_pk()}"' in page  # the next try answers the new one
    assert GateDecision.objects.filter(project=project).count() == 1
