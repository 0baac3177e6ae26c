"""Each action on a project, its indicators, measurements, documents and scorecard is one entry of the
journal, with its author, and the project's history shows them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from portfolio.models import Indicator, InnovationObject, Project, SuccessFactor
from tests.factories import DirectionFactory

Action = AuditEntry.Action
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def history(client, project) -> str:
    return client.get(reverse("portfolio:history", args=[project.pk])).content.decode()


def test_creating_a_project_is_one_entry_not_six_changes(client, lead, dgs):
    client.force_login(lead)
    data = {
        "title": "Espace numérique citoyen",
        "summary": "Toutes les démarches en ligne.",
        "nature": "societal",
        "objects_of_innovation": [InnovationObject.objects.get(code="ntic").pk],
        "origin": "agents",
        "directions": [DirectionFactory(code="DSI").pk],
        "lead": lead.pk,
        "scope": "incremental",
        "visibility": "all",
    }
    client.post(reverse("portfolio:create"), data)
    project = Project.objects.get()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        Action.PROJECT_CREATED,
        lead,
        "portfolio.project",
        str(project.pk),
    )
    client.force_login(dgs)
    page = history(client, project)
    assert page.count('class="timeline-item"') == 1
    assert "Projet créé" in page and "Modifié" not in page


def test_an_edit_records_who_changed_which_fields_from_what_to_what(client, lead, dgs, project, entries):
    from portfolio.services import project_update

    project_update(project=project, data={"title": "Guichet unique v2", "summary": project.summary}, updated_by=lead)
    [entry] = entries(Action.PROJECT_CHANGED)
    assert entry.actor == lead
    assert entry.changes == [{"field": "title", "old": "Guichet unique", "new": "Guichet unique v2"}]
    client.force_login(dgs)
    assert "<td>Titre</td><td>Guichet unique</td><td>Guichet unique v2</td>" in history(client, project)


def test_an_edit_that_changes_nothing_records_nothing(lead, project):
    from portfolio.services import project_update

    project_update(project=project, data={"title": project.title}, updated_by=lead)
    assert not AuditEntry.objects.exists()


def test_a_gate_decision_is_one_entry_with_its_decider(client, dgs, project, entries):
    client.force_login(dgs)
    data = {"decision": "go", "rationale": "Cas d'usage validé.", "decided_on": timezone.localdate().isoformat()}
    client.post(reverse("portfolio:decide", args=[project.pk]), data)
    [entry] = entries(Action.GATE_DECIDED)
    assert (entry.actor, entry.object_id) == (dgs, str(project.pk))
    assert "Passage à la phase suivante : Émergence → Adoption" in entry.summary_text


def test_indicators_measurements_documents_and_scorecard_enter_the_project_history(client, lead, dgs, project):
    client.force_login(lead)
    client.post(
        reverse("portfolio:indicator_create", args=[project.pk]),
        {"indicator-name": "Part en ligne", "indicator-unit": "%"},
    )
    indicator = Indicator.objects.get()
    client.post(
        reverse("portfolio:measurement_add", args=[project.pk, indicator.pk]),
        {"measured_on": timezone.localdate().isoformat(), "value": "18"},
    )
    client.post(
        reverse("portfolio:attachment_upload", args=[project.pk]),
        {"file": SimpleUploadedFile("Note de cadrage.pdf", PDF)},
    )
    factor = SuccessFactor.objects.get(code="perceived_advantage")
    client.post(reverse("portfolio:scorecard", args=[project.pk]), {f"factor_{factor.pk}": "4"})

    actions = list(AuditEntry.objects.order_by("at", "id").values_list("action", "actor", "parent_id", "object_type"))
    assert actions == [
        (Action.INDICATOR_CREATED, lead.pk, str(project.pk), "portfolio.indicator"),
        (Action.MEASUREMENT_ADDED, lead.pk, str(project.pk), "portfolio.measurement"),
        (Action.DOCUMENT_ADDED, lead.pk, str(project.pk), "portfolio.attachment"),
        (Action.SCORECARD_SAVED, lead.pk, "", "portfolio.project"),
    ]
    client.force_login(dgs)
    page = history(client, project)
    for text in ["Indicateur ajouté « Part en ligne »", "Mesure ajoutée", "Document déposé « Note de cadrage.pdf »"]:
        assert text in page
    assert f"<td>{factor.label}</td><td>—</td><td>4</td>" in page


def test_a_failed_action_leaves_no_entry(client, lead, project):
    client.force_login(lead)
    indicator = Indicator.objects.create(project=project, name="Délai")
    url = reverse("portfolio:measurement_add", args=[project.pk, indicator.pk])
    client.post(url, {"measured_on": timezone.localdate().isoformat(), "value": "18"})
    client.post(url, {"measured_on": timezone.localdate().isoformat(), "value": "17"})  # same day: refused
    future = timezone.localdate() + datetime.timedelta(days=3)
    client.post(url, {"measured_on": future.isoformat(), "value": "1"})
    assert AuditEntry.objects.filter(action=Action.MEASUREMENT_ADDED).count() == 1


def test_the_history_of_another_project_does_not_show(client, lead, dgs, project):
    from portfolio.services import indicator_create
    from tests.factories import ProjectFactory

    other = ProjectFactory(lead=lead, title="Autre")
    indicator_create(project=other, name="Indicateur de l'autre projet", created_by=lead)
    client.force_login(dgs)
    assert "Indicateur de l&#x27;autre projet" not in history(client, project)
