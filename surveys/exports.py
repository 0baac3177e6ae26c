"""Downloads of a campaign: the aggregated results (CSV with a fixed header) and the responses
(one row per respondent, the format the import reads back)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.http import HttpResponse
from django.utils.translation import gettext as _

from common.exports import csv_chunks, file_sha256, fingerprinted, neutralise, xlsx_file
from surveys.answers import Structure
from surveys.imports import STATUS_COLUMN
from surveys.models import Answer, Campaign, Question, Response, ResponseFile
from surveys.results import Results, results_table

# A stable interface: columns are only ever appended.
RESULTS_HEADER = ["question", "choice", "count", "percent", "national_percent", "base"]


def _number(value: object) -> str:
    """Two decimals, with a point: the file is comma-separated."""
    return "" if value is None else f"{float(value):.2f}"


def _published(value: object) -> str:
    """A national percentage as published (53, not 53.0)."""
    return "" if value is None else f"{float(value):g}"


def results_csv(results: Results, filename: str) -> HttpResponse:
    """The stable interface: comma-separated, UTF-8 with a BOM, two decimals, formulas neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(RESULTS_HEADER)
    for question, choice, count, percent, national, base in results_table(results):
        writer.writerow([neutralise(question), neutralise(choice), count, _number(percent), _published(national), base])
    return response


def responses_header(structure: Structure) -> list[str]:
    return [STATUS_COLUMN, *structure.questions]


def _cell(question: Question, values: list[tuple[int, object]]) -> object:
    """Multiple choices as ``;``-separated codes, in the questionnaire's order of choices."""
    ordered = [value for _order, value in sorted(values, key=lambda pair: pair[0])]
    if question.kind == Question.Kind.MULTIPLE:
        return ";".join(str(value) for value in ordered)
    return ordered[0] if ordered else ""


def _row(status: str, answers: dict[str, list[tuple[int, object]]], structure: Structure) -> list[object]:
    label = "complete" if status == Response.Status.SUBMITTED else "partielle"
    return [label, *(_cell(q, answers.get(code, [])) for code, q in structure.questions.items())]


def responses_rows(campaign: Campaign, structure: Structure) -> Iterator[list[object]]:
    """One row per response, streamed from one ordered query (no identity: none is stored with answers)."""
    choice_order = {c.pk: c.order for q in structure.questions.values() for c in q.choice_list}
    answers = (
        Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id")
        .values_list("response_id", "response__status", "question__code", "choice_id", "choice__code", "number", "text")
    )
    current, status, values = None, "", {}
    for response_id, response_status, code, choice_id, choice_code, number, text in answers.iterator(chunk_size=5000):
        if response_id != current:
            if current is not None:
                yield _row(status, values, structure)
            current, status, values = response_id, response_status, {}
        value = choice_code if choice_id else (number if number is not None else text)
        values.setdefault(code, []).append((choice_order.get(choice_id, 0), value))
    if current is not None:
        yield _row(status, values, structure)


def _record_export(campaign: Campaign) -> Callable[[str], None]:
    """Remembers an export's fingerprint, so that importing it back into the campaign is refused
    (it would count every respondent twice)."""

    def record(sha256: str) -> None:
        ResponseFile.objects.create(campaign=campaign, kind=ResponseFile.Kind.EXPORTED, sha256=sha256)

    return record


def responses_csv_chunks(campaign: Campaign, structure: Structure) -> Iterator[bytes]:
    """The responses' CSV, streamed; its fingerprint is recorded as it is sent, before the last block."""
    chunks = csv_chunks(responses_header(structure), responses_rows(campaign, structure))
    return fingerprinted(chunks, _record_export(campaign))


def responses_xlsx_file(campaign: Campaign, structure: Structure) -> BinaryIO:
    """The responses' workbook in a temporary file, its fingerprint recorded."""
    out = xlsx_file(_("Réponses"), responses_header(structure), responses_rows(campaign, structure))
    _record_export(campaign)(file_sha256(out))
    return out
