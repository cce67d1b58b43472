"""The layers (geo.layers): content, RFC 7946 conformance, independent validators, determinism.

Four independent checks for every published file: @placemarkio/check-geojson (npm),
geojson-validator (PyPI), python-geojson's own validity rules, and a read-back through GDAL
(pyogrio).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from geo import pipeline
from geo.config import read_settings
from geo.encoding import dumps_layers
from geo.geometry import as_lists
from geo.layers import build_layers
from geo.model import ALL, LAYERS
from geo.schema import BY_NAME, schema
from tests.support import PACIFIC, ROOT, make_project, shipped_rows, to_csv

LAYER_DIR = ROOT / "data" / "layers"
FILES = [*LAYERS, ALL]
CHECK_GEOJSON = ROOT / "tests" / "tools" / "check-geojson.cjs"


@pytest.fixture(scope="module")
def goteborg():
    return pipeline.build(read_settings(ROOT / "geo.toml"), write=False)


@pytest.fixture(scope="module")
def pacific():
    return pipeline.build(read_settings(PACIFIC / "geo.toml"), write=False)


def features(layers, name):
    return layers[name]["features"]


def test_counts(goteborg):
    layers = goteborg.layers
    assert len(features(layers, "office")) == 1
    partners = features(layers, "partner_cities")
    assert len(partners) == 10
    assert sorted(f["properties"]["status"] for f in partners) == ["active"] + ["dormant"] * 9
    towns = features(layers, "friendship_towns")
    assert [f["properties"]["status"] for f in towns] == ["active"] * 3
    assert len(features(layers, "connections")) == 13
    assert len(features(layers, ALL)) == 27


def test_ids_are_stable_unique_strings(goteborg):
    ids = [f["id"] for f in features(goteborg.layers, ALL)]
    assert len(ids) == len(set(ids))
    assert all(isinstance(i, str) for i in ids)
    assert "kiel" in ids and "stadsledningskontoret--kiel" in ids
    for name in LAYERS:
        layer_ids = [f["id"] for f in features(goteborg.layers, name)]
        assert layer_ids == sorted(layer_ids)


def test_every_place_has_kind_and_status_and_documented_properties(goteborg):
    for name in ("office", "partner_cities", "friendship_towns"):
        for f in features(goteborg.layers, name):
            props = f["properties"]
            assert props["id"] == f["id"]
            assert props["kind"] in {"office", "partner_city", "friendship_town"}
            assert "status" in props
            assert all(k == k.lower() and " " not in k for k in props)
    office = features(goteborg.layers, "office")[0]["properties"]
    assert office["status"] is None
    assert office["visiting_address"].startswith("Gustaf Adolfs Torg 4A")


def test_connections_carry_distance_and_both_ends(goteborg):
    by_id = {f["id"]: f for f in features(goteborg.layers, "connections")}
    chicago = by_id["stadsledningskontoret--chicago"]["properties"]
    assert chicago["from_id"] == "stadsledningskontoret" and chicago["to_id"] == "chicago"
    assert chicago["distance_km"] == pytest.approx(6709.0, abs=1)
    assert chicago["status"] == "dormant" and chicago["relation"] == "partner_city"
    nmb = by_id["stadsledningskontoret--nelson-mandela-bay"]["properties"]
    assert nmb["status"] == "active"


def test_rfc7946_shape(goteborg):
    for name in FILES:
        fc = goteborg.layers[name]
        assert "crs" not in fc
        assert set(fc) == {"type", "bbox", "features"}
        for f in fc["features"]:
            assert set(f) <= {"type", "id", "geometry", "properties", "bbox"}
            coords = json.dumps(as_lists(f["geometry"]["coordinates"]))
            for number in coords.replace("[", " ").replace("]", " ").replace(",", " ").split():
                assert len(number.partition(".")[2]) <= 6, number


def test_bbox_is_the_extent(goteborg):
    from shapely.geometry import shape

    for name in FILES:
        fc = goteborg.layers[name]
        bounds = [shape(f["geometry"]).bounds for f in fc["features"]]
        west = min(b[0] for b in bounds)
        south = min(b[1] for b in bounds)
        east = max(b[2] for b in bounds)
        north = max(b[3] for b in bounds)
        assert fc["bbox"] == [west, south, east, north], name


def test_the_pacific_home_city_cuts_lines_at_the_antimeridian(pacific):
    by_id = {f["id"]: f for f in features(pacific.layers, "connections")}
    tokyo = by_id["honolulu-hale--tokyo"]
    assert tokyo["geometry"]["type"] == "MultiLineString"
    assert tokyo["properties"]["crosses_antimeridian"] is True
    west, east, south, north = (
        tokyo["bbox"][0],
        tokyo["bbox"][2],
        tokyo["bbox"][1],
        tokyo["bbox"][3],
    )
    assert west > east  # RFC 7946 §5.2: the box crosses the antimeridian
    assert (west, east) == (139.69171, -157.8583)
    assert south == 21.3069 and north > 35.6895
    assert by_id["honolulu-hale--los-angeles"]["geometry"]["type"] == "LineString"
    assert len(features(pacific.layers, "office")) == 1
    assert len(features(pacific.layers, "connections")) == 5


@pytest.mark.golden
def test_committed_layers_are_up_to_date_with_the_table(goteborg):
    layers = {p: d for p, d in goteborg.files.items() if p.parent == LAYER_DIR}
    assert len(layers) == len(FILES)
    for path, data in layers.items():
        assert path.read_bytes() == data, (
            f"{path.relative_to(ROOT)} is out of date with data/places.csv: run `make build` "
            "and commit the layers"
        )


def plain_values(value):
    """Every value inside `value` (dicts and lists walked), to check its types."""
    if isinstance(value, dict):
        for item in value.values():
            yield from plain_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from plain_values(item)
    else:
        yield value


def test_the_public_layers_are_plain_python_and_the_pipeline_s_arrays(pacific):
    """`geo.build_layers` gives what json and any GeoJSON reader take (lists, not arrays); the
    pipeline holds the same lines as arrays, one conversion apart."""
    import numpy as np

    import geo
    from geo.layers import as_plain, build_array_layers

    public = geo.build_layers(pacific.places)
    kinds = {type(v) for v in plain_values(public)}
    assert kinds <= {str, int, float, bool, type(None)}, kinds
    tokyo = next(f for f in public[ALL]["features"] if f["id"] == "honolulu-hale--tokyo")
    assert all(type(part) is list for part in tokyo["geometry"]["coordinates"])
    held = build_array_layers(pacific.places)
    lines = [f["geometry"]["coordinates"] for f in held["connections"]["features"]]
    runs = [run for c in lines for run in (c if isinstance(c, list) else [c])]
    assert runs and all(isinstance(run, np.ndarray) for run in runs)
    assert as_plain(held) == public
    assert json.loads(json.dumps(public)) == public


def test_two_builds_are_byte_identical(tmp_path):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    first = {p: p.read_bytes() for p in settings.layers_dir.glob("*.geojson")}
    shutil.rmtree(settings.layers_dir)
    pipeline.build(settings)
    second = {p: p.read_bytes() for p in settings.layers_dir.glob("*.geojson")}
    assert first == second
    assert len(first) == 5


def test_dumps_is_utf8_without_bom_one_feature_per_line(goteborg):
    data = dumps_layers(goteborg.layers)["friendship_towns"]
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"]}\n")
    assert "Århus".encode() in data  # plain UTF-8, not \u escapes
    assert len(data.splitlines()) == 3 + 2
    assert json.loads(data) == goteborg.layers["friendship_towns"]


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
    "`${alert(3)}`",
    "' OR '1'='1",
    "He said \"hej\" and 'hello'",
    "javascript:alert(4)",
    "&lt;b&gt; &amp; &#x3C;",
    '=HYPERLINK("http://x")',
    "\u200fevil\u200e right-to-left and left-to-right marks",
    "مدينة شريكة",
    "🇸🇪🤝🇿🇦",
    "x" * 2000,
    "\\u003cscript\\u003e",
    "line one\nline two",
]
FREE_TEXT = (
    "name_sv",
    "name_en",
    "name_local",
    "since_note",
    "description_sv",
    "description_en",
    "geonames_note",
    "source",
)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_data_not_an_error(tmp_path, text):
    header, rows = shipped_rows()
    # Line breaks are text only where a column allows several lines (names are one line).
    fields = [f for f in FREE_TEXT if "\n" not in text or BY_NAME[f].multiline]
    fields = [f for f in fields if len(text) <= (BY_NAME[f].max_length or len(text))]
    for field in fields:
        rows[2][field] = text  # kiel
    settings = make_project(tmp_path, to_csv(header, rows))
    report = pipeline.build(settings)
    data = (settings.layers_dir / "partner_cities.geojson").read_bytes()
    kiel = next(f for f in json.loads(data)["features"] if f["id"] == "kiel")
    for field in fields:
        assert kiel["properties"][field] == text
    assert report.warnings == ()


# --- independent validators --------------------------------------------------------------------


def published_files(tmp_path: Path) -> list[Path]:
    """The committed Göteborg layers and the Pacific layers, built into tmp_path."""
    settings = read_settings(PACIFIC / "geo.toml")
    layers = build_layers(pipeline.load_places(settings).places)
    out = []
    for name in FILES:
        path = tmp_path / f"pacific-{name}.geojson"
        path.write_bytes(dumps_layers({name: layers[name]})[name])
        out.append(path)
    return [LAYER_DIR / f"{name}.geojson" for name in FILES] + out


def test_check_geojson_finds_no_issue(tmp_path):
    node_modules = ROOT / "node_modules" / "@placemarkio" / "check-geojson"
    assert node_modules.is_dir(), "run `make test` (npm ci installs the validators)"
    files = published_files(tmp_path)
    out = subprocess.run(
        ["node", str(CHECK_GEOJSON), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    issues = json.loads(out.stdout)
    assert len(issues) == len(files)
    assert all(v == [] for v in issues.values()), issues


def test_check_geojson_does_catch_a_bad_file(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type":"Feature","geometry":null,"properties":{},"features":[]}')
    out = subprocess.run(
        ["node", str(CHECK_GEOJSON), str(bad)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(out.stdout)[str(bad)] != []


def test_geojson_validator_finds_no_error(tmp_path):
    import geojson_validator

    for path in published_files(tmp_path):
        data = json.loads(path.read_bytes())
        assert geojson_validator.validate_structure(data, check_crs=True) == {}, path
        result = geojson_validator.validate_geometries(data)
        assert result["invalid"] == {}, (path, result)  # error level
        problematic = dict(result["problematic"])
        # geojson-validator wraps 180 to -180 before comparing, so it flags every line that is cut
        # exactly as RFC 7946 §3.1.9 shows ([..., [180.0, 48.5]], [[-180.0, 48.5], ...]). That
        # warning must name exactly the features we cut, and nothing else may be flagged.
        flagged = problematic.pop("crosses_antimeridian", [])
        cut = [
            i for i, f in enumerate(data["features"]) if f["properties"].get("crosses_antimeridian")
        ]
        assert sorted(next(iter(entry)) for entry in flagged) == cut, path
        assert problematic == {}, (path, result)


def test_the_geojson_package_finds_every_object_valid(tmp_path):
    """python-geojson (jazzband/geojson) as a fourth, independent reader: every collection,
    feature and geometry it builds from the files is valid by its own rules."""
    import geojson

    for path in published_files(tmp_path):
        collection = geojson.loads(path.read_text(encoding="utf-8"))
        assert isinstance(collection, geojson.FeatureCollection), path
        assert collection.is_valid, (path, collection.errors())
        for feature in collection["features"]:
            assert isinstance(feature, geojson.Feature) and feature.is_valid, feature["id"]
            assert feature["geometry"].is_valid, (feature["id"], feature["geometry"].errors())


def test_the_geojson_package_does_catch_a_bad_geometry():
    import geojson

    line = geojson.loads('{"type": "LineString", "coordinates": [[11.9, 57.7]]}')
    assert not line.is_valid


def test_gdal_reads_back_the_same_features(tmp_path):
    import pyogrio
    from shapely.geometry import shape

    for path in published_files(tmp_path):
        data = json.loads(path.read_bytes())
        frame = pyogrio.read_dataframe(path)
        assert len(frame) == len(data["features"]), path
        for row, feature in zip(frame.itertuples(), data["features"], strict=True):
            assert row.id == feature["id"]
            assert row.geometry.equals(shape(feature["geometry"]))
            for key, value in feature["properties"].items():
                got = getattr(row, key)
                if value is None:
                    assert got is None or got != got, (path, key)  # None or NaN
                elif key == "as_of":  # GDAL recognises the ISO date
                    assert got.date().isoformat() == value
                else:
                    assert got == value, (path, feature["id"], key)


@pytest.mark.parametrize(
    ("azimuth", "expected"),
    [(-0.03, 0.0), (-0.049, 0.0), (0.02, 0.0), (179.98, 180.0), (-90.0, 270.0), (90.0, 90.0)],
)
def test_bearing_is_from_0_up_to_but_not_360(goteborg, azimuth, expected):
    """data/README.md: degrees clockwise from north, 1 decimal. A place just west of due north
    (359.97, rounded 360.0) is at 0.0: 360 and 0 are one direction, written one way (issue 26)."""
    import dataclasses

    from pyproj import Geod

    office = next(p for p in goteborg.places if p.kind.value == "office")
    lon, lat, _ = Geod(ellps="WGS84").fwd(office.lon, office.lat, azimuth, 800_000.0)
    bergen = next(p for p in goteborg.places if p.id == "bergen")
    moved = dataclasses.replace(bergen, lon=round(lon, 6), lat=round(lat, 6))
    places = [moved if p.id == "bergen" else p for p in goteborg.places]
    (line,) = [
        f for f in features(build_layers(places), "connections") if f["id"].endswith("bergen")
    ]
    assert line["properties"]["bearing_deg"] == expected
    assert 0.0 <= line["properties"]["bearing_deg"] < 360.0


def test_every_published_bearing_is_from_0_up_to_but_not_360(goteborg):
    for f in features(goteborg.layers, "connections"):
        assert 0.0 <= f["properties"]["bearing_deg"] < 360.0, f["id"]


def test_as_plain_leaves_a_feature_without_geometry_as_it_is():
    """RFC 7946 §3.2: an unlocated feature has a null geometry; as_plain has no coordinates to
    turn into lists there (issue 26)."""
    import numpy as np

    from geo.layers import as_plain

    unlocated = {"type": "Feature", "id": "x", "geometry": None, "properties": {}}
    line = {"type": "LineString", "coordinates": np.array([[1.0, 2.0], [3.0, 4.0]])}
    located = {"type": "Feature", "id": "y", "geometry": line, "properties": {}}
    layers = {"a": {"type": "FeatureCollection", "features": [unlocated, located]}}
    assert as_plain(layers) is layers
    assert unlocated == {"type": "Feature", "id": "x", "geometry": None, "properties": {}}
    assert located["geometry"]["coordinates"] == [[1.0, 2.0], [3.0, 4.0]]


def test_build_layers_names_places_in_the_languages_it_is_given(goteborg):
    """`languages` (the settings') chooses the name and description properties; without it,
    the languages the places fill (Swedish and English here)."""
    import geo

    default = geo.build_layers(goteborg.places)
    english = geo.build_layers(goteborg.places, ["en"])
    for layers, names in ((default, {"name_sv", "name_en"}), (english, {"name_en"})):
        for fc in layers.values():
            for feature in fc["features"]:
                props = feature["properties"]
                assert {k for k in props if k.startswith("name_") and k != "name_local"} == names


def test_each_connection_s_distance_and_bearing_are_pyproj_s_to_one_decimal(goteborg):
    """data/README.md: kilometres along the geodesic and degrees from north, 1 decimal; pyproj's
    Geod (WGS 84) computes them here independently of geo.geometry (issue 26)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    by_id = {p.id: p for p in goteborg.places}
    languages = read_settings(ROOT / "geo.toml").languages
    names = [p.name for p in schema(languages).connection_properties]
    for f in features(goteborg.layers, "connections"):
        props = f["properties"]
        start, end = by_id[props["from_id"]], by_id[props["to_id"]]
        az, _, metres = geod.inv(start.lon, start.lat, end.lon, end.lat)
        assert props["distance_km"] == round(metres / 1000, 1), f["id"]
        assert props["bearing_deg"] == round(az % 360, 1) % 360, f["id"]
        assert props["relation"] == end.kind.value and props["kind"] == "connection"
        assert props["id"] == f["id"] == f"{start.id}--{end.id}"
        assert props["status"] == end.status.value  # every related place has one
        assert list(props) == names  # the documented properties (data/README.md), in order
