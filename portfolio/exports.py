"""The rows of the projects' export (CSV and XLSX), read in bounded chunks.

One ordered query over the projects (a database iterator), and per chunk one grouped query
for each many-to-many column: the number of queries does not grow with the number of rows,
and memory holds one chunk. Labels come from the choices, read once per export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Model, QuerySet

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


def _labels(choices: type) -> dict[str, str]:
    """Value → label in the active language, as ``get_<field>_display()`` gives it."""
    return {value: str(label) for value, label in choices.choices}


def _joined(through: type[Model], target: str, label: str, ids: list[int]) -> dict[int, str]:
    """``{project id: "a, b"}`` for one chunk, in the target model's order (as a prefetch gives it)."""
    target_ordering = through._meta.get_field(target).related_model._meta.ordering
    ordering = [f"-{target}__{f[1:]}" if f.startswith("-") else f"{target}__{f}" for f in target_ordering]
    rows = (
        through.objects.filter(project_id__in=ids)
        .order_by("project_id", *ordering, f"{target}_id")
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
    return _rows(projects.values_list(*_FIELDS), chunk_size, *labels, _labels(Project.Visibility))


def _rows(values: QuerySet, chunk_size: int, *labels: dict[str, str]) -> Iterator[list[object]]:
    nature, origin, status, perimeter, scope, visibility = labels
    objects_through, directions_through = Project.objects_of_innovation.through, Project.directions.through
    for chunk in _chunks(values.iterator(chunk_size=chunk_size), chunk_size):
        ids = [row[0] for row in chunk]
        objects = _joined(objects_through, "innovationobject", "label", ids)
        directions = _joined(directions_through, "direction", "code", ids)
        for (pk, title, summary, nat, domain, orig, first, last, username, phase, since, stat, start, end,
             estimated, actual, perim, sco, visib) in chunk:  # fmt: skip
            yield [
                pk,
                title,
                summary,
                nature.get(nat, nat),
                objects.get(pk, ""),
                domain or "",
                origin.get(orig, orig),
                directions.get(pk, ""),
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
