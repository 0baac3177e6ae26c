"""The actors who played a positive role in a project's adoption (question C1 of the national survey):
asked at the go that ends the Adoption phase, editable afterwards, counted on their own base."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import selectors, services
from portfolio.models import AdoptionActor, InnovationObject, Phase, Project
from tests.factories import ProjectFactory


def actors(*codes):
    return [AdoptionActor.objects.get(code=code) for code in codes]


def pks(*codes):
    return [actor.pk for actor in actors(*codes)]


def decide(client, project, decision, **extra):
    data = {"decision": decision, "rationale": "Comité du jour.", "decided_on": timezone.localdate().isoformat()}
    return client.post(reverse("portfolio:decide", args=[project.pk]), {**data, **extra})


@pytest.fixture
def in_adoption(project):
    Project.objects.filter(pk=project.pk).update(phase=Phase.objects.get(code="adoption"))
    project.refresh_from_db()
    return project


def test_the_actors_are_the_choices_of_question_c1(db):
    assert list(AdoptionActor.objects.values_list("code", flat=True)) == [
        "administratif",
        "politique",
        "agents",
        "partenaires",
    ]
    assert AdoptionActor.objects.get(code="politique").label == "L'engagement d'un acteur politique (élu)"


def test_the_go_out_of_adoption_asks_for_the_actors_and_stores_them(client, dgs, in_adoption):
    client.force_login(dgs)
    page = client.get(in_adoption.get_absolute_url()).content.decode()
    assert "<legend>Acteurs ayant joué un rôle positif dans l&#x27;adoption</legend>" in page
    response = decide(client, in_adoption, "go", adoption_actors=pks("administratif", "agents"))
    assert response.status_code == 302
    in_adoption.refresh_from_db()
    assert in_adoption.phase.code == "implementation"
    assert set(in_adoption.adoption_actors.values_list("code", flat=True)) == {"administratif", "agents"}
    page = client.get(in_adoption.get_absolute_url()).content.decode()
    assert (
        "L&#x27;initiative d&#x27;un acteur administratif (DGS, DGA…), "
        "La proposition d&#x27;agents opérationnels ou de cadres intermédiaires" in page
    )


def test_the_go_out_of_adoption_without_actors_is_refused_in_french(client, dgs, in_adoption):
    client.force_login(dgs)
    response = decide(client, in_adoption, "go")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cochez au moins un acteur ayant joué un rôle positif dans l&#x27;adoption." in page
    assert 'aria-describedby="id_adoption_actors_helptext id_adoption_actors_error"' in page
    in_adoption.refresh_from_db()
    assert in_adoption.phase.code == "adoption" and not in_adoption.gate_decisions.exists()


def test_a_hold_in_adoption_does_not_need_the_actors_nor_change_them(client, dgs, in_adoption):
    in_adoption.adoption_actors.set(actors("politique"))
    client.force_login(dgs)
    response = decide(client, in_adoption, "hold", adoption_actors=pks("agents"))
    assert response.status_code == 302
    in_adoption.refresh_from_db()
    assert in_adoption.status == Project.Status.ON_HOLD
    assert list(in_adoption.adoption_actors.values_list("code", flat=True)) == ["politique"]


def test_the_gate_form_is_prefilled_with_the_recorded_actors(client, dgs, in_adoption):
    in_adoption.adoption_actors.set(actors("partenaires"))
    client.force_login(dgs)
    page = client.get(in_adoption.get_absolute_url()).content.decode()
    checked = [line for line in page.splitlines() if 'name="adoption_actors"' in line and "checked" in line]
    assert len(checked) == 1 and f'value="{pks("partenaires")[0]}"' in checked[0]


def test_other_gates_do_not_ask_for_the_actors(client, dgs, project):
    client.force_login(dgs)
    assert 'name="adoption_actors"' not in client.get(project.get_absolute_url()).content.decode()
    response = decide(client, project, "go", adoption_actors=pks("agents"))  # posted anyway: refused, not stored
    assert "Ce formulaire ne permet pas de modifier : adoption_actors." in response.content.decode()
    project.refresh_from_db()
    assert project.phase.code == "emergence" and not project.adoption_actors.exists()


def test_the_service_takes_the_actors_only_at_the_adoption_go(dgs, project, in_adoption):
    from django.core.exceptions import ValidationError

    other = ProjectFactory()
    with pytest.raises(ValidationError, match="sortir de l'Adoption"):
        services.project_decide_gate(
            project=other, decided_by=dgs, decision="go", rationale="ok", adoption_actors=actors("agents")
        )
    with pytest.raises(ValidationError, match="au moins un acteur"):
        services.project_decide_gate(
            project=in_adoption, decided_by=dgs, decision="go", rationale="ok", adoption_actors=[]
        )
    assert not other.gate_decisions.exists() and not in_adoption.gate_decisions.exists()


def edit_data(project, **extra):
    return {
        "title": project.title,
        "summary": project.summary,
        "nature": project.nature,
        "origin": project.origin,
        "directions": [project.lead.direction_id],
        "objects_of_innovation": [InnovationObject.objects.first().pk],
        "scope": "incremental",
        "visibility": "all",
        **extra,
    }


def test_the_edit_form_asks_for_the_actors_only_once_the_project_is_adopted(client, project, dgs):
    client.force_login(project.lead)
    assert "adoption_actors" not in client.get(reverse("portfolio:edit", args=[project.pk])).content.decode()
    adopted(project, dgs)
    assert "adoption_actors" in client.get(reverse("portfolio:edit", args=[project.pk])).content.decode()


def adopted(project, dgs):
    """Takes the project through the Adoption gate."""
    Project.objects.filter(pk=project.pk).update(phase=Phase.objects.get(code="adoption"))
    project.refresh_from_db()
    services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Adopté")


def test_the_edit_form_changes_the_actors_in_an_accessible_group(client, project, dgs):
    adopted(project, dgs)
    client.force_login(project.lead)
    page = client.get(reverse("portfolio:edit", args=[project.pk])).content.decode()
    assert "<legend>Acteurs ayant joué un rôle positif dans l&#x27;adoption</legend>" in page
    response = client.post(
        reverse("portfolio:edit", args=[project.pk]), edit_data(project, adoption_actors=pks("politique", "agents"))
    )
    assert response.status_code == 302
    assert set(project.adoption_actors.values_list("code", flat=True)) == {"politique", "agents"}
    client.post(reverse("portfolio:edit", args=[project.pk]), edit_data(project))  # all unticked: none recorded
    assert not project.adoption_actors.exists()


def test_an_unknown_actor_is_refused_without_error_page(client, project, dgs):
    adopted(project, dgs)
    client.force_login(project.lead)
    response = client.post(reverse("portfolio:edit", args=[project.pk]), edit_data(project, adoption_actors=["999"]))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not project.adoption_actors.exists()


def test_a_new_project_is_not_asked_for_its_adoption_actors(client, lead):
    client.force_login(lead)
    assert 'name="adoption_actors"' not in client.get(reverse("portfolio:create")).content.decode()


def test_the_history_records_a_change_of_actors(client, dgs, project):
    services.project_update(project=project, data={"adoption_actors": actors("politique")})
    services.project_update(project=project, data={"adoption_actors": actors("politique", "partenaires")})
    client.force_login(dgs)
    page = client.get(reverse("portfolio:history", args=[project.pk])).content.decode()
    assert "Acteurs ayant joué un rôle positif dans l&#x27;adoption" in page
    assert "L&#x27;engagement d&#x27;un acteur politique (élu), Un partenaire extérieur" in page


# --- adoption_actor_counts ---------------------------------------------------------------------------------


def test_counts_with_no_project(db):
    assert selectors.adoption_actor_counts(Project.objects.all()) == (
        0,
        {"administratif": 0, "politique": 0, "agents": 0, "partenaires": 0},
    )


def test_counts_leave_projects_without_actors_out_of_the_base(project):
    ProjectFactory()  # nobody answered for this one
    project.adoption_actors.set(actors("agents"))
    base, counts = selectors.adoption_actor_counts(Project.objects.all())
    assert base == 1
    assert counts == {"administratif": 0, "politique": 0, "agents": 1, "partenaires": 0}


def test_counts_each_project_once_per_actor_and_never_above_the_base(django_assert_max_num_queries, lead):
    first, second, third, _none = ProjectFactory.create_batch(4, lead=lead)
    first.adoption_actors.set(actors("administratif", "politique", "agents"))
    second.adoption_actors.set(actors("administratif"))
    third.adoption_actors.set(actors("administratif", "partenaires"))
    for project in (first, second, third):  # a to-many join in the queryset must not count a project twice
        project.directions.set([lead.direction])
    projects = Project.objects.filter(directions__isnull=False)
    with django_assert_max_num_queries(2):
        base, counts = selectors.adoption_actor_counts(projects)
    assert base == 3
    assert counts == {"administratif": 3, "politique": 1, "agents": 1, "partenaires": 1}
    assert selectors.adoption_actor_counts(Project.objects.filter(pk=second.pk)) == (
        1,
        {"administratif": 1, "politique": 0, "agents": 0, "partenaires": 0},
    )
