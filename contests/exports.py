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
