"""Convert Natural Earth country outlines (world-atlas TopoJSON, from npm) to the shipped basemap.

Run once, by hand, when the basemap should change; the results are committed as
geo/basemap/countries-110m.geojson and geo/basemap/countries-50m-cells.json (public domain, see
geo/basemap/README.md):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_basemap.py package/countries-110m.json \
        geo/basemap/countries-110m.geojson
    .venv/bin/python scripts/make_basemap.py --cells package/countries-50m.json \
        geo/basemap/countries-50m-cells.json

The 1:50m outlines are for the web map's view near home (from zoom 4): simplified to 0.01 degree,
cut into cells of 10 x 10 degrees, each cell the land (one fill, seamless where cells meet) and the
coastlines and borders (each line once), polyline-encoded as the web map's basemap is
(geo.web.assets.encode_ring). A build takes the cells around the home city as they are.

GDAL (through pyogrio) reads the TopoJSON. Rings that cross the antimeridian (Russia, Fiji,
Antarctica: world-atlas stitches them) are cut there, as RFC 7946 asks, so that no map draws a
stroke across the whole world. Coordinates keep 2 decimals (about 1 km), plenty for outlines drawn
at 1:110 million.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from shapely.affinity import translate
from shapely.geometry import box

DECIMALS = 2


def _round(coords: object) -> object:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        return [round(float(c), DECIMALS) + 0.0 for c in coords]
    return [_round(c) for c in coords]  # type: ignore[union-attr]


def _dedupe(ring: list) -> list:
    out = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    return out if len(out) >= 4 else []


def _clean(geometry: dict) -> dict | None:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    kept = []
    for polygon in _round(polygons):  # type: ignore[union-attr]
        rings = [r for r in (_dedupe(ring) for ring in polygon) if r]
        if rings:
            kept.append(rings)
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


def _round_the_pole(polygon: shapely.Polygon) -> shapely.Geometry | None:
    """A ring that goes once round a pole (Antarctica: its longitudes, followed without jumps,
    gain 360°) as the polygon it outlines, closed along the pole and cut at ±180° by the print
    map's ``printmap.clip.split_ring``; None for any other ring."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from geo.printmap.clip import split_ring

    ring = shapely.get_coordinates(polygon.exterior)
    steps = np.diff(ring[:, 0])
    if abs(np.sum(steps - 360.0 * np.round(steps / 360.0))) <= 180.0:
        return None
    return shapely.union_all([shapely.Polygon(piece).buffer(0) for piece in split_ring(ring)])


def _cut_at_antimeridian(geometry: shapely.Geometry) -> shapely.Geometry:
    """Split polygons whose rings jump across ±180° into pieces on each side."""
    pieces = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        lons = shapely.get_coordinates(polygon.exterior)[:, 0]
        if (abs(lons[1:] - lons[:-1]) <= 180).all():
            pieces.append(polygon)
            continue
        polar = _round_the_pole(polygon)
        if polar is not None:
            pieces.append(polar)
            continue
        # unwrap: move the western half east of 180, cut, and move the part beyond 180 back
        coords = shapely.get_coordinates(polygon)
        shifted = shapely.set_coordinates(
            polygon, [[x + 360 if x < 0 else x, y] for x, y in coords]
        ).buffer(0)
        pieces.append(shifted.intersection(box(-180, -90, 180, 90)))
        pieces.append(translate(shifted.intersection(box(180, -90, 540, 90)), xoff=-360))
    polygons = []
    for piece in pieces:
        polygons += [g for g in getattr(piece, "geoms", [piece]) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons)


CELL = 10  # degrees: the 1:50m cells
FINE = 0.01  # degrees: the 1:50m outlines simplified to this (about 1 km)


def cells(source: str, target: str) -> None:
    """The 1:50m outlines as cells of land and lines (see the module's docstring)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from geo.web.assets import encode_ring

    frame = pyogrio.read_dataframe(source, layer="countries")
    countries = [
        shapely.simplify(_cut_at_antimeridian(g), FINE, preserve_topology=True).buffer(0)
        for g in frame.sort_values("id").geometry
    ]
    land = shapely.union_all(countries)
    lines = shapely.union_all([c.boundary for c in countries])  # coasts and borders, each once
    out: dict[str, dict[str, list]] = {}
    for x in range(-180, 180, CELL):
        for y in range(-90, 90, CELL):
            cell = box(x, y, x + CELL, y + CELL)
            fill = [
                [encode_ring(ring.coords) for ring in (p.exterior, *p.interiors)]
                for p in _parts(land.intersection(cell), "Polygon")
            ]
            edges = [encode_ring(g.coords) for g in _parts(lines.intersection(cell), "LineString")]
            if fill or edges:
                out[f"{x},{y}"] = {"fill": fill, "lines": edges}
    text = json.dumps({"precision": DECIMALS, "cell": CELL, "cells": out}, separators=(",", ":"))
    Path(target).write_text(text + "\n", encoding="utf-8")
    print(f"{target}: {len(out)} cells, {len(text.encode()):,} bytes")


def _parts(geometry: shapely.Geometry, kind: str) -> list:
    return [
        g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type == kind and not g.is_empty
    ]


def main(source: str, target: str) -> None:
    frame = pyogrio.read_dataframe(source, layer="countries")
    features = []
    for row in frame.sort_values("id").itertuples():
        geometry = _clean(json.loads(shapely.to_geojson(_cut_at_antimeridian(row.geometry))))
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": str(row.id),
                "properties": {"name": row.name},
                "geometry": geometry,
            }
        )
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    Path(target).write_text(text + "\n", encoding="utf-8")
    print(f"{target}: {len(features)} countries, {len(text.encode()):,} bytes")


if __name__ == "__main__":
    if sys.argv[1] == "--cells":
        cells(*sys.argv[2:4])
    else:
        main(*sys.argv[1:3])
