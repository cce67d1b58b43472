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
