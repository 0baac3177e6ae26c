"""CSV and XLSX downloads that spreadsheet software opens safely, in French formats.

A cell that starts with = + - @ (or a tab / carriage return) would be read as a
formula by Excel or LibreOffice: it is prefixed with an apostrophe.

Downloads are streamed: rows are read from a database iterator and sent as they are
written, so that an export of 100,000 rows neither holds the file in memory nor outlasts
the worker timeout. A CSV goes out in blocks of encoded lines; an XLSX (a zip, written
whole) is built in a temporary file that is streamed and then deleted.
"""

import csv
import hashlib
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import BinaryIO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula is made inert; numbers and dates pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: object) -> object:
    """French Excel reads "12,5" as a number and "31/12/2026" as a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value))


def _csv_row(row: Sequence[object]) -> list[object]:
    """``_csv_cell`` of each value; the common kinds (text, whole numbers, empty, dates, amounts)
    are done inline: an export of 100,000 rows has two million cells."""
    return [
        (("'" + value) if value.startswith(FORMULA_STARTS) else value)
        if (kind := type(value)) is str
        else value
        if kind is int
        else ""
        if value is None
        else value.strftime("%d/%m/%Y")
        if kind is date
        else str(value).replace(".", ",")
        if kind is Decimal
        else _csv_cell(value)
        for value in row
    ]


def write_csv(out: object, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """``;``-separated, UTF-8 with a byte order mark: Excel in French opens it as is."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(title) for title in header])
    for row in rows:
        writer.writerow(_csv_row(row))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[object]], *, block: int = 1000) -> Iterator[bytes]:
    """The bytes of ``write_csv``'s file, ``block`` rows at a time."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([_csv_cell(title) for title in header])
    rows = iter(rows)
    while True:
        writer.writerows(map(_csv_row, islice(rows, block)))
        text = out.getvalue()
        if not text:
            return
        yield text.encode("utf-8")
        out.seek(0)
        out.truncate()


def fingerprinted(chunks: Iterable[bytes], record: Callable[[str], None]) -> Iterator[bytes]:
    """Passes ``chunks`` on while hashing them; ``record`` gets the SHA-256 of the whole file
    before its last chunk leaves, so that a client never holds a complete file whose fingerprint
    was not recorded. A download cut short records nothing."""
    digest = hashlib.sha256()
    held = None
    for chunk in chunks:
        if held is not None:
            yield held
        digest.update(chunk)
        held = chunk
    record(digest.hexdigest())
    if held is not None:
        yield held


def streaming_csv_response(filename: str, chunks: Iterable[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> StreamingHttpResponse:
    """A streamed CSV download: give ``rows`` as an iterator over the database (``.iterator()``)."""
    return streaming_csv_response(filename, csv_chunks(header, rows))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The same file as a string (e.g. attached to a PDF)."""
    out = io.StringIO()
    write_csv(out, header, rows)
    return out.getvalue()


def _xlsx_cell(sheet: object, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, (int, float, Decimal)):
        return value
    return neutralise(str(value))


def xlsx_file(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> BinaryIO:
    """One sheet, a bold frozen header row, readable column widths, real numbers and dates, written
    (openpyxl's write-only mode: one row in memory at a time) to an anonymous temporary file, which
    the system deletes when it is closed. Returned rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(str(title)) + 4, 40))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=neutralise(str(title)))
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response that streams it)
    try:
        workbook.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def file_sha256(out: BinaryIO) -> str:
    """The SHA-256 of a rewound file, read in blocks; the file is rewound again."""
    digest = hashlib.sha256()
    for block in iter(lambda: out.read(1 << 20), b""):
        digest.update(block)
    out.seek(0)
    return digest.hexdigest()


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> FileResponse:
    """A streamed XLSX download; the temporary file goes when the response is closed."""
    return xlsx_file_response(filename, xlsx_file(sheet_title, header, rows))


def xlsx_file_response(filename: str, out: BinaryIO) -> FileResponse:
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
