"""Changes made in the administration (accounts, roles, groups, reference data...) enter the journal.

Django's admin writes a ``LogEntry`` for each addition, change and deletion it makes; each one becomes an
entry of the journal with the same author, object and changed fields. For an account, the roles (groups)
and access flags it has after the change are kept too: they are not personal data, and "who made whom a DGS"
is the question the journal must answer.
"""

from __future__ import annotations

import json
from typing import cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Field
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.translation import gettext_noop

from accounts.models import User
from audit.models import AuditEntry
from audit.services import record

ACTIONS = {
    ADDITION: AuditEntry.Action.ADMIN_ADDED,
    CHANGE: AuditEntry.Action.ADMIN_CHANGED,
    DELETION: AuditEntry.Action.ADMIN_DELETED,
}


def _changed_fields(entry: LogEntry) -> list[str]:
    try:
        message = json.loads(entry.change_message or "[]")
    except ValueError:
        return []
    fields: list[str] = []
    for part in message if isinstance(message, list) else []:
        for key in ("added", "changed", "deleted"):
            detail = part.get(key) or {}
            fields += detail.get("fields", [])
            if "object" in detail:
                fields.append(f"{detail.get('name', '')} « {detail['object']} »")
    return fields


def _content_type(entry: LogEntry) -> ContentType:
    # django-stubs declares LogEntry's foreign keys without their model: say what Django stores there.
    return cast(ContentType, entry.content_type)


def _changes(entry: LogEntry) -> list[dict[str, str]]:
    """The fields the admin form changed (its labels); for an account, the new roles and access flags."""
    names = _changed_fields(entry)
    changes = [{"field": name} for name in names]
    model = _content_type(entry).model_class() if entry.content_type_id else None
    if model is None or model._meta.label_lower != "accounts.user" or entry.action_flag == DELETION:
        return changes
    user = User._default_manager.filter(pk=entry.object_id).prefetch_related("groups").first()
    if user is None:
        return changes
    groups = ", ".join(sorted(group.name for group in user.groups.all())) or "—"
    access = {
        "groups": groups,
        "is_active": "oui" if user.is_active else "non",
        "is_staff": "oui" if user.is_staff else "non",
        "is_superuser": "oui" if user.is_superuser else "non",
    }
    with translation.override(None):  # the admin writes the labels of the changed fields untranslated
        # The access fields are concrete fields of User (groups a many-to-many one).
        fields = {name: cast("Field[object, object]", User._meta.get_field(name)) for name in access}
        labels = {str(field.verbose_name).lower(): name for name, field in fields.items()}
    kept = []
    for change in changes:
        name = labels.get(change["field"].lower()) or (change["field"] if change["field"] in access else None)
        kept.append({"field": name, "new": access[name]} if name else change)
    if entry.action_flag == ADDITION:
        kept.append({"field": "groups", "new": groups})
    return kept


def admin_action_recorded(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: object) -> None:
    """Receiver of ``post_save`` on the admin's ``LogEntry``."""
    if not created or instance.action_flag not in ACTIONS:
        return
    model = _content_type(instance).model_class() if instance.content_type_id else None
    record(
        actor=cast(User, instance.user),  # LogEntry.user is AUTH_USER_MODEL (see _content_type)
        action=ACTIONS[instance.action_flag],
        object_type=model._meta.label_lower if model else "",
        object_id=instance.object_id or "",
        label=instance.object_repr,
        summary=gettext_noop("Dans l'administration : %(model)s « %(object)s »."),
        params={"model": str(model._meta.verbose_name) if model else "", "object": instance.object_repr},
        changes=_changes(instance),
    )


def connect() -> None:
    post_save.connect(admin_action_recorded, sender=LogEntry, dispatch_uid="audit.admin_action_recorded")
