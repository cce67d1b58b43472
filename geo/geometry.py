"""Geometry for the layers: geodesic arcs, the antimeridian cut, rounding and bounds.

GeoJSON order ``[lon, lat]`` throughout. The only place that turns a point into folium's
``(lat, lon)`` order is :func:`to_latlon`. A run of positions (a LineString's coordinates, a part
of a MultiLineString's) is either a list of ``[lon, lat]`` lists, as GeoJSON is read and as the
public API gives it, or an ``(n, 2)`` float array, as the pipeline holds the connection lines
from :func:`geodesic_arcs` to every output: :func:`parts` and :func:`polygons` walk both, and
:func:`as_lists` turns the arrays into lists where plain Python is wanted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from pyproj import Geod

PRECISION = 6  # decimals: about 0.1 m, RFC 7946 section 11.2
# One vertex per 200 km: the chord strays at most ~1.5 km from the geodesic (L²·tan φ / 8R at 60°
# north), under a pixel on a Web Mercator map up to zoom 6, so the line looks like a great circle.
SEGMENT_KM = 200.0
MAX_VERTICES = 101  # half the Earth's circumference in 200 km steps

Position = list[float]  # [lon, lat]


@cache
def geod() -> Geod:
    """pyproj's ``Geod`` on WGS 84, imported when first used: the print map's process reads
    the lines but never computes one, and need not import pyproj."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


@dataclass(frozen=True)
class Arc:
    """A geodesic from one point to another, cut at the antimeridian where it crosses it."""

    parts: list[np.ndarray]  # each an (n, 2) array of [lon, lat], n >= 2, read-only
    distance_km: float
    bearing_deg: float  # initial bearing at the start, clockwise from north, 0..360
    bbox: list[float]  # [west, south, east, north]; west > east where it crosses 180°

    @property
    def crosses_antimeridian(self) -> bool:
        return len(self.parts) > 1


def round_coord(value: float) -> float:
    """Round to the published precision; never give -0.0."""
    return round(float(value), PRECISION) + 0.0


def to_latlon(position: Sequence[float]) -> tuple[float, float]:
    """GeoJSON ``[lon, lat]`` to folium/Leaflet ``(lat, lon)``."""
    return (position[1], position[0])


