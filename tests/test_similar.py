"""Similar titles (common/similar.py): accents, plurals, word order and small typos are the same title; the
suggestions are measured on the hand-written pairs of tests/similar_pairs.py, on the database of the run."""

import pytest
from django.db import connection

from common import similar
from contests.selectors import similar_ideas
from portfolio.selectors import similar_projects
from tests.factories import ContestFactory, IdeaFactory, ProjectFactory
from tests.similar_pairs import relevance, titles

# Measured by bench/similar.py on both databases (docs/doublons.md); the test keeps a margin below.
MIN_PRECISION = 0.9
MIN_RECALL = 0.9


@pytest.mark.parametrize(
    ("word", "stem"),
    [("agents", "agent"), ("covoiturage", "covoitur"), ("covoiturages", "covoitur"), ("locaux", "local")],
)
def test_the_stemmer_removes_plurals_and_common_suffixes(word, stem):
    assert similar.stem(word) == stem


@pytest.mark.parametrize(
    "other",
    [
        "Covoiturage des agents",  # small words
        "COVOITURAGES DES AGENTS",  # case, plural
        "Agents : covoiturage",  # order
        "Covoitrage entre agents",  # a typo
        "Le covoiturage pour tous les agents de la collectivité",  # a longer title around the same words
    ],
)
def test_titles_that_say_the_same_thing_are_similar(other):
    assert similar.similarity("Covoiturage entre agents", other) >= similar.THRESHOLD


@pytest.mark.parametrize("other", ["Formation des agents", "Covoiturage des élus", "Vote électronique", ""])
def test_titles_that_share_a_word_at_most_are_not(other):
    assert similar.similarity("Covoiturage entre agents", other) < similar.THRESHOLD


def test_a_title_of_less_than_three_letters_suggests_nothing(db, agent):
    ProjectFactory(title="Covoiturage des agents")
    assert similar_projects(agent, "co") == []


def test_suggestions_are_bounded_in_rows_and_queries(db, agent, django_assert_max_num_queries):
    for n in range(similar.CANDIDATES + 20):
        ProjectFactory(title=f"Covoiturage des agents {n}")
    agent.has_perm("portfolio.view_all_projects")  # the permissions are read once per request, before
    with django_assert_max_num_queries(1):
        matches = similar_projects(agent, "Covoiturage entre agents")
    assert len(matches) == similar.LIMIT


def _report(kind: str, figures: dict[str, float]) -> None:
    print(f"\n{kind} on {connection.vendor}: {figures}")


def test_project_suggestions_reach_the_precision_and_recall_on_the_pairs(db, agent):
    for title in titles():
        ProjectFactory(title=title)
    figures = relevance(lambda title: [match.object.title for match in similar_projects(agent, title)])
    _report("projects", figures)
    assert figures["precision"] >= MIN_PRECISION and figures["recall"] >= MIN_RECALL


def test_idea_suggestions_reach_the_precision_and_recall_on_the_pairs(db, agent):
    contest = ContestFactory()
    for title in titles():
        IdeaFactory(contest=contest, title=title)
    figures = relevance(lambda title: [match.object.title for match in similar_ideas(agent, contest, title)])
    _report("ideas", figures)
    assert figures["precision"] >= MIN_PRECISION and figures["recall"] >= MIN_RECALL
