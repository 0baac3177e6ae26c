"""Gate decisions: the DGS moves a project phase by phase; the history is never lost."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from portfolio import services
from portfolio.models import AdoptionActor, GateDecision, Phase, Project


def decide(client, project, decision, rationale="Les critères de sortie sont remplis.", **extra):
    data = {"decision": decision, "rationale": rationale, "decided_on": timezone.localdate().isoformat(), **extra}
    return client.post(reverse("portfolio:decide", args=[project.pk]), data, follow=True)


def test_the_dgs_takes_a_project_through_the_four_phases(client, dgs, project, django_capture_on_commit_callbacks):
    client.force_login(dgs)
    with django_capture_on_commit_callbacks(execute=True):
        for expected in ("adoption", "implementation", "appropriation"):
            actors = {"adoption_actors": [AdoptionActor.objects.get(code="politique").pk]}
            response = decide(client, project, "go", **(actors if expected == "implementation" else {}))
            assert "Décision enregistrée : Passage à la phase suivante." in response.content.decode()
            project.refresh_from_db()
            assert project.phase.code == expected
        decide(client, project, "complete", rationale="Devenu routine ; évaluation ex post faite.")
    project.refresh_from_db()
    assert project.status == Project.Status.COMPLETED
    page = client.get(project.get_absolute_url()).content.decode()
    assert page.count('class="timeline-item decision-') == 4
    assert "Émergence → Adoption" in page and "Mise en œuvre → Appropriation" in page
    assert "Clôture (innovation appropriée)" in page
    assert "Prendre une décision" not in page
    assert len(mail.outbox) == 4 and mail.outbox[0].to == [project.lead.email]
    assert "Adoption" in mail.outbox[0].body
    from accounts.models import Notification

    notes = Notification.objects.filter(user=project.lead, kind="gate_decision")
    assert notes.count() == 4 and notes.filter(url=project.get_absolute_url()).count() == 4


def test_a_gate_that_skips_a_phase_is_refused_and_nothing_changes(client, dgs, project):
    client.force_login(dgs)
    implementation = Phase.objects.get(code="implementation")
    response = decide(client, project, "go", to_phase=implementation.pk)
    assert "On ne saute pas de phase : après « Émergence » vient « Adoption »." in response.content.decode()
    project.refresh_from_db()
    assert project.phase.code == "emergence"
    assert not GateDecision.objects.exists()


def test_a_decision_without_rationale_is_refused(client, dgs, project):
    client.force_login(dgs)
    response = decide(client, project, "go", rationale="")
    assert "La décision n&#x27;a pas été enregistrée" in response.content.decode()
    assert not GateDecision.objects.exists()


def test_a_decision_cannot_be_dated_in_the_future_or_before_the_previous_one(dgs, project):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="futur"):
        services.project_decide_gate(
            project=project, decided_by=dgs, decision="go", rationale="ok", decided_on=tomorrow
        )
    services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="ok")
    with pytest.raises(ValidationError, match="précéder la décision précédente"):
        services.project_decide_gate(
            project=project,
            decided_by=dgs,
            decision="go",
            rationale="ok",
            decided_on=timezone.localdate() - datetime.timedelta(days=3),
        )


def test_hold_then_resume_keeps_the_phase(dgs, project):
    services.project_decide_gate(project=project, decided_by=dgs, decision="hold", rationale="Budget gelé.")
    project.refresh_from_db()
    assert (project.status, project.phase.code) == (Project.Status.ON_HOLD, "emergence")
    with pytest.raises(ValidationError, match="Suspendu"):
        services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Non.")
    services.project_decide_gate(project=project, decided_by=dgs, decision="resume", rationale="Budget voté.")
    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE


def test_a_stopped_project_keeps_its_lessons_and_cannot_move(dgs, project):
    project.lessons_learned = "Commencer plus petit."
    project.save()
    services.project_decide_gate(project=project, decided_by=dgs, decision="stop", rationale="Droit à l'erreur.")
    project.refresh_from_db()
    assert project.status == Project.Status.STOPPED
    assert project.lessons_learned == "Commencer plus petit."
    with pytest.raises(ValidationError):
        services.project_decide_gate(project=project, decided_by=dgs, decision="resume", rationale="Non.")


def test_only_the_last_phase_can_be_closed(dgs, project):
    with pytest.raises(ValidationError, match="Seul un projet en phase « Appropriation » peut être clos"):
        services.project_decide_gate(project=project, decided_by=dgs, decision="complete", rationale="Trop tôt.")


def test_the_last_phase_has_no_next_phase(dgs, project):
    project.phase = Phase.objects.get(code="appropriation")
    project.save()
    with pytest.raises(ValidationError, match="dernière phase"):
        services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Encore ?")


def test_a_person_without_the_gate_permission_cannot_decide(project):
    with pytest.raises(PermissionDenied):
        services.project_decide_gate(project=project, decided_by=project.lead, decision="go", rationale="Moi.")


def test_the_decisions_of_a_project_cannot_be_deleted(dgs, project):
    services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="ok")
    with pytest.raises(ProtectedError):
        project.delete()
    assert GateDecision.objects.count() == 1


def test_phases_are_editable_data(dgs, project):
    Phase.objects.filter(code="adoption").update(label="Décision d'engagement")
    services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="ok")
    project.refresh_from_db()
    assert project.phase.label == "Décision d'engagement"


def test_a_decision_cannot_be_dated_in_a_closed_quarter(dgs, project):
    """A past quarter's dashboards and reports must not change: a decision recorded today cannot be back-dated
    before the current quarter."""
    today = timezone.localdate()
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    with pytest.raises(ValidationError, match="trimestre clos"):
        services.project_decide_gate(
            project=project,
            decided_by=dgs,
            decision="stop",
            rationale="Arrêt",
            decided_on=quarter_start - datetime.timedelta(days=1),
        )
    services.project_decide_gate(
        project=project, decided_by=dgs, decision="stop", rationale="Arrêt", decided_on=quarter_start
    )
