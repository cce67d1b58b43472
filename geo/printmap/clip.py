"""Cutting the world at the print map's edge (part of the print stage): pure numpy, degrees.

The print map is centred on a meridian `lon_0` (the office's), so its left and right edges are
the meridian opposite, lon_0 ± 180. Everything is first turned by -lon_0 (:func:`turn`): the
edge is then at ±180, and the projection is Equal Earth about 0 (which is Equal Earth with
``lon_0``). Country outlines are cut at the edge into pieces on either side
(:func:`outline_rings`, :func:`split_ring`); a connection line, which the layers cut where it
crosses 180° (RFC 7946), is joined again and cut only where it crosses the map's edge
(:func:`line_pieces`), so that a line from a home in the Pacific is drawn in one piece.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from geo.geometry import Run, polygons


def turn(lons: np.ndarray, lon_0: float) -> np.ndarray:
    """Longitudes measured from `lon_0`, within -180..180 (those on the edge keep their side).

    >>> turn(np.array([-157.86, 139.69, 178.0, 11.97]), -157.86).round(2).tolist()
    [0.0, -62.45, -24.14, 169.83]
    """
    out = np.asarray(lons, float) - lon_0
    return np.where(np.abs(out) <= 180.0, out, (out + 180.0) % 360.0 - 180.0)


def clip_side(ring: np.ndarray, x: float, keep_left: bool) -> np.ndarray:
    """Sutherland-Hodgman against one vertical line: the part of a ring on one side of it."""
    out: list[np.ndarray] = []
    inside = (ring[:, 0] <= x) if keep_left else (ring[:, 0] >= x)
    for i in range(len(ring)):
        a, b = ring[i - 1], ring[i]
        if inside[i] != inside[i - 1]:
            t = (x - a[0]) / (b[0] - a[0])
            out.append(np.array([x, a[1] + t * (b[1] - a[1])]))
        if inside[i]:
            out.append(b)
    return np.asarray(out).reshape(-1, 2)


def split_ring(ring: np.ndarray) -> list[np.ndarray]:
    """A ring (turned, within -180..180) as one or more rings that do not cross the edge.

    A ring that crosses the edge (Fiji on a map about Greenwich, Europe on one about 178° E)
    is made continuous and cut into the pieces on either side; one that goes round a pole
    (Antarctica as one ring) is closed along the pole.

    >>> [p[:, 0].tolist() for p in split_ring(np.array([[170, 0], [-170, 0], [-170, 5],
    ...     [170, 5], [170, 0]], float))]
    [[-180.0, -170.0, -170.0, -180.0], [170.0, 180.0, 180.0, 170.0, 170.0]]
    """
    steps = np.diff(ring[:, 0])
    if not (np.abs(steps) > 180.0).any():
        return [ring]
    lons = ring[0, 0] + np.concatenate(([0.0], np.cumsum(steps - 360.0 * np.round(steps / 360.0))))
    ring = np.column_stack([lons, ring[:, 1]])
    if abs(lons[-1] - lons[0]) > 180.0:  # goes round a pole: close the ring along it
        pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
        ring = np.vstack([ring, [[lons[-1], pole], [lons[0], pole]], ring[:1]])
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        piece = clip_side(clip_side(ring + np.array([shift, 0.0]), 180.0, True), -180.0, False)
        if len(piece) >= 3 and np.ptp(piece[:, 0]) > 1e-9:
            pieces.append(piece)
    return pieces


def outline_rings(basemap: Mapping[str, Any], lon_0: float) -> list[np.ndarray]:
    """The outer ring of every country polygon, turned about `lon_0` and cut at the edge.

    Each ring is an ``(n, 2)`` array of turned ``[lon, lat]``. Holes are left out: in Natural
    Earth each one is another country (Lesotho in South Africa), drawn on top in the same colour.
    """
    rings = []
    for feature in basemap.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        for polygon in polygons(geometry):
            if polygon:
                ring = np.asarray(polygon[0], float)
                rings += split_ring(np.column_stack([turn(ring[:, 0], lon_0), ring[:, 1]]))
    return rings


def join_parts(line_parts: Sequence[Run]) -> np.ndarray:
    """The parts of a line cut at 180° (a MultiLineString's) as one line of continuous longitude.

    >>> join_parts([[[170, 10], [180, 12]], [[-180, 12], [-170, 14]]]).tolist()
    [[170.0, 10.0], [180.0, 12.0], [190.0, 14.0]]
    """
    xy = np.concatenate([np.asarray(p, float).reshape(-1, 2) for p in line_parts])
    xy[:, 0] = np.unwrap(xy[:, 0], period=360.0)
    return _dedupe(xy)


def _dedupe(xy: np.ndarray) -> np.ndarray:
    """The vertices of a line without those equal to the one before."""
    repeated = np.zeros(len(xy), bool)
    repeated[1:] = (np.diff(xy, axis=0) == 0).all(axis=1)
    return xy[~repeated]


def line_pieces(line_parts: Sequence[Run], lon_0: float) -> list[np.ndarray]:
    """A connection line, turned about `lon_0`, in as few pieces as the map's edge allows.

    A line from the office (at lon_0) never reaches the edge, so it stays one piece; any other
    line is cut where it crosses the edge, and each piece is shifted onto the map.

    >>> [p.tolist() for p in line_pieces([[[170, 0], [180, 0]], [[-180, 0], [-170, 0]]], 0.0)]
    [[[170.0, 0.0], [180.0, 0.0]], [[-180.0, 0.0], [-170.0, 0.0]]]
    >>> [p.tolist() for p in line_pieces([[[170, 0], [180, 0]], [[-180, 0], [-170, 0]]], 180.0)]
    [[[-10.0, 0.0], [0.0, 0.0], [10.0, 0.0]]]
    """
    xy = join_parts(line_parts)
    xy[:, 0] -= lon_0
    xy[:, 0] += turn(xy[:1, 0], 0.0)[0] - xy[0, 0]  # the first vertex on the map
    sheet = np.floor((xy[:, 0] + 180.0) / 360.0)
    sheet[xy[:, 0] == 180.0] = 0.0  # the right edge belongs to the map
    if not sheet.any():
        return [xy]
    pieces, start, head = [], 0, np.empty((0, 2))
    for i in np.flatnonzero(np.diff(sheet)):  # a step across the edge: cut it there
        a, b = xy[i], xy[i + 1]
        edge = 180.0 + 360.0 * min(sheet[i], sheet[i + 1])
        lat = a[1] + (edge - a[0]) / (b[0] - a[0]) * (b[1] - a[1])
        body = xy[start : i + 1] - [360.0 * sheet[i], 0.0]
        pieces.append(np.vstack([head, body, [[edge - 360.0 * sheet[i], lat]]]))
        head = np.array([[edge - 360.0 * sheet[i + 1], lat]])
        start = i + 1
    pieces.append(np.vstack([head, xy[start:] - [360.0 * sheet[-1], 0.0]]))
    pieces = [_dedupe(p) for p in pieces]  # a vertex on the edge is not doubled
    return [p for p in pieces if len(p) >= 2]


def flatten(runs: Sequence[Run], count: int) -> np.ndarray:
    """Runs of ``[x, y]`` positions (arrays, as the pipeline's layers hold the lines, or lists)
    as one new ``(count, 2)`` array of floats.

    >>> flatten([np.array([[1.0, 2], [3, 4]]), [[5, 6]]], 3).tolist()
    [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    """
    flat = np.concatenate([np.asarray(run, float).reshape(-1, 2) for run in runs])
    return flat.reshape(count, 2)


def many_line_pieces(lines: Sequence[Sequence[Run]], lon_0: float) -> list[list[np.ndarray]]:
    """:func:`line_pieces` of many lines (each given as its parts), the same values, faster.

    Most lines are one part that meets neither 180° nor the map's edge: those are turned all
    at once, with the same arithmetic per vertex as :func:`line_pieces` (so the same floats);
    the others go through :func:`line_pieces` one by one.
    """
    simple = [i for i, line in enumerate(lines) if len(line) == 1 and len(line[0]) >= 1]
    out: list[list[np.ndarray] | None] = [None] * len(lines)
    if simple:
        runs = [lines[i][0] for i in simple]
        counts = np.fromiter(map(len, runs), np.int64, len(runs))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        xy = flatten(runs, int(counts.sum()))
        first = np.zeros(len(xy), bool)
        first[starts] = True
        step = np.zeros(len(xy))
        step[1:] = np.diff(xy[:, 0])
        # np.unwrap adds 0.0 to every vertex but the first where no step reaches 180°
        jumps = np.add.reduceat((np.abs(step) >= 180.0) & ~first, starts) > 0
        xy[~first, 0] += 0.0
        repeated = np.zeros(len(xy), bool)
        repeated[1:] = (np.diff(xy, axis=0) == 0).all(axis=1)
        repeated &= ~first  # _dedupe, within each line
        xy[:, 0] -= lon_0
        heads = xy[starts, 0]
        offset = turn(heads, 0.0) - heads
        xy[:, 0] += np.repeat(offset, counts)
        sheet = np.floor((xy[:, 0] + 180.0) / 360.0)
        sheet[xy[:, 0] == 180.0] = 0.0
        off = np.add.reduceat(sheet != 0.0, starts) > 0
        line_of = np.repeat(np.arange(len(simple)), counts)
        keep = ~repeated
        kept = np.bincount(line_of[keep], minlength=len(simple))
        ends = np.cumsum(kept).tolist()
        kept_xy = xy[keep]
        parts = [kept_xy[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        for k, i in enumerate(simple):
            if not (jumps[k] or off[k]):
                out[i] = [parts[k]]
    return [
        found if found is not None else line_pieces(line, lon_0)
        for found, line in zip(out, lines, strict=True)
    ]
