"""Responses from a file: CSV (``,`` ``;`` or tab separated) or XLSX, one row per respondent,
one column per question code, multiple choices as ``;``-separated codes, and an optional
``statut`` column (``complete`` or ``partielle``). An empty status (or no such column) is
accepted only for a row complete by the questionnaire's own rule (every required question
that applies answered), which is then imported as complete; otherwise the line is refused.
Nothing is imported into a campaign still in preparation.

Every row is checked before anything is written; each error names its line and column,
and a file with any error imports nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import load_workbook

from accounts.models import User
from audit import services as audit
from surveys.answers import Structure, Value, is_visible, missing_required, not_applicable_error, parse, required_error
from surveys.models import Answer, Campaign, Question, Response, ResponseFile
from surveys.tallies import tally_add

STATUS_COLUMN = "statut"
COMPLETE = {"complete", "complète"}
PARTIAL = {"partielle", "partial"}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Ligne %(line)s, colonne %(column)s : %(message)s") % {
            "line": self.line,
            "column": self.column or "—",
            "message": self.message,
        }


@dataclass
class ImportReport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Row:
    complete: bool
    values: dict[str, Value]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what Excel in French writes by default


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    # Header, MAX_ROWS answers, and one more to know the file is too long: no need to read further.
    rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
    return [["" if cell is None else cell for cell in row] for row in rows]


def read_table(data: bytes) -> list[Sequence[object]]:
    """The rows of a CSV or XLSX file (recognised by its content, not its name), header first."""
    if len(data) > settings.SURVEY_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("Le fichier dépasse %(limit)s.") % {"limit": filesizeformat(settings.SURVEY_IMPORT_MAX_BYTES)}
        )
    try:
        table = _read_xlsx(data) if data.startswith(b"PK\x03\x04") else _read_csv(data)
    except Exception as error:  # any file may be uploaded: whatever fails to parse is refused, never a 500
        raise ValidationError(_("Le fichier n'est ni un CSV ni un classeur XLSX lisible.")) from error
    rows: list[Sequence[object]] = [row for row in table if any(str(cell).strip() for cell in row)]
    if not rows:
        raise ValidationError(_("Le fichier est vide."))
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("Le fichier dépasse %(max)s lignes de réponses.") % {"max": MAX_ROWS})
    return rows


def _check_header(header: list[str], structure: Structure) -> list[RowError]:
    known = set(structure.questions) | {STATUS_COLUMN}
    errors = [
        RowError(1, name, _("colonne inconnue : ce n'est pas un code de question de ce questionnaire."))
        for name in header
        if name not in known
    ]
    duplicates = {name for name in header if header.count(name) > 1}
    errors += [RowError(1, name, _("colonne présente plusieurs fois.")) for name in sorted(duplicates)]
    return errors


def _status_error(line: int, status: str, missing: list[Question]) -> RowError | None:
    """Whether the row's status is acceptable: a known word, or empty on a row complete by the questionnaire's rule."""
    if status in COMPLETE | PARTIAL or (not status and not missing):
        return None
    if status:
        message = _("« %(value)s » n'est pas un statut : indiquez complete ou partielle.") % {"value": status}
    else:
        message = _(
            "statut vide sur une ligne incomplète (questions obligatoires sans réponse : %(codes)s) : "
            "indiquez partielle, ou complétez la ligne."
        ) % {"codes": ", ".join(q.code for q in missing)}
    return RowError(line, STATUS_COLUMN, message)


def _check_row(line: int, cells: dict[str, object], structure: Structure) -> tuple[_Row | None, list[RowError]]:
    errors, values = [], {}
    status = str(cells.pop(STATUS_COLUMN, "") or "").strip().lower()
    for code, raw in cells.items():
        try:
            value = parse(structure.questions[code], raw)
        except ValidationError as error:
            errors.append(RowError(line, code, error.messages[0]))
        else:
            if value is not None:
                values[code] = value
    given = {code: value.as_given() for code, value in values.items()}
    for code in values:
        if not is_visible(structure.questions[code], given):
            errors.append(RowError(line, code, not_applicable_error(structure.questions[code]).messages[0]))
    wrong = {error.column for error in errors}
    missing = [q for q in missing_required(structure.questions.values(), given) if q.code not in wrong]
    if status_error := _status_error(line, status, missing):
        errors.append(status_error)
    complete = status in COMPLETE or not status
    if status in COMPLETE:
        errors += [RowError(line, q.code, required_error(q).messages[0]) for q in missing]
    return (None if errors else _Row(complete, values)), errors


def check_table(rows: list[Sequence[object]], structure: Structure) -> tuple[list[_Row], list[RowError]]:
    """Every row checked against the questionnaire; the lines are those of the file (header = line 1)."""
    header = [str(name).strip() for name in rows[0]]
    errors = _check_header(header, structure)
    if errors:
        return [], errors
    checked = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            errors.append(RowError(line, "", _("plus de valeurs que de colonnes.")))
            continue
        cells = dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=True))
        parsed, row_errors = _check_row(line, cells, structure)
        errors += row_errors
        if parsed:
            checked.append(parsed)
    return checked, errors


def _write(campaign: Campaign, rows: list[_Row], structure: Structure) -> int:
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            campaign=campaign,
            origin=Response.Origin.IMPORT,
            status=Response.Status.SUBMITTED if row.complete else Response.Status.IN_PROGRESS,
            submitted_at=now if row.complete else None,
            last_step=len(structure.sections),
        )
        for row in rows
    )
    answers = []
    for response, row in zip(responses, rows, strict=True):
        for code, value in row.values.items():
            question = structure.questions[code]
            if value.choices:
                answers += [Answer(response=response, question=question, choice=choice) for choice in value.choices]
            else:
                answers.append(Answer(response=response, question=question, number=value.number, text=value.text))
    Answer.objects.bulk_create(answers, batch_size=5000)
    tally_add(campaign_id=campaign.pk, responses=responses, answers=answers)  # in the import's transaction
    return len(responses)


def _already_known(campaign: Campaign, digest: str) -> RowError | None:
    known = ResponseFile.objects.filter(campaign=campaign, sha256=digest).order_by("created_at").first()
    if known is None:
        return None
    message = (
        _("Ce fichier a déjà été importé dans cette campagne le %(date)s : rien n'a été importé.")
        if known.kind == ResponseFile.Kind.IMPORTED
        else _(
            "Ce fichier est un export de cette campagne : l'importer compterait deux fois ses répondants. "
            "Rien n'a été importé."
        )
    )
    return RowError(1, "", message % {"date": date_format(timezone.localtime(known.created_at), "SHORT_DATE_FORMAT")})


def responses_import(
    *, campaign: Campaign, structure: Structure, data: bytes, imported_by: User | None = None
) -> ImportReport:
    """Imports every row of the file, or nothing when any row is wrong or the file is already known.

    Raises ``ValidationError`` for a campaign still in preparation: answers are imported
    into a campaign that has been run (open or closed), never before it starts.
    """
    if campaign.status == Campaign.Status.DRAFT:
        raise ValidationError(
            _(
                "La campagne « %(title)s » est en préparation : ouvrez-la avant d'importer des réponses. "
                "Rien n'a été importé."
            )
            % {"title": campaign.title},
            code="campaign_draft",
        )
    digest = hashlib.sha256(data).hexdigest()
    if known := _already_known(campaign, digest):
        return ImportReport(errors=[known])
    try:
        rows = read_table(data)
    except ValidationError as error:
        return ImportReport(errors=[RowError(1, "", error.messages[0])])
    checked, errors = check_table(rows, structure)
    if errors:
        return ImportReport(errors=errors)
    if not checked:
        return ImportReport(
            errors=[RowError(1, "", _("Le fichier ne contient aucune réponse : rien n'a été importé."))]
        )
    with transaction.atomic():
        created = _write(campaign, checked, structure)
        ResponseFile.objects.create(campaign=campaign, kind=ResponseFile.Kind.IMPORTED, sha256=digest)
        audit.record(
            actor=imported_by,
            action=audit.Action.RESPONSES_IMPORTED,
            obj=campaign,
            summary=gettext_noop("Réponses importées : %(count)s (fichier %(digest)s)."),
            params={"count": created, "digest": digest[:12]},
        )
    return ImportReport(created=created)
