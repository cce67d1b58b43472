"""Geometry for the layers: geodesic arcs, the antimeridian cut, rounding and bounds.

Pure functions over numbers and nested lists; GeoJSON order ``[lon, lat]`` throughout. The only
place that turns a point into folium's ``(lat, lon)`` order is :func:`to_latlon`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from pyproj import Geod

PRECISION = 6  # decimals: about 0.1 m, RFC 7946 section 11.2
SEGMENT_KM = 100.0  # one vertex per 100 km draws as a smooth great circle on Web Mercator
MAX_VERTICES = 128
GEOD = Geod(ellps="WGS84")

Position = list[float]  # [lon, lat]


@dataclass(frozen=True)
class Arc:
    """A geodesic from one point to another, cut at the antimeridian where it crosses it."""

    parts: list[list[Position]]
    distance_km: float
    bearing_deg: float  # initial bearing at the start, clockwise from north, 0..360

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
    az, _, metres = GEOD.inv(
        np.asarray(lon1, float),
        np.asarray(lat1, float),
        np.asarray(lon2, float),
        np.asarray(lat2, float),
    )
    return np.asarray(metres) / 1000.0, np.mod(np.asarray(az), 360.0)


def split_antimeridian(lons: np.ndarray, lats: np.ndarray) -> list[list[Position]]:
    """Cut a line into parts where a step jumps more than 180° in longitude (RFC 7946 §3.1.9).

    The crossing latitude is interpolated along the step; each part ends on ±180.
    """
    jumps = np.flatnonzero(np.abs(np.diff(lons)) > 180.0)
    parts: list[list[Position]] = []
    start = 0
    current: list[Position] = []
    for j in jumps:
        a_lon, a_lat, b_lon, b_lat = lons[j], lats[j], lons[j + 1], lats[j + 1]
        edge = 180.0 if a_lon > 0 else -180.0
        b_unwrapped = b_lon + 2 * edge
        t = (edge - a_lon) / (b_unwrapped - a_lon)
        lat_c = a_lat + t * (b_lat - a_lat)
        current += [[x, y] for x, y in zip(lons[start : j + 1], lats[start : j + 1], strict=True)]
        current.append([edge, lat_c])
        parts.append(current)
        current = [[-edge, lat_c]]
        start = j + 1
    current += [[x, y] for x, y in zip(lons[start:], lats[start:], strict=True)]
    parts.append(current)
    return parts


def _rounded(part: Iterable[Position]) -> list[Position]:
    out: list[Position] = []
    for lon, lat in part:
        point = [round_coord(lon), round_coord(lat)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def geodesic_arcs(starts: Sequence[Sequence[float]], ends: Sequence[Sequence[float]]) -> list[Arc]:
    """Great-circle (geodesic) lines from each start to each end, ``[lon, lat]`` pairs.

    All vertices of all lines come from one vectorised call to pyproj's ``Geod.fwd``; only the
    cutting at the antimeridian looks at each line on its own.
    """
    if len(starts) == 0:
        return []
    a = np.asarray(starts, float).reshape(-1, 2)
    b = np.asarray(ends, float).reshape(-1, 2)
    az, _, metres = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    az, metres = np.atleast_1d(az), np.atleast_1d(metres)
    counts = np.clip(np.ceil(metres / 1000.0 / SEGMENT_KM).astype(int) + 1, 2, MAX_VERTICES)
    line = np.repeat(np.arange(len(a)), counts)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    frac = (np.arange(counts.sum()) - first[line]) / (counts[line] - 1)
    lons, lats, _ = GEOD.fwd(a[line, 0], a[line, 1], az[line], metres[line] * frac)
    lons, lats = np.asarray(lons), np.asarray(lats)
    last = first + counts - 1
    lons[first], lats[first] = a[:, 0], a[:, 1]  # exact ends, no drift from the forward problem
    lons[last], lats[last] = b[:, 0], b[:, 1]
    arcs = []
    for i in range(len(a)):
        s = slice(first[i], last[i] + 1)
        parts = [_rounded(p) for p in split_antimeridian(lons[s], lats[s])]
        parts = [p for p in parts if len(p) >= 2]
        if not parts:  # both ends round to one point: keep a two-position line
            end = _rounded([b[i]])[0]
            parts = [[end, list(end)]]
        arcs.append(Arc(parts, float(metres[i]) / 1000.0, float(np.mod(az[i], 360.0))))
    return arcs


def _lines(geometry: dict) -> list[list[Sequence[float]]]:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return [[coords]]
    if kind == "LineString":
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    raise ValueError(f"unsupported geometry type {kind}")


def bbox(geometries: Iterable[dict]) -> list[float]:
    """``[west, south, east, north]`` of Points, LineStrings and MultiLineStrings (RFC 7946 §5).

    Longitude is a circle: the box is the complement of the widest stretch of longitude that no
    point or segment covers. Where that stretch is not the one around the antimeridian, the box
    crosses it and ``west > east`` (§5.2), e.g. ``[177.0, -20.0, -178.0, -16.0]`` around Fiji.
    """
    starts, ends, lats = [], [], []
    for geometry in geometries:
        for line in _lines(geometry):
            arr = np.asarray(line, float).reshape(-1, 2)
            lats.append(arr[:, 1])
            if len(arr) == 1:
                starts.append(arr[:, 0])
                ends.append(arr[:, 0])
            else:  # each segment covers the longitudes between its ends (parts never cross 180)
                starts.append(np.minimum(arr[:-1, 0], arr[1:, 0]))
                ends.append(np.maximum(arr[:-1, 0], arr[1:, 0]))
    all_lats = np.concatenate(lats)
    lo, hi = np.concatenate(starts), np.concatenate(ends)
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], np.maximum.accumulate(hi[order])
    west, east = float(lo[0]), float(hi[-1])
    if len(lo) > 1:
        gaps = lo[1:] - hi[:-1]
        i = int(np.argmax(gaps))
        if gaps[i] > (lo[0] + 360.0) - hi[-1]:
            west, east = float(lo[i + 1]), float(hi[i])
    return [west, float(all_lats.min()), east, float(all_lats.max())]
