"""Stage 4a, map assets: Leaflet's files and a compact basemap, as bytes for ``maps/assets/``.

For the maps of large tables also Leaflet.markercluster (``xstatic-leaflet-markercluster``).
Takes the installed ``xstatic-leaflet`` package (Leaflet's release files, byte-identical to the
CDN's, so one Subresource Integrity hash fits both) and the basemap GeoJSON of country outlines;
gives :class:`Asset` values (a path relative to the maps folder, the bytes, the pinned CDN URL where
there is one). The basemap is shrunk for the page budget: the countries become the land they make
together and the borders between them (each border once), quantised to 0.1 degree, repeated
points dropped, and each ring or line delta-encoded as a polyline string (the algorithm of Google's
encoded polylines) that the page decodes with a few lines of its own script. Reads files, never
writes them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import SourceError
from geo.geometry import polygons

LEAFLET_VERSION = "1.9.3"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/"
# Decimals kept of the 1:110m outlines: 0.1 degree (11 km), a pixel at zoom 4 and as fine as the
# source's own vertices; they are the world view and the first view, in the page budget. Near home
# the 1:50m outlines take over from zoom 4 (fine_outlines), at 0.01 degree.
BASEMAP_PRECISION = 1
BASEMAP_ATTRIBUTION = "Natural Earth"


@dataclass(frozen=True)
class Asset:
    """One file the maps load: where it goes under the maps folder, and its bytes."""

    path: str
    data: bytes
    cdn_url: str | None = None

    @property
    def integrity(self) -> str:
        """The Subresource Integrity value (sha384) of the bytes."""
        return "sha384-" + base64.b64encode(hashlib.sha384(self.data).digest()).decode("ascii")


def leaflet_dir() -> Path:
    """The folder of Leaflet's release files inside the installed xstatic-leaflet package."""
    import xstatic.pkg.leaflet as xstatic_leaflet

    if xstatic_leaflet.VERSION != LEAFLET_VERSION:
        raise SourceError(
            f"xstatic-leaflet: Leaflet {xstatic_leaflet.VERSION} is installed; expected "
            f"{LEAFLET_VERSION}. Reinstall with `pip install -c constraints.txt -e .`."
        )
    return Path(xstatic_leaflet.BASE_DIR)


def leaflet_assets() -> tuple[Asset, Asset]:
    """Leaflet's script and style sheet (the minified release files)."""
    folder = leaflet_dir()
    return (
        Asset(
            "assets/leaflet.js", (folder / "leaflet.js").read_bytes(), LEAFLET_CDN + "leaflet.js"
        ),
        Asset(
            "assets/leaflet.css", (folder / "leaflet.css").read_bytes(), LEAFLET_CDN + "leaflet.css"
        ),
    )


def encode_ring(ring: Iterable[Sequence[float]], precision: int = 2) -> str:
    """One ring of [lon, lat] positions as a polyline string of (lat, lon) deltas (Google's
    encoded polyline algorithm, with `precision` decimals).

    Positions are rounded to `precision` decimals (half to even, as Python's ``round``) and
    repeated positions dropped. Whole arrays at once: the basemap has 10,000 positions.
    """
    import numpy as np

    lonlat = np.asarray(list(ring), dtype=float).reshape(-1, 2)
    points = np.rint(lonlat[:, ::-1] * 10**precision).astype(np.int64)  # (lat, lon)
    if len(points):
        points = points[np.r_[True, (points[1:] != points[:-1]).any(axis=1)]]
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel()
    bits = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    shifts = np.arange(0, 35, 5)  # seven 5-bit chunks hold any delta of a position
    chunks = (bits[:, None] >> shifts) & 0x1F
    count = np.maximum(1, np.sum((bits[:, None] >> shifts) > 0, axis=1))  # chunks written
    more = np.arange(len(shifts)) < (count - 1)[:, None]  # a chunk with more to follow
    chars = chunks + 63 + 0x20 * more
    return chars[np.arange(len(shifts)) < count[:, None]].astype(np.uint8).tobytes().decode()


def decode_ring(text: str, precision: int = 2) -> list[tuple[float, float]]:
    """The inverse of :func:`encode_ring`, as (lat, lon) pairs; the page's decoder does the same."""
    values: list[int] = []
    bits = shift = 0
    for char in text:
        byte = ord(char) - 63
        bits |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(bits >> 1) if bits & 1 else bits >> 1)
            bits = shift = 0
    lat = lon = 0
    out = []
    scale = 10**precision
    for i in range(0, len(values), 2):
        lat += values[i]
        lon += values[i + 1]
        out.append((lat / scale, lon / scale))
    return out


def land_and_borders(fc: dict[str, Any], precision: int) -> tuple[list, list]:
    """The polygons of `fc` on a grid of `precision` decimals as the land they make together
    (its polygons: lists of [lon, lat] rings, outer first) and the borders between them (lines,
    each drawn once). A shared border is one line instead of two rings' worth of points: the
    world's 1:110m outlines lose a sixth of their bytes, and the page draws fewer points."""
    import shapely
    from shapely.geometry import shape

    grid = 10.0**-precision
    shapes = []
    for feature in fc.get("features", []):
        for polygon in polygons(feature.get("geometry") or {}):
            part = shapely.make_valid(shape({"type": "Polygon", "coordinates": polygon}))
            shapes.append(shapely.set_precision(part, grid))
    land = shapely.unary_union(shapes)
    borders = shapely.difference(
        shapely.unary_union([shapely.boundary(g) for g in shapes]), shapely.boundary(land)
    )
    land_parts = [g for g in shapely.get_parts(land) if g.geom_type == "Polygon"]
    lines = shapely.get_parts(shapely.line_merge(borders))
    rings = [[list(g.exterior.coords), *(list(r.coords) for r in g.interiors)] for g in land_parts]
    return rings, [list(g.coords) for g in lines if g.geom_type == "LineString"]


