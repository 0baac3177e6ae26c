"""The rows of the projects' export (CSV and XLSX), read in bounded chunks.

One ordered query over the projects (a database iterator). The multi-valued columns (objects,
directions, team, indicators with their latest value, scorecard) come, on PostgreSQL, from
``string_agg`` subqueries of that query; elsewhere (SQLite) from one grouped query per chunk and
column. Either way the number of queries does not grow with the number of rows, and memory holds
one chunk. Labels come from the choices, read once per export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, cast

from django.db import connections
from django.db.models import Case, Choices, Expression, F, Model, OuterRef, QuerySet, Subquery, TextField, When
from django.db.models import Value as V
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Replace, Trim
from django.db.models.lookups import IsNull

from common.exports import chunks
from common.translation import localized_column
from portfolio.models import FactorScore, Indicator, Measurement, Project

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
    # Added after the first version: at the end, so that scripts reading the columns by position keep working.
    "description",
    "valeur attendue",
    "résultats observés",
    "enseignements",
    "équipe",
    "indicateurs (dernière valeur)",
    "facteurs de succès",
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
    "description",
    "expected_value",
    "observed_results",
    "lessons_learned",
)


# Columns holding a reference list's label: read in the exporting person's language.
_LOCALIZED = ("domain__name", "phase__label")

# (through model, target field, label column): objects and directions, in their models' order.
_MANY: tuple[tuple[type[Model], str, str], ...] = (
    (Project.objects_of_innovation.through, "innovationobject", "label"),
    (Project.directions.through, "direction", "code"),
)


def _labels(choices: type[Choices]) -> dict[str, str]:
    """Value → label in the active language, as ``get_<field>_display()`` gives it."""
    return {value: str(label) for value, label in choices.choices}


def _ordering(through: type[Model], target: str) -> list[str]:
    """The target model's default ordering seen from the through table (as a prefetch orders it), then its id."""
    related = cast("type[Model]", through._meta.get_field(target).related_model)  # a foreign key's model
    target_ordering = related._meta.ordering
    fields = [f"-{target}__{f[1:]}" if f.startswith("-") else f"{target}__{f}" for f in target_ordering]  # type: ignore[union-attr]  # Options.ordering is [] when unset, never None
    return [*fields, f"{target}_id"]


def _label_column(target: str, label: str) -> Expression | F:
    """The label column of a multi-valued column; a code stays a code."""
    return localized_column(f"{target}__{label}") if label == "label" else F(f"{target}__{label}")


