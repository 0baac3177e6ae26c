"""Small groups protected everywhere: no mean, radar point, rank, figure or free text from fewer
than five respondents, whatever the filters, and each hidden item says why."""

import re

import pytest
from django.urls import reverse

from surveys.models import Campaign
from tests.surveys.builders import add_responses, page_text

RESULTS = "surveys:results"
FAMILY_NOTICE = "moins de 5 répondants ont répondu à cette famille"
SECTION_NOTICE = "Moins de 5 répondants ont répondu à cette section : résultats masqués pour protéger l'anonymat."
SCORES = {"D1": 4, "D2": 3, "F1": 2, "F2": 3, "G1": 4, "G2": 3, "H1": 4, "H2": 5}


def families(results) -> dict[str, object]:
    return {family.section.code: family for family in results.families}


def section_text(page: str, code: str) -> str:
    """The text of one section of the results page, from its heading to the next section."""
    start = page.index(f'id="section-{code.lower()}"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def epci_four_of_five(campaign):
    """6 commune respondents who scored everything; 5 EPCI respondents, 4 of whom scored D and F/G/H."""
    add_responses(campaign, 6, {"A1": "commune", **SCORES})
    add_responses(campaign, 4, {"A1": "epci", "D1": 2, "D2": 2, "F1": 2, "G1": 4, "H1": 4, "H2": 4})
    add_responses(campaign, 1, {"A1": "epci"})
    return campaign


def test_with_the_epci_filter_no_family_mean_no_radar_point_and_a_notice(client, dgs, epci_four_of_five):
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[epci_four_of_five.slug]) + "?type=epci")
    results = response.context["results"]
    assert results.total == 5
    for family in families(results).values():
        assert (family.base, family.suppressed, family.mean, family.local_rank) == (4, True, None, None)
    assert results.radar_id == ""
    assert all(figure_id != "figure-determinants" for figure_id, _figure in response.context["figures"])
    page = page_text(response)
    assert 'data-figure="figure-determinants"' not in page
    families_block = page.split('id="families-title"')[1].split("</section>")[0]
    assert (
        "Moins de 5 répondants ont répondu à chacune des familles de facteurs : notes moyennes, rangs et radar "
        "sont masqués pour protéger l'anonymat." in families_block
    )
    assert "2,0" not in families_block and "4,0" not in families_block, "no mean of 4 people"


def test_with_the_epci_filter_the_scored_sections_say_why_they_are_empty(client, dgs, epci_four_of_five):
    client.force_login(dgs)
    page = page_text(client.get(reverse(RESULTS, args=[epci_four_of_five.slug]) + "?type=epci"))
    for code in ("d", "f", "g", "h"):
        section = section_text(page, code)
        assert SECTION_NOTICE in section, code
        assert "<table" not in section, code


def test_without_the_filter_the_same_families_have_their_means(client, dgs, epci_four_of_five):
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[epci_four_of_five.slug]))
    by_code = families(response.context["results"])
    assert {code: family.base for code, family in by_code.items()} == {"F": 10, "G": 10, "H": 10}
    assert by_code["F"].mean == 38 / 16  # 6 × (2 + 3) and 4 × 2: 16 scores
    assert not any(family.suppressed for family in by_code.values())
    assert response.context["results"].radar_id == "figure-determinants"
    assert FAMILY_NOTICE not in page_text(response)


def test_a_family_scored_by_fewer_than_five_is_left_out_of_the_ranks_and_of_the_radar(client, dgs, campaign):
    add_responses(campaign, 5, {"F1": 2, "G1": 3})
    add_responses(campaign, 3, {"H1": 5})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    by_code = families(response.context["results"])
    assert {code: (f.base, f.mean, f.local_rank) for code, f in by_code.items()} == {
        "F": (5, 2.0, 2),
        "G": (5, 3.0, 1),
        "H": (3, None, None),
    }
    # Two families left: no radar (it needs three axes), the table gives their means.
    assert "figure-determinants" not in dict(response.context["figures"])
    page = page_text(response)
    assert f"« Facteurs propres à l'innovation » : {FAMILY_NOTICE}" in page
    assert SECTION_NOTICE in section_text(page, "h")


