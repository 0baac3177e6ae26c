"""Results: counted by the database, beside the national figures, filtered by profile, never for small groups."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Campaign, Choice
from surveys.services import questionnaire_copy
from tests.surveys.builders import add_responses, page_text

RESULTS = "surveys:results"


def results_of(client, campaign, query: str = ""):
    return client.get(reverse(RESULTS, args=[campaign.slug]) + query).context["results"]


def question(results, code: str):
    return next(r for section in results.sections for r in section.questions if r.question.code == code)


def rows(results, code: str) -> dict[str, tuple[int, float | None]]:
    return {
        row.code: (row.count, round(row.percent, 1) if row.percent is not None else None)
        for row in question(results, code).rows
    }


def csv_rows(client, campaign, query: str = "") -> list[list[str]]:
    body = client.get(reverse("surveys:results_csv", args=[campaign.slug]) + query).content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.fixture
def answered(campaign):
    """12 respondents: 6 commune directors (managerial), 6 EPCI project leads (4 societal)."""
    add_responses(
        campaign, 6, {"A1": "commune", "A2": "directeur", "B1": "managerial", "B2": ["organisation", "services"]}
    )
    add_responses(campaign, 2, {"A1": "epci", "A2": "chef_projet", "B1": "managerial", "C1": ["politique"]})
    add_responses(campaign, 4, {"A1": "epci", "A2": "chef_projet", "B1": "societal", "B2": ["ntic"]}, complete=False)
    return campaign


def test_counts_and_percentages_sit_beside_the_national_figures(client, dgs, answered):
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[answered.slug]))
    results = response.context["results"]
    assert (results.total, results.complete, results.partial) == (12, 8, 4)
    assert rows(results, "B1") == {"managerial": (8, 66.7), "societal": (4, 33.3)}
    b1 = question(results, "B1")
    assert [float(row.national.percent) for row in b1.rows] == [53, 47]
    page = page_text(response)
    assert "67\xa0%" in page and "53\xa0%" in page and "47\xa0%" in page
    assert "12 répondants dans cette sélection" in page
    assert "Étude nationale : 311 répondants, 50 % de réponses complètes." in page


def test_a_multiple_choice_counts_each_choice_against_the_respondents_to_the_question(client, dgs, answered):
    client.force_login(dgs)
    results = results_of(client, answered)
    assert rows(results, "B2") == {
        "organisation": (8, 66.7),
        "services": (6, 50.0),
        "outils_gestion": (0, 0.0),
        "ntic": (4, 33.3),
        "modeles_economiques": (0, 0.0),
    }
    assert question(results, "B2").base == 12
    c1 = rows(results, "C1")
    assert c1["administratif"] == (10, 83.3) and c1["politique"] == (2, 16.7)


@pytest.mark.parametrize(
    ("query", "total", "managerial"),
    [
        ("?type=epci", 6, 2),
        ("?type=commune", 6, 6),
        ("?fonction=chef_projet", 6, 2),
        ("?type=epci&fonction=chef_projet", 6, 2),
        ("?reponses=completes", 8, 8),
    ],
)
def test_filters_by_respondent_profile(client, dgs, answered, query, total, managerial):
    client.force_login(dgs)
    results = results_of(client, answered, query)
    assert results.total == total
    assert rows(results, "B1")["managerial"][0] == managerial


def test_an_invalid_filter_is_reported_and_ignored(client, dgs, answered):
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[answered.slug]) + "?type=metropole")
    assert response.status_code == 200
    assert "Certains filtres sont invalides" in page_text(response)
    assert response.context["results"].total == 12


def test_no_result_is_shown_for_a_group_of_fewer_than_five(client, dgs, answered):
    add_responses(answered, 4, {"A1": "region"})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[answered.slug]) + "?type=region")
    page = page_text(response)
    assert "Moins de 5 répondants dans cette sélection : aucun résultat n'est affiché" in page
    assert response.context["results"].sections == []
    assert "data-figure" not in page
    assert csv_rows(client, answered, "?type=region") == [
        ["question", "choice", "count", "percent", "national_percent", "base", "note"],
        ["", "", "", "", "", "", "masqué : moins de 5 répondants"],
    ]


def test_a_whole_campaign_of_fewer_than_five_shows_nothing(client, copil, campaign):
    add_responses(campaign, 4)
    client.force_login(copil)
    assert results_of(client, campaign).suppressed


def test_a_question_answered_by_fewer_than_five_is_not_shown(client, dgs, campaign):
    add_responses(campaign, 3, {"E1": "oui", "E2": "notable"})
    add_responses(campaign, 3, {"E1": "non"})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    e2 = question(response.context["results"], "E2")
    assert e2.suppressed and e2.rows == []
    notice = "Moins de 5 répondants ont répondu à cette question : résultat masqué pour protéger l'anonymat."
    assert notice in page_text(response)
    assert [row for row in csv_rows(client, campaign) if row[0] == "E2"] == [
        ["E2", "", "", "", "", "", "masqué : moins de 5 répondants"]
    ]


def test_where_only_an_ordering_was_published_the_rankings_sit_side_by_side(client, dgs, answered):
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[answered.slug]))
    b2 = question(response.context["results"], "B2")
    assert {row.code: (row.local_rank, row.national.rank) for row in b2.rows} == {
        "organisation": (1, 1),
        "services": (2, 1),
        "outils_gestion": (4, 3),
        "ntic": (3, 3),
        "modeles_economiques": (4, 3),
    }
    page = page_text(response)
    assert "L'étude nationale n'a publié qu'un ordre pour cette question" in page
    b2_csv = [row for row in csv_rows(client, answered) if row[0] == "B2"]
    assert all(row[4] == "" for row in b2_csv), "no national percentage is invented where only ranks exist"


def test_the_determinant_families_are_compared_by_mean_score_and_rank(client, dgs, campaign):
    add_responses(campaign, 5, {"F1": 1, "F2": 2, "G1": 4, "H1": 3, "H2": 4})
    add_responses(campaign, 5, {"F1": 2, "G1": 4, "G2": 5, "H1": 2})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    families = {
        f.section.code: (round(f.mean, 2), f.local_rank, f.national.rank) for f in response.context["results"].families
    }
    assert families == {"F": (1.67, 3, 3), "G": (4.33, 1, 2), "H": (3.0, 2, 1)}
    assert response.context["results"].radar_id == "figure-determinants"
    assert '"type":"scatterpolar"' in response.content.decode().replace(" ", "")


def test_facilitators_are_ranked_by_mean_beside_the_national_ordering(client, dgs, campaign):
    add_responses(campaign, 5, {"D1": 5, "D2": 4, "D6": 2, "D7": 1})
    client.force_login(dgs)
    section = next(s for s in results_of(client, campaign).sections if s.section.code == "D")
    ranks = {
        r.question.code: (r.local_rank, r.national.rank if r.national else None, r.mean) for r in section.questions
    }
    assert ranks["D1"] == (1, 1, 5) and ranks["D2"] == (2, 1, 4) and ranks["D7"] == (4, 6, 1)
    assert ranks["D3"] == (None, 1, None)


def test_free_text_answers_are_listed(client, copil, campaign):
    add_responses(campaign, 6, {"I2": "Des agents plus autonomes"})
    add_responses(campaign, 1, {"I2": "Une économie de papier"})
    client.force_login(copil)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    i2 = question(response.context["results"], "I2")
    assert i2.base == 7 and len(i2.texts) == 5 and i2.texts[0] == "Une économie de papier"
    assert "Voir les 7 réponses" in page_text(response)
    texts = client.get(reverse("surveys:results_texts", args=[campaign.slug, "I2"]))
    assert "7 réponses libres" in page_text(texts)
    assert page_text(texts).count("Des agents plus autonomes") == 6


def test_the_free_text_page_is_paginated_and_follows_the_filters(client, copil, campaign):
    add_responses(campaign, 30, {"I2": "Commune"})
    add_responses(campaign, 5, {"A1": "epci", "I2": "Intercommunalité"})
    client.force_login(copil)
    url = reverse("surveys:results_texts", args=[campaign.slug, "I2"])
    assert len(client.get(url).context["page"]) == 25
    epci = page_text(client.get(url + "?type=epci"))
    assert "Intercommunalité" in epci and "Commune" not in epci.split("réponses libres")[1]


def test_the_free_text_page_shows_nothing_for_fewer_than_five(client, copil, campaign):
    add_responses(campaign, 6)
    add_responses(campaign, 2, {"B5": "Un récit reconnaissable"})
    client.force_login(copil)
    response = client.get(reverse("surveys:results_texts", args=[campaign.slug, "B5"]))
    assert "Un récit reconnaissable" not in page_text(response)
    assert "Moins de 5 répondants" in page_text(response)


def test_the_free_text_page_of_a_question_that_is_not_free_text_is_a_404(client, copil, campaign):
    client.force_login(copil)
    assert client.get(reverse("surveys:results_texts", args=[campaign.slug, "B1"])).status_code == 404
    assert client.get(reverse("surveys:results_texts", args=[campaign.slug, "Z9"])).status_code == 404


def test_results_of_another_edition_compare_by_question_code(client, dgs, campaign, questionnaire):
    add_responses(campaign, 5, {"B1": "managerial"})
    add_responses(campaign, 5, {"B1": "societal"})
    edition = questionnaire_copy(source=questionnaire, edition="2026", year=2026)
    later = Campaign.objects.create(
        questionnaire=edition, title="Cadres 2028", slug="cadres-2028", status="closed", created_by=dgs
    )
    add_responses(later, 8, {"B1": "managerial", "D1": 4})
    add_responses(later, 2, {"B1": "societal", "D1": 2})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]) + "?comparer=cadres-2028")
    results = response.context["results"]
    assert results.compared == later and results.compare_total == 10
    assert {row.code: row.compare_percent for row in question(results, "B1").rows} == {
        "managerial": 80.0,
        "societal": 20.0,
    }
    d = next(s for s in results.sections if s.section.code == "D")
    assert d.questions[0].compare_mean == 3.6
    assert "Cadres 2028" in page_text(response)


def test_a_compared_campaign_with_fewer_than_five_respondents_is_not_shown(client, dgs, campaign, questionnaire):
    add_responses(campaign, 5)
    other = Campaign.objects.create(
        questionnaire=questionnaire, title="Petite", slug="petite", status="open", created_by=dgs
    )
    add_responses(other, 2)
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]) + "?comparer=petite")
    assert response.context["results"].compare_suppressed
    assert "la comparaison n'est pas affichée" in page_text(response)
    assert all(row.compare_percent is None for row in question(response.context["results"], "B1").rows)


def test_the_results_csv_has_the_stable_header_and_the_national_percentages(client, copil, answered):
    client.force_login(copil)
    response = client.get(reverse("surveys:results_csv", args=[answered.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="resultats-cadres-2026.csv"' in response["Content-Disposition"]
    table = csv_rows(client, answered)
    assert table[0] == ["question", "choice", "count", "percent", "national_percent", "base", "note"]
    assert ["C1", "administratif", "10", "83.33", "78", "12", ""] in table
    assert ["B2", "ntic", "4", "33.33", "", "12", ""] in table
    assert [row for row in table if row[0] == "B1"] == [
        ["B1", "managerial", "8", "66.67", "53", "12", ""],
        ["B1", "societal", "4", "33.33", "47", "12", ""],
    ]


def test_the_results_csv_follows_the_filters(client, dgs, answered):
    client.force_login(dgs)
    assert ["B1", "managerial", "2", "33.33", "53", "6", ""] in csv_rows(client, answered, "?type=epci")


def test_the_results_csv_neutralises_formulas(client, dgs, campaign):
    Choice.objects.filter(question__questionnaire=campaign.questionnaire, question__code="A1", code="autre").update(
        code="=HYPERLINK(1)"
    )
    add_responses(campaign, 5, {"A1": "=HYPERLINK(1)"})
    client.force_login(dgs)
    assert ["A1", "'=HYPERLINK(1)", "5", "100.00", "", "5", ""] in csv_rows(client, campaign)


def test_chart_labels_from_the_questionnaire_are_escaped_for_plotly(client, dgs, campaign):
    Choice.objects.filter(question__code="B1", code="managerial").update(label="<b>Managériale</b>")
    add_responses(campaign, 5)
    client.force_login(dgs)
    page = client.get(reverse(RESULTS, args=[campaign.slug])).content.decode()
    assert "<b>Managériale</b>" not in page
    assert 'data-figure="figure-b1"' in page and 'id="figure-b1"' in page


def _results_queries(client, campaign, query: str) -> int:
    cache.clear()  # the tallies are recounted: the cost of a first read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(RESULTS, args=[campaign.slug]) + query)
    assert response.status_code == 200
    return len(queries.captured_queries)


MANY = {"A4": 250, "B4": "Guichet", "D1": 4, "E1": "oui", "E2": "peu_ou_pas", "F1": 2, "G1": 3, "H1": 5, "I2": "Texte"}


@pytest.mark.parametrize("query", ["", "?type=commune&fonction=directeur&reponses=completes"])
def test_the_results_page_makes_as_many_queries_for_10000_responses_as_for_10(
    client, dgs, campaign, questionnaire, django_assert_num_queries, query
):
    other = Campaign.objects.create(
        questionnaire=questionnaire, title="Autre", slug="autre", status="open", created_by=dgs
    )
    add_responses(other, 10, MANY)
    query = query + ("&" if query else "?") + "comparer=autre"
    client.force_login(dgs)
    add_responses(campaign, 10, MANY)
    small = _results_queries(client, campaign, query)
    add_responses(campaign, 9_990, MANY)
    cache.clear()
    with django_assert_num_queries(small):
        response = client.get(reverse(RESULTS, args=[campaign.slug]) + query)
    assert response.context["results"].total == 10_000
    assert rows(response.context["results"], "B1")["managerial"] == (10_000, 100.0)


def test_the_results_csv_gives_each_question_its_own_base(client, dgs, campaign):
    add_responses(campaign, 6, {"E1": "oui", "E2": "notable", "D1": 4})
    add_responses(campaign, 3, {"E1": "non", "D1": 2})
    add_responses(campaign, 2)
    client.force_login(dgs)
    table = csv_rows(client, campaign)
    bases = {row[0]: row[5] for row in table[1:]}
    assert (bases["A1"], bases["E1"], bases["E2"], bases["D1"]) == ("11", "9", "6", "9")
    assert ["E1", "oui", "6", "66.67", "", "9", ""] in table
    assert ["D1", "2", "3", "33.33", "", "9", ""] in table
    assert all(len(row) == 7 for row in table)