def _aggregated(through: type[Model], target: str, label: Expression | F) -> Subquery:
    """PostgreSQL: ``"a, b"`` for the outer project, computed by the database in the main query."""
    from django.contrib.postgres.aggregates import StringAgg

    texts = (
        through._default_manager.filter(project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(text=StringAgg(label, ", ", order_by=_ordering(through, target)))
        .values("text")
    )
    return Subquery(texts)


def _joined(through: type[Model], target: str, label: Expression | F, ids: list[int]) -> dict[int, str]:
    """``{project id: "a, b"}`` for one chunk: one grouped query."""
    rows = (
        through._default_manager.filter(project_id__in=ids)
        .order_by("project_id", *_ordering(through, target))
        .values_list("project_id", label)
    )
    joined: dict[int, list[str]] = {}
    for project_id, text in rows:
        joined.setdefault(project_id, []).append(text)
    return {project_id: ", ".join(texts) for project_id, texts in joined.items()}


def _decimal(value: object) -> str:
    """A measured value as the cells show it, "12,50" (SQLite hands a subquery's decimal back as "12.5")."""
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


def _team(ids: list[int]) -> dict[int, str]:
    """``{project id: "Prénom Nom, …"}``: the team, by last name, one grouped query for the chunk."""
    rows = (
        Project.team.through.objects.filter(project_id__in=ids)
        .order_by("project_id", "user__last_name", "user__first_name", "user_id")
        .values_list("project_id", "user__first_name", "user__last_name", "user__username")
    )
    names: dict[int, list[str]] = {}
    for project_id, first, last, username in rows:
        names.setdefault(project_id, []).append(f"{first} {last}".strip() or username)
    return {project_id: ", ".join(texts) for project_id, texts in names.items()}


def _indicators(ids: list[int]) -> dict[int, str]:
    """``{project id: "name : last value unit ; …"}``, the last value being the latest measurement's ("—" before
    the first): one query for the chunk, the latest value read by a subquery per indicator."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on").values("value")[:1]
    rows = (
        Indicator.objects.filter(project_id__in=ids)
        .annotate(latest=Subquery(latest))
        .order_by("project_id", "pk")
        .values_list("project_id", "name", "unit", "latest")
    )
    texts: dict[int, list[str]] = {}
    for project_id, name, unit, value in rows:
        shown = "—" if value is None else f"{_decimal(value)} {unit}".strip()
        texts.setdefault(project_id, []).append(f"{name} : {shown}")
    return {project_id: " ; ".join(items) for project_id, items in texts.items()}


def _scorecard(ids: list[int], factor: Expression | F) -> dict[int, str]:
    """``{project id: "factor : 4/5 ; …"}`` in the order of the factors: one query for the chunk."""
    rows = (
        FactorScore.objects.filter(project_id__in=ids)
        .order_by("project_id", "factor__order", "factor_id")
        .values_list("project_id", factor, "score")
    )
    texts: dict[int, list[str]] = {}
    for project_id, label, score in rows:
        texts.setdefault(project_id, []).append(f"{label} : {score}/5")
    return {project_id: " ; ".join(items) for project_id, items in texts.items()}


def _aggregated_extras(factor: Expression | F) -> dict[str, Subquery]:
    """PostgreSQL: team, indicators and scorecard as ``string_agg`` subqueries of the main query, the same texts as
    ``_team``, ``_indicators`` and ``_scorecard`` (one query for the whole export, no list of ids per chunk)."""
    from django.contrib.postgres.aggregates import StringAgg

    def per_project(model: type[Model], text: Expression, separator: str, order_by: list[str]) -> Subquery:
        rows = model._default_manager.filter(project_id=OuterRef("pk")).order_by().values("project_id")
        return Subquery(rows.annotate(text=StringAgg(text, separator, order_by=order_by)).values("text"))

    text: TextField[str, str] = TextField()
    name = Trim(Concat("user__first_name", V(" "), "user__last_name", output_field=text))
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on").values("value")[:1]
    value = Replace(Cast(Subquery(latest), TextField()), V("."), V(","), output_field=TextField())
    return {
        "many_team": per_project(
            Project.team.through,
            Coalesce(NullIf(name, V("")), "user__username", output_field=text),
            ", ",
            ["user__last_name", "user__first_name", "user_id"],
        ),
        "many_indicators": per_project(
            Indicator,
            Concat(
                "name",
                V(" : "),
                # CONCAT reads NULL as "": an indicator without measurement is told apart first.
                Case(
                    When(IsNull(Subquery(latest), True), then=V("—")),
                    default=Trim(Concat(value, V(" "), "unit", output_field=text)),
                    output_field=text,
                ),
                output_field=text,
            ),
            " ; ",
            ["pk"],
        ),
        "many_scorecard": per_project(
            FactorScore,
            Concat(factor, V(" : "), Cast("score", text), V("/5"), output_field=text),
            " ; ",
            ["factor__order", "factor_id"],
        ),
    }


def project_rows(projects: QuerySet[Project], *, chunk_size: int = CHUNK) -> Iterator[list[object]]:
    """One row per project, in the queryset's order, with the columns of ``HEADER``.

    The labels are read now, in the request's language; the rows when the response is streamed."""
    labels = [
        _labels(choices)
        for choices in (Project.Nature, Project.Origin, Project.Status, Project.Perimeter, Project.Scope)
    ]
    labels.append(_labels(Project.Visibility))
    fields = [localized_column(field) if field in _LOCALIZED else field for field in _FIELDS]
    many_specs: list[tuple[type[Model], str, Expression | F]] = [
        (through, target, _label_column(target, label)) for through, target, label in _MANY
    ]
    factor = localized_column("factor__label")
    if connections[projects.db].vendor == "postgresql":
        many = {f"many_{index}": _aggregated(*spec) for index, spec in enumerate(many_specs)}
        many.update(_aggregated_extras(factor))
        values = projects.annotate(**many).values_list(*fields, *many)
        return _rows(values.iterator(chunk_size=chunk_size), *labels)
    return _rows_joined_per_chunk(projects.values_list(*fields), chunk_size, labels, many_specs, factor)


def _rows_joined_per_chunk(
    values: QuerySet[Any],
    chunk_size: int,
    labels: list[Any],
    many_specs: list[tuple[type[Model], str, Expression | F]],
    factor: Expression | F,
) -> Iterator[list[object]]:
    """SQLite: the rows of each chunk completed by one grouped query per multi-valued column."""
    for chunk in chunks(values.iterator(chunk_size=chunk_size), chunk_size):
        ids = [row[0] for row in chunk]
        columns = [_joined(*spec, ids) for spec in many_specs] + [_team(ids), _indicators(ids), _scorecard(ids, factor)]
        yield from _rows(((*row, *(texts.get(row[0]) for texts in columns)) for row in chunk), *labels)


def _rows(values: Iterable[tuple[Any, ...]], *labels: dict[str, str]) -> Iterator[list[object]]:
    nature, origin, status, perimeter, scope, visibility = labels
    for (pk, title, summary, nat, domain, orig, first, last, username, phase, since, stat, start, end,
         estimated, actual, perim, sco, visib, description, expected, observed, lessons,
         objects, directions, team, indicators, scorecard) in values:  # fmt: skip
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
            description,
            expected,
            observed,
            lessons,
            team or "",
            indicators or "",
            scorecard or "",
        ]
