"""The shipped country outlines (geo/basemap/) and the script that makes them
(scripts/make_basemap.py): rings cut at the antimeridian, Antarctica closed along the pole."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent


def make_basemap():
    spec = importlib.util.spec_from_file_location("make_basemap", ROOT / "scripts/make_basemap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_ring_round_the_pole_is_closed_along_it():
    """A continent round the South Pole as world-atlas gives it (one ring from 180 W eastward to
    180 E, one jump back): the land between its coast and the pole, cut at the antimeridian."""
    coast = [(-180.0, -70.0), (-90.0, -65.0), (0.0, -70.0), (90.0, -65.0), (180.0, -70.0)]
    ring = shapely.Polygon([*coast, (-180.0, -70.0)])
    assert not ring.is_valid or ring.area == 0  # as a plane polygon it outlines nothing
    cut = make_basemap()._cut_at_antimeridian(shapely.MultiPolygon([ring]))
    assert cut.is_valid
    assert cut.bounds == (-180.0, -90.0, 180.0, -65.0)
    for lon in (-179.9, -45.0, 0.0, 45.0, 179.9):
        assert cut.covers(shapely.Point(lon, -85.0)), lon
        assert not cut.covers(shapely.Point(lon, -60.0)), lon


def test_a_ring_across_the_antimeridian_is_cut_there():
    """An island across 180 degrees (Fiji, Chukotka) becomes two polygons that meet there."""
    island = shapely.Polygon([(179.0, -17.0), (-179.0, -17.0), (-179.0, -16.0), (179.0, -16.0)])
    cut = make_basemap()._cut_at_antimeridian(shapely.MultiPolygon([island]))
    parts = sorted((p.bounds for p in cut.geoms), key=lambda b: b[0])
    assert parts == [(-180.0, -17.0, -179.0, -16.0), (179.0, -17.0, 180.0, -16.0)]


def test_the_shipped_antarctica_is_the_land_round_the_pole():
    """Natural Earth's Antarctica in geo/basemap/countries-110m.geojson: valid, the land from its
    coast to the pole, the Ross Sea and the Weddell Sea open water (they once were land up to a
    straight edge at 71.5 S, drawn as a coast)."""
    data = json.loads((ROOT / "geo/basemap/countries-110m.geojson").read_bytes())
    (antarctica,) = [f for f in data["features"] if f["properties"]["name"] == "Antarctica"]
    land = shape(antarctica["geometry"])
    assert land.is_valid
    inland = [(0.0, -80.0), (100.0, -75.0), (-120.0, -80.0), (179.9, -85.5), (-179.9, -85.5)]
    for lon, lat in inland:
        assert land.covers(shapely.Point(lon, lat)), (lon, lat)
    for lon, lat in [(-175.0, -72.0), (180.0, -74.0), (-45.0, -70.0)]:  # Ross Sea, Weddell Sea
        assert not land.covers(shapely.Point(lon, lat)), (lon, lat)


def test_every_shipped_outline_is_valid_and_within_the_world():
    data = json.loads((ROOT / "geo/basemap/countries-110m.geojson").read_bytes())
    for feature in data["features"]:
        geometry = shape(feature["geometry"])
        west, south, east, north = geometry.bounds
        assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90, feature["properties"]
