"""The spreadsheet download (.xlsx): read back by GDAL's XLSX driver (not openpyxl, which wrote
it) it equals the places, typed as the schema types them; nothing in it is a formula, hostile
text stays text; the same places give the same bytes whatever the clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pyogrio
import pytest

from geo.pipeline import load_places
from geo.publication.spreadsheet import build_xlsx
from tests.publishing import ROOT, settings_in
from tests.support import SCHEMA

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "#N/A"]


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    return load_places(settings_in(tmp_path_factory.mktemp("s")), ROOT / "data/places.csv").places


def build(places) -> bytes:
    return build_xlsx(places, "2026-11-27", "Göteborgs internationella relationer", "Stad")


@pytest.fixture(scope="module")
def hostile(places):
    """The places, the first few with a hostile text in a text column each."""
    edited = [
        dataclasses.replace(p, description_en=text, name_local=text)
        for p, text in zip(places, HOSTILE, strict=False)
    ]
    return [*edited, *places[len(HOSTILE) :]]


def read_back(data: bytes, tmp_path) -> list[dict]:
    path = tmp_path / "places.xlsx"
    path.write_bytes(data)
    assert [name for name, _ in pyogrio.list_layers(path)] == ["places", "columns"]
    frame = pyogrio.read_dataframe(path, layer="places", read_geometry=False)
    assert list(frame.columns) == list(SCHEMA.names)
    return frame.to_dict("records")


def test_gdal_reads_back_the_places_with_their_types(places, tmp_path):
    rows = {r["id"]: r for r in read_back(build(places), tmp_path)}
    assert sorted(rows) == sorted(p.id for p in places)
    for place in places:
        row = rows[place.id]
        assert (row["lon"], row["lat"]) == (round(place.lon, 6), round(place.lat, 6))
        assert isinstance(row["lon"], float)  # a number, not text
        assert row["geonames_id"] == place.geonames_id
        if place.since is None:
            assert row["since"] != row["since"]  # empty: NaN
        else:
            assert row["since"] == place.since
        assert row["as_of"].date() == dt.date.fromisoformat(place.as_of)  # a date cell
        assert row["name_local"] == place.name_local  # 上海, Kraków
        assert row["kind"] == place.kind.value


def sheet_cells(data: bytes) -> tuple[list[ET.Element], ET.Element]:
    """Every cell element of every sheet (read as XML, as the format defines it), and the
    styles."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        cells = [c for n in sheets for c in ET.fromstring(z.read(n)).iter(f"{MAIN}c")]
        styles = ET.fromstring(z.read("xl/styles.xml"))
    return cells, styles


def inline_text(cell: ET.Element) -> str | None:
    """The text of an inline-string cell (t="inlineStr"), else None."""
    if cell.get("t") != "inlineStr":
        return None
    return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))


def test_no_cell_is_a_formula_and_hostile_text_stays_text(hostile, tmp_path):
    data = build(hostile)
    cells, styles = sheet_cells(data)
    assert not any(c.find(f"{MAIN}f") is not None for c in cells)  # no formula anywhere
    assert {c.get("t") for c in cells} <= {"inlineStr", "n", None}  # text, numbers, dates
    xfs = styles.find(f"{MAIN}cellXfs").findall(f"{MAIN}xf")
    for text in HOSTILE:
        found = [c for c in cells if inline_text(c) == text]
        assert len(found) == 2, text  # name_local and description_en, exactly as given
        for cell in found:
            quoted = xfs[int(cell.get("s", 0))].get("quotePrefix") == "1"
            assert quoted == text.startswith(("=", "+", "-", "@")), text
    rows = read_back(data, tmp_path)
    assert {r["name_local"] for r in rows} >= set(HOSTILE)  # GDAL reads the text, not a value


def test_same_places_same_bytes_whatever_the_clock(places, monkeypatch):
    import openpyxl.writer.excel as writer

    one = build(places)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

    monkeypatch.setattr(writer.datetime, "datetime", Later)
    assert build(places) == one
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 27, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert (
        re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
        == ["2026-11-27T00:00:00Z"] * 2
    )


