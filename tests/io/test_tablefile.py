"""The table written again in the form it was saved in (geo.io.tablefile).

Each form a spreadsheet program saves, read by the reader and written back unchanged, gives the
same bytes; a changed cell changes that cell only; what the writer makes, the reader reads as
the same rows (Python's csv module and openpyxl are the independent readers of the forms).
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.io.table import load_table
from geo.io.tablefile import Form, csv_bytes, form_of, table_bytes, unencodable
from tests.support import PLACES_CSV, shipped_rows

SHIPPED = PLACES_CSV.read_bytes()


def excel_swedish(data: bytes) -> bytes:
    """The shipped table as Swedish Excel saves 'CSV UTF-8': BOM, semicolons, decimal commas,
    CRLF."""
    header, rows = shipped_rows()
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = [row[n].replace(".", ",") if n in ("lon", "lat") else row[n] for n in header]
        writer.writerow(cells)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def rows_of(data: bytes, encoding=None):
    table = load_table(data, "t", encoding)
    assert not [p for p in table.problems if p.is_error]
    return table.header, [r.cells for r in table.rows]


def again(data: bytes, encoding=None) -> bytes:
    header, rows = rows_of(data, encoding)
    return table_bytes(data, form_of(data, encoding), header, rows)


def test_the_shipped_table_comes_back_byte_for_byte():
    assert form_of(SHIPPED) == Form()
    assert again(SHIPPED) == SHIPPED


def test_excels_swedish_csv_comes_back_byte_for_byte():
    data = excel_swedish(SHIPPED)
    form = form_of(data)
    assert (form.delimiter, form.decimal_comma, form.bom, form.newline) == (";", True, True, "\r\n")
    assert again(data) == data
    assert b"57,707395" in data  # (the test's own file has decimal commas)


def test_windows_1252_quoted_cells_and_no_last_line_end_come_back():
    header, rows = shipped_rows()
    rows = [r for r in rows if all(ord(c) < 256 for v in r.values() for c in v)]
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        [header] + [[r[n] for n in header] for r in rows]
    )
    data = out.getvalue().rstrip("\r\n").encode("cp1252")
    form = form_of(data)
    assert (form.encoding, form.quote_all, form.final_newline) == ("cp1252", True, False)
    assert again(data) == data


def test_a_changed_cell_changes_that_line_only():
    data = excel_swedish(SHIPPED)
    header, rows = rows_of(data)
    (kiel,) = [r for r in rows if r["id"] == "kiel"]
    kiel["status"] = "active"
    new = table_bytes(data, form_of(data), header, rows)
    old_lines, new_lines = data.split(b"\r\n"), new.split(b"\r\n")
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert len(changed) == 1
    assert b"kiel;partner_city;active;" in new_lines[changed[0]]


def test_a_point_typed_in_a_decimal_comma_file_is_written_with_a_comma():
    data = excel_swedish(SHIPPED)
    header, rows = rows_of(data)
    rows[1]["lat"] = "41.5"
    new = table_bytes(data, form_of(data), header, rows)
    assert b";41,5;" in new
    assert rows_of(new)[1][1]["lat"] == "41.5"


def test_a_character_the_encoding_cannot_hold_is_a_problem_not_a_crash():
    form = Form(encoding="cp1252")
    rows = [{"id": "xian", "name_local": "西安"}]
    (problem,) = unencodable(["id", "name_local"], rows, form, "t.csv", [2])
    assert (problem.code, problem.line, problem.field, problem.place_id) == (
        "file/cannot-encode",
        2,
        "name_local",
        "xian",
    )
    assert unencodable(["id", "name_local"], rows, Form(), "t.csv") == []
    with pytest.raises(UnicodeEncodeError):
        csv_bytes(["id", "name_local"], rows, form)


CELL = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=5),
    st.sampled_from([",", ";"]),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_what_the_writer_makes_python_csv_reads_as_the_same_cells(cells, delimiter, newline, bom):
    header = ["id", "name_sv", "description_en"]
    rows = [dict(zip(header, r, strict=True)) for r in cells]
    form = Form(delimiter=delimiter, newline=newline, bom=bom)
    data = csv_bytes(header, rows, form)
    text = data.decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert read[0] == header
    assert read[1:] == [list(r) for r in cells]


def workbook(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "places"
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("notes")
    notes["A1"] = "kept"
    notes["B1"] = "=1+1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_gets_its_cells_typed_and_keeps_its_other_sheets():
    from openpyxl import load_workbook

    header, rows = shipped_rows()
    typed = []
    for r in rows:
        values = [r[n] for n in header]
        for name in ("lon", "lat"):
            values[header.index(name)] = float(r[name])
        values[header.index("geonames_id")] = int(r["geonames_id"])
        typed.append(values)
    data = workbook([header, *typed, ["", ""], ["", ""]])
    form = form_of(data)
    assert form.workbook
    read_header, read_rows = rows_of(data)
    (kiel,) = [r for r in read_rows if r["id"] == "kiel"]
    kiel["status"] = "active"
    kiel["description_en"] = '=HYPERLINK("x")'
    new = table_bytes(data, form, read_header, read_rows)
    assert rows_of(new) == (read_header, read_rows)
    book = load_workbook(io.BytesIO(new))
    sheet = book["places"]
    line = next(r[0].row for r in sheet.iter_rows() if r[0].value == "kiel")
    assert isinstance(sheet.cell(line, header.index("lat") + 1).value, float)
    assert isinstance(sheet.cell(line, header.index("geonames_id") + 1).value, int)
    formula = sheet.cell(line, header.index("description_en") + 1)
    assert (formula.data_type, formula.value) == ("s", '=HYPERLINK("x")')
    assert sheet.max_row == len(rows) + 1  # the empty rows below are gone
    assert book["notes"]["A1"].value == "kept"
    assert book["notes"]["B1"].value == "=1+1"
