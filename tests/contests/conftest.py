import pytest

from accounts.roles import Role
from tests.factories import ContestFactory, IdeaFactory


@pytest.fixture
def contest(dgs):
    return ContestFactory(slug="ecologie", title="Transition écologique", created_by=dgs)


@pytest.fixture
def juror(make_user):
    return make_user(Role.JURY, Role.AGENT, username="jure")


@pytest.fixture
def author(make_user):
    return make_user(Role.AGENT, username="auteur")


@pytest.fixture
def idea(contest, author):
    return IdeaFactory(contest=contest, author=author, title="Vélos partagés")


@pytest.fixture
def in_evaluation(contest, juror):
    contest.jury.add(juror)
    contest.state = "evaluation"
    contest.save()
    return contest
