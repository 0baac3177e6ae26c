"""The rows of a contest's export of ideas (CSV and XLSX), in the order of the ranking.

The ranking needs every idea's score before the first row (ranks are shared by equal scores):
it is read in a fixed number of queries (``selectors.ranking``: scores aggregated, co-authors
prefetched) and holds the ideas of one contest, a few hundred; the rows are then streamed.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from contests import selectors
from contests.models import Contest, Idea

HEADER = [
    "id",
    "titre",
    "auteur",
    "co-auteurs",
    "direction",
    "statut",
    "déposée le",
    "soutiens",
    "commentaires",
    "score pondéré (sur 100)",
    "rang",
    "problème constaté",
    "proposition",
]


def idea_rows(contest: Contest) -> Iterator[list[object]]:
    """One row per submitted, visible idea, best score first; labels read once, in the request's language."""
    statuses = {value: str(label) for value, label in Idea.Status.choices}
    return _rows(contest, statuses)


def _rows(contest: Contest, statuses: dict[str, str]) -> Iterator[list[object]]:
    for row in selectors.ranking(contest):
        idea = row.idea
        yield [
            idea.pk,
            idea.title,
            idea.author,
            ", ".join(str(u) for u in idea.co_authors.all()),
            idea.direction or "",
            statuses.get(idea.status, idea.status),
            timezone.localdate(idea.submitted_at) if idea.submitted_at else "",
            idea.support_count,
            idea.comment_count,
            row.score,
            row.rank,
            idea.problem,
            idea.proposal,
        ]


def score_header(contest: Contest) -> list[str]:
    """The columns of the export of the jury's scores; no authors when the jury scores blind."""
    authors = [] if contest.blind_evaluation else ["auteurs"]
    return [
        "id de l'idée",
        "idée",
        *authors,
        "membre du jury",
        "critère",
        "poids",
        "part du score (%)",
        "note",
        "note maximale",
        "commentaire",
    ]


def score_rows(contest: Contest) -> Iterator[list[object]]:
    """One row per idea, juror and criterion, for the ideas of the ranking, streamed from one database iterator.

    The grid's shares and, unless the evaluation is blind, the authors of every idea are read first, in a fixed
    number of queries.
    """
    criteria = list(contest.criteria.all())
    shares = dict(zip((c.pk for c in criteria), selectors.weight_shares([c.weight for c in criteria]), strict=True))
    authors = None if contest.blind_evaluation else selectors.authors_by_idea(contest)
    return _score_rows(contest, shares, authors)


def _score_rows(
    contest: Contest, shares: dict[int, int | None], authors: dict[int, str] | None
) -> Iterator[list[object]]:
    for score in selectors.jury_scores(contest):
        criterion = score.criterion
        yield [
            score.idea_id,
            score.idea_title,
            *([authors.get(score.idea_id, "")] if authors is not None else []),
            score.juror,
            criterion.name,
            criterion.weight,
            shares.get(criterion.pk),
            score.value,
            criterion.scale_max,
            score.comment,
        ]
