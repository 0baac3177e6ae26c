"""Builders of survey data for the tests: responses in bulk, with given answers."""

from __future__ import annotations

from django.utils import timezone

from surveys.models import Answer, Campaign, Question, Response
from surveys.selectors import questionnaire_structure
from surveys.tallies import tally_add

# A complete, valid set of answers to the required questions of the national questionnaire.
REQUIRED = {"A1": "commune", "A2": "directeur", "B1": "managerial", "B2": ["organisation"], "C1": ["administratif"]}


def add_responses(
    campaign: Campaign, count: int, answers: dict[str, object] | None = None, *, complete: bool = True
) -> list[Response]:
    """``count`` responses with the same answers (choice codes, lists of codes, scores or texts), in bulk."""
    structure = questionnaire_structure(campaign.questionnaire)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            campaign=campaign,
            origin=Response.Origin.IMPORT,
            status=Response.Status.SUBMITTED if complete else Response.Status.IN_PROGRESS,
            submitted_at=now if complete else None,
        )
        for _ in range(count)
    )
    rows = []
    for code, value in {**REQUIRED, **(answers or {})}.items():
        question = structure.questions[code]
        choices = {c.code: c for c in question.choice_list}
        for response in responses:
            rows += _answer(response, question, value, choices)
    Answer.objects.bulk_create(rows, batch_size=5000)
    tally_add(campaign_id=campaign.pk, responses=responses, answers=rows)  # as an import counts them
    return responses


def _answer(response: Response, question: Question, value: object, choices: dict) -> list[Answer]:
    if value is None:
        return []
    if question.has_choices:
        codes = value if isinstance(value, list) else [value]
        return [Answer(response=response, question=question, choice=choices[code]) for code in codes]
    if isinstance(value, int):
        return [Answer(response=response, question=question, number=value)]
    return [Answer(response=response, question=question, text=str(value))]


def page_text(response) -> str:  # noqa: ANN001
    """The page's HTML with entities decoded (apostrophes come out as &#x27;)."""
    from html import unescape

    return unescape(response.content.decode())