def test_a_section_whose_every_question_is_hidden_says_so(client, dgs, campaign):
    add_responses(campaign, 3, {"D1": 4})
    add_responses(campaign, 3, {"D2": 2})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    d = next(s for s in response.context["results"].sections if s.section.code == "D")
    assert d.base == 6 and not d.suppressed and d.hidden
    section = section_text(page_text(response), "d")
    assert "Moins de 5 répondants ont répondu à chacune des questions de cette section" in section
    assert "<table" not in section


def test_an_item_scored_by_fewer_than_five_is_hidden_with_its_reason_and_not_ranked(client, dgs, campaign):
    add_responses(campaign, 5, {"D1": 4, "D2": 3})
    add_responses(campaign, 3, {"D3": 5})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    d = next(s for s in response.context["results"].sections if s.section.code == "D")
    ranks = {r.question.code: (r.local_rank, r.mean) for r in d.questions if r.base}
    assert ranks == {"D1": (1, 4.0), "D2": (2, 3.0), "D3": (None, None)}
    assert "Masqué : moins de 5 répondants ont noté cet élément (anonymat)." in section_text(page_text(response), "d")


def test_a_section_nobody_answered_says_so(client, dgs, campaign):
    add_responses(campaign, 5)
    client.force_login(dgs)
    page = page_text(client.get(reverse(RESULTS, args=[campaign.slug])))
    assert "Aucune réponse à cette section dans cette sélection." in section_text(page, "f")
    assert "Aucune réponse aux facteurs déterminants dans cette sélection." in page


def test_free_texts_of_fewer_than_five_writers_are_not_previewed_even_with_empty_answers(client, dgs, campaign):
    add_responses(campaign, 5)
    add_responses(campaign, 3, {"I2": "Un récit reconnaissable"})
    add_responses(campaign, 2, {"I2": ""})  # empty cells of an old import: not answers
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]))
    i2 = next(r for s in response.context["results"].sections for r in s.questions if r.question.code == "I2")
    assert (i2.base, i2.suppressed, i2.texts) == (3, True, [])
    assert "Un récit reconnaissable" not in page_text(response)
    texts = page_text(client.get(reverse("surveys:results_texts", args=[campaign.slug, "I2"])))
    assert "Un récit reconnaissable" not in texts
    assert "Moins de 5 répondants ont répondu à cette question dans cette sélection" in texts


def test_free_texts_are_hidden_when_the_filtered_group_is_small(client, dgs, campaign):
    add_responses(campaign, 6, {"I2": "Commune"})
    add_responses(campaign, 4, {"A1": "epci", "I2": "Intercommunalité"})
    client.force_login(dgs)
    texts = page_text(client.get(reverse("surveys:results_texts", args=[campaign.slug, "I2"]) + "?type=epci"))
    assert "Intercommunalité" not in texts and "Moins de 5 répondants" in texts


def test_a_compared_question_answered_by_fewer_than_five_there_is_not_compared(client, dgs, campaign, questionnaire):
    add_responses(campaign, 5, {"D1": 4, "B1": "managerial"})
    other = Campaign.objects.create(
        questionnaire=questionnaire, title="Cadres 2025", slug="cadres-2025", status="closed", created_by=dgs
    )
    add_responses(other, 7, {"B1": "societal"})
    add_responses(other, 3, {"D1": 1})
    client.force_login(dgs)
    response = client.get(reverse(RESULTS, args=[campaign.slug]) + "?comparer=cadres-2025")
    by_code = {r.question.code: r for s in response.context["results"].sections for r in s.questions}
    assert (by_code["D1"].compare_base, by_code["D1"].compare_mean) == (None, None)
    assert by_code["B1"].compare_base == 10
    assert {row.code: row.compare_percent for row in by_code["B1"].rows} == {"managerial": 30.0, "societal": 70.0}


def test_a_group_under_five_shows_its_size_but_not_its_split(client, dgs, campaign):
    add_responses(campaign, 6)
    add_responses(campaign, 3, {"A1": "region"}, complete=False)
    client.force_login(dgs)
    page = page_text(client.get(reverse(RESULTS, args=[campaign.slug]) + "?type=region"))
    assert "3 répondants dans cette sélection" in page
    assert not re.search(r"\d+ réponses complètes, \d+ partielles", page)
