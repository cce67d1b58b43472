"""Reading an .xlsx workbook (geo.io.spreadsheet, through geo.io.table.load_table).

The workbooks are written with openpyxl's writer, as a spreadsheet program would save them:
numbers as numbers, dates as dates, text as text.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from geo.io.spreadsheet import cell_text
from geo.io.table import load_table
from tests.support import shipped_rows

NUMBERS = {"lon": float, "lat": float, "since": int, "geonames_id": int}


def typed(name, text):
    """A cell as Excel keeps it once typed in: numbers as numbers, the date as a date."""
    if text == "":
        return None
    if name in NUMBERS:
        return NUMBERS[name](text)
    if name == "as_of":
        return date.fromisoformat(text)
    return text


def workbook(header, rows, sheets=("Platser",), extra=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheets[0]
    sheet.append(header)
    for row in rows:
        sheet.append([typed(name, row[name]) for name in header] + (extra or []))
    for title in sheets[1:]:
        book.create_sheet(title).append(["notes"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def codes(table):
    return [p.code for p in table.problems]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (2711537, "2711537"),
        (2711537.0, "2711537"),
        (57.707395, "57.707395"),
        (-33.96109, "-33.96109"),
        (1e-7, "1e-07"),
        (datetime(2026, 11, 27), "2026-11-27"),
        (datetime(2026, 11, 27, 12, 30), "2026-11-27 12:30:00"),
        (date(2026, 11, 27), "2026-11-27"),
        (True, "TRUE"),
        ('=HYPERLINK("x")', '=HYPERLINK("x")'),  # text stays text: nothing is run
        ("Kraków", "Kraków"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_the_shipped_table_as_a_workbook_reads_as_the_csv_does():
    header, rows = shipped_rows()
    table = load_table(workbook(header, rows), "places.xlsx")
    assert table.problems == ()
    assert table.header == tuple(header)
    assert [r.line for r in table.rows] == list(range(2, 16))  # the sheet's row numbers
    for row, expected in zip(table.rows, rows, strict=True):
        assert row.cells == expected


def test_other_sheets_are_a_note_and_cells_right_of_the_table_an_error():
    header, rows = shipped_rows()
    table = load_table(workbook(header, rows[:2], ("Platser", "Anteckningar")), "p.xlsx")
    assert codes(table) == ["file/other-sheets"]
    assert "only the first, 'Platser', is read" in str(table.problems[0])
    wide = load_table(workbook(header, rows[:2], extra=["stray"]), "p.xlsx")
    assert codes(wide) == ["row/extra-cells", "row/extra-cells"]
    assert "Delete the cells right of the table" in str(wide.problems[0])


def test_empty_cells_at_the_end_of_a_row_are_empty_fields():
    header, rows = shipped_rows()
    rows = [dict(rows[1], visiting_address="", postal_address="", phone="")]
    table = load_table(workbook(header, rows), "p.xlsx")
    assert table.problems == ()
    assert table.rows[0].cells["phone"] == ""


def test_an_empty_workbook_is_empty():
    out = io.BytesIO()
    Workbook().save(out)
    assert codes(load_table(out.getvalue(), "p.xlsx")) == ["file/empty"]


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 not really a zip",
        b"PK\x03\x04" + b"\0" * 200,
    ],
)
def test_a_broken_workbook_is_one_error_not_a_traceback(data):
    table = load_table(data, "p.xlsx")
    assert codes(table) == ["file/unreadable-workbook"]
    assert str(table.problems[0]).startswith("p.xlsx: the file cannot be read as an Excel")


def test_a_zip_that_is_not_a_workbook_is_one_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert codes(load_table(out.getvalue(), "p.xlsx")) == ["file/unreadable-workbook"]


def test_entity_expansion_is_refused():
    """A billion-laughs sheet: defusedxml (through openpyxl) refuses it; one error, fast."""
    header, rows = shipped_rows()
    data = workbook(header, rows[:1])
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            body = source.read(item)
            archive.writestr(item, bomb if item.filename == "xl/worksheets/sheet1.xml" else body)
    table = load_table(out.getvalue(), "p.xlsx")
    assert codes(table) == ["file/unreadable-workbook"]
    assert "\n" not in str(table.problems[0])  # one line, whatever openpyxl says
