"""The jury's work: the idea read beside the grid, the next idea to score, how many jurors scored each idea and how
far they disagree, and the export of every juror's score on every criterion."""

import csv
import io
import re

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from contests import selectors, services
from tests.contests.test_evaluation import grid, score_url
from tests.factories import ContestFactory, IdeaFactory, UserFactory


def score(idea, juror, *values):
    criteria = list(idea.contest.criteria.all())
    services.scores_save(idea=idea, juror=juror, scores={c: (v, "") for c, v in zip(criteria, values, strict=True)})


# --- The scoring page -----------------------------------------------------------------------------------------


def test_the_idea_is_shown_beside_the_grid_with_its_authors(client, in_evaluation, juror, idea, make_user):
    idea.co_authors.add(make_user(first_name="Zoé", last_name="Abel"))
    idea.benefits_users = "Moins d'attente au guichet."
    idea.save()
    client.force_login(juror)
    page = client.get(score_url(idea)).content.decode()
    assert "Un problème." in page and "Une proposition." in page and "Moins d&#x27;attente au guichet." in page
    assert f"Proposée par {idea.author}" in page and "Zoé Abel" in page
    assert "<details" not in page  # no longer folded away


def test_a_blind_evaluation_hides_the_authors_beside_the_grid(client, in_evaluation, juror, idea, make_user):
    in_evaluation.blind_evaluation = True
    in_evaluation.save()
    idea.co_authors.add(make_user(first_name="Zoé", last_name="Abel"))
    client.force_login(juror)
    page = client.get(score_url(idea)).content.decode()
    assert "Une proposition." in page
    assert str(idea.author) not in page and "Zoé Abel" not in page
    assert "les auteurs ne vous sont pas montrés" in page


def test_the_title_and_texts_of_an_idea_are_escaped_on_the_scoring_page(client, in_evaluation, juror, author):
    idea = IdeaFactory(contest=in_evaluation, author=author, title="Vélos < voitures & bus")
    client.force_login(juror)
    page = client.get(score_url(idea)).content.decode()
    assert "Vélos &lt; voitures &amp; bus" in page


def test_saving_leads_to_the_next_idea_left_to_score(client, in_evaluation, juror, author, messages_in_session):
    first = IdeaFactory(contest=in_evaluation, author=author, title="A vélo")
    done = IdeaFactory(contest=in_evaluation, author=author, title="B déjà noté")
    following = IdeaFactory(contest=in_evaluation, author=author, title="C compost")
    score(done, juror, 3, 3)
    client.force_login(juror)
    page = client.get(score_url(first)).content.decode()
    assert "Idée suivante à noter : « C compost »" in page
    response = client.post(score_url(first), grid(in_evaluation, 4, 2), follow=True)
    assert response.redirect_chain[-1][0] == score_url(following)
    page = response.content.decode()
    assert "Notes enregistrées. 2 sur 3 idées évaluées. Voici l’idée suivante à noter." in page
    assert "Noter « C compost »" in page


def test_the_next_idea_goes_back_to_the_top_of_the_list(in_evaluation, juror, author):
    first = IdeaFactory(contest=in_evaluation, author=author, title="A vélo")
    last = IdeaFactory(contest=in_evaluation, author=author, title="Z zéro papier")
    assert selectors.next_idea_to_score(juror, in_evaluation, after=last) == first
    assert selectors.next_idea_to_score(juror, in_evaluation, after=first) == last
    assert selectors.next_idea_to_score(juror, in_evaluation) == first


def test_once_every_idea_is_scored_the_juror_is_told_and_sent_to_the_list(
    client, in_evaluation, juror, idea, messages_in_session
):
    client.force_login(juror)
    response = client.post(score_url(idea), grid(in_evaluation, 4, 3), follow=True)
    assert response.redirect_chain[-1][0] == reverse("contests:evaluation", args=[in_evaluation.slug])
    assert "Vous avez noté toutes les idées : merci." in response.content.decode()
    assert selectors.next_idea_to_score(juror, in_evaluation) is None


def test_a_bad_score_keeps_the_juror_on_the_idea_with_a_french_message(client, in_evaluation, juror, idea):
    client.force_login(juror)
    response = client.post(score_url(idea), grid(in_evaluation, 9, 3))
    assert response.status_code == 200
    assert "La note doit être comprise entre 1 et 5." in response.content.decode()
    assert "Une proposition." in response.content.decode()


