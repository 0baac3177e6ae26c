"""The streamed CSV writer gives, block by block, the file the one-piece writer gives."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from common.exports import _csv_cell, _csv_row, csv_chunks, csv_text, fingerprinted

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
