"""Reading the table: encoding, header, quoting and cell counts (geo.io.table)."""

from __future__ import annotations

import pytest

from geo.io.table import BOM, load_table
from geo.schema import COLUMN_NAMES, HEADER_REQUIRED
from tests.support import PLACES_CSV

HEADER = ",".join(COLUMN_NAMES)


def codes(table):
    return [p.code for p in table.problems]


def test_shipped_table_reads_cleanly():
    table = load_table(PLACES_CSV.read_bytes(), "data/places.csv")
    assert table.problems == ()
    assert table.header == COLUMN_NAMES
    assert [r.id for r in table.rows][:2] == ["stadsledningskontoret", "chicago"]
    assert [r.line for r in table.rows][:3] == [2, 3, 4]


def test_a_bom_is_a_note_and_the_table_reads_the_same():
    table = load_table(BOM + PLACES_CSV.read_bytes(), "t.csv")
    assert codes(table) == ["file/bom"]
    assert not table.problems[0].is_error
    assert str(table.problems[0]).startswith("t.csv:1: note: the file starts with a byte-order")
    assert table.rows == load_table(PLACES_CSV.read_bytes(), "t.csv").rows


def test_not_utf8_names_the_line():
    data = f"{HEADER}\nkiel,partner_city\n".encode() + "malmö,x\n".encode("latin-1")
    table = load_table(data, "t.csv")
    assert codes(table) == ["file/encoding"]
    assert table.problems[0].line == 3
    assert "Latin-1" in str(table.problems[0])


@pytest.mark.parametrize("data", [b"", b"\n\n", b"   \r\n"])
def test_empty_file(data):
    assert codes(load_table(data, "t.csv")) == ["file/empty"]


def test_malformed_quoting_is_located():
    data = f'{HEADER}\nkiel,"partner_city,dormant\n'.encode()
    table = load_table(data, "t.csv")
    assert codes(table) == ["file/malformed-csv"]
    assert table.problems[0].line is not None


def test_stray_quote_inside_a_value():
    data = f'{HEADER}\nkiel,part"ner"x,"a"b\n'.encode()
    assert "file/malformed-csv" in codes(load_table(data, "t.csv"))


def test_header_problems_are_all_reported():
    header = [c for c in COLUMN_NAMES if c != "lat"] + ["latitude", "kind"]
    table = load_table((",".join(header) + "\n").encode(), "t.csv")
    assert sorted(codes(table)) == [
        "header/missing-column",
        "header/repeated-column",
        "header/unknown-column",
    ]
    unknown = next(p for p in table.problems if p.code == "header/unknown-column")
    assert "`latitude`" in str(unknown)
    assert "Did you mean `lat`?" in str(unknown)


def test_optional_columns_may_be_left_out():
    table = load_table((",".join(HEADER_REQUIRED) + "\n").encode(), "t.csv")
    assert table.problems == ()


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("kiel,partner_city", "row/missing-cells"),
        ("a," * len(COLUMN_NAMES) + "x", "row/extra-cells"),
    ],
)
def test_cell_counts(row, code):
    table = load_table(f"{HEADER}\n{row}\n".encode(), "t.csv")
    assert codes(table) == [code]
    assert table.problems[0].line == 2


def test_multiline_values_keep_line_numbers_right():
    cells = ["x"] * len(COLUMN_NAMES)
    cells[0], cells[11] = "first", '"two\nlines"'
    second = ["y"] * len(COLUMN_NAMES)
    second[0] = "second"
    data = f"{HEADER}\n{','.join(cells)}\n{','.join(second)}\n".encode()
    table = load_table(data, "t.csv")
    assert [(r.id, r.line) for r in table.rows] == [("first", 2), ("second", 4)]
    assert table.rows[0].cells["description_sv"] == "two\nlines"


def test_blank_lines_are_skipped():
    data = PLACES_CSV.read_bytes() + b"\n,,,\n"
    table = load_table(data, "t.csv")
    assert len(table.rows) == 14
