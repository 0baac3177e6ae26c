"""The history of a project as the DGS reads it: the journal's entries about the project and about what
belongs to it (indicators, measurements, documents, the success-factor scorecard), one entry per action."""

from __future__ import annotations

from django.db.models import QuerySet

from audit.models import AuditEntry
from audit.selectors import trail_of
from portfolio.models import Project


def project_changes(project: Project) -> QuerySet[AuditEntry]:
    """Newest first: who did what on the project, when, and which fields changed from what to what."""
    return trail_of(project)
