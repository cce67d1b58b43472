"""Stage 3, build layers: validated places in, RFC 7946 FeatureCollections out.

One FeatureCollection per layer (``office``, ``partner_cities``, ``friendship_towns``,
``connections``) and ``all`` with every feature of the four. Features are sorted, ids are the
table's stable slugs (connections: ``<office>--<place>``), coordinates have 6 decimals, every
collection and feature carries a correct ``bbox``, and there is no ``crs`` member. Also turns a
collection into bytes (:func:`dumps`): deterministic, UTF-8, one feature per line. No I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

import numpy as np

from geo.gc_pause import without_gc_pauses
from geo.geometry import geodesic_arcs, merge_bboxes, round_coord
from geo.model import ALL, CONNECTIONS, LAYER_OF_KIND, LAYERS, Kind, Place

Feature = dict[str, Any]
FeatureCollection = dict[str, Any]

PLACE_PROPERTIES: tuple[str, ...] = (
    "kind",
    "status",
    "name_sv",
    "name_en",
    "name_local",
    "country",
    "since",
    "since_note",
    "description_sv",
    "description_en",
    "geonames_id",
    "geonames_note",
    "wikidata",
    "source",
    "as_of",
    "visiting_address",
    "postal_address",
    "phone",
)
CONNECTION_PROPERTIES: tuple[str, ...] = (
    "kind",
    "relation",
    "status",
    "from_id",
    "to_id",
    "name_sv",
    "name_en",
    "distance_km",
    "bearing_deg",
    "crosses_antimeridian",
)


def place_feature(place: Place) -> Feature:
    """A Point feature with every documented property (null where the table is empty)."""
    properties: dict[str, Any] = {"id": place.id}
    for name in PLACE_PROPERTIES:
        properties[name] = getattr(place, name)
    properties["kind"] = place.kind.value
    properties["status"] = place.status.value if place.status else None
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": {
            "type": "Point",
            "coordinates": [round_coord(place.lon), round_coord(place.lat)],
        },
        "properties": properties,
    }


def connection_features(office: Place, places: Sequence[Place]) -> list[Feature]:
    """Geodesic lines from the office to each place, cut at the antimeridian."""
    start = [round_coord(office.lon), round_coord(office.lat)]
    ends = [[round_coord(p.lon), round_coord(p.lat)] for p in places]
    arcs = geodesic_arcs([start] * len(ends), ends)
    features = []
    for place, arc in zip(places, arcs, strict=True):
        if arc.crosses_antimeridian:
            geometry = {"type": "MultiLineString", "coordinates": arc.parts}
        else:
            geometry = {"type": "LineString", "coordinates": arc.parts[0]}
        connection_id = f"{office.id}--{place.id}"
        properties = {
            "id": connection_id,
            "kind": "connection",
            "relation": place.kind.value,
            "status": place.status.value if place.status else None,
            "from_id": office.id,
            "to_id": place.id,
            "name_sv": place.name_sv,
            "name_en": place.name_en,
            "distance_km": round(arc.distance_km, 1),
            "bearing_deg": round(arc.bearing_deg, 1) % 360.0,  # 359.96 is 0.0, never 360.0
            "crosses_antimeridian": arc.crosses_antimeridian,
        }
        features.append(
            {
                "type": "Feature",
                "id": connection_id,
                "geometry": geometry,
                "properties": properties,
                "bbox": arc.bbox,
            }
        )
    return features


def _feature_box(feature: Feature) -> list[float]:
    if "bbox" in feature:
        return feature["bbox"]
    lon, lat = feature["geometry"]["coordinates"]  # a Point
    return [lon, lat, lon, lat]


def collection(features: Iterable[Feature]) -> FeatureCollection:
    """A FeatureCollection with its bbox (omitted when empty: there is no extent)."""
    features = list(features)
    fc: FeatureCollection = {"type": "FeatureCollection"}
    if features:
        fc["bbox"] = merge_bboxes(_feature_box(f) for f in features)
    fc["features"] = features
    return fc


@without_gc_pauses
def build_layers(places: Iterable[Place]) -> dict[str, FeatureCollection]:
    """Every layer, keyed by its snake_case name, plus ``all``."""
    places = sorted(places, key=lambda p: p.id)
    by_layer: dict[str, list[Feature]] = {name: [] for name in LAYERS}
    for place in places:
        by_layer[LAYER_OF_KIND[place.kind]].append(place_feature(place))
    office = next((p for p in places if p.kind is Kind.OFFICE), None)
    if office is not None:
        others = [p for p in places if p.kind is not Kind.OFFICE]
        by_layer[CONNECTIONS] = connection_features(office, others)
    layers = {name: collection(by_layer[name]) for name in LAYERS}
    layers[ALL] = collection(f for name in LAYERS for f in by_layer[name])
    return layers


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _assemble(fc: FeatureCollection, feature_text: list[str]) -> bytes:
    head = _encode({k: v for k, v in fc.items() if k != "features"})[:-1] + ',"features":['
    body = ",\n".join(feature_text)
    return (head + ("\n" + body if body else "") + "\n]}\n").encode("utf-8")


def dumps(fc: FeatureCollection) -> bytes:
    """Serialise deterministically: UTF-8 without BOM, one feature per line, newline at the end."""
    return _assemble(fc, [_encode(f) for f in fc.get("features", [])])


# Text of the digits 0-9, for writing coordinates with array operations.
_DIGITS = np.frombuffer(b"0123456789", np.uint8)


def _coordinate_chars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each value as Python's ``repr`` writes it, where that is ``[-]ddd.ffffff`` shortened.

    Returns ``(chars, keep, ok)``: an ``(n, 11)`` array of characters, which of them the text
    keeps, and whether the value could be written so. It can be for the values the layers hold
    (the double nearest to a number of 6 decimals, 0.0001 <= |value| < 1000, or 0.0); for any
    other (|value| < 0.0001 is written with an exponent, -0.0, NaN) `ok` is False.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.rint(values * 1e6)
        ok = np.isfinite(values) & (scaled / 1e6 == values) & (np.abs(scaled) < 1e9)
        k = np.where(ok, scaled, 0).astype(np.int64)
    ok &= ((k == 0) & ~np.signbit(values)) | (np.abs(k) >= 100)
    a = np.abs(k)
    whole, frac = a // 1_000_000, a % 1_000_000
    chars = np.empty((len(values), 11), np.uint8)
    keep = np.ones((len(values), 11), bool)
    chars[:, 0] = ord("-")
    keep[:, 0] = k < 0
    for j, power in enumerate((100, 10, 1)):
        chars[:, 1 + j] = _DIGITS[whole // power % 10]
        keep[:, 1 + j] = (whole >= power) | (power == 1)
    chars[:, 4] = ord(".")
    zeros = np.zeros(len(values), np.int64)  # trailing zeros of the six decimals (at most 5)
    for j in range(1, 6):
        zeros += frac % 10**j == 0
    for j in range(6):
        chars[:, 5 + j] = _DIGITS[frac // 10 ** (5 - j) % 10]
        keep[:, 5 + j] = j < 6 - zeros
    return chars, keep, ok


def _lines_text(features: list[Feature]) -> dict[int, str]:
    """The ``coordinates`` text of every line feature that array operations can write.

    Byte for byte what ``json.dumps`` gives (floats are written by ``repr``), but for a million
    vertices in a fraction of the time. Keyed by ``id(feature)``; features left out (a value
    :func:`_coordinate_chars` cannot write) are encoded by ``json`` as usual.
    """
    parts = [
        [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        for g in (f["geometry"] for f in features)
    ]
    lengths = [len(part) for fparts in parts for part in fparts]
    if not lengths:
        return {}
    n = sum(lengths)
    flat = np.fromiter(
        chain.from_iterable(chain.from_iterable(chain.from_iterable(parts))), float, 2 * n
    )
    chars, keep, ok = _coordinate_chars(flat)
    row = np.empty((n, 26), np.uint8)  # [lon,lat],
    mask = np.ones((n, 26), bool)
    row[:, 0], row[:, 12], row[:, 24], row[:, 25] = ord("["), ord(","), ord("]"), ord(",")
    row[:, 1:12], mask[:, 1:12] = chars[0::2], keep[0::2]
    row[:, 13:24], mask[:, 13:24] = chars[1::2], keep[1::2]
    ends = np.cumsum(lengths)
    mask[ends - 1, 25] = False  # no comma after the last vertex of a part
    text = row[mask].tobytes().decode("ascii")
    offsets = np.concatenate(([0], np.cumsum(mask.sum(axis=1)))).tolist()
    vertex_ok = (ok[0::2] & ok[1::2]).tolist()
    bad = np.concatenate(([0], np.cumsum(~np.asarray(vertex_ok)))).tolist()
    out: dict[int, str] = {}
    at = 0
    for feature, fparts in zip(features, parts, strict=True):
        pieces, start_vertex = [], at
        for part in fparts:
            pieces.append("[" + text[offsets[at] : offsets[at + len(part)]] + "]")
            at += len(part)
        if bad[at] != bad[start_vertex]:
            continue
        joined = ",".join(pieces)
        out[id(feature)] = (
            joined
            if len(fparts) == 1 and feature["geometry"]["type"] == ("LineString")
            else "[" + joined + "]"
        )
    return out


def _encode_feature(feature: Feature, coordinates: str | None) -> str:
    if coordinates is None:
        return _encode(feature)
    geometry = {"type": feature["geometry"]["type"], "coordinates": 0}
    text = _encode({**feature, "geometry": geometry})
    return text.replace('"coordinates":0}', '"coordinates":' + coordinates + "}", 1)


@without_gc_pauses
def dumps_layers(layers: dict[str, FeatureCollection]) -> dict[str, bytes]:
    """:func:`dumps` for every layer, encoding each feature once though ``all`` repeats them.

    The coordinates of the lines (most of the bytes at scale) are written with array
    operations (:func:`_lines_text`); the output is the same as :func:`dumps`'.
    """
    unique = {id(f): f for fc in layers.values() for f in fc["features"]}
    lines = [
        f
        for f in unique.values()
        if f.get("geometry", {}).get("type") in ("LineString", "MultiLineString")
    ]
    coordinates = _lines_text(lines)
    done = {
        key: _encode_feature(f, coordinates.get(key)).encode("utf-8") for key, f in unique.items()
    }
    out = {}
    for name, fc in layers.items():  # as _assemble, joining bytes encoded once per feature
        head = _encode({k: v for k, v in fc.items() if k != "features"})[:-1] + ',"features":['
        body = b",\n".join(done[id(f)] for f in fc["features"])
        out[name] = head.encode("utf-8") + (b"\n" + body if body else b"") + b"\n]}\n"
    return out
