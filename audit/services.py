"""Writes of the journal: one entry per sensitive action, in the transaction of the action itself.

The apps' services call ``record`` once per action; an action rolled back leaves no entry, an entry never
exists without its action. ``values`` and ``changed`` give the fields an update changed, from what to what,
as a person reads them (names rather than ids, French dates).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from audit.models import AuditEntry

Action = AuditEntry.Action


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: object = "",
    label: str | None = None,
    parent: models.Model | None = None,
    summary: str = "",
    params: Mapping[str, object] | None = None,
    changes: Iterable[Mapping[str, object]] = (),
    at: datetime.datetime | None = None,
) -> AuditEntry:
    """Adds an entry: ``actor`` None is the system (beat, a command line); ``obj`` gives the object's type,
    id and name (``label`` replaces a name that must not be kept, e.g. an erased respondent's); ``summary``
    is a French msgid marked with ``gettext_noop``, ``params`` its values. ``at`` (now by default) is only
    given for actions written after the fact, such as the demonstration's past."""
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, obj.pk
        label = str(obj) if label is None else label
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor)[:200] if actor is not None and actor.pk else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=(label or "")[:255],
        parent_type=parent._meta.label_lower if parent is not None else "",
        parent_id=str(parent.pk) if parent is not None else "",
        summary=summary,
        summary_params=dict(params or {}),
        changes=list(changes),
    )


def _shown(instance: models.Model, name: str) -> str:
    # An update changes concrete fields only (no reverse relation, no generic key).
    field = cast("models.Field[object, object]", instance._meta.get_field(name))
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(instance, name).all())) or "—"
    value = getattr(instance, field.attname)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(getattr(instance, name))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def values(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """The fields ``names`` of ``instance`` as a person reads them, to compare before and after a change; in the
    portal's language, whoever changes them (the journal keeps these words)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {name: _shown(instance, name) for name in names}


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> list[dict[str, str]]:
    """The fields whose value differs, from what to what."""
    return [
        {"field": name, "old": before.get(name, "—"), "new": new}
        for name, new in after.items()
        if before.get(name) != new
    ]
