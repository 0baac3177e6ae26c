"""Titles that say the same thing: "Covoiturage entre agents" and "Covoiturage des agents".

Two steps, whatever the database:

1. **Candidates**, bounded and served by the database. PostgreSQL matches the title with its French text search
   (``french_unaccent``: accents removed by ``unaccent``, then the French Snowball stemmer) or a trigram word
   similarity on the folded title (``pg_trgm``, for typos), both behind GIN indexes, best first. SQLite, the
   embedded default, looks for each significant word of the typed title (its first and last four letters, so that
   a typo keeps one of them) in the folded title. Either way at most ``CANDIDATES`` rows leave the database.
2. **Score**, in Python over those rows only, the same on both databases: the titles are folded (lower case, no
   accents), cut into words, small words dropped, each word reduced to a stem by a simple French stemmer (plurals,
   common suffixes); two stems match when equal or one typo apart. The score is the mean of the Dice coefficient
   and the overlap coefficient of the matched stems, from 0 to 1; ``THRESHOLD`` and above is "similar".

``bench/similar.py`` measures precision and recall on ``tests/similar_pairs.py``; ``docs/doublons.md`` gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import add, or_
from typing import cast

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity
from django.db import connections
from django.db.models import Case, Model, Q, QuerySet, When
from django.db.models.functions import Length

from common.validators import folded

LIMIT = 5  # suggestions shown
CANDIDATES = 60  # rows read from the database per request, at most
THRESHOLD = 0.6
MIN_LENGTH = 3  # a title shorter than this (folded, trimmed) suggests nothing
MAX_WORDS = 12  # words of the typed title looked up: a pasted paragraph stays bounded
SEARCH_CONFIG = "french_unaccent"  # created by portfolio/migrations/0010 (PostgreSQL only)

# Small words that say nothing of an idea, dropped before comparing.
_STOP_WORDS = (
    "a afin au aux avec ce ces cet cette chez d dans de des du elle en entre et il la le les leur leurs l mes mon n ne "
    "nos notre nous ou par pas plus pour qu que qui s sa sans se ses son sont sur ta tes ton tous tout toute toutes "
    "un une vers vos votre vous y"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Singular endings, longest first; one is removed only when at least four letters remain.
SUFFIXES = (
    "issement",
    "atrice",
    "ateur",
    "ation",
    "ement",
    "ance",
    "ence",
    "euse",
    "ique",
    "isme",
    "iste",
    "able",
    "ible",
    "ment",
    "age",
    "eur",
    "ite",
    "ive",
    "if",
    "ee",
    "er",
    "e",
)
WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A crude French stem of a folded word: "agents" → "agent", "covoiturages" → "covoitur"."""
    if word.endswith("aux") and len(word) > 5:
        word = word[:-3] + "al"  # "locaux" → "local"
    elif word[-1:] in {"s", "x"} and len(word) > 4:
        word = word[:-1]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def keys(text: str) -> list[str]:
    """The stems of the significant words of a text, in order, each once."""
    words = WORD.findall(folded(text).replace("\u2019", " "))
    stems = [stem(word) for word in words if word not in STOP_WORDS and len(word) > 1]
    return list(dict.fromkeys(stems))[:MAX_WORDS]


def _one_typo_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter changed, added, removed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:  # "velo" and "vote" are not a typo of each other
        return False
    # A stem is cut differently when the typo falls in the suffix ("covoiturages"/"covoiturge"): compare prefixes.
    return _one_typo_apart(a, b) or (min(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a)))


def score(query: list[str], other: list[str]) -> float:
    """From 0 (nothing in common) to 1 (the same stems, perhaps in another order or with a typo)."""
    if not query or not other:
        return 0.0
    matched = sum(1 for word in query if any(stems_match(word, candidate) for candidate in other))
    dice = 2 * matched / (len(query) + len(other))
    overlap = matched / min(len(query), len(other))
    return (dice + overlap) / 2


def similarity(a: str, b: str) -> float:
    return score(keys(a), keys(b))


@dataclass
class Match:
    object: Model
    score: float


def _candidates(
    queryset: QuerySet[Model], stems: list[str], text: str, *, title: str, title_folded: str
) -> QuerySet[Model]:
    """The rows worth scoring, most promising first: the caller keeps the first ``CANDIDATES``."""
    if connections[queryset.db].vendor == "postgresql":
        terms = " | ".join(WORD.findall(folded(text)))
        matches = Q(_similar_vector=SearchQuery(terms, config=SEARCH_CONFIG, search_type="raw")) if terms else Q()
        for word in stems:
            matches |= Q(**{f"{title_folded}__trigram_word_similar": word})
        # The plugin types annotate() on an unknown model as Any.
        return cast(
            "QuerySet[Model]",
            queryset.annotate(
                _similar_vector=SearchVector(title, config=SEARCH_CONFIG),
                _similar_trigram=TrigramSimilarity(title_folded, " ".join(stems)),
            )
            .filter(matches)
            .order_by("-_similar_trigram", "-pk"),
        )
    probes = set()
    for word in stems:
        probes.add(word[:4])
        if len(word) >= 6:
            probes.add(word[-4:])
    found = [Q(**{f"{title_folded}__contains": probe}) for probe in sorted(probes)]
    # The rows that hold the most words of the title typed, the shortest first (the fewest other words).
    hits = reduce(add, (Case(When(probe, then=1), default=0) for probe in found))
    return cast(
        "QuerySet[Model]",
        queryset.filter(reduce(or_, found))
        .annotate(_similar_hits=hits, _similar_length=Length(title_folded))
        .order_by("-_similar_hits", "_similar_length", "-pk"),
    )


def similar(
    queryset: QuerySet[Model],
    text: str,
    *,
    title: str = "title",
    title_folded: str = "title_folded",
    limit: int = LIMIT,
) -> list[Match]:
    """The rows of ``queryset`` whose title resembles ``text``, most similar first, at most ``limit``.

    ``queryset`` must already be restricted to what the person may see: this function only ranks.
    """
    stems = keys(text)
    if len(folded(text).strip()) < MIN_LENGTH or not stems:
        return []
    rows = _candidates(queryset, stems, text, title=title, title_folded=title_folded)[:CANDIDATES]
    matches = [Match(row, score(stems, keys(getattr(row, title)))) for row in rows]
    matches = [match for match in matches if match.score >= THRESHOLD]
    matches.sort(key=lambda match: -match.score)
    return matches[:limit]