def test_the_grid_shows_each_criterion_share_of_the_score(client, in_evaluation, juror, idea):
    client.force_login(juror)
    page = client.get(score_url(idea)).content.decode()
    assert "de 1 à 5, 67 % du score" in page and "de 1 à 5, 33 % du score" in page


# --- The ranking ---------------------------------------------------------------------------------------------


@pytest.fixture
def jury(in_evaluation, juror, make_user):
    others = [make_user(Role.JURY, username=f"jure{n}") for n in (2, 3)]
    in_evaluation.jury.add(*others)
    return [juror, *others]


def test_the_ranking_counts_the_jurors_and_their_spread(in_evaluation, jury, idea):
    score(idea, jury[0], 5, 5)  # 100
    score(idea, jury[1], 3, 4)  # (2 x 3/5 + 4/5) / 3 = 66.7
    (row,) = selectors.ranking(in_evaluation)
    assert (row.jurors_scored, row.jurors_expected) == (2, 3)
    assert (row.juror_min, row.juror_max, row.juror_deviation) == (66.7, 100.0, 16.7)
    assert row.score == 83.3


def test_an_idea_no_juror_scored_has_no_spread_and_no_nan(in_evaluation, jury, idea):
    (row,) = selectors.ranking(in_evaluation)
    assert (row.score, row.jurors_scored, row.jurors_expected) == (None, 0, 3)
    assert (row.juror_min, row.juror_max, row.juror_deviation) == (None, None, None)


def test_one_juror_gives_bounds_but_no_standard_deviation(in_evaluation, jury, idea):
    score(idea, jury[0], 4, 4)
    (row,) = selectors.ranking(in_evaluation)
    assert (row.jurors_scored, row.juror_min, row.juror_max, row.juror_deviation) == (1, 80.0, 80.0, None)


def test_a_juror_who_wrote_the_idea_is_not_expected_to_score_it(in_evaluation, jury, idea):
    idea.co_authors.add(jury[2])
    (row,) = selectors.ranking(in_evaluation)
    assert row.jurors_expected == 2


def test_the_ranking_page_shows_jurors_and_spread(client, dgs, in_evaluation, jury, idea):
    score(idea, jury[0], 5, 5)
    score(idea, jury[1], 3, 4)
    IdeaFactory(contest=in_evaluation, title="Pas encore notée")
    client.force_login(dgs)
    page = client.get(reverse("contests:ranking", args=[in_evaluation.slug])).content.decode()
    assert "2/3" in page and "66,7 à 100,0 (écart-type 16,7)" in page
    assert "0/3" in page and not re.search(r"\b(nan|inf|infinity)\b", page, re.IGNORECASE)
    assert 'Utilité <span class="help">(/5, 67 %)</span>' in page


@pytest.mark.parametrize("name", ["contests:ranking", "contests:export_scores_csv", "contests:export_scores_xlsx"])
def test_an_agent_may_not_read_the_ranking_nor_the_scores(client, agent, in_evaluation, name):
    client.force_login(agent)
    assert client.get(reverse(name, args=[in_evaluation.slug])).status_code == 403


@pytest.mark.parametrize("name", ["contests:ranking", "contests:export_scores_csv", "contests:export_scores_xlsx"])
def test_a_stranger_to_a_draft_contest_gets_404(client, agent, name):
    contest = ContestFactory(state="draft")
    client.force_login(agent)
    assert client.get(reverse(name, args=[contest.slug])).status_code == 404


def make_scored_ideas(contest, jury, count):
    for _index in range(count):
        idea = IdeaFactory(contest=contest)
        idea.co_authors.add(UserFactory())
        for juror in jury:
            score(idea, juror, 3, 4)


