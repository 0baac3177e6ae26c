"""The rows of the projects' export (CSV and XLSX), read in bounded chunks.

One ordered query over the projects (a database iterator). The many-to-many columns come, on
PostgreSQL, from ``string_agg`` subqueries of that query; elsewhere (SQLite) from one grouped
query per chunk and column. Either way the number of queries does not grow with the number of
rows, and memory holds one chunk. Labels come from the choices, read once per export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connections
from django.db.models import Model, OuterRef, QuerySet, Subquery

from portfolio.models import Project

CHUNK = 2000

HEADER = [
    "id",
    "titre",
    "résumé",
    "nature",
    "objets",
    "domaine",
    "origine",
    "directions",
    "chef de projet",
    "phase",
    "dans la phase depuis",
    "statut",
    "date de début",
    "date de fin prévue",
    "coût estimé",
    "coût réel",
    "périmètre",
    "ampleur",
    "visibilité",
]

_FIELDS = (
    "pk",
    "title",
    "summary",
    "nature",
    "domain__name",
    "origin",
    "lead__first_name",
    "lead__last_name",
    "lead__username",
    "phase__label",
    "phase_since",
    "status",
    "start_date",
    "expected_end_date",
    "estimated_cost",
    "actual_cost",
    "perimeter",
    "scope",
    "visibility",
)


# (through model, target field, label column): objects and directions, in their models' order.
_MANY = (
    (Project.objects_of_innovation.through, "innovationobject", "label"),
    (Project.directions.through, "direction", "code"),
)


def _labels(choices: type) -> dict[str, str]:
    """Value → label in the active language, as ``get_<field>_display()`` gives it."""
    return {value: str(label) for value, label in choices.choices}


def _ordering(through: type[Model], target: str) -> list[str]:
    """The target model's default ordering seen from the through table (as a prefetch orders it), then its id."""
    target_ordering = through._meta.get_field(target).related_model._meta.ordering
    fields = [f"-{target}__{f[1:]}" if f.startswith("-") else f"{target}__{f}" for f in target_ordering]
    return [*fields, f"{target}_id"]


def _aggregated(through: type[Model], target: str, label: str) -> Subquery:
    """PostgreSQL: ``"a, b"`` for the outer project, computed by the database in the main query."""
    from django.contrib.postgres.aggregates import StringAgg

    texts = (
        through.objects.filter(project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(text=StringAgg(f"{target}__{label}", ", ", order_by=_ordering(through, target)))
        .values("text")
    )
    return Subquery(texts)


def _joined(through: type[Model], target: str, label: str, ids: list[int]) -> dict[int, str]:
    """``{project id: "a, b"}`` for one chunk: one grouped query."""
    rows = (
        through.objects.filter(project_id__in=ids)
        .order_by("project_id", *_ordering(through, target))
        .values_list("project_id", f"{target}__{label}")
    )
    joined: dict[int, list[str]] = {}
    for project_id, text in rows:
        joined.setdefault(project_id, []).append(text)
    return {project_id: ", ".join(texts) for project_id, texts in joined.items()}


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def project_rows(projects: QuerySet[Project], *, chunk_size: int = CHUNK) -> Iterator[list[object]]:
    """One row per project, in the queryset's order, with the columns of ``HEADER``.

    The labels are read now, in the request's language; the rows when the response is streamed."""
    labels = [
        _labels(choices)
        for choices in (Project.Nature, Project.Origin, Project.Status, Project.Perimeter, Project.Scope)
    ]
    labels.append(_labels(Project.Visibility))
    if connections[projects.db].vendor == "postgresql":
        many = {f"many_{index}": _aggregated(*spec) for index, spec in enumerate(_MANY)}
        values = projects.annotate(**many).values_list(*_FIELDS, *many)
        return _rows(values.iterator(chunk_size=chunk_size), *labels)
    return _rows_joined_per_chunk(projects.values_list(*_FIELDS), chunk_size, labels)


def _rows_joined_per_chunk(values: QuerySet, chunk_size: int, labels: list) -> Iterator[list[object]]:
    for chunk in _chunks(values.iterator(chunk_size=chunk_size), chunk_size):
        ids = [row[0] for row in chunk]
        many = [_joined(*spec, ids) for spec in _MANY]
        yield from _rows(((*row, *(texts.get(row[0]) for texts in many)) for row in chunk), *labels)


def _rows(values: Iterable[tuple], *labels: dict[str, str]) -> Iterator[list[object]]:
    nature, origin, status, perimeter, scope, visibility = labels
    for (pk, title, summary, nat, domain, orig, first, last, username, phase, since, stat, start, end,
         estimated, actual, perim, sco, visib, objects, directions) in values:  # fmt: skip
        yield [
            pk,
            title,
            summary,
            nature.get(nat, nat),
            objects or "",
            domain or "",
            origin.get(orig, orig),
            directions or "",
            f"{first} {last}".strip() or username,
            phase,
            since,
            status.get(stat, stat),
            start,
            end,
            estimated,
            actual,
            perimeter.get(perim, perim),
            scope.get(sco, sco),
            visibility.get(visib, visib),
        ]
