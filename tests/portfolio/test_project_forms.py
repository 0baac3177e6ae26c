"""Creating and editing projects; bad input gets a clear French message and saves nothing."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Direction
from portfolio.models import InnovationObject, Project
from tests.factories import DirectionFactory


@pytest.fixture
def valid_data(lead):
    direction = DirectionFactory(code="DSI")
    return {
        "title": "Espace numérique citoyen",
        "summary": "Toutes les démarches en ligne.",
        "nature": "societal",
        "objects_of_innovation": [InnovationObject.objects.get(code="ntic").pk],
        "origin": "agents",
        "directions": [direction.pk],
        "lead": lead.pk,
        "start_date": "2026-01-15",
        "expected_end_date": "2026-12-31",
        "estimated_cost": "12000",
        "scope": "incremental",
        "visibility": "all",
    }


def test_a_lead_creates_a_project_in_the_first_phase(client, lead, valid_data):
    client.force_login(lead)
    response = client.post("/projets/nouveau/", valid_data, follow=True)
    project = Project.objects.get()
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert "Le projet « Espace numérique citoyen » est créé, en phase « Émergence »." in response.content.decode()
    assert (project.phase.code, project.status, project.created_by) == ("emergence", "active", lead)
    assert list(project.directions.values_list("code", flat=True)) == ["DSI"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expected_end_date": "2025-12-31"}, "La date de fin prévue ne peut pas précéder la date de début."),
        ({"estimated_cost": "-5"}, "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ({"actual_cost": "-0.01"}, "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"nature": "magique"}, "Sélectionnez un choix valide."),
        ({"status": "completed"}, "Ce formulaire ne permet pas de modifier : status. Rien n&#x27;a été enregistré."),
        ({"phase": "4"}, "Ce formulaire ne permet pas de modifier : phase."),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_is_saved(client, lead, valid_data, change, message):
    client.force_login(lead)
    response = client.post("/projets/nouveau/", {**valid_data, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_a_lead_cannot_hand_their_project_to_someone_else(client, project, valid_data, make_user):
    other = make_user(username="autre")
    client.force_login(project.lead)
    response = client.post(reverse("portfolio:edit", args=[project.pk]), {**valid_data, "lead": other.pk})
    assert "Ce formulaire ne permet pas de modifier : lead." in response.content.decode()
    project.refresh_from_db()
    assert project.lead != other and project.title == "Guichet unique"


def test_the_dgs_reassigns_the_lead(client, dgs, project, valid_data, make_user):
    other = make_user(username="autre")
    client.force_login(dgs)
    client.post(reverse("portfolio:edit", args=[project.pk]), {**valid_data, "lead": other.pk})
    project.refresh_from_db()
    assert project.lead == other


def test_an_edit_is_saved_and_confirmed(client, project, valid_data):
    client.force_login(project.lead)
    data = {key: value for key, value in valid_data.items() if key != "lead"}
    response = client.post(reverse("portfolio:edit", args=[project.pk]), {**data, "title": "Guichet v2"}, follow=True)
    assert "Les modifications sont enregistrées." in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Guichet v2"


def test_a_failed_edit_changes_nothing(client, project, valid_data):
    client.force_login(project.lead)
    data = {key: value for key, value in valid_data.items() if key != "lead"}
    client.post(reverse("portfolio:edit", args=[project.pk]), {**data, "title": "Nouveau", "estimated_cost": "-1"})
    project.refresh_from_db()
    assert project.title == "Guichet unique"


def test_the_database_refuses_negative_costs_and_inverted_dates(project):
    import datetime

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(estimated_cost=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            start_date=datetime.date(2026, 5, 1), expected_end_date=datetime.date(2026, 4, 1)
        )


def test_the_scorecard_saves_scores_between_1_and_5(client, project):
    from portfolio.models import SuccessFactor

    factor = SuccessFactor.objects.get(code="perceived_advantage")
    client.force_login(project.lead)
    url = reverse("portfolio:scorecard", args=[project.pk])
    response = client.post(url, {f"factor_{factor.pk}": "9"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not project.factor_scores.exists()
    client.post(url, {f"factor_{factor.pk}": "4"})
    assert project.factor_scores.get().score == 4
    client.post(url, {f"factor_{factor.pk}": ""})
    assert not project.factor_scores.exists()


def test_inactive_directions_are_not_offered(client, lead):
    Direction.objects.create(
        organisation_id=DirectionFactory().organisation_id, code="OLD", name="Ancienne", is_active=False
    )
    client.force_login(lead)
    assert "Ancienne" not in client.get("/projets/nouveau/").content.decode()
