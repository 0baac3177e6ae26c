"""Downloads of a campaign: the aggregated results (CSV with a fixed header) and the responses
(one row per respondent, the format the import reads back)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import BinaryIO

from django.http import HttpResponse
from django.utils.translation import gettext as _

from common.exports import csv_chunks, file_sha256, fingerprinted, neutralise, xlsx_file
from surveys.answers import Structure
from surveys.imports import STATUS_COLUMN
from surveys.models import Answer, Campaign, Question, Response, ResponseFile
from surveys.results import Results, results_table

# A stable interface: columns are only ever appended.
RESULTS_HEADER = ["question", "choice", "count", "percent", "national_percent", "base", "note"]


def _number(value: float | None) -> str:
    """Two decimals, with a point: the file is comma-separated."""
    return "" if value is None else f"{float(value):.2f}"


def _published(value: Decimal | None) -> str:
    """A national percentage as published (53, not 53.0)."""
    return "" if value is None else f"{float(value):g}"


# Appended for a campaign of a national edition: the network's and the peers' percentages of each row.
EDITION_HEADER = ["network_percent", "peer_percent"]
EditionTable = Mapping[tuple[str, str], tuple[float | None, float | None, str]]


def results_csv(results: Results, filename: str, *, edition: EditionTable | None = None) -> HttpResponse:
    """The stable interface: comma-separated, UTF-8 with a BOM, two decimals, formulas neutralised.

    With ``edition`` (a campaign of a national edition, ``surveys.comparison.comparison_table``), two
    columns are appended; a row whose peers' figure is hidden says why in its note."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(RESULTS_HEADER + (EDITION_HEADER if edition is not None else []))
    for question, choice, count, percent, national, base, note in results_table(results):
        row = [neutralise(question), neutralise(choice), count, _number(percent), _published(national), base, note]
        if edition is not None:
            network, peers, peer_note = edition.get((question, choice), (None, None, ""))
            if peer_note and choice:
                row[-1] = f"{note} ; {peer_note}" if note else peer_note
            row += [_number(network), _number(peers)]
        writer.writerow(["" if cell is None else cell for cell in row])
    return response


def responses_header(structure: Structure) -> list[str]:
    return [STATUS_COLUMN, *structure.questions]


def responses_rows(campaign: Campaign, structure: Structure) -> Iterator[list[object]]:
    """One row per response, streamed from one ordered query (no identity: none is stored with answers).

    Question and choice codes come from the structure (no join per answer); multiple choices are
    ``;``-separated codes in the questionnaire's order of choices."""
    questions = list(structure.questions.values())
    columns = {q.pk: (index, q.kind == Question.Kind.MULTIPLE) for index, q in enumerate(questions)}
    choices = {c.pk: (c.order, c.code) for q in questions for c in q.choice_list}
    answers = (
        Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id")
        .values_list("response_id", "response__status", "question_id", "choice_id", "number", "text")
    )
    return _grouped(answers.iterator(chunk_size=5000), columns, choices, len(questions))


def _grouped(
    answers: Iterator[tuple[int, str, int, int | None, int | None, str]],
    columns: dict[int, tuple[int, bool]],
    choices: dict[int, tuple[int, str]],
    width: int,
) -> Iterator[list[object]]:
    current: int | None = None
    status = ""
    cells: list[object] = []
    picked: dict[int, list[tuple[int, str, bool]]] = {}
    for response_id, response_status, question_id, choice_id, number, text in answers:
        if response_id != current:
            if current is not None:
                yield _row(status, cells, picked)
            current, status, cells, picked = response_id, response_status, [""] * width, {}
        column = columns.get(question_id)
        if column is None:
            continue
        index, multiple = column
        if choice_id:
            picked.setdefault(index, []).append((*choices[choice_id], multiple))
        elif not picked.get(index) and cells[index] == "":
            cells[index] = number if number is not None else text
    if current is not None:
        yield _row(status, cells, picked)


def _row(status: str, cells: list[object], picked: dict[int, list[tuple[int, str, bool]]]) -> list[object]:
    for index, values in picked.items():
        values.sort(key=lambda value: value[0])
        cells[index] = ";".join(code for _order, code, _multiple in values) if values[0][2] else values[0][1]
    return ["complete" if status == Response.Status.SUBMITTED else "partielle", *cells]


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