@pytest.mark.parametrize("name", ["contests:ranking", "contests:export_scores_csv", "contests:export_scores_xlsx"])
def test_the_ranking_and_the_score_export_cost_as_many_queries_for_60_ideas_as_for_10(
    client, dgs, in_evaluation, jury, name, django_assert_max_num_queries
):
    make_scored_ideas(in_evaluation, jury, 10)
    client.force_login(dgs)
    url = reverse(name, args=[in_evaluation.slug])

    def fetch():
        response = client.get(url)
        return b"".join(response.streaming_content) if response.streaming else response.content

    with CaptureQueriesContext(connection) as few:
        fetch()
    make_scored_ideas(in_evaluation, jury, 50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        fetch()


# --- The export of the jury's scores -------------------------------------------------------------------------


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_score_export_has_one_row_per_idea_juror_and_criterion(client, dgs, in_evaluation, jury, idea):
    services.scores_save(
        idea=idea,
        juror=jury[0],
        scores=dict(zip(in_evaluation.criteria.all(), [(5, "=SOMME(A1)"), (2, "Cher")], strict=True)),
    )
    score(idea, jury[1], 3, 4)
    IdeaFactory(contest=in_evaluation, title="Masquée", hidden_reason="Hors sujet")
    client.force_login(dgs)
    response = client.get(reverse("contests:export_scores_csv", args=[in_evaluation.slug]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="notes-{in_evaluation.slug}.csv"'
    header, *rows = csv_rows(response)
    assert header == [
        "id de l'idée",
        "idée",
        "auteurs",
        "membre du jury",
        "critère",
        "poids",
        "part du score (%)",
        "note",
        "note maximale",
        "commentaire",
    ]
    assert len(rows) == 4  # 1 idea x 2 jurors x 2 criteria; the hidden idea is left out
    first = next(row for row in rows if row[3] == str(jury[0]))
    assert first[1] == "Vélos partagés" and first[2] == str(idea.author)
    assert first[4:] == ["Utilité", "2", "67", "5", "5", "'=SOMME(A1)"]  # a formula is made inert


def test_a_blind_contest_exports_scores_without_authors(client, dgs, in_evaluation, juror, idea):
    in_evaluation.blind_evaluation = True
    in_evaluation.save()
    score(idea, juror, 4, 4)
    client.force_login(dgs)
    header, *rows = csv_rows(client.get(reverse("contests:export_scores_csv", args=[in_evaluation.slug])))
    assert "auteurs" not in header
    assert all(str(idea.author) not in cell for row in rows for cell in row)


def test_the_score_export_in_excel_has_the_same_rows(client, dgs, in_evaluation, juror, idea):
    score(idea, juror, 4, 3)
    client.force_login(dgs)
    response = client.get(reverse("contests:export_scores_xlsx", args=[in_evaluation.slug]))
    assert isinstance(response, FileResponse)
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][4:8] == ("Utilité", 2, 67, 4) and rows[2][4:8] == ("Coût", 1, 33, 3)


def test_an_empty_evaluation_exports_a_header_only(client, dgs, in_evaluation):
    client.force_login(dgs)
    assert len(csv_rows(client.get(reverse("contests:export_scores_csv", args=[in_evaluation.slug])))) == 1


def test_the_evaluation_list_links_to_the_first_idea_left_to_score(client, in_evaluation, juror, author):
    done = IdeaFactory(contest=in_evaluation, author=author, title="A vélo")
    IdeaFactory(contest=in_evaluation, author=author, title="B compost")
    score(done, juror, 3, 3)
    client.force_login(juror)
    page = client.get(reverse("contests:evaluation", args=[in_evaluation.slug])).content.decode()
    link = f'href="{score_url(IdeaFactory._meta.model.objects.get(title="B compost"))}">Noter l\'idée suivante</a>'
    assert link in page


def test_the_jury_progress_counts_as_each_juror_sees_it_in_fixed_queries(
    in_evaluation, jury, author, django_assert_max_num_queries
):
    ideas = [IdeaFactory(contest=in_evaluation, author=author) for _index in range(3)]
    ideas[0].co_authors.add(jury[1])  # jury[1] does not score the idea they co-wrote
    score(ideas[0], jury[0], 3, 3)
    score(ideas[1], jury[1], 3, 3)
    services.scores_save(idea=ideas[2], juror=jury[2], scores={in_evaluation.criteria.first(): (3, "")})  # partly
    expected = [(juror, *selectors.evaluation_progress(juror, in_evaluation)) for juror in jury]
    with django_assert_max_num_queries(5):
        progress = selectors.jury_progress(in_evaluation)
    assert sorted(progress, key=lambda row: row[0].pk) == sorted(expected, key=lambda row: row[0].pk)
    assert {row[0].username: row[1:] for row in progress} == {"jure": (1, 3), "jure2": (1, 2), "jure3": (0, 3)}
