"""Reads of the journal: the filtered list behind /journal/ and its export, and the trail of one object."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.http import QueryDict

from accounts.models import User
from audit.filters import JournalFilter
from audit.models import AuditEntry


def can_read_journal(user: User | AnonymousUser) -> bool:
    """The journal is the DGS's: anyone else gets a 404, as for an object they may not see."""
    return user.has_perm("audit.view_auditentry")


def journal(*, params: QueryDict) -> JournalFilter:
    """The entries of the journal, filtered and sorted by ``params`` (the query string of /journal/)."""
    return JournalFilter(params, queryset=AuditEntry.objects.all())


def trail_of(obj: models.Model) -> QuerySet[AuditEntry]:
    """The entries about ``obj`` and about what belongs to it (a project's indicators, measurements,
    documents), newest first."""
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    return AuditEntry.objects.filter(
        Q(object_type=object_type, object_id=object_id) | Q(parent_type=object_type, parent_id=object_id)
    ).order_by("-at", "-id")
