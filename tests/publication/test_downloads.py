"""Downloads: the CSV (formula-safe, numbers as numbers), the GeoPackage, the checksum file."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import sqlite3
import subprocess

import pyogrio
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from geo.layers import build_layers
from geo.model import LAYERS
from geo.pipeline import load_places
from geo.publication import downloads
from geo.publication.published import parse_checksums
from tests.publishing import ROOT, settings_in
from tests.support import SCHEMA


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    return load_places(settings_in(tmp_path_factory.mktemp("s")), ROOT / "data/places.csv").places


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        (
            '=HYPERLINK("http://evil.example","x")',
            '\'=HYPERLINK("http://evil.example","x")',
        ),
        ("+46 31-365 00 00", "'+46 31-365 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Göteborg", "Göteborg"),
        ("a = b", "a = b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_neutralise(text, expected):
    assert downloads.neutralise(text) == expected


HOSTILE = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "=IMPORTXML(A1)",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["name_sv", "name_en", "description_en", "source", "phone"])
def test_hostile_text_cells_come_out_neutralised(places, text, field):
    hostile = dataclasses.replace(places[0], **{field: text})
    (row,) = [r for r in rows(downloads.build_csv([hostile]))]
    assert row[field] == "'" + text
    assert row["id"] == hostile.id


def test_negative_coordinates_stay_numbers(places):
    chicago = next(r for r in rows(downloads.build_csv(places)) if r["id"] == "chicago")
    assert chicago["lon"] == "-87.65005"  # a number, not a formula: not prefixed
    south = next(r for r in rows(downloads.build_csv(places)) if r["id"] == "nelson-mandela-bay")
    assert south["lat"] == "-33.96109"
    assert float(chicago["lat"]) == 41.85003


@given(st.text(min_size=1, max_size=30))
def test_no_text_cell_starts_a_formula(text):
    cell = downloads.neutralise(text)
    assert not cell.startswith(downloads.FORMULA_START)
    assert cell in (text, "'" + text)


def test_csv_is_one_row_per_place_with_the_documented_header(places):
    data = downloads.build_csv(places)
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.splitlines()[0].decode() == ",".join(SCHEMA.names)
    assert data.endswith(b"\r\n")
    parsed = rows(data)
    assert [r["id"] for r in parsed] == sorted(p.id for p in places)
    by_id = {p.id: p for p in places}
    for row in parsed:
        place = by_id[row["id"]]
        assert (float(row["lon"]), float(row["lat"])) == (
            round(place.lon, 6),
            round(place.lat, 6),
        )
        assert row["since"] == ("" if place.since is None else str(place.since))
        assert row["name_local"] == place.name_local  # 上海 and Kraków survive as UTF-8


@pytest.fixture(scope="module")
def layers(places):
    return build_layers(places)


@pytest.fixture(scope="module")
def gpkg(layers, tmp_path_factory):
    path = tmp_path_factory.mktemp("g") / "layers.gpkg"
    path.write_bytes(downloads.build_geopackage(layers, "2026-11-27"))
    return path


def test_geopackage_holds_every_layer(gpkg):
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == list(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_geopackage_read_back_equals_the_geojson(gpkg, layers, layer):
    frame = pyogrio.read_dataframe(gpkg, layer=layer)
    assert frame.crs.to_epsg() == 4326
    features = layers[layer]["features"]
    assert list(frame["id"]) == [f["id"] for f in features]
    for (_, row), feature in zip(frame.iterrows(), features, strict=True):
        expected = shapely.geometry.shape(feature["geometry"])
        assert row.geometry.geom_type == expected.geom_type
        assert shapely.equals_exact(row.geometry, expected, tolerance=1e-9)
        for name, value in feature["properties"].items():
            got = row[name]
            if value is None:
                assert got is None or got != got, name  # None or NaN
            elif isinstance(value, float):
                assert got == pytest.approx(value), name
            else:
                assert got == value, name


def test_geopackage_is_deterministic_and_dated_by_the_data(layers, tmp_path):
    one = downloads.build_geopackage(layers, "2026-11-27")
    assert downloads.build_geopackage(layers, "2026-11-27") == one
    other = tmp_path / "other.gpkg"
    other.write_bytes(downloads.build_geopackage(layers, "2027-01-02"))
    with sqlite3.connect(other) as db:
        stamps = {row[0] for row in db.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2027-01-02T00:00:00Z"}


def test_geopackage_build_leaves_gdal_config_as_it_was(layers):
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    downloads.build_geopackage(layers, "2026-11-27")
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") == before


def test_checksums_round_trip():
    files = {"b/x.csv": b"x", "a.json": json.dumps({"k": 1}).encode()}
    text = downloads.build_checksums(files).decode()
    assert text.splitlines()[0].endswith("  a.json")
    parsed = parse_checksums(text)
    assert parsed == {name: downloads.sha256(data) for name, data in files.items()}
    assert parsed["b/x.csv"] == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"


# --- FlatGeobuf ---------------------------------------------------------------------------------


def assert_rows_equal_features(rows, features):
    """Rows read back (id -> {column: value, geometry}) equal the GeoJSON features, every
    property of each feature and its geometry, whatever order the file keeps them in."""
    assert sorted(rows) == sorted(f["id"] for f in features)
    for feature in features:
        row = rows[feature["id"]]
        expected = shapely.geometry.shape(feature["geometry"])
        assert row["geometry"].geom_type == expected.geom_type, feature["id"]
        assert shapely.equals_exact(row["geometry"], expected, tolerance=1e-9), feature["id"]
        for name, value in feature["properties"].items():
            got = row.get(name)  # a reader may leave a null out
            if value is None:
                assert got is None or got != got, (feature["id"], name)  # None or NaN
            elif isinstance(value, float):
                assert got == pytest.approx(value, abs=1e-9), (feature["id"], name)
            else:
                assert got == value, (feature["id"], name)


@pytest.fixture(scope="module")
def fgb(layers, tmp_path_factory):
    path = tmp_path_factory.mktemp("f") / "all.fgb"
    path.write_bytes(downloads.build_flatgeobuf(layers["all"]))
    return path


def test_flatgeobuf_read_back_through_gdal_equals_all_geojson(fgb, layers):
    info = pyogrio.read_info(fgb)
    assert info["driver"] == "FlatGeobuf" and info["crs"] == "EPSG:4326"
    assert info["features"] == len(layers["all"]["features"])
    frame = pyogrio.read_dataframe(fgb)
    rows = {r["id"]: r for r in frame.to_dict("records")}
    assert_rows_equal_features(rows, layers["all"]["features"])
    kinds = set(frame.geometry.geom_type)
    assert {"Point", "LineString"} <= kinds  # places and lines in one file


READ_FGB = ROOT / "tests" / "tools" / "read-flatgeobuf.mjs"


def test_flatgeobuf_read_back_by_the_flatgeobuf_projects_own_reader(fgb, layers):
    # npm `flatgeobuf` (installed by `npm ci`, pinned in package.json): not GDAL, which wrote it.
    assert (ROOT / "node_modules" / "flatgeobuf").is_dir(), "run `npm ci` (make test does)"
    done = subprocess.run(
        [shutil.which("node") or "node", str(READ_FGB), str(fgb)],
        capture_output=True,
        text=True,
        check=True,
    )
    features = json.loads(done.stdout)["features"]
    rows = {
        f["properties"]["id"]: {
            **f["properties"],
            "geometry": shapely.geometry.shape(f["geometry"]),
        }
        for f in features
    }
    assert len(rows) == len(features)
    assert_rows_equal_features(rows, layers["all"]["features"])


def test_flatgeobuf_is_deterministic_and_catches_a_moved_point(layers):
    one = downloads.build_flatgeobuf(layers["all"])
    assert downloads.build_flatgeobuf(layers["all"]) == one
    moved = json.loads(json.dumps(layers["all"]))
    moved["features"][0]["geometry"]["coordinates"] = [1.0, 2.0]
    assert downloads.build_flatgeobuf(moved) != one
