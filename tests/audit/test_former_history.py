"""The history kept before the journal existed is copied into it once, so a project's history page keeps it."""

import datetime
import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from portfolio.models import GateDecision, Phase
from tests.factories import ProjectFactory

migration = importlib.import_module("audit.migrations.0003_former_project_history")


def test_the_former_history_is_copied_once_with_its_authors(client, dgs, lead):
    project = ProjectFactory(lead=lead, title="Guichet unique")  # one record, then one per many-to-many set
    project.directions.set([lead.direction])
    project.title, project.estimated_cost = "Guichet unique v2", 12000
    project.save()
    phases = list(Phase.objects.order_by("order")[:2])
    GateDecision.objects.create(
        project=project,
        decision="go",
        from_phase=phases[0],
        to_phase=phases[1],
        decided_by=dgs,
        decided_on=timezone.localdate() - datetime.timedelta(days=1),
        rationale="Cadrage validé.",
    )

    migration.copy_former_history(apps, None)

    entries = list(AuditEntry.objects.order_by("action").values_list("action", "actor", "changes"))
    assert entries == [
        (
            "project.changed",
            None,
            [
                {"field": "title", "old": "Guichet unique", "new": "Guichet unique v2"},
                {"field": "estimated_cost", "old": "—", "new": "12000.00"},
            ],
        ),
        ("project.created", None, []),
        ("project.gate_decided", dgs.pk, []),
    ]
    client.force_login(dgs)
    page = client.get(reverse("portfolio:history", args=[project.pk])).content.decode()
    assert page.count('class="timeline-item"') == 3
    assert "Passage à la phase suivante : Émergence → Adoption" in page
    migration.copy_former_history(apps, None)  # a journal in use is never copied into again
    assert AuditEntry.objects.count() == 3
