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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from common.exports import chunks
from portfolio.models import Project

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
    return Project.objects.filter(Q(open_data=True) & Q(visibility=Project.Visibility.ALL)).order_by("pk")


# The columns read for each project, in one query per chunk of rows; the lists come from one query each.
FIELDS = (
    "pk",
    "title",
    "summary",
    "nature",
    "domain__name",
    "origin",
    "phase__code",
    "status",
    "phase_since",
    "start_date",
    "expected_end_date",
    "estimated_cost",
    "perimeter",
    "scope",
    "observed_results",
    "lessons_learned",
    "updated_at",
)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _record(row: tuple[Any, ...], objects: list[str], directions: list[str], collectivite: str) -> dict[str, Any]:
    """One project as the schema describes it; lists stay lists (the CSV joins them)."""
    (pk, title, summary, nature, domain, origin, phase, status, since, start, end, cost, perimeter, scope,
     results, lessons, updated) = row  # fmt: skip
    return {
        "identifiant": pk,
        "collectivite": collectivite,
        "titre": title,
        "resume": summary,
        "nature": nature,
        "objets": objects,
        "domaine": domain,
        "origine": origin,
        "directions": directions,
        "phase": phase,
        "statut": status,
        "dans_la_phase_depuis": _iso(since),
        "date_debut": _iso(start),
        "date_fin_prevue": _iso(end),
        "cout_estime_euros": _number(cost),
        "perimetre": perimeter or None,
        "ampleur": scope,
        "resultats_observes": results,
        "enseignements": lessons,
        "mis_a_jour_le": _utc(updated),
    }


def _utc(moment: datetime.datetime) -> str:
    """ISO 8601 in UTC to the second, as the schema's datetime columns: 2026-11-30T18:02:11Z."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _collectivite() -> str:
    organisation = Organisation.current()  # the collectivité in scope (common.tenancy)
    return organisation.name if organisation else ""


def _lists(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The objects' codes and the directions' names of these projects, in the schema's order."""
    objects: dict[int, list[str]] = defaultdict(list)
    links = Project.objects_of_innovation.through._default_manager.filter(project_id__in=ids)
    ordered = links.order_by("innovationobject__order", "innovationobject__code")
    for project_id, code in ordered.values_list("project_id", "innovationobject__code"):
        objects[project_id].append(code)
    directions: dict[int, list[str]] = defaultdict(list)
    served = Project.directions.through._default_manager.filter(project_id__in=ids)
    for project_id, name in served.order_by("direction__name").values_list("project_id", "direction__name"):
        directions[project_id].append(name)
    return objects, directions


def records() -> Iterator[dict[str, Any]]:
    """The published projects, a chunk of ``CHUNK`` rows at a time: three queries per chunk, whatever its size."""
    collectivite = _collectivite()
    rows = published_projects().values_list(*FIELDS).iterator(chunk_size=CHUNK)
    for chunk in chunks(rows, CHUNK):
        objects, directions = _lists([row[0] for row in chunk])
        for row in chunk:
            yield _record(row, objects.get(row[0], []), directions.get(row[0], []), collectivite)


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
        "genere_le": _utc(timezone.now()),
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "projets": [').encode("utf-8")
    for index, record in enumerate(records() if rows is None else rows):
        yield (("," if index else "") + json.dumps(record, ensure_ascii=False)).encode("utf-8")
    yield b"]}"