def distances(
    lon1: Sequence[float], lat1: Sequence[float], lon2: Sequence[float], lat2: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (km) and initial bearing (degrees, 0..360) for arrays of point pairs."""
    az, _, metres = geod().inv(
        np.asarray(lon1, float),
        np.asarray(lat1, float),
        np.asarray(lon2, float),
        np.asarray(lat2, float),
    )
    return np.asarray(metres) / 1000.0, np.mod(np.asarray(az), 360.0)


def split_antimeridian(lons: np.ndarray, lats: np.ndarray) -> list[np.ndarray]:
    """Cut a line into parts where a step jumps more than 180° in longitude (RFC 7946 §3.1.9).

    The crossing latitude is interpolated along the step; each part ends on ±180, rounded.
    Each part is an ``(n, 2)`` array, without a vertex equal to the one before it.
    """
    xy = np.column_stack((lons, lats))
    jumps = np.flatnonzero(np.abs(np.diff(lons)) > 180.0)
    parts: list[np.ndarray] = []
    start, head = 0, np.empty((0, 2))
    for j in jumps:
        a_lon, a_lat, b_lon, b_lat = lons[j], lats[j], lons[j + 1], lats[j + 1]
        edge = 180.0 if a_lon > 0 else -180.0
        span = b_lon + 2 * edge - a_lon
        t = (edge - a_lon) / span if span else 0.0  # both ends on the antimeridian: cut at a
        lat_c = round_coord(a_lat + t * (b_lat - a_lat))
        parts.append(np.vstack((head, xy[start : j + 1], [[edge, lat_c]])))
        head = np.array([[-edge, lat_c]])
        start = j + 1
    parts.append(np.vstack((head, xy[start:])))
    return [_dedupe(p) for p in parts]


def _dedupe(part: np.ndarray) -> np.ndarray:
    """A part without the vertices equal to the one before; a lone vertex twice (a line)."""
    keep = np.ones(len(part), bool)
    keep[1:] = (part[1:] != part[:-1]).any(axis=1)
    out = part[keep]
    return out if len(out) >= 2 else np.repeat(out[:1], 2, axis=0)


PARALLEL_VERTICES = 200_000  # from this many vertices, two processes compute them (forward)


def _forward(
    lons: np.ndarray, lats: np.ndarray, az: np.ndarray, metres: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    ends = geod().fwd(lons, lats, az, metres)
    return np.asarray(ends[0]), np.asarray(ends[1])


def forward(
    lons: np.ndarray, lats: np.ndarray, az: np.ndarray, metres: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where each geodesic from (lon, lat) at azimuth `az` ends after `metres` (pyproj's
    ``Geod.fwd``, element by element). From :data:`PARALLEL_VERTICES` on, the second half is
    computed in a forked process at the same time (:mod:`geo.processes`); the same numbers."""
    if len(lons) < PARALLEL_VERTICES:
        return _forward(lons, lats, az, metres)
    from geo.processes import forked

    h = len(lons) // 2
    rest = partial(_forward, lons[h:], lats[h:], az[h:], metres[h:])
    with forked("computing the geodesic lines", rest) as second:
        first = _forward(lons[:h], lats[:h], az[:h], metres[:h])
        lons_2, lats_2 = second.result()
    return np.concatenate((first[0], lons_2)), np.concatenate((first[1], lats_2))


def geodesic_arcs(starts: Sequence[Sequence[float]], ends: Sequence[Sequence[float]]) -> list[Arc]:
    """Great-circle (geodesic) lines from each start to each end, ``[lon, lat]`` pairs.

    Array operations throughout: one call to pyproj's ``Geod.inv`` and one to ``Geod.fwd`` for
    every vertex of every line, rounding, de-duplication and bounds in numpy. Only a line that
    crosses the antimeridian is handled on its own, to cut it. Each part is a read-only
    ``(n, 2)`` array; those of the lines that do not cross are views of one buffer, so the
    lines cost no Python object per vertex.
    """
    if len(starts) == 0:
        return []
    a = np.asarray(starts, float).reshape(-1, 2)
    b = np.asarray(ends, float).reshape(-1, 2)
    az, _, metres = geod().inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    az, metres = np.atleast_1d(az), np.atleast_1d(metres)
    counts = np.clip(np.ceil(metres / 1000.0 / SEGMENT_KM).astype(int) + 1, 2, MAX_VERTICES)
    line = np.repeat(np.arange(len(a)), counts)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    last = first + counts - 1
    frac = (np.arange(counts.sum()) - first[line]) / (counts[line] - 1)
    lons, lats = forward(a[line, 0], a[line, 1], az[line], metres[line] * frac)
    lons[first], lats[first] = a[:, 0], a[:, 1]  # exact ends, no drift from the forward problem
    lons[last], lats[last] = b[:, 0], b[:, 1]
    lons, lats = np.round(lons, PRECISION) + 0.0, np.round(lats, PRECISION) + 0.0

    # A vertex equal to the one before it (after rounding) is dropped, but never a line's first.
    keep = np.ones(len(lons), bool)
    keep[1:] = (lons[1:] != lons[:-1]) | (lats[1:] != lats[:-1])
    keep[first] = True
    jump = np.zeros(len(lons), bool)
    jump[1:] = np.abs(np.diff(lons)) > 180.0
    jump[first] = False
    crossing = np.add.reduceat(jump, first) > 0
    west, east = np.minimum.reduceat(lons, first), np.maximum.reduceat(lons, first)
    south, north = np.minimum.reduceat(lats, first), np.maximum.reduceat(lats, first)

    # Every kept vertex in one read-only (n, 2) array; each line that does not cross is a view.
    kept = np.column_stack((lons[keep], lats[keep]))
    kept.flags.writeable = False
    kept_before = np.concatenate(([0], np.cumsum(keep)))
    begins, stops = kept_before[first].tolist(), kept_before[last + 1].tolist()
    boxes = np.column_stack((west, south, east, north)).tolist()
    km, bearings = (metres / 1000.0).tolist(), np.mod(az, 360.0).tolist()
    arcs = []
    for i, crosses in enumerate(crossing.tolist()):
        if crosses:
            s = slice(first[i], last[i] + 1)
            parts = split_antimeridian(lons[s], lats[s])
            for part in parts:
                part.flags.writeable = False
            box = bbox({"type": "MultiLineString", "coordinates": parts} for _ in (0,))
        else:
            part = kept[begins[i] : stops[i]]
            if len(part) < 2:  # both ends the same point: still a line
                part = np.repeat(part, 2, axis=0)
                part.flags.writeable = False
            parts = [part]
            box = boxes[i]
        arcs.append(Arc(parts, km[i], bearings[i], box))
    return arcs


# --- the one coordinate walker ------------------------------------------------------------------

Run = Sequence[Sequence[float]] | np.ndarray  # positions: lists, or an (n, 2) array

# How deep each geometry type nests its positions: 0 a position, 1 a run, 2 runs, 3 polygons.
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
         "MultiPolygon": 3}  # fmt: skip


