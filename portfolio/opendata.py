"""Open data of the portfolio: the projects the direction générale chose to publish, as CSV and JSON, under the
Licence Ouverte 2.0 (Etalab), described by the Table Schema in ``portfolio/schemas/projets.schema.json``.

No personal data leaves: no lead, team, co-lead or author; the free texts published (title, summary, observed
results, lessons) are those the DGS reviewed when ticking « Publier en données ouvertes ». Files follow the
conventions of French open data: UTF-8, comma, ISO 8601 dates, decimal point. Rows are read from a database
iterator and sent as they are written, whatever the number of projects.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Direction, Organisation
from portfolio.models import InnovationObject, Project

SCHEMA_PATH = Path(__file__).parent / "schemas" / "projets.schema.json"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
}
CHUNK = 500


@cache
def schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def field_names() -> list[str]:
    return [field["name"] for field in schema()["fields"]]


def published_projects() -> QuerySet[Project]:
    """The projects marked for open data, never a restricted one (the database forbids both at once, and this
    reads only those open to all agents anyway), by identifier."""
    return (
        Project.objects.filter(Q(open_data=True) & Q(visibility=Project.Visibility.ALL))
        .select_related("phase", "domain")
        .prefetch_related(
            Prefetch("objects_of_innovation", queryset=InnovationObject.objects.order_by("order", "code")),
            Prefetch("directions", queryset=Direction.objects.order_by("name")),
        )
        .order_by("pk")
    )


def _record(project: Project, collectivite: str) -> dict[str, Any]:
    """One project as the schema describes it; lists stay lists (the CSV joins them)."""
    updated = project.updated_at.astimezone(datetime.UTC).replace(microsecond=0)
    return {
        "identifiant": project.pk,
        "collectivite": collectivite,
        "titre": project.title,
        "resume": project.summary,
        "nature": project.nature,
        "objets": [o.code for o in project.objects_of_innovation.all()],
        "domaine": project.domain.name if project.domain else None,
        "origine": project.origin,
        "directions": [d.name for d in project.directions.all()],
        "phase": project.phase.code,
        "statut": project.status,
        "dans_la_phase_depuis": project.phase_since.isoformat(),
        "date_debut": project.start_date.isoformat() if project.start_date else None,
        "date_fin_prevue": project.expected_end_date.isoformat() if project.expected_end_date else None,
        "cout_estime_euros": _number(project.estimated_cost),
        "perimetre": project.perimeter or None,
        "ampleur": project.scope,
        "resultats_observes": project.observed_results,
        "enseignements": project.lessons_learned,
        "mis_a_jour_le": updated.isoformat().replace("+00:00", "Z"),
    }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _collectivite() -> str:
    organisation = Organisation.objects.first()
    return organisation.name if organisation else ""


def records() -> Iterator[dict[str, Any]]:
    collectivite = _collectivite()
    for project in published_projects().iterator(chunk_size=CHUNK):
        yield _record(project, collectivite)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


def csv_chunks(rows: Iterable[dict[str, Any]] | None = None) -> Iterator[bytes]:
    """The CSV file in blocks of encoded lines: the header (the schema's field names), then one line per project."""
    names = field_names()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for index, record in enumerate(records() if rows is None else rows, start=1):
        writer.writerow([_csv_value(record[name]) for name in names])
        if index % CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_chunks(*, schema_url: str, rows: Iterable[dict[str, Any]] | None = None) -> Iterator[bytes]:
    """The JSON document: who publishes, under which licence and schema, when, then the projects, written one
    by one."""
    head = {
        "producteur": _collectivite(),
        "licence": LICENCE,
        "schema": schema_url,
        "genere_le": timezone.now().astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "projets": [').encode("utf-8")
    for index, record in enumerate(records() if rows is None else rows):
        yield (("," if index else "") + json.dumps(record, ensure_ascii=False)).encode("utf-8")
    yield b"]}"
