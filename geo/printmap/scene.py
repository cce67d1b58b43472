"""What the print map shows, projected once for every language (part of the print stage).

Takes the layers and the basemap; gives a :class:`Scene`: the places with their names in every
language the layers give, the connection lines and the country outlines, all in Equal Earth
metres about the map's central meridian `lon_0` (the office's; see :mod:`geo.printmap.clip`).
Pure: no drawing, no I/O. The projection, Equal Earth on the WGS 84 ellipsoid (EPSG:8857), is
written out here (:func:`equal_earth`, as PROJ computes it; the tests compare it with pyproj's),
so that the print map's process never imports pyproj.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.geometry import parts
from geo.layers import FeatureCollection
from geo.model import CONNECTIONS, LAYER_OF_KIND
from geo.printmap.clip import many_line_pieces, outline_rings, turn
from geo.schema import Kind
from geo.text import FALLBACK, languages

OFFICE = Kind.OFFICE.value
PROJECTION = "EPSG:8857"  # Equal Earth about Greenwich: equal-area, pleasant for world maps
# Equal Earth's polynomial (Šavrič, Patterson and Jenny 2018) and the WGS 84 ellipsoid.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = np.sqrt(3.0) / 2.0
WGS84_A, WGS84_F = 6_378_137.0, 1 / 298.257223563


@dataclass(frozen=True)
class Place:
    """A place on the map: what it is, its names, where it is drawn (metres)."""

    id: str
    kind: str
    status: str | None
    names: Mapping[str, str] = field(hash=False)  # by language, as the layers give them
    x: float
    y: float
    distance_km: float | None  # from the office; None for the office itself
    as_of: str

    def name(self, lang: str) -> str:
        """The place's name in `lang` (English where the layers give none in `lang`)."""
        return self.names.get(lang) or self.names.get(FALLBACK, "")

    @property
    def is_office(self) -> bool:
        return self.kind == OFFICE


@dataclass(frozen=True)
class Line:
    """One piece of a connection line, as drawn (metres)."""

    relation: str  # the kind of the place at the far end
    status: str
    xy: np.ndarray


@dataclass(frozen=True)
class Scene:
    """Everything the print map draws, projected about `lon_0`."""

    lon_0: float
    places: tuple[Place, ...]
    lines: tuple[Line, ...]
    rings: tuple[np.ndarray, ...]

    @property
    def office(self) -> Place | None:
        return next((p for p in self.places if p.is_office), None)

    def xy(self, ids: set[str] | frozenset[str] | None = None) -> np.ndarray:
        """The positions of the places (those in `ids`, or all) as an ``(n, 2)`` array."""
        return np.array(
            [[p.x, p.y] for p in self.places if ids is None or p.id in ids], float
        ).reshape(-1, 2)


PROJECT_AT_ONCE = 65_536  # vertices: the formula's temporaries stay small (0.5 MB each)


def _project_into(lonlat: np.ndarray) -> np.ndarray:
    """Turned ``[lon, lat]`` (see :func:`geo.printmap.clip.turn`) to Equal Earth metres,
    written over `lonlat` (the same floats), a block at a time: a large
    table's 2 million vertices would need a dozen temporaries of 16 MB at once."""
    for start in range(0, len(lonlat), PROJECT_AT_ONCE):
        block = lonlat[start : start + PROJECT_AT_ONCE]
        block[:, 0], block[:, 1] = equal_earth(block[:, 0], block[:, 1])
    return lonlat


def _q(sin_lat: np.ndarray | float, e: float) -> np.ndarray:
    """PROJ's ``pj_qsfn``: the authalic latitude's q of a geodetic latitude's sine."""
    con = e * np.asarray(sin_lat)
    return (1 - e * e) * (sin_lat / (1 - con * con) - 0.5 / e * np.log((1 - con) / (1 + con)))


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal Earth about Greenwich on WGS 84 (EPSG:8857): degrees in, metres out.

    PROJ's ellipsoidal form: the latitude made authalic (its sine as ``q / q_p``), Equal
    Earth's polynomial, then the authalic radius. `lon` within [-180, 180], as turned.
    """
    e = np.sqrt(WGS84_F * (2 - WGS84_F))
    qp = _q(1.0, e)
    sin_beta = np.clip(_q(np.sin(np.radians(lat)), e) / qp, -1.0, 1.0)
    psi = np.arcsin(M * sin_beta)
    psi2 = psi * psi
    psi6 = psi2 * psi2 * psi2
    radius = WGS84_A * np.sqrt(0.5 * qp)
    x = np.radians(lon) * np.cos(psi) / (M * (A1 + 3 * A2 * psi2 + psi6 * (7 * A3 + 9 * A4 * psi2)))
    y = psi * (A1 + A2 * psi2 + psi6 * (A3 + A4 * psi2))
    return x * radius, y * radius


def project_many(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Project many ``[lon, lat]`` arrays in one call."""
    if not arrays:
        return []
    xy = _project_into(np.concatenate(arrays))
    ends = np.cumsum([len(a) for a in arrays]).tolist()
    return [xy[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]  # np.split, faster


def central_lon(layers: Mapping[str, FeatureCollection], fallback: float = 0.0) -> float:
    """The map's central meridian: the office's longitude (`fallback` without an office)."""
    for feature in layers.get(LAYER_OF_KIND[Kind.OFFICE], {}).get("features", []):
        return float(feature["geometry"]["coordinates"][0])
    return fallback


def _places(layers: Mapping[str, FeatureCollection]) -> list[tuple[str, dict, float, float]]:
    """The place features' ids and properties with their ``lon`` and ``lat``, layer by layer."""
    return [
        (f["id"], f["properties"], *map(float, f["geometry"]["coordinates"][:2]))
        for name in LAYER_OF_KIND.values()
        for f in layers.get(name, {}).get("features", [])
    ]


def _names(properties: Mapping[str, Any]) -> dict[str, str]:
    """A place's names by language, from its properties (``name_sv``, ``name_en`` ...)."""
    names = ((lang, properties.get(f"name_{lang}")) for lang in languages())
    return {lang: str(name) for lang, name in names if name}


def build_scene(
    layers: Mapping[str, FeatureCollection], basemap: Mapping[str, Any], lon_0: float
) -> Scene:
    """Project the places, the connection lines and the outlines about `lon_0`."""
    connections = layers.get(CONNECTIONS, {}).get("features", [])
    distance = {f["properties"]["to_id"]: f["properties"]["distance_km"] for f in connections}
    found = _places(layers)
    lonlat = np.array([[lon, lat] for *_, lon, lat in found], float).reshape(-1, 2)
    lonlat[:, 0] = turn(lonlat[:, 0], lon_0)  # elementwise: the same floats as one by one
    cut = many_line_pieces([parts(f["geometry"]) for f in connections], lon_0)
    pieces = [
        (f["properties"], piece)
        for f, found in zip(connections, cut, strict=True)
        for piece in found
    ]
    rings = outline_rings(basemap, lon_0)
    projected = project_many([lonlat, *(xy for _, xy in pieces), *rings])
    place_xy = projected[0].tolist()
    line_xy = projected[1 : 1 + len(pieces)]
    places = tuple(
        Place(
            id_, p["kind"], p["status"], _names(p), x, y, distance.get(id_), p["as_of"],
        )
        for (id_, p, _, _), (x, y) in zip(found, place_xy, strict=True)
    )  # fmt: skip
    lines = tuple(
        Line(props["relation"], props["status"], xy)
        for (props, _), xy in zip(pieces, line_xy, strict=True)
    )
    return Scene(lon_0, places, lines, tuple(projected[1 + len(pieces) :]))
