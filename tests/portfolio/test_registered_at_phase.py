"""An existing project registered at its current phase: its earlier passages are recorded as "reprise de
l'existant", shown as such, and never counted as decisions taken nor as passages steered in the portal."""

import datetime

import pytest
from django.utils import timezone

from portfolio import selectors, services
from portfolio.models import GateDecision, InnovationObject, Phase, Project
from reports import selectors as reports
from reports.quarters import Quarter
from tests.factories import DirectionFactory


@pytest.fixture
def valid_data(lead):
    return {
        "title": "Guichet unique des associations",
        "summary": "Un seul dossier pour toutes les subventions.",
        "nature": "societal",
        "objects_of_innovation": [InnovationObject.objects.get(code="ntic").pk],
        "origin": "agents",
        "directions": [DirectionFactory(code="DVA").pk],
        "lead": lead.pk,
        "start_date": "2024-03-01",
        "scope": "incremental",
        "visibility": "all",
    }


def _phase(code: str) -> Phase:
    return Phase.objects.get(code=code)


def test_a_lead_registers_a_project_already_in_implementation(client, lead, valid_data):
    client.force_login(lead)
    data = {**valid_data, "current_phase": _phase("implementation").pk, "phase_since": "2025-06-10"}
    response = client.post("/projets/nouveau/", data, follow=True)
    page = response.content.decode()
    project = Project.objects.get()
    assert "est créé, en phase « Mise en œuvre »." in page
    assert (project.phase.code, project.phase_since, project.status) == (
        "implementation",
        datetime.date(2025, 6, 10),
        "active",
    )
    passages = list(project.gate_decisions.order_by("from_phase__order"))
    assert [(g.from_phase.code, g.to_phase.code, g.prior_existing) for g in passages] == [
        ("emergence", "adoption", True),
        ("adoption", "implementation", True),
    ]
    assert all(g.decided_on == datetime.date(2025, 6, 10) for g in passages)
    # The history says what these are: taken over, before the portal, recorded (not decided) by the lead.
    assert page.count("Reprise de l&#x27;existant") == 2
    assert page.count("Avant le portail") == 2
    assert "lors de la reprise du projet" in page
    assert "Décidé par" not in page


def test_a_new_project_still_starts_in_the_first_phase_without_any_passage(client, lead, valid_data):
    client.force_login(lead)
    client.post("/projets/nouveau/", valid_data)
    project = Project.objects.get()
    assert project.phase.code == "emergence"
    assert project.phase_since == timezone.localdate()
    assert not project.gate_decisions.exists()


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("tomorrow", "La date d&#x27;entrée dans la phase ne peut pas être dans le futur."),
        ("2024-01-01", "La date d&#x27;entrée dans la phase ne peut pas précéder la date de début du projet."),
        ("pas une date", "Saisissez une date valide."),
    ],
)
def test_a_wrong_phase_date_is_refused_and_nothing_is_saved(client, lead, valid_data, since, message):
    client.force_login(lead)
    if since == "tomorrow":
        since = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {**valid_data, "current_phase": _phase("adoption").pk, "phase_since": since}
    response = client.post("/projets/nouveau/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()
    assert not GateDecision.objects.exists()


def test_the_phase_is_asked_only_when_creating(client, lead, valid_data):
    client.force_login(lead)
    client.post("/projets/nouveau/", valid_data)
    project = Project.objects.get()
    edit = {name: value for name, value in valid_data.items() if name != "lead"}
    response = client.post(f"/projets/{project.pk}/modifier/", {**edit, "current_phase": _phase("adoption").pk})
    assert "Ce formulaire ne permet pas de modifier : current_phase." in response.content.decode()
    project.refresh_from_db()
    assert project.phase.code == "emergence"


def test_passages_taken_over_are_not_decisions_nor_passages_steered_here(lead, dgs):
    today = timezone.localdate()
    since = today - datetime.timedelta(days=400)
    data = {"title": "Reprise", "summary": "s", "nature": "societal", "origin": "agents", "lead": lead}
    taken = services.project_create(created_by=lead, data=data, phase=_phase("implementation"), phase_since=since)
    fresh = services.project_create(created_by=lead, data={**data, "title": "Neuf"})
    projects = Project.objects.all()

    assert selectors.decision_counts(projects, since, today) == {}
    phases = selectors.phases_as_of(projects, today, stalled_days=180)
    entered = {p.phase.code: (p.entered, p.moved_on) for p in phases.passages}
    # The passage rates start from the phase each project was registered in: no survivor inflates them.
    assert entered == {"emergence": (1, 0), "adoption": (0, 0), "implementation": (1, 0), "appropriation": (0, 0)}
    assert {phase.code: n for phase, n in phases.in_progress} == {
        "emergence": 1,
        "adoption": 0,
        "implementation": 1,
        "appropriation": 0,
    }
    # In its phase for 400 days: without a move for long, from the day it entered the phase.
    assert phases.stalled == 1
    assert list(selectors.taken_over(projects)) == [taken]

    # A real decision afterwards counts, from the registered phase on.
    services.project_decide_gate(project=taken, decided_by=dgs, decision="go", rationale="Déployé partout.")
    phases = selectors.phases_as_of(projects, today)
    entered = {p.phase.code: (p.entered, p.moved_on) for p in phases.passages}
    assert entered["implementation"] == (1, 1)
    assert entered["appropriation"] == (1, 0)
    assert entered["emergence"] == (1, 0)  # the new project only
    assert selectors.decision_counts(projects, today, today) == {"go": 1}
    assert fresh.gate_decisions.count() == 0


def test_the_key_figures_say_how_many_new_projects_were_taken_over(lead):
    today = timezone.localdate()
    data = {"title": "Reprise", "summary": "s", "nature": "societal", "origin": "agents", "lead": lead}
    services.project_create(created_by=lead, data=data, phase=_phase("adoption"), phase_since=today)
    services.project_create(created_by=lead, data={**data, "title": "Neuf"})
    scope = reports.Scope(Quarter.containing(timezone.localdate()))
    figures = {f["key"]: f["value"] for f in reports.key_figures(scope)}
    assert (figures["new"], figures["taken_over"], figures["moves"]) == (2, 1, 0)
