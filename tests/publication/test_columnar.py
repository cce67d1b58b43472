"""GeoParquet 1.1: its `geo` metadata meets the GeoParquet 1.1.0 JSON Schema (with PROJ's own
PROJJSON schema for the CRS), and the file read back with pyarrow and shapely (not geopandas,
which wrote it) equals all.geojson."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pyproj
import pytest
import shapely
from referencing import Registry, Resource

from geo.layers import build_layers
from geo.pipeline import load_places
from geo.publication.columnar import build_geoparquet
from tests.publication.test_downloads import assert_rows_equal_features
from tests.publishing import ROOT, settings_in

SCHEMA = Path(__file__).parents[1] / "data" / "geoparquet-1.1.0.schema.json"
PROJJSON = Path(pyproj.datadir.get_data_dir()) / "projjson.schema.json"


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    settings = settings_in(tmp_path_factory.mktemp("s"))
    return build_layers(load_places(settings, ROOT / "data/places.csv").places)


@pytest.fixture(scope="module")
def table(layers):
    return pq.read_table(io.BytesIO(build_geoparquet(layers["all"])))


def validator() -> jsonschema.Draft7Validator:
    """The GeoParquet schema, its `crs` $ref served from PROJ's schema (no network)."""
    projjson = json.loads(PROJJSON.read_text(encoding="utf-8"))
    registry = Registry().with_resource(
        "https://proj.org/schemas/v0.5/projjson.schema.json",
        Resource.from_contents(projjson),
    )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, registry=registry)


def test_geo_metadata_meets_the_geoparquet_1_1_schema(table):
    geo = json.loads(table.schema.metadata[b"geo"])
    errors = [e.message for e in validator().iter_errors(geo)]
    assert errors == []
    assert geo["version"] == "1.1.0"
    column = geo["columns"][geo["primary_column"]]
    assert column["encoding"] == "WKB"
    assert sorted(column["geometry_types"]) == ["LineString", "Point"]
    assert pyproj.CRS.from_json_dict(column["crs"]).to_epsg() == 4326
    assert column["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda g: g.update(version="1.0.0"),
        lambda g: g["columns"]["geometry"].update(encoding="WKT"),
        lambda g: g["columns"]["geometry"].update(geometry_types=["Pointy"]),
        lambda g: g["columns"]["geometry"].update(crs={"type": "NotACRS"}),
        lambda g: g.pop("primary_column"),
    ],
)
def test_the_schema_catches_damaged_metadata(table, damage):
    geo = json.loads(table.schema.metadata[b"geo"])
    damage(geo)
    assert list(validator().iter_errors(geo))


def test_read_back_with_pyarrow_and_shapely_equals_all_geojson(table, layers):
    data = table.to_pylist()
    features = layers["all"]["features"]
    assert [r["id"] for r in data] == [f["id"] for f in features]  # the GeoJSON's order
    rows = {r["id"]: {**r, "geometry": shapely.from_wkb(r["geometry"])} for r in data}
    assert_rows_equal_features(rows, features, "all")  # GeoParquet keeps GeoJSON's types
    for row in rows.values():  # the covering bbox is each row's extent
        xmin, ymin, xmax, ymax = row["geometry"].bounds
        box = row["bbox"]
        assert (box["xmin"], box["ymin"], box["xmax"], box["ymax"]) == pytest.approx(
            (xmin, ymin, xmax, ymax), abs=1e-5
        )


def test_geoparquet_is_byte_for_byte_reproducible(layers):
    assert build_geoparquet(layers["all"]) == build_geoparquet(layers["all"])
