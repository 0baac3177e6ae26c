"""The change history of a project, read from django-simple-history's records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portfolio.models import Project


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Revision:
    when: datetime.datetime
    who: object
    kind: str
    reason: str
    changes: list[Change]


def _display(record: object, field_name: str, value: object) -> str:
    field = Project._meta.get_field(field_name)
    if isinstance(value, list):  # many-to-many: a list of through-model rows such as {"project": 1, "user": 4}
        target = field.related_model
        key = field.m2m_reverse_field_name()
        ids = [row[key] for row in value if key in row]
        names = sorted(str(obj) for obj in target._default_manager.filter(pk__in=ids))
        return ", ".join(names) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value) or "—")
    if field.is_relation and value is not None:
        return str(getattr(record, field_name, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "—" if value in (None, "") else str(value)


def _field_label(field_name: str) -> str:
    return str(Project._meta.get_field(field_name).verbose_name).capitalize()


def project_changes(project: Project) -> list[Revision]:
    """Newest first: who changed which fields, from what to what."""
    records = list(project.history.select_related("history_user").order_by("history_date", "history_id"))
    revisions: list[Revision] = []
    previous = None
    for record in records:
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in {"phase_since"}:
                    continue
                changes.append(
                    Change(
                        _field_label(change.field),
                        _display(previous, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        revisions.append(
            Revision(
                record.history_date,
                record.history_user,
                record.get_history_type_display(),
                record.history_change_reason or "",
                changes,
            )
        )
        previous = record
    return list(reversed(revisions))
