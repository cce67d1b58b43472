"""Reading the table: encoding, header, quoting and cell counts (geo.io.table)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.io.table import BOM, load_table
from tests.support import PLACES_CSV, SCHEMA, shipped_rows, to_csv

HEADER = ",".join(SCHEMA.names)


def codes(table):
    return [p.code for p in table.problems]


def test_shipped_table_reads_cleanly():
    table = load_table(PLACES_CSV.read_bytes(), "data/places.csv")
    assert table.problems == ()
    assert table.header == SCHEMA.names
    assert [r.id for r in table.rows][:2] == ["stadsledningskontoret", "chicago"]
    assert [r.line for r in table.rows][:3] == [2, 3, 4]


def test_a_bom_is_a_note_and_the_table_reads_the_same():
    table = load_table(BOM + PLACES_CSV.read_bytes(), "t.csv")
    assert codes(table) == ["file/bom"]
    assert not table.problems[0].is_error
    assert str(table.problems[0]).startswith("t.csv:1: note: the file starts with a byte-order")
    assert table.rows == load_table(PLACES_CSV.read_bytes(), "t.csv").rows


def test_neither_utf8_nor_windows_1252_names_the_line_and_the_way_out():
    data = f"{HEADER}\nkiel,partner_city\n".encode() + b"malm\x81,x\n"
    table = load_table(data, "t.csv")
    assert codes(table) == ["file/encoding"]
    assert table.problems[0].line == 3
    message = str(table.problems[0])
    assert "neither UTF-8 nor Windows-1252" in message
    assert "--encoding" in message and "CSV UTF-8" in message


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
    header = [c for c in SCHEMA.names if c != "lat"] + ["latitude", "kind"]
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
    table = load_table((",".join(SCHEMA.header_required) + "\n").encode(), "t.csv")
    assert table.problems == ()


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("kiel,partner_city", "row/missing-cells"),
        ("a," * len(SCHEMA.names) + "x", "row/extra-cells"),
    ],
)
def test_cell_counts(row, code):
    table = load_table(f"{HEADER}\n{row}\n".encode(), "t.csv")
    assert codes(table) == [code]
    assert table.problems[0].line == 2


def test_multiline_values_keep_line_numbers_right():
    cells = ["x"] * len(SCHEMA.names)
    cells[0], cells[11] = "first", '"two\nlines"'
    second = ["y"] * len(SCHEMA.names)
    second[0] = "second"
    data = f"{HEADER}\n{','.join(cells)}\n{','.join(second)}\n".encode()
    table = load_table(data, "t.csv")
    assert [(r.id, r.line) for r in table.rows] == [("first", 2), ("second", 4)]
    assert table.rows[0].cells["description_sv"] == "two\nlines"


def test_blank_lines_are_skipped():
    data = PLACES_CSV.read_bytes() + b"\n,,,\n"
    table = load_table(data, "t.csv")
    assert len(table.rows) == 14


# --- what Excel writes ----------------------------------------------------------------------


def semicolon_csv(header, rows, decimal_comma=True):
    """A table as Swedish Excel saves it: `;` between cells and a comma as the decimal mark."""
    out = io.StringIO()
    writer = csv.DictWriter(out, header, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        if decimal_comma:
            row = {**row, "lon": row["lon"].replace(".", ","), "lat": row["lat"].replace(".", ",")}
        writer.writerow(row)
    return out.getvalue()


def test_a_semicolon_file_is_recognised_from_the_header_and_its_decimal_commas_read():
    header, rows = shipped_rows()
    table = load_table(semicolon_csv(header, rows).encode(), "t.csv")
    assert codes(table) == ["file/semicolon-separated"]
    assert not table.problems[0].is_error
    assert table.rows == load_table(PLACES_CSV.read_bytes(), "t.csv").rows
    kiel = next(r for r in table.rows if r.id == "kiel")
    assert (kiel.cells["lon"], kiel.cells["lat"]) == ("10.13489", "54.32133")


def test_decimal_commas_are_read_only_in_the_number_columns():
    header, rows = shipped_rows()
    rows[2]["since_note"] = "3,5 km from the port"
    rows[2]["geonames_id"] = "2891,122"
    table = load_table(semicolon_csv(header, rows).encode(), "t.csv")
    kiel = next(r for r in table.rows if r.id == "kiel")
    assert kiel.cells["since_note"] == "3,5 km from the port"
    assert kiel.cells["geonames_id"] == "2891,122"  # an integer column: left for the validator


def test_a_comma_file_keeps_a_decimal_comma_as_it_is():
    header, rows = shipped_rows()
    rows[2]["lat"] = "54,32133"
    table = load_table(to_csv(header, rows), "t.csv")
    assert table.problems == ()
    assert next(r for r in table.rows if r.id == "kiel").cells["lat"] == "54,32133"


def test_a_header_with_both_separators_is_one_clear_error():
    mixed = ",".join(SCHEMA.names[:5]) + ";" + ";".join(SCHEMA.names[5:])
    table = load_table(f"{mixed}\nx\n".encode(), "t.csv")
    assert codes(table) == ["file/ambiguous-separator"]
    assert table.rows == ()
    assert "save it again as 'CSV UTF-8'" in str(table.problems[0])


def test_windows_1252_is_recognised_with_a_warning_that_shows_the_letters():
    header, rows = shipped_rows()
    rows = [r for r in rows if r["id"] in ("stadsledningskontoret", "krakow", "turku")]
    data = semicolon_csv(header, rows).encode("cp1252")
    table = load_table(data, "t.csv")
    assert codes(table) == ["file/other-encoding", "file/semicolon-separated"]
    warning = str(table.problems[0])
    assert "t.csv:2: warning: the file is not UTF-8; it was read as Windows-1252" in warning
    assert "read as Göteborgs, Göteborg, Kraków, är, förnyas." in warning
    assert [r.cells["name_local"] for r in table.rows] == [
        "Stadsledningskontoret",
        "Kraków",
        "Turku",
    ]


def test_an_encoding_can_be_chosen_and_a_utf8_file_read_so_is_flagged():
    data = f"{HEADER}\n".encode() + "malmö\n".encode("latin-1")
    table = load_table(data, "t.csv", encoding="iso8859-1")
    assert codes(table)[0] == "file/other-encoding"
    assert "read as iso8859-1, as chosen" in str(table.problems[0])
    utf8 = load_table(f"{HEADER}\nmalmö\n".encode(), "t.csv", encoding="cp1252")
    assert "also valid UTF-8" in str(utf8.problems[0])
    assert "read as malmÃ¶." in str(utf8.problems[0])  # the words as read, for a person to see


def test_an_encoding_that_does_not_fit_is_an_error():
    table = load_table(f"{HEADER}\n".encode() + b"\x81\n", "t.csv", encoding="cp1252")
    assert codes(table) == ["file/encoding"]
    assert "is not cp1252" in str(table.problems[0])


def test_utf16_gets_advice():
    table = load_table(f"{HEADER}\n".encode("utf-16"), "t.csv")
    assert codes(table) == ["file/encoding"]
    assert "UTF-16" in str(table.problems[0]) and "CSV UTF-8" in str(table.problems[0])


def test_an_old_xls_workbook_is_refused_with_advice():
    table = load_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "t.xls")
    assert codes(table) == ["file/unsupported-format"]
    assert "Excel Workbook (.xlsx)" in str(table.problems[0])


# --- the same table in every form a spreadsheet program saves ----------------------------------

FIVE = ("stadsledningskontoret", "krakow", "nelson-mandela-bay", "aarhus", "turku")


def five_forms(folder):
    """The same five places as comma CSV, Swedish-Excel CSV (`;`, decimal comma, BOM, CRLF),
    Windows-1252 CSV (`;`, decimal comma, CRLF) and an .xlsx workbook."""
    from tests.io.test_spreadsheet import workbook

    header, rows = shipped_rows()
    rows = [r for r in rows if r["id"] in FIVE]
    forms = {
        "comma.csv": to_csv(header, rows),
        "excel-utf8.csv": BOM + semicolon_csv(header, rows).encode("utf-8"),
        "excel-1252.csv": semicolon_csv(header, rows).encode("cp1252"),
        "places.xlsx": workbook(header, rows),
    }
    assert b"\r\n" in forms["excel-utf8.csv"] and b"11,96645" in forms["excel-utf8.csv"]
    assert b"Krak\xf3w" in forms["excel-1252.csv"]
    for name, data in forms.items():
        (folder / name).write_bytes(data)
    return list(forms)


def test_the_same_table_in_each_form_validates_to_identical_places(tmp_path):
    from geo import pipeline
    from tests.support import make_project

    settings = make_project(tmp_path)
    results = {name: pipeline.validate(settings, tmp_path / name) for name in five_forms(tmp_path)}
    for name, result in results.items():
        assert result.ok, (name, [str(p) for p in result.problems])
        assert [p.id for p in result.places] == list(FIVE), name
    places = {name: result.places for name, result in results.items()}
    assert places["excel-utf8.csv"] == places["comma.csv"]
    assert places["excel-1252.csv"] == places["comma.csv"]
    assert places["places.xlsx"] == places["comma.csv"]
    office = places["comma.csv"][0]
    assert (office.lon, office.lat, office.geonames_id) == (11.96645, 57.707395, 2711537)
    notes = {name: sorted(p.code for p in r.problems) for name, r in results.items()}
    assert notes == {
        "comma.csv": [],
        "excel-utf8.csv": ["file/bom", "file/semicolon-separated"],
        "excel-1252.csv": ["file/other-encoding", "file/semicolon-separated"],
        "places.xlsx": [],
    }


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=200).map(lambda b: HEADER.replace(",", ";").encode() + b"\n" + b),
        st.text(max_size=200).map(lambda t: (HEADER + "\n" + t).encode("utf-8")),
    ),
    st.sampled_from([None, "cp1252", "latin-1", "utf-16"]),
)
def test_whatever_the_bytes_reading_gives_problems_never_an_exception(data, encoding):
    table = load_table(data, "t.csv", encoding)
    for problem in table.problems:
        assert "\n" not in str(problem)
    assert all(len(r.cells) == len(set(table.header)) for r in table.rows)


def test_a_column_name_with_a_line_break_stays_on_one_line():
    table = load_table(b'id,"lat\nitude",kind\n', "t.csv")
    unknown = next(p for p in table.problems if p.code == "header/unknown-column")
    assert "unknown column `lat\\nitude`" in str(unknown) and "\n" not in str(unknown)


def test_a_semicolon_header_of_unknown_names_is_split_and_each_name_judged():
    """Issue 12: the whole header came back as one unknown column."""
    table = load_table(b"Id;Relation;Status\nkiel;partner_city;dormant\n", "t.csv")
    assert "file/semicolon-separated" in codes(table)
    unknown = [p for p in table.problems if p.code == "header/unknown-column"]
    assert [p.field for p in unknown] == ["Id", "Relation", "Status"]