def basemap_script(fc: dict[str, Any]) -> bytes:
    """The country outlines as a small script: ``geoBasemap = {precision, land, borders}``, the
    land's polygons (lists of encoded rings) and the borders (encoded lines); see
    :func:`land_and_borders`."""
    land, borders = land_and_borders(fc, BASEMAP_PRECISION)
    payload = {
        "precision": BASEMAP_PRECISION,
        "land": [[encode_ring(ring, BASEMAP_PRECISION) for ring in polygon] for polygon in land],
        "borders": [encode_ring(line, BASEMAP_PRECISION) for line in borders],
    }
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return f"var geoBasemap={text};\nif(window.geo){{geo.basemapLoaded(geoBasemap);}}\n".encode(
        "ascii"
    )


FINE_CELLS = "countries-50m-cells.json"  # in geo/basemap (scripts/make_basemap.py --cells)
FINE_PATH = "assets/outlines-50m.js"


def fine_outlines(
    near: Sequence[Sequence[float]], centre: float
) -> tuple[Asset, list[list[float]]] | None:
    """The 1:50m outlines around the near-home view `near` (south-west, north-east as lat, lon,
    longitudes near the home longitude `centre`), as a script for the page to load from zoom 4,
    and the box they cover. The cells of ``geo/basemap/countries-50m-cells.json`` that meet the
    view and a margin of a quarter of its size (at least 3 degrees) are taken as they are, each
    moved by whole turns next to home (its ``turn``, in degrees of longitude)."""
    from importlib import resources

    (south, west), (north, east) = near
    pad_x, pad_y = max(3.0, (east - west) / 4), max(3.0, (north - south) / 4)
    data = json.loads(resources.files("geo").joinpath("basemap", FINE_CELLS).read_bytes())
    size = data["cell"]
    x0, x1 = math.floor((west - pad_x) / size), math.ceil((east + pad_x) / size)
    y0 = max(-90 // size, math.floor((south - pad_y) / size))
    y1 = min(90 // size, math.ceil((north + pad_y) / size))
    if x1 - x0 > 360 // size:
        return None
    cells = []
    for i in range(x0, x1):
        lon = i * size
        key = round(lon - 360.0 * math.floor((lon + 180.0) / 360.0))  # the cell in -180..180
        for j in range(y0, y1):
            cell = data["cells"].get(f"{key},{j * size}")
            if cell:
                cells.append({"turn": lon - key, **cell})
    box = [[y0 * size, x0 * size], [y1 * size, x1 * size]]
    payload = {"precision": data["precision"], "cells": cells}
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return Asset(FINE_PATH, f"geo.fineLoaded({text});\n".encode("ascii")), box


MARKERCLUSTER_VERSION = "1.4.1"


def markercluster_assets() -> tuple[Asset, Asset]:
    """Leaflet.markercluster's script and base style sheet (``xstatic-leaflet-markercluster``).

    Used by the maps of large tables only. Always served from ``assets/`` (also in ``cdn``
    mode: its files could not be checked against the CDN's here, so no integrity hash is
    claimed for them).
    """
    import xstatic.pkg.leaflet_markercluster as xstatic_cluster

    if xstatic_cluster.VERSION != MARKERCLUSTER_VERSION:
        raise SourceError(
            f"xstatic-leaflet-markercluster: {xstatic_cluster.VERSION} is installed; expected "
            f"{MARKERCLUSTER_VERSION}. Reinstall with `pip install -c constraints.txt -e .`."
        )
    folder = Path(xstatic_cluster.BASE_DIR)
    return (
        Asset(
            "assets/leaflet.markercluster.js", (folder / "leaflet.markercluster.js").read_bytes()
        ),
        Asset("assets/MarkerCluster.css", (folder / "MarkerCluster.css").read_bytes()),
    )


GESTURE_VERSION = "1.2.1"


def gesture_asset() -> Asset:
    """Leaflet.GestureHandling's script (``xstatic-leaflet-gesturehandling``).

    In an iframe or on a phone the page scrolls past the map; two fingers (touch) or Ctrl and the
    wheel move and zoom it, and the map says so in the page's language. Served from ``assets/``
    in every mode but ``inline`` (no CDN integrity hash could be checked here). Its style sheet is
    not used: the page styles the hint itself (static/map.css).
    """
    import xstatic.pkg.leaflet_gesturehandling as xstatic_gesture

    if xstatic_gesture.VERSION != GESTURE_VERSION:
        raise SourceError(
            f"xstatic-leaflet-gesturehandling: {xstatic_gesture.VERSION} is installed; expected "
            f"{GESTURE_VERSION}. Reinstall with `pip install -c constraints.txt -e .`."
        )
    folder = Path(xstatic_gesture.BASE_DIR)
    data = (folder / "leaflet-gesture-handling.min.js").read_bytes()
    return Asset("assets/leaflet-gesture-handling.js", data)
