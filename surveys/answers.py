"""The rules of one answer, shared by the answer pages and the imports.

A raw value (what a form or a spreadsheet cell holds) becomes a ``Value`` or a
``ValidationError`` whose message names the question, so that a respondent or the
person importing a file knows exactly what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from surveys.models import SCALE_POINTS, Choice, Question, Section

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
# A form's value (text, ticked codes) or a file's cell (text, number, date...): read through str().
Raw = object
# What a response says, by question code: choice codes, or the number / text as a string.
Given = Mapping[str, set[str]]


@dataclass(frozen=True)
class Value:
    choices: tuple[Choice, ...] = ()
    number: int | None = None
    text: str = ""

    def as_given(self) -> set[str]:
        """The value in the form conditions are written in (choice codes, or the value itself)."""
        if self.choices:
            return {choice.code for choice in self.choices}
        if self.number is not None:
            return {str(self.number)}
        return {self.text} if self.text else set()


@dataclass
class Structure:
    """A questionnaire's sections, questions and choices, loaded once per page."""

    sections: list[Section] = field(default_factory=list)  # each with its ``question_list``
    questions: dict[str, Question] = field(default_factory=dict)  # by code, in order


def _fail(question: Question, message: str) -> ValidationError:
    return ValidationError(
        _("Question %(code)s (« %(text)s ») : %(message)s")
        % {"code": question.code, "text": question.localized_text, "message": message},
        code="invalid_answer",
    )


def required_error(question: Question) -> ValidationError:
    return _fail(question, _("une réponse est obligatoire."))


def _as_list(raw: Raw, multiple: bool) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        items = [str(item) for item in raw]
    elif multiple:
        items = str(raw).split(";")
    else:
        items = [_as_text(raw)]
    return [item.strip() for item in items if item.strip()]


def _as_text(raw: Raw) -> str:
    # A spreadsheet gives 3.0 for the cell 3.
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _parse_choices(question: Question, codes: list[str]) -> Value:
    by_code = {choice.code: choice for choice in question.choice_list}
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise _fail(
            question,
            _("« %(value)s » n'est pas un choix proposé (choix possibles : %(codes)s).")
            % {"value": unknown[0], "codes": ", ".join(by_code)},
        )
    if question.kind == Question.Kind.SINGLE and len(codes) > 1:
        raise _fail(question, _("un seul choix est possible."))
    unique = list(dict.fromkeys(codes))
    return Value(choices=tuple(by_code[code] for code in unique))


def _parse_integer(question: Question, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _fail(question, _("un nombre entier est attendu (reçu : « %(value)s »).") % {"value": text}) from None


def _parse_scale(question: Question, text: str) -> Value:
    if text not in {str(point) for point in SCALE_POINTS}:
        raise _fail(question, _("la note doit être un entier de 1 à 5 (reçu : « %(value)s »).") % {"value": text})
    return Value(number=int(text))


def _parse_number(question: Question, text: str) -> Value:
    number = _parse_integer(question, text)
    if question.min_value is not None and number < question.min_value:
        raise _fail(question, _("le nombre doit être au moins %(min)s.") % {"min": question.min_value})
    if question.max_value is not None and number > question.max_value:
        raise _fail(question, _("le nombre doit être au plus %(max)s.") % {"max": question.max_value})
    return Value(number=number)


def _parse_text(question: Question, text: str) -> Value:
    limit = SHORT_TEXT_MAX if question.kind == Question.Kind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise _fail(
            question, _("%(limit)s caractères au plus (%(length)s reçus).") % {"limit": limit, "length": len(text)}
        )
    return Value(text=text)


def parse(question: Question, raw: Raw) -> Value | None:
    """The answer to ``question`` read from ``raw``; None when nothing was answered."""
    if question.has_choices:
        codes = _as_list(raw, multiple=True)
        return _parse_choices(question, codes) if codes else None
    if isinstance(raw, (list, tuple)):
        if len(raw) > 1:
            raise _fail(question, _("une seule valeur est attendue."))
        raw = raw[0] if raw else None
    text = "" if raw is None else _as_text(raw)
    if not text:
        return None
    if question.kind == Question.Kind.SCALE:
        return _parse_scale(question, text)
    if question.kind == Question.Kind.NUMBER:
        return _parse_number(question, text)
    return _parse_text(question, text)


def is_visible(question: Question, given: Given) -> bool:
    """A conditional question is asked only when the answer it depends on has the expected value."""
    if question.condition_question is None:
        return True
    return question.condition_value in given.get(question.condition_question.code, set())


def not_applicable_error(question: Question) -> ValidationError:
    condition = cast(Question, question.condition_question)  # only a conditional question is not applicable
    return _fail(
        question,
        _("elle ne s'applique que si la réponse à %(code)s est « %(value)s ».")
        % {"code": condition.code, "value": question.condition_value},
    )


def missing_required(questions: Iterable[Question], given: Given) -> list[Question]:
    """Required questions that apply to this response and have no answer."""
    return [q for q in questions if q.required and is_visible(q, given) and not given.get(q.code)]
