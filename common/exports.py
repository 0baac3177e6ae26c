"""CSV and XLSX downloads that spreadsheet software opens safely, in French formats.

A cell that starts with = + - @ (or a tab / carriage return) would be read as a
formula by Excel or LibreOffice: it is prefixed with an apostrophe.

Downloads are streamed: rows are read from a database iterator and sent as they are
written, so that an export of 100,000 rows neither holds the file in memory nor outlasts
the worker timeout. A CSV goes out in blocks of encoded lines; an XLSX (a zip, written
whole) is built in a temporary file that is streamed and then deleted. Its workbook is
openpyxl's (write-only mode), but the rows of its sheet are written as XML text, not as one
openpyxl cell per value (``_XlsxRows``): five times faster, the same cells.
"""

import contextlib
import csv
import hashlib
import io
import math
import re
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any, BinaryIO, TextIO, TypeVar
from zipfile import ZIP_DEFLATED, ZipFile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from lxml.etree import xmlfile
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

T = TypeVar("T")

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
    # CSV files keep one fixed French format whatever the language (docs/exports.md): scripts read them.
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value))


def _csv_row(row: Sequence[Any]) -> list[object]:
    """``_csv_cell`` of each value; the common kinds (text, whole numbers, empty, dates, amounts)
    are done inline: an export of 100,000 rows has two million cells."""
    # Any: each cell is dispatched on its exact type(), kept in a variable, which mypy does not narrow.
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


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """``;``-separated, UTF-8 with a byte order mark: Excel in French opens it as is."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(title) for title in header])
    for row in rows:
        writer.writerow(_csv_row(row))


def chunks(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """``rows`` in lists of ``size`` (the last one shorter), read as they come: a database iterator stays one."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


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


class _RowsAsTextWriter(WorksheetWriter):  # type: ignore[misc]  # openpyxl has no type information
    """openpyxl's writer of a write-only sheet, its XML stream (lxml's ``xmlfile``) opened on a file
    object of ours, so that the rows can be written to that file as text between the parts that
    openpyxl writes (sheet views, columns before; nothing after, here)."""

    def get_stream(self) -> Generator[Any, object, None]:  # yields lxml's (untyped) writer when sent True
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf, xf.element("worksheet", xmlns=SHEET_MAIN_NS):
            try:
                while True:
                    element = yield
                    if element is True:
                        yield xf
                    elif element is not None:
                        xf.write(element)
            except GeneratorExit:
                pass


