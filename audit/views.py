from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from audit import selectors
from audit.filters import JournalFilter
from audit.models import AuditEntry
from common.exports import csv_response
from common.views import page_of, query_without_page

PAGE_SIZE = 50


def _journal_for(request: HttpRequest) -> JournalFilter:
    if not selectors.can_read_journal(request.user):
        raise Http404
    return selectors.journal(params=request.GET)


@login_required
def journal(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = _journal_for(request)
    context = {"filter": entries, "page": page_of(request, entries.qs, PAGE_SIZE), "query": query_without_page(request)}
    return render(request, "audit/journal.html", context)


def _rows(entries: Iterator[AuditEntry]) -> Iterator[list[object]]:
    for entry in entries:
        changes = entry.field_changes()
        yield [
            timezone.localtime(entry.at),
            entry.actor_label or _("système"),
            entry.get_action_display(),
            entry.object_type_label,
            entry.object_id,
            entry.object_label,
            entry.summary_text,
            " ; ".join(change["field"] for change in changes),
            " ; ".join(
                f"{change['field']} : {change['old'] or '—'} → {change['new']}"
                for change in changes
                if change["new"] is not None
            ),
        ]


@login_required
def journal_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    entries = _journal_for(request).qs.iterator(chunk_size=2000)
    header = [
        _("Date"),
        _("Personne"),
        _("Action"),
        _("Type d'objet"),
        _("N° de l'objet"),
        _("Objet"),
        _("Résumé"),
        _("Champs modifiés"),
        _("Valeurs (avant → après)"),
    ]
    return csv_response(f"journal-{timezone.localdate():%Y-%m-%d}.csv", header, _rows(entries))
