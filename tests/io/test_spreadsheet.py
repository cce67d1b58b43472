"""Reading an .xlsx workbook (geo.io.spreadsheet, through geo.io.table.load_table).

The workbooks are written with openpyxl's writer, as a spreadsheet program would save them:
numbers as numbers, dates as dates, text as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape as xml_escape

import pytest
from openpyxl import Workbook

from geo.config import read_settings
from geo.io.spreadsheet import cell_text
from geo.io.table import load_table, load_workbook_table
from geo.validate import validate_table
from tests.support import ROOT, rewritten_sheet, shipped_rows, to_csv

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


# --- issue 21: every row that is there, and what values alone do not say -----------------------


def stale_dimension(header, rows) -> bytes:
    """openpyxl's workbook with `<dimension ref="A1:U5"/>`: what writers other than Excel leave."""
    data = workbook(header, rows)
    return rewritten_sheet(
        data, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:U5"', xml)
    )


def _inline(value) -> str:
    if value is None:
        return "<c/>"  # (with no `r`, an empty cell must stand in its place)
    if isinstance(value, int | float):
        return f"<c><v>{value!r}</v></c>"
    text = value.isoformat() if isinstance(value, date) else str(value)
    return f'<c t="inlineStr"><is><t xml:space="preserve">{xml_escape(text)}</t></is></c>'


def inline_strings(header, rows) -> bytes:
    """A workbook written by hand as LibreOffice and other writers do: text as inline strings
    (no shared strings), cells without their `r` reference, no dimension, dates as text."""
    lines = [header] + [[typed(n, row[n]) for n in header] for row in rows]
    sheet = "".join(
        f'<row r="{i}">' + "".join(_inline(v) for v in values) + "</row>"
        for i, values in enumerate(lines, start=1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    head = '<?xml version="1.0"?>'
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{kind}.worksheet+xml"/></Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'{head}<workbook xmlns="{main}" xmlns:r="{rels}"><sheets>'
        '<sheet name="Platser" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'{head}<worksheet xmlns="{main}"><sheetData>{sheet}'
        "</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_a_stale_dimension_does_not_drop_rows():
    """Issue 21: a 14-place workbook declaring A1:U5 validated as 'OK, 4 places'."""
    header, rows = shipped_rows()
    data = stale_dimension(header, rows)
    assert b'<dimension ref="A1:U5"' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    table = load_table(data, "places.xlsx")
    assert table.problems == ()
    assert len(table.rows) == len(rows) == 14


@pytest.mark.parametrize("writer", [workbook, stale_dimension, inline_strings])
def test_the_same_table_from_three_writers_gives_the_csvs_places(writer):
    header, rows = shipped_rows()
    settings = read_settings(ROOT / "geo.toml")
    from_csv = validate_table(load_table(to_csv(header, rows), "places.csv"), settings)
    from_book = validate_table(load_table(writer(header, rows), "places.xlsx"), settings)
    assert from_csv.ok and from_book.ok, from_book.problems
    assert len(from_book.places) == 14
    assert from_book.places == from_csv.places  # every field, and the line (row) numbers


def test_rows_beyond_the_format_limit_are_refused():
    """A value far down (row 1,048,577, past what an .xlsx sheet holds) stops the read there."""
    header, rows = shipped_rows()
    data = rewritten_sheet(
        workbook(header, rows[:2]),
        lambda xml: xml.replace(
            "</sheetData>", '<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>'
        ),
    )
    table = load_table(data, "p.xlsx")
    assert "file/too-many-rows" in codes(table)
    problem = next(p for p in table.problems if p.code == "file/too-many-rows")
    assert problem.line == 1_048_577
    assert "at most 1,048,576 rows" in str(problem)


def test_a_workbook_unpacking_beyond_the_size_limit_is_refused(monkeypatch):
    header, rows = shipped_rows()
    data = workbook(header, rows)
    table = load_workbook_table(io.BytesIO(data), "p.xlsx", limit=10_000)
    assert codes(table) == ["file/too-large"]
    assert "`max_megabytes` in the [source] settings" in str(table.problems[0])


def test_a_formula_never_calculated_is_named_not_read_as_empty():
    """openpyxl writes formulas without a value, as programs other than Excel often do."""
    header, rows = shipped_rows()
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows[:3]:
        sheet.append([typed(name, row[name]) for name in header])
    sheet["I3"] = "=41.85003"  # chicago's lat, as a formula
    out = io.BytesIO()
    book.save(out)
    table = load_table(out.getvalue(), "p.xlsx")
    (problem,) = [p for p in table.problems if p.code == "field/formula-without-value"]
    assert problem.line == 3 and problem.field == "lat"
    assert str(problem).startswith("p.xlsx:3: cell I3 (`lat`) holds the formula =41.85003")
    assert "save it again" in str(problem)


def test_hidden_and_very_hidden_first_sheets_say_so():
    header, rows = shipped_rows()
    for state, words in (("hidden", "is hidden"), ("veryHidden", "is very hidden")):
        book = Workbook()
        first = book.active
        first.title = "Gammal"
        first.append(header)
        first.append([typed(name, rows[1][name]) for name in header])
        book.create_sheet("Platser").append(["notes"])
        first.sheet_state = state
        out = io.BytesIO()
        book.save(out)
        table = load_table(out.getvalue(), "p.xlsx")
        (problem,) = [p for p in table.problems if p.code == "file/hidden-sheet"]
        assert f"the sheet read, the first one, 'Gammal', {words}" in str(problem)
        assert "The first visible sheet is 'Platser'" in str(problem)
        assert problem.is_error
        assert len(table.rows) == 1  # read all the same, so that every other problem shows


def test_merged_cells_and_error_values_each_have_their_message():
    header, rows = shipped_rows()
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows[:3]:
        sheet.append([typed(name, row[name]) for name in header])
    sheet.merge_cells("D3:F3")  # name_sv across the three name columns of chicago
    sheet["I2"] = "#N/A"
    sheet["N3"] = "#REF!"
    out = io.BytesIO()
    book.save(out)
    table = load_table(out.getvalue(), "p.xlsx")
    found = {p.code: p for p in table.problems}
    assert set(found) >= {"file/merged-cells", "field/error-value"}
    merged = found["file/merged-cells"]
    assert merged.line == 3 and "cells D3:F3 are merged" in str(merged)
    errors = [p for p in table.problems if p.code == "field/error-value"]
    assert [(p.line, p.field) for p in errors] == [(2, "lat"), (3, "geonames_id")]
    assert "cell I2 (`lat`) holds the error value #N/A" in str(errors[0])
    assert "#REF!" in str(errors[1])


def test_a_cell_longer_than_a_spreadsheet_cell_is_refused():
    header, rows = shipped_rows()
    data = rewritten_sheet(
        workbook(header, rows[:1]),
        lambda xml: xml.replace(
            "</sheetData>",
            f'<row r="3"><c r="A3" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>'
            "</sheetData>",
        ),
    )
    table = load_table(data, "p.xlsx")
    (problem,) = [p for p in table.problems if p.code == "file/cell-too-long"]
    assert problem.line == 3 and "cell A3 is 40,000 characters long" in str(problem)
