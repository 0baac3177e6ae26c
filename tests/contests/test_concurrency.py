"""Simultaneous submissions, supports and scores: the limits hold, one effect where one is allowed, never a 500."""

from functools import partial

import pytest
from django.urls import reverse

from accounts.roles import Role
from contests.models import Comment, Idea, Score, Support
from tests.factories import ContestFactory, IdeaFactory, UserFactory
from tests.live import Session, all_at_once, on_postgresql

pytestmark = [on_postgresql, pytest.mark.usefixtures("messages_in_session")]

IDEA = {
    "title": "Vélos de service",
    "problem": "Les agents prennent leur voiture.",
    "proposal": "Dix vélos partagés.",
    "effort": "small",
    "submit": "",
}


def test_ten_simultaneous_submissions_of_one_agent_respect_the_hourly_limit(live_server, reference_data, settings):
    settings.IDEAS_PER_HOUR = 5
    agent = UserFactory(roles=[Role.AGENT], username="agent")
    contest = ContestFactory(slug="ecologie")
    url = reverse("contests:idea_create", args=[contest.slug])
    sessions = [Session(live_server.url, agent) for _ in range(10)]
    answers = all_at_once([partial(s.post, url, {**IDEA, "title": f"Idée {n}"}) for n, s in enumerate(sessions)])

    assert Idea.objects.filter(author=agent).count() == 5
    assert sum(answer.redirected for answer in answers) == 5
    refused = [answer for answer in answers if not answer.redirected]
    assert all(answer.status == 200 for answer in answers)  # the form comes back with the message, never a 500
    assert all("Vous avez déjà proposé 5 idées dans l'heure" in answer.page for answer in refused)


def test_simultaneous_comments_of_one_agent_respect_their_limit(live_server, reference_data, settings):
    settings.COMMENTS_PER_10_MINUTES = 3
    agent = UserFactory(roles=[Role.AGENT], username="agent")
    idea = IdeaFactory(contest=ContestFactory(slug="ecologie"))
    url = reverse("contests:idea_comment", args=[idea.contest.slug, idea.pk])
    sessions = [Session(live_server.url, agent) for _ in range(8)]
    answers = all_at_once([partial(s.post, url, {"text": f"Bravo n° {n}"}) for n, s in enumerate(sessions)])

    assert Comment.objects.filter(author=agent).count() == 3
    assert all(answer.status == 200 for answer in answers)
    assert sum("Trop de commentaires en peu de temps" in answer.page for answer in answers) == 5


def test_simultaneous_supports_of_one_agent_count_once(live_server, reference_data):
    agent = UserFactory(roles=[Role.AGENT], username="agent")
    idea = IdeaFactory(contest=ContestFactory(slug="ecologie"))
    url = reverse("contests:idea_support", args=[idea.contest.slug, idea.pk])
    sessions = [Session(live_server.url, agent) for _ in range(6)]
    answers = all_at_once([partial(s.post, url, {}) for s in sessions])

    assert Support.objects.filter(idea=idea, user=agent).count() == 1
    assert all(answer.status == 200 for answer in answers)
    assert sum("Merci : votre soutien est enregistré." in answer.page for answer in answers) == 1
    assert sum("Vous soutenez déjà cette idée" in answer.page for answer in answers) == 5


def test_simultaneous_scores_of_jurors_leave_one_score_per_juror_and_criterion(live_server, reference_data):
    jurors = [UserFactory(roles=[Role.JURY, Role.AGENT], username=f"jure{n}") for n in range(2)]
    contest = ContestFactory(slug="ecologie", state="evaluation")
    contest.jury.set(jurors)
    idea = IdeaFactory(contest=contest)
    criteria = list(contest.criteria.all())
    url = reverse("contests:idea_score", args=[contest.slug, idea.pk])

    def grid(value: int) -> dict:
        return {
            **{f"score_{c.pk}": str(value) for c in criteria},
            **{f"comment_{c.pk}": f"Note {value}" for c in criteria},
        }

    sessions = [Session(live_server.url, jurors[n % 2]) for n in range(6)]
    answers = all_at_once([partial(s.post, url, grid(1 + n % 5)) for n, s in enumerate(sessions)])

    assert all(answer.status == 200 and "Notes enregistrées." in answer.page for answer in answers)
    for juror in jurors:
        scores = Score.objects.filter(idea=idea, juror=juror)
        assert scores.count() == len(criteria)
        assert len({score.value for score in scores}) == 1  # one submission's grid, not a mix of two
