"""The history of the projects kept before the journal existed, copied into the journal once, so that a
project's history page keeps showing it: each project's creation (one entry), each later record that changed
a field (which fields, from what to what), each gate decision and each document, with their author and date.

Changes of many-to-many fields alone (directions, team...) were kept by django-simple-history as records
without a changed column; they are not copied (they stay readable in the administration's history)."""

import datetime

from django.db import migrations

BATCH = 5000
SKIPPED = {"id", "created_at", "created_by", "phase_since"}  # set once, or moved by the gate decisions


def _person(user) -> str:  # noqa: ANN001
    if user is None:
        return ""
    return f"{user.first_name} {user.last_name}".strip() or user.username


def _shown(field, value, labels: dict) -> str:  # noqa: ANN001
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return labels.get((field.name, value), str(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _labels(apps) -> dict:  # noqa: ANN001
    """The names of the related rows a project points at: phases, domains, people."""
    labels = {}
    for pk, label in apps.get_model("portfolio", "Phase").objects.values_list("pk", "label"):
        labels["phase", pk] = label
    for pk, name in apps.get_model("portfolio", "Domain").objects.values_list("pk", "name"):
        labels["domain", pk] = name
    for user in apps.get_model("accounts", "User").objects.all():
        labels["lead", user.pk] = _person(user)
    return labels


def _entry(AuditEntry, users: dict, **fields):  # noqa: ANN001, ANN003, N803
    fields.setdefault("object_type", "portfolio.project")
    fields.setdefault("summary", "")
    fields.setdefault("summary_params", {})
    return AuditEntry(actor_label=users.get(fields["actor_id"], ""), **fields)


def _project_entries(apps, AuditEntry, users: dict):  # noqa: ANN001, ANN202, N803
    Historical = apps.get_model("portfolio", "HistoricalProject")
    Project = apps.get_model("portfolio", "Project")
    fields = [f for f in Project._meta.concrete_fields if f.name not in SKIPPED and f.name in _names(Historical)]
    labels = _labels(apps)
    previous = None
    for record in Historical.objects.order_by("id", "history_date", "history_id").iterator(chunk_size=BATCH):
        if previous is None or previous.id != record.id:
            yield _entry(
                AuditEntry,
                users,
                at=record.history_date,
                actor_id=record.history_user_id,
                action="project.created",
                object_id=str(record.id),
                object_label=record.title[:255],
                changes=[],
            )
        elif not record.history_change_reason:  # a gate decision's record: copied from the decision itself
            changes = [
                {
                    "field": f.name,
                    "old": _shown(f, getattr(previous, f.attname), labels),
                    "new": _shown(f, getattr(record, f.attname), labels),
                }
                for f in fields
                if getattr(previous, f.attname) != getattr(record, f.attname)
            ]
            if changes:
                yield _entry(
                    AuditEntry,
                    users,
                    at=record.history_date,
                    actor_id=record.history_user_id,
                    action="project.changed",
                    object_id=str(record.id),
                    object_label=record.title[:255],
                    changes=changes,
                )
        previous = record


def _names(model) -> set[str]:  # noqa: ANN001
    return {f.name for f in model._meta.concrete_fields}


def _decision_entries(apps, AuditEntry, users: dict):  # noqa: ANN001, ANN202, N803
    GateDecision = apps.get_model("portfolio", "GateDecision")
    decisions = {value: str(label) for value, label in GateDecision._meta.get_field("decision").flatchoices}
    gates = GateDecision.objects.select_related("project", "from_phase", "to_phase").order_by("pk")
    for gate in gates.iterator(chunk_size=BATCH):
        yield _entry(
            AuditEntry,
            users,
            at=gate.recorded_at,
            actor_id=gate.decided_by_id,
            action="project.gate_decided",
            object_id=str(gate.project_id),
            object_label=gate.project.title[:255],
            changes=[],
            summary="%(decision)s : %(from)s → %(to)s, décision du %(date)s.",
            summary_params={
                "decision": decisions.get(gate.decision, gate.decision),
                "from": gate.from_phase.label,
                "to": gate.to_phase.label,
                "date": gate.decided_on.strftime("%d/%m/%Y"),
            },
        )


def _document_entries(apps, AuditEntry, users: dict):  # noqa: ANN001, ANN202, N803
    Attachment = apps.get_model("portfolio", "Attachment")
    for document in Attachment.objects.order_by("pk").iterator(chunk_size=BATCH):
        yield _entry(
            AuditEntry,
            users,
            at=document.uploaded_at,
            actor_id=document.uploaded_by_id,
            action="document.added",
            object_type="portfolio.attachment",
            object_id=str(document.pk),
            object_label=document.original_name[:255],
            parent_type="portfolio.project",
            parent_id=str(document.project_id),
            changes=[],
        )


def copy_former_history(apps, schema_editor) -> None:  # noqa: ANN001
    AuditEntry = apps.get_model("audit", "AuditEntry")  # noqa: N806
    if AuditEntry.objects.exists():  # the journal is already in use: nothing to copy
        return
    users = {user.pk: _person(user) for user in apps.get_model("accounts", "User").objects.all()}
    for source in (_project_entries, _decision_entries, _document_entries):
        batch = []
        for entry in source(apps, AuditEntry, users):
            batch.append(entry)
            if len(batch) == BATCH:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("portfolio", "0007_list_board_and_decision_indexes"),
        ("accounts", "0003_notification"),
    ]

    operations = [migrations.RunPython(copy_former_history, migrations.RunPython.noop)]