def parts(geometry: Mapping[str, Any]) -> list[Run]:
    """Every run of positions in a GeoJSON geometry, in order: a Point's position alone, a
    LineString, each line of a MultiLineString, each ring of a (Multi)Polygon, the points of a
    MultiPoint. Every stage that walks coordinates (bounds, encoding, drawing) goes through this
    or :func:`polygons`. A run is given as it is held: a list of positions, or an ``(n, 2)``
    array (the pipeline's lines; never copied here).

    >>> parts({"type": "MultiLineString", "coordinates": [[[170, 0], [180, 1]], [[-180, 1]]]})
    [[[170, 0], [180, 1]], [[-180, 1]]]
    >>> parts({"type": "Point", "coordinates": [11.97, 57.71]})
    [[[11.97, 57.71]]]
    """
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind not in DEPTH or coords is None:
        raise ValueError(f"parts: expected a GeoJSON geometry with coordinates, got {kind!r}")
    runs: list[Any] = [[coords]] if DEPTH[kind] == 0 else [coords]
    for _ in range(max(DEPTH[kind] - 1, 0)):
        runs = [run for group in runs for run in group]
    return runs


def as_lists(coordinates: Any) -> Any:
    """Coordinates as plain lists (what json and GeoJSON readers expect): an array by its
    ``tolist()``, a list holding arrays (a MultiLineString's parts) item by item; anything else
    as it is. The one place the pipeline's arrays become Python lists.

    >>> as_lists([np.array([[170.0, 0.0], [180.0, 1.0]]), np.array([[-180.0, 1.0]])])
    [[[170.0, 0.0], [180.0, 1.0]], [[-180.0, 1.0]]]
    >>> as_lists([11.97, 57.71])
    [11.97, 57.71]
    """
    if isinstance(coordinates, np.ndarray):
        return coordinates.tolist()
    if isinstance(coordinates, list) and any(isinstance(c, np.ndarray) for c in coordinates):
        return [as_lists(c) for c in coordinates]
    return coordinates


def polygons(geometry: Mapping[str, Any]) -> list[list[Run]]:
    """The polygons of a Polygon or MultiPolygon, each a list of rings (outer ring first);
    no polygons for any other type."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [coords]
    if kind == "MultiPolygon":
        return list(coords)
    return []


def _covered(intervals: np.ndarray, lats: tuple[float, float]) -> list[float]:
    """The box of longitude intervals (rows of [lo, hi], none crossing 180°) and a lat range."""
    order = np.argsort(intervals[:, 0], kind="stable")
    lo = intervals[order, 0]
    hi = np.maximum.accumulate(intervals[order, 1])
    west, east = float(lo[0]), float(hi[-1])
    if len(lo) > 1:
        gaps = lo[1:] - hi[:-1]
        i = int(np.argmax(gaps))
        if gaps[i] > (lo[0] + 360.0) - hi[-1]:
            west, east = float(lo[i + 1]), float(hi[i])
    return [west, lats[0], east, lats[1]]


def bbox(geometries: Iterable[dict]) -> list[float]:
    """``[west, south, east, north]`` of Points, LineStrings and MultiLineStrings (RFC 7946 §5).

    Longitude is a circle: the box is the complement of the widest stretch of longitude that no
    point or line covers. Where that stretch is not the one around the antimeridian, the box
    crosses it and ``west > east`` (§5.2), e.g. ``[177.0, -20.0, -178.0, -16.0]`` around Fiji.
    A line (or a part of a multi-line) covers the longitudes from its least to its greatest:
    parts never cross 180° and their vertices are close together.
    """
    intervals, south, north = [], 90.0, -90.0
    for geometry in geometries:
        for line in parts(geometry):
            arr = np.asarray(line, float).reshape(-1, 2)
            intervals.append((arr[:, 0].min(), arr[:, 0].max()))
            south, north = min(south, arr[:, 1].min()), max(north, arr[:, 1].max())
    return _covered(np.asarray(intervals, float), (float(south), float(north)))


def merge_bboxes(boxes: Iterable[Sequence[float]]) -> list[float]:
    """The box covering several boxes, any of which may cross the antimeridian."""
    arr = np.asarray(list(boxes), float).reshape(-1, 4)
    plain = arr[arr[:, 0] <= arr[:, 2]]
    wrapped = arr[arr[:, 0] > arr[:, 2]]
    intervals = np.concatenate(
        (
            plain[:, [0, 2]],
            np.column_stack((wrapped[:, 0], np.full(len(wrapped), 180.0))),
            np.column_stack((np.full(len(wrapped), -180.0), wrapped[:, 2])),
        )
    )
    return _covered(intervals, (float(arr[:, 1].min()), float(arr[:, 3].max())))
