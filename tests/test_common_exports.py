"""The streamed CSV writer gives, block by block, the file the one-piece writer gives; the XLSX writer
gives the workbook openpyxl writes cell by cell."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer

from common.exports import _csv_cell, _csv_row, csv_chunks, csv_text, fingerprinted, xlsx_file
from tests.helpers import openpyxl_workbook

VALUES = [
    "texte",
    "=1+1",
    "-3",
    "\tonglet",
    "",
    0,
    -12,
    True,
    False,
    None,
    Decimal("12500.50"),
    Decimal("-0.05"),
    1.5,
    datetime.date(2026, 3, 1),
    datetime.datetime(2026, 3, 1, 8, 5),
    timezone.make_aware(datetime.datetime(2026, 7, 14, 22, 30), datetime.UTC),
    mark_safe("@sûr"),
    gettext_lazy("Retenue"),
]


def test_each_cell_of_a_row_is_written_as_the_cell_alone():
    assert _csv_row(VALUES) == [_csv_cell(value) for value in VALUES]


def test_the_streamed_csv_is_the_one_piece_file_in_blocks():
    rows = [[index, *VALUES] for index in range(25)]
    chunks = list(csv_chunks(["n", *map(str, range(len(VALUES)))], rows, block=10))
    assert len(chunks) == 3
    assert b"".join(chunks).decode("utf-8") == csv_text(["n", *map(str, range(len(VALUES)))], rows)
    assert b"".join(csv_chunks(["a"], [])).decode("utf-8") == "\ufeffa\r\n"


def test_a_fingerprint_is_recorded_before_the_last_chunk_and_not_for_a_cut_download():
    import hashlib

    recorded = []
    stream = fingerprinted(iter([b"a", b"b", b"c"]), recorded.append)
    assert [next(stream), next(stream)] == [b"a", b"b"] and recorded == []
    assert next(stream) == b"c" and recorded == [hashlib.sha256(b"abc").hexdigest()]
    cut = fingerprinted(iter([b"a", b"b"]), recorded.append)
    next(cut)
    cut.close()
    assert len(recorded) == 1


XLSX_VALUES = [
    *VALUES,
    " espaces autour ",
    "a & b < c > d",
    "ligne\r\nsuite\tfin",
    "é" * 40_000,  # beyond Excel's 32,767 characters a cell: cut, as openpyxl cuts it
    2**40,
    float("inf"),
    datetime.date(1900, 1, 15),
    datetime.time(8, 30),
]


def _cells(workbook: bytes) -> tuple[object, ...]:
    sheet = load_workbook(io.BytesIO(workbook)).active
    cells = [[(cell.value, cell.number_format, cell.font.b) for cell in row] for row in sheet.iter_rows()]
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    return sheet.title, sheet.freeze_panes, widths, cells


def test_the_xlsx_file_has_the_cells_styles_and_layout_of_a_workbook_written_cell_by_cell():
    header = ["n", "=titre", *(f"colonne {index}" for index in range(len(XLSX_VALUES) - 1))]
    rows = [[index, *XLSX_VALUES] for index in range(3)]
    with xlsx_file("Un titre de feuille beaucoup trop long pour Excel", header, rows) as out:
        ours = _cells(out.read())
    expected = _cells(openpyxl_workbook("Un titre de feuille beaucoup trop long pour Excel", header, rows))
    assert ours == expected
    # What the comparison covers: bold header, dates in French formats, neutralised formulas, numbers.
    title, frozen, _widths, cells = ours
    assert (title, frozen, cells[0][1]) == ("Un titre de feuille beaucoup tr", "A2", ("'=titre", "General", True))
    by_value = {value: (number_format, bold) for value, number_format, bold in cells[1] if isinstance(value, str)}
    assert by_value["'=1+1"] == ("General", False) and "ligne\r\nsuite\tfin" in by_value
    formats = [number_format for _value, number_format, _bold in cells[1]]
    assert formats.count("DD/MM/YYYY") == 2 and formats.count("DD/MM/YYYY HH:MM") == 2
    assert (12500.5, "General", False) in cells[1]


def test_control_characters_that_a_workbook_cannot_hold_are_dropped_instead_of_failing_the_export():
    with pytest.raises(Exception, match="cannot be used in worksheets"):
        openpyxl_workbook("Projets", ["titre"], [["bip\x07 et\x00 nul"]])
    with xlsx_file("Projets", ["titre"], [["bip\x07 et\x00 nul"]]) as out:
        _title, _frozen, _widths, cells = _cells(out.read())
    assert cells[1][0][0] == "bip et nul"


def test_a_text_that_looks_like_an_excel_error_stays_a_text():
    with xlsx_file("Projets", ["titre"], [["#N/A"], ["#DIV/0!"]]) as out:
        sheet = load_workbook(out).active
        assert [(cell.value, cell.data_type) for (cell,) in sheet.iter_rows(min_row=2)] == [
            ("#N/A", "s"),
            ("#DIV/0!", "s"),
        ]


def test_an_export_that_fails_midway_leaves_no_temporary_file():
    def rows():
        yield [1, "premier"]
        raise RuntimeError("la base ne répond plus")

    before = list(openpyxl_writer.ALL_TEMP_FILES)
    with pytest.raises(RuntimeError, match="la base ne répond plus"):
        xlsx_file("Projets", ["id", "titre"], rows())
    assert before == openpyxl_writer.ALL_TEMP_FILES