def test_columns_sheet_describes_every_column(places, tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(build(places))
    # Every cell is text, so GDAL cannot tell the header by type: tell it.
    before = pyogrio.get_gdal_config_option("OGR_XLSX_HEADERS")
    pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": "FORCE"})
    try:
        frame = pyogrio.read_dataframe(path, layer="columns", read_geometry=False)
    finally:
        pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": before})
    assert list(frame["column"]) == list(SCHEMA.names)
    assert all(frame["meaning"].str.len() > 0)


# --- read back by openpyxl: the layout a person sees in a spreadsheet program (issue 26) ------


def shown(value) -> str:
    """A cell's value as the writer measured it (a date as YYYY-MM-DD)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


def test_openpyxl_reads_back_the_sheets_as_a_person_sees_them(places):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    given = [dataclasses.replace(places[0], since_note=""), *reversed(places[1:])]  # any order
    book = load_workbook(io.BytesIO(build(given)))
    assert book.sheetnames == ["places", "columns"]
    assert book.properties.title == "Göteborgs internationella relationer"
    assert book.properties.creator == "Stad"
    assert book.properties.created == dt.datetime(2026, 11, 27)

    sheet = book["places"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(SCHEMA.names)
    assert all(c.font.b for c in sheet[1])  # the header is bold, frozen and filtered
    assert not any(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "A2"
    last = f"{get_column_letter(len(SCHEMA.names))}{len(places) + 1}"
    assert sheet.auto_filter.ref == f"A1:{last}"
    assert [r[0] for r in rows[1:]] == sorted(p.id for p in places)  # sorted by id
    by_id = {r[0]: dict(zip(SCHEMA.names, r, strict=True)) for r in rows[1:]}
    assert by_id[places[0].id]["since_note"] is None  # an empty text is an empty cell
    for place in places:
        row = by_id[place.id]
        assert row["kind"] == place.kind.value and row["geonames_id"] == place.geonames_id
        assert type(row["geonames_id"]) is int and type(row["lat"]) is float
        assert row["as_of"] == dt.datetime.fromisoformat(place.as_of)
    as_of = get_column_letter(SCHEMA.names.index("as_of") + 1)
    dates = [c for c in sheet[as_of][1:] if c.value is not None]
    assert dates and {c.number_format for c in dates} == {"yyyy-mm-dd"}  # shown as a date
    for col in range(1, len(SCHEMA.names) + 1):  # as wide as its longest text + 2, up to 60
        longest = max(len(shown(r[col - 1])) for r in rows)
        width = sheet.column_dimensions[get_column_letter(col)].width
        assert width == min(longest + 2, 60), SCHEMA.names[col - 1]

    about = book["columns"]
    rows = [[c.value for c in row] for row in about.iter_rows()]
    labels = [f"label_{lang}" for lang in SCHEMA.languages]
    assert rows[0] == ["column", "type", *labels, "meaning"]
    assert all(c.font.b for c in about[1])
    assert len(rows) == len(SCHEMA.columns) + 1
    for row, column in zip(rows[1:], SCHEMA.columns, strict=True):
        names = [column.label(lang) for lang in SCHEMA.languages]
        assert row == [column.name, column.type, *names, column.meaning]
    widths = [about.column_dimensions[get_column_letter(c)].width for c in range(1, 6)]
    assert widths == [18, 10, 24, 24, 60]


def test_every_zip_entry_is_compressed_and_dated_as_of():
    data = build_xlsx([], "2026-11-27", "T", "S")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {i.date_time for i in infos} == {(2026, 11, 27, 0, 0, 0)}
        assert z.testzip() is None


def test_each_cell_is_typed_as_its_column():
    from geo.publication.spreadsheet import cell_value
    from geo.schema import Column, Kind, Need

    def column(name, kind):
        return Column(name, kind, Need.OPTIONAL, "m", "", "d")

    assert cell_value(column("share", "number"), "2.5") == 2.5  # a number that is no coordinate
    assert type(cell_value(column("share", "number"), 3)) is float
    assert cell_value(column("since", "integer"), "1999") == 1999
    assert cell_value(column("as_of", "date"), "2026-11-27") == dt.date(2026, 11, 27)
    assert cell_value(column("lon", "number"), 11.96645449) == 11.966454  # 6 decimals
    assert cell_value(column("kind", "string"), Kind.OFFICE) == "office"
    for empty in ("", None):  # an empty cell
        assert cell_value(column("note", "string"), empty) is None
    assert cell_value(column("note", "string"), " ") == " "


def test_the_columns_are_those_of_the_schema_it_is_given(places, tmp_path):
    from geo.schema import schema

    english = build_xlsx(places, "2026-11-27", "T", "S", schema(["en"]))
    path = tmp_path / "en.xlsx"
    path.write_bytes(english)
    frame = pyogrio.read_dataframe(path, layer="places", read_geometry=False)
    assert "name_en" in frame.columns and "name_sv" not in frame.columns
    assert list(read_back(build(places), tmp_path)[0]) == list(SCHEMA.names)  # by default: sv


def test_no_cell_holds_an_empty_text(places):
    """An empty value is no cell at all, not a text cell without text."""
    given = [dataclasses.replace(p, since_note="", description_sv="") for p in places]
    cells, _ = sheet_cells(build(given))
    empty = [c for c in cells if c.get("t") == "inlineStr" and inline_text(c) == ""]
    assert empty == []


def test_pinning_changes_the_dates_and_nothing_else():
    from geo.publication.spreadsheet import _pinned

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, mode in (("a.xml", 0o100644), ("docProps/core.xml", 0o100600)):
            info = zipfile.ZipInfo(name, date_time=(2031, 5, 6, 7, 8, 10))
            info.external_attr = mode << 16
            body = b"<dcterms:modified x='1'>2031-05-06T07:08:10Z</dcterms:modified><a/>"
            z.writestr(info, body)
    pinned = _pinned(out.getvalue(), dt.datetime(2026, 11, 27))
    with zipfile.ZipFile(io.BytesIO(pinned)) as z:
        infos = {i.filename: i for i in z.infolist()}
        assert list(infos) == ["a.xml", "docProps/core.xml"]
        assert infos["a.xml"].external_attr == 0o100644 << 16  # each entry's mode kept
        assert infos["docProps/core.xml"].external_attr == 0o100600 << 16
        assert z.read("a.xml") == body  # only docProps/core.xml's dates are rewritten
        assert z.read("docProps/core.xml") == (
            b"<dcterms:modified x='1'>2026-11-27T00:00:00Z</dcterms:modified><a/>"
        )
