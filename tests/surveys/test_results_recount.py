"""The results selector counts exactly what a straightforward recount of the answers gives, on a
varied data set (choices, multiple choices, scores, numbers, texts, partial responses), with and
without filters and with a compared campaign; a saved page or an erasure is counted at once."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.answers import Value
from surveys.models import Answer, Campaign, Choice, Invitation, Question, Response
from surveys.results import MIN_GROUP, TEXT_PREVIEW, campaign_results
from surveys.selectors import questionnaire_structure
from surveys.services import questionnaire_copy, respondent_erase, response_save_section
from surveys.tallies import tally_add

FILTERS = [
    {},
    {"type": "epci"},
    {"type": "commune", "fonction": "directeur"},
    {"fonction": "chef_projet", "reponses": "completes"},
    {"reponses": "completes"},
]


def _random_answers(response: Response, structure, rng: random.Random) -> list[Answer]:
    rows = []
    for question in structure.questions.values():
        if rng.random() < 0.15:  # a question left unanswered
            continue
        if question.kind == Question.Kind.SINGLE:
            rows.append(Answer(response=response, question=question, choice=rng.choice(question.choice_list)))
        elif question.kind == Question.Kind.MULTIPLE:
            picked = rng.sample(question.choice_list, rng.randint(1, len(question.choice_list)))
            rows += [Answer(response=response, question=question, choice=choice) for choice in picked]
        elif question.kind == Question.Kind.SCALE:
            rows.append(Answer(response=response, question=question, number=rng.randint(1, 5)))
        elif question.kind == Question.Kind.NUMBER:
            rows.append(Answer(response=response, question=question, number=rng.randint(0, 900)))
        else:  # a text, sometimes an empty cell of an old import (no answer)
            rows.append(Answer(response=response, question=question, text=rng.choice(["", "Oui", "Un récit"])))
    return rows


def _fill(campaign: Campaign, count: int, seed: int) -> None:
    structure = questionnaire_structure(campaign.questionnaire)
    rng = random.Random(seed)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(campaign=campaign, origin="import", status="submitted", submitted_at=now)
        if rng.random() < 0.7
        else Response(campaign=campaign, origin="import")
        for _ in range(count)
    )
    answers = [row for r in responses for row in _random_answers(r, structure, rng)]
    Answer.objects.bulk_create(answers)
    tally_add(campaign_id=campaign.pk, responses=responses, answers=answers)  # as an import counts them


@pytest.fixture
def varied(campaign, questionnaire, dgs):
    cache.clear()
    _fill(campaign, 150, seed=1)
    other = Campaign.objects.create(
        questionnaire=questionnaire, title="Vague précédente", slug="vague-1", status="closed", created_by=dgs
    )
    _fill(other, 120, seed=2)
    return campaign


def _selected(campaign: Campaign, params: dict) -> list[Response]:
    """The filtered responses, chosen in Python from each response's own answers."""
    profile = {"type": "A1", "fonction": "A2"}
    chosen = []
    for response in campaign.responses.prefetch_related("answers__question", "answers__choice"):
        ticked = {(a.question.code, a.choice.code) for a in response.answers.all() if a.choice}
        if params.get("reponses") and not response.is_submitted:
            continue
        if all((profile[name], params[name]) in ticked for name in profile if name in params):
            chosen.append(response)
    return chosen


def _recount(responses: list[Response]) -> dict:
    """Per question code: respondents, counts per choice code or score, values; per section: scorers."""
    people, counts, values, texts, scorers = defaultdict(set), defaultdict(int), defaultdict(list), {}, defaultdict(set)
    for response in responses:
        for answer in sorted(response.answers.all(), key=lambda a: a.pk):
            code = answer.question.code
            if answer.choice is None and answer.number is None and not answer.text:
                continue
            people[code].add(response.pk)
            if answer.choice:
                counts[(code, answer.choice.code)] += 1
            elif answer.number is not None:
                values[code].append(answer.number)
                counts[(code, str(answer.number))] += 1
                if answer.question.kind == Question.Kind.SCALE:
                    scorers[answer.question.section_id].add(response.pk)
            else:
                texts.setdefault(code, []).append((answer.pk, answer.text))
    return {"people": people, "counts": counts, "values": values, "texts": texts, "scorers": scorers}