class _TextRowsSheet(WriteOnlyWorksheet):  # type: ignore[misc]  # openpyxl has no type information
    """A write-only sheet that is appended the XML text of each ``<row>`` (``_XlsxRows``), written
    straight to the file.

    openpyxl makes a cell object per value, with its checks and its style look-ups: 15 to 21 times a
    COPY of the same rows (docs/exports.md). The workbook around the rows (styles, column widths,
    frozen header, zip) is still openpyxl's."""

    _writer: _RowsAsTextWriter | None
    _rows: Generator[None, str, None] | None

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _RowsAsTextWriter(self)
            self._writer.write_top()

    def _write_rows(self) -> Generator[None, str, None]:
        assert self._writer is not None  # _get_writer() made it
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            xf.flush()  # the <sheetData> tag is in the file: the rows follow it
            write = self._writer.file.write
            try:
                while True:
                    write((yield).encode("utf-8"))
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def append(self, row: str) -> None:
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(row)

    def discard(self) -> None:
        """Removes openpyxl's temporary XML file of a sheet whose workbook will not be saved."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                if self._rows is not None:
                    self._rows.close()
                self._writer.close()
            self._writer.cleanup()


# Characters that XML 1.0 cannot hold (openpyxl refuses them); those that need escaping.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
# A first character that needs a look: a formula's start, or a space (xml:space="preserve").
_FIRST_CARE = frozenset("=+-@") | {chr(code) for code in range(0x3000 + 1) if chr(code).isspace()}
_MAX_TEXT = 32767  # Excel's limit for a cell (openpyxl cuts there)


class _XlsxRows:
    """Turns rows of values into the XML of their ``<row>``, cell by cell as openpyxl would write them:
    inline text (formulas neutralised), numbers, dates and times in the workbook's date styles, an
    empty cell for ``None`` or ``""``. The common kinds (text, whole numbers, empty, dates, amounts)
    are done inline: an export of 100,000 rows has two million cells."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.epoch = sheet.parent.epoch
        self.bold = _style_id(sheet, font=Font(bold=True))
        self.date_style = _style_id(sheet, number_format="DD/MM/YYYY")
        self.datetime_style = _style_id(sheet, number_format="DD/MM/YYYY HH:MM")
        self.letters: list[str] = []
        self.dates: dict[date, str] = {}

    def header(self, titles: Sequence[object]) -> str:
        self._columns(len(titles))
        cells = "".join(
            self._text(f"{letter}1", str(title), self.bold) for letter, title in zip(self.letters, titles, strict=False)
        )
        return f'<row r="1">{cells}</row>'

    def row(self, number: int, values: Sequence[Any]) -> str:
        # Any: each cell is dispatched on its exact type(), kept in a variable, which mypy does not narrow.
        if len(values) > len(self.letters):
            self._columns(len(values))
        r = str(number)
        cells: list[str] = []
        add = cells.append
        for letter, value in zip(self.letters, values, strict=False):
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                if _SPECIAL.search(value) or value[0] in _FIRST_CARE or value[-1].isspace() or len(value) > _MAX_TEXT:
                    add(self._text(letter + r, value))
                else:
                    add(f'<c r="{letter}{r}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind is int:
                add(f'<c r="{letter}{r}" t="n"><v>{value:.16g}</v></c>')
            elif value is None:
                continue
            elif kind is date:
                if (serial := self.dates.get(value)) is None:
                    serial = self.dates[value] = f"{to_excel(value, self.epoch):.16g}"
                add(f'<c r="{letter}{r}" s="{self.date_style}" t="n"><v>{serial}</v></c>')
            else:
                add(self._other(letter + r, value))
        return f'<row r="{r}">{"".join(cells)}</row>'

    def _columns(self, count: int) -> None:
        self.letters.extend(get_column_letter(index) for index in range(len(self.letters) + 1, count + 1))

    def _other(self, ref: str, value: object) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float, Decimal)):
            if not math.isfinite(value):
                return ""
            return f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>'
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            serial = to_excel(local.replace(tzinfo=None), self.epoch)
            return f'<c r="{ref}" s="{self.datetime_style}" t="n"><v>{serial:.16g}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}" s="{self.date_style}" t="n"><v>{to_excel(value, self.epoch):.16g}</v></c>'
        text = str(value)
        return self._text(ref, text) if text else ""

    @staticmethod
    def _text(ref: str, value: str, style: int | None = None) -> str:
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
        if len(value) > _MAX_TEXT:
            value = value[:_MAX_TEXT]
        if _SPECIAL.search(value):
            value = _ILLEGAL.sub("", value)
            space = "" if value == value.strip() else ' xml:space="preserve"'
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
        else:
            space = "" if value == value.strip() else ' xml:space="preserve"'
        styled = "" if style is None else f' s="{style}"'
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _style_id(sheet: WriteOnlyWorksheet, **style: object) -> int:
    """The workbook's id of a cell style (registered in its styles on the way)."""
    cell = WriteOnlyCell(sheet)
    for name, value in style.items():
        setattr(cell, name, value)
    return int(cell.style_id)


def xlsx_file(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> BinaryIO:
    """One sheet, a bold frozen header row, readable column widths, real numbers and dates, written
    (one row in memory at a time) to an anonymous temporary file, which the system deletes when it is
    closed. Returned rewound."""
    workbook = Workbook(write_only=True)
    sheet = _TextRowsSheet(parent=workbook, title=sheet_title[:31])
    workbook._add_sheet(sheet)
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(str(title)) + 4, 40))
    sheet.freeze_panes = "A2"
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response that streams it)
    try:
        xml = _XlsxRows(sheet)
        sheet.append(xml.header(header))
        for number, row in enumerate(rows, start=2):
            sheet.append(xml.row(number, row))
        _save(workbook, out)
    except BaseException:
        sheet.discard()
        out.close()
        raise
    out.seek(0)
    return out


def _save(workbook: Workbook, out: BinaryIO) -> None:
    """``workbook.save(out)``, with the fastest deflate: the sheet is most of the time of a save at
    the default level, for a file a fifth larger at this one."""
    workbook.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(workbook, archive).write_data()


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
