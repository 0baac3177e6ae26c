"""The jury scores ideas on the weighted grid; the DGS ranks, decides, and turns selected ideas into projects."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notification
from accounts.roles import Role
from contests import selectors, services
from contests.models import Idea, Score
from portfolio.models import InnovationObject, Project
from tests.factories import IdeaFactory


def score_url(idea):
    return reverse("contests:idea_score", args=[idea.contest.slug, idea.pk])


def grid(contest, *values):
    data = {}
    for criterion, value in zip(contest.criteria.all(), values, strict=True):
        data[f"score_{criterion.pk}"] = str(value)
        data[f"comment_{criterion.pk}"] = ""
    return data


def test_a_juror_scores_an_idea_and_sees_the_progress(client, in_evaluation, juror, idea):
    IdeaFactory(contest=in_evaluation, title="Autre idée")
    client.force_login(juror)
    response = client.post(score_url(idea), grid(in_evaluation, 4, 3), follow=True)
    assert "Notes enregistrées. 1 sur 2 idées évaluées." in response.content.decode()
    assert "1 sur 2 évaluées" in response.content.decode()
    assert Score.objects.filter(juror=juror).count() == 2


def test_a_score_outside_the_scale_is_refused(client, in_evaluation, juror, idea):
    client.force_login(juror)
    response = client.post(score_url(idea), grid(in_evaluation, 6, 3))
    assert "La note doit être comprise entre 1 et 5." in response.content.decode()
    assert not Score.objects.exists()


def test_the_service_refuses_a_score_outside_the_scale(in_evaluation, juror, idea):
    criterion = in_evaluation.criteria.first()
    with pytest.raises(ValidationError, match="entre 1 et 5"):
        services.scores_save(idea=idea, juror=juror, scores={criterion: (0, "")})


def test_a_person_outside_the_jury_cannot_score(client, in_evaluation, agent, idea):
    client.force_login(agent)
    assert client.get(score_url(idea)).status_code == 403
    assert client.post(score_url(idea), grid(in_evaluation, 4, 3)).status_code == 403
    assert client.get(reverse("contests:evaluation", args=[in_evaluation.slug])).status_code == 403


def test_a_juror_of_another_contest_cannot_score_this_one(in_evaluation, idea, make_user):
    from tests.factories import ContestFactory

    other_juror = make_user(username="autre-jure")
    ContestFactory(slug="autre").jury.add(other_juror)
    with pytest.raises(PermissionDenied):
        services.scores_save(idea=idea, juror=other_juror, scores={})


def test_nobody_scores_an_idea_they_co_authored(client, in_evaluation, juror, idea):
    idea.co_authors.add(juror)
    client.force_login(juror)
    assert client.get(score_url(idea)).status_code == 403
    assert selectors.evaluation_progress(juror, in_evaluation) == (0, 0)


def test_scores_are_only_taken_during_the_evaluation(contest, juror, idea):
    contest.jury.add(juror)
    with pytest.raises(ValidationError, match="pendant l'évaluation"):
        services.scores_save(idea=idea, juror=juror, scores={contest.criteria.first(): (3, "")})


def test_the_weighted_score_and_the_ranking_are_computed(in_evaluation, juror, make_user):
    second = make_user(username="jure2")
    in_evaluation.jury.add(second)
    usefulness, cost = in_evaluation.criteria.all()  # weights 2 and 1, out of 5
    best = IdeaFactory(contest=in_evaluation, title="Meilleure")
    other = IdeaFactory(contest=in_evaluation, title="Seconde")
    services.scores_save(idea=best, juror=juror, scores={usefulness: (5, ""), cost: (5, "")})
    services.scores_save(idea=best, juror=second, scores={usefulness: (3, ""), cost: (5, "")})
    services.scores_save(idea=other, juror=juror, scores={usefulness: (2, ""), cost: (4, "")})
    rows = selectors.ranking(in_evaluation)
    # best: usefulness mean 4/5, cost 5/5 -> (2*0.8 + 1*1.0) / 3 = 86.7 ; other: (2*0.4 + 0.8) / 3 = 53.3
    assert [(r.idea.title, r.score, r.rank) for r in rows] == [("Meilleure", 86.7, 1), ("Seconde", 53.3, 2)]
    assert rows[0].criterion_means == [4.0, 5.0]


def test_ideas_with_the_same_score_share_their_rank(in_evaluation, juror):
    criteria = list(in_evaluation.criteria.all())
    for title in ("A", "B", "C"):
        idea = IdeaFactory(contest=in_evaluation, title=title)
        value = 2 if title == "C" else 4
        services.scores_save(idea=idea, juror=juror, scores=dict.fromkeys(criteria, (value, "")))
    assert [r.rank for r in selectors.ranking(in_evaluation)] == [1, 1, 3]


def test_closing_the_contest_puts_ideas_under_review_and_tells_authors(client, dgs, contest, idea, juror):
    contest.jury.add(juror)
    client.force_login(dgs)
    response = client.post(reverse("contests:advance", args=[contest.slug]), {"confirm": "1"}, follow=True)
    assert "Le concours est maintenant : En évaluation." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "under_review"
    assert "en cours d'examen" in Notification.objects.get(user=idea.author).message


def test_a_contest_cannot_move_to_evaluation_without_jury(client, dgs, contest):
    client.force_login(dgs)
    response = client.post(reverse("contests:advance", args=[contest.slug]), follow=True)
    assert "Désignez le jury avant de passer à l&#x27;évaluation." in response.content.decode()


def test_the_authors_learn_the_outcome_when_the_results_are_published_not_before(
    client, dgs, in_evaluation, idea, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(dgs)
    url = reverse("contests:idea_outcome", args=[in_evaluation.slug, idea.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "not_retained", "message": "Merci, une piste proche existe déjà."})
    idea.refresh_from_db()
    assert idea.status == "not_retained"
    assert not Notification.objects.filter(user=idea.author, message__contains="non retenue").exists()
    assert not any("non retenue" in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contests:advance", args=[in_evaluation.slug]))
    note = Notification.objects.filter(user=idea.author).latest("created_at")
    assert "est maintenant : non retenue. Merci, une piste proche existe déjà." in note.message
    assert mail.outbox[-1].to == [idea.author.email]


def test_a_decision_changed_after_the_publication_is_told_at_once(dgs, in_evaluation, idea):
    services.idea_set_outcome(idea=idea, by=dgs, status="shortlisted")
    services.contest_advance(contest=in_evaluation, by=dgs)
    services.idea_set_outcome(idea=idea, by=dgs, status="selected", message="Bravo.")
    note = Notification.objects.filter(user=idea.author).latest("created_at")
    assert "est maintenant : retenue. Bravo." in note.message


def test_the_jury_is_invited_when_the_evaluation_starts(client, dgs, contest, idea, juror, make_user):
    contest.jury.add(juror)
    outsider = make_user(Role.JURY, username="autre_jure")
    client.force_login(dgs)
    client.post(reverse("contests:advance", args=[contest.slug]), {"confirm": "1"})
    note = Notification.objects.get(user=juror, kind="jury")
    assert "vous pouvez noter les idées" in note.message and note.url == contest.get_absolute_url()
    assert not Notification.objects.filter(user=outsider).exists()


def test_a_selected_idea_becomes_a_project_with_its_authors_in_the_team(client, dgs, in_evaluation, idea, make_user):
    co_author = make_user(username="coauteur")
    idea.co_authors.add(co_author)
    services.idea_set_outcome(idea=idea, by=dgs, status="selected")
    client.force_login(dgs)
    response = client.post(
        reverse("contests:idea_project", args=[in_evaluation.slug, idea.pk]),
        {"lead": idea.author.pk, "nature": "societal", "objects": [InnovationObject.objects.first().pk]},
        follow=True,
    )
    project = Project.objects.get()
    assert (project.origin, project.phase.code, project.title) == ("contest", "emergence", "Vélos partagés")
    assert set(project.team.all()) == {idea.author, co_author}
    idea.refresh_from_db()
    assert idea.project == project
    assert "Issu de l'idée « Vélos partagés »" in response.content.decode()
    again = client.post(
        reverse("contests:idea_project", args=[in_evaluation.slug, idea.pk]),
        {"lead": idea.author.pk, "nature": "societal", "objects": [InnovationObject.objects.first().pk]},
        follow=True,
    )
    assert "Cette idée est déjà devenue un projet." in again.content.decode()
    assert Project.objects.count() == 1


def test_only_a_selected_idea_becomes_a_project(dgs, in_evaluation, idea):
    with pytest.raises(ValidationError, match="Seule une idée retenue"):
        services.idea_to_project(idea=idea, by=dgs, lead=idea.author, nature="societal", objects=[])


def test_the_board_compares_the_agents_role_in_adoption_with_the_national_40_percent(client, dgs):
    """Like with like: the national 40 % is the share of adopted innovations where agents played a positive
    role (question C1), not the share of projects they initiated."""
    from portfolio.models import AdoptionActor, GateDecision, Phase
    from tests.factories import ProjectFactory

    agents, elected = AdoptionActor.objects.get(code="agents"), AdoptionActor.objects.get(code="politique")
    adoption, implementation = Phase.objects.get(code="adoption"), Phase.objects.get(code="implementation")
    projects = [ProjectFactory(origin="administrative"), ProjectFactory(origin="political"), ProjectFactory()]
    for project in projects:
        GateDecision.objects.create(
            project=project,
            decision="go",
            from_phase=adoption,
            to_phase=implementation,
            decided_by=dgs,
            decided_on=timezone.localdate(),
            rationale="Adopté",
        )
    projects[0].adoption_actors.set([agents, elected])
    projects[1].adoption_actors.set([elected])  # projects[2]: adopted, but its actors not recorded: not in the base
    ProjectFactory(origin="contest").adoption_actors.set([agents])  # not adopted (yet): not in the base
    client.force_login(dgs)
    page = client.get("/projets/tableau/").content.decode()
    assert "1 sur 2 (projets dont les acteurs de l'adoption sont renseignés), soit <strong>50 %</strong>" in page
    assert "Référence nationale pour la même question : 40 %" in page


def test_results_are_shown_once_published(client, agent, in_evaluation, dgs, idea):
    services.idea_set_outcome(idea=idea, by=dgs, status="selected")
    client.force_login(agent)
    url = reverse("contests:results", args=[in_evaluation.slug])
    assert client.get(url).status_code == 403
    services.contest_advance(contest=in_evaluation, by=dgs)
    page = client.get(url).content.decode()
    assert "Vélos partagés" in page and "Retenue" in page


def test_exports_list_ideas_supports_and_scores_with_formulas_neutralised(client, dgs, in_evaluation, juror, agent):
    from contests.models import Support

    idea = IdeaFactory(contest=in_evaluation, title="=cmd|'/C calc'!A0")
    Support.objects.create(idea=idea, user=agent)
    services.scores_save(idea=idea, juror=juror, scores=dict.fromkeys(in_evaluation.criteria.all(), (5, "")))
    client.force_login(dgs)
    csv_body = client.get(reverse("contests:export_csv", args=[in_evaluation.slug])).getvalue().decode("utf-8-sig")
    assert "'=cmd|" in csv_body and ";1;0;100,0;1;" in csv_body
    sheet = load_workbook(io.BytesIO(client.get(reverse("contests:export_xlsx", args=[in_evaluation.slug])).getvalue()))
    row = list(sheet.active.iter_rows(values_only=True))[1]
    assert row[1] == "'=cmd|'/C calc'!A0" and row[7] == 1 and row[9] == 100.0


@pytest.mark.parametrize("name", ["contests:export_csv", "contests:export_xlsx", "contests:ranking", "contests:edit"])
def test_agents_cannot_reach_the_dgs_pages(client, agent, contest, name):
    client.force_login(agent)
    assert client.get(reverse(name, args=[contest.slug])).status_code == 403


def test_blind_evaluation_hides_the_authors_from_the_jury(client, in_evaluation, juror, idea):
    in_evaluation.blind_evaluation = True
    in_evaluation.save()
    client.force_login(juror)
    for url in (
        score_url(idea),
        reverse("contests:evaluation", args=[in_evaluation.slug]),
        idea.get_absolute_url(),
        in_evaluation.get_absolute_url(),
    ):
        assert str(idea.author) not in client.get(url).content.decode(), url


def test_a_stranger_gets_404_on_a_hidden_idea_everywhere(client, agent, idea, dgs):
    services.idea_hide(idea=idea, by=dgs, reason="Doublon.")
    client.force_login(agent)
    slug = idea.contest.slug
    for name in ("contests:idea", "contests:idea_edit", "contests:idea_confirmation", "contests:idea_attachment"):
        assert client.get(reverse(name, args=[slug, idea.pk])).status_code == 404, name
    for name in ("contests:idea_support", "contests:idea_comment", "contests:idea_score"):
        assert client.post(reverse(name, args=[slug, idea.pk])).status_code == 404, name


def test_the_idea_list_makes_as_many_queries_for_40_ideas_as_for_3(client, agent, contest, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    IdeaFactory.create_batch(3, contest=contest)
    client.force_login(agent)
    with CaptureQueriesContext(connection) as few:
        client.get(contest.get_absolute_url())
    IdeaFactory.create_batch(37, contest=contest)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(contest.get_absolute_url())


def test_an_idea_status_stays_when_the_form_is_tampered(client, idea):
    client.force_login(idea.author)
    url = reverse("contests:idea_edit", args=[idea.contest.slug, idea.pk])
    response = client.post(url, {"title": "x", "problem": "p", "proposal": "q", "status": "selected", "submit": ""})
    assert "Ce formulaire ne permet pas de modifier : status." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_an_idea_that_became_a_project_keeps_its_decision(dgs, in_evaluation, idea):
    services.idea_set_outcome(idea=idea, by=dgs, status="selected")
    services.idea_to_project(idea=idea, by=dgs, lead=idea.author, nature="societal", objects=[])
    with pytest.raises(ValidationError, match="déjà devenue un projet"):
        services.idea_set_outcome(idea=idea, by=dgs, status="not_retained")


def test_blind_evaluation_hides_comment_authors_from_the_jury(client, in_evaluation, juror, idea):
    from contests.models import Comment

    in_evaluation.blind_evaluation = True
    in_evaluation.save()
    Comment.objects.create(idea=idea, author=idea.author, text="Précision de l'auteur")
    client.force_login(juror)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Précision de l&#x27;auteur" in page and str(idea.author) not in page


def test_the_dgs_reminds_the_jurors_who_have_not_finished(client, dgs, in_evaluation, juror, idea, make_user):
    finished = make_user(Role.JURY, username="jure_fini")
    in_evaluation.jury.add(finished)
    criteria = list(in_evaluation.criteria.all())
    services.scores_save(idea=idea, juror=finished, scores=dict.fromkeys(criteria, (3, "")))
    client.force_login(dgs)
    page = client.get(in_evaluation.get_absolute_url()).content.decode()
    assert "Relancer les membres du jury" in page
    response = client.post(reverse("contests:remind_jury", args=[in_evaluation.slug]), follow=True)
    assert "1 membre du jury relancé." in response.content.decode()
    note = Notification.objects.get(user=juror, message__startswith="Rappel")
    assert "il vous reste 1 idée à évaluer" in note.message
    assert not Notification.objects.filter(user=finished, message__startswith="Rappel").exists()


def test_only_the_dgs_reminds_the_jury(client, agent, in_evaluation):
    client.force_login(agent)
    assert client.post(reverse("contests:remind_jury", args=[in_evaluation.slug])).status_code == 403