def _assert_same(results, recount: dict) -> None:
    for section in results.sections:
        assert section.base == len(recount["scorers"][section.section.pk]), section.section.code
        for result in section.questions:
            code = result.question.code
            base = len(recount["people"][code])
            assert result.base == base, code
            if base == 0:  # nobody answered: zeros, no percentage
                assert all((row.count, row.percent) == (0, None) for row in result.rows), code
                continue
            if base < MIN_GROUP:
                assert (result.rows, result.mean, result.texts) == ([], None, []), code
                continue
            for row in result.rows:
                assert row.count == recount["counts"][(code, row.code)], (code, row.code)
                assert row.percent == pytest.approx(100 * row.count / base)
            if recount["values"][code]:
                numbers = recount["values"][code]
                assert result.mean == pytest.approx(sum(numbers) / len(numbers)), code
                assert (result.minimum, result.maximum) == (min(numbers), max(numbers)), code
            if result.question.is_text:
                latest = sorted(recount["texts"][code], reverse=True)[:TEXT_PREVIEW]
                assert result.texts == [text for _pk, text in latest], code


@pytest.mark.parametrize("params", FILTERS)
def test_the_results_are_those_of_a_recount_of_the_answers(varied, structure, params):
    results = campaign_results(campaign=varied, structure=structure, params=params, comparable=Campaign.objects.all())
    chosen = _selected(varied, params)
    assert results.total == len(chosen)
    assert results.complete == sum(r.is_submitted for r in chosen)
    if results.suppressed:
        assert results.sections == []
        return
    _assert_same(results, _recount(chosen))


@pytest.mark.parametrize("params", [FILTERS[0], FILTERS[1], FILTERS[4]])
def test_the_compared_campaign_is_that_of_a_recount_of_its_answers(varied, structure, params):
    other = Campaign.objects.get(slug="vague-1")
    query = {**params, "comparer": "vague-1"}
    results = campaign_results(campaign=varied, structure=structure, params=query, comparable=Campaign.objects.all())
    chosen = _selected(other, params)
    assert results.compare_total == len(chosen)
    recount = _recount(chosen)
    for section in results.sections:
        for result in section.questions:
            base = len(recount["people"][result.question.code])
            if result.suppressed or base < MIN_GROUP:
                assert result.compare_base is None
                continue
            assert result.compare_base == base
            for row in result.rows:
                expected = 100 * recount["counts"][(result.question.code, row.code)] / base
                assert row.compare_percent == pytest.approx(expected)


def _read(campaign: Campaign, structure) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        results = campaign_results(
            campaign=campaign, structure=structure, params={}, comparable=Campaign.objects.none()
        )
    return results, len(queries.captured_queries)


def test_a_saved_page_and_an_erasure_are_counted_at_once(varied, structure, questionnaire):
    invitation = Invitation.objects.create(campaign=varied, email="a@exemple.fr", token="t" * 40)
    before, _queries = _read(varied, structure)
    b1 = structure.questions["B1"]
    section = next(s for s in structure.sections if s.code == "B")
    response_save_section(
        invitation=invitation,
        structure=structure,
        section=section,
        step=2,
        values={"B1": Value(choices=(b1.choice_list[0],))},
    )
    after, _queries = _read(varied, structure)
    assert after.total == before.total + 1
    assert after.sections[1].questions[0].base == before.sections[1].questions[0].base + 1
    respondent_erase(invitation=invitation)
    assert _read(varied, structure)[0].total == before.total


def test_a_compared_edition_without_the_profile_chosen_counts_nobody(varied, structure, questionnaire, dgs):
    edition = questionnaire_copy(source=questionnaire, edition="2030", year=2030)
    Choice.objects.filter(question__questionnaire=edition, question__code="A1", code="epci").delete()
    later = Campaign.objects.create(questionnaire=edition, title="2030", slug="v2030", status="closed", created_by=dgs)
    _fill(later, 30, seed=3)
    params = {"type": "epci", "comparer": "v2030"}
    results = campaign_results(campaign=varied, structure=structure, params=params, comparable=Campaign.objects.all())
    assert results.total >= MIN_GROUP
    assert results.compare_total == 0 and results.compare_suppressed
